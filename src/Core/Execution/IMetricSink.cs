namespace Ablations.Core.Execution;

/// <summary>
/// Where a stage streams metrics. Writes are buffered and stored in batches; never blocks a training step on I/O.
/// A stage has one value per (name, step): logging a step again replaces it (a resumed stage re-logging the steps
/// after its checkpoint), and the last final of a name wins.
/// </summary>
public interface IMetricSink
{
    /// <summary>A point of a curve (e.g. loss at step 120).</summary>
    void Log(string name, long step, double value);

    /// <summary>A final result of the stage (e.g. zeroshot_top1); stored with step = null semantics (-1).</summary>
    void Final(string name, double value);

    /// <summary>
    /// Stores everything logged so far before returning. A trainer calls it before writing a checkpoint, so a stage
    /// that resumes from that checkpoint has every point logged before it (points still buffered when a process is
    /// killed are lost, and no resumed run would log them again).
    /// </summary>
    void Flush();
}

namespace Ablations.Core.Execution;

/// <summary>Where a stage streams metrics. Writes are buffered and stored in batches; never blocks a training step on I/O.</summary>
public interface IMetricSink
{
    /// <summary>A point of a curve (e.g. loss at step 120).</summary>
    void Log(string name, long step, double value);

    /// <summary>A final result of the stage (e.g. zeroshot_top1); stored with step = null semantics (-1).</summary>
    void Final(string name, double value);
}

namespace Ablations.Core.Results;

/// <summary>
/// The status of a run, derived from its stages (<c>ResultsReader.RunStatus</c>), by the names every table, export,
/// filter and page writes: the one home of these words.
/// </summary>
public static class RunStatuses
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Running = "running";
    public const string Pending = "pending";

    /// <summary>Every status, the finished one first and then in the order a cell's shortfall is told (failed before pending).</summary>
    public static readonly string[] All = [Succeeded, Failed, Cancelled, Running, Pending];

    /// <summary>The statuses of runs without a result, worst first.</summary>
    public static readonly string[] Unfinished = [Failed, Cancelled, Running, Pending];
}

using Ablations.Core.Store;
using Ablations.Reports;

namespace Ablations.Orchestrator.Scheduling;

/// <summary>
/// Writes reports/&lt;experiment&gt;/ from the store (see <see cref="ReportWriter"/> for what it contains): the current
/// revision there, an older one in reports/&lt;experiment&gt;.revision-N/ so it never overwrites the current report.
/// </summary>
public static class ReportPublisher
{
    public sealed record Result(string Directory, ReportOutcome Outcome);

    public static Result Write(ResultsStore store, string experiment, string reportsRoot, IReadOnlyList<string>? metrics = null, int? revision = null) =>
        Write(ResultsReader.Load(store, experiment, revision), reportsRoot, metrics);

    /// <summary>The report of results already read from the store (by <see cref="ResultsReader.Load"/>).</summary>
    public static Result Write(Core.Results.ExperimentResults results, string reportsRoot, IReadOnlyList<string>? metrics = null)
    {
        var dir = Path.GetFullPath(Path.Combine(reportsRoot, results.Revision!.FolderFor(results.Experiment)));
        var options = metrics is { Count: > 0 } ? ReportOptions.Default with { Metrics = metrics } : ReportOptions.Default;
        return new Result(dir, ReportWriter.Write(results, dir, options));
    }
}

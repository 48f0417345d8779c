using Ablations.Core.Store;
using Ablations.Reports;

namespace Ablations.Orchestrator.Scheduling;

/// <summary>Writes reports/&lt;experiment&gt;/ from the store (see <see cref="ReportWriter"/> for what it contains).</summary>
public static class ReportPublisher
{
    public sealed record Result(string Directory, ReportOutcome Outcome);

    public static Result Write(ResultsStore store, string experiment, string reportsRoot, IReadOnlyList<string>? metrics = null)
    {
        var results = ResultsReader.Load(store, experiment);
        var dir = Path.GetFullPath(Path.Combine(reportsRoot, experiment));
        var options = metrics is { Count: > 0 } ? ReportOptions.Default with { Metrics = metrics } : ReportOptions.Default;
        return new Result(dir, ReportWriter.Write(results, dir, options));
    }
}

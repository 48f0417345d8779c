using Ablations.Core.Store;
using Ablations.Reports;

namespace Ablations.Orchestrator.Scheduling;

/// <summary>
/// Writes reports/&lt;experiment&gt;/ from the store (see <see cref="ReportWriter"/> for what it contains): the current
/// revision there, an older one in reports/&lt;experiment&gt;.revision-N/ so it never overwrites the current report.
/// </summary>
public static class ReportPublisher
{
    public sealed record Result(string Directory, ReportOutcome Outcome)
    {
        /// <summary>One line on the spec's claims for the console ("claims: 1 supported, 0 refuted, 2 undecided — …"), or null when it has none.</summary>
        public string? ClaimsLine => Outcome.Summary?.Findings is { Claims.Count: > 0 } f
            ? $"claims: {f.Claims.Count(c => c.Verdict == Reports.Aggregation.ClaimVerdict.Supported)} supported, " +
              $"{f.Claims.Count(c => c.Verdict == Reports.Aggregation.ClaimVerdict.Refuted)} refuted, " +
              $"{f.Claims.Count(c => c.Verdict == Reports.Aggregation.ClaimVerdict.Undecided)} undecided by these seeds — {System.IO.Path.Combine(Directory, "findings.md")}"
            : null;
    }

    public static Result Write(ResultsStore store, string experiment, string reportsRoot, IReadOnlyList<string>? metrics = null, int? revision = null) =>
        Write(ResultsReader.Load(store, experiment, revision), reportsRoot, metrics);

    /// <summary>
    /// Renders the experiment's report as it stands into a throwaway folder and deletes it: ScottPlot's first render and
    /// Parquet.Net's first write are one-time costs of a process (most of a small report's ~0.4 s), and `ablate run`
    /// pays them here, on another thread while the grid runs, instead of after its last stage (issue 11). Only a warm-up:
    /// a failure here is for the real report to meet and say.
    /// </summary>
    public static void Warm(ResultsStore store, string experiment)
    {
        DirectoryInfo? dir = null;
        try
        {
            dir = Directory.CreateTempSubdirectory("ablations-report-");
            ReportWriter.Write(ResultsReader.Load(store, experiment), dir.FullName, ReportOptions.Default);
        }
        catch (Exception)
        {
            // The real report meets the same failure, if it is one, and reports it.
        }
        finally
        {
            try { dir?.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The report of results already read from the store (by <see cref="ResultsReader.Load"/>).</summary>
    public static Result Write(Core.Results.ExperimentResults results, string reportsRoot, IReadOnlyList<string>? metrics = null)
    {
        var dir = Path.GetFullPath(Path.Combine(reportsRoot, results.Revision!.FolderFor(results.Experiment)));
        var options = metrics is { Count: > 0 } ? ReportOptions.Default with { Metrics = metrics } : ReportOptions.Default;
        return new Result(dir, ReportWriter.Write(results, dir, options));
    }
}

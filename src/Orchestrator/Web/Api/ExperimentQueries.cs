using Ablations.Core.Results;
using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Ablations.Orchestrator.Output;
using Ablations.Orchestrator.Web.Filtering;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Orchestrator.Web.Api;

/// <summary>Everything the API and the pages show, read from the results store, the stage logs and the reports folder.</summary>
internal sealed class ExperimentQueries(ResultsStore store, Workspace workspace, ReportFiles reports)
{
    private const int HeadlineColumns = 8;

    /// <summary>Every runner of the last 7 days with its current stages (the registry).</summary>
    public IReadOnlyList<RunnerView> Runners() => store.Runners(all: true);

    public IReadOnlyList<ExperimentSummary> List()
    {
        var runCounts = store.ActiveRunCounts();
        return store.ListExperiments().Select(e => (e, Revision: store.Revision(e))).Where(x => x.Revision is not null)
            .Select(x => Summarize(x.e, x.Revision!, runCounts.GetValueOrDefault(x.e.Id), store.StagesOf(x.e.Id))).ToList();
    }

    public (ExperimentDetail?, ApiError?) Detail(string name, int? revisionNumber = null)
    {
        var experiment = store.FindExperiment(name);
        if (experiment is null) return (null, UnknownExperiment(name));
        var revision = store.Revision(experiment, revisionNumber);
        if (revision is null) return (null, new ApiError(404, ResultsReader.UnknownRevisionMessage(experiment, revisionNumber ?? 0)));
        var results = ResultsReader.Load(store, name, revision.Number);
        var stages = store.StagesOfRevision(revision.Id);
        var statuses = results.Runs.GroupBy(r => r.Status).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        // Named as the runs name them (a spec's own stage names, "teacher:dfn_a"), as `ablate status` does.
        var names = store.StageKeysOfRevision(revision.Id);
        var active = stages.Where(s => s.Status is StageStatus.Running or StageStatus.Failed)
            .OrderBy(s => s.Status).ThenBy(s => s.CreatedAt).Take(20)
            .Select(s => new StageBrief(s.Hash, names.GetValueOrDefault(s.Hash, s.Type), s.Type, Lower(s.Status), s.Progress, s.Phase, s.FailureKind, Brief(s.Error), s.Attempts))
            .ToList();
        var revisions = store.Revisions(experiment.Id)
            .Select(r => new RevisionView(r.Revision.Number, r.Revision.Number == experiment.CurrentRevision, r.Revision.SpecHash, r.Revision.Profile,
                r.Runs, AsUtc(r.Revision.CreatedAt)))
            .ToList();
        return (new ExperimentDetail(Summarize(experiment, revision, results.Runs.Count, stages), statuses, results.AxisKeys, MetricNames(results),
            active, revision.Number == experiment.CurrentRevision ? reports.List(name) : [], revisions), null);
    }

    public (RunsView?, ApiError?) Runs(string name, string? filterText, int? revisionNumber = null)
    {
        var experiment = store.FindExperiment(name);
        if (experiment is null) return (null, UnknownExperiment(name));
        if (store.Revision(experiment, revisionNumber) is null)
            return (null, new ApiError(404, ResultsReader.UnknownRevisionMessage(experiment, revisionNumber ?? 0)));
        var (filter, error) = FilterParser.Parse(filterText);
        if (error is not null) return (null, new ApiError(400, error.Message, error.Position));
        var results = ResultsReader.Load(store, name, revisionNumber);
        if (CheckNames(filter!, results) is { } unknown) return (null, new ApiError(400, unknown.Message, unknown.Position));
        var rows = results.Runs.Where(filter!.Matches)
            .Select(r => new RunRowView(r.RunId, r.Params, r.Seed, r.Status, r.IsBaseline, r.Metrics)).ToList();
        return (new RunsView(name, filterText ?? "", results.Runs.Count, rows.Count, results.AxisKeys,
            ResultsConsole.HeadlineMetrics(results, HeadlineColumns), MetricNames(results), rows), null);
    }

    /// <summary>
    /// A run by id. Run ids hash (params, seed, stage chain), so two experiments can share one: then ?experiment= picks.
    /// It is shown as in the latest revision that has it (a run that left the grid is still reachable by its id).
    /// </summary>
    public (RunDetail?, ApiError?) Run(string id, string? experimentName)
    {
        var candidates = store.RunsWithKey(id);
        if (experimentName is not null) candidates = candidates.Where(c => c.Experiment == experimentName).ToList();
        if (candidates.Count == 0)
            return (null, new ApiError(404, $"unknown run '{id}'{(experimentName is null ? "" : $" in experiment '{experimentName}'")}; run ids are listed by /api/experiments/NAME/runs"));
        if (candidates.Select(c => c.Experiment).Distinct().Count() > 1)
            return (null, new ApiError(400, $"run '{id}' is in experiments {string.Join(", ", candidates.Select(c => c.Experiment).Order())}; add ?experiment=NAME"));
        var row = candidates[0];
        var revisions = row.Revisions;
        if (revisions.Count == 0) return (null, new ApiError(404, $"run '{id}' belongs to no revision of '{row.Experiment}' (it left the grid before revisions were recorded)"));
        var run = ResultsReader.Load(store, row.Experiment, revisions.Max()).Runs.Single(r => r.RunId == id);
        var stages = store.StagesOfRun(row.RunId)
            .Select(x => new RunStageView(x.Link.StageKey, x.Stage.Hash, x.Stage.Type, Lower(x.Stage.Status), x.Stage.Attempts, x.Stage.FailureKind,
                x.Stage.Error, x.Stage.Phase, x.Stage.Progress, x.Stage.DurationSeconds, AsUtc(x.Stage.StartedAt), AsUtc(x.Stage.FinishedAt), x.Link.IsTerminal,
                $"/api/stages/{x.Stage.Hash}/log"))
            .ToList();
        var curves = run.Curves.ToDictionary(c => c.Key, c => (IReadOnlyList<double[]>)c.Value.Select(p => new[] { p.Step, p.Value }).ToList());
        return (new RunDetail(run.RunId, row.Experiment, run.Params, run.Seed, run.Status, run.IsBaseline, run.Metrics, curves, stages,
            revisions, run.Failure), null);
    }

    /// <summary>The last <paramref name="maxBytes"/> of a stage's log (logs/&lt;hash&gt;.log), starting at a line boundary.</summary>
    public (StageLog?, ApiError?) Log(string hash, int maxBytes)
    {
        if (hash.Length is < 8 or > 128 || !hash.All(char.IsAsciiHexDigitLower))
            return (null, new ApiError(400, $"'{hash}' is not a stage hash (lowercase hex)"));
        if (!store.HasStage(hash)) return (null, new ApiError(404, $"unknown stage '{hash}'"));
        var path = Path.Combine(workspace.LogsDir, hash + ".log");
        if (!File.Exists(path)) return (new StageLog(hash, false, 0, false, ""), null);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        var take = (int)Math.Min(length, Math.Clamp(maxBytes, 256, 1 << 20));
        stream.Seek(length - take, SeekOrigin.Begin);
        var buffer = new byte[take];
        stream.ReadExactly(buffer);
        var text = System.Text.Encoding.UTF8.GetString(buffer);
        var truncated = take < length;
        if (truncated && text.IndexOf('\n') is var newline and >= 0) text = text[(newline + 1)..];
        return (new StageLog(hash, true, length, truncated, text), null);
    }

    private static ExperimentSummary Summarize(ExperimentRow e, RevisionRow revision, int runs, IReadOnlyList<StageRow> stages)
    {
        var progress = new ExperimentProgress(stages);
        var counts = new StageCounts(progress.Total, progress.Count(StageStatus.Pending), progress.Count(StageStatus.Queued),
            progress.Count(StageStatus.Running), progress.Count(StageStatus.Succeeded), progress.Count(StageStatus.Failed), progress.Count(StageStatus.Cancelled));
        var metric = ReportContext.FromJson(revision.ReportContextJson).Metric;
        return new ExperimentSummary(e.Name, revision.Description, runs, counts, progress.Fraction, progress.Finished,
            metric?.Name, metric?.Goal.ToString().ToLowerInvariant(), AsUtc(e.CreatedAt), AsUtc(e.UpdatedAt),
            revision.Number, e.CurrentRevision, revision.SpecHash, revision.Profile);
    }

    /// <summary>A filter naming a parameter no run has is a typo, not an empty result; same for metrics, except the spec's own metric (runs may not have reported it yet).</summary>
    private static FilterError? CheckNames(RunFilter filter, ExperimentResults results)
    {
        foreach (var c in filter.Conditions)
        {
            if (c.Field.Kind == FieldKind.Param && !results.Runs.Any(r => r.Params.ContainsKey(c.Field.Key)))
            {
                var known = results.Runs.SelectMany(r => r.Params.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
                return new FilterError(c.Field.Position, $"no run has the parameter '{c.Field.Key}'; parameters are {List(known)}");
            }
            if (c.Field.Kind == FieldKind.Metric && c.Field.Key != results.Metric?.Name && !results.Runs.Any(r => r.Metrics.ContainsKey(c.Field.Key)))
                return new FilterError(c.Field.Position, $"no run has the metric '{c.Field.Key}' (yet); metrics so far are {List(MetricNames(results))}");
        }
        return null;
    }

    /// <summary>An error's first line and, when it goes on, its last non-empty line (usually the tail of the stage's own output).</summary>
    private static string? Brief(string? error)
    {
        if (error is null) return null;
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length <= 1 ? error.Trim() : $"{lines[0]} … {lines[^1]}";
    }

    private static string List(IReadOnlyCollection<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

    private static IReadOnlyList<string> MetricNames(ExperimentResults results) =>
        results.Runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();

    private ApiError UnknownExperiment(string name)
    {
        return new ApiError(404, store.UnknownExperimentMessage(name));
    }

    private static string Lower(StageStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>SQLite hands back times without a kind; the store writes UTC.</summary>
    private static DateTime AsUtc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);

    private static DateTime? AsUtc(DateTime? t) => t is { } value ? AsUtc(value) : null;
}

using Ablations.Core.Results;
using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;
using System.Text.Json.Nodes;

namespace Ablations.Core.Store;

/// <summary>
/// Reads one revision of an experiment (the current one unless asked) into <see cref="ExperimentResults"/>: exactly
/// the runs of that revision, so results of an earlier spec are never shown as the current ones. A run's metrics are
/// the final values of its terminal stage under their own names, plus those of its other stages prefixed with the
/// stage key ("student.loss"); curves likewise. Its status is derived from its stages: failed if any failed,
/// succeeded when the terminal did.
/// </summary>
public static class ResultsReader
{
    public static ExperimentResults Load(ResultsStore store, string experimentName, int? revisionNumber = null) => ResultsStore.Guard(store.Location, () =>
    {
        using var db = store.NewContext();
        var experiment = db.Experiments.AsNoTracking().SingleOrDefault(e => e.Name == experimentName)
            ?? throw new KeyNotFoundException(UnknownExperimentMessage(db, experimentName));
        var number = revisionNumber ?? experiment.CurrentRevision;
        var revision = db.Revisions.AsNoTracking().SingleOrDefault(r => r.ExperimentId == experiment.Id && r.Number == number)
            ?? throw new KeyNotFoundException(UnknownRevisionMessage(experiment, number));
        var context = ReportContext.FromJson(revision.ReportContextJson);
        var runs = db.Runs.AsNoTracking().Where(r => db.RevisionRuns.Any(rr => rr.RevisionId == revision.Id && rr.RunId == r.Id))
            .Include(r => r.Stages).OrderBy(r => r.CellIndex).ThenBy(r => r.Seed).ToList();
        var stageHashes = runs.SelectMany(r => r.Stages.Select(s => s.StageHash)).Distinct().ToList();
        var stages = db.Stages.AsNoTracking().Where(s => stageHashes.Contains(s.Hash)).ToDictionary(s => s.Hash);
        var metrics = db.Metrics.AsNoTracking().Where(m => stageHashes.Contains(m.StageHash))
            .Select(m => new { m.StageHash, m.Name, m.Step, m.Value }).ToList()
            .GroupBy(m => m.StageHash).ToDictionary(g => g.Key, g => g.ToList());

        var results = new List<RunResult>();
        foreach (var run in runs)
        {
            var finals = new Dictionary<string, double>(StringComparer.Ordinal);
            var curves = new Dictionary<string, IReadOnlyList<CurvePoint>>(StringComparer.Ordinal);
            foreach (var link in run.Stages.OrderBy(s => s.IsTerminal))
            {
                var prefix = link.IsTerminal ? "" : link.StageKey + ".";
                if (!metrics.TryGetValue(link.StageHash, out var points)) continue;
                foreach (var group in points.GroupBy(p => p.Name))
                {
                    var finalPoint = group.Where(p => p.Step < 0).Select(p => (double?)p.Value).LastOrDefault();
                    if (finalPoint is double f) finals[prefix + group.Key] = f;
                    var curve = group.Where(p => p.Step >= 0).OrderBy(p => p.Step).Select(p => new CurvePoint(p.Step, p.Value)).ToList();
                    if (curve.Count > 0) curves[prefix + group.Key] = curve;
                }
            }
            var parameters = JsonNode.Parse(run.ParamsJson)!.AsObject().ToDictionary(p => p.Key, p => p.Value?.DeepClone());
            results.Add(new RunResult(run.RunKey, run.CellIndex, parameters, run.Seed, RunStatus(run, stages), run.IsBaseline, finals, curves,
                FailureOf(run, stages)));
        }

        var usage = runs.SelectMany(r => r.Stages).GroupBy(s => s.StageHash).ToDictionary(g => g.Key, g => g.Count());
        var earlier = stages.Values.Where(s => s.Status == StageStatus.Succeeded && s.StartedAt < revision.CreatedAt).Select(s => s.Hash).ToHashSet();
        var costs = stages.Values.OrderBy(s => s.CreatedAt)
            .Select(s => new StageCost(s.Hash, s.Type, s.Status.ToString().ToLowerInvariant(), s.DurationSeconds ?? 0, usage.GetValueOrDefault(s.Hash), earlier.Contains(s.Hash)))
            .ToList();
        var info = new RevisionInfo(revision.Number, experiment.CurrentRevision, revision.SpecHash, revision.Profile, revision.SpecPath,
            revision.GitCommit, DateTime.SpecifyKind(revision.CreatedAt, DateTimeKind.Utc));
        return new ExperimentResults(experiment.Name, revision.Description, context.Metric, context.AxisKeys, context.Baseline, context.Design, results, costs, info) { Claims = context.Claims };
    });

    /// <summary>succeeded | failed | cancelled | running | pending, derived from the run's stages.</summary>
    public static string RunStatus(RunRow run, IReadOnlyDictionary<string, StageRow> stages)
    {
        var mine = run.Stages.Select(s => stages.TryGetValue(s.StageHash, out var row) ? row : null).Where(s => s is not null).ToList();
        if (mine.Any(s => s!.Status == StageStatus.Failed)) return RunStatuses.Failed;
        if (stages.TryGetValue(run.TerminalStageHash, out var t) && t.Status == StageStatus.Succeeded) return RunStatuses.Succeeded;
        if (mine.Any(s => s!.Status == StageStatus.Cancelled)) return RunStatuses.Cancelled;
        if (mine.Any(s => s!.Status == StageStatus.Running)) return RunStatuses.Running;
        return RunStatuses.Pending;
    }

    /// <summary>
    /// Why the run has no result: its first stage that failed on its own (not as UpstreamFailed), else the first
    /// upstream-failed or cancelled one, as "KEY (KIND): first line of the error"; null when none failed.
    /// </summary>
    public static string? FailureOf(RunRow run, IReadOnlyDictionary<string, StageRow> stages)
    {
        var broken = run.Stages
            .Select(link => (link.StageKey, Stage: stages.GetValueOrDefault(link.StageHash)))
            .Where(x => x.Stage is { Status: StageStatus.Failed or StageStatus.Cancelled })
            .OrderBy(x => x.Stage!.Status == StageStatus.Failed ? 0 : 1)
            .ThenBy(x => x.Stage!.Failure == Execution.FailureKind.UpstreamFailed ? 1 : 0)
            .ThenBy(x => x.Stage!.CreatedAt)
            .FirstOrDefault();
        if (broken.Stage is not { } s) return null;
        var line = (s.Error ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return $"{broken.StageKey} ({s.FailureKind ?? s.Status.ToString()}): {line}".TrimEnd(' ', ':');
    }

    public static string UnknownRevisionMessage(ExperimentRow experiment, int number) =>
        experiment.CurrentRevision == 0
            ? $"experiment '{experiment.Name}' has no revisions yet"
            : $"experiment '{experiment.Name}' has revisions 1 to {experiment.CurrentRevision}; revision {number} is not one of them";

    internal static string UnknownExperimentMessage(AblationsDbContext db, string name)
    {
        var known = db.Experiments.Select(e => e.Name).OrderBy(n => n).ToList();
        return known.Count == 0
            ? $"unknown experiment '{name}': the store has no experiments yet; run `ablate run FILE` or `ablate submit FILE` first"
            : $"unknown experiment '{name}'; known experiments are {string.Join(", ", known)}";
    }
}

using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Store;

/// <summary>The questions the CLI and the web UI ask of the store, by name: they never see its EF context.</summary>
public sealed partial class ResultsStore
{
    /// <summary>Those of <paramref name="hashes"/> whose stage has succeeded (a plan's reused stages).</summary>
    public IReadOnlySet<string> SucceededAmong(IReadOnlyCollection<string> hashes) => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlySet<string>)db.Stages.AsNoTracking().Where(s => hashes.Contains(s.Hash) && s.Status == StageStatus.Succeeded)
            .Select(s => s.Hash).ToHashSet(StringComparer.Ordinal);
    });

    /// <summary>"unknown experiment 'x'", with the experiments the store has (or how to make one).</summary>
    public string UnknownExperimentMessage(string name) => Guard(() =>
    {
        using var db = NewContext();
        return ResultsReader.UnknownExperimentMessage(db, name);
    });

    /// <summary>Active runs per experiment id.</summary>
    public IReadOnlyDictionary<int, int> ActiveRunCounts() => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyDictionary<int, int>)db.Runs.Where(r => r.Active).GroupBy(r => r.ExperimentId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionary(x => x.Key, x => x.Count);
    });

    /// <summary>True when a stage of this hash is stored.</summary>
    public bool HasStage(string hash) => Guard(() =>
    {
        using var db = NewContext();
        return db.Stages.Any(s => s.Hash == hash);
    });

    /// <summary>One stored run of a run id: run ids hash (params, seed, stage chain), so two experiments can share one.</summary>
    public sealed record RunMatch(int RunId, string Experiment, IReadOnlyList<int> Revisions);

    /// <summary>Every stored run with this run id, with its experiment and the revision numbers that hold it.</summary>
    public IReadOnlyList<RunMatch> RunsWithKey(string runKey) => Guard(() =>
    {
        using var db = NewContext();
        var runs = db.Runs.AsNoTracking().Where(r => r.RunKey == runKey).Select(r => new { r.Id, Experiment = r.Experiment!.Name }).ToList();
        var ids = runs.Select(r => r.Id).ToList();
        var revisions = db.RevisionRuns.AsNoTracking().Where(rr => ids.Contains(rr.RunId)).Select(rr => new { rr.RunId, rr.Revision!.Number }).ToList();
        return (IReadOnlyList<RunMatch>)runs.Select(r => new RunMatch(r.Id, r.Experiment,
            revisions.Where(v => v.RunId == r.Id).Select(v => v.Number).Order().ToList())).ToList();
    });

    /// <summary>A run's stages with the key the run gives each, upstream first and the terminal stage last.</summary>
    public IReadOnlyList<(RunStageRow Link, StageRow Stage)> StagesOfRun(int runId) => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyList<(RunStageRow, StageRow)>)db.RunStages.AsNoTracking().Where(rs => rs.RunId == runId)
            .Join(db.Stages.AsNoTracking(), rs => rs.StageHash, s => s.Hash, (rs, s) => new { rs, s })
            .ToList()
            .OrderBy(x => x.rs.IsTerminal).ThenBy(x => x.s.CreatedAt)
            .Select(x => (x.rs, x.s)).ToList();
    });
}

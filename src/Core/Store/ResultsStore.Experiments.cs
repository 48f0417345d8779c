using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Store;

public sealed partial class ResultsStore
{
    public ExperimentRow? FindExperiment(string name) => Guard(() =>
    {
        using var db = NewContext();
        return db.Experiments.AsNoTracking().SingleOrDefault(e => e.Name == name);
    });

    public IReadOnlyList<ExperimentRow> ListExperiments() => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyList<ExperimentRow>)db.Experiments.AsNoTracking().OrderBy(e => e.CreatedAt).ToList();
    });

    /// <summary>The stages the runs of the experiment's current revision need (shared ones included), without tracking.</summary>
    public IReadOnlyList<StageRow> StagesOf(int experimentId) => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyList<StageRow>)NeededBy(db, experimentId).AsNoTracking().ToList();
    });

    /// <summary>The stages the active runs of the experiment link to: what its current revision needs.</summary>
    private static IQueryable<StageRow> NeededBy(AblationsDbContext db, int experimentId) =>
        db.Stages.Where(s => db.RunStages.Any(rs => rs.StageHash == s.Hash && rs.Run!.ExperimentId == experimentId && rs.Run.Active));

    /// <summary>The stages the runs of one revision need, without tracking.</summary>
    public IReadOnlyList<StageRow> StagesOfRevision(int revisionId) => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyList<StageRow>)db.Stages.AsNoTracking()
            .Where(s => db.RunStages.Any(rs => rs.StageHash == s.Hash && db.RevisionRuns.Any(rr => rr.RevisionId == revisionId && rr.RunId == rs.RunId)))
            .ToList();
    });

    /// <summary>Stage hash → the key its runs gave it (a spec's own stage name, "teacher:t_a"…), for the stages of a revision.</summary>
    public IReadOnlyDictionary<string, string> StageKeysOfRevision(int revisionId) => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyDictionary<string, string>)db.RunStages.AsNoTracking()
            .Where(rs => db.RevisionRuns.Any(rr => rr.RevisionId == revisionId && rr.RunId == rs.RunId))
            .Select(rs => new { rs.StageHash, rs.StageKey }).Distinct().ToList()
            .GroupBy(l => l.StageHash).ToDictionary(g => g.Key, g => g.Min(l => l.StageKey)!, StringComparer.Ordinal);
    });

    /// <summary>
    /// The current revision's runs as cell key → stage key → stage hash, and those stages as they are stored: what a
    /// new plan of the experiment is compared with to say why a stage is new. Empty for an unknown experiment.
    /// </summary>
    public (IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Chains, IReadOnlyDictionary<string, Planning.PreviousStage> Stages)
        CurrentChains(string experimentName) => Guard(() =>
    {
        using var db = NewContext();
        var experiment = db.Experiments.AsNoTracking().SingleOrDefault(e => e.Name == experimentName);
        if (experiment is null)
            return ((IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>)new Dictionary<string, IReadOnlyDictionary<string, string>>(),
                (IReadOnlyDictionary<string, Planning.PreviousStage>)new Dictionary<string, Planning.PreviousStage>());
        var links = db.RunStages.AsNoTracking()
            .Where(rs => db.RevisionRuns.Any(rr => rr.RunId == rs.RunId && rr.Revision!.ExperimentId == experiment.Id && rr.Revision.Number == experiment.CurrentRevision))
            .Select(rs => new { rs.Run!.CellKey, rs.StageKey, rs.StageHash }).ToList();
        var chains = links.GroupBy(l => l.CellKey)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(l => l.StageKey, l => l.StageHash));
        var hashes = links.Select(l => l.StageHash).Distinct().ToList();
        var inputs = db.StageInputs.AsNoTracking().Where(i => hashes.Contains(i.StageHash)).ToList()
            .GroupBy(i => i.StageHash).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(i => i.Role, i => i.InputHash));
        var stages = db.Stages.AsNoTracking().Where(s => hashes.Contains(s.Hash)).ToList().ToDictionary(s => s.Hash,
            s => new Planning.PreviousStage(s.Hash, s.Type, s.ConfigJson, inputs.GetValueOrDefault(s.Hash) ?? new Dictionary<string, string>(),
                s.CodeVersion, s.Status.ToString().ToLowerInvariant()));
        return ((IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>)chains, (IReadOnlyDictionary<string, Planning.PreviousStage>)stages);
    });

    /// <summary>Every succeeded stage of the store, without tracking (what `ablate verify` checks when no experiment is named).</summary>
    public IReadOnlyList<StageRow> SucceededStages() => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyList<StageRow>)db.Stages.AsNoTracking().Where(s => s.Status == StageStatus.Succeeded).ToList();
    });

    public IReadOnlySet<string> RunningStageHashes() => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlySet<string>)db.Stages.Where(s => s.Status == StageStatus.Running).Select(s => s.Hash).ToHashSet();
    });

    /// <summary>Experiments whose current revision needs one of <paramref name="hashes"/>: name, spec path and profile, to say how to recompute.</summary>
    public IReadOnlyList<(string Name, string SpecPath, string? Profile)> ExperimentsNeeding(IReadOnlyCollection<string> hashes) => Guard(() =>
    {
        using var db = NewContext();
        var ids = db.RunStages.Where(rs => hashes.Contains(rs.StageHash) && rs.Run!.Active).Select(rs => rs.Run!.ExperimentId).Distinct().ToList();
        return (IReadOnlyList<(string, string, string?)>)db.Experiments.AsNoTracking().Where(e => ids.Contains(e.Id)).OrderBy(e => e.Name).ToList()
            .Select(e => db.Revisions.AsNoTracking().Single(r => r.ExperimentId == e.Id && r.Number == e.CurrentRevision) is var r
                ? (e.Name, r.SpecPath, r.Profile) : default).ToList();
    });

    /// <summary>The experiment's revisions, oldest first, with how many runs each has.</summary>
    public IReadOnlyList<(RevisionRow Revision, int Runs)> Revisions(int experimentId) => Guard(() =>
    {
        using var db = NewContext();
        var counts = db.RevisionRuns.Where(rr => rr.Revision!.ExperimentId == experimentId).GroupBy(rr => rr.RevisionId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionary(x => x.Key, x => x.Count);
        return (IReadOnlyList<(RevisionRow, int)>)db.Revisions.AsNoTracking().Where(r => r.ExperimentId == experimentId).OrderBy(r => r.Number)
            .ToList().Select(r => (r, counts.GetValueOrDefault(r.Id))).ToList();
    });

    /// <summary>Revision <paramref name="number"/> of the experiment, or its current one when null; null when there is no such revision.</summary>
    public RevisionRow? Revision(ExperimentRow experiment, int? number = null) => Guard(() =>
    {
        using var db = NewContext();
        var n = number ?? experiment.CurrentRevision;
        return db.Revisions.AsNoTracking().SingleOrDefault(r => r.ExperimentId == experiment.Id && r.Number == n);
    });

    /// <summary>
    /// Cancels the experiment: its waiting stages become Cancelled, running ones are asked to stop (their
    /// runner sees the flag at the next heartbeat). Returns how many stages were affected.
    /// </summary>
    public int Cancel(int experimentId) => Guard(() =>
    {
        using var db = NewContext();
        using var tx = db.Database.BeginTransaction();
        var mine = db.RunStages.Where(rs => rs.Run!.ExperimentId == experimentId).Select(rs => rs.StageHash).Distinct();
        var now = DateTime.UtcNow;
        var waiting = db.Stages.Where(s => mine.Contains(s.Hash) && (s.Status == StageStatus.Pending || s.Status == StageStatus.Queued))
            .ExecuteUpdate(u => u.SetProperty(s => s.Status, StageStatus.Cancelled).SetProperty(s => s.FinishedAt, now)
                .SetProperty(s => s.FailureKind, nameof(Execution.FailureKind.Cancelled)).SetProperty(s => s.Error, "cancelled by request"));
        var running = db.Stages.Where(s => mine.Contains(s.Hash) && s.Status == StageStatus.Running)
            .ExecuteUpdate(u => u.SetProperty(s => s.CancelRequested, true));
        db.Experiments.Where(e => e.Id == experimentId).ExecuteUpdate(u => u.SetProperty(e => e.CancelRequested, true));
        tx.Commit();
        return waiting + running;
    });

    /// <summary>
    /// Puts the experiment's failed stages (and, unless <paramref name="failedOnly"/>, its cancelled ones) back to
    /// Pending with a fresh attempt count; the caller then enqueues what is ready. Returns how many were reset.
    /// </summary>
    public int Retry(int experimentId, bool failedOnly) => Guard(() =>
    {
        using var db = NewContext();
        var mine = db.RunStages.Where(rs => rs.Run!.ExperimentId == experimentId && rs.Run.Active).Select(rs => rs.StageHash).Distinct();
        var rows = db.Stages.Where(s => mine.Contains(s.Hash) &&
            (s.Status == StageStatus.Failed || (!failedOnly && s.Status == StageStatus.Cancelled))).ToList();
        foreach (var row in rows) ResetForRetry(row);
        db.Experiments.Where(e => e.Id == experimentId).ExecuteUpdate(u => u.SetProperty(e => e.CancelRequested, false));
        db.SaveChanges();
        return rows.Count;
    });
}

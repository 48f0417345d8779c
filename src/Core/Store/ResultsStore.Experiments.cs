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

    /// <summary>The stages the experiment's active runs need (shared ones included), without tracking.</summary>
    public IReadOnlyList<StageRow> StagesOf(int experimentId) => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyList<StageRow>)db.Stages.AsNoTracking()
            .Where(s => db.RunStages.Any(rs => rs.StageHash == s.Hash && rs.Run!.ExperimentId == experimentId && rs.Run.Active))
            .ToList();
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

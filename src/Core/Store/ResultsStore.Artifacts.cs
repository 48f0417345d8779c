using Ablations.Core.Artifacts;
using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Store;

public sealed partial class ResultsStore
{
    public ArtifactRow? Artifact(string hash) => Guard(() =>
    {
        using var db = NewContext();
        return db.Artifacts.AsNoTracking().SingleOrDefault(a => a.Hash == hash);
    });

    /// <summary>The recorded artifacts of <paramref name="hashes"/>, or every recorded artifact when null.</summary>
    public IReadOnlyList<ArtifactRow> Artifacts(IReadOnlyCollection<string>? hashes = null) => Guard(() =>
    {
        using var db = NewContext();
        var rows = db.Artifacts.AsNoTracking();
        if (hashes is not null) rows = rows.Where(a => hashes.Contains(a.Hash));
        return (IReadOnlyList<ArtifactRow>)rows.OrderBy(a => a.CreatedAt).ToList();
    });

    /// <summary>
    /// Records what an intact artifact holds now: a manifest adopted for an artifact published before manifests
    /// existed, or the same files with refreshed modification times (a copied workspace), so the next read is cheap
    /// again. <paramref name="fullyHashed"/> stamps it verified.
    /// </summary>
    public void RecordManifest(string hash, ArtifactManifest manifest, bool fullyHashed) => Guard(() =>
    {
        using var db = NewContext();
        var now = DateTime.UtcNow;
        var json = manifest.ToJson();
        var root = manifest.RootSha256;
        var relative = Workspace.RelativeArtifactPath(hash);
        return fullyHashed
            ? db.Artifacts.Where(a => a.Hash == hash).ExecuteUpdate(u => u.SetProperty(a => a.ManifestJson, json).SetProperty(a => a.RootSha256, root)
                .SetProperty(a => a.Bytes, manifest.Bytes).SetProperty(a => a.Path, relative).SetProperty(a => a.VerifiedAt, now))
            : db.Artifacts.Where(a => a.Hash == hash).ExecuteUpdate(u => u.SetProperty(a => a.ManifestJson, json).SetProperty(a => a.RootSha256, root)
                .SetProperty(a => a.Bytes, manifest.Bytes).SetProperty(a => a.Path, relative));
    });

    public void MarkVerified(string hash) => Guard(() =>
    {
        using var db = NewContext();
        var now = DateTime.UtcNow;
        return db.Artifacts.Where(a => a.Hash == hash).ExecuteUpdate(u => u.SetProperty(a => a.VerifiedAt, now));
    });

    /// <summary>
    /// Takes back a stage whose artifact is damaged or missing, and every stage downstream of it: all go back to
    /// Pending with a fresh attempt count, and lose their recorded artifacts and metric points, so nothing computed
    /// from (or reported from) the bad artifact survives; a runner that still holds one of them loses its claim.
    /// They recompute when their inputs are ready again. Returns the stages taken back, the damaged one first.
    /// </summary>
    public IReadOnlyList<string> Invalidate(string hash) => Guard(() =>
    {
        using var db = NewContext();
        using var tx = db.Database.BeginTransaction();
        var affected = new List<string> { hash };
        var seen = new HashSet<string>(StringComparer.Ordinal) { hash };
        for (var i = 0; i < affected.Count; i++)
        {
            var current = affected[i];
            foreach (var dependent in db.StageInputs.Where(x => x.InputHash == current).Select(x => x.StageHash).ToList())
                if (seen.Add(dependent)) affected.Add(dependent);
        }
        db.Stages.Where(s => affected.Contains(s.Hash)).ExecuteUpdate(u => u
            .SetProperty(s => s.Status, StageStatus.Pending)
            .SetProperty(s => s.Attempts, 0)
            .SetProperty(s => s.Worker, (string?)null)
            .SetProperty(s => s.JobId, (string?)null)
            .SetProperty(s => s.EnqueuedAt, (DateTime?)null)
            .SetProperty(s => s.StartedAt, (DateTime?)null)
            .SetProperty(s => s.HeartbeatAt, (DateTime?)null)
            .SetProperty(s => s.FinishedAt, (DateTime?)null)
            .SetProperty(s => s.DurationSeconds, (double?)null)
            .SetProperty(s => s.Progress, 0.0)
            .SetProperty(s => s.Phase, (string?)null)
            .SetProperty(s => s.FailureKind, (string?)null)
            .SetProperty(s => s.Error, (string?)null)
            .SetProperty(s => s.CancelRequested, false));
        db.Artifacts.Where(a => affected.Contains(a.Hash)).ExecuteDelete();
        db.Metrics.Where(m => affected.Contains(m.StageHash)).ExecuteDelete();
        tx.Commit();
        return (IReadOnlyList<string>)affected;
    });
}

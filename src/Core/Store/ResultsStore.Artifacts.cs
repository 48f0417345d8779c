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
    /// Takes back a stage whose artifact is damaged or missing: it goes back to Pending with a fresh attempt count and
    /// loses its recorded artifact and metric points, so nothing is read or reported from it; a runner that still holds
    /// it loses its claim. Stages computed from it keep their results: they consumed it when it was intact (every read
    /// is checked), and they are taken back in turn only if the recomputed artifact differs from the one they consumed
    /// (see <see cref="Succeed"/>). Returns false when the stage is unknown.
    /// </summary>
    public bool Invalidate(string hash) => Guard(() =>
    {
        using var db = NewContext();
        using var tx = db.Database.BeginTransaction();
        var found = TakeBack(db, [hash]) == 1;
        tx.Commit();
        return found;
    });

    /// <summary>Resets stages to Pending (attempts, claim, times, failure cleared) and deletes their artifact rows and metric points.</summary>
    private static int TakeBack(AblationsDbContext db, IReadOnlyCollection<string> hashes)
    {
        var n = db.Stages.Where(s => hashes.Contains(s.Hash)).ExecuteUpdate(u => u
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
        db.Artifacts.Where(a => hashes.Contains(a.Hash)).ExecuteDelete();
        db.Metrics.Where(m => hashes.Contains(m.StageHash)).ExecuteDelete();
        return n;
    }
}

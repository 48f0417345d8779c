using Ablations.Core.Store;
using Ablations.Core.Store.Entities;

namespace Ablations.Core.Artifacts;

/// <summary>How a recorded artifact compares with its manifest.</summary>
public enum ArtifactState
{
    Intact,
    /// <summary>Published before manifests existed: its files are hashed and recorded now (trusted on first check).</summary>
    Adopted,
    Damaged,
    Missing,
}

/// <summary>One artifact's check: its state, the problems found (file by file), where it lives and, when usable, its root hash.</summary>
public sealed record ArtifactFinding(string Hash, string Kind, ArtifactState State, IReadOnlyList<string> Problems, string Directory, string? RootSha256 = null)
{
    public bool Usable => State is ArtifactState.Intact or ArtifactState.Adopted;

    public string Describe() => State switch
    {
        ArtifactState.Missing when Problems.Count == 0 => "no artifact is recorded for this succeeded stage",
        _ => string.Join("; ", Problems),
    };
}

/// <summary>
/// The one policy for artifacts that are not what was published: every read and every reuse checks the artifact
/// against its manifest (cheaply, see <see cref="ArtifactManifest.Check"/>), and a damaged or missing one is never
/// used: its stage is invalidated (<see cref="ResultsStore.Invalidate"/>), its folder and checkpoints removed, and a
/// line saying why appended to its log; it then recomputes. Stages computed from it earlier read it intact and keep
/// their results unless the recomputed artifact differs from what they read (<see cref="ResultsStore.Succeed"/>
/// takes those back, and <see cref="TakenBack"/> clears their folders).
/// </summary>
public sealed class ArtifactVerifier(Workspace workspace, ResultsStore store)
{
    public ArtifactFinding Check(string hash, bool full)
    {
        var row = store.Artifact(hash);
        return row is null
            ? new ArtifactFinding(hash, "", ArtifactState.Missing, [], workspace.ArtifactDir(hash))
            : Check(row, full);
    }

    public ArtifactFinding Check(ArtifactRow row, bool full)
    {
        var dir = workspace.ResolveArtifact(row.Hash, row.Path);
        if (row.ManifestJson is null)
        {
            if (!Directory.Exists(dir)) return new ArtifactFinding(row.Hash, row.Kind, ArtifactState.Missing, ["the artifact folder is missing"], dir);
            var adopted = ArtifactManifest.Build(dir);
            store.RecordManifest(row.Hash, adopted, fullyHashed: true);
            return new ArtifactFinding(row.Hash, row.Kind, ArtifactState.Adopted, [], dir, adopted.RootSha256);
        }
        var manifest = ArtifactManifest.FromJson(row.ManifestJson);
        var check = manifest.Check(dir, full);
        if (!check.Intact)
        {
            var state = Directory.Exists(dir) ? ArtifactState.Damaged : ArtifactState.Missing;
            return new ArtifactFinding(row.Hash, row.Kind, state, check.Problems, dir);
        }
        var fullyHashed = full || check.FilesHashed == manifest.Files.Count;
        if (check.Refreshed is not null || Path.IsPathRooted(row.Path)) store.RecordManifest(row.Hash, check.Refreshed ?? manifest, fullyHashed);
        else if (fullyHashed) store.MarkVerified(row.Hash);
        return new ArtifactFinding(row.Hash, row.Kind, ArtifactState.Intact, [], dir, row.RootSha256 ?? manifest.RootSha256);
    }

    /// <summary>
    /// Whether this workspace can see the artifact root at all: true when nothing is recorded or at least one recorded
    /// artifact folder exists. When none does (a share not mounted on this node, a wrong --root), missing artifacts
    /// say nothing about the artifacts themselves, and invalidating them would throw away every result.
    /// </summary>
    public bool RootVisible()
    {
        var recorded = store.Artifacts();
        return recorded.Count == 0 || recorded.Any(a => Directory.Exists(workspace.ResolveArtifact(a.Hash, a.Path)));
    }

    /// <summary>The message for a root that <see cref="RootVisible"/> says this workspace cannot see.</summary>
    public string RootInvisibleMessage() =>
        $"{workspace.ArtifactsDir}: none of the {store.Artifacts().Count:N0} artifacts the results store records is there; " +
        "mount the shared artifact folder at this path (every node must see the same one), or pass the workspace's --root. " +
        "If the artifacts were deleted on purpose, `ablate verify --repair` recomputes them";

    /// <summary>Invalidates the stage of a bad artifact (see the class summary) so it recomputes; its folder and checkpoints go.</summary>
    public void Invalidate(ArtifactFinding finding)
    {
        store.Invalidate(finding.Hash);
        Clear(finding.Hash, $"its artifact is {(finding.State == ArtifactState.Missing ? "missing" : "damaged")}: {finding.Describe()}");
    }

    /// <summary>Clears the folders of stages <see cref="ResultsStore.Succeed"/> took back because <paramref name="upstream"/> was republished with other content.</summary>
    public void TakenBack(IEnumerable<string> hashes, string upstream)
    {
        foreach (var hash in hashes)
            Clear(hash, $"its input {upstream[..Math.Min(12, upstream.Length)]} was recomputed with other content than the artifact this stage was computed from");
    }

    /// <summary>Removes the folder, checkpoints and says why in the log of a stage the store has already taken back.</summary>
    public void Clear(string hash, string why)
    {
        TryDelete(workspace.ArtifactDir(hash));
        TryDelete(Path.Combine(workspace.ScratchDir, hash));
        AppendLog(hash, $"== {DateTime.UtcNow:O} invalidated, will recompute: {why}");
    }

    /// <summary>
    /// Checks the artifacts of succeeded stages about to be reused and invalidates the bad ones. Throws
    /// <see cref="StoreUnavailableException"/> instead of invalidating when the artifact root itself is not visible.
    /// </summary>
    public IReadOnlyList<ArtifactFinding> EnsureUsable(IEnumerable<StageRow> succeeded)
    {
        var stages = succeeded.ToList();
        var rows = store.Artifacts(stages.Select(s => s.Hash).ToList()).ToDictionary(a => a.Hash);
        var bad = stages
            .Select(s => rows.TryGetValue(s.Hash, out var row) ? Check(row, full: false) : new ArtifactFinding(s.Hash, s.Type, ArtifactState.Missing, [], workspace.ArtifactDir(s.Hash)))
            .Where(f => !f.Usable).ToList();
        if (bad.Count == 0) return [];
        if (!RootVisible()) throw new StoreUnavailableException(RootInvisibleMessage());
        foreach (var finding in bad) Invalidate(finding);
        return bad;
    }

    private void AppendLog(string hash, string line)
    {
        try
        {
            Directory.CreateDirectory(workspace.LogsDir);
            File.AppendAllText(Path.Combine(workspace.LogsDir, hash + ".log"), line + Environment.NewLine);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

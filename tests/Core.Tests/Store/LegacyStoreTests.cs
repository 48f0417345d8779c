using Ablations.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Tests.Store;

/// <summary>
/// A store written by the version before revisions (2026-11-29, commit 1188bdc): experiment 'toy', a command grid
/// of a ∈ {1, 2} × seeds {1, 2}, then re-submitted with a ∈ {2, 3} (so the a = 1 runs had left the grid), with one
/// metric point stored twice as an old resumed attempt could. Opening it must migrate it without losing anything.
/// </summary>
public sealed class LegacyStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ablations-legacy-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private ResultsStore OpenCopy()
    {
        var path = Path.Combine(_dir, "ablations.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Store", "Fixtures", "legacy-store-2026-11-29.db"), path);
        return ResultsStore.Open(StoreLocation.Sqlite(path));
    }

    [Fact]
    public void Open_StoreFromBeforeRevisions_LastSpecIsRevisionOneWithTheActiveRunsAndTheirResults()
    {
        var store = OpenCopy();

        var experiment = store.FindExperiment("toy")!;
        Assert.Equal(1, experiment.CurrentRevision);
        var revision = store.Revision(experiment)!;
        Assert.Contains("values: [2, 3]", revision.SpecText);
        Assert.Equal("", revision.PlanHash); // unknown: the next submit records revision 2
        var results = ResultsReader.Load(store, "toy");
        Assert.Equal(["2 1", "2 2", "3 1", "3 2"], results.Runs.Select(r => $"{r.Params["a"]} {r.Seed}").Order());
        Assert.All(results.Runs, r => Assert.Equal(("succeeded", double.Parse(r.Params["a"]!.ToString())), (r.Status, r.Metrics["score"])));
        using var db = store.NewContext();
        Assert.All(db.Runs.ToList(), r => Assert.Equal(r.RunKey, r.CellKey));
        Assert.Equal(6, db.Runs.Count()); // the runs that left the grid are kept, in no revision
        Assert.Equal(12, db.Metrics.Count()); // the point stored twice is now once
    }

    [Fact]
    public void Open_StoreFromBeforeRelativePaths_ArtifactsResolveUnderTheWorkspaceTheyAreOpenedIn()
    {
        var store = OpenCopy();
        var artifact = store.Artifacts().First();
        Assert.True(Path.IsPathRooted(artifact.Path)); // recorded as /tmp/m5/.ablations/artifacts/…
        Assert.Null(artifact.ManifestJson);

        var workspace = Workspace.Create(_dir, null);
        Assert.Equal(workspace.ArtifactDir(artifact.Hash), workspace.ResolveArtifact(artifact.Hash, artifact.Path));
        Directory.CreateDirectory(workspace.ArtifactDir(artifact.Hash));
        File.WriteAllText(Path.Combine(workspace.ArtifactDir(artifact.Hash), "metrics.jsonl"), "{}");

        var finding = new Ablations.Core.Artifacts.ArtifactVerifier(workspace, store).Check(artifact, full: false);

        Assert.Equal(Ablations.Core.Artifacts.ArtifactState.Adopted, finding.State);
        var adopted = store.Artifact(artifact.Hash)!;
        Assert.Equal(Workspace.RelativeArtifactPath(artifact.Hash), adopted.Path);
        Assert.NotNull(adopted.RootSha256);
    }
}

using Ablations.Core.Artifacts;

namespace Ablations.Core.Tests.Artifacts;

public sealed class ArtifactManifestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ablations-manifest-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private ArtifactManifest Publish()
    {
        File.WriteAllBytes(Path.Combine(_dir, "model.bin"), Enumerable.Range(0, 200_000).Select(i => (byte)(i * 31)).ToArray());
        Directory.CreateDirectory(Path.Combine(_dir, "shards"));
        File.WriteAllText(Path.Combine(_dir, "shards", "0.parquet"), "rows");
        return ArtifactManifest.Build(_dir);
    }

    [Fact]
    public void Build_ListsEveryFileWithRelativePathsAndARootHashOfTheContent()
    {
        var manifest = Publish();
        Assert.Equal(["model.bin", "shards/0.parquet"], manifest.Files.Select(f => f.Path));
        Assert.Equal(200_004, manifest.Bytes);
        Assert.Equal(manifest.RootSha256, ArtifactManifest.FromJson(manifest.ToJson()).RootSha256);
        File.WriteAllText(Path.Combine(_dir, "shards", "0.parquet"), "rowz");
        Assert.NotEqual(manifest.RootSha256, ArtifactManifest.Build(_dir).RootSha256);
    }

    [Fact]
    public void Check_Untouched_IntactWithoutHashingAnything()
    {
        var check = Publish().Check(_dir, full: false);
        Assert.True(check.Intact);
        Assert.Equal(0, check.FilesHashed);
        Assert.Null(check.Refreshed);
    }

    [Fact]
    public void Check_ZeroedBytesInTheMiddle_DamagedOnTheCheapCheckBecauseTheTimeMoved()
    {
        var manifest = Publish();
        ZeroMiddle(Path.Combine(_dir, "model.bin"), keepTime: false);
        var check = manifest.Check(_dir, full: false);
        Assert.False(check.Intact);
        Assert.Contains("model.bin: content differs", Assert.Single(check.Problems));
    }

    [Fact]
    public void Check_DamageWithTheTimeRestored_OnlyTheFullCheckFindsIt()
    {
        var manifest = Publish();
        ZeroMiddle(Path.Combine(_dir, "model.bin"), keepTime: true);
        Assert.True(manifest.Check(_dir, full: false).Intact); // the documented limit of the cheap check
        Assert.Contains("model.bin: content differs", Assert.Single(manifest.Check(_dir, full: true).Problems));
    }

    [Fact]
    public void Check_TruncatedMissingOrFolderGone_SaysWhichFileAndHow()
    {
        var manifest = Publish();
        using (var s = new FileStream(Path.Combine(_dir, "model.bin"), FileMode.Open)) s.SetLength(1000);
        File.Delete(Path.Combine(_dir, "shards", "0.parquet"));
        var problems = manifest.Check(_dir, full: false).Problems;
        Assert.Equal(2, problems.Count);
        Assert.Contains("model.bin: 1,000 bytes where 200,000 were published", problems[0]);
        Assert.Equal("shards/0.parquet: missing", problems[1]);
        Directory.Delete(_dir, recursive: true);
        Assert.Equal(["the artifact folder is missing"], manifest.Check(_dir, full: false).Problems);
    }

    [Fact]
    public void Check_CopiedFilesWithNewTimes_HashedOnceThenRecordedSoTheNextCheckIsCheap()
    {
        var manifest = Publish();
        var file = Path.Combine(_dir, "model.bin");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(5)); // what `cp -r` does to every file
        var check = manifest.Check(_dir, full: false);
        Assert.True(check.Intact);
        Assert.Equal(1, check.FilesHashed);
        Assert.NotNull(check.Refreshed);
        Assert.Equal(0, check.Refreshed!.Check(_dir, full: false).FilesHashed);
        Assert.Equal(manifest.RootSha256, check.Refreshed.RootSha256);
    }

    private static void ZeroMiddle(string path, bool keepTime)
    {
        var time = File.GetLastWriteTimeUtc(path);
        using (var s = new FileStream(path, FileMode.Open))
        {
            s.Position = s.Length / 2 - 32 * 1024;
            s.Write(new byte[64 * 1024]);
        }
        File.SetLastWriteTimeUtc(path, keepTime ? time : time.AddSeconds(3));
    }
}

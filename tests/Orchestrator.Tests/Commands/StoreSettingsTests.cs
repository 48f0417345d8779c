namespace Ablations.Orchestrator.Tests.Commands;

/// <summary>
/// --db-file: the results store named in a file, so a PostgreSQL password in it never shows in the process list,
/// for every command and for the runner `ablate run` starts.
/// </summary>
[Collection("processes")]
public sealed class StoreSettingsTests
{
    [Fact]
    public void Submit_DbFile_StoresWhereTheFileSays()
    {
        using var dir = new TempDir();
        var (spec, store, file) = ToyWithStoreFile(dir, "\n");

        var submitted = Ablate.Run(dir.Path, "submit", spec, "--db-file", file);
        var status = Ablate.Run(dir.Path, "status", "--db", store);

        Assert.True(submitted.ExitCode == 0, submitted.All);
        Assert.True(File.Exists(store), "the store named in the file was not created");
        Assert.False(File.Exists(Path.Combine(dir.Root, "ablations.db")), "the default store was used instead");
        Assert.Contains("toy", status.Stdout);
    }

    [Fact]
    public void Run_DbFile_TheLocalRunnerUsesTheSameStore()
    {
        using var dir = new TempDir();
        var (spec, store, file) = ToyWithStoreFile(dir, "");

        var run = Ablate.Run(dir.Path, "run", spec, "--db-file", file);
        var status = Ablate.Run(dir.Path, "status", "toy", "--db", store);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("succeeded", status.Stdout);
        Assert.False(File.Exists(Path.Combine(dir.Root, "ablations.db")), "the runner used the default store");
    }

    [Theory]
    [InlineData("missing", "--db-file", "no such file")]
    [InlineData("empty", "--db-file", "is empty")]
    [InlineData("both", "--db and --db-file", "give one")]
    public void Status_DbFileUnusable_SaysWhyWithExit2(string kind, string what, string why)
    {
        using var dir = new TempDir();
        var file = kind == "missing" ? Path.Combine(dir.Path, "nope") : dir.Write("db.txt", kind == "empty" ? "\n" : "x.db");
        string[] args = kind == "both" ? ["--db", "y.db", "--db-file", file] : ["--db-file", file];

        var result = Ablate.Run(dir.Path, ["status", .. args]);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.All}");
        Assert.Contains(what, result.Stderr);
        Assert.Contains(why, result.Stderr);
    }

    /// <summary>A one-run grid, and db.txt naming a store beside it (with <paramref name="end"/> after the path).</summary>
    private static (string Spec, string Store, string File) ToyWithStoreFile(TempDir dir, string end)
    {
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("toy.yaml", Fixtures.Spec("toy", "[1]", "[3]", seeds: "[1]"));
        var store = Path.Combine(dir.Path, "elsewhere.db");
        return (spec, store, dir.Write("db.txt", store + end));
    }
}

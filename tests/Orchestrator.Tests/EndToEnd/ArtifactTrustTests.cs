using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;
using System.Diagnostics;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Clean workspaces that ran the quickstart's smoke profile (A) and the same with students trained two epochs (B):
/// the numbers every trust scenario must come back to. Built once for the class.
/// </summary>
public sealed class CleanQuickstarts : IDisposable
{
    public const string Epochs1 = "student: {epochs: 1, batch_size: 32}";
    public const string Epochs2 = "student: {epochs: 2, batch_size: 32}";

    private readonly TempDir _a = new(), _b = new();

    public CleanQuickstarts()
    {
        Spec(_a, Epochs1);
        Spec(_b, Epochs2);
        foreach (var dir in new[] { _a, _b })
        {
            var run = Ablate.Run(dir.Path, "run", Path.Combine(dir.Path, "quickstart.yaml"), "--profile", "smoke");
            Assert.True(run.ExitCode == 0, run.All);
        }
        A = ReportedResults.Of(_a.Path, "quickstart");
        B = ReportedResults.Of(_b.Path, "quickstart");
        Assert.NotEqual(A, B);
    }

    /// <summary>results.csv (without run ids) of a clean workspace running A, and B.</summary>
    public IReadOnlyList<string> A { get; }
    public IReadOnlyList<string> B { get; }

    /// <summary>A new project folder holding a copy of workspace A, copied as a user would (`cp -r`: new file times).</summary>
    internal TempDir CopyOfA()
    {
        var dir = new TempDir();
        Spec(dir, Epochs1);
        Copy(_a.Root, dir.Root);
        return dir;
    }

    internal static void Spec(TempDir dir, string student) =>
        dir.Write("quickstart.yaml", File.ReadAllText(Repo.File("experiments/quickstart.yaml")).Replace(Epochs1, student, StringComparison.Ordinal));

    public static void Copy(string from, string to)
    {
        using var cp = Process.Start("cp", ["-r", from, to])!;
        cp.WaitForExit();
        Assert.Equal(0, cp.ExitCode);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}

/// <summary>
/// Issue 8, damaged artifacts and moved workspaces, on the real MobileCLIP chain (smoke profile): a changed stage
/// option, a damaged teacher reused by a later grid, `ablate verify [--repair]` on damaged, truncated and deleted
/// artifacts, and a workspace copied mid-run. Every scenario ends with the numbers of a clean workspace.
/// </summary>
[Collection("processes")]
public sealed class ArtifactTrustTests(CleanQuickstarts clean) : IClassFixture<CleanQuickstarts>
{
    private static AblateResult Run(TempDir dir, params string[] extra) =>
        Ablate.Run(dir.Path, ["run", Path.Combine(dir.Path, "quickstart.yaml"), "--profile", "smoke", .. extra]);

    private static StageRow Stage(TempDir dir, string type, int index = 0)
    {
        using var db = dir.Store().NewContext();
        return db.Stages.AsNoTracking().Where(s => s.Type == type).OrderBy(s => s.Hash).Skip(index).First();
    }

    private static string ArtifactFile(TempDir dir, StageRow stage, string name) => Path.Combine(dir.Workspace.ArtifactDir(stage.Hash), name);

    private static void ZeroMiddle(string file)
    {
        using var s = new FileStream(file, FileMode.Open);
        s.Position = Math.Max(0, s.Length / 2 - 32 * 1024);
        s.Write(new byte[Math.Min(64 * 1024, s.Length)]);
    }

    [Fact]
    public void ChangedStageOption_OnlyStudentsAndTheirEvalsRecompute_NumbersOfACleanWorkspace()
    {
        using var dir = clean.CopyOfA();
        CleanQuickstarts.Spec(dir, CleanQuickstarts.Epochs2);

        var plan = Ablate.Run(dir.Path, "plan", Path.Combine(dir.Path, "quickstart.yaml"), "--profile", "smoke");
        Assert.Contains("config: epochs 1 → 2", plan.Stdout);
        Assert.Contains("upstream: student (model)", plan.Stdout);
        var run = Run(dir);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("12 runs (12 new), 36 unique stages (24 new, 12 already done)", run.Stdout);
        Assert.Equal(clean.B, ReportedResults.Of(dir.Path, "quickstart"));
        using var db = dir.Store().NewContext();
        Assert.All(db.Stages.Where(s => s.Type == "teacher" || s.Type == "world"), s => Assert.Equal(1, s.Attempts)); // copied, reused, never re-run
    }

    /// <summary>
    /// A finished grid run again as planned writes nothing to the store (issue 11: it skips the submit), yet its artifacts
    /// are still checked: damaged after that, the same no-op run finds it and recomputes it.
    /// </summary>
    [Fact]
    public void NoOpReRun_WritesNothing_ADamagedArtifactOfTheSameGridIsStillFoundAndRecomputed()
    {
        using var dir = clean.CopyOfA();
        DateTime Updated() { using var db = dir.Store().NewContext(); return db.Experiments.Single().UpdatedAt; }
        var before = Updated();

        var again = Run(dir);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("revision 1 (unchanged): 12 runs (0 new), 36 unique stages (0 new, 36 already done), 0 enqueued now", again.Stdout);
        Assert.Equal(before, Updated());
        Assert.Equal(clean.A, ReportedResults.Of(dir.Path, "quickstart"));

        var teacher = Stage(dir, "teacher");
        ZeroMiddle(ArtifactFile(dir, teacher, "model.bin"));
        var repaired = Run(dir);
        Assert.True(repaired.ExitCode == 0, repaired.All);
        Assert.Contains($"artifact of teacher {teacher.Hash[..12]} is damaged: model.bin: content differs", repaired.Stderr.Replace("\n", ""));
        Assert.Equal(clean.A, ReportedResults.Of(dir.Path, "quickstart"));
        Assert.Equal(StageStatus.Succeeded, Stage(dir, "teacher").Status);
        Assert.Equal(0, Ablate.Run(dir.Path, "verify").ExitCode);
    }

    [Fact]
    public void DamagedTeacherReusedByALaterGrid_IsRecomputedNotUsed_NumbersOfACleanWorkspace()
    {
        using var dir = clean.CopyOfA();
        var teacher = Stage(dir, "teacher");
        ZeroMiddle(ArtifactFile(dir, teacher, "model.bin"));
        CleanQuickstarts.Spec(dir, CleanQuickstarts.Epochs2); // the later grid: students that reuse both teachers

        var run = Run(dir);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains($"artifact of teacher {teacher.Hash[..12]} is damaged: model.bin: content differs", run.Stderr.Replace("\n", ""));
        Assert.Equal(clean.B, ReportedResults.Of(dir.Path, "quickstart"));
        Assert.Contains("invalidated, will recompute: its artifact is damaged", File.ReadAllText(Path.Combine(dir.Workspace.LogsDir, teacher.Hash + ".log")));
        Assert.Equal(StageStatus.Succeeded, Stage(dir, "teacher").Status);
        Assert.Equal(0, Ablate.Run(dir.Path, "verify").ExitCode);
    }

    [Fact]
    public void InputTruncatedAfterSubmit_TheRunnerRecomputesItInsteadOfReadingIt_NumbersOfACleanWorkspace()
    {
        using var dir = clean.CopyOfA();
        CleanQuickstarts.Spec(dir, CleanQuickstarts.Epochs2);
        Assert.Equal(0, Ablate.Run(dir.Path, "submit", Path.Combine(dir.Path, "quickstart.yaml"), "--profile", "smoke").ExitCode);
        var embed = Stage(dir, "embed");
        var file = Directory.GetFiles(dir.Workspace.ArtifactDir(embed.Hash)).OrderByDescending(f => new FileInfo(f).Length).First();
        using (var s = new FileStream(file, FileMode.Open)) s.SetLength(s.Length / 3); // after submit checked it: only the reader can notice

        var runner = Ablate.Start(dir.Path, "runner", "--threads", "1");
        var store = dir.Store();
        var id = store.FindExperiment("quickstart")!.Id;
        try
        {
            Ablate.WaitUntil(() => new ExperimentProgress(store.StagesOf(id)).Finished, TimeSpan.FromSeconds(180), "the grid to finish on the runner");
        }
        finally
        {
            Ablate.StopRunners(runner);
        }
        Assert.Equal(0, Ablate.Run(dir.Path, "report", "quickstart").ExitCode);
        Assert.Equal(clean.B, ReportedResults.Of(dir.Path, "quickstart"));
        var log = File.ReadAllText(Path.Combine(dir.Workspace.LogsDir, embed.Hash + ".log"));
        Assert.Contains($"invalidated, will recompute: its artifact is damaged: {Path.GetFileName(file)}: ", log);
        Assert.All(store.StagesOf(id), s => Assert.Equal(StageStatus.Succeeded, s.Status));
        Assert.DoesNotContain(store.StagesOf(id), s => s.FailureKind is not null);
    }

    [Fact]
    public void Verify_FindsDamagedTruncatedAndDeletedArtifacts_RepairThenRunGivesTheCleanNumbers()
    {
        using var dir = clean.CopyOfA();
        var teacher = Stage(dir, "teacher");
        var embed = Stage(dir, "embed", 1);
        var student = Stage(dir, "student", 3);
        ZeroMiddle(ArtifactFile(dir, teacher, "model.bin"));
        var embedFile = Directory.GetFiles(dir.Workspace.ArtifactDir(embed.Hash)).OrderByDescending(f => new FileInfo(f).Length).First();
        using (var s = new FileStream(embedFile, FileMode.Open)) s.SetLength(s.Length / 2);
        Directory.Delete(dir.Workspace.ArtifactDir(student.Hash), recursive: true);

        var found = Ablate.Run(dir.Path, "verify");
        Assert.Equal(1, found.ExitCode);
        Assert.Contains("33 intact, 0 adopted, 2 damaged, 1 missing", found.Stdout);
        Assert.Contains(teacher.Hash[..12], found.Stdout);
        Assert.Contains($"{Path.GetFileName(embedFile)}: ", found.Stdout);
        Assert.Contains("the artifact folder is missing", found.Stdout);

        var repair = Ablate.Run(dir.Path, "verify", "--repair");
        Assert.True(repair.ExitCode == 0, repair.All);
        Assert.Contains("repaired: 3 stage(s) with a bad artifact", repair.Stdout);
        Assert.Contains("quickstart: ablate run", repair.Stdout);
        var status = Ablate.Run(dir.Path, "status", "quickstart");
        Assert.Contains("3 waiting", status.Stdout);

        var run = Run(dir);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Equal(clean.A, ReportedResults.Of(dir.Path, "quickstart"));
        var again = Ablate.Run(dir.Path, "verify");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("36 intact", again.Stdout);
        Assert.Equal(1, Stage(dir, "student", 1).Attempts); // what was computed from the teacher read it intact and is kept
    }

    [Fact]
    public void ArtifactRootNotVisible_RunStopsWithExit3AndInvalidatesNothing_BackInPlaceItReusesEverything()
    {
        using var dir = clean.CopyOfA();
        var away = dir.Workspace.ArtifactsDir + ".away";
        Directory.Move(dir.Workspace.ArtifactsDir, away); // a share not mounted on this node

        var blind = Run(dir);

        Assert.Equal(3, blind.ExitCode);
        Assert.Contains("none of the 36 artifacts the results store records is there", blind.Stderr.Replace("\n", ""));
        using (var db = dir.Store().NewContext())
        {
            Assert.Equal(36, db.Stages.Count(s => s.Status == StageStatus.Succeeded));
            Assert.Equal(36, db.Artifacts.Count());
        }
        Assert.False(Directory.Exists(dir.Workspace.ArtifactsDir)); // the blind run, a re-run of a finished grid, wrote nothing
        Directory.Move(away, dir.Workspace.ArtifactsDir);
        var back = Run(dir);
        Assert.True(back.ExitCode == 0, back.All);
        Assert.Contains("36 unique stages (0 new, 36 already done), 0 enqueued now", back.Stdout);
        Assert.Equal(clean.A, ReportedResults.Of(dir.Path, "quickstart"));
    }

    [Fact]
    public void WorkspaceCopiedAfterAKillMidRun_ResumesInTheCopy_NumbersOfACleanWorkspace()
    {
        using var dir = new TempDir();
        CleanQuickstarts.Spec(dir, CleanQuickstarts.Epochs1);
        var run = Ablate.Start(dir.Path, "run", Path.Combine(dir.Path, "quickstart.yaml"), "--profile", "smoke");
        var store = dir.Store();
        int Succeeded() { using var db = store.NewContext(); return db.Stages.Count(s => s.Status == StageStatus.Succeeded); }
        Ablate.WaitUntil(() => Succeeded() >= 6 || run.HasExited, TimeSpan.FromSeconds(120), "world, teachers and their embeddings");
        run.Kill(entireProcessTree: true);
        run.WaitForExit();
        Assert.InRange(Succeeded(), 6, 30); // killed mid-run

        using var copy = new TempDir();
        CleanQuickstarts.Spec(copy, CleanQuickstarts.Epochs1);
        CleanQuickstarts.Copy(dir.Root, copy.Root);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir.Root, recursive: true); // the old place is gone: nothing may still point at it

        var resumed = Run(copy);
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Equal(clean.A, ReportedResults.Of(copy.Path, "quickstart"));
        using var db = copy.Store().NewContext();
        Assert.All(db.Artifacts.AsNoTracking().ToList(), a => Assert.False(Path.IsPathRooted(a.Path), a.Path));
        Assert.Equal(1, db.Stages.Single(s => s.Type == "world").Attempts); // done before the kill, reused from the copy
    }
}

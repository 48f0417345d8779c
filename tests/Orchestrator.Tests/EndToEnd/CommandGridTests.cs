using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>Whole grids of `command` stages through the real CLI, Hangfire (SQLite storage) and the SQLite results store.</summary>
[Collection("processes")]
public sealed class CommandGridTests
{
    [Fact]
    public void Run_Grid_AllRunsSucceed_ThenRerunReusesAndNewValueRunsOnlyNewCells()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("toy.yaml", Fixtures.Spec("toy", "[1, 2]", "[3, 4]"));

        var first = Ablate.Run(dir.Path, "run", spec);
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("8 runs (8 new)", first.Stdout);

        var csv = File.ReadAllLines(Path.Combine(dir.Path, "reports", "toy", "results.csv"));
        Assert.Equal(9, csv.Length);
        Assert.Contains("2,4,2,succeeded", string.Join('\n', csv)); // a=2, b=4, seed 2
        using (var db = dir.Store().NewContext())
        {
            Assert.Equal(8, db.Stages.Count(s => s.Status == StageStatus.Succeeded));
            Assert.Equal(8 * 3, db.Metrics.Count(m => m.Name == "loss"));
            Assert.Equal(24.02, db.Metrics.Where(m => m.Name == "score").Max(m => m.Value), 6);
        }

        var again = Ablate.Run(dir.Path, "run", spec);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("8 runs (0 new), 8 unique stages (0 new, 8 already done)", again.Stdout);

        dir.Write("toy.yaml", Fixtures.Spec("toy", "[1, 2, 5]", "[3, 4]"));
        var wider = Ablate.Run(dir.Path, "run", spec);
        Assert.True(wider.ExitCode == 0, wider.All);
        Assert.Contains("12 runs (4 new), 12 unique stages (4 new, 8 already done)", wider.Stdout);
        using var db2 = dir.Store().NewContext();
        Assert.Equal(12, db2.Stages.Count(s => s.Status == StageStatus.Succeeded && s.Attempts == 1));
    }

    [Fact]
    public void Run_OneCellFails_ItsRunsFailWithReason_OthersSucceed()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("mixed.yaml", Fixtures.Spec("mixed", "[1]", "[2, 99]", seeds: "[1]"));

        var result = Ablate.Run(dir.Path, "run", spec);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ExternalFailure", result.Stderr);
        Assert.Contains("diverged badly", result.Stderr);
        using var db = dir.Store().NewContext();
        var failed = db.Stages.Single(s => s.Status == StageStatus.Failed);
        Assert.Equal("ExternalFailure", failed.FailureKind);
        Assert.Equal(1, failed.Attempts); // deterministic: not retried
        Assert.Contains("exited with code 3", failed.Error);
        Assert.Single(db.Stages.Where(s => s.Status == StageStatus.Succeeded));
        var status = Ablate.Run(dir.Path, "status", "mixed");
        Assert.Contains("failed", status.Stdout);
    }

    [Fact]
    public void Validate_BrokenSpec_EveryProblemWithPositionAndExit2()
    {
        using var dir = new TempDir();
        var spec = dir.Write("broken.yaml", """
            name: broken
            program: train.sh
            paramters:
              a: {values: [1, 2]}
            method: gird
            """);

        var result = Ablate.Run(dir.Path, "validate", spec);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"broken\.yaml:3:1: .*paramters.*parameters", result.Stderr);
        Assert.Matches(@"broken\.yaml:5:9: .*gird", result.Stderr);
    }

    [Fact]
    public void Validate_MissingFile_Exit2WithMessage()
    {
        using var dir = new TempDir();
        var result = Ablate.Run(dir.Path, "validate", "nope.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope.yaml", result.Stderr);
    }

    [Fact]
    public void Validate_MissingProgram_Exit2NamingThePath()
    {
        using var dir = new TempDir();
        var spec = dir.Write("p.yaml", Fixtures.Spec("p", "[1]", "[1]"));
        var result = Ablate.Run(dir.Path, "validate", spec);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("train.sh", result.Stderr);
        Assert.Contains("not found", result.Stderr);
    }

    [Fact]
    public void Status_UnknownExperiment_Exit2ListsKnownOnes()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        Ablate.Run(dir.Path, "submit", dir.Write("s.yaml", Fixtures.Spec("known_one", "[1]", "[1]", seeds: "[1]")));
        var result = Ablate.Run(dir.Path, "status", "unknown_one");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("known_one", result.Stderr);
    }
}

using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// The MobileCLIP chain world → teacher → captioner → captions → embed → student → eval on the smoke profile of a
/// shipped experiment, through the real CLI, Hangfire, SQLite and TorchSharp runner process.
/// </summary>
[Collection("processes")]
public sealed class ReinforcedSmokeTests
{
    [Fact]
    public void Run_CaptionerFinetuneSmoke_EveryStageTypeRunsAndTheReportIsWritten()
    {
        using var dir = new TempDir();
        var result = Ablate.Run(dir.Path, "run", Repo.File("experiments/captioner-finetune.yaml"), "--profile", "smoke", "--threads", "1");

        Assert.True(result.ExitCode == 0, result.All);
        using var db = dir.Store().NewContext();
        var stages = db.Stages.AsNoTracking().ToList();
        Assert.All(stages, s => Assert.Equal(StageStatus.Succeeded, s.Status));
        Assert.Equal(["captioner", "captions", "embed", "eval", "kd_targets", "student", "teacher", "world"], stages.Select(s => s.Type).Distinct().Order());
        Assert.Equal(1, stages.Count(s => s.Type == "world"));
        Assert.Equal(2, stages.Count(s => s.Type == "captioner")); // pretrained and fine-tuned, shared by all runs

        var results = ResultsReader.Load(dir.Store(), "captioner-finetune");
        Assert.Equal(3, results.Runs.Count);
        Assert.All(results.Runs, r =>
        {
            Assert.InRange(r.Metrics["zeroshot_avg"], 0.0, 1.0);
            Assert.Contains(r.Curves.Keys, k => k == "student.loss" || k.StartsWith("student.", StringComparison.Ordinal));
        });
        Assert.True(File.Exists(Path.Combine(dir.Path, "reports", "captioner-finetune", "index.html")));
    }
}

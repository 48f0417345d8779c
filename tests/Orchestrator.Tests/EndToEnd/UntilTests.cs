using System.Text.Json;
using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// `ablate run SPEC --until KIND` through the real CLI: each run stops after its stage of that kind, under the experiment
/// NAME-until-KIND, so the KD targets of every cell can be diagnosed before any student trains, and the full run then
/// reuses every stage the cut one computed.
/// </summary>
[Collection("processes")]
public sealed class UntilTests
{
    [Fact]
    public void Run_UntilKdTargets_DiagnosesEveryKdCellWithoutTrainingAStudent_AndTheFullPlanReusesIt()
    {
        using var dir = new TempDir();
        var spec = Repo.File("experiments/quickstart.yaml");
        var result = Ablate.Run(dir.Path, "run", spec, "--profile", "smoke", "--threads", "1", "--until", "kd_targets");
        Assert.True(result.ExitCode == 0, result.All);

        using (var db = dir.Store().NewContext())
        {
            var stages = db.Stages.AsNoTracking().ToList();
            Assert.All(stages, s => Assert.Equal(StageStatus.Succeeded, s.Status));
            // What the diagnosis reads and nothing more: no student, no evaluation.
            Assert.Equal(["embed", "kd_targets", "teacher", "world"], stages.Select(s => s.Type).Distinct().Order());
            Assert.Equal(5, stages.Count(s => s.Type == "kd_targets")); // t_a, t_b, t_a+t_b at 5, 20, 50
        }

        var results = ResultsReader.Load(dir.Store(), "quickstart-until-kd_targets");
        Assert.Equal(10, results.Runs.Count); // the 5 KD cells × 2 seeds; the no-KD baseline has no KD targets
        Assert.All(results.Runs, r => Assert.InRange(r.Metrics["entropy"], 0.0, 1.0));
        Assert.Throws<KeyNotFoundException>(() => ResultsReader.Load(dir.Store(), "quickstart")); // the spec's own experiment is untouched
        var tables = Directory.GetFiles(Path.Combine(dir.Path, "reports", "quickstart-until-kd_targets", "tables"), "*.md");
        Assert.Contains(tables, t => File.ReadAllText(t).Contains("entropy") && File.ReadAllText(t).Contains("t_a+t_b"));

        // The full plan finds every stage the cut run made: world, 2 teachers, 2 embeddings, 5 diagnoses.
        var plan = Ablate.Run(dir.Path, "plan", spec, "--profile", "smoke", "--json");
        Assert.True(plan.ExitCode == 0, plan.All);
        using var json = JsonDocument.Parse(plan.Stdout);
        Assert.Equal(10, json.RootElement.GetProperty("stages").GetProperty("reused").GetInt32());
    }

    [Fact]
    public void Plan_UntilAKindNoRunHas_OrHasTwice_IsRefusedNamingTheKindsThatWork()
    {
        using var dir = new TempDir();
        var spec = Repo.File("experiments/quickstart.yaml");

        var typo = Ablate.Run(dir.Path, "plan", spec, "--until", "kd_target");
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("--until kd_target: the plan of quickstart has no 'kd_target' stage", typo.Stderr);
        Assert.Contains("kd_targets", typo.Stderr);

        var twice = Ablate.Run(dir.Path, "plan", spec, "--until", "embed"); // one embedding per teacher: 2 in an ensemble run
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("has 2 'embed' stages", twice.Stderr);
        Assert.False(Directory.Exists(dir.Root) && File.Exists(Path.Combine(dir.Root, "ablations.db")) && dir.Store().NewContext().Experiments.Any());
    }
}

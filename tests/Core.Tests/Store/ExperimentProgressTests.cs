using Ablations.Core.Store;
using Ablations.Core.Store.Entities;

namespace Ablations.Core.Tests.Store;

public sealed class ExperimentProgressTests
{
    private static StageRow Stage(string type, StageStatus status, double progress = 0, double? seconds = null) => new()
    {
        Hash = Guid.NewGuid().ToString("N"), Type = type, ConfigJson = "{}", InputsJson = "{}", Queue = "default",
        Status = status, Progress = progress, DurationSeconds = seconds,
    };

    [Fact]
    public void Fraction_WeighsStagesByExpectedDuration_MeasuredBeforePrior()
    {
        // one world done (3 s prior), a teacher half way (90 s prior), ten students waiting (17 s prior)
        var stages = new List<StageRow> { Stage("world", StageStatus.Succeeded), Stage("teacher", StageStatus.Running, 0.5) };
        stages.AddRange(Enumerable.Range(0, 10).Select(_ => Stage("student", StageStatus.Pending)));
        Assert.Equal((3 + 45) / (3 + 90 + 170.0), new ExperimentProgress(stages).Fraction, 9);

        // a finished student that took 4 s re-weighs every student
        stages[2] = Stage("student", StageStatus.Succeeded, 1, 4);
        Assert.Equal((3 + 45 + 4) / (3 + 90 + 40.0), new ExperimentProgress(stages).Fraction, 9);
    }

    [Fact]
    public void Eta_UsesThePaceSinceStart_NotTheWorkReusedBeforeIt()
    {
        var stages = Enumerable.Range(0, 4).Select(k => Stage("command", k < 3 ? StageStatus.Succeeded : StageStatus.Pending)).ToList();
        var p = new ExperimentProgress(stages);
        Assert.Null(p.Eta(TimeSpan.FromSeconds(10), startFraction: 0.75)); // nothing done in this session yet
        Assert.Equal(TimeSpan.FromSeconds(5), p.Eta(TimeSpan.FromSeconds(10), startFraction: 0.25)); // half the work in 10 s, a quarter left
        Assert.Null(new ExperimentProgress([Stage("command", StageStatus.Succeeded)]).Eta(TimeSpan.FromSeconds(1)));
    }
}

using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Tests.Spec;

public class SpecLoaderTests
{
    private const string Native = """
        name: quickstart
        description: KD vs no-KD, teacher ensembles, KD temperature
        pipeline: reinforced
        method: grid
        metric: {name: zeroshot_avg, goal: maximize}
        seeds: [1, 2]
        run_cap: 100
        design: full
        baseline: {student.teachers: [], student.lambda: 1.0}
        stages:
          world: {seed: 7, image_size: 32, web_pool: 20000}
          teacher: {epochs: 6}
          student: {arch: cnn-tiny, epochs: 6, lambda: 1.0, teachers: [], kd: {scale: 20}}
        variants:
          teachers:
            t_a: {arch: cnn-base, pool: filtered, seed: 11, kd_scale: 20}
            t_b: {arch: vit-small, pool: filtered, seed: 12, kd_scale: 30}
          captioners:
            cap: {finetune: false}
            cap_ft: {finetune: true}
        parameters:
          student.teachers:
            values: [[], [t_a], [t_b], [t_a, t_b]]
          student:
            parameters:
              caption_mix: {values: [cap, cap_ft]}
          student.epochs: {value: 6}
        zip:
          - {student.kd.scale: [5, 20], student.lambda: [1.0, 0.5]}
        include: [{student.teachers: [t_a], student.kd.scale: 70}]
        exclude: [{student.teachers: [], student.kd.scale: 5}]
        profiles:
          smoke: {stages: {world: {web_pool: 256}}, seeds: [1]}
        resources:
          teacher: {queue: gpu, devices: ["cuda:0"]}
          default: {queue: default}
        """;

    [Fact]
    public void Parse_NativeExample_ProducesSpec()
    {
        var spec = SpecText.Ok(Native);
        Assert.Equal("quickstart", spec.Name);
        Assert.Equal("reinforced", spec.Pipeline);
        Assert.Equal(SweepMethod.Grid, spec.Method);
        Assert.Equal(new MetricSpec("zeroshot_avg", MetricGoal.Maximize), spec.Metric);
        Assert.Equal([1L, 2L], spec.Seeds);
        Assert.Equal(100, spec.RunCap);
        Assert.Equal(["student.teachers", "student.caption_mix", "student.kd.scale|student.lambda"], spec.Axes.Select(a => string.Join("|", a.Keys)));
        Assert.True(spec.Axes[2].IsZip);
        Assert.Equal(6L, spec.Fixed["student.epochs"]!.GetValue<long>());
        Assert.Equal(20000L, spec.Stages["world"]!["web_pool"]!.GetValue<long>());
        Assert.Equal(["t_a", "t_b"], spec.Variants["teachers"].Keys);
        Assert.Equal("gpu", spec.Resources["teacher"].Queue);
        Assert.Equal(["cuda:0"], spec.Resources["teacher"].Devices);
        Assert.Single(spec.Include);
        Assert.Single(spec.Exclude);
        Assert.Null(spec.Profile);
        Assert.Null(spec.Command);
        Assert.Equal(Native, spec.SourceText);
    }

    [Fact]
    public void Parse_SmokeProfile_MergesOverRoot()
    {
        var spec = SpecText.Ok(Native, "smoke");
        Assert.Equal("smoke", spec.Profile);
        Assert.Equal([1L], spec.Seeds);
        Assert.Equal(256L, spec.Stages["world"]!["web_pool"]!.GetValue<long>());
        Assert.Equal(32L, spec.Stages["world"]!["image_size"]!.GetValue<long>());
    }
}

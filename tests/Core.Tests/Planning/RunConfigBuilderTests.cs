using Ablations.Core.Planning;
using Ablations.Core.Tests.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Tests.Planning;

public class RunConfigBuilderTests
{
    private const string Yaml = """
        name: rc
        stages:
          student: {arch: cnn-tiny, lambda: 1.0, kd: {scale: 20}}
          world: {seed: 7}
        variants: {teachers: {t_a: {}}}
        parameters:
          student.kd.scale: {values: [5]}
          student.teachers: {values: [[t_a]]}
          student.epochs: {value: 6}
          eval.tasks: {value: [color, shape]}
        """;

    [Fact]
    public void Build_Cell_MergesFixedAndCellParamsSortedByKey()
    {
        var spec = SpecText.Ok(Yaml);
        var cell = GridExpander.Expand(spec).Cells[0];
        var (runParams, _) = RunConfigBuilder.Build(spec, cell);
        Assert.Equal(["eval.tasks", "student.epochs", "student.kd.scale", "student.teachers"], runParams.Keys);
        Assert.Equal(6L, runParams["student.epochs"]!.GetValue<long>());
    }

    [Fact]
    public void Build_Cell_WritesParamsAtDottedPathsOverStageDefaults()
    {
        var spec = SpecText.Ok(Yaml);
        var (_, config) = RunConfigBuilder.Build(spec, GridExpander.Expand(spec).Cells[0]);
        Assert.Equal(5L, config["student"]!["kd"]!["scale"]!.GetValue<long>());
        Assert.Equal("cnn-tiny", config["student"]!["arch"]!.GetValue<string>());
        Assert.Equal(6L, config["student"]!["epochs"]!.GetValue<long>());
        Assert.Equal("t_a", config["student"]!["teachers"]![0]!.GetValue<string>());
        Assert.Equal("shape", config["eval"]!["tasks"]![1]!.GetValue<string>());
        Assert.Equal(7L, config["world"]!["seed"]!.GetValue<long>());
    }

    [Fact]
    public void Build_Cell_LeavesSpecStagesUntouched()
    {
        var spec = SpecText.Ok(Yaml);
        var before = spec.Stages.ToJsonString();
        var (runParams, config) = RunConfigBuilder.Build(spec, GridExpander.Expand(spec).Cells[0]);
        config["student"]!["arch"] = "changed";
        Assert.Equal(before, spec.Stages.ToJsonString());
        _ = new JsonArray(runParams["student.teachers"]);
    }
}

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
          teacher: {queue: gpu, devices: 2, memory_gb: 40}
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
        Assert.Equal((2, (double?)40), (spec.Resources["teacher"].Devices, spec.Resources["teacher"].MemoryGb));
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

public class SpecLoaderFormatTests
{
    [Fact]
    public void Parse_WandbSweep_IsCommandPipelineWithDefaults()
    {
        var spec = SpecText.Ok("""
            program: train.py
            method: grid
            entity: my-team
            project: my-project
            metric: {name: val_loss, goal: minimize}
            parameters:
              learning_rate: {values: [0.01, 0.001]}
              optimizer: {value: adam}
            command:
              - ${env}
              - ${interpreter}
              - ${program}
              - ${args}
            """);
        Assert.Equal("spec", spec.Name);
        Assert.Equal("command", spec.Pipeline);
        Assert.Equal(new MetricSpec("val_loss", MetricGoal.Minimize), spec.Metric);
        Assert.Equal("train.py", spec.Command!.Program);
        Assert.Equal(["${env}", "${interpreter}", "${program}", "${args}"], spec.Command.Command);
        Assert.Equal("adam", spec.Fixed["optimizer"]!.GetValue<string>());
        Assert.Equal([0.01, 0.001], spec.Axes[0].Values.Select(v => v[0]!.GetValue<double>()));
        Assert.Equal([0L], spec.Seeds);
    }

    [Fact]
    public void Parse_ProgramWithoutCommand_UsesWandbDefaultCommand()
    {
        var spec = SpecText.Ok("program: train.py\nparameters: {lr: {values: [1]}}\n");
        Assert.Equal(["${env}", "${interpreter}", "${program}", "${args}"], spec.Command!.Command);
    }

    [Fact]
    public void Parse_CommandOptions_ReadsWorkingDirEnvAndTimeout()
    {
        var spec = SpecText.Ok("""
            name: cmd
            command: [python, train.py, "${args}"]
            command_options: {working_dir: scripts, env: {OMP_NUM_THREADS: 1, MODE: fast}, timeout: 1h30m}
            parameters: {lr: {values: [1]}}
            """);
        Assert.Equal("command", spec.Pipeline);
        Assert.Null(spec.Command!.Program);
        Assert.Equal("scripts", spec.Command.WorkingDirectory);
        Assert.Equal("1", spec.Command.Environment["OMP_NUM_THREADS"]);
        Assert.Equal(TimeSpan.FromMinutes(90), spec.Command.Timeout);
    }

    [Theory]
    [InlineData("600", 600)]
    [InlineData("10m", 600)]
    [InlineData("90s", 90)]
    [InlineData("2h", 7200)]
    public void Parse_CommandTimeout_AcceptsSecondsAndDurations(string text, int seconds)
    {
        var spec = SpecText.Ok($"name: c\nprogram: t.py\ncommand_options: {{timeout: {text}}}\n");
        Assert.Equal(TimeSpan.FromSeconds(seconds), spec.Command!.Timeout);
    }

    [Fact]
    public void Parse_ScalarTypes_FollowYamlCoreSchemaAndQuoting()
    {
        var spec = SpecText.Ok("""
            name: types
            parameters:
              a: {value: 5}
              b: {value: "5"}
              c: {value: 1.5e-3}
              d: {value: true}
              e: {value: null}
              f: {value: 'true'}
              g: {value: !!str 7}
              h: {value: [1, x]}
              i: {value: {k: 1}}
              j: {value: 0x10}
              k: {value: ! 12}
            """);
        Assert.Equal("12", spec.Fixed["k"]!.GetValue<string>());
        Assert.Equal(5L, spec.Fixed["a"]!.GetValue<long>());
        Assert.Equal("5", spec.Fixed["b"]!.GetValue<string>());
        Assert.Equal(0.0015, spec.Fixed["c"]!.GetValue<double>());
        Assert.True(spec.Fixed["d"]!.GetValue<bool>());
        Assert.Null(spec.Fixed["e"]);
        Assert.Equal("true", spec.Fixed["f"]!.GetValue<string>());
        Assert.Equal("7", spec.Fixed["g"]!.GetValue<string>());
        Assert.IsType<JsonArray>(spec.Fixed["h"]);
        Assert.IsType<JsonObject>(spec.Fixed["i"]);
        Assert.Equal(16L, spec.Fixed["j"]!.GetValue<long>());
    }

    [Fact]
    public void Parse_DottedKeysInStages_EqualNestedKeys()
    {
        var spec = SpecText.Ok("""
            name: d
            stages:
              student: {arch: cnn-tiny}
              student.kd.scale: 5
            stages.world.seed: 3
            """);
        Assert.Equal(5L, spec.Stages["student"]!["kd"]!["scale"]!.GetValue<long>());
        Assert.Equal("cnn-tiny", spec.Stages["student"]!["arch"]!.GetValue<string>());
        Assert.Equal(3L, spec.Stages["world"]!["seed"]!.GetValue<long>());
    }

    [Fact]
    public void Parse_NestedParameters_BecomeDottedKeys()
    {
        var spec = SpecText.Ok("""
            name: n
            parameters:
              student:
                parameters:
                  lambda: {values: [0.5, 1.0]}
                  kd:
                    parameters:
                      scale: {value: 20}
            """);
        Assert.Equal("student.lambda", spec.Axes.Single().Keys.Single());
        Assert.True(spec.Fixed.ContainsKey("student.kd.scale"));
    }

    [Fact]
    public void Parse_ProfileWithDottedKeysAndParameters_OverridesRoot()
    {
        var spec = SpecText.Ok("""
            name: p
            stages: {world: {web_pool: 20000, seed: 1}}
            parameters:
              a: {values: [1, 2, 3]}
              b: {values: [x, y]}
            profiles:
              smoke:
                stages.world.web_pool: 256
                parameters: {a: {value: 1}}
                run_cap: 3
            """, "smoke");
        Assert.Equal(256L, spec.Stages["world"]!["web_pool"]!.GetValue<long>());
        Assert.Equal(1L, spec.Stages["world"]!["seed"]!.GetValue<long>());
        Assert.Equal(["b"], spec.Axes.Select(a => a.Keys[0]));
        Assert.Equal(1L, spec.Fixed["a"]!.GetValue<long>());
        Assert.Equal(3, spec.RunCap);
    }

    [Fact]
    public void Parse_RandomMethod_ReadsAndInfersDistributions()
    {
        var spec = SpecText.Ok("""
            name: r
            method: random
            run_cap: 10
            parameters:
              lr: {distribution: log_uniform_values, min: 1e-5, max: 1e-2}
              epochs: {min: 1, max: 5}
              wd: {min: 0.0, max: 0.1}
              opt: {values: [adam, sgd], probabilities: [0.75, 0.25]}
              arch: {values: [a, b]}
            """);
        Assert.Equal(["log_uniform_values", "int_uniform", "uniform", "categorical", "categorical"], spec.Axes.Select(a => a.Distribution!.Kind));
        Assert.Equal(1e-5, spec.Axes[0].Distribution!.Min);
        Assert.Equal([0.75, 0.25], spec.Axes[3].Distribution!.Probabilities!);
        Assert.Empty(spec.Axes[0].Values);
        Assert.Equal(2, spec.Axes[4].Values.Count);
    }

    [Fact]
    public void Parse_SingleSeedAndAnchors_AreAccepted()
    {
        var spec = SpecText.Ok("""
            name: s
            seeds: 3
            stages:
              teacher: &common {epochs: 6}
              student: *common
            """);
        Assert.Equal([3L], spec.Seeds);
        Assert.Equal(6L, spec.Stages["student"]!["epochs"]!.GetValue<long>());
    }

    [Fact]
    public void Load_ExistingFile_ReadsItAndKeepsText()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spec-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "name: f\nparameters: {a: {values: [1]}}\n");
        try
        {
            var result = SpecLoader.Load(path);
            Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
            Assert.Equal(path, result.Spec!.SourcePath);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_FileWithUtf8Bom_IsRead()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spec-{Guid.NewGuid():N}.yaml");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "name: bom\ndescription: caf\u00e9\n"u8.ToArray()]);
        try
        {
            var result = SpecLoader.Load(path);
            Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
            Assert.Equal("bom", result.Spec!.Name);
            Assert.Equal("caf\u00e9", result.Spec.Description);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_ReturnsDiagnostic()
    {
        var result = SpecLoader.Load("/nonexistent/dir/x.yaml");
        Assert.False(result.Ok);
        Assert.Contains("file not found", result.Diagnostics.Single().Message);
    }

    [Fact]
    public void Parse_MergeKeys_MergeAnchoredMappings()
    {
        var spec = SpecText.Ok("""
            name: m
            stages:
              teacher: &base {epochs: 6, arch: cnn-base}
              student: {<<: *base, arch: cnn-tiny}
              eval: {<<: [*base, {batch: 64}]}
            """);
        Assert.Equal(6L, spec.Stages["student"]!["epochs"]!.GetValue<long>());
        Assert.Equal("cnn-tiny", spec.Stages["student"]!["arch"]!.GetValue<string>());
        Assert.Equal(64L, spec.Stages["eval"]!["batch"]!.GetValue<long>());
        Assert.False(spec.Stages["student"]!.AsObject().ContainsKey("<<"));
    }
}

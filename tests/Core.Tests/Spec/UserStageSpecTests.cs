using Ablations.Core.Planning;

namespace Ablations.Core.Tests.Spec;

/// <summary>A spec's own pipeline: what a stage's hash covers is checked at its place in the file, and planning shares stages across what they do not read.</summary>
public sealed class UserStageSpecTests
{
    private const string ThreeStages = """
        name: own
        seeds: [1, 2]
        parameters:
          teachers: {values: [a, ab]}
          kd: {values: [5, 20, 50]}
        pipeline:
          gen:
            command: [bash, -c, "echo ${param.teachers} > ${out}/d"]
            params: [teachers]
            per_seed: false
          train:
            command: [bash, -c, "cat ${in.gen}/d > ${out}/m; echo ${param.kd} ${seed}"]
            inputs: [gen]
            params: [kd]
          eval:
            command: [bash, -c, "cat ${in.train}/m"]
            inputs: [train]
            params: []
        resources:
          train: {queue: gpu}
        """;

    [Fact]
    public void Plan_StageSharedAcrossTheParametersAndSeedsItDoesNotRead()
    {
        var plan = Planner.Plan(SpecText.Ok(ThreeStages));

        Assert.Equal(12, plan.Runs.Count); // 2 × 3 cells × 2 seeds
        var byKind = plan.Stages.GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, byKind["gen"]); // one per teacher list: shared by every kd and seed
        Assert.Equal(12, byKind["train"]);
        Assert.Equal(12, byKind["eval"]);
        Assert.All(plan.Stages, s => Assert.Equal("command", s.Type));
        Assert.All(plan.Stages.Where(s => s.Kind == "train"), s => Assert.Equal("gpu", s.Queue));
        Assert.All(plan.Stages.Where(s => s.Kind != "train"), s => Assert.Equal("default", s.Queue));
        var train = plan.Stages.First(s => s.Kind == "train");
        Assert.Equal(["kd"], train.Config["params"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["gen"], train.Inputs.Keys);
        Assert.Equal(0, plan.Stages.First(s => s.Kind == "gen").Config["seed"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("inputs: [gen], params: [lr]", "params: [lr]", "'lr' is not one of the parameters; did you mean 'kd'?")]
    [InlineData("inputs: [gen], params: [teachers]", "command:", "passes ${param.kd} but params does not list 'kd'")]
    [InlineData("params: [kd]", "command:", "reads ${in.gen} but inputs does not list 'gen'")]
    [InlineData("inputs: [eval], params: [kd]", "inputs: [eval]", "'eval' is not one of the earlier stages")]
    [InlineData("inputs: [gen], params: [kd], per_seed: false", "command:", "passes ${seed} but per_seed is false")]
    [InlineData("inputs: [gen], params: [kd], gpus: 2", "gpus", "'gpus'")]
    public void Parse_AStageWhoseHashWouldMissWhatItReads_IsPlacedAtThatEntry(string trainKeys, string placedAt, string fragment)
    {
        var yaml = """
            name: own
            parameters: {teachers: {values: [a]}, kd: {values: [5]}}
            pipeline:
              gen: {command: [bash, -c, "echo ${param.teachers} > ${out}/d"], params: [teachers], per_seed: false}
              train: {TRAIN,
                command: [bash, -c, "cat ${in.gen}/d; echo ${param.kd} ${seed}"]}
              eval: {command: [cat, "${in.train}/d"], inputs: [train]}
            """.Replace("TRAIN", trainKeys, StringComparison.Ordinal);
        var lines = yaml.Split('\n');
        // The place: the list entry for a command problem, else the key or value named by placedAt.
        var (line, column) = placedAt == "command:"
            ? (6, lines[5].IndexOf("\"cat", StringComparison.Ordinal) + 1)
            : (5, lines[4].IndexOf(placedAt.Split(':')[0].Split(' ')[^1].TrimStart('['), StringComparison.Ordinal) + 1);
        if (placedAt is "params: [lr]" or "inputs: [eval]") column = lines[4].IndexOf(placedAt[(placedAt.IndexOf('[') + 1)..^1], StringComparison.Ordinal) + 1;
        SpecText.Has(SpecText.Errors(yaml), line, column, fragment);
    }

    private const string Mixed = """
        name: mixed
        seeds: [1, 2]
        parameters:
          pool: {values: [web, filtered]}
          tag: {values: [x, y]}
        pipeline:
          data:
            type: world
            options: {image_size: 16, web_pool: 128}
          teacher:
            type: teacher
            inputs: {world: data}
            options:
              pool: ${param.pool}
              seed: ${seed}
              epochs: 1
          export:
            command: [python3, export.py, "${in.teacher}", "${out}", "${param.tag}"]
            inputs: [teacher]
            params: [tag]
          eval:
            type: eval
            inputs: {world: data, model: export}
        """;

    [Fact]
    public void Plan_BuiltInStagesBesideOwnPrograms_TakeTheirOptionsAndRolesAndShareWhatTheyDoNotRead()
    {
        var plan = Planner.Plan(SpecText.Ok(Mixed));

        Assert.Equal(8, plan.Runs.Count); // 2 pools × 2 tags × 2 seeds
        var byKind = plan.Stages.GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Single(byKind["data"]); // options hold no placeholder: one world for every run
        Assert.Equal(4, byKind["teacher"].Count); // per pool and seed, shared by both tags
        Assert.Equal(8, byKind["export"].Count);
        Assert.Equal(["world", "teacher", "command", "eval"], byKind.Values.Select(v => v[0].Type));
        var teacher = byKind["teacher"].Select(s => s.Config).First(c => c["seed"]!.GetValue<long>() == 2 && c["pool"]!.GetValue<string>() == "filtered");
        Assert.Equal("cnn-base", teacher["arch"]!.GetValue<string>()); // defaults filled in, so an explicit default hashes alike
        Assert.Equal(16, byKind["data"][0].Config["image_size"]!.GetValue<int>());
        var eval = byKind["eval"][0];
        Assert.Equal(["model", "world"], eval.Inputs.Keys.Order());
    }

    [Theory]
    [InlineData("inputs: {world: data, model: export}", "inputs: {world: data}", "{world: data}", "a eval stage needs input 'model'")]
    [InlineData("inputs: {world: data, model: export}", "inputs: {world: data, model: export, teacher: teacher}", "teacher: teacher", "does not read 'teacher'; it reads world, model")]
    [InlineData("inputs: {world: data, model: export}", "inputs: {world: data, model: exprot}", "exprot", "'exprot' is not one of the earlier stages")]
    [InlineData("type: eval", "type: evl", "evl", "evl")]
    [InlineData("type: eval", "type: command", "command", "needs no type")]
    [InlineData("inputs: {world: data, model: export}", "inputs: {world: data, model: export}\n    timeout: 5m", "timeout", "belongs to a stage that runs your own program")]
    [InlineData("inputs: {world: data, model: export}", "inputs: {world: data, model: export}\n    options: {tasks: \"${param.poo}\"}", "\"${param.poo}",  "'poo' is not one of the parameters")]
    [InlineData("inputs: {world: data, model: export}", "inputs: {world: data, model: export}\n    options: {tasks: \"t-${seed}\"}", "\"t-", "whole value")]
    public void Parse_ABuiltInStageWithoutWhatItsExecutorReads_IsAProblemAtItsPlace(string old, string replacement, string placedAt, string fragment)
    {
        var yaml = Mixed.Replace("    type: eval\n    " + old, "    type: eval\n    " + replacement, StringComparison.Ordinal);
        if (old == "type: eval") yaml = Mixed.Replace("    type: eval\n", "    " + replacement + "\n", StringComparison.Ordinal);
        Assert.NotEqual(Mixed, yaml);
        var lines = yaml.Split('\n');
        var line = Array.FindLastIndex(lines, l => l.Contains(placedAt, StringComparison.Ordinal)) + 1;
        SpecText.Has(SpecText.Errors(yaml), line, lines[line - 1].LastIndexOf(placedAt, StringComparison.Ordinal) + 1, fragment);
    }

    [Fact]
    public void Plan_ABuiltInOptionWrongForOneRunsValue_IsAProblemAtThePlaceholder()
    {
        var yaml = Mixed.Replace("pool: {values: [web, filtered]}", "pool: {values: [web, filterd]}", StringComparison.Ordinal);
        var problems = Planner_Problems(yaml);
        var lines = yaml.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("pool: ${param.pool}", StringComparison.Ordinal)) + 1;
        Assert.Contains(problems, p => p.Line == line && p.Column == lines[line - 1].IndexOf("${", StringComparison.Ordinal) + 1
            && p.Message.Contains("pipeline.teacher.options.pool", StringComparison.Ordinal) && p.Message.Contains("filterd", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ResourcesNamingNoStageOfThePipeline_IsAProblemAtItsKey()
    {
        var problems = Planner_Problems(ThreeStages.Replace("  train: {queue: gpu}", "  trian: {queue: gpu}", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 20 && p.Message.Contains("'trian' is not a stage of this spec's pipeline", StringComparison.Ordinal)
            && p.Message.Contains("train", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TopLevelCommandBesideOwnStages_SaysWhereTheCommandGoes()
    {
        var errors = SpecText.Errors("name: x\nprogram: train.py\npipeline:\n  a: {command: [true]}\n");
        SpecText.Has(errors, 2, 1, "gives each stage its command");
    }

    [Fact]
    public void Parse_InputMacroInACommandSpec_IsAProblemAtItsEntry()
    {
        var errors = SpecText.Errors("name: x\nprogram: t.sh\ncommand: [bash, \"${in.gen}/d\"]\n");
        SpecText.Has(errors, 3, 17, "only a stage of the spec's own pipeline reads inputs");
    }

    private static IReadOnlyList<Ablations.Core.Spec.SpecDiagnostic> Planner_Problems(string yaml)
    {
        var e = Assert.Throws<PlanningException>(() => Planner.Plan(SpecText.Ok(yaml)));
        return e.Problems;
    }
}

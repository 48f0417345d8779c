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

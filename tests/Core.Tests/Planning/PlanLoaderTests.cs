using Ablations.Core.Planning;
using Ablations.Core.Spec;

namespace Ablations.Core.Tests.Planning;

/// <summary>Problems found while planning (stage options, programs, resources, profiles) carry file:line:col like loader problems.</summary>
public sealed class PlanLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plan-loader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Reinforced = """
        name: p
        stages:
          world: {seed: 7, web_pool: 200}
          teacher: {epohcs: 2}
          student: {arch: cnn-tiny, epochs: 1}
        variants:
          teachers:
            t_a: {arch: cnn-base, pool: filtered, kd_scale: 20}
            t_b: {arch: cnn-base, pool: filtered}
        parameters:
          student.teachers: {values: [[], [t_a], [t_b]]}
          student.lambda:
            values:
              - 0.5
              - 2.0
          student.warmup_steps: {value: 3}
        profiles:
          smoke:
            stages:
              world: {image_szie: 16}
        resources:
          teahcer: {queue: gpu}
          student: {queue: GPU 0}
        """;

    private static SpecDiagnostic Has(PlanLoadResult r, int line, int column, params string[] fragments)
    {
        Assert.False(r.Ok);
        var match = r.Problems.FirstOrDefault(d => d.Line == line && d.Column == column && fragments.All(f => d.Message.Contains(f, StringComparison.Ordinal)));
        Assert.True(match is not null, $"no problem at {line}:{column} containing [{string.Join(" | ", fragments)}]; got:\n{string.Join("\n", r.Problems)}");
        return match!;
    }

    [Fact]
    public void Parse_StageOptionProblems_ArePlacedAtTheValueOrKeyTheyConcern()
    {
        var r = PlanLoader.Parse(Reinforced, "p.yaml");
        Has(r, 15, 9, "stages.student.lambda: 2 is out of range [0, 1]");           // the swept value of the run that failed
        Has(r, 16, 3, "stages.student.warmup_steps: unknown key");                  // an unknown key: at the key
        Has(r, 4, 13, "stages.teacher.epohcs: unknown key", "did you mean 'epochs'"); // a teacher default: where it was written
        Has(r, 11, 42, "stages.student.teachers[0]", "teacher 't_b' has no KD logit scale");
        Assert.All(r.Problems, d => Assert.Equal("p.yaml", d.File));
    }

    [Fact]
    public void Parse_TypoInUnusedProfileAndResources_AreReportedWithPositions()
    {
        var r = PlanLoader.Parse(Reinforced, "p.yaml");
        Has(r, 20, 15, "profile 'smoke': stages.world.image_szie: unknown key", "did you mean 'image_size'");
        Has(r, 22, 3, "resources.teahcer: 'teahcer' is not a stage type of the reinforced pipeline", "did you mean 'teacher'");
        Has(r, 23, 20, "resources.student.queue: 'GPU 0' is not a valid queue name");
        Assert.Equal(r.Problems.OrderBy(d => d.Line).ThenBy(d => d.Column), r.Problems);
    }

    [Fact]
    public void Parse_ChosenProfile_StillChecksTheOthers()
    {
        var text = """
            name: p
            stages: {world: {web_pool: 200}, student: {epochs: 1}}
            profiles:
              smoke: {stages.world.web_pool: 64}
              big: {stages.world.web_poll: 99}
            """;
        Assert.True(PlanLoader.Parse(text.Replace("web_poll", "web_pool", StringComparison.Ordinal), "p.yaml", "smoke").Ok);
        Has(PlanLoader.Parse(text, "p.yaml", "smoke"), 5, 9, "profile 'big': stages.world.web_poll: unknown key");
    }

    [Fact]
    public void Load_MissingProgram_IsPlacedAtProgram_UnusedProgramIsANote()
    {
        var spec = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(spec, "program: train.py\nmethod: grid\nparameters:\n  a: {values: [1]}\n");
        Has(PlanLoader.Load(spec), 1, 10, "program: 'train.py' not found");

        File.WriteAllText(spec, "program: train.py\nmethod: grid\nparameters:\n  a: {values: [1]}\ncommand: [bash, run.sh, \"${args}\"]\n");
        var ok = PlanLoader.Load(spec);
        Assert.True(ok.Ok, string.Join("\n", ok.Problems));
        var note = Assert.Single(ok.Notes);
        Assert.Equal((1, 10), (note.Line, note.Column));
        Assert.Contains("program 'train.py' is not used", note.Message);
        Assert.Null(ok.Plan!.Stages.Single().Config["program_sha256"]);
    }

    [Fact]
    public void Load_MissingFile_IsAWholeFileProblemAtOneOne()
    {
        var r = PlanLoader.Load(Path.Combine(_dir, "nope.yaml"));
        var d = Assert.Single(r.Problems);
        Assert.Equal((1, 1), (d.Line, d.Column));
        Assert.Contains("file not found", d.Message);
    }
}

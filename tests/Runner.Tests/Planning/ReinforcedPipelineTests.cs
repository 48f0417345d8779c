using System.Text.Json.Nodes;
using Ablations.Core.Planning;
using Ablations.Core.Planning.Pipelines;
using Ablations.Core.Spec;
using Ablations.Core.Stages;

namespace Ablations.Runner.Tests.Planning;

public sealed class ReinforcedPipelineTests
{
    private static ExperimentSpec Spec(string? teacherBScale = "20") => new()
    {
        Name = "t",
        SourcePath = "t.yaml",
        SourceText = "",
        Pipeline = "reinforced",
        Stages = JsonNode.Parse("""
            {"world": {"seed": 7, "web_pool": 1000},
             "teacher": {"arch": "cnn-base", "epochs": 6},
             "captioner": {"epochs": 3},
             "embed": {"augment": {"count": 2}},
             "student": {"arch": "cnn-tiny", "epochs": 6, "lambda": 1.0, "teachers": [], "caption_mix": ["cap"], "kd": {}},
             "eval": {}}
            """)!.AsObject(),
        Variants = new Dictionary<string, IReadOnlyDictionary<string, JsonObject>>
        {
            ["teachers"] = new Dictionary<string, JsonObject>
            {
                ["t_a"] = JsonNode.Parse("""{"arch": "cnn-base", "pool": "filtered", "seed": 11, "kd_scale": 20}""")!.AsObject(),
                ["t_b"] = JsonNode.Parse($$"""{"arch": "cnn-small", "pool": "filtered", "seed": 12{{(teacherBScale is null ? "" : $", \"kd_scale\": {teacherBScale}")}}}""")!.AsObject(),
            },
            ["captioners"] = new Dictionary<string, JsonObject> { ["cap"] = new() { ["finetune"] = false } },
        },
    };

    private static IReadOnlyList<StageSpec> Build(ExperimentSpec spec, long seed, params (string Path, JsonNode? Value)[] set)
    {
        var config = spec.Stages.DeepClone().AsObject();
        foreach (var (path, value) in set)
        {
            var parts = path.Split('.');
            var node = config;
            foreach (var p in parts[..^1]) node = (node[p] ??= new JsonObject()).AsObject();
            node[parts[^1]] = value?.DeepClone();
        }
        return new ReinforcedPipeline().Build(spec, set.ToDictionary(s => s.Path, s => s.Value), config, seed);
    }

    private static JsonArray Names(params string[] names) => new(names.Select(n => (JsonNode?)n).ToArray());

    [Fact]
    public void Build_EnsembleRun_ChainsEveryStageAndEndsWithStudentEval()
    {
        var stages = Build(Spec(), 1, ("student.teachers", Names("t_a", "t_b")));
        var keys = stages.Select(s => s.Key).ToList();
        Assert.Equal("eval", stages[^1].Key);
        Assert.Equal("student", stages[^1].Inputs["model"]);
        foreach (var k in new[] { "world", "teacher:t_a", "teacher:t_b", "embed:t_a", "embed:t_b", "captioner:cap", "captions:cap", "student" })
            Assert.Contains(k, keys);
        var student = stages.Single(s => s.Key == "student");
        Assert.Equal("embed:t_b", student.Inputs["embed:t_b"]);
        Assert.Equal("captions:cap", student.Inputs["captions:cap"]);
        foreach (var s in stages)
        foreach (var input in s.Inputs.Values)
            Assert.True(keys.IndexOf(input) >= 0 && keys.IndexOf(input) < keys.IndexOf(s.Key), $"{s.Key} reads {input} before it is built");
    }

    [Fact]
    public void Build_RunsDifferingInSeedAndScale_ShareWorldTeacherAndEmbedConfigs()
    {
        var a = Build(Spec(), 1, ("student.teachers", Names("t_a")), ("student.kd.scale", 5));
        var b = Build(Spec(), 2, ("student.teachers", Names("t_a", "t_b")), ("student.kd.scale", 50));
        foreach (var key in new[] { "world", "teacher:t_a", "embed:t_a", "captioner:cap", "captions:cap" })
            Assert.True(JsonNode.DeepEquals(a.Single(s => s.Key == key).Config, b.Single(s => s.Key == key).Config), key);
        var sa = a.Single(s => s.Key == "student").Config;
        Assert.Equal(1, (long)sa["seed"]!);
        Assert.Equal(5.0, (double)sa["teachers"]![0]!["scale"]!);
        Assert.Null(a.Single(s => s.Key == "teacher:t_a").Config["kd_scale"]);
    }

    [Fact]
    public void Build_NoTeachers_IsPlainClipWhateverLambdaAndScale()
    {
        var a = Build(Spec(), 1, ("student.teachers", Names()), ("student.kd.scale", 5));
        var b = Build(Spec(), 1, ("student.teachers", Names()), ("student.kd.scale", 50));
        var student = a.Single(s => s.Key == "student");
        Assert.Equal(0.0, (double)student.Config["lambda"]!);
        Assert.True(JsonNode.DeepEquals(student.Config, b.Single(s => s.Key == "student").Config));
        Assert.DoesNotContain(a, s => s.Type == "teacher");
    }

    [Fact]
    public void Build_PerTeacherScales_FromVariantsUnlessOverridden()
    {
        var stages = Build(Spec(), 1, ("student.teachers", Names("t_b", "t_a")), ("student.kd.scales", new JsonObject { ["t_b"] = 70 }));
        var teachers = stages.Single(s => s.Key == "student").Config["teachers"]!.AsArray();
        Assert.Equal("t_a", (string)teachers[0]!["name"]!);
        Assert.Equal(20.0, (double)teachers[0]!["scale"]!);
        Assert.Equal(70.0, (double)teachers[1]!["scale"]!);
    }

    [Fact]
    public void Build_MissingTeacherScale_IsAPlanTimeErrorNamingTheFix()
    {
        var e = Assert.Throws<StageConfigException>(() => Build(Spec(teacherBScale: null), 1, ("student.teachers", Names("t_b"))));
        Assert.Contains(e.Errors, m => m.StartsWith("stages.student.teachers[0]:") && m.Contains("kd_scale"));
    }

    [Fact]
    public void Build_UnknownKeysAndNames_ReportEveryErrorWithNearestName()
    {
        var e = Assert.Throws<StageConfigException>(() => Build(Spec(), 1,
            ("student.teachers", Names("t_c")), ("student.epochz", 3), ("world.web_pol", 10), ("student.caption_mix", Names("capp"))));
        Assert.Contains(e.Errors, m => m.Contains("stages.student.epochz") && m.Contains("did you mean 'epochs'"));
        Assert.Contains(e.Errors, m => m.Contains("stages.world.web_pol") && m.Contains("did you mean 'web_pool'"));
        Assert.Contains(e.Errors, m => m.Contains("unknown teacher 't_c'") && m.Contains("t_a, t_b"));
        Assert.Contains(e.Errors, m => m.Contains("unknown captioner 'capp'") && m.Contains("did you mean 'cap'"));
    }

    [Fact]
    public void StudentOptions_StageConfig_RoundTripsThroughJson()
    {
        var student = Build(Spec(), 3, ("student.teachers", Names("t_a"))).Single(s => s.Key == "student").Config;
        var bound = StudentOptions.Bind(student);
        Assert.True(JsonNode.DeepEquals(student, bound.ToJson()));
    }
}

using Ablations.Core.Planning;
using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Tests.Planning;

public sealed class PlannerTests
{
    /// <summary>world → teacher(s) → student: teachers depend only on their own name, students on everything.</summary>
    private sealed class TeacherStudentPipeline : IPipeline
    {
        public string Name => "test";

        public IReadOnlyList<StageSpec> Build(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> runParams, JsonObject runConfig, long seed)
        {
            var stages = new List<StageSpec> { new("world", "world", new JsonObject { ["size"] = 8 }, new Dictionary<string, string>()) };
            var teachers = runConfig["student"]!["teachers"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
            foreach (var t in teachers)
                stages.Add(new($"teacher:{t}", "teacher", new JsonObject { ["name"] = t }, new Dictionary<string, string> { ["world"] = "world" }));
            var inputs = teachers.ToDictionary(t => $"teacher:{t}", t => $"teacher:{t}");
            inputs["world"] = "world";
            stages.Add(new("student", "student", new JsonObject { ["scale"] = runConfig["student"]!["scale"]!.DeepClone(), ["seed"] = seed }, inputs));
            return stages;
        }
    }

    private static ExperimentSpec Spec() => new()
    {
        Name = "t", SourcePath = "t.yaml", SourceText = "", Pipeline = "test",
        Stages = new JsonObject { ["student"] = new JsonObject { ["teachers"] = new JsonArray(), ["scale"] = 1 } },
        Axes =
        [
            new Axis(["student.teachers"], [[new JsonArray("a")], [new JsonArray("b")], [new JsonArray("a", "b")]]),
            new Axis(["student.scale"], [[JsonValue.Create(5)], [JsonValue.Create(20)], [JsonValue.Create(50)], [JsonValue.Create(100)]]),
        ],
        Seeds = [1, 2, 3],
    };

    [Fact]
    public void Plan_SharedUpstreamStages_CollapseToOneNodeEach()
    {
        var plan = Planner.Plan(Spec(), new TeacherStudentPipeline());

        Assert.Equal(12, plan.Expansion.Cells.Count);
        Assert.Equal(36, plan.Runs.Count);
        Assert.Single(plan.Stages, s => s.Type == "world");
        Assert.Equal(2, plan.Stages.Count(s => s.Type == "teacher"));
        Assert.Equal(36, plan.Stages.Count(s => s.Type == "student"));
        // per run: world + its teachers + student; teacher sets {a}, {b}, {a,b} → 1, 1, 2 teachers
        Assert.Equal(36 * 2 + 12 * (1 + 1 + 2), plan.TotalStageInstances);
    }

    [Fact]
    public void Plan_StagesAreTopologicallyOrdered()
    {
        var plan = Planner.Plan(Spec(), new TeacherStudentPipeline());
        var seen = new HashSet<string>();
        foreach (var stage in plan.Stages)
        {
            Assert.All(stage.Inputs.Values, h => Assert.Contains(h, seen));
            seen.Add(stage.Hash);
        }
    }

    [Fact]
    public void Plan_SameSpecTwice_SameHashesAndRunKeys()
    {
        var a = Planner.Plan(Spec(), new TeacherStudentPipeline());
        var b = Planner.Plan(Spec(), new TeacherStudentPipeline());
        Assert.Equal(a.Stages.Select(s => s.Hash), b.Stages.Select(s => s.Hash));
        Assert.Equal(a.Runs.Select(r => r.RunKey), b.Runs.Select(r => r.RunKey));
        Assert.Equal(a.Runs.Count, a.Runs.Select(r => r.RunKey).Distinct().Count());
    }

    [Fact]
    public void Plan_AddingAnAxisValue_KeepsExistingStageHashes()
    {
        var before = Planner.Plan(Spec(), new TeacherStudentPipeline());
        var wider = Spec() with
        {
            Axes = [Spec().Axes[0], new Axis(["student.scale"], [.. Spec().Axes[1].Values, [JsonValue.Create(70)]])],
        };
        var after = Planner.Plan(wider, new TeacherStudentPipeline());
        Assert.Superset(before.Stages.Select(s => s.Hash).ToHashSet(), after.Stages.Select(s => s.Hash).ToHashSet());
        Assert.Equal(9, after.Stages.Count - before.Stages.Count);
    }

    [Fact]
    public void Plan_QueueFollowsResources()
    {
        var spec = Spec() with
        {
            Resources = new Dictionary<string, ResourceSpec>
            {
                ["teacher"] = new("gpu", 2, 40),
                ["default"] = new("cpu_pool"),
            },
        };
        var plan = Planner.Plan(spec, new TeacherStudentPipeline());
        Assert.All(plan.Stages.Where(s => s.Type == "teacher"), s => Assert.Equal(("gpu", 2, (double?)40), (s.Queue, s.Devices, s.MemoryGb)));
        Assert.All(plan.Stages.Where(s => s.Type != "teacher"), s => Assert.Equal((1, (double?)null), (s.Devices, s.MemoryGb)));
        Assert.All(plan.Stages.Where(s => s.Type != "teacher"), s => Assert.Equal("cpu_pool", s.Queue));
    }

    [Fact]
    public void Plan_InvalidQueueName_ProblemNamesTheKeyAndTheRule()
    {
        var spec = Spec() with { Resources = new Dictionary<string, ResourceSpec> { ["teacher"] = new("GPU 0") } };
        var e = Assert.Throws<PlanningException>(() => Planner.Plan(spec, new TeacherStudentPipeline()));
        Assert.Contains("resources.teacher.queue: 'GPU 0'", e.Problems.Single().Message);
    }
}

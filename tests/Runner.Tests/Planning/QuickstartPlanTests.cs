using Ablations.Core.Planning;
using Ablations.Core.Spec;

namespace Ablations.Runner.Tests.Planning;

/// <summary>
/// experiments/quickstart.yaml through the real spec loader and planner: every cell plans, and the world,
/// teachers and embeddings are shared across runs (the README's description of the grid).
/// </summary>
public sealed class QuickstartPlanTests
{
    private static string RepoFile(string relative, [System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        var dir = Path.GetDirectoryName(source)!;
        while (!File.Exists(Path.Combine(dir, "Ablations.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new FileNotFoundException("repository root");
        return Path.Combine(dir, relative);
    }

    [Fact]
    public void Quickstart_EveryCellPlans_AndSharesWorldTeachersAndEmbeddings()
    {
        var loaded = SpecLoader.Load(RepoFile("experiments/quickstart.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Diagnostics));
        var plan = Planner.Plan(loaded.Spec!);

        Assert.Equal(12, plan.Runs.Count); // baseline, t_a, t_b, t_a+t_b at 5, 20, 50; two seeds
        Assert.Equal(84, plan.TotalStageInstances);
        int Unique(string type) => plan.Stages.Count(s => s.Type == type);
        Assert.Equal(1, Unique("world"));
        Assert.Equal(2, Unique("teacher"));
        Assert.Equal(2, Unique("embed"));
        Assert.Equal(0, Unique("captioner"));
        Assert.Equal(12, Unique("student"));
        Assert.Equal(14, Unique("eval")); // 12 students + 2 teachers
        Assert.Equal(31, plan.Stages.Count);
        var world = plan.Stages.Single(s => s.Type == "world").Hash;
        Assert.All(plan.Runs, r => Assert.Equal(world, r.StageHashesByKey["world"]));
    }
}

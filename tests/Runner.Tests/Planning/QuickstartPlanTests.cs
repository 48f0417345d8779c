using Ablations.Core.Planning;
using Ablations.Core.Spec;
using Ablations.Runner.Tests.Support;

namespace Ablations.Runner.Tests.Planning;

/// <summary>
/// experiments/quickstart.yaml through the real spec loader and planner: every cell plans, the world, teachers
/// and embeddings are shared across runs (the README's description of the grid), and the README's results table
/// was produced by the plan the quickstart has today.
/// </summary>
public sealed class QuickstartPlanTests
{
    private static string RepoFile(string relative) => Path.Combine(RepoFiles.Root, relative);

    [Fact]
    public void Quickstart_EveryCellPlans_AndSharesWorldTeachersAndEmbeddings()
    {
        var loaded = SpecLoader.Load(RepoFile("experiments/quickstart.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Diagnostics));
        var plan = Planner.Plan(loaded.Spec!);

        Assert.Equal(12, plan.Runs.Count); // baseline, t_a, t_b, t_a+t_b at 5, 20, 50; two seeds
        Assert.Equal(94, plan.TotalStageInstances); // + a kd_targets stage in each of the 10 KD runs
        int Unique(string type) => plan.Stages.Count(s => s.Type == type);
        Assert.Equal(1, Unique("world"));
        Assert.Equal(2, Unique("teacher"));
        Assert.Equal(2, Unique("embed"));
        Assert.Equal(0, Unique("captioner"));
        Assert.Equal(12, Unique("student"));
        Assert.Equal(14, Unique("eval")); // 12 students + 2 teachers
        Assert.Equal(5, Unique("kd_targets")); // one per teachers × KD scale: both seeds of a cell share it
        Assert.Equal(36, plan.Stages.Count);
        var world = plan.Stages.Single(s => s.Type == "world").Hash;
        Assert.All(plan.Runs, r => Assert.Equal(world, r.StageHashesByKey["world"]));
    }

    [Fact]
    public void Readme_QuickstartTable_WasProducedByTodaysPlan()
    {
        var loaded = SpecLoader.Load(RepoFile("experiments/quickstart.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Diagnostics));
        var today = Planner.Plan(loaded.Spec!).Hash[..12];

        var readme = File.ReadAllText(RepoFile("README.md"));
        var block = System.Text.RegularExpressions.Regex.Match(readme, @"<!-- quickstart:begin \(written by bench/readme-quickstart\.sh from plan ([0-9a-f]{12})");
        Assert.True(block.Success, "README.md has no quickstart block written by bench/readme-quickstart.sh");
        Assert.True(block.Groups[1].Value == today,
            $"the README's quickstart table was produced by plan {block.Groups[1].Value}, but experiments/quickstart.yaml plans {today} today " +
            "(a stage option, the spec or a stage code version changed, so its numbers are not today's): run bench/readme-quickstart.sh and commit README.md");
    }
}

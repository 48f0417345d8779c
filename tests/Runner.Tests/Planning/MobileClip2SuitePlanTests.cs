using System.Text.RegularExpressions;
using Ablations.Core.Planning;
using Ablations.Core.Spec;
using Ablations.Runner.Tests.Support;

namespace Ablations.Runner.Tests.Planning;

/// <summary>
/// experiments/mobileclip2/ through the real spec loader and planner: every spec of the suite loads (also with the
/// smoke profile), replicates over ≥ 3 seeds and states claims; the specs share one world, the teachers, captioners,
/// captions and embeddings (the same configuration in each file, which nothing but this test keeps equal); and
/// docs/reproduction.md was written from the plans the specs have today.
/// </summary>
public sealed class MobileClip2SuitePlanTests
{
    private static readonly string Suite = Path.Combine(RepoFiles.Root, "experiments", "mobileclip2");

    private static readonly string[] Specs = ["teachers", "kd-scale", "lambda", "base-data", "augmentations", "captioner", "captions"];

    private static StagePlan PlanOf(string file, string? profile = null)
    {
        var loaded = SpecLoader.Load(file, profile);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Diagnostics));
        return Planner.Plan(loaded.Spec!);
    }

    [Fact]
    public void EverySpec_Loads_WithSeedsAndClaims_AndEveryYamlOfTheSuiteIsRunByReproduce()
    {
        var onDisk = Directory.GetFiles(Suite, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        Assert.Equal(Specs.Order().ToArray(), onDisk);
        var script = File.ReadAllText(Path.Combine(Suite, "reproduce.sh"));
        Assert.Contains("specs=(" + string.Join(' ', Specs) + ")", script);
        foreach (var name in Specs)
        {
            var file = Path.Combine(Suite, name + ".yaml");
            Assert.True(PlanOf(file).Spec.Seeds.Count >= 3, $"{file}: fewer than 3 seeds");
            Assert.True(PlanOf(file, "smoke").Spec.Seeds.Count >= 2, $"{file}: the smoke profile needs 2 seeds for its claims to be tested at all");
            Assert.NotEmpty(PlanOf(file).Spec.Claims);
        }
    }

    [Fact]
    public void PaperJson_NamesEverySpec_AndThePaperFindingOfEveryClaim()
    {
        // render.py lays each claim beside the paper's finding paper.json gives for it; a claim it does not name would
        // stand on the page with no paper finding to compare with.
        using var paper = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Suite, "paper.json")));
        var specs = paper.RootElement.GetProperty("specs");
        Assert.Equal(Specs.Order(), specs.EnumerateObject().Select(p => p.Name).Order());
        foreach (var name in Specs)
        {
            var said = specs.GetProperty(name).GetProperty("claims").EnumerateObject().Select(p => p.Name).ToHashSet();
            foreach (var claim in PlanOf(Path.Combine(Suite, name + ".yaml")).Spec.Claims)
                Assert.True(said.Contains(claim.Text), $"paper.json has no paper finding for {name}'s claim '{claim.Text}'");
        }
    }

    [Fact]
    public void Suite_SharesWorldTeachersCaptionersCaptionsAndEmbeddings_AndTheQuickstartsTeachers()
    {
        var plans = Specs.Select(s => PlanOf(Path.Combine(Suite, s + ".yaml"))).ToList();
        HashSet<string> Union(string type) => plans.SelectMany(p => p.Stages.Where(s => s.Type == type).Select(s => s.Hash)).ToHashSet();

        Assert.Single(Union("world"));
        Assert.Equal(4, Union("teacher").Count); // t_a, t_b, t_web, t_long: each trained once for the whole suite
        Assert.Equal(2, Union("captioner").Count); // cap, cap_ft
        Assert.Equal(4, Union("captions").Count); // each captioner's captions of the web and the filtered pool
        // Two teachers × {web, filtered} pool at two augmentations, t_web and t_long on the web pool, two teachers × two
        // eight-augmentation settings (with and without ops): if a spec's shared block drifted, this would grow.
        Assert.Equal(10, Union("embed").Count);

        var quickstart = PlanOf(Path.Combine(RepoFiles.Root, "experiments", "quickstart.yaml"));
        Assert.Equal(Union("world").Single(), quickstart.Stages.Single(s => s.Type == "world").Hash);
        Assert.Subset(Union("teacher"), quickstart.Stages.Where(s => s.Type == "teacher").Select(s => s.Hash).ToHashSet());
    }

    [Fact]
    public void Reproduction_WasWrittenFromTodaysPlans()
    {
        var doc = File.ReadAllText(Path.Combine(RepoFiles.Root, "docs", "reproduction.md"));
        var header = Regex.Match(doc, @"<!-- written by experiments/mobileclip2/reproduce\.sh \(render\.py\) from plans (\{.*?\});");
        Assert.True(header.Success, "docs/reproduction.md has no header written by experiments/mobileclip2/reproduce.sh");
        var recorded = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(header.Groups[1].Value)!;
        foreach (var name in Specs)
        {
            var today = PlanOf(Path.Combine(Suite, name + ".yaml")).Hash[..12];
            Assert.True(recorded.TryGetValue(name, out var then) && then == today,
                $"docs/reproduction.md was written from plan {then ?? "(none)"} of experiments/mobileclip2/{name}.yaml, which plans {today} " +
                "today (the spec, a stage option or a stage code version changed): run experiments/mobileclip2/reproduce.sh and commit the page");
        }
    }
}

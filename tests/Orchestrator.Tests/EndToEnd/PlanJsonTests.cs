using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Tests.EndToEnd;

[Collection("processes")]
public sealed class PlanJsonTests
{
    [Fact]
    public void PlanJson_MatchesContract()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("toy.yaml", Fixtures.Spec("toy", "[1, 2, 3]", "[0.5]", seeds: "[7, 8]"));

        var result = Ablate.Run(dir.Path, "plan", spec, "--json");

        Assert.True(result.ExitCode == 0, result.All);
        var json = JsonNode.Parse(result.Stdout)!.AsObject();
        Assert.Equal("toy", json["experiment"]!.GetValue<string>());
        Assert.Equal(3, json["cells"]!.GetValue<int>());
        var runs = json["runs"]!.AsArray();
        Assert.Equal(6, runs.Count);
        Assert.All(runs, r =>
        {
            Assert.Equal(16, r!["id"]!.GetValue<string>().Length);
            Assert.NotNull(r["params"]!["a"]);
            Assert.Equal(0.5, r["params"]!["b"]!.GetValue<double>());
        });
        Assert.Equal([7L, 8L], runs.Select(r => r!["seed"]!.GetValue<long>()).Distinct().Order());
        var stages = json["stages"]!.AsObject();
        Assert.Equal(6, stages["total"]!.GetValue<int>());
        Assert.Equal(6, stages["unique"]!.GetValue<int>());
        Assert.Equal(0, stages["reused"]!.GetValue<int>());
        Assert.Equal(6, stages["byType"]!["command"]!.GetValue<int>());
        Assert.False(File.Exists(Path.Combine(dir.Root, "ablations.db")), "plan must not create a store");
        Assert.Equal(64, json["planHash"]!.GetValue<string>().Length);
        Assert.Null(json["changes"]); // nothing stored to compare with
    }

    [Fact]
    public void PlanJson_AfterAStoredRevision_SaysWhyEachStageIsNew()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("toy.yaml", Fixtures.Spec("toy", "[1, 2]", "[3]", seeds: "[1]", env: "X: '1'"));
        Assert.Equal(0, Ablate.Run(dir.Path, "submit", spec).ExitCode);
        dir.Write("toy.yaml", Fixtures.Spec("toy", "[1, 2, 3]", "[3]", seeds: "[1]", env: "X: '2'"));

        var json = JsonNode.Parse(Ablate.Run(dir.Path, "plan", spec, "--json").Stdout)!;

        var reasons = json["changes"]!.AsArray().Select(c => (string)c!["reason"]!).Order().ToList();
        Assert.Equal(["config: env.X \"1\" → \"2\"", "config: env.X \"1\" → \"2\"", "new cell"], reasons);
    }
}

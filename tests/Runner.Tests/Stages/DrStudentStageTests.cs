using System.Text.Json.Nodes;
using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Stages;
using Ablations.Runner.Tests.Support;

namespace Ablations.Runner.Tests.Stages;

/// <summary>A dr_student trains only on the data it was planned (and hashed) on.</summary>
public sealed class DrStudentStageTests
{
    private static readonly string Mini = RepoFiles.MiniDataCompDr;


    private static JsonObject Planned(string root)
    {
        var config = DrStudentOptions.Bind(JsonNode.Parse("""
            {"shards": "dr.tar", "images": "img.tar", "teachers": [{"name": "a", "dim": 32, "scale": 20}, {"name": "b", "dim": 24, "scale": 20}],
             "image_size": 16, "batch_size": 32}
            """)!.AsObject()).ToJson();
        ExternalData.Resolve(config, DrStudentOptions.DataKeys, root); // as the planner does
        return config;
    }

    [Fact]
    public void AShardReplacedAfterPlanning_FailsTheStage_InsteadOfTrainingOnIt()
    {
        using var h = new StageHarness();
        File.Copy(Path.Combine(Mini, "dr", "00000000.tar"), Path.Combine(h.Root, "dr.tar"));
        File.Copy(Path.Combine(Mini, "images", "00000000.tar"), Path.Combine(h.Root, "img.tar"));
        var config = Planned(h.Root);
        File.AppendAllText(Path.Combine(h.Root, "dr.tar"), "\0"); // another size: the data changed under its name

        var e = Assert.Throws<StageFailedException>(() => h.Run(new DrStudentStage(), "s", config));

        Assert.Equal(FailureKind.InvalidConfig, e.Kind);
        Assert.Contains("changed since this stage was planned", e.Message);
    }

    [Fact]
    public void DataThePlannerNeverSaw_IsRefused()
    {
        using var h = new StageHarness();
        var config = Planned(h.Root); // nothing there when planned
        File.Copy(Path.Combine(Mini, "dr", "00000000.tar"), Path.Combine(h.Root, "dr.tar"));
        File.Copy(Path.Combine(Mini, "images", "00000000.tar"), Path.Combine(h.Root, "img.tar"));

        var e = Assert.Throws<StageFailedException>(() => h.Run(new DrStudentStage(), "s", config));

        Assert.Contains("the planner could not see", e.Message);
    }

    [Fact]
    public void AShardDeletedAfterPlanning_FailsTheStage_SayingThisRunnerCannotSeeIt()
    {
        using var h = new StageHarness();
        File.Copy(Path.Combine(Mini, "dr", "00000000.tar"), Path.Combine(h.Root, "dr.tar"));
        File.Copy(Path.Combine(Mini, "images", "00000000.tar"), Path.Combine(h.Root, "img.tar"));
        var config = Planned(h.Root);
        File.Delete(Path.Combine(h.Root, "img.tar")); // a share not mounted on this node, or data removed

        var e = Assert.Throws<StageFailedException>(() => h.Run(new DrStudentStage(), "s", config));

        Assert.Equal(FailureKind.InvalidConfig, e.Kind);
        Assert.Contains("img.tar is not visible on this runner", e.Message);
    }
}

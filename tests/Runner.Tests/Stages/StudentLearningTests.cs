using System.Text.Json.Nodes;
using Ablations.Runner.Stages;
using Ablations.Runner.Tests.Support;
using TorchSharp;

namespace Ablations.Runner.Tests.Stages;

/// <summary>A trained student actually learns: zero-shot colour accuracy (the easiest task) far above chance (1/8).</summary>
public sealed class StudentLearningTests
{
    public StudentLearningTests() => torch.set_num_threads(1);

    private static JsonObject J(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Student_TrainedOnSmallWorld_ColourZeroShotWellAboveChance()
    {
        using var h = new StageHarness();
        var (world, _) = h.Run(StageCatalog.Resolve("world"), "world",
            J("""{"seed": 21, "image_size": 16, "web_pool": 1600, "filtered_pool": 64, "hq_pool": 32, "eval_per_task": 200, "retrieval": 64, "multi_object_rate": 0.1}"""));
        var (student, _) = h.Run(StageCatalog.Resolve("student"), "student",
            J("""{"arch": "cnn-tiny", "seed": 1, "epochs": 5, "batch_size": 64, "lr": 0.003, "lambda": 0, "augment": {"count": 1, "ops": 0, "crop_scale_min": 0.9}}"""),
            new Dictionary<string, string> { ["world"] = world });
        var (_, eval) = h.Run(StageCatalog.Resolve("eval"), "eval", J("""{"tasks": ["colour"]}"""),
            new Dictionary<string, string> { ["world"] = world, ["model"] = student });
        Assert.True(eval.Finals["zeroshot_colour"] > 0.4, $"colour top-1 {eval.Finals["zeroshot_colour"]:0.###} (chance 0.125)");
    }
}

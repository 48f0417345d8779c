using System.Text.Json.Nodes;
using Ablations.Runner.Stages;
using Ablations.Runner.Tests.Support;
using TorchSharp;

namespace Ablations.Runner.Tests.Stages;

/// <summary>The whole method on smoke settings: world → teacher → captioner → captions → embed → student → eval.</summary>
public sealed class ChainTests
{
    public ChainTests() => torch.set_num_threads(1);

    private static JsonObject J(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void FullChain_SmokeSettings_ProducesEveryArtifactAndMetrics()
    {
        using var h = new StageHarness();
        var (world, _) = h.Run(StageCatalog.Resolve("world"), "world",
            J("""{"seed": 3, "image_size": 16, "web_pool": 128, "filtered_pool": 96, "hq_pool": 64, "eval_per_task": 24, "retrieval": 24}"""));
        var (teacher, tm) = h.Run(StageCatalog.Resolve("teacher"), "teacher",
            J("""{"arch": "cnn-tiny", "pool": "filtered", "seed": 1, "epochs": 1, "batch_size": 32}"""), new Dictionary<string, string> { ["world"] = world });
        Assert.True(tm.Finals["logit_scale"] > 0);
        var (captioner, _) = h.Run(StageCatalog.Resolve("captioner"), "captioner",
            J("""{"arch": "cnn-tiny", "seed": 2, "epochs": 1, "batch_size": 32, "finetune": true, "finetune_epochs": 1}"""), new Dictionary<string, string> { ["world"] = world });
        var (captions, cm) = h.Run(StageCatalog.Resolve("captions"), "captions",
            J("""{"pool": "web", "per_image": 2}"""), new Dictionary<string, string> { ["world"] = world, ["captioner"] = captioner });
        Assert.InRange(cm.Finals["distinct_1"], 0, 1);
        var (embed, _) = h.Run(StageCatalog.Resolve("embed"), "embed",
            J("""{"pool": "web", "augment": {"count": 2}, "captioners": ["cap"]}"""),
            new Dictionary<string, string> { ["world"] = world, ["teacher"] = teacher, ["captions:cap"] = captions });
        var (student, sm) = h.Run(StageCatalog.Resolve("student"), "student",
            J("""{"arch": "vit-tiny", "seed": 4, "epochs": 1, "batch_size": 32, "lambda": 0.5, "teachers": [{"name": "t", "scale": 20}], "caption_mix": ["cap"], "augment": {"count": 2}}"""),
            new Dictionary<string, string> { ["world"] = world, ["embed:t"] = embed, ["captions:cap"] = captions });
        Assert.Contains(sm.Points, p => p.Name == "loss_kd" && p.Value > 0);
        var (_, em) = h.Run(StageCatalog.Resolve("eval"), "eval", new JsonObject(),
            new Dictionary<string, string> { ["world"] = world, ["model"] = student });
        Assert.InRange(em.Finals["zeroshot_avg"], 0, 1);
        Assert.True(em.Finals.ContainsKey("zeroshot_object"));
        Assert.True(em.Finals.ContainsKey("t2i_r5"));
    }

    /// <summary>The BPE path: a world with <c>tokenizer: gpt2</c> trains, captions and evaluates on GPT-2 ids.</summary>
    [Fact]
    public void Gpt2World_ModelsTrainCaptionAndEvaluateOnBpeTokens()
    {
        using var h = new StageHarness();
        var (world, _) = h.Run(StageCatalog.Resolve("world"), "world",
            J("""{"seed": 5, "image_size": 16, "web_pool": 16, "filtered_pool": 32, "hq_pool": 16, "eval_per_task": 8, "retrieval": 8, "tokenizer": "gpt2"}"""));
        Assert.Equal("gpt2", Runner.Data.World.WorldManifest.Load(world).TokenizerKind);
        var (teacher, _) = h.Run(StageCatalog.Resolve("teacher"), "teacher",
            J("""{"arch": "cnn-tiny", "pool": "filtered", "seed": 1, "epochs": 1, "batch_size": 16}"""), new Dictionary<string, string> { ["world"] = world });
        var card = Runner.Modeling.ModelFiles.ReadCard(teacher);
        Assert.Equal("gpt2", card.Tokenizer);
        Assert.Equal(50259, card.Spec.VocabSize);
        var (captioner, _) = h.Run(StageCatalog.Resolve("captioner"), "captioner",
            J("""{"arch": "cnn-tiny", "seed": 2, "epochs": 1, "batch_size": 16}"""), new Dictionary<string, string> { ["world"] = world });
        var (captions, _) = h.Run(StageCatalog.Resolve("captions"), "captions",
            J("""{"pool": "web", "per_image": 1}"""), new Dictionary<string, string> { ["world"] = world, ["captioner"] = captioner });
        var sampled = Runner.Data.Reinforced.CaptionSet.Load(captions);
        Assert.Equal(16, sampled.Captions.Length);
        Assert.All(sampled.Captions, c => Assert.Single(c));
        var (_, em) = h.Run(StageCatalog.Resolve("eval"), "eval", new JsonObject(),
            new Dictionary<string, string> { ["world"] = world, ["model"] = teacher });
        Assert.InRange(em.Finals["zeroshot_avg"], 0, 1);
    }
}

using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Data.World;

namespace Ablations.Runner.Tests.Data;

public sealed class WorldGeneratorTests
{
    private static WorldOptions Small(long seed) => WorldOptions.Bind(new System.Text.Json.Nodes.JsonObject
    {
        ["seed"] = seed, ["image_size"] = 16, ["web_pool"] = 40, ["filtered_pool"] = 20, ["hq_pool"] = 16,
        ["eval_per_task"] = 8, ["retrieval"] = 8, ["shard_rows"] = 100,
    });

    [Fact]
    public void Generate_SameSeed_IdenticalFiles_DifferentSeed_DifferentImages()
    {
        var a = Path.Combine(Path.GetTempPath(), "world-" + Guid.NewGuid().ToString("N"));
        var b = a + "-b";
        var c = a + "-c";
        try
        {
            WorldGenerator.Generate(Small(5), a, CancellationToken.None);
            WorldGenerator.Generate(Small(5), b, CancellationToken.None);
            WorldGenerator.Generate(Small(6), c, CancellationToken.None);
            var poolA = new WorldData(a).Pool("web");
            var poolB = new WorldData(b).Pool("web");
            var poolC = new WorldData(c).Pool("web");
            Assert.Equal(poolA.Captions, poolB.Captions);
            Assert.All(Enumerable.Range(0, poolA.Count), i => Assert.Equal(poolA.Pixels[i], poolB.Pixels[i]));
            Assert.NotEqual(poolA.Pixels[0], poolC.Pixels[0]);
            Assert.Equal(new WorldData(a).Task("object").Labels, new WorldData(b).Task("object").Labels);
            Assert.Equal(File.ReadAllText(Path.Combine(a, "world.json")), File.ReadAllText(Path.Combine(b, "world.json")));
        }
        finally
        {
            foreach (var d in new[] { a, b, c }) if (Directory.Exists(d)) Directory.Delete(d, true);
        }
    }

    [Fact]
    public void World_HasAtLeastFiveTasksAndEightShapesAndColours_CaptionsUseTheVocabulary()
    {
        Assert.True(ZeroShotTask.All.Count >= 5);
        Assert.True(WorldAttributes.Shapes.Length >= 8 && WorldAttributes.Colours.Length >= 8);
        var tok = new WordTokenizer(CaptionWriter.Vocabulary);
        var o = Small(9);
        for (var i = 0; i < 200; i++)
        {
            var (_, caption, _) = WorldGenerator.PoolSample(o, 1, i, o.WebNoise, complete: i % 2 == 0);
            Assert.False(tok.EncodeWords(caption).Contains(WordTokenizer.UnkId), caption);
        }
        foreach (var task in ZeroShotTask.All)
        foreach (var cls in task.Classes)
        foreach (var template in task.Templates)
            Assert.False(tok.EncodeWords(template.Replace("{}", cls)).Contains(WordTokenizer.UnkId), template.Replace("{}", cls));
    }

    [Fact]
    public void WebPool_NoiseRates_AreRoughlyRespected()
    {
        var o = Small(1);
        var kinds = Enumerable.Range(0, 4000).Select(i => WorldGenerator.PoolSample(o, 1, i, o.WebNoise, false).Kind).ToList();
        var clean = kinds.Count(k => k == CaptionKind.Clean) / 4000.0;
        Assert.InRange(clean, 1 - o.WebNoise.Total - 0.04, 1 - o.WebNoise.Total + 0.04);
    }
}

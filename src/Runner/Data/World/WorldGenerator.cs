using System.Text.Json;
using Ablations.Core.Stages;

namespace Ablations.Runner.Data.World;

/// <summary>
/// Generates a whole world artifact from <see cref="WorldOptions"/>. Every sample i of every split draws from
/// its own stream Rng.For(seed, split, i), so generation is parallel yet bit-identical run to run.
/// </summary>
internal static class WorldGenerator
{
    private const long WebSplit = 1, FilteredSplit = 2, HqSplit = 3, RetrievalSplit = 4, EvalSplit = 100;

    public static WorldManifest Generate(WorldOptions o, string outDir, CancellationToken cancel, Action<double, string?>? progress = null)
    {
        Directory.CreateDirectory(outDir);
        var total = (double)(o.WebPool + o.FilteredPool + o.HighQuality + o.Retrieval + o.EvalPerTask * ZeroShotTask.All.Count);
        var done = 0.0;
        void Step(int n, string phase) { done += n; progress?.Invoke(done / total, phase); cancel.ThrowIfCancellationRequested(); }

        WritePool(o, "web", WebSplit, o.WebPool, o.WebNoise, complete: false, outDir); Step(o.WebPool, "web pool");
        WritePool(o, "filtered", FilteredSplit, o.FilteredPool, o.FilteredNoise, complete: false, outDir); Step(o.FilteredPool, "filtered pool");
        WritePool(o, "hq", HqSplit, o.HighQuality, new NoiseRates(0, 0, 0, 0, 0), complete: true, outDir); Step(o.HighQuality, "high-quality set");
        WritePool(o, "retrieval", RetrievalSplit, o.Retrieval, new NoiseRates(0, 0, 0, 0, 0), complete: true, outDir); Step(o.Retrieval, "retrieval split");
        for (var t = 0; t < ZeroShotTask.All.Count; t++)
        {
            WriteTask(o, ZeroShotTask.All[t], EvalSplit + t, outDir);
            Step(o.EvalPerTask, "eval " + ZeroShotTask.All[t].Name);
        }
        var manifest = new WorldManifest(o.ImageSize, CaptionWriter.Vocabulary.Distinct().Order(StringComparer.Ordinal).ToList(),
            ZeroShotTask.All, new Dictionary<string, int> { ["web"] = o.WebPool, ["filtered"] = o.FilteredPool, ["hq"] = o.HighQuality },
            o.Retrieval, o.ToJson(), o.Tokenizer);
        manifest.Save(outDir);
        return manifest;
    }

    public static (Scene Scene, string Caption, CaptionKind Kind) PoolSample(WorldOptions o, long split, int i, NoiseRates noise, bool complete)
    {
        var rng = Rng.For(o.Seed, split, i);
        var scene = SceneSampler.Sample(rng, o.MultiObjectRate);
        if (complete) return (scene, CaptionWriter.Complete(scene, rng), CaptionKind.Complete);
        var u = rng.NextDouble();
        var kind = CaptionKind.Clean;
        foreach (var (k, rate) in new[] { (CaptionKind.Partial, noise.Partial), (CaptionKind.WrongAttribute, noise.WrongAttribute),
                     (CaptionKind.Generic, noise.Generic), (CaptionKind.Unrelated, noise.Unrelated), (CaptionKind.Spam, noise.Spam) })
        {
            if (u < rate) { kind = k; break; }
            u -= rate;
        }
        var caption = CaptionWriter.Noisy(scene, kind, rng, r => SceneSampler.Sample(r, o.MultiObjectRate));
        return (scene, caption, kind);
    }

    private static void WritePool(WorldOptions o, string name, long split, int n, NoiseRates noise, bool complete, string outDir)
    {
        var ids = new long[n];
        var pixels = new byte[n][];
        var captions = new string[n];
        var kinds = new string[n];
        var truth = new string[n];
        Parallel.For(0, n, i =>
        {
            var (scene, caption, kind) = PoolSample(o, split, i, noise, complete);
            ids[i] = split * 1_000_000_000L + i;
            pixels[i] = SceneRenderer.Render(scene, o.ImageSize);
            captions[i] = caption;
            kinds[i] = kind.ToString();
            truth[i] = JsonSerializer.Serialize(scene);
        });
        ParquetTable.WriteShards(Path.Combine(outDir, name), new Dictionary<string, Array>
        {
            ["id"] = ids, ["pixels"] = pixels, ["caption"] = captions, ["caption_kind"] = kinds, ["truth"] = truth,
        }, o.ShardRows);
    }

    private static void WriteTask(WorldOptions o, ZeroShotTask task, long split, string outDir)
    {
        var n = o.EvalPerTask;
        var ids = new long[n];
        var pixels = new byte[n][];
        var labels = new int[n];
        Parallel.For(0, n, i =>
        {
            var rng = Rng.For(o.Seed, split, i);
            var label = rng.Next(task.Classes.Count);
            ids[i] = split * 1_000_000_000L + i;
            pixels[i] = SceneRenderer.Render(task.SampleScene(label, rng), o.ImageSize);
            labels[i] = label;
        });
        ParquetTable.WriteShards(Path.Combine(outDir, "eval", task.Name),
            new Dictionary<string, Array> { ["id"] = ids, ["pixels"] = pixels, ["label"] = labels }, o.ShardRows);
    }
}

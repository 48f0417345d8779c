using System.Text.Json;
using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Data.Reinforced;
using Ablations.Runner.Data.World;
using Ablations.Runner.Evaluation;
using Ablations.Runner.Modeling;
using static TorchSharp.torch;

namespace Ablations.Runner.Stages;

/// <summary>
/// <c>captions</c>: k synthetic captions per image of a pool from one captioner (temperature + top-p), and
/// their quality against the ground truth (which only scores, never feeds the captioner).
/// </summary>
internal sealed class CaptionsStage : IStageExecutor
{
    private const int Batch = 256;

    public StageType Type => StageTypes.Captions;

    public void Execute(StageContext ctx)
    {
        var o = StageSupport.Bind(ctx, CaptionsOptions.Bind);
        var device = StageSupport.Device(ctx);
        var world = new WorldData(ctx.Input("world"));
        var tok = world.Manifest.Tokenizer();
        using var model = ModelFiles.LoadCaptioner(ctx.Input("captioner"), device);
        var pool = world.Pool(o.Pool);
        var captions = new string[pool.Count][];
        for (var start = 0; start < pool.Count; start += Batch)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(start, Math.Min(Batch, pool.Count - start)).ToArray();
            var images = Batches.Images(pool.Pixels, rows, world.Manifest.ImageSize, device);
            var perImage = new string[o.PerImage][];
            for (var j = 0; j < o.PerImage; j++)
            {
                var sample = j;
                perImage[j] = CaptionSampler.Sample(model, images, tok, o.Temperature, o.TopP, r => Rng.For(o.Seed, pool.Ids[rows[r]], sample));
            }
            for (var r = 0; r < rows.Length; r++) captions[rows[r]] = Enumerable.Range(0, o.PerImage).Select(j => perImage[j][r]).ToArray();
            ctx.Progress((double)(start + rows.Length) / pool.Count, "sampling captions");
        }
        new CaptionSet(pool.Ids, captions).Save(ctx.OutputDir);

        var truth = world.Truth(o.Pool).Select(t => JsonSerializer.Deserialize<Scene>(t)!).ToList();
        var quality = CaptionQuality.Score(captions, truth);
        foreach (var (name, value) in quality) ctx.Metrics.Final(name, value);
        var gtQuality = CaptionQuality.Score(pool.Captions.Select(c => new[] { c }).ToList(), truth);
        ctx.Metrics.Final("pool_attr_precision", gtQuality["attr_precision"]);
        ctx.Log.WriteLine($"captions: {pool.Count} images × {o.PerImage}; e.g. '{captions[0][0]}' for '{pool.Captions[0]}'; " +
                          string.Join(", ", quality.Select(q => $"{q.Key} {q.Value:0.###}")));
    }
}

using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.Reinforced;
using Ablations.Runner.Data.World;
using Ablations.Runner.Evaluation;
using Ablations.Runner.Modeling;

namespace Ablations.Runner.Stages;

/// <summary>
/// <c>embed</c>: ONE teacher's stored targets for a pool — its image embedding for each of n stored
/// augmentations (parameters stored beside them for replay), and its text embeddings for the GT caption and
/// every caption of each selected captioner. Ensembles are composed later from several of these.
/// </summary>
internal sealed class EmbedStage : IStageExecutor
{
    public StageType Type => StageTypes.Embed;

    public void Execute(StageContext ctx)
    {
        var o = StageSupport.Bind(ctx, EmbedOptions.Bind);
        var device = StageSupport.Device(ctx);
        var world = new WorldData(ctx.Input("world"));
        var tok = world.Manifest.Tokenizer();
        var size = world.Manifest.ImageSize;
        var card = ModelFiles.ReadCard(ctx.Input("teacher"));
        using var teacher = ModelFiles.LoadClip(ctx.Input("teacher"), device);
        var pool = world.Pool(o.Pool);
        var n = pool.Count;
        var d = teacher.EmbedDim;
        var augs = new AugmentParams[n][];
        for (var i = 0; i < n; i++)
            augs[i] = Enumerable.Range(0, o.Augment.Count).Select(a => AugmentSampler.Sample(o.Augment, size, pool.Ids[i], a)).ToArray();

        var image = new float[(long)n * o.Augment.Count * d];
        for (var a = 0; a < o.Augment.Count; a++)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            var aug = a;
            var emb = Embedder.Images(teacher, pool.Pixels, size, device, i => augs[i][aug]);
            for (var i = 0; i < n; i++) Array.Copy(emb, (long)i * d, image, ((long)i * o.Augment.Count + a) * d, d);
            ctx.Progress(0.8 * (a + 1) / o.Augment.Count, "image embeddings");
        }
        var gt = Embedder.Texts(teacher, tok, pool.Captions, device);

        var synthetic = new Dictionary<string, (int, float[])>();
        foreach (var key in o.Captioners)
        {
            var set = CaptionSet.Load(ctx.Input($"captions:{key}"));
            if (!set.Ids.SequenceEqual(pool.Ids)) StageSupport.Invalid($"captions '{key}' were made for another pool than '{o.Pool}'");
            var k = set.PerImage;
            synthetic[key] = (k, Embedder.Texts(teacher, tok, set.Captions.SelectMany(c => c).ToList(), device));
        }
        ctx.Progress(1, "writing");
        EmbeddingArtifact.Write(ctx.OutputDir, new TeacherTargetSet(pool.Ids, augs.Select(AugmentParams.ListToJson).ToArray(),
            d, o.Augment.Count, image, gt, synthetic, card.LogitScale));
        ctx.Metrics.Final("rows", n);
        ctx.Metrics.Final("teacher_logit_scale", card.LogitScale);
    }
}

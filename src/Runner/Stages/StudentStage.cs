using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.Reinforced;
using Ablations.Runner.Data.World;
using Ablations.Runner.Modeling;
using Ablations.Runner.Training;

namespace Ablations.Runner.Stages;

/// <summary>
/// <c>student</c>: a student trained with the reinforced loss from stored targets. Inputs: "world", one
/// "embed:NAME" per teacher of the ensemble, one "captions:KEY" per captioner of the caption mix. No teachers
/// and λ = 0 is plain CLIP (the no-KD baseline); its augmentations are then drawn from the same
/// (seed, image, index) streams the embed stages store, so baseline and KD students see the same crops.
/// </summary>
internal sealed class StudentStage(ITeacherTargetReader reader) : IStageExecutor
{
    public StudentStage() : this(new EmbeddingArtifact()) { }

    public StageType Type => StageTypes.Student;

    public void Execute(StageContext ctx)
    {
        var o = StageSupport.Bind(ctx, StudentOptions.Bind);
        var device = StageSupport.Device(ctx);
        var world = new WorldData(ctx.Input("world"));
        var tok = world.Manifest.Tokenizer();
        var size = world.Manifest.ImageSize;
        var pool = world.Pool(o.Pool);
        var source = Load(ctx, o, pool, size);
        using var model = TorchRuntime.Build(o.Seed, () => Models.NewClip(o.Arch, world.Manifest, tok, device));
        var task = new ReinforcedTrainingTask(model, source, tok, o.Schedule.BatchSize, o.Seed, size, o.Lambda, o.SequentialSampling, o.GtReplaceProb, device);
        var steps = Batches.StepsFor(pool.Count, task.BatchSize, o.Schedule.Epochs);
        var loss = Trainer.Run(task, new TrainerOptions(o.Schedule, steps, ctx.ScratchDir), ctx.Metrics, ctx.Progress, ctx.Log, ctx.Cancellation);
        ModelFiles.SaveClip(ctx.OutputDir, model, tok.Kind);
        ctx.Metrics.Final("train_loss", loss);
        ctx.Metrics.Final("logit_scale", ModelFiles.ReadCard(ctx.OutputDir).LogitScale);
        ctx.Log.WriteLine($"student {o.Arch}: teachers [{string.Join(", ", o.Teachers.Select(t => $"{t.Name}@{t.Scale}"))}], λ {o.Lambda}, " +
                          $"captions [{string.Join(", ", o.CaptionMix)}], {steps} steps, final loss {loss:0.###}");
    }

    private ReinforcedBatchSource Load(StageContext ctx, StudentOptions o, ImageTextSet pool, int size)
    {
        var n = pool.Count;
        var captionSets = o.CaptionMix.Select(key => (key, set: CaptionSet.Load(ctx.Input($"captions:{key}")))).ToList();
        foreach (var (key, set) in captionSets)
            if (!set.Ids.SequenceEqual(pool.Ids)) StageSupport.Invalid($"captions '{key}' do not match pool '{o.Pool}'");
        var per = o.CaptionsPerCaptioner ?? (captionSets.Count == 0 ? 0 : captionSets.Min(c => c.set.PerImage));
        if (captionSets.Any(c => c.set.PerImage < per))
            StageSupport.Invalid($"captions_per_captioner {per} exceeds the captions stored per image ({captionSets.Min(c => c.set.PerImage)})");
        var synthetic = Enumerable.Range(0, n).Select(r => captionSets.SelectMany(c => c.set.Captions[r].Take(per)).ToArray()).ToArray();

        var teachers = o.Teachers.Select(t => (set: reader.Read(ctx.Input($"embed:{t.Name}")), t)).ToList();
        if (TeacherTargetSets.Mismatch([.. teachers.Select(t => (t.t.Name, t.set))], pool.Ids, $"pool '{o.Pool}'") is { } mismatch)
            StageSupport.Invalid(mismatch);
        var stored = teachers.Count == 0 ? o.Augment.Count : teachers.Min(t => t.set.Augs);
        var used = o.AugmentationsUsed ?? stored;
        if (used > stored) StageSupport.Invalid($"augmentations_used {used} exceeds the {stored} stored per image");
        var augs = teachers.Count > 0
            ? teachers[0].set.Augmentations.Select(j => AugmentParams.ListFromJson(j).Take(used).ToArray()).ToArray()
            : pool.Ids.Select(id => Enumerable.Range(0, used).Select(a => AugmentSampler.Sample(o.Augment, size, id, a)).ToArray()).ToArray();
        return new ReinforcedBatchSource(pool.Pixels, pool.Captions, o.CaptionMix, synthetic, per, augs, used,
            teachers.Select(t => (t.set, t.t.Scale)).ToList());
    }
}

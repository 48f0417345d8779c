using System.Text.Json;
using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.DataComp;
using Ablations.Runner.Data.Images;
using Ablations.Runner.Modeling;
using Ablations.Runner.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ablations.Runner.Stages;

/// <summary>
/// <c>dr_student</c>: trains a student on DataCompDR / DFNDR-format shards (<see cref="DrTrainingTask"/>), then, when the
/// spec names labelled eval shards, measures its zero-shot top-1 on them. Metrics: the training curves, and finals
/// <c>train_loss</c>, <c>logit_scale</c>, <c>samples_per_epoch</c>, <c>skipped</c> (and <c>skipped_REASON</c> per reason),
/// <c>zeroshot_top1</c>.
/// </summary>
internal sealed class DrStudentStage : IStageExecutor
{
    /// <summary>
    /// Token rows of the text tower. CLIP uses 77; 32 keeps a small student's text tower cheap, and a longer caption is
    /// cut before its end token, as CLIP cuts at 77 (a choice, not measured against 77 here).
    /// </summary>
    public const int Context = 32;

    public StageType Type => StageTypes.DrStudent;

    public void Execute(StageContext ctx)
    {
        var o = StageSupport.Bind(ctx, DrStudentOptions.Bind);
        CheckData(ctx, o);
        var device = StageSupport.Device(ctx);
        var source = Source(o);
        var tok = new BpeTokenizer();
        if (!Architecture.Names.Contains(o.Arch)) StageSupport.Invalid($"unknown architecture '{o.Arch}'; known: {string.Join(", ", Architecture.Names)}");
        var spec = new ModelSpec(o.Arch, o.ImageSize, tok.VocabSize, Context, tok.Eot);

        var counter = new DrStream(source, o.Seed, o.ShuffleBuffer, long.MaxValue);
        long perEpoch;
        try
        {
            perEpoch = o.Samples ?? counter.Count();
        }
        catch (DrLayoutException e)
        {
            throw new StageFailedException(FailureKind.InvalidConfig, e.Message);
        }
        if (perEpoch < 2) StageSupport.Invalid($"the shards hold {perEpoch} readable sample(s) ({DrStream.Describe(counter.Reader.Skipped)}); a student needs at least 2");
        ctx.Log.WriteLine($"dr_student: {source.Shards.Count} shard(s), {perEpoch} samples per epoch" +
                          (o.Samples is null ? $" (counted; {DrStream.Describe(counter.Reader.Skipped)})" : ""));

        var stream = new DrStream(source, o.Seed, o.ShuffleBuffer, perEpoch);
        using var model = TorchRuntime.Build(o.Seed, () => new ClipModel(spec));
        model.to(device);
        var task = new DrTrainingTask(model, stream, o, tok, device);
        var steps = task.StepsPerEpoch * o.Schedule.Epochs;
        double loss;
        try
        {
            loss = Trainer.Run(task, new TrainerOptions(o.Schedule, steps, ctx.ScratchDir), ctx.Metrics, ctx.Progress, ctx.Log, ctx.Cancellation);
        }
        catch (DrLayoutException e)
        {
            throw new StageFailedException(FailureKind.InvalidConfig, e.Message);
        }
        ModelFiles.SaveClip(ctx.OutputDir, model, tok.Kind);
        ctx.Metrics.Final("train_loss", loss);
        ctx.Metrics.Final("logit_scale", ModelFiles.ReadCard(ctx.OutputDir).LogitScale);
        ctx.Metrics.Final("samples_per_epoch", perEpoch);
        var skipped = new Dictionary<string, long>(o.Samples is null ? counter.Reader.Skipped : stream.Reader.Skipped);
        if (task.Undecodable > 0) skipped["undecodable image"] = task.Undecodable;
        ctx.Metrics.Final("skipped", skipped.Values.Sum());
        foreach (var (reason, n) in skipped) ctx.Metrics.Final("skipped_" + string.Join('_', reason.Split(' ', '(', ')').Where(w => w.Length > 0)), n);
        ctx.Log.WriteLine($"dr_student {o.Arch} at {o.ImageSize} px: teachers [{string.Join(", ", o.Teachers.Select(t => $"{t.Name} {t.Dim}d @{t.Scale}"))}], " +
                          $"λ {o.Lambda}, {steps} steps, final loss {loss:0.###}; skipped: {DrStream.Describe(skipped)}");
        if (o.Eval is { } eval)
        {
            var top1 = ZeroShotOnShards(model, tok, eval, o.ImageSize, device, ctx.Log);
            ctx.Metrics.Final("zeroshot_top1", top1);
        }
    }

    /// <summary>The data must be what was planned: a shard replaced after planning would train a stage whose hash says otherwise.</summary>
    private static void CheckData(StageContext ctx, DrStudentOptions o)
    {
        if (ExternalData.Unseen(o.DataFingerprint) is { } unseen)
            StageSupport.Invalid($"the planner could not see {unseen}, so this stage's hash holds no fingerprint of its data; " +
                                 "plan (ablate run / submit) on a machine that sees the data, as the runners do");
        string now;
        try
        {
            now = ExternalData.Fingerprint(ctx.Config, DrStudentOptions.DataKeys);
        }
        catch (ExternalData.PatternException e)
        {
            throw new StageFailedException(FailureKind.InvalidConfig, $"{e.Message} (on this runner)");
        }
        if (ExternalData.Unseen(now) is { } gone)
            StageSupport.Invalid($"{gone} is not visible on this runner; mount the data at the same path on every node (docs/data-format.md)");
        if (o.DataFingerprint is null || now != o.DataFingerprint)
            throw new StageFailedException(FailureKind.InvalidConfig,
                "the shards changed since this stage was planned (another size or modification time); run `ablate run` again so that it is planned, and hashed, on the data as it is now");
    }

    private static DrSource Source(DrStudentOptions o)
    {
        IReadOnlyList<string> shards, images;
        try
        {
            shards = ShardPattern.Expand(o.Shards, Environment.CurrentDirectory);
            images = o.Images is null ? [] : ShardPattern.Expand(o.Images, Environment.CurrentDirectory);
        }
        catch (FormatException e)
        {
            throw new StageFailedException(FailureKind.InvalidConfig, $"shard pattern: {e.Message}");
        }
        if (o.Images is not null && images.Count != shards.Count)
            StageSupport.Invalid($"images names {images.Count} shard(s) and shards {shards.Count}: the base dataset's shards must pair with the reinforced ones, one for one and in order");
        return new DrSource(shards, o.Images is null ? null : images, o.Teachers.Select(t => t.Dim).ToList(), o.SynKeyRegex);
    }

    /// <summary>
    /// Zero-shot top-1 on KEY.jpg + KEY.cls shards: each image's centre square (the largest that fits) resized to the
    /// student's resolution, bicubic, against one prompt per class; unreadable samples are left out and logged.
    /// </summary>
    private static double ZeroShotOnShards(ClipModel model, ITextTokenizer tok, DrEvalOptions eval, int size, Device device, TextWriter log)
    {
        string[] classes;
        try
        {
            classes = JsonSerializer.Deserialize<string[]>(File.ReadAllText(eval.Classnames)) ?? [];
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new StageFailedException(FailureKind.InvalidConfig, $"eval.classnames {eval.Classnames}: {e.Message}; it must be a JSON list of class names in label order");
        }
        using var _ = no_grad();
        model.eval();
        using var scope = NewDisposeScope();
        var prompts = classes.Select(c => eval.Template.Replace("{}", c)).ToList();
        var classEmb = model.EncodeText(tensor(tok.EncodeBatch(prompts, Context), [prompts.Count, Context], device: device));
        int correct = 0, total = 0, unreadable = 0;
        var per = 3 * size * size;
        const int batch = 256; // images held at once: an ImageNet-val shard of 1,000 would be 600 MB of floats at 224 px
        var pixels = new float[batch * per];
        var labels = new List<int>(batch);
        void Score()
        {
            if (labels.Count == 0) return;
            var n = labels.Count;
            var predicted = model.EncodeImage(tensor(pixels.AsSpan(0, n * per).ToArray(), [n, 3, size, size], device: device))
                .matmul(classEmb.t()).argmax(1).cpu().data<long>().ToArray();
            for (var k = 0; k < n; k++) correct += predicted[k] == labels[k] ? 1 : 0;
            total += n;
            labels.Clear();
        }
        foreach (var shard in ShardPattern.Expand(eval.Shards, Environment.CurrentDirectory))
        {
            using var stream = File.OpenRead(shard);
            foreach (var sample in WebDatasetTar.Read(stream, shard))
            {
                var bytes = sample.Image;
                if (bytes is null || !sample.Parts.TryGetValue("cls", out var cls) || !int.TryParse(System.Text.Encoding.ASCII.GetString(cls).Trim(), out var label)
                    || label < 0 || label >= classes.Length)
                {
                    unreadable++;
                    continue;
                }
                RgbImage image;
                try { image = ImageDecoder.Decode(bytes); }
                catch (InvalidDataException) { unreadable++; continue; }
                var side = Math.Min(image.Width, image.Height);
                var centre = new Data.Reinforced.DrAugmentation((image.Height - side) / 2, (image.Width - side) / 2, side, side, []);
                DrReplay.ToChw(DrReplay.Apply(image, centre, size, DrInterpolation.Bicubic), pixels.AsSpan(labels.Count * per, per), DrTrainingTask.Mean, DrTrainingTask.Std);
                labels.Add(label);
                if (labels.Count == batch) Score();
            }
        }
        Score();
        if (total == 0) StageSupport.Invalid($"eval.shards {eval.Shards}: no labelled image (KEY.jpg with KEY.cls) could be read ({unreadable} unreadable)");
        log.WriteLine($"zero-shot on {total} eval images, {classes.Length} classes: top-1 {(double)correct / total:0.###}" + (unreadable > 0 ? $" ({unreadable} unreadable left out)" : ""));
        return (double)correct / total;
    }
}

using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.Reinforced;
using Ablations.Runner.Modeling;
using Ablations.Runner.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ablations.Bench;

/// <summary>
/// An in-memory reinforced dataset of the student's real shapes: N rows of 32×32 HWC bytes, GT captions of a
/// small word vocabulary, a caption mix of two captioners × 2 captions per image, 4 stored augmentations per
/// image (drawn by <see cref="AugmentSampler"/>, exactly as the embed stage draws them) and two stored teachers
/// of dimension 128 (cnn-base's) with L2-normalised random embeddings. Pixel values and embeddings are random:
/// the timings do not depend on them.
/// </summary>
internal sealed class RunnerBenchFixture
{
    public const int ImageSize = 32;
    public const int TeacherDim = 128;
    public const int Augs = 4;
    public const int PerCaptioner = 2;
    public static readonly string[] Mix = ["cap_a", "cap_b"];

    private static readonly string[] Words =
    [
        "a", "the", "red", "green", "blue", "yellow", "purple", "orange", "small", "large", "circle", "square",
        "triangle", "star", "left", "right", "top", "bottom", "of", "on", "next", "to", "striped", "dotted",
        "plain", "shape", "picture", "image", "photo", "two", "three", "one", "near", "center", "dark", "light",
    ];

    public RunnerBenchFixture(int rows, long seed)
    {
        var rng = Rng.For(seed, 1);
        Tokenizer = new WordTokenizer(Words);
        var pixels = new byte[rows][];
        for (var r = 0; r < rows; r++)
        {
            pixels[r] = new byte[ImageSize * ImageSize * 3];
            for (var i = 0; i < pixels[r].Length; i++) pixels[r][i] = (byte)rng.Next(256);
        }
        string Caption() => string.Join(' ', Enumerable.Range(0, 6 + rng.Next(6)).Select(_ => rng.Pick(Words)));
        var gt = Enumerable.Range(0, rows).Select(_ => Caption()).ToArray();
        var cols = Mix.Length * PerCaptioner;
        var synthetic = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).Select(_ => Caption()).ToArray()).ToArray();
        var augOptions = new AugmentOptions(Augs, 0.6, 2, 0.5, 17);
        var augs = Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, Augs).Select(a => AugmentSampler.Sample(augOptions, ImageSize, r, a)).ToArray()).ToArray();
        var ids = Enumerable.Range(0, rows).Select(r => (long)r).ToArray();
        var augJson = augs.Select(a => AugmentParams.ListToJson(a)).ToArray();

        float[] Unit(int count)
        {
            var data = new float[count * TeacherDim];
            for (var k = 0; k < count; k++)
            {
                double norm = 0;
                for (var d = 0; d < TeacherDim; d++) { var v = (float)rng.Normal(); data[k * TeacherDim + d] = v; norm += v * v; }
                var inv = (float)(1 / Math.Sqrt(norm));
                for (var d = 0; d < TeacherDim; d++) data[k * TeacherDim + d] *= inv;
            }
            return data;
        }
        TeacherTargetSet Teacher() => new(ids, augJson, TeacherDim, Augs, Unit(rows * Augs), Unit(rows),
            Mix.ToDictionary(m => m, _ => (PerCaptioner, Unit(rows * PerCaptioner))), 50);

        Pixels = pixels;
        Stored = new ReinforcedBatchSource(pixels, gt, Mix, synthetic, PerCaptioner, augs, Augs, [(Teacher(), 20.0), (Teacher(), 20.0)]);
        NoTeachers = Stored with { Teachers = [] };
    }

    public WordTokenizer Tokenizer { get; }
    public byte[][] Pixels { get; }

    /// <summary>The KD student's source: two stored teachers.</summary>
    public ReinforcedBatchSource Stored { get; }

    /// <summary>The no-KD baseline's source: same rows, captions and augmentations, no teachers (λ = 0).</summary>
    public ReinforcedBatchSource NoTeachers { get; }

    public ClipModel NewClip(string arch, long seed)
    {
        torch.manual_seed(seed);
        return new ClipModel(new ModelSpec(arch, ImageSize, Tokenizer.VocabSize, Batches.ContextLength, Tokenizer.Eot));
    }
}

/// <summary>Drops every metric: the benchmark times the loop, not the store.</summary>
internal sealed class NullMetricSink : IMetricSink
{
    public void Log(string name, long step, double value) { }

    public void Final(string name, double value) { }

    public void Flush() { }
}

/// <summary>
/// Online KD for contrast: the same sampling as <see cref="ReinforcedTrainingTask"/> (rows, replayed stored
/// augmentation, one synthetic caption), but each teacher (a frozen cnn-base CLIP) runs forward every step on
/// the augmented images, the GT captions and the synthetic captions instead of reading stored embeddings.
/// </summary>
internal sealed class OnlineKdTask(ClipModel student, IReadOnlyList<ClipModel> teachers, ReinforcedBatchSource src, ITextTokenizer tok,
    int batchSize, long seed, double lambda) : ITrainingTask
{
    public nn.Module Model => student;
    public int BatchSize { get; } = Math.Min(batchSize, src.Pixels.Length);

    public (Tensor Loss, IReadOnlyDictionary<string, Tensor> Extras) Step(long step)
    {
        var rows = Batches.StepRows(seed, step, src.Pixels.Length, BatchSize);
        var b = rows.Length;
        var aug = new int[b];
        var gtText = new string[b];
        var synText = new string[b];
        for (var k = 0; k < b; k++)
        {
            var rng = Rng.For(seed, 0x5e1ec7, step, k);
            aug[k] = rng.Next(src.AugsUsed);
            gtText[k] = src.GtCaptions[rows[k]];
            var col = rng.Next(src.CaptionMix.Count) * src.PerCaptioner + rng.Next(src.PerCaptioner);
            synText[k] = src.Synthetic[rows[k]][col];
        }
        var device = CPU;
        var images = Batches.Images(src.Pixels, rows, RunnerBenchFixture.ImageSize, device, k => src.Augmentations[rows[k]][aug[k]]);
        var gtIds = Batches.Tokens(tok, gtText, device);
        var synIds = Batches.Tokens(tok, synText, device);

        var gtTargets = new List<TeacherTargets>();
        var synTargets = new List<TeacherTargets>();
        using (no_grad())
        {
            foreach (var t in teachers)
            {
                var img = t.EncodeImage(images);
                gtTargets.Add(new TeacherTargets(img, t.EncodeText(gtIds), 20));
                synTargets.Add(new TeacherTargets(img, t.EncodeText(synIds), 20));
            }
        }

        var scale = student.Scale();
        var imageEmb = student.EncodeImage(images);
        var gt = ReinforcedKdLoss.Compute(imageEmb, student.EncodeText(gtIds), scale, gtTargets, lambda);
        var syn = ReinforcedKdLoss.Compute(imageEmb, student.EncodeText(synIds), scale, synTargets, lambda);
        return (gt.Total + syn.Total, new Dictionary<string, Tensor> { ["loss_clip"] = gt.Clip + syn.Clip, ["loss_kd"] = gt.Kd + syn.Kd, ["logit_scale"] = scale });
    }
}

/// <summary>
/// The bare loop of the pipeline benchmark: the KD student's model work and loss on pre-made tensors of the
/// real shapes (K batches assembled once by the real pipeline, cycled), so a step does no augmentation
/// replay, caption sampling, tokenising or target gathering.
/// </summary>
internal sealed class PremadeKdTask : ITrainingTask
{
    private readonly ClipModel _student;
    private readonly double _lambda;
    private readonly List<(Tensor Images, Tensor Gt, Tensor Syn, TeacherTargets[] GtT, TeacherTargets[] SynT)> _batches = [];

    public PremadeKdTask(ClipModel student, ReinforcedBatchSource src, ITextTokenizer tok, int batchSize, long seed, double lambda, int distinct)
    {
        _student = student;
        _lambda = lambda;
        BatchSize = Math.Min(batchSize, src.Pixels.Length);
        var n = src.Pixels.Length;
        var cols = src.CaptionMix.Count * src.PerCaptioner;
        var stored = src.Teachers.Select(t => (
            Image: tensor(t.Set.Image, [n * t.Set.Augs, t.Set.Dim]),
            Gt: tensor(t.Set.Gt, [n, t.Set.Dim]),
            t.Set, t.Scale)).ToList();
        for (var s = 0; s < distinct; s++)
        {
            var rows = Batches.StepRows(seed, s, n, BatchSize);
            var rng = Rng.For(seed, 0x5e1ec7, s);
            var aug = rows.Select(_ => rng.Next(src.AugsUsed)).ToArray();
            var col = rows.Select(_ => rng.Next(cols)).ToArray();
            var images = Batches.Images(src.Pixels, rows, RunnerBenchFixture.ImageSize, CPU, k => src.Augmentations[rows[k]][aug[k]]);
            var gt = Batches.Tokens(tok, rows.Select(r => src.GtCaptions[r]).ToArray(), CPU);
            var syn = Batches.Tokens(tok, rows.Select((r, k) => src.Synthetic[r][col[k]]).ToArray(), CPU);
            var gtT = new TeacherTargets[stored.Count];
            var synT = new TeacherTargets[stored.Count];
            for (var t = 0; t < stored.Count; t++)
            {
                var (image, gtEmb, set, scale) = stored[t];
                var img = image.index_select(0, tensor(rows.Select((r, k) => (long)r * set.Augs + aug[k]).ToArray()));
                gtT[t] = new TeacherTargets(img, gtEmb.index_select(0, tensor(rows.Select(r => (long)r).ToArray())), scale);
                var synData = new float[rows.Length * set.Dim];
                for (var k = 0; k < rows.Length; k++)
                {
                    var (per, data) = set.Synthetic[src.CaptionMix[col[k] / src.PerCaptioner]];
                    Array.Copy(data, ((long)rows[k] * per + col[k] % src.PerCaptioner) * set.Dim, synData, (long)k * set.Dim, set.Dim);
                }
                synT[t] = gtT[t] with { Text = tensor(synData, [rows.Length, set.Dim]) };
            }
            _batches.Add((images, gt, syn, gtT, synT));
        }
    }

    public nn.Module Model => _student;
    public int BatchSize { get; }

    public (Tensor Loss, IReadOnlyDictionary<string, Tensor> Extras) Step(long step)
    {
        var (images, gtIds, synIds, gtT, synT) = _batches[(int)(step % _batches.Count)];
        var scale = _student.Scale();
        var imageEmb = _student.EncodeImage(images);
        var gt = ReinforcedKdLoss.Compute(imageEmb, _student.EncodeText(gtIds), scale, gtT, _lambda);
        var syn = ReinforcedKdLoss.Compute(imageEmb, _student.EncodeText(synIds), scale, synT, _lambda);
        return (gt.Total + syn.Total, new Dictionary<string, Tensor> { ["loss_clip"] = gt.Clip + syn.Clip, ["loss_kd"] = gt.Kd + syn.Kd, ["logit_scale"] = scale });
    }
}

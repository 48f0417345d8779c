using Ablations.Runner.Data;
using Ablations.Runner.Modeling;
using static TorchSharp.torch;

namespace Ablations.Runner.Training;

/// <summary>
/// A student step per docs/method.md, "Sampling, per step": per image one stored augmentation (uniformly, or epoch mod N when
/// sequential) replayed from its parameters — the teachers' image targets are the embeddings stored for that
/// index; one synthetic caption by picking a captioner of the mix uniformly, then one of its captions
/// uniformly; the loss on (image, GT caption) plus the loss on (same image, synthetic caption). The host work
/// of the next step (replaying augmentations, tokenising) runs while this one trains (<see cref="Prefetcher{T}"/>).
/// </summary>
internal sealed class ReinforcedTrainingTask : ITrainingTask
{
    private readonly ClipModel _model;
    private readonly ReinforcedBatchSource _src;
    private readonly ITextTokenizer _tok;
    private readonly long _seed;
    private readonly int _size;
    private readonly double _lambda;
    private readonly bool _sequential;
    private readonly double _gtReplace;
    private readonly Device _device;
    private readonly Tensor[] _teacherImage;  // per teacher [N*Augs, D]
    private readonly Tensor[] _teacherText;   // per teacher [N*(1+cols), D]: per row the GT caption, then the mix's synthetic columns
    private readonly Prefetcher<HostBatch> _prefetch;

    public ReinforcedTrainingTask(ClipModel model, ReinforcedBatchSource src, ITextTokenizer tok, int batchSize, long seed,
        int imageSize, double lambda, bool sequential, double gtReplaceProb, Device device)
    {
        _model = model;
        _src = src;
        _tok = tok;
        BatchSize = Math.Min(batchSize, src.Pixels.Length);
        _seed = seed;
        _size = imageSize;
        _lambda = lambda;
        _sequential = sequential;
        _gtReplace = gtReplaceProb;
        _device = device;
        var n = src.Pixels.Length;
        _teacherImage = src.Teachers.Select(t => tensor(t.Set.Image, [n * t.Set.Augs, t.Set.Dim], device: device)).ToArray();
        _teacherText = src.Teachers.Select(t => TextTargets(t.Set, src.CaptionMix, src.PerCaptioner, n, device)).ToArray();
        _prefetch = new Prefetcher<HostBatch>(Prepare);
    }

    public nn.Module Model => _model;
    public int BatchSize { get; }

    /// <summary>Teacher <paramref name="t"/>'s text-target table (see <see cref="TextTargets"/>), for tests.</summary>
    internal Tensor TextTargetsOf(int t) => _teacherText[t];

    public (Tensor Loss, IReadOnlyDictionary<string, Tensor> Extras) Step(long step)
    {
        var h = _prefetch.Get(step);
        var b = h.Rows.Length;
        var images = tensor(h.Pixels, [b, 3, _size, _size], device: _device);
        var scale = _model.Scale();
        var imageEmb = _model.EncodeImage(images);
        var gtIdx = tensor(h.GtTextIndex, device: _device);

        var gtTargets = new List<TeacherTargets>();
        for (var t = 0; t < _src.Teachers.Count; t++)
            gtTargets.Add(new TeacherTargets(_teacherImage[t].index_select(0, tensor(h.TeacherImageIndex[t], device: _device)),
                _teacherText[t].index_select(0, gtIdx), _src.Teachers[t].Scale));
        var gtText = tensor(h.GtTokens, [b, Batches.ContextLength], device: _device);
        var gtParts = ReinforcedKdLoss.Compute(imageEmb, _model.EncodeText(gtText), scale, gtTargets, _lambda);
        var total = gtParts.Total;
        var clip = gtParts.Clip;
        var kd = gtParts.Kd;

        if (h.SyntheticIndex is not null)
        {
            var synIdx = tensor(h.SyntheticIndex, device: _device);
            var synTargets = gtTargets.Select((g, t) => g with { Text = _teacherText[t].index_select(0, synIdx) }).ToList();
            var synText = tensor(h.SyntheticTokens!, [b, Batches.ContextLength], device: _device);
            var synParts = ReinforcedKdLoss.Compute(imageEmb, _model.EncodeText(synText), scale, synTargets, _lambda);
            total = total.Plus(synParts.Total);
            clip = clip.Plus(synParts.Clip);
            kd = kd.Plus(synParts.Kd);
        }
        return (total, new Dictionary<string, Tensor> { ["loss_clip"] = clip, ["loss_kd"] = kd, ["logit_scale"] = scale });
    }

    /// <summary>The host side of step <paramref name="step"/>: rows, the random choices, replayed pixels, token ids and target indices.</summary>
    internal HostBatch Prepare(long step)
    {
        var n = _src.Pixels.Length;
        var rows = Batches.StepRows(_seed, step, n, BatchSize);
        var epoch = step / Math.Max(1, n / BatchSize);
        var b = rows.Length;
        var aug = new int[b];
        var synCol = new int[b];
        var gtCol = new int[b];                // -1: the GT caption; else the synthetic column that replaced it
        var gtText = new string[b];
        var synText = new string[b];
        var cols = _src.CaptionMix.Count * _src.PerCaptioner;
        for (var k = 0; k < b; k++)
        {
            var rng = Rng.For(_seed, 0x5e1ec7, step, k);
            aug[k] = _sequential ? (int)(epoch % _src.AugsUsed) : rng.Next(_src.AugsUsed);
            gtCol[k] = -1;
            gtText[k] = _src.GtCaptions[rows[k]];
            if (cols == 0) continue;
            var captioner = rng.Next(_src.CaptionMix.Count);
            var j = _sequential ? (int)(epoch % _src.PerCaptioner) : rng.Next(_src.PerCaptioner);
            synCol[k] = captioner * _src.PerCaptioner + j;
            synText[k] = _src.Synthetic[rows[k]][synCol[k]];
            if (_gtReplace > 0 && rng.NextDouble() < _gtReplace)
            {
                gtCol[k] = rng.Next(cols);
                gtText[k] = _src.Synthetic[rows[k]][gtCol[k]];
            }
        }
        var width = 1 + cols; // GT, then the synthetic columns (TextTargets)
        return new HostBatch(
            rows,
            Batches.Pixels(_src.Pixels, rows, _size, k => _src.Augmentations[rows[k]][aug[k]]),
            _src.Teachers.Select(t => rows.Select((r, k) => (long)r * t.Set.Augs + aug[k]).ToArray()).ToArray(),
            _tok.EncodeBatch(gtText, Batches.ContextLength),
            rows.Select((r, k) => (long)r * width + 1 + gtCol[k]).ToArray(),
            cols > 0 ? rows.Select((r, k) => (long)r * width + 1 + synCol[k]).ToArray() : null,
            cols > 0 ? _tok.EncodeBatch(synText, Batches.ContextLength) : null);
    }

    /// <param name="GtTextIndex">Per row, the teachers' text target of the first loss term: the GT caption's, or that of the synthetic caption which replaced it.</param>
    internal sealed record HostBatch(int[] Rows, float[] Pixels, long[][] TeacherImageIndex, long[] GtTokens, long[] GtTextIndex,
        long[]? SyntheticIndex, long[]? SyntheticTokens);

    /// <summary>
    /// [N*(1+cols), D]: row r's block holds this teacher's embedding of r's GT caption, then of caption
    /// (CaptionMix[c / per], c % per) for each mix column c. One table for both loss terms, so a GT caption
    /// replaced by a synthetic one (gt_replace_prob) gets that caption's target, not the GT caption's.
    /// </summary>
    private static Tensor TextTargets(Data.Reinforced.TeacherTargetSet set, IReadOnlyList<string> mix, int per, int n, Device device)
    {
        var cols = mix.Count * per;
        var width = 1 + cols;
        var data = new float[(long)n * width * set.Dim];
        for (var r = 0; r < n; r++) Array.Copy(set.Gt, (long)r * set.Dim, data, (long)r * width * set.Dim, set.Dim);
        for (var c = 0; c < cols; c++)
        {
            if (!set.Synthetic.TryGetValue(mix[c / per], out var syn))
                throw new InvalidDataException($"teacher targets have no captions '{mix[c / per]}' (have: {string.Join(", ", set.Synthetic.Keys)})");
            var j = c % per;
            for (var r = 0; r < n; r++)
                Array.Copy(syn.Data, ((long)r * syn.PerImage + j) * set.Dim, data, ((long)r * width + 1 + c) * set.Dim, set.Dim);
        }
        return tensor(data, [n * width, set.Dim], device: device);
    }
}

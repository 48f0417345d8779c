using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.DataComp;
using Ablations.Runner.Data.Images;
using Ablations.Runner.Modeling;
using static TorchSharp.torch;

namespace Ablations.Runner.Training;

/// <summary>
/// A student step on DataCompDR-format shards, as Apple's training patch (<c>preprocess_dr</c> and <c>DRClipLoss</c>) takes
/// it: per sample one stored augmentation (uniformly, or epoch mod N when sequential), replayed on the decoded image at
/// the student's resolution; the GT caption; one synthetic caption (a selected key uniformly, then one of its captions);
/// the teachers' stored embeddings of that augmentation and those captions, sliced per teacher. The loss is the
/// ensemble KD of <see cref="ReinforcedKdLoss"/> with each teacher's own logit scale, on (image, GT) plus (image,
/// synthetic); with <c>mix_synthetic</c> the GT caption is replaced by the synthetic one with that probability and there
/// is one term, as the patch's mix option does. Host work of step s + 1 (decode, replay, tokenise) overlaps step s.
/// </summary>
internal sealed class DrTrainingTask : ITrainingTask
{
    /// <summary>CLIP's normalisation, which Apple's configs use for every student.</summary>
    public static readonly float[] Mean = [0.48145466f, 0.4578275f, 0.40821073f], Std = [0.26862954f, 0.26130258f, 0.27577711f];

    private readonly ClipModel _model;
    private readonly DrStream _stream;
    private readonly DrStudentOptions _o;
    private readonly ITextTokenizer _tok;
    private readonly Device _device;
    private readonly DrInterpolation _interpolation;
    private readonly long _stepsPerEpoch;
    private readonly int _width;            // ΣD_k: a row of the stored embeddings
    [ThreadStatic] private static RgbImage? _replayed; // each loader thread replays into one kept image (a 224 one is 150 kB)
    private readonly Prefetcher<Batch> _prefetch;
    private IEnumerator<DrSample>? _cursor;
    private long _cursorStep = -1;

    public DrTrainingTask(ClipModel model, DrStream stream, DrStudentOptions o, ITextTokenizer tok, Device device)
    {
        _model = model;
        _stream = stream;
        _o = o;
        _tok = tok;
        _device = device;
        _interpolation = o.Interpolation == "bilinear" ? DrInterpolation.Bilinear : DrInterpolation.Bicubic;
        BatchSize = (int)Math.Min(o.Schedule.BatchSize, stream.SamplesPerEpoch);
        _stepsPerEpoch = Math.Max(1, stream.SamplesPerEpoch / BatchSize);
        _width = o.Teachers.Sum(t => t.Dim);
        _prefetch = new Prefetcher<Batch>(Prepare);
    }

    public nn.Module Model => _model;
    public int BatchSize { get; }
    public long StepsPerEpoch => _stepsPerEpoch;

    public (Tensor Loss, IReadOnlyDictionary<string, Tensor> Extras) Step(long step)
    {
        var h = _prefetch.Get(step);
        var b = h.Rows;
        var s = _o.ImageSize;
        var images = tensor(h.Pixels, [b, 3, s, s], device: _device);
        var scale = _model.Scale();
        var imageEmb = _model.EncodeImage(images);
        var teacherImage = tensor(h.TeacherImage, [b, _width], device: _device);
        var gtTeacherText = tensor(h.TeacherGt, [b, _width], device: _device);
        var parts = Compute(imageEmb, tensor(h.GtTokens, [b, _model.Spec.ContextLength], device: _device), scale, teacherImage, gtTeacherText);
        var (total, clip, kd) = (parts.Total, parts.Clip, parts.Kd);
        if (h.SynTokens is not null)
        {
            var syn = Compute(imageEmb, tensor(h.SynTokens, [b, _model.Spec.ContextLength], device: _device), scale, teacherImage,
                tensor(h.TeacherSyn!, [b, _width], device: _device));
            total = total.Plus(syn.Total);
            clip = clip.Plus(syn.Clip);
            kd = kd.Plus(syn.Kd);
        }
        return (total, new Dictionary<string, Tensor> { ["loss_clip"] = clip, ["loss_kd"] = kd, ["logit_scale"] = scale });
    }

    private LossParts Compute(Tensor imageEmb, Tensor tokens, Tensor scale, Tensor teacherImage, Tensor teacherText)
    {
        var targets = new List<TeacherTargets>();
        var at = 0L;
        foreach (var t in _o.Teachers)
        {
            targets.Add(new TeacherTargets(teacherImage.narrow(1, at, t.Dim), teacherText.narrow(1, at, t.Dim), t.Scale));
            at += t.Dim;
        }
        return ReinforcedKdLoss.Compute(imageEmb, _model.EncodeText(tokens), scale, _o.Lambda > 0 ? targets : [], _o.Lambda);
    }

    /// <summary>The host side of a step: which samples (the stream's order), the random picks of (seed, step, row), replayed pixels, tokens, targets.</summary>
    internal Batch Prepare(long step)
    {
        var epoch = step / _stepsPerEpoch;
        if (_cursor is null || _cursorStep != step)
        {
            _cursor?.Dispose();
            _cursor = _stream.Epoch(epoch, step % _stepsPerEpoch * BatchSize).GetEnumerator();
        }
        var samples = new DrSample[BatchSize];
        for (var k = 0; k < BatchSize; k++)
        {
            if (!_cursor.MoveNext()) throw new InvalidDataException($"epoch {epoch} ended before step {step} had its batch");
            samples[k] = _cursor.Current;
        }
        _cursorStep = (step + 1) % _stepsPerEpoch == 0 ? -1 : step + 1; // a new epoch opens a new stream
        if (_cursorStep < 0) { _cursor.Dispose(); _cursor = null; }

        var width = _width;
        var size = _o.ImageSize;
        var per = 3 * size * size;
        var pixels = new float[BatchSize * per];
        var teacherImage = new float[BatchSize * width];
        var teacherGt = new float[BatchSize * width];
        var teacherSyn = new float[BatchSize * width];
        var gtText = new string[BatchSize];
        var synText = new string[BatchSize];
        var twoTerms = _o.MixSynthetic is null;
        var undecodable = new bool[BatchSize];
        Parallel.For(0, BatchSize, k =>
        {
            var sample = samples[k];
            var rng = Rng.For(_o.Seed, 0xd5a57e9, step, k);
            var augs = sample.Augmentations.Count;
            var a = _o.SequentialSampling ? (int)(epoch % augs) : rng.Next(augs);
            var key = sample.SynKeys[rng.Next(sample.SynKeys.Count)];
            var captions = sample.Syn[key];
            var c = _o.SequentialSampling ? (int)(epoch % captions.Length) : rng.Next(captions.Length);
            try
            {
                var image = ImageDecoder.Decode(sample.Image);
                if (_replayed is null || _replayed.Width != size) _replayed = RgbImage.Blank(size, size);
                DrReplay.ApplyInto(image, sample.Augmentations[a], _replayed, _interpolation);
                DrReplay.ToChw(_replayed, pixels.AsSpan(k * per, per), Mean, Std);
            }
            catch (InvalidDataException)
            {
                undecodable[k] = true;
                return;
            }
            sample.ImageEmb.Row(a).CopyTo(teacherImage.AsSpan(k * width, width));
            sample.TextEmb.Row(0).CopyTo(teacherGt.AsSpan(k * width, width));
            sample.SynRow(key, c).CopyTo(teacherSyn.AsSpan(k * width, width));
            gtText[k] = sample.Caption;
            synText[k] = captions[c];
            if (!twoTerms && rng.NextDouble() < _o.MixSynthetic!.Value)
            {
                gtText[k] = synText[k];
                teacherSyn.AsSpan(k * width, width).CopyTo(teacherGt.AsSpan(k * width, width));
            }
        });
        FillUndecodable(undecodable, per, width, pixels, teacherImage, teacherGt, teacherSyn, gtText, synText);
        var context = _model.Spec.ContextLength;
        return new Batch(BatchSize, pixels, teacherImage, teacherGt, _tok.EncodeBatch(gtText, context),
            twoTerms ? teacherSyn : null, twoTerms ? _tok.EncodeBatch(synText, context) : null, samples, gtText);
    }

    /// <summary>Images that could not be decoded (skipped and counted).</summary>
    public long Undecodable => Interlocked.Read(ref _undecodable);

    private long _undecodable;

    /// <summary>
    /// A row whose image does not decode takes a copy of the next good row of the batch: the sample is skipped and counted,
    /// the batch keeps its size, and the batch is still a function of the step alone (a resume sees the same rows).
    /// </summary>
    private void FillUndecodable(bool[] bad, int per, int width, float[] pixels, float[] ti, float[] tg, float[] ts, string[] gt, string[] syn)
    {
        var n = bad.Length;
        if (!bad.Contains(true)) return;
        if (bad.All(b => b)) throw new InvalidDataException($"no image of a batch of {n} could be decoded; are these image shards?");
        for (var k = 0; k < n; k++)
        {
            if (!bad[k]) continue;
            Interlocked.Increment(ref _undecodable);
            var g = Enumerable.Range(1, n).Select(d => (k + d) % n).First(j => !bad[j]);
            pixels.AsSpan(g * per, per).CopyTo(pixels.AsSpan(k * per, per));
            foreach (var a in (float[][])[ti, tg, ts]) a.AsSpan(g * width, width).CopyTo(a.AsSpan(k * width, width));
            gt[k] = gt[g];
            syn[k] = syn[g];
        }
    }

    /// <param name="Samples">The samples of the batch, and <paramref name="GtText"/> the caption of each first loss term: for tests.</param>
    internal sealed record Batch(int Rows, float[] Pixels, float[] TeacherImage, float[] TeacherGt, long[] GtTokens, float[]? TeacherSyn, long[]? SynTokens,
        DrSample[] Samples, string[] GtText);
}

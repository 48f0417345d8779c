using Ablations.Runner.Modeling;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Ablations.Runner.Training;

/// <summary>One teacher's stored targets for a batch: L2-normalised embeddings and its fixed KD logit scale t_k.</summary>
internal sealed record TeacherTargets(Tensor Image, Tensor Text, double Scale);

/// <summary>The three numbers of one loss evaluation; <see cref="Kd"/> is zero when there are no teachers.</summary>
internal sealed record LossParts(Tensor Total, Tensor Clip, Tensor Kd);

/// <summary>
/// docs/method.md, "The loss", exactly: per teacher P_k = row-softmax(t_k·Ψimg^k·Ψtxt^kᵀ); ensemble target P = mean_k P_k
/// (an average of probability matrices, not of embeddings or logits); KD = cross-entropy of P against the
/// student's row-log-softmax of s·Φimg·Φtxtᵀ, averaged over rows, for image→text and text→image (transposed
/// similarities), averaged; total = (1−λ)·CLIP + λ·KD. The caller sums the GT-caption and synthetic-caption terms.
/// </summary>
internal static class ReinforcedKdLoss
{
    public static LossParts Compute(Tensor image, Tensor text, Tensor scale, IReadOnlyList<TeacherTargets> teachers, double lambda)
    {
        if (lambda is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be in [0, 1]");
        if (teachers.Count == 0 && lambda > 0) throw new ArgumentException("KD weight lambda > 0 needs at least one teacher");
        foreach (var t in teachers)
            if (!(t.Scale > 0) || !double.IsFinite(t.Scale)) throw new ArgumentException($"teacher logit scale must be positive, got {t.Scale}");

        var clip = ClipLoss.Compute(image, text, scale);
        if (teachers.Count == 0) return new LossParts(clip, clip, zeros_like(clip));

        var (targetI2T, targetT2I) = EnsembleTargets(teachers);
        var logits = scale * image.matmul(text.t());
        var i2t = -(targetI2T * log_softmax(logits, 1)).sum(1).mean();
        var t2i = -(targetT2I * log_softmax(logits.t(), 1)).sum(1).mean();
        var kd = i2t.Plus(t2i).Over(2);
        var total = clip.Times(1 - lambda).Plus(kd.Times(lambda));
        return new LossParts(total, clip, kd);
    }

    /// <summary>Average of per-teacher row-softmax probability matrices, both directions; no gradient (stored data).</summary>
    public static (Tensor ImageToText, Tensor TextToImage) EnsembleTargets(IReadOnlyList<TeacherTargets> teachers)
    {
        using var _ = no_grad();
        Tensor? i2t = null, t2i = null;
        foreach (var t in teachers)
        {
            var sim = t.Image.matmul(t.Text.t()).Times(t.Scale);
            var p = softmax(sim, 1);
            var q = softmax(sim.t(), 1);
            i2t = i2t is null ? p : i2t.Plus(p);
            t2i = t2i is null ? q : t2i.Plus(q);
        }
        return (i2t!.Over(teachers.Count), t2i!.Over(teachers.Count));
    }
}

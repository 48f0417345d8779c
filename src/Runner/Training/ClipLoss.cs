using Ablations.Runner.Modeling;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Ablations.Runner.Training;

/// <summary>Symmetric InfoNCE on s·Φimg·Φtxtᵀ: image→text and text→image cross-entropy, diagonal labels, averaged.</summary>
internal static class ClipLoss
{
    /// <param name="image">[b, D] L2-normalised student image embeddings.</param>
    /// <param name="text">[b, D] L2-normalised student text embeddings.</param>
    /// <param name="scale">scalar student logit scale s (already exp'd and clamped).</param>
    public static Tensor Compute(Tensor image, Tensor text, Tensor scale)
    {
        var logits = scale * image.matmul(text.t());
        var labels = ScalarMath.Range(image.shape[0], image.device);
        return cross_entropy(logits, labels).Plus(cross_entropy(logits.t(), labels)).Over(2);
    }
}

using Ablations.Runner.Data;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Modeling;
using static TorchSharp.torch;

namespace Ablations.Runner.Evaluation;

/// <summary>Batched no-grad encoding into flat float arrays [N, D] (row-major), one dispose scope per batch.</summary>
internal static class Embedder
{
    public const int Batch = 512;

    public static float[] Images(ClipModel model, IReadOnlyList<byte[]> pixels, int size, Device device, Func<int, AugmentParams?>? augment = null)
    {
        var d = model.EmbedDim;
        var result = new float[pixels.Count * d];
        using var _ = no_grad();
        for (var start = 0; start < pixels.Count; start += Batch)
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(start, Math.Min(Batch, pixels.Count - start)).ToArray();
            var x = Batches.Images(pixels, rows, size, device, augment is null ? null : k => augment(rows[k]));
            model.EncodeImage(x).cpu().data<float>().CopyTo(result.AsSpan(start * d));
        }
        return result;
    }

    public static float[] Texts(ClipModel model, ITextTokenizer tok, IReadOnlyList<string> texts, Device device)
    {
        var d = model.EmbedDim;
        var result = new float[texts.Count * d];
        using var _ = no_grad();
        for (var start = 0; start < texts.Count; start += Batch)
        {
            using var scope = NewDisposeScope();
            var chunk = texts.Skip(start).Take(Batch).ToList();
            model.EncodeText(Batches.Tokens(tok, chunk, device)).cpu().data<float>().CopyTo(result.AsSpan(start * d));
        }
        return result;
    }
}

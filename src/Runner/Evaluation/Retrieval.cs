using Ablations.Runner.Data;
using Ablations.Runner.Data.World;
using Ablations.Runner.Modeling;
using static TorchSharp.torch;

namespace Ablations.Runner.Evaluation;

/// <summary>Recall@K for image→text and text→image over a split of one caption per image.</summary>
internal static class Retrieval
{
    public static IReadOnlyDictionary<string, double> Recall(ClipModel model, ITextTokenizer tok, ImageTextSet set, int imageSize, Device device)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var n = set.Count;
        var d = model.EmbedDim;
        var img = tensor(Embedder.Images(model, set.Pixels, imageSize, device), [n, d]);
        var txt = tensor(Embedder.Texts(model, tok, set.Captions, device), [n, d]);
        var sim = img.matmul(txt.t());
        var result = new Dictionary<string, double>();
        foreach (var (name, s) in new[] { ("i2t", sim), ("t2i", sim.t()) })
        {
            // rank of the matching item = how many candidates score strictly higher than it
            var diag = s.diagonal().unsqueeze(1);
            var rank = s.gt(diag).sum(1).data<long>().ToArray();
            result[$"{name}_r1"] = rank.Count(r => r < 1) / (double)n;
            result[$"{name}_r5"] = rank.Count(r => r < 5) / (double)n;
        }
        return result;
    }
}

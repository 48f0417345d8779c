using Ablations.Runner.Data;
using Ablations.Runner.Data.World;
using Ablations.Runner.Modeling;
using static TorchSharp.torch;

namespace Ablations.Runner.Evaluation;

/// <summary>
/// Zero-shot top-1 with a prompt-template ensemble, as CLIP: each class's embedding is the normalised mean of
/// its normalised template embeddings; an image is assigned the class of highest cosine similarity.
/// </summary>
internal static class ZeroShot
{
    public static double Top1(ClipModel model, ITextTokenizer tok, ZeroShotTask task, LabelledSet set, int imageSize, Device device)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var d = model.EmbedDim;
        var prompts = task.Classes.SelectMany(c => task.Templates.Select(t => t.Replace("{}", c))).ToList();
        var textEmb = tensor(Embedder.Texts(model, tok, prompts, device), [task.Classes.Count, task.Templates.Count, d]);
        var classEmb = nn.functional.normalize(textEmb.mean([1]), dim: 1);
        var imageEmb = tensor(Embedder.Images(model, set.Pixels, imageSize, device), [set.Pixels.Length, d]);
        var predicted = imageEmb.matmul(classEmb.t()).argmax(1).data<long>().ToArray();
        var correct = predicted.Where((p, i) => p == set.Labels[i]).Count();
        return (double)correct / set.Labels.Length;
    }
}

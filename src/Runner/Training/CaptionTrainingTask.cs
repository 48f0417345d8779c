using Ablations.Runner.Data;
using Ablations.Runner.Data.World;
using Ablations.Runner.Modeling;
using static TorchSharp.torch;

namespace Ablations.Runner.Training;

/// <summary>Next-token training of the caption decoder on (pixels, caption) pairs.</summary>
internal sealed class CaptionTrainingTask(CaptionModel model, ImageTextSet pool, ITextTokenizer tok, int batchSize, long seed, int imageSize, Device device)
    : ITrainingTask
{
    private readonly Tensor _tokens = Batches.Tokens(tok, pool.Captions, device);

    public nn.Module Model => model;
    public int BatchSize { get; } = Math.Min(batchSize, pool.Count);

    public (Tensor Loss, IReadOnlyDictionary<string, Tensor> Extras) Step(long step)
    {
        var rows = Batches.StepRows(seed, step, pool.Count, BatchSize);
        var images = Batches.Images(pool.Pixels, rows, imageSize, device);
        var ids = _tokens.index_select(0, tensor(rows.Select(r => (long)r).ToArray(), device: device));
        return (model.Loss(images, ids, tok.Pad), new Dictionary<string, Tensor>());
    }
}

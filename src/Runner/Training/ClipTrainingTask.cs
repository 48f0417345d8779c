using Ablations.Runner.Data;
using Ablations.Runner.Data.World;
using Ablations.Runner.Modeling;
using static TorchSharp.torch;

namespace Ablations.Runner.Training;

/// <summary>Plain CLIP training on (image, caption) pairs of one pool: how teachers are trained. The next batch is read while this one trains.</summary>
internal sealed class ClipTrainingTask : ITrainingTask
{
    private readonly ClipModel _model;
    private readonly ImageTextSet _pool;
    private readonly Tensor _tokens;
    private readonly long _seed;
    private readonly int _size;
    private readonly Device _device;
    private readonly Prefetcher<HostBatch> _prefetch;

    public ClipTrainingTask(ClipModel model, ImageTextSet pool, ITextTokenizer tok, int batchSize, long seed, int imageSize, Device device)
    {
        _model = model;
        _pool = pool;
        _tokens = Batches.Tokens(tok, pool.Captions, device);
        BatchSize = Math.Min(batchSize, pool.Count);
        _seed = seed;
        _size = imageSize;
        _device = device;
        _prefetch = new Prefetcher<HostBatch>(step =>
        {
            var rows = Batches.StepRows(_seed, step, _pool.Count, BatchSize);
            return new HostBatch(rows.Select(r => (long)r).ToArray(), Batches.Pixels(_pool.Pixels, rows, _size));
        });
    }

    public nn.Module Model => _model;
    public int BatchSize { get; }

    public (Tensor Loss, IReadOnlyDictionary<string, Tensor> Extras) Step(long step)
    {
        var (rows, pixels) = _prefetch.Get(step);
        var images = tensor(pixels, [rows.Length, 3, _size, _size], device: _device);
        var text = _tokens.index_select(0, tensor(rows, device: _device));
        var scale = _model.Scale();
        var loss = ClipLoss.Compute(_model.EncodeImage(images), _model.EncodeText(text), scale);
        return (loss, new Dictionary<string, Tensor> { ["logit_scale"] = scale });
    }

    private sealed record HostBatch(long[] Rows, float[] Pixels);
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ablations.Runner.Modeling;

/// <summary>
/// Small CNN image tower sized for 2 CPU cores: a stride-2 conv3×3 stem, then per further stage max-pool 2 →
/// conv3×3, each conv followed by GroupNorm → GELU (convolving after pooling keeps FLOPs ~5× lower than the
/// classic conv → pool order). The last map is pooled to 4×4 and flattened, not globally averaged, so the
/// embedding keeps where things are (the position task).
/// </summary>
internal sealed class CnnEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d pool;
    private readonly Linear head;

    public CnnEncoder(int[] widths, int outDim) : base(nameof(CnnEncoder))
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var inCh = 3;
        for (var i = 0; i < widths.Length; i++)
        {
            if (i > 0) layers.Add(($"pool{i}", nn.MaxPool2d(2)));
            layers.Add(($"conv{i}", nn.Conv2d(inCh, widths[i], 3, stride: i == 0 ? 2 : 1, padding: 1)));
            layers.Add(($"norm{i}", GroupNorm(Math.Min(8, widths[i]), widths[i])));
            layers.Add(($"act{i}", nn.GELU()));
            inCh = widths[i];
        }
        features = nn.Sequential(layers);
        pool = nn.AdaptiveAvgPool2d(4);
        head = nn.Linear(inCh * 16, outDim);
        RegisterComponents();
    }

    /// <summary>
    /// TorchSharp 0.107's GroupNorm leaves its affine parameters uninitialised (observed here: values like 1e37
    /// and flaky NaN), so they are set to the documented defaults, weight 1 and bias 0.
    /// </summary>
    private static GroupNorm GroupNorm(int groups, int channels)
    {
        var norm = nn.GroupNorm(groups, channels);
        using (no_grad())
        {
            norm.weight!.fill_(1);
            norm.bias!.zero_();
        }
        return norm;
    }

    public override Tensor forward(Tensor images) => head.forward(pool.forward(features.forward(images)).flatten(1));
}

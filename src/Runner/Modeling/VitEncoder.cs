using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ablations.Runner.Modeling;

/// <summary>Small ViT image tower: conv patch embedding + learned positions, pre-norm blocks, mean-pooled tokens.</summary>
internal sealed class VitEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d patchEmbed;
    private readonly Parameter positions;
    private readonly ModuleList<PreNormBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public VitEncoder(int imageSize, int patch, int width, int layers, int heads, int outDim) : base(nameof(VitEncoder))
    {
        if (imageSize % patch != 0) throw new ArgumentException($"image size {imageSize} is not a multiple of patch {patch}");
        var tokens = (imageSize / patch) * (imageSize / patch);
        patchEmbed = nn.Conv2d(3, width, patch, stride: patch);
        positions = nn.Parameter(randn(1, tokens, width).Times(0.02));
        blocks = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => new PreNormBlock(width, heads, causal: false)).ToArray());
        norm = nn.LayerNorm(width);
        head = nn.Linear(width, outDim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        var x = patchEmbed.forward(images).flatten(2).transpose(1, 2).Plus(positions);
        foreach (var block in blocks) x = block.forward(x);
        return head.forward(norm.forward(x).mean([1]));
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ablations.Runner.Modeling;

/// <summary>What is needed to rebuild a model from its weights file.</summary>
internal sealed record ModelSpec(string Arch, int ImageSize, int VocabSize, int ContextLength, long EotToken);

/// <summary>
/// A CLIP model: image and text towers projecting into one L2-normalised space, and a learnable logit scale
/// s = exp(θ), θ initialised to ln(1/0.07) and clamped at ln(100) in the forward pass, as CLIP does.
/// </summary>
internal sealed class ClipModel : nn.Module
{
    public const double InitLogitScale = 1 / 0.07;
    public const double MaxLogitScale = 100;

    private readonly nn.Module<Tensor, Tensor> image;
    private readonly TextEncoder text;
    private readonly Parameter logit_scale;

    public ClipModel(ModelSpec spec) : base(nameof(ClipModel))
    {
        Spec = spec;
        var arch = Architecture.Get(spec.Arch);
        image = arch.Image.Family switch
        {
            "cnn" => new CnnEncoder(arch.Image.Widths, arch.EmbedDim),
            "vit" => new VitEncoder(spec.ImageSize, arch.Image.Patch, arch.Image.Width, arch.Image.Layers, arch.Image.Heads, arch.EmbedDim),
            var f => throw new ArgumentException($"architecture {arch.Name}: unknown image family '{f}' (cnn, vit)"),
        };
        text = new TextEncoder(spec.VocabSize, spec.ContextLength, arch.Text.Width, arch.Text.Layers, arch.Text.Heads, arch.EmbedDim, spec.EotToken);
        logit_scale = nn.Parameter(tensor(Math.Log(InitLogitScale), dtype: ScalarType.Float32));
        RegisterComponents();
    }

    public ModelSpec Spec { get; }

    public int EmbedDim => Architecture.Get(Spec.Arch).EmbedDim;

    /// <summary>[B, 3, H, W] float in [0, 1] → [B, D] unit vectors.</summary>
    public Tensor EncodeImage(Tensor images) => nn.functional.normalize(image.forward(images), dim: 1);

    /// <summary>[B, ctx] token ids → [B, D] unit vectors.</summary>
    public Tensor EncodeText(Tensor ids) => nn.functional.normalize(text.forward(ids), dim: 1);

    /// <summary>The clamped logit scale s as a differentiable scalar.</summary>
    public Tensor Scale() => logit_scale.AtMost(Math.Log(MaxLogitScale)).exp();
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ablations.Runner.Modeling;

/// <summary>
/// Image-conditioned caption decoder (a prefix LM): a CNN turns the pixels — and nothing else — into
/// <see cref="PrefixTokens"/> embeddings, followed by the caption tokens; causal pre-norm blocks predict each
/// next token. Trained with cross-entropy on captions, sampled with temperature + top-p.
/// </summary>
internal sealed class CaptionModel : nn.Module
{
    public const int PrefixTokens = 4;

    private readonly CnnEncoder image;
    private readonly Embedding tokens;
    private readonly Parameter positions;
    private readonly ModuleList<PreNormBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;
    private readonly int _width;

    public CaptionModel(ModelSpec spec) : base(nameof(CaptionModel))
    {
        Spec = spec;
        var arch = Architecture.Get(spec.Arch);
        _width = arch.Text.Width;
        var widths = arch.Image.Family == "cnn" ? arch.Image.Widths : [32, 48, 64];
        image = new CnnEncoder(widths, PrefixTokens * _width);
        tokens = nn.Embedding(spec.VocabSize, _width);
        positions = nn.Parameter(randn(1, PrefixTokens + spec.ContextLength, _width).Times(0.01));
        blocks = nn.ModuleList(Enumerable.Range(0, Math.Max(2, arch.Text.Layers)).Select(_ => new PreNormBlock(_width, arch.Text.Heads, causal: true)).ToArray());
        norm = nn.LayerNorm(_width);
        head = nn.Linear(_width, spec.VocabSize);
        RegisterComponents();
    }

    public ModelSpec Spec { get; }

    /// <summary>Next-token logits [B, T, V] for the T given tokens (position t predicts token t+1).</summary>
    public Tensor Logits(Tensor images, Tensor ids) => head.forward(norm.forward(Hidden(images, ids).narrow(1, PrefixTokens, ids.shape[1])));

    /// <summary>Logits [B, V] of the token after the T given ones: the vocabulary head runs on the last position only (a 50k-token BPE head made sampling T× slower otherwise).</summary>
    public Tensor NextLogits(Tensor images, Tensor ids) => head.forward(norm.forward(Hidden(images, ids).select(1, PrefixTokens + ids.shape[1] - 1)));

    /// <summary>Hidden states [B, prefix + T, width] after the decoder blocks.</summary>
    private Tensor Hidden(Tensor images, Tensor ids)
    {
        var b = images.shape[0];
        var t = ids.shape[1];
        var prefix = image.forward(images).view(b, PrefixTokens, _width);
        var x = cat([prefix, tokens.forward(ids)], 1).Plus(positions.narrow(1, 0, PrefixTokens + t));
        foreach (var block in blocks) x = block.forward(x);
        return x;
    }

    /// <summary>Teacher-forced loss on [BOS, w…, EOT, PAD…] rows; padding is ignored.</summary>
    public Tensor Loss(Tensor images, Tensor ids, long pad)
    {
        var t = ids.shape[1];
        var logits = Logits(images, ids.narrow(1, 0, t - 1));
        var targets = ids.narrow(1, 1, t - 1);
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.reshape(-1), ignore_index: pad);
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ablations.Runner.Modeling;

/// <summary>
/// Pre-norm transformer block (x + Attn(LN(x)), x + MLP(LN(x))), batch-first [B, S, D]. Written here because
/// TorchSharp's TransformerEncoderLayer is post-norm and sequence-first.
/// </summary>
internal sealed class PreNormBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly LayerNorm norm2;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly int _heads;
    private readonly bool _causal;

    public PreNormBlock(int width, int heads, bool causal) : base(nameof(PreNormBlock))
    {
        if (width % heads != 0) throw new ArgumentException($"width {width} not divisible by heads {heads}");
        _heads = heads;
        _causal = causal;
        norm1 = nn.LayerNorm(width);
        qkv = nn.Linear(width, 3 * width);
        proj = nn.Linear(width, width);
        norm2 = nn.LayerNorm(width);
        fc1 = nn.Linear(width, 4 * width);
        fc2 = nn.Linear(4 * width, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (b, s, d) = (x.shape[0], x.shape[1], x.shape[2]);
        var parts = qkv.forward(norm1.forward(x)).view(b, s, 3, _heads, d / _heads).permute(2, 0, 3, 1, 4);
        var attn = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], is_casual: _causal);
        x = x.Plus(proj.forward(attn.transpose(1, 2).reshape(b, s, d)));
        return x.Plus(fc2.forward(nn.functional.gelu(fc1.forward(norm2.forward(x)))));
    }
}

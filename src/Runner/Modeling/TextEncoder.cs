using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ablations.Runner.Modeling;

/// <summary>
/// CLIP-style text tower: token + learned position embeddings, causal pre-norm blocks, final LayerNorm, and
/// pooling at the end-of-text token (EOT pooling, as CLIP: with a causal mask the EOT state has seen the
/// whole caption and none of the padding after it).
/// </summary>
internal sealed class TextEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tokens;
    private readonly Parameter positions;
    private readonly ModuleList<PreNormBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;
    private readonly long _eot;

    public TextEncoder(int vocabSize, int contextLength, int width, int layers, int heads, int outDim, long eotToken) : base(nameof(TextEncoder))
    {
        _eot = eotToken;
        tokens = nn.Embedding(vocabSize, width);
        positions = nn.Parameter(randn(1, contextLength, width).Times(0.01));
        blocks = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => new PreNormBlock(width, heads, causal: true)).ToArray());
        norm = nn.LayerNorm(width);
        head = nn.Linear(width, outDim);
        RegisterComponents();
    }

    /// <param name="ids">[B, ctx] int64, each row containing exactly one EOT token.</param>
    public override Tensor forward(Tensor ids)
    {
        var x = tokens.forward(ids).Plus(positions);
        foreach (var block in blocks) x = block.forward(x);
        x = norm.forward(x);
        var eotIndex = ids.EqualTo(_eot).to_type(ScalarType.Int64).argmax(1);
        var pooled = x[ScalarMath.Range(x.shape[0], x.device), eotIndex];
        return head.forward(pooled);
    }
}

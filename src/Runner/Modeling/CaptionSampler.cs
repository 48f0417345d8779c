using Ablations.Runner.Data;
using static TorchSharp.torch;

namespace Ablations.Runner.Modeling;

/// <summary>Samples captions token by token with temperature and nucleus (top-p) filtering; randomness from (seed, image, sample).</summary>
internal static class CaptionSampler
{
    public static string[] Sample(CaptionModel model, Tensor images, ITextTokenizer tok, double temperature, double topP, Func<int, Rng> rngFor)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var b = (int)images.shape[0];
        var ctx = model.Spec.ContextLength;
        var ids = new long[b * ctx];
        Array.Fill(ids, (long)tok.Pad);
        var words = new List<int>[b];
        var done = new bool[b];
        var rngs = new Rng[b];
        for (var r = 0; r < b; r++) { ids[r * ctx] = tok.Bos; words[r] = []; rngs[r] = rngFor(r); }
        for (var t = 1; t < ctx - 1 && done.Contains(false); t++)
        {
            var input = tensor(ids, [b, ctx], device: images.device).narrow(1, 0, t);
            var probs = nn.functional.softmax(model.Logits(images, input).select(1, t - 1).Over(temperature), 1).cpu().data<float>().ToArray();
            var v = probs.Length / b;
            for (var r = 0; r < b; r++)
            {
                if (done[r]) continue;
                var token = Nucleus(probs.AsSpan(r * v, v), topP, rngs[r], tok);
                ids[r * ctx + t] = token;
                if (token == tok.Eot) done[r] = true;
                else words[r].Add(token);
            }
        }
        return words.Select(w => tok.Decode(w)).ToArray();
    }

    private static int Nucleus(ReadOnlySpan<float> p, double topP, Rng rng, ITextTokenizer tok)
    {
        var order = Enumerable.Range(0, p.Length).Where(i => i != tok.Pad && i != tok.Bos).ToArray();
        var probs = p.ToArray();
        Array.Sort(order, (a, c) => probs[c].CompareTo(probs[a]) != 0 ? probs[c].CompareTo(probs[a]) : a.CompareTo(c));
        var kept = new List<int>();
        var mass = 0.0;
        foreach (var i in order)
        {
            kept.Add(i);
            mass += probs[i];
            if (mass >= topP) break;
        }
        var u = rng.NextDouble() * mass;
        foreach (var i in kept)
        {
            u -= probs[i];
            if (u <= 0) return i;
        }
        return kept[^1];
    }
}

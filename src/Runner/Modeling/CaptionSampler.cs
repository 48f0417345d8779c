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
            var probs = nn.functional.softmax(model.NextLogits(images, input).Over(temperature), 1).cpu().data<float>().ToArray();
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

    [ThreadStatic] private static ulong[]? _keys;

    /// <summary>
    /// Top-p sampling: the smallest set of most likely tokens whose mass reaches <paramref name="topP"/>, ordered by
    /// probability (ties by id), then one draw from it. The order is built band by band: tokens at or above a
    /// threshold, then those between it and a 16× lower one, and so on down to zero; each band is sorted on its
    /// own and appended, since every token of a band is less likely than every token before it. The walk stops
    /// at the band where the mass reaches top-p, so a peaked distribution sorts a few ids, not the vocabulary
    /// (GPT-2 BPE: 50k), and the result is the same as sorting everything.
    /// </summary>
    internal static int Nucleus(ReadOnlySpan<float> probs, double topP, Rng rng, ITextTokenizer tok)
    {
        var max = 0f;
        for (var i = 0; i < probs.Length; i++)
            if (i != tok.Pad && i != tok.Bos && probs[i] > max) max = probs[i];
        if (_keys is null || _keys.Length < probs.Length) _keys = new ulong[probs.Length];
        var keys = _keys;
        int count = 0, kept = 0;
        var mass = 0.0;
        var upper = float.PositiveInfinity;
        for (var threshold = max / 16; ; upper = threshold, threshold = threshold < 1e-30f ? 0 : threshold / 16)
        {
            var start = count;
            for (var i = 0; i < probs.Length; i++)
                if (i != tok.Pad && i != tok.Bos && probs[i] >= threshold && probs[i] < upper) keys[count++] = OrderKey(probs[i], i);
            keys.AsSpan(start, count - start).Sort(); // primitive keys: probability descending, then id ascending
            var reached = false;
            while (kept < count)
            {
                mass += probs[(int)(keys[kept++] & 0xFFFF_FFFF)];
                if (mass >= topP) { reached = true; break; }
            }
            if (!reached && threshold > 0) continue; // the nucleus reaches below this band: take the next one
            if (kept == 0) return tok.Eot; // nothing but padding had any probability
            var u = rng.NextDouble() * mass;
            for (var k = 0; k < kept; k++)
            {
                var i = (int)(keys[k] & 0xFFFF_FFFF);
                u -= probs[i];
                if (u <= 0) return i;
            }
            return (int)(keys[kept - 1] & 0xFFFF_FFFF);
        }
    }

    /// <summary>Sorts ascending as (probability descending, id ascending): a probability ≥ 0 orders like its IEEE bits.</summary>
    private static ulong OrderKey(float p, int id) => ((ulong)(uint.MaxValue - BitConverter.SingleToUInt32Bits(Math.Max(p, 0f))) << 32) | (uint)id;
}

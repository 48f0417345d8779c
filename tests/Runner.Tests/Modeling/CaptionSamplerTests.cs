using Ablations.Runner.Data;
using Ablations.Runner.Modeling;

namespace Ablations.Runner.Tests.Modeling;

public sealed class CaptionSamplerTests
{
    /// <summary>The definition: sort every token but PAD and BOS by (probability desc, id asc), keep the shortest prefix reaching top-p, walk it with u·mass.</summary>
    private static int Reference(float[] p, double topP, Rng rng, ITextTokenizer tok)
    {
        var order = Enumerable.Range(0, p.Length).Where(i => i != tok.Pad && i != tok.Bos).ToArray();
        Array.Sort(order, (a, c) => p[c].CompareTo(p[a]) != 0 ? p[c].CompareTo(p[a]) : a.CompareTo(c));
        var kept = new List<int>();
        var mass = 0.0;
        foreach (var i in order)
        {
            kept.Add(i);
            mass += p[i];
            if (mass >= topP) break;
        }
        var u = rng.NextDouble() * mass;
        foreach (var i in kept)
        {
            u -= p[i];
            if (u <= 0) return i;
        }
        return kept[^1];
    }

    /// <summary>The banded nucleus sorts only the bands it walks; it must pick exactly what a full sort picks.</summary>
    [Fact]
    public void Nucleus_EqualsTheFullSortDefinition_OnPeakedFlatAndTiedDistributions()
    {
        var source = new Rng(11);
        for (var trial = 0; trial < 60; trial++)
        {
            var v = trial % 3 == 0 ? 50259 : 300; // GPT-2 BPE's size, and a world-sized vocabulary
            var logits = new double[v];
            var sharpness = new[] { 0.0, 0.5, 3, 12 }[trial % 4];
            for (var i = 0; i < v; i++) logits[i] = sharpness * source.Normal();
            if (trial % 5 == 0) for (var i = 0; i < v; i += 7) logits[i] = logits[0]; // ties
            var z = logits.Max();
            var e = logits.Select(l => Math.Exp(l - z)).ToArray();
            var sum = e.Sum();
            var p = e.Select(x => (float)(x / sum)).ToArray();
            var topP = new[] { 0.1, 0.5, 0.9, 1.0 }[trial % 4 == 3 ? 2 : trial % 4];
            var special = new SmallVocab(v);
            Assert.Equal(Reference(p, topP, Rng.For(5, trial), special), CaptionSampler.Nucleus(p, topP, Rng.For(5, trial), special));
        }
    }

    private sealed class SmallVocab(int size) : ITextTokenizer
    {
        public string Kind => "test";
        public int VocabSize => size;
        public int Pad => 0;
        public int Bos => 1;
        public int Eot => 2;
        public IReadOnlyList<int> EncodeWords(string text) => [];
        public string Decode(IEnumerable<int> ids) => "";
    }
}

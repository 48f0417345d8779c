namespace Ablations.Runner.Data;

/// <summary>
/// Small deterministic generator (SplitMix64). Streams are derived from (seed, keys…) rather than advanced
/// across a run, so any sample, step or augmentation can be regenerated alone — which is what makes parallel
/// generation reproducible and training resumable without saving generator state.
/// </summary>
internal sealed class Rng
{
    private ulong _state;

    public Rng(ulong seed) => _state = seed;

    public static Rng For(long seed, params long[] keys)
    {
        var s = Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL);
        foreach (var k in keys) s = Mix(s ^ Mix((ulong)k + 0x632BE59BD9B4E019UL));
        return new Rng(s);
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    public int Next(int n) => n <= 0 ? throw new ArgumentOutOfRangeException(nameof(n)) : (int)(NextULong() % (ulong)n);

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * NextDouble());
    }

    public int[] Permutation(int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

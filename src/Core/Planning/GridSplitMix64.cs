namespace Ablations.Core.Planning;

/// <summary>SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose output is fixed by its seed forever.</summary>
internal sealed class GridSplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n); n must be positive.</summary>
    public int NextIndex(int n) => (int)((Next() >> 32) * (ulong)n >> 32);
}

using Ablations.Core.Spec;
using System.Text;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// Random search for <see cref="GridExpander"/>: samples cells from the axes' distributions with a SplitMix64
/// generator seeded from the spec name (FNV-1a), so the same spec gives the same cells in every process and
/// .NET version. Excluded and repeated cells are redrawn within a bounded number of attempts.
/// </summary>
internal static class GridRandomSampler
{
    public static void Sample(ExperimentSpec spec, int count, GridCellSet into)
    {
        var rng = new GridSplitMix64(SeedOf(spec.Name));
        var attempts = (count * 20L) + 100;
        while (into.Count < count && attempts-- > 0)
        {
            var cell = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var axis in spec.Axes)
            {
                Draw(axis, rng, cell);
            }
            if (!GridExclusions.Match(spec, cell))
            {
                into.Add(cell);
            }
        }
    }

    private static void Draw(Axis axis, GridSplitMix64 rng, Dictionary<string, JsonNode?> cell)
    {
        var d = axis.Distribution;
        if (d is null || d.Kind == "categorical")
        {
            var row = d?.Probabilities is { } p ? Pick(p, rng.NextDouble()) : rng.NextIndex(axis.Values.Count);
            for (var k = 0; k < axis.Keys.Count; k++)
            {
                cell[axis.Keys[k]] = axis.Values[row][k];
            }
            return;
        }
        cell[axis.Keys[0]] = DistributionSampler.Draw(d, rng);
    }

    private static int Pick(IReadOnlyList<double> probabilities, double u)
    {
        var cumulative = 0.0;
        for (var i = 0; i < probabilities.Count; i++)
        {
            cumulative += probabilities[i];
            if (u < cumulative)
            {
                return i;
            }
        }
        return probabilities.Count - 1;
    }

    /// <summary>FNV-1a over the UTF-8 name: stable, unlike string.GetHashCode.</summary>
    internal static ulong SeedOf(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }
}

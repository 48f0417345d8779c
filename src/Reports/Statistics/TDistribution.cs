using System.Collections.Concurrent;
using MathNet.Numerics.Distributions;

namespace Ablations.Reports.Statistics;

/// <summary>Student's t distribution with the two quantities reports need, computed by MathNet.Numerics.</summary>
internal static class TDistribution
{
    // InvCDF solves for the quantile numerically (slow); reports ask for the same few (df, level) pairs thousands of times.
    private static readonly ConcurrentDictionary<(int, double), double> Criticals = new();

    /// <summary>The two-sided critical value t* with P(|T| ≤ t*) = level, e.g. 12.706 for df 1 at 95%.</summary>
    public static double Critical(int degreesOfFreedom, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        return Criticals.GetOrAdd((degreesOfFreedom, level), key => StudentT.InvCDF(0, 1, key.Item1, 1 - (1 - key.Item2) / 2));
    }

    /// <summary>Two-sided p-value P(|T| ≥ |t|).</summary>
    public static double TwoSidedP(double t, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        double p = 2 * StudentT.CDF(0, 1, degreesOfFreedom, -Math.Abs(t));
        return Math.Clamp(p, 0, 1);
    }
}

using Ablations.Core.Spec;
using MathNet.Numerics.Distributions;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// One value of a W&amp;B distribution from one draw of the seeded generator: a uniform u in [0, 1) through the
/// distribution's inverse CDF, as the W&amp;B sweeps library samples it (its <c>ppf</c>). The q_ variants round to a
/// multiple of q (half to even, as numpy does) and give whole numbers when q was written as one.
/// </summary>
internal static class DistributionSampler
{
    public static JsonNode Draw(Distribution d, GridSplitMix64 rng)
    {
        if (d.Kind == "int_uniform")
        {
            // An index draw, as since the first version: a spec's cells do not change when the tool is upgraded.
            var low = (long)(d.Min ?? 0);
            return JsonValue.Create(low + rng.NextIndex((int)Math.Min(int.MaxValue, (long)(d.Max ?? low) - low + 1)));
        }
        var u = rng.NextDouble();
        var min = d.Min ?? 0;
        var max = d.Max ?? min;
        var mu = d.Mu ?? 0;
        var sigma = d.Sigma ?? 1;
        return d.Kind switch
        {
            "uniform" => JsonValue.Create(min + (u * (max - min))),
            "q_uniform" => Quantize(min + (u * (max - min)), d),
            "log_uniform" => JsonValue.Create(Math.Exp(min + (u * (max - min)))),
            "log_uniform_values" => JsonValue.Create(Math.Exp(Math.Log(min) + (u * (Math.Log(max) - Math.Log(min))))),
            "q_log_uniform" => Quantize(Math.Exp(min + (u * (max - min))), d),
            "q_log_uniform_values" => Quantize(Math.Exp(Math.Log(min) + (u * (Math.Log(max) - Math.Log(min)))), d),
            // exp(-X), X uniform on [min, max] (W&B's inv_log_uniform); the _values form takes the bounds of exp(-X) itself.
            "inv_log_uniform" => JsonValue.Create(Math.Exp(-(min + ((1 - u) * (max - min))))),
            "inv_log_uniform_values" => JsonValue.Create(Math.Exp(-(-Math.Log(max) + ((1 - u) * (Math.Log(max) - Math.Log(min)))))),
            "normal" => JsonValue.Create(NormalAt(u, mu, sigma)),
            "q_normal" => Quantize(NormalAt(u, mu, sigma), d),
            "log_normal" => JsonValue.Create(Math.Exp(NormalAt(u, mu, sigma))),
            "q_log_normal" => Quantize(Math.Exp(NormalAt(u, mu, sigma)), d),
            "beta" => JsonValue.Create(Beta.InvCDF(d.A ?? 1, d.B ?? 1, u)),
            "q_beta" => Quantize(Beta.InvCDF(d.A ?? 1, d.B ?? 1, u), d),
            _ => throw new ArgumentException($"distribution '{d.Kind}' is not sampled here", nameof(d)),
        };
    }

    /// <summary>u = 0 would be −∞; the generator's draws are k / 2^53, so the smallest is nudged to half a step.</summary>
    private static double NormalAt(double u, double mu, double sigma) =>
        sigma == 0 ? mu : Normal.InvCDF(mu, sigma, Math.Max(u, 0.5 / (1L << 53)));

    private static JsonNode Quantize(double x, Distribution d)
    {
        var q = d.Q ?? 1.0;
        var rounded = Math.Round(x / q, MidpointRounding.ToEven) * q;
        return d.WholeQ ? JsonValue.Create((long)Math.Round(rounded)) : JsonValue.Create(rounded);
    }
}

namespace Ablations.Core.Spec;

/// <summary>What one distribution takes: its keys besides <c>distribution</c>, and whether a grid can enumerate it.</summary>
internal sealed record DistributionKind(string Name, IReadOnlyList<string> Keys, bool InGrid = false, bool PositiveMin = false)
{
    public bool HasRange => Keys.Contains("min");
    public bool HasMuSigma => Keys.Contains("mu");
    public bool HasBeta => Keys.Contains("a");
    public bool HasQ => Keys.Contains("q");
}

/// <summary>
/// The one table of W&amp;B's parameter distributions (the sweeps library's schema, sweeps/config/schema.json). The
/// <c>log_uniform</c>, <c>q_log_uniform</c> and <c>inv_log_uniform</c> forms take min/max as natural-log exponents
/// (W&amp;B's first versions, still found in sweep files); the <c>_values</c> forms take the values themselves. A grid
/// enumerates what W&amp;B's grid search does: values, a constant, int_uniform (min..max) and q_uniform (min, min+q, … below max).
/// </summary>
internal static class DistributionKinds
{
    private static readonly string[] Range = ["min", "max"];
    private static readonly string[] QRange = ["min", "max", "q"];
    private static readonly string[] Normal = ["mu", "sigma"];
    private static readonly string[] QNormal = ["mu", "sigma", "q"];
    private static readonly string[] Beta = ["a", "b"];
    private static readonly string[] QBeta = ["a", "b", "q"];

    public static readonly IReadOnlyDictionary<string, DistributionKind> ByName = new DistributionKind[]
    {
        new("constant", ["value"], InGrid: true),
        new("categorical", ["values", "probabilities"], InGrid: true),
        new("categorical_w_probabilities", ["values", "probabilities"]),
        new("int_uniform", Range, InGrid: true),
        new("uniform", Range),
        new("q_uniform", QRange, InGrid: true),
        new("log_uniform", Range),
        new("log_uniform_values", Range, PositiveMin: true),
        new("q_log_uniform", QRange),
        new("q_log_uniform_values", QRange, PositiveMin: true),
        new("inv_log_uniform", Range),
        new("inv_log_uniform_values", Range, PositiveMin: true),
        new("normal", Normal),
        new("q_normal", QNormal),
        new("log_normal", Normal),
        new("q_log_normal", QNormal),
        new("beta", Beta),
        new("q_beta", QBeta),
    }.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => [.. ByName.Keys];

    /// <summary>Every key a parameter definition may hold, across all distributions.</summary>
    public static readonly string[] DefinitionKeys = ["values", "value", "distribution", "min", "max", "probabilities", "mu", "sigma", "q", "a", "b"];
}

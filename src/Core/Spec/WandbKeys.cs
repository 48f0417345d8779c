using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ablations.Core.Spec;

/// <summary>
/// What a W&amp;B sweep file means here where W&amp;B and this tool differ: its free-text <c>name</c> becomes a folder-safe
/// name, its own <c>seed</c> parameter becomes the replicate seeds, and <c>method: bayes</c> and <c>early_terminate</c>,
/// which need results while the sweep runs, are refused in one line each that says what to use instead.
/// </summary>
internal static partial class WandbKeys
{
    public const string BayesMessage =
        "method: bayes is not supported: Bayesian search picks each run from the results of the runs before it, and an " +
        "ablation here is planned in full before anything runs; use method: random with run_cap (or --run-cap N) over the " +
        "same parameters, or method: grid";

    public const string EarlyTerminateMessage =
        "early_terminate is not supported: every run here runs to its end, so cells compare at the same budget (W&B's " +
        "hyperband stopping has no equivalent); remove it, and lower the epochs for a quick first pass";

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex NotNameChars();

    /// <summary>Lower-case letters, digits, '-' and '_', other runs of characters as one '-': "My sweep/v2" → "my-sweep-v2".</summary>
    public static string Slug(string text) => NotNameChars().Replace(text.ToLowerInvariant(), "-").Trim('-');

    public static void RefuseUnsupported(SpecMapping root, string? method, DiagnosticBag diags)
    {
        if (method == "bayes")
        {
            diags.Add(root.Get("method")!, BayesMessage);
        }
        if (root.KeyNode("early_terminate") is { } early && root.Get("early_terminate") is not SpecScalar { IsNull: true })
        {
            diags.Add(early, EarlyTerminateMessage);
        }
    }

    /// <summary>
    /// A command spec without <c>seeds:</c> whose <c>seed</c> parameter lists whole numbers (values: or value:): those are
    /// replicates, the way W&amp;B sweeps replicate runs, so they become the seeds instead of an axis (a W&amp;B grid over
    /// seed × the rest is the same set of runs as cells × seeds). Returns the seeds, or null when the rule does not apply.
    /// </summary>
    public static IReadOnlyList<long>? SeedsFromParameter(ParameterReader parameters, SpecMapping root, List<SpecDiagnostic> notes, string file)
    {
        if (root.Get("seeds") is not null)
        {
            return null;
        }
        if (parameters.Fixed.FindIndex(f => IsSeedKey(f.Key)) is var fixedAt and >= 0)
        {
            var (key, value) = parameters.Fixed[fixedAt];
            if (value.Value is JsonValue v && v.TryGetValue<long>(out var seed))
            {
                parameters.Fixed.RemoveAt(fixedAt);
                notes.Add(Note(file, key, $"parameter 'seed' (value {seed}) is read as the replicate seed, like seeds: [{seed}]; the program still gets it as seed"));
                return [seed];
            }
            return null;
        }
        var axisAt = parameters.Axes.FindIndex(a => a.Keys.Count == 1 && IsSeedKey(a.Keys[0]));
        if (axisAt < 0)
        {
            return null;
        }
        var axis = parameters.Axes[axisAt];
        if (axis.Distribution is { } d && (d.Kind != "categorical" || d.Probabilities is not null))
        {
            return null;
        }
        var seeds = new List<long>();
        foreach (var row in axis.Rows)
        {
            if (row[0].Value is not JsonValue v || !v.TryGetValue<long>(out var seed))
            {
                return null;
            }
            seeds.Add(seed);
        }
        parameters.Axes.RemoveAt(axisAt);
        notes.Add(Note(file, axis.Keys[0], $"parameter 'seed' is read as the replicate seeds [{string.Join(", ", seeds)}], like seeds:: " +
            "each cell runs once per seed and reports average over them; the program still gets it as seed (write seeds: to keep seed an ordinary parameter)"));
        return seeds;
    }

    private static bool IsSeedKey(SpecScalar key) => key.Value == "seed" && key.NestedPath is null;

    private static SpecDiagnostic Note(string file, SpecNode at, string message) => new(file, at.Line, at.Column, message);
}

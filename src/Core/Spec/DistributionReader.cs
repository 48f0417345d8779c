using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>
/// Reads a parameter given as a distribution (see <see cref="DistributionKinds"/>), inferring the kind as W&amp;B does
/// when <c>distribution:</c> is omitted: value → constant, values → categorical, whole-number min/max → int_uniform,
/// other min/max → uniform. Defaults as in W&amp;B: mu 0, sigma 1, a and b 1, q 1.0.
/// </summary>
internal sealed class DistributionReader(NodeReader reader)
{
    /// <summary>The kind named by <c>distribution:</c>, else the inferred one; null after reporting why there is none.</summary>
    public DistributionKind? KindOf(SpecScalar key, SpecMapping def)
    {
        if (def.Get("distribution") is { } named)
        {
            return reader.Choice(named, "distribution", DistributionKinds.Names) is { } name ? DistributionKinds.ByName[name] : null;
        }
        if (def.Get("value") is not null)
        {
            return DistributionKinds.ByName["constant"];
        }
        if (def.Get("values") is not null)
        {
            return DistributionKinds.ByName["categorical"];
        }
        var min = def.Get("min");
        var max = def.Get("max");
        if (min is null && max is null)
        {
            reader.Diags.Add(key, $"parameter '{key.Value}' needs 'values:', 'value:' or a range; e.g. {key.Value}: {{min: 0.001, max: 0.1, distribution: log_uniform_values}}");
            return null;
        }
        return DistributionKinds.ByName[IsInteger(min) && IsInteger(max) ? "int_uniform" : "uniform"];
    }

    /// <summary>Checks the keys and numbers of a non-constant distribution; null after reporting a problem.</summary>
    public Distribution? Read(SpecScalar key, SpecMapping def, DistributionKind kind, List<ValueAt>? values)
    {
        var name = key.Value;
        var stray = def.Entries.Where(e => e.Key.Value != "distribution" && !kind.Keys.Contains(e.Key.Value)).Select(e => e.Key).ToList();
        foreach (var k in stray)
        {
            reader.Diags.Add(k, $"'{k.Value}:' does not apply to distribution '{kind.Name}' of parameter '{name}'; it takes {string.Join(", ", kind.Keys)}");
        }
        if (stray.Count > 0)
        {
            return null;
        }
        if (kind.Name is "categorical" or "categorical_w_probabilities")
        {
            return ReadCategorical(key, def, values);
        }
        double? min = null, max = null, mu = null, sigma = null, a = null, b = null, q = null;
        var ok = true;
        if (kind.HasRange)
        {
            min = reader.Number(def.Get("min"), $"{name}.min", "min: 0.001");
            max = reader.Number(def.Get("max"), $"{name}.max", "max: 0.1");
            ok = CheckRange(key, def, kind, min, max);
        }
        if (kind.HasMuSigma)
        {
            mu = reader.Number(def.Get("mu"), $"{name}.mu", "mu: 0") ?? 0;
            sigma = reader.Number(def.Get("sigma"), $"{name}.sigma", "sigma: 1") ?? 1;
            ok &= Positive(def, "sigma", sigma.Value, orZero: true, name);
        }
        if (kind.HasBeta)
        {
            a = reader.Number(def.Get("a"), $"{name}.a", "a: 2") ?? 1;
            b = reader.Number(def.Get("b"), $"{name}.b", "b: 5") ?? 1;
            ok &= Positive(def, "a", a.Value, orZero: false, name) & Positive(def, "b", b.Value, orZero: false, name);
        }
        if (kind.HasQ)
        {
            q = reader.Number(def.Get("q"), $"{name}.q", "q: 0.1") ?? 1.0;
            ok &= Positive(def, "q", q.Value, orZero: false, name);
        }
        return ok ? new Distribution(kind.Name, min, max, [], null, mu, sigma, a, b, q, WholeQ: IsInteger(def.Get("q"))) : null;
    }

    private bool CheckRange(SpecScalar key, SpecMapping def, DistributionKind kind, double? min, double? max)
    {
        var name = key.Value;
        if (min is null || max is null)
        {
            reader.Diags.Add(key, $"parameter '{name}' with distribution '{kind.Name}' needs both 'min:' and 'max:'");
            return false;
        }
        if (min > max)
        {
            reader.Diags.Add(def.Get("min")!, $"parameter '{name}': min {min} is above max {max}; swap them");
            return false;
        }
        if (kind.PositiveMin && min <= 0)
        {
            reader.Diags.Add(def.Get("min")!, $"parameter '{name}': {kind.Name} needs min > 0 (got {min}); use a small positive value such as 1e-5");
            return false;
        }
        if (kind.Name == "int_uniform" && (!IsInteger(def.Get("min")) || !IsInteger(def.Get("max"))))
        {
            reader.Diags.Add(def.Get("min")!, $"parameter '{name}': int_uniform needs whole-number min and max");
            return false;
        }
        return true;
    }

    private bool Positive(SpecMapping def, string k, double value, bool orZero, string name)
    {
        if (value > 0 || (orZero && value == 0))
        {
            return true;
        }
        reader.Diags.Add(def.Get(k)!, $"parameter '{name}': {k} must be {(orZero ? "0 or more" : "above 0")} (got {value})");
        return false;
    }

    private Distribution? ReadCategorical(SpecScalar key, SpecMapping def, List<ValueAt>? values)
    {
        if (values is null)
        {
            reader.Diags.Add(key, $"parameter '{key.Value}' with distribution 'categorical' needs 'values:'");
            return null;
        }
        List<double>? probabilities = null;
        if (def.Get("probabilities") is { } probNode)
        {
            var seq = reader.Sequence(probNode, $"{key.Value}.probabilities", "probabilities: [0.5, 0.5]");
            if (seq is null)
            {
                return null;
            }
            probabilities = [.. seq.Items.Select(i => reader.Number(i, $"{key.Value}.probabilities", "0.25") ?? double.NaN)];
            if (probabilities.Count != values.Count)
            {
                reader.Diags.Add(probNode, $"parameter '{key.Value}' has {values.Count} values but {probabilities.Count} probabilities; give one per value");
                return null;
            }
            if (probabilities.Any(p => double.IsNaN(p) || p < 0) || Math.Abs(probabilities.Sum() - 1) > 1e-6)
            {
                reader.Diags.Add(probNode, $"probabilities of '{key.Value}' must be non-negative and sum to 1 (they sum to {probabilities.Where(p => !double.IsNaN(p)).Sum()})");
                return null;
            }
        }
        return new Distribution("categorical", null, null, [.. values.Select(v => v.Value)], probabilities);
    }

    public static bool IsInteger(SpecNode? node) =>
        node is SpecScalar s && YamlJson.Scalar(s, new DiagnosticBag("")) is JsonValue v && v.TryGetValue<long>(out _);
}

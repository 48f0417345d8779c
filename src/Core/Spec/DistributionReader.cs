using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>
/// Reads a random-search parameter into a W&amp;B-style <see cref="Distribution"/>, inferring the kind as W&amp;B does
/// when it is omitted: values → categorical, whole-number min/max → int_uniform, other min/max → uniform.
/// </summary>
internal sealed class DistributionReader(NodeReader reader)
{
    public static readonly string[] Kinds = ["uniform", "log_uniform_values", "int_uniform", "categorical"];

    public Distribution? Read(SpecScalar key, SpecMapping def, List<ValueAt>? values)
    {
        var name = key.Value;
        var minNode = def.Get("min");
        var maxNode = def.Get("max");
        var min = reader.Number(minNode, $"{name}.min", "min: 0.001");
        var max = reader.Number(maxNode, $"{name}.max", "max: 0.1");
        var explicitKind = def.Get("distribution");
        var kind = explicitKind is null ? null : reader.Choice(explicitKind, "distribution", Kinds);
        if (explicitKind is not null && kind is null)
        {
            return null;
        }
        kind ??= values is not null ? "categorical"
            : IsInteger(minNode) && IsInteger(maxNode) ? "int_uniform"
            : minNode is not null || maxNode is not null ? "uniform"
            : null;
        if (kind is null)
        {
            reader.Diags.Add(key, $"parameter '{name}' needs 'values:', 'value:' or a range; e.g. {name}: {{min: 0.001, max: 0.1, distribution: log_uniform_values}}");
            return null;
        }
        if (kind == "categorical")
        {
            return ReadCategorical(key, def, values);
        }
        if (values is not null)
        {
            reader.Diags.Add(def.KeyNode("values")!, $"parameter '{name}' with distribution '{kind}' takes min/max, not 'values:'; drop one of them");
            return null;
        }
        if (min is null || max is null)
        {
            reader.Diags.Add(key, $"parameter '{name}' with distribution '{kind}' needs both 'min:' and 'max:'");
            return null;
        }
        if (min > max)
        {
            reader.Diags.Add(minNode!, $"parameter '{name}': min {min} is above max {max}; swap them");
            return null;
        }
        if (kind == "log_uniform_values" && min <= 0)
        {
            reader.Diags.Add(minNode!, $"parameter '{name}': log_uniform_values needs min > 0 (got {min}); use a small positive value such as 1e-5");
            return null;
        }
        if (kind == "int_uniform" && (!IsInteger(minNode) || !IsInteger(maxNode)))
        {
            reader.Diags.Add(minNode!, $"parameter '{name}': int_uniform needs whole-number min and max");
            return null;
        }
        return new Distribution(kind, min, max, [], null);
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

    private static bool IsInteger(SpecNode? node) =>
        node is SpecScalar s && YamlJson.Scalar(s, new DiagnosticBag("")) is JsonValue v && v.TryGetValue<long>(out _);
}

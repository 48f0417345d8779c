using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>A JSON value with the node it came from, so later checks can point at it.</summary>
internal sealed record ValueAt(JsonNode? Value, SpecNode Node);

/// <summary>An axis while the spec is being validated: keys and values keep their positions.</summary>
internal sealed record AxisDraft(IReadOnlyList<SpecScalar> Keys, IReadOnlyList<IReadOnlyList<ValueAt>> Rows, Distribution? Distribution)
{
    public Axis ToAxis() => new([.. Keys.Select(k => k.Value)], [.. Rows.Select(r => (IReadOnlyList<JsonNode?>)[.. r.Select(v => v.Value)])], Distribution);
}

/// <summary>Reads <c>parameters</c> (already flattened to dotted keys) and <c>zip</c> into axes and fixed values.</summary>
internal sealed class ParameterReader(NodeReader reader, bool random)
{
    private static readonly string[] DefinitionKeys = ["values", "value", "distribution", "min", "max", "probabilities"];

    public List<AxisDraft> Axes { get; } = [];
    public List<(SpecScalar Key, ValueAt Value)> Fixed { get; } = [];

    public void ReadParameters(SpecMapping parameters)
    {
        foreach (var (key, def) in parameters.Entries)
        {
            ReadDefinition(key, def);
        }
    }

    public void ReadZip(SpecSequence zip)
    {
        foreach (var item in zip.Items)
        {
            if (item is not SpecMapping group || group.Entries.Count == 0)
            {
                reader.Diags.Add(item, "each zip group must be a mapping of keys to equal-length lists; e.g. - {student.kd.scale: [5, 20], student.lambda: [1.0, 0.5]}");
                continue;
            }
            var columns = new List<(SpecScalar Key, SpecSequence Values)>();
            foreach (var (key, values) in group.Entries)
            {
                if (values is SpecSequence { Items.Count: > 0 } seq)
                {
                    columns.Add((key, seq));
                }
                else
                {
                    reader.Diags.Add(values is SpecSequence ? values : key, $"zip key '{key.Value}' needs a non-empty list of values; e.g. {key.Value}: [1, 2]");
                }
            }
            if (columns.Count != group.Entries.Count)
            {
                continue;
            }
            var length = columns[0].Values.Items.Count;
            if (columns.Any(c => c.Values.Items.Count != length))
            {
                var counts = string.Join(", ", columns.Select(c => $"{c.Key.Value} has {c.Values.Items.Count}"));
                reader.Diags.Add(group, $"zip keys move together, so their lists need the same length ({counts}); make them equal");
                continue;
            }
            var rows = Enumerable.Range(0, length)
                .Select(i => (IReadOnlyList<ValueAt>)[.. columns.Select(c => new ValueAt(reader.Json(c.Values.Items[i]), c.Values.Items[i]))])
                .ToList();
            for (var i = 1; i < rows.Count; i++)
            {
                var repeat = rows.Take(i).ToList().FindIndex(r => r.Zip(rows[i]).All(p => JsonValues.Equal(p.First.Value, p.Second.Value)));
                if (repeat >= 0)
                {
                    reader.Diags.Add(rows[i][0].Node, $"zip group row {i + 1} repeats row {repeat + 1}; remove one of them");
                }
            }
            // Random search draws a zip group one row at a time, uniformly; its rows stay in Axis.Values.
            Axes.Add(new AxisDraft([.. columns.Select(c => c.Key)], rows, random ? new Distribution("categorical", null, null, [], null) : null));
        }
    }

    /// <summary>Axes in the order they appear in the file; every key swept or fixed once only.</summary>
    public void Finish()
    {
        Axes.Sort((a, b) => (a.Keys[0].Line, a.Keys[0].Column).CompareTo((b.Keys[0].Line, b.Keys[0].Column)));
        var seen = new Dictionary<string, SpecScalar>(StringComparer.Ordinal);
        foreach (var key in Axes.SelectMany(a => a.Keys).Concat(Fixed.Select(f => f.Key)))
        {
            if (seen.TryGetValue(key.Value, out var first))
            {
                reader.Diags.Add(key, $"'{key.Value}' is already set at line {first.Line}, column {first.Column}; a key can be swept (parameters or zip) or fixed in one place only");
            }
            else
            {
                seen[key.Value] = key;
            }
        }
        var keys = seen.Keys.Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i + 1 < keys.Count; i++)
        {
            if (keys[i + 1].StartsWith(keys[i] + ".", StringComparison.Ordinal))
            {
                reader.Diags.Add(seen[keys[i + 1]], $"'{keys[i + 1]}' lies inside parameter '{keys[i]}'; set one or the other");
            }
        }
    }

    private void ReadDefinition(SpecScalar key, SpecNode node)
    {
        var name = key.Value;
        if (node is not SpecMapping def)
        {
            reader.Diags.Add(node, $"parameter '{name}' must be a mapping such as {{values: [1, 2]}} (an axis) or {{value: 1}} (fixed)");
            return;
        }
        reader.CheckKeys(def, DefinitionKeys, $"parameter '{name}'");
        var value = def.Get("value");
        var valuesNode = def.Get("values");
        if (value is not null && valuesNode is not null)
        {
            reader.Diags.Add(key, $"parameter '{name}' has both 'value:' and 'values:'; keep 'values:' to sweep it or 'value:' to fix it");
            return;
        }
        if (value is not null)
        {
            Fixed.Add((key, new ValueAt(reader.Json(value), value)));
            return;
        }
        List<ValueAt>? values = null;
        if (valuesNode is not null)
        {
            var seq = reader.Sequence(valuesNode, $"{name}.values", "values: [1, 2]");
            if (seq is { Items.Count: 0 } || (seq is null && valuesNode is SpecScalar { IsNull: true }))
            {
                reader.Diags.Add(valuesNode, $"parameter '{name}' has an empty 'values:' list; give at least one value, e.g. values: [1, 2]");
                return;
            }
            values = seq?.Items.Select(i => new ValueAt(reader.Json(i), i)).ToList();
            if (values is null)
            {
                return;
            }
            for (var i = 1; i < values.Count; i++)
            {
                if (values.Take(i).FirstOrDefault(v => JsonValues.Equal(v.Value, values[i].Value)) is { } first)
                {
                    reader.Diags.Add(values[i].Node, $"parameter '{name}' lists {JsonValues.Show(values[i])} twice (first at line {first.Node.Line}, column {first.Node.Column}); remove the repeat");
                }
            }
        }
        var rows = values?.Select(v => (IReadOnlyList<ValueAt>)[v]).ToList() ?? [];
        if (random)
        {
            if (new DistributionReader(reader).Read(key, def, values) is { } distribution)
            {
                Axes.Add(new AxisDraft([key], rows, distribution));
            }
            return;
        }
        if (CheckGridDefinition(key, def) && values is null)
        {
            reader.Diags.Add(key, $"parameter '{name}' needs 'values:' (a list to sweep) or 'value:' (fixed); e.g. {name}: {{values: [1, 2]}}");
        }
        if (values is not null)
        {
            Axes.Add(new AxisDraft([key], rows, null));
        }
    }

    private bool CheckGridDefinition(SpecScalar key, SpecMapping def)
    {
        var ok = true;
        foreach (var k in new[] { "min", "max", "probabilities" })
        {
            if (def.KeyNode(k) is { } node)
            {
                reader.Diags.Add(node, $"'{k}:' of parameter '{key.Value}' needs method: random; a grid sweeps a 'values:' list");
                ok = false;
            }
        }
        var kind = reader.Choice(def.Get("distribution"), "distribution", DistributionReader.Kinds);
        if (kind is not null and not "categorical")
        {
            reader.Diags.Add(def.Get("distribution")!, $"distribution '{kind}' of parameter '{key.Value}' needs method: random; a grid sweeps a 'values:' list");
            ok = false;
        }
        return ok;
    }
}

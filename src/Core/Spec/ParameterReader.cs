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
/// <param name="flatNames">
/// A command spec: parameter keys are the program's argument names (W&amp;B's), not paths into a stage configuration,
/// so a fixed <c>data</c> beside a swept <c>data.augment</c> is two arguments, not a key inside another.
/// </param>
internal sealed class ParameterReader(NodeReader reader, bool random, bool flatNames = false)
{
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
        for (var i = 0; i + 1 < keys.Count && !flatNames; i++)
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
        reader.CheckKeys(def, DistributionKinds.DefinitionKeys, $"parameter '{name}'");
        var value = def.Get("value");
        var valuesNode = def.Get("values");
        if (value is not null && valuesNode is not null)
        {
            reader.Diags.Add(key, $"parameter '{name}' has both 'value:' and 'values:'; keep 'values:' to sweep it or 'value:' to fix it");
            return;
        }
        var distributions = new DistributionReader(reader);
        if (distributions.KindOf(key, def) is not { } kind)
        {
            return;
        }
        if (kind.Name == "constant")
        {
            // W&B's {distribution: constant, value: x} is the same as {value: x}: fixed in every run.
            if (value is null)
            {
                reader.Diags.Add(key, $"parameter '{name}' with distribution 'constant' needs 'value:'; e.g. {name}: {{value: 1}}");
            }
            else if (def.Entries.FirstOrDefault(e => e.Key.Value is not ("value" or "distribution")).Key is { } stray)
            {
                reader.Diags.Add(stray, $"'{stray.Value}:' does not apply to a fixed parameter ('{name}' has 'value:'); drop it, or use values: to sweep");
            }
            else
            {
                Fixed.Add((key, new ValueAt(reader.Json(value), value)));
            }
            return;
        }
        if (value is not null)
        {
            reader.Diags.Add(def.KeyNode("value")!, $"parameter '{name}' with distribution '{kind.Name}' takes {string.Join(", ", kind.Keys)}, not 'value:'; drop one of them");
            return;
        }
        List<ValueAt>? values = null;
        if (valuesNode is not null)
        {
            values = ReadValues(name, valuesNode);
            if (values is null)
            {
                return;
            }
        }
        if (!random && !kind.InGrid)
        {
            var at = def.Get("distribution") ?? (SpecNode?)def.KeyNode("probabilities") ?? def.KeyNode("min") ?? key;
            var why = def.Get("distribution") is null && kind.Name != "categorical" ? $" (inferred from min/max)" : "";
            reader.Diags.Add(at, $"parameter '{name}': {(kind.Name == "categorical" ? "'probabilities:'" : $"distribution '{kind.Name}'{why}")} needs method: random; a grid sweeps values:, value:, or whole-number min/max (int_uniform) and q_uniform ranges");
            return;
        }
        if (!random && def.KeyNode("probabilities") is { } probabilities)
        {
            reader.Diags.Add(probabilities, $"'probabilities:' of parameter '{name}' needs method: random; a grid runs every value");
            return;
        }
        if (distributions.Read(key, def, kind, values) is not { } distribution)
        {
            return;
        }
        if (random)
        {
            var rows = values?.Select(v => (IReadOnlyList<ValueAt>)[v]).ToList() ?? [];
            Axes.Add(new AxisDraft([key], rows, distribution));
            return;
        }
        // A grid enumerates int_uniform and q_uniform ranges into values, as W&B's grid search does.
        var grid = values ?? GridRanges.Enumerate(key, def, distribution, reader.Diags);
        if (grid is not null)
        {
            Axes.Add(new AxisDraft([key], [.. grid.Select(v => (IReadOnlyList<ValueAt>)[v])], null));
        }
    }

    private List<ValueAt>? ReadValues(string name, SpecNode valuesNode)
    {
        var seq = reader.Sequence(valuesNode, $"{name}.values", "values: [1, 2]");
        if (seq is { Items.Count: 0 } || (seq is null && valuesNode is SpecScalar { IsNull: true }))
        {
            reader.Diags.Add(valuesNode, $"parameter '{name}' has an empty 'values:' list; give at least one value, e.g. values: [1, 2]");
            return null;
        }
        var values = seq?.Items.Select(i => new ValueAt(reader.Json(i), i)).ToList();
        if (values is null)
        {
            return null;
        }
        for (var i = 1; i < values.Count; i++)
        {
            if (values.Take(i).FirstOrDefault(v => JsonValues.Equal(v.Value, values[i].Value)) is { } first)
            {
                reader.Diags.Add(values[i].Node, $"parameter '{name}' lists {JsonValues.Show(values[i])} twice (first at line {first.Node.Line}, column {first.Node.Column}); remove the repeat");
            }
        }
        return values;
    }
}

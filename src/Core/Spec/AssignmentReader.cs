namespace Ablations.Core.Spec;

/// <summary>
/// Reads partial assignments (<c>baseline</c>, each <c>include</c>/<c>exclude</c> entry): dotted keys that must be
/// swept or fixed parameters, with the baseline's values checked against the axis values.
/// </summary>
internal sealed class AssignmentReader(NodeReader reader, IReadOnlyList<AxisDraft> axes, IReadOnlyList<(SpecScalar Key, ValueAt Value)> fixedValues)
{
    private readonly List<string> _known = [.. axes.SelectMany(a => a.Keys.Select(k => k.Value)), .. fixedValues.Select(f => f.Key.Value)];

    public List<(SpecScalar Key, ValueAt Value)>? Read(SpecNode node, string where)
    {
        if (node is not SpecMapping map)
        {
            reader.Diags.Add(node, $"{where} must be a mapping of parameter keys to values; e.g. {{student.lambda: 0.0}}");
            return null;
        }
        var result = new List<(SpecScalar, ValueAt)>();
        foreach (var (key, value) in map.Entries)
        {
            if (!_known.Contains(key.Value))
            {
                var hint = _known.Count == 0 ? "no parameters are defined" : KeySuggester.Hint(key.Value, _known, "swept and fixed keys");
                reader.Diags.Add(key, $"{where}: '{key.Value}' is not a swept or fixed parameter; {hint}");
                continue;
            }
            result.Add((key, new ValueAt(reader.Json(value), value)));
        }
        return result;
    }

    /// <summary>A fixed key may appear, but only with its fixed value: a cell cannot change it.</summary>
    public void CheckFixed(IEnumerable<(SpecScalar Key, ValueAt Value)> entries, string where)
    {
        foreach (var (key, value) in entries)
        {
            var fixedValue = fixedValues.FirstOrDefault(f => f.Key.Value == key.Value);
            if (fixedValue.Key is not null && !JsonValues.Equal(fixedValue.Value.Value, value.Value))
            {
                reader.Diags.Add(value.Node, $"{where}: '{key.Value}' is fixed at {JsonValues.Show(fixedValue.Value.Value)} (value:), so it cannot be {JsonValues.Show(value)}; make it an axis with values: or drop it here");
            }
        }
    }

    /// <summary>Baseline values must be values of their axis (for a zip group: one row must match all given keys).</summary>
    public void CheckBaseline(IReadOnlyList<(SpecScalar Key, ValueAt Value)> baseline)
    {
        CheckFixed(baseline, "baseline");
        foreach (var axis in axes.Where(a => a.Rows.Count > 0))
        {
            var given = baseline.Where(b => axis.Keys.Any(k => k.Value == b.Key.Value)).ToList();
            if (given.Count == 0)
            {
                continue;
            }
            var columns = given.Select(g => axis.Keys.ToList().FindIndex(k => k.Value == g.Key.Value)).ToList();
            var match = axis.Rows.Any(row => given.Select((g, i) => JsonValues.Equal(row[columns[i]].Value, g.Value.Value)).All(x => x));
            if (match)
            {
                continue;
            }
            if (axis.Keys.Count == 1)
            {
                var allowed = string.Join(", ", axis.Rows.Select(r => JsonValues.Show(r[0])));
                reader.Diags.Add(given[0].Value.Node, $"baseline: {given[0].Key.Value} = {JsonValues.Show(given[0].Value)} is not one of its values ({allowed}); pick one of them or add it to the values");
            }
            else
            {
                var assignment = string.Join(", ", given.Select(g => $"{g.Key.Value} = {JsonValues.Show(g.Value)}"));
                reader.Diags.Add(given[0].Value.Node, $"baseline: no row of the zip group ({string.Join(", ", axis.Keys.Select(k => k.Value))}) has {assignment}; pick values from one row");
            }
        }
    }
}

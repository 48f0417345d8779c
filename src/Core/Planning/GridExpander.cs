using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// Expands a validated spec into its cells, as a pure function. Grid/full: the cartesian product of the axes in
/// spec order (a zip group is one axis; the last axis varies fastest), minus <c>exclude</c> matches, plus
/// <c>include</c> cells not already present. Grid/one_at_a_time: the baseline, then each axis's other values
/// changed alone. Random: <c>run_cap</c> cells sampled with a seed derived from the spec name, identical in every
/// process. The run cap keeps the first cells and always the baseline (in place of the last one kept).
/// </summary>
public static class GridExpander
{
    public static Expansion Expand(ExperimentSpec spec, int? overrideRunCap = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (overrideRunCap is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(overrideRunCap), overrideRunCap, "a run cap must be at least 1");
        }
        var cap = overrideRunCap ?? spec.RunCap;
        var baseline = spec.Baseline is null ? null : Resolve(spec, spec.Baseline, fallback: null);
        var baselineRows = baseline is null ? null : GridRows.Of(spec.Axes, baseline);
        var items = spec.Method == SweepMethod.Random ? Random(spec, cap ?? 1)
            : spec.Design == DesignKind.OneAtATime ? OneAtATime(spec, baseline ?? Resolve(spec, new Dictionary<string, JsonNode?>(), fallback: null))
            : Full(spec, baseline);

        // Items beyond the cap are counted, never built: a capped grid of a million cells stays cheap.
        var kept = new List<(Dictionary<string, JsonNode?> Params, bool IsBaseline)>();
        (Dictionary<string, JsonNode?> Params, bool IsBaseline)? lateBaseline = null;
        var total = 0;
        foreach (var item in items)
        {
            var isBaseline = item.Rows is not null
                ? baselineRows is not null && item.Rows.AsSpan().SequenceEqual(baselineRows)
                : baseline is not null && GridCellSet.Same(item.Cell!, baseline);
            if (cap is null || kept.Count < cap)
            {
                kept.Add((item.Build(spec.Axes), isBaseline));
            }
            else if (isBaseline && lateBaseline is null)
            {
                lateBaseline = (item.Build(spec.Axes), true);
            }
            total++;
        }
        if (lateBaseline is { } b && !kept.Any(k => k.IsBaseline))
        {
            kept[^1] = b;
        }
        var cells = kept.Select((k, i) => new Cell(i, k.Params, k.IsBaseline)).ToList();
        return new Expansion(cells, total, total - cells.Count);
    }

    private static IEnumerable<GridItem> Full(ExperimentSpec spec, Dictionary<string, JsonNode?>? baseline)
    {
        var exclusions = new GridExclusions(spec);
        foreach (var rows in GridRows.Product(spec.Axes))
        {
            if (!exclusions.Match(rows))
            {
                yield return new GridItem(rows, null);
            }
        }
        var includes = new GridCellSet();
        foreach (var include in spec.Include)
        {
            var cell = Resolve(spec, include, baseline);
            var rows = GridRows.Of(spec.Axes, cell);
            var inGrid = rows is not null && !exclusions.Match(rows);
            if (!inGrid && includes.Add(cell))
            {
                yield return new GridItem(null, cell);
            }
        }
    }

    private static IEnumerable<GridItem> OneAtATime(ExperimentSpec spec, Dictionary<string, JsonNode?> baseline)
    {
        var cells = new GridCellSet();
        cells.Add(baseline);
        foreach (var axis in spec.Axes)
        {
            for (var row = 0; row < axis.Values.Count; row++)
            {
                var cell = new Dictionary<string, JsonNode?>(baseline, StringComparer.Ordinal);
                for (var k = 0; k < axis.Keys.Count; k++)
                {
                    cell[axis.Keys[k]] = axis.Values[row][k];
                }
                if (!GridExclusions.Match(spec, cell))
                {
                    cells.Add(cell);
                }
            }
        }
        foreach (var include in spec.Include)
        {
            cells.Add(Resolve(spec, include, baseline));
        }
        return cells.Items.Select(c => new GridItem(null, c));
    }

    private static IEnumerable<GridItem> Random(ExperimentSpec spec, int count)
    {
        var cells = new GridCellSet();
        GridRandomSampler.Sample(spec, count, cells);
        return cells.Items.Select(c => new GridItem(null, c));
    }

    /// <summary>
    /// Completes a partial assignment axis by axis: given keys are kept; missing keys come from the first row of the
    /// axis that matches the given keys, else from <paramref name="fallback"/> (the baseline), else the first row.
    /// </summary>
    internal static Dictionary<string, JsonNode?> Resolve(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> partial, Dictionary<string, JsonNode?>? fallback)
    {
        var cell = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var axis in spec.Axes)
        {
            var given = axis.Keys.Select((k, i) => (Key: k, Index: i)).Where(k => partial.ContainsKey(k.Key)).ToList();
            var row = given.Count == 0 ? null : axis.Values.FirstOrDefault(r => given.All(g => JsonValues.Equal(r[g.Index], partial[g.Key])));
            for (var k = 0; k < axis.Keys.Count; k++)
            {
                var key = axis.Keys[k];
                cell[key] = partial.TryGetValue(key, out var v) ? v
                    : row is not null ? row[k]
                    : fallback is not null && fallback.TryGetValue(key, out var b) ? b
                    : axis.Values.Count > 0 ? axis.Values[0][k]
                    : axis.Distribution?.Min is { } min ? JsonValue.Create(min)
                    : null;
            }
        }
        return cell;
    }
}

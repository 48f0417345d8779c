using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// Expands a validated spec into its cells, as a pure function. Grid/full: the cartesian product of the axes in
/// spec order (a zip group is one axis), minus <c>exclude</c> matches, plus <c>include</c> cells. Grid/one_at_a_time:
/// the baseline, then each axis's other values changed alone. Random: <c>run_cap</c> cells sampled with a seed
/// derived from the spec name, identical in every process. The run cap keeps the first cells and always the baseline.
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
        var cells = new GridCellSet();
        if (spec.Method == SweepMethod.Random)
        {
            GridRandomSampler.Sample(spec, cap ?? 1, cells);
        }
        else
        {
            var candidates = spec.Design == DesignKind.OneAtATime ? OneAtATime(spec, baseline ?? Resolve(spec, new Dictionary<string, JsonNode?>(), fallback: null)) : Product(spec.Axes);
            foreach (var cell in candidates)
            {
                if ((spec.Design == DesignKind.OneAtATime && cells.Count == 0) || !IsExcluded(spec, cell))
                {
                    cells.Add(cell);
                }
            }
            foreach (var include in spec.Include)
            {
                cells.Add(Resolve(spec, include, baseline));
            }
        }

        var all = cells.Items;
        var baselineIndex = baseline is null ? -1 : all.FindIndex(c => GridCellSet.Same(c, baseline));
        var kept = all;
        if (cap is { } n && all.Count > n)
        {
            kept = all.Take(n).ToList();
            if (baselineIndex >= n)
            {
                kept[n - 1] = all[baselineIndex];
            }
        }
        var result = kept.Select((p, i) => new Cell(
                i,
                p.ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone(), StringComparer.Ordinal),
                baseline is not null && GridCellSet.Same(p, baseline)))
            .ToList();
        return new Expansion(result, all.Count, all.Count - kept.Count);
    }

    /// <summary>Every combination; the last axis varies fastest. No axes: one empty cell.</summary>
    private static IEnumerable<Dictionary<string, JsonNode?>> Product(IReadOnlyList<Axis> axes)
    {
        var odometer = new int[axes.Count];
        if (axes.Any(a => a.Values.Count == 0))
        {
            yield break;
        }
        while (true)
        {
            var cell = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            for (var a = 0; a < axes.Count; a++)
            {
                Assign(cell, axes[a], odometer[a]);
            }
            yield return cell;
            var i = axes.Count - 1;
            while (i >= 0 && ++odometer[i] == axes[i].Values.Count)
            {
                odometer[i--] = 0;
            }
            if (i < 0)
            {
                yield break;
            }
        }
    }

    private static IEnumerable<Dictionary<string, JsonNode?>> OneAtATime(ExperimentSpec spec, Dictionary<string, JsonNode?> baseline)
    {
        yield return baseline;
        foreach (var axis in spec.Axes)
        {
            for (var row = 0; row < axis.Values.Count; row++)
            {
                var cell = new Dictionary<string, JsonNode?>(baseline, StringComparer.Ordinal);
                Assign(cell, axis, row);
                if (!GridCellSet.Same(cell, baseline))
                {
                    yield return cell;
                }
            }
        }
    }

    private static void Assign(Dictionary<string, JsonNode?> cell, Axis axis, int row)
    {
        for (var k = 0; k < axis.Keys.Count; k++)
        {
            cell[axis.Keys[k]] = axis.Values[row][k];
        }
    }

    private static bool IsExcluded(ExperimentSpec spec, Dictionary<string, JsonNode?> cell) =>
        spec.Exclude.Any(rule => rule.All(kv =>
            (cell.TryGetValue(kv.Key, out var v) || spec.Fixed.TryGetValue(kv.Key, out v)) && JsonValues.Equal(v, kv.Value)));

    /// <summary>
    /// Completes a partial assignment axis by axis: given keys are kept; missing keys come from the first row of the
    /// axis that matches the given keys, else from <paramref name="fallback"/> (the baseline), else the first row.
    /// </summary>
    internal static Dictionary<string, JsonNode?> Resolve(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> partial, Dictionary<string, JsonNode?>? fallback)
    {
        var cell = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var axis in spec.Axes)
        {
            var given = axis.Keys.Where(partial.ContainsKey).ToList();
            var row = given.Count == 0 ? null : axis.Values.FirstOrDefault(r => given.All(k => JsonValues.Equal(r[axis.Keys.ToList().IndexOf(k)], partial[k])));
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

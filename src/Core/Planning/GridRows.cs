using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// A cell not built yet: either row indices into the axes (a grid cell) or its parameters (any other cell).
/// <see cref="Build"/> gives each cell its own JSON nodes, so callers may attach them to other documents.
/// </summary>
internal readonly record struct GridItem(int[]? Rows, Dictionary<string, JsonNode?>? Cell)
{
    public Dictionary<string, JsonNode?> Build(IReadOnlyList<Axis> axes)
    {
        var cell = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (Rows is not null)
        {
            for (var a = 0; a < axes.Count; a++)
            {
                for (var k = 0; k < axes[a].Keys.Count; k++)
                {
                    cell[axes[a].Keys[k]] = axes[a].Values[Rows[a]][k]?.DeepClone();
                }
            }
            return cell;
        }
        foreach (var (key, value) in Cell!)
        {
            cell[key] = value?.DeepClone();
        }
        return cell;
    }
}

/// <summary>Row-index arithmetic over the axes of a grid.</summary>
internal static class GridRows
{
    /// <summary>
    /// Every combination of row indices, the last axis fastest; one empty combination when there are no axes.
    /// The same array is updated in place between items: use it before moving on, copy it to keep it.
    /// </summary>
    public static IEnumerable<int[]> Product(IReadOnlyList<Axis> axes)
    {
        if (axes.Any(a => a.Values.Count == 0))
        {
            yield break;
        }
        var odometer = new int[axes.Count];
        while (true)
        {
            yield return odometer;
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

    /// <summary>The row of each axis that a full cell takes, or null when some value is on no row.</summary>
    public static int[]? Of(IReadOnlyList<Axis> axes, IReadOnlyDictionary<string, JsonNode?> cell)
    {
        var rows = new int[axes.Count];
        for (var a = 0; a < axes.Count; a++)
        {
            var axis = axes[a];
            rows[a] = -1;
            for (var r = 0; r < axis.Values.Count && rows[a] < 0; r++)
            {
                var match = true;
                for (var k = 0; k < axis.Keys.Count && match; k++)
                {
                    match = cell.TryGetValue(axis.Keys[k], out var v) && JsonValues.Equal(v, axis.Values[r][k]);
                }
                rows[a] = match ? r : -1;
            }
            if (rows[a] < 0)
            {
                return null;
            }
        }
        return rows;
    }
}

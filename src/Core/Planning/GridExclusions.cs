using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// The spec's <c>exclude</c> rules, precomputed per axis as the rows each rule accepts, so matching a grid cell
/// is a few array lookups. A rule matches a cell when every key of the rule has the rule's value there
/// (axis keys in the cell, fixed keys in spec.Fixed).
/// </summary>
internal sealed class GridExclusions
{
    private readonly List<bool[]?[]> _rules = [];

    public GridExclusions(ExperimentSpec spec)
    {
        foreach (var rule in spec.Exclude)
        {
            if (!FixedKeysMatch(spec, rule))
            {
                continue;
            }
            var perAxis = new bool[]?[spec.Axes.Count];
            for (var a = 0; a < spec.Axes.Count; a++)
            {
                var axis = spec.Axes[a];
                var keys = axis.Keys.Select((k, i) => (Key: k, Index: i)).Where(k => rule.ContainsKey(k.Key)).ToList();
                if (keys.Count > 0)
                {
                    perAxis[a] = [.. axis.Values.Select(row => keys.All(k => JsonValues.Equal(row[k.Index], rule[k.Key])))];
                }
            }
            _rules.Add(perAxis);
        }
    }

    public bool Match(int[] rows)
    {
        foreach (var rule in _rules)
        {
            var all = true;
            for (var a = 0; a < rule.Length && all; a++)
            {
                all = rule[a] is not { } allowed || allowed[rows[a]];
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The same test for a cell given by its parameters (one_at_a_time and random cells).</summary>
    public static bool Match(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> cell) =>
        spec.Exclude.Any(rule => rule.All(kv =>
            (cell.TryGetValue(kv.Key, out var v) || spec.Fixed.TryGetValue(kv.Key, out v)) && JsonValues.Equal(v, kv.Value)));

    private static bool FixedKeysMatch(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> rule) =>
        rule.Where(kv => !spec.Axes.Any(a => a.Keys.Contains(kv.Key)))
            .All(kv => spec.Fixed.TryGetValue(kv.Key, out var v) && JsonValues.Equal(v, kv.Value));
}

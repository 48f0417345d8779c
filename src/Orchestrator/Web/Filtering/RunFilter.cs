using Ablations.Core.Results;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Web.Filtering;

/// <summary>
/// A parsed filter: all conditions must hold. A run that lacks the parameter or metric a condition names does
/// not match it (as in MLflow). Parameters compare as numbers when both sides are numbers, otherwise as text;
/// a list parameter (a teacher set) reads as its items joined by '+' ("none" when empty).
/// </summary>
internal sealed class RunFilter(IReadOnlyList<FilterCondition> conditions)
{
    public IReadOnlyList<FilterCondition> Conditions { get; } = conditions;

    public bool Matches(RunResult run) => Conditions.All(c => Holds(c, run));

    private static bool Holds(FilterCondition c, RunResult run)
    {
        switch (c.Field.Kind)
        {
            case FieldKind.Metric:
                return run.Metrics.TryGetValue(c.Field.Key, out var metric) && CompareNumbers(metric, c.Operator, c.Value.Number!.Value);
            case FieldKind.Seed:
                return CompareNumbers(run.Seed, c.Operator, c.Value.Number!.Value);
            case FieldKind.Status:
                return CompareText(run.Status, c.Operator, c.Value.Text, ignoreCase: true);
            case FieldKind.RunId:
                return CompareText(run.RunId, c.Operator, c.Value.Text, ignoreCase: false);
            default:
                if (!run.Params.TryGetValue(c.Field.Key, out var node) || node is null) return false;
                if (c.Value.Number is double number)
                    return AsNumber(node) is double value && CompareNumbers(value, c.Operator, number);
                return CompareText(ParamText(node), c.Operator, c.Value.Text, ignoreCase: false);
        }
    }

    /// <summary>How a parameter value reads as text: lists joined by '+', "none" for an empty list.</summary>
    public static string ParamText(JsonNode? node) => node switch
    {
        null => "",
        JsonArray { Count: 0 } => "none",
        JsonArray items => string.Join("+", items.Select(ParamText)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static double? AsNumber(JsonNode node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String
            && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static bool CompareNumbers(double left, string op, double right) => op switch
    {
        "=" => left == right,
        "!=" => left != right,
        "<" => left < right,
        "<=" => left <= right,
        ">" => left > right,
        ">=" => left >= right,
        _ => false,
    };

    private static bool CompareText(string left, string op, string right, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return op switch
        {
            "=" => string.Equals(left, right, comparison),
            "!=" => !string.Equals(left, right, comparison),
            "<" => string.Compare(left, right, comparison) < 0,
            "<=" => string.Compare(left, right, comparison) <= 0,
            ">" => string.Compare(left, right, comparison) > 0,
            ">=" => string.Compare(left, right, comparison) >= 0,
            "LIKE" => Like(left, right, ignoreCase),
            "ILIKE" => Like(left, right, ignoreCase: true),
            _ => false,
        };
    }

    /// <summary>
    /// SQL LIKE: '%' matches any run of characters, '_' exactly one; everything else literally. A greedy two-pointer
    /// match that backtracks only to the last '%', so it takes O(text × pattern) steps at worst whatever the pattern (a
    /// regex of many '.*' backtracks exponentially and ran into its timeout on '%a%a%a…%b').
    /// </summary>
    public static bool Like(string text, string pattern, bool ignoreCase)
    {
        bool Same(char a, char b) => a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
        int t = 0, p = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '%')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && (pattern[p] == '_' || Same(pattern[p], text[t])))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '%') p++;
        return p == pattern.Length;
    }
}

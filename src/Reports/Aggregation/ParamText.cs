using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Reports.Aggregation;

/// <summary>How parameter values read in tables, legends and exported columns.</summary>
internal static class ParamText
{
    /// <summary>
    /// Numbers in shortest round-trip form, strings as they are, arrays joined with "+" (a teacher ensemble
    /// ["t_a","t_b"] reads "t_a+t_b"), an empty array as "none", a missing value as "—".
    /// </summary>
    public static string Format(JsonNode? node) => node switch
    {
        null => "—",
        JsonArray { Count: 0 } => "none",
        JsonArray array => string.Join("+", array.Select(Format)),
        JsonValue value => FormatValue(value),
        _ => node.ToJsonString(),
    };

    /// <summary>The value as a number, when it is one.</summary>
    public static double? AsNumber(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out double d) ? d : NumberFromElement(value);
    }

    /// <summary>A canonical key for grouping: equal JSON values give equal keys.</summary>
    public static string Key(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    private static double? NumberFromElement(JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        return double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null;
    }

    private static string FormatValue(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => AsNumber(value) is { } d ? Number(d) : value.ToJsonString(),
        _ => value.ToJsonString(),
    };

    public static string Number(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}

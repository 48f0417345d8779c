using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning.Pipelines;

/// <summary>
/// Parameter values as a W&amp;B agent, a Python program, writes them: <c>str(value)</c> for <c>--key=value</c> (1.0 stays
/// 1.0, 1e-05 stays 1e-05, True/False/None, lists and dicts as Python prints them) and <c>json.dumps</c> for
/// <c>${args_json}</c>. An integer and a float are told apart by how the spec wrote them (5 vs 5.0).
/// </summary>
internal static class PythonText
{
    public static string Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : Repr(node);

    public static string Repr(JsonNode? node)
    {
        var sb = new StringBuilder();
        WriteRepr(node, sb);
        return sb.ToString();
    }

    public static string JsonDumps(JsonNode? node)
    {
        var sb = new StringBuilder();
        WriteJson(node, sb);
        return sb.ToString();
    }

    /// <summary>
    /// Python's float repr: the shortest digits that read back as the same double (which .NET's "R" also gives),
    /// laid out as Python does: exponent form when the exponent is below -4 or 16 and above (1e-05, 1e+16), else
    /// positional with at least one decimal (0.0001, 1.0, 1000000000000000.0).
    /// </summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";
        var r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? r : r[..e];
        var exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.');
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var decimalPoint = (point < 0 ? mantissa.Length : point) + exponent;
        var lead = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        decimalPoint -= lead;
        var sign = d < 0 ? "-" : "";
        if (decimalPoint <= -4 || decimalPoint > 16)
        {
            var exp = decimalPoint - 1;
            var head = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
            return $"{sign}{head}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }
        if (decimalPoint <= 0) return $"{sign}0.{new string('0', -decimalPoint)}{digits}";
        if (decimalPoint >= digits.Length) return $"{sign}{digits}{new string('0', decimalPoint - digits.Length)}.0";
        return $"{sign}{digits[..decimalPoint]}.{digits[decimalPoint..]}";
    }

    /// <summary>Python's repr() and json.dumps() differ only in these: the words for null and the booleans, and string quoting.</summary>
    private sealed record Dialect(string Null, string True, string False, Func<string, string> Quote, bool Json);

    private static readonly Dialect ReprDialect = new("None", "True", "False", QuoteRepr, Json: false);
    private static readonly Dialect JsonDialect = new("null", "true", "false", QuoteJson, Json: true);

    private static void WriteRepr(JsonNode? node, StringBuilder sb) => Write(node, sb, ReprDialect);

    private static void WriteJson(JsonNode? node, StringBuilder sb) => Write(node, sb, JsonDialect);

    private static void Write(JsonNode? node, StringBuilder sb, Dialect d)
    {
        switch (node)
        {
            case null:
                sb.Append(d.Null);
                break;
            case JsonArray arr:
                sb.Append('[');
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(arr[i], sb, d);
                }
                sb.Append(']');
                break;
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(d.Quote(key)).Append(": ");
                    Write(value, sb, d);
                }
                sb.Append('}');
                break;
            case JsonValue v:
                sb.Append(v.GetValueKind() switch
                {
                    JsonValueKind.True => d.True,
                    JsonValueKind.False => d.False,
                    JsonValueKind.String => d.Quote(v.GetValue<string>()),
                    JsonValueKind.Number => Number(v, json: d.Json),
                    _ => v.ToJsonString(),
                });
                break;
        }
    }

    /// <summary>A whole number the spec wrote as one stays one (5); anything else is a float (5.0, 0.001).</summary>
    private static string Number(JsonValue v, bool json)
    {
        if (v.TryGetValue<long>(out var l)) return l.ToString(CultureInfo.InvariantCulture);
        if (v.TryGetValue<int>(out var i)) return i.ToString(CultureInfo.InvariantCulture);
        var d = v.GetValue<double>();
        var text = Float(d);
        // json.dumps writes the non-finite floats as NaN/Infinity; a spec cannot hold them, but keep the mapping honest.
        return json && !double.IsFinite(d) ? (double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity") : text;
    }

    /// <summary>Python's str repr: single quotes unless the text holds a single quote and no double one.</summary>
    private static string QuoteRepr(string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder().Append(quote);
        foreach (var c in s)
        {
            if (c == quote || c == '\\') sb.Append('\\').Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (c < ' ' || (c >= '\u007f' && c <= '\u009f')) sb.Append($"\\x{(int)c:x2}");
            else sb.Append(c);
        }
        return sb.Append(quote).ToString();
    }

    /// <summary>json.dumps's string form (ensure_ascii): every character outside ASCII as \uXXXX.</summary>
    private static string QuoteJson(string s)
    {
        var sb = new StringBuilder().Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ' || c > '\u007e') sb.Append($"\\u{(int)c:x4}");
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}

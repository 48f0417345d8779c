using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// Canonical JSON: object keys sorted ordinally, no whitespace, numbers in invariant shortest round-trip
/// form (an integral double is written as an integer, so 1 and 1.0 are the same value). The same value
/// gives the same bytes on every process and machine, which is what stage hashes rely on.
/// </summary>
public static class JsonCanonical
{
    public static string Serialize(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    public static string Serialize(IReadOnlyDictionary<string, JsonNode?> map)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in map) obj[k] = v?.DeepClone();
        return Serialize(obj);
    }

    public static string Sha256(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void Write(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(JsonSerializer.Serialize(key));
                    sb.Append(':');
                    Write(value, sb);
                }
                sb.Append('}');
                break;
            case JsonArray arr:
                sb.Append('[');
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(arr[i], sb);
                }
                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(value, sb);
                break;
        }
    }

    private static void WriteValue(JsonValue value, StringBuilder sb)
    {
        var element = JsonSerializer.SerializeToElement(value);
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                var d = element.GetDouble();
                if (element.TryGetInt64(out var l)) sb.Append(l.ToString(CultureInfo.InvariantCulture));
                else if (Math.Abs(d) < 9e15 && d == Math.Floor(d)) sb.Append(((long)d).ToString(CultureInfo.InvariantCulture));
                else sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.String:
                sb.Append(JsonSerializer.Serialize(element.GetString()));
                break;
            default:
                sb.Append(element.GetRawText());
                break;
        }
    }
}

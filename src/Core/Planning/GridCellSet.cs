using Ablations.Core.Spec;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>Cells in insertion order without duplicates (numbers compare by value, so 1 and 1.0 are one cell).</summary>
internal sealed class GridCellSet
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    public List<Dictionary<string, JsonNode?>> Items { get; } = [];
    public int Count => Items.Count;

    public bool Add(Dictionary<string, JsonNode?> cell)
    {
        if (!_keys.Add(KeyOf(cell)))
        {
            return false;
        }
        Items.Add(cell);
        return true;
    }

    public static bool Same(IReadOnlyDictionary<string, JsonNode?> a, IReadOnlyDictionary<string, JsonNode?> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && JsonValues.Equal(kv.Value, v));

    private static string KeyOf(Dictionary<string, JsonNode?> cell)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in cell.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(key).Append('=');
            Write(sb, value);
            sb.Append(';');
        }
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                sb.Append(JsonValues.ToDouble(v).ToString("R", CultureInfo.InvariantCulture));
                break;
            case JsonArray a:
                sb.Append('[');
                foreach (var item in a)
                {
                    Write(sb, item);
                    sb.Append(',');
                }
                sb.Append(']');
                break;
            case JsonObject o:
                sb.Append('{');
                foreach (var (k, v) in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    sb.Append(JsonSerializer.Serialize(k)).Append(':');
                    Write(sb, v);
                    sb.Append(',');
                }
                sb.Append('}');
                break;
            default:
                sb.Append(node.ToJsonString());
                break;
        }
    }
}

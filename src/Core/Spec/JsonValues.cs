using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>Value equality for parameter values: numbers compare by value (1 equals 1.0), the rest structurally.</summary>
internal static class JsonValues
{
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }
        if (a is JsonValue va && b is JsonValue vb && va.GetValueKind() == JsonValueKind.Number && vb.GetValueKind() == JsonValueKind.Number)
        {
            return ToDouble(va) == ToDouble(vb);
        }
        if (a is JsonArray xa && b is JsonArray xb)
        {
            return xa.Count == xb.Count && xa.Zip(xb).All(p => Equal(p.First, p.Second));
        }
        if (a is JsonObject oa && b is JsonObject ob)
        {
            return oa.Count == ob.Count && oa.All(kv => ob.TryGetPropertyValue(kv.Key, out var other) && Equal(kv.Value, other));
        }
        return JsonNode.DeepEquals(a, b);
    }

    public static double ToDouble(JsonValue v) =>
        v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : v.GetValue<double>();

    /// <summary>Short text for messages: strings quoted, the rest as compact JSON.</summary>
    public static string Show(JsonNode? v) => v is null ? "null" : v.ToJsonString();

    /// <summary>A value as the user wrote it when it was a plain scalar (0.0 stays 0.0), else as compact JSON.</summary>
    public static string Show(ValueAt v) => v.Node is SpecScalar { IsPlain: true } s ? s.Value : Show(v.Value);
}

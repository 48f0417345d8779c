using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>Typed reads of spec nodes that report a positioned diagnostic (with the expected shape) instead of throwing.</summary>
internal sealed class NodeReader(DiagnosticBag diags)
{
    public DiagnosticBag Diags { get; } = diags;

    public void CheckKeys(SpecMapping map, IReadOnlyCollection<string> valid, string where)
    {
        foreach (var key in map.Entries.Select(e => e.Key))
        {
            if (!valid.Contains(key.Value))
            {
                Diags.Add(key, $"unknown key '{Short(key.Value)}' in {where}; {KeySuggester.Hint(key.Value, valid)}");
            }
        }
    }

    public SpecMapping? Mapping(SpecNode? node, string what, string example)
    {
        switch (node)
        {
            case null:
            case SpecScalar { IsNull: true }:
                return null;
            case SpecMapping m:
                return m;
            default:
                Diags.Add(node, $"'{what}' must be a mapping, not {node.KindName}; e.g. {example}");
                return null;
        }
    }

    public SpecSequence? Sequence(SpecNode? node, string what, string example)
    {
        switch (node)
        {
            case null:
            case SpecScalar { IsNull: true }:
                return null;
            case SpecSequence s:
                return s;
            default:
                Diags.Add(node, $"'{what}' must be a list, not {node.KindName}; e.g. {example}");
                return null;
        }
    }

    public string? String(SpecNode? node, string what, string example)
    {
        if (node is null || node is SpecScalar { IsNull: true })
        {
            return null;
        }
        if (node is SpecScalar s)
        {
            return s.Value;
        }
        Diags.Add(node, $"'{what}' must be text, not {node.KindName}; e.g. {example}");
        return null;
    }

    public long? Integer(SpecNode? node, string what, string example)
    {
        if (node is null || node is SpecScalar { IsNull: true })
        {
            return null;
        }
        if (node is SpecScalar s && YamlJson.Scalar(s, Diags) is JsonValue v && v.TryGetValue<long>(out var l))
        {
            return l;
        }
        Diags.Add(node, $"'{what}' must be a whole number; e.g. {example}");
        return null;
    }

    public double? Number(SpecNode? node, string what, string example)
    {
        if (node is null || node is SpecScalar { IsNull: true })
        {
            return null;
        }
        if (node is SpecScalar s && YamlJson.Scalar(s, Diags) is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return JsonValues.ToDouble(v);
        }
        Diags.Add(node, $"'{what}' must be a number; e.g. {example}");
        return null;
    }

    /// <summary>One of a fixed set of words (e.g. grid | random), with a "did you mean" hint.</summary>
    public string? Choice(SpecNode? node, string what, IReadOnlyCollection<string> allowed)
    {
        var value = String(node, what, string.Join(" | ", allowed));
        if (value is null || allowed.Contains(value))
        {
            return value;
        }
        var nearest = KeySuggester.Nearest(value, allowed);
        var hint = nearest is not null ? $"did you mean '{nearest}'? " : "";
        Diags.Add(node!, $"unknown {what} '{value}'; {hint}use one of {string.Join(", ", allowed)}");
        return null;
    }

    /// <summary>Echoes user text in a message without letting a huge key flood it.</summary>
    public static string Short(string text) => text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>A parameter value as JSON; deeper than <see cref="SpecLimits.MaxValueDepth"/> is an error.</summary>
    public JsonNode? Json(SpecNode node)
    {
        var json = YamlJson.ToJson(node, Diags);
        if (YamlJson.Depth(json) > SpecLimits.MaxValueDepth)
        {
            Diags.Add(node, $"this value nests deeper than {SpecLimits.MaxValueDepth} levels; flatten it or move it into stages");
        }
        return json;
    }

    /// <summary>A stage or variant configuration; deeper than <see cref="SpecLimits.MaxConfigDepth"/> is an error.</summary>
    public JsonObject Config(SpecMapping map, string what)
    {
        var json = YamlJson.ToObject(map, Diags);
        if (YamlJson.Depth(json) > SpecLimits.MaxConfigDepth)
        {
            Diags.Add(map, $"'{what}' nests deeper than {SpecLimits.MaxConfigDepth} levels; flatten it");
        }
        return json;
    }
}

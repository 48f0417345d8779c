using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ablations.Core.Spec;

/// <summary>
/// Converts YAML nodes to JSON nodes with the YAML 1.2 core schema: plain scalars become null, bool,
/// long or double; quoted and block scalars stay strings (a quoted "5" is the string "5").
/// Tags !!str !!int !!float !!bool !!null force a type (the non-specific tag ! means text); other tags are refused.
/// </summary>
internal static partial class YamlJson
{
    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex DecimalInt();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    public static JsonNode? ToJson(SpecNode node, DiagnosticBag diags) => node switch
    {
        SpecScalar s => Scalar(s, diags),
        SpecSequence seq => new JsonArray([.. seq.Items.Select(i => ToJson(i, diags))]),
        SpecMapping map => ToObject(map, diags),
        _ => null,
    };

    /// <summary>Levels of nesting: 0 for a scalar or null, 1 for a flat list or mapping.</summary>
    public static int Depth(JsonNode? node) => node switch
    {
        JsonArray a => 1 + (a.Count == 0 ? 0 : a.Max(Depth)),
        JsonObject o => 1 + (o.Count == 0 ? 0 : o.Max(kv => Depth(kv.Value))),
        _ => 0,
    };

    public static JsonObject ToObject(SpecMapping map, DiagnosticBag diags)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Entries)
        {
            obj[key.Value] = ToJson(value, diags);
        }
        return obj;
    }

    public static JsonNode? Scalar(SpecScalar s, DiagnosticBag diags)
    {
        var tag = s.Tag switch
        {
            null => null,
            "!" => "str",
            "tag:yaml.org,2002:str" => "str",
            "tag:yaml.org,2002:int" => "int",
            "tag:yaml.org,2002:float" => "float",
            "tag:yaml.org,2002:bool" => "bool",
            "tag:yaml.org,2002:null" => "null",
            _ => "?",
        };
        if (tag == "?")
        {
            diags.Add(s, $"tag '{s.Tag}' is not supported; remove it (only !!str, !!int, !!float, !!bool, !!null are)");
            return null;
        }
        if (tag == "str" || (tag is null && !s.IsPlain))
        {
            return JsonValue.Create(s.Value);
        }
        var v = s.Value;
        if ((tag is null or "null") && v is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (tag is null or "bool")
        {
            if (v is "true" or "True" or "TRUE")
            {
                return JsonValue.Create(true);
            }
            if (v is "false" or "False" or "FALSE")
            {
                return JsonValue.Create(false);
            }
        }
        if (tag is null or "int")
        {
            if (DecimalInt().IsMatch(v))
            {
                if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return JsonValue.Create(l);
                }
                diags.Add(s, $"integer {v} is out of range; use a smaller number or quote it to keep it as text");
                return null;
            }
            if (v.Length > 2 && v[0] == '0' && (v[1] is 'x' or 'o'))
            {
                var radix = v[1] == 'x' ? 16 : 8;
                try
                {
                    return JsonValue.Create(Convert.ToInt64(v[2..], radix));
                }
                catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
                {
                    diags.Add(s, $"'{v}' is not a valid {(radix == 16 ? "hexadecimal" : "octal")} integer; fix it or quote it");
                    return null;
                }
            }
        }
        if (tag is null or "float")
        {
            if (Float().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                return JsonValue.Create(d);
            }
            if (v.ToLowerInvariant() is ".inf" or "+.inf" or "-.inf" or ".nan")
            {
                diags.Add(s, $"'{v}' is not a finite number; JSON results cannot hold it, use a large finite value");
                return null;
            }
        }
        if (tag is not null)
        {
            diags.Add(s, $"'{v}' is not a valid !!{tag}; fix the value or drop the tag");
            return null;
        }
        return JsonValue.Create(v);
    }
}

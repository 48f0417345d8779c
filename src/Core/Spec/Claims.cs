using System.Globalization;
using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>The directions a spec can claim for one axis (<c>claims:</c>); reports test each against the seeds.</summary>
public enum ClaimKind
{
    /// <summary><c>A &gt; B</c>: value A does better than value B (by the metric's goal, not its sign).</summary>
    Better,

    /// <summary><c>best A</c>: value A does better than every other value of the axis.</summary>
    Best,

    /// <summary><c>interior optimum</c>: on a numeric axis, the best value lies strictly between the smallest and largest tried.</summary>
    InteriorOptimum,
}

/// <summary>
/// One claim of a spec about an axis, e.g. <c>student.teachers: "[t_a, t_b] > [t_a]"</c> (an ensemble beats its member)
/// or <c>student.kd.scale: interior optimum</c>. <see cref="A"/> and <see cref="B"/> are axis values as JSON
/// (null where the kind has none); <see cref="Text"/> is the claim as written.
/// </summary>
public sealed record Claim(string Axis, ClaimKind Kind, JsonNode? A, JsonNode? B, string Text)
{
    public JsonObject ToJson() => new()
    {
        ["axis"] = Axis, ["kind"] = Kind.ToString(), ["a"] = A?.DeepClone(), ["b"] = B?.DeepClone(), ["text"] = Text,
    };

    public static Claim FromJson(JsonObject o) => new(o["axis"]!.GetValue<string>(), Enum.Parse<ClaimKind>(o["kind"]!.GetValue<string>()),
        o["a"]?.DeepClone(), o["b"]?.DeepClone(), o["text"]!.GetValue<string>());
}

/// <summary>
/// Reads <c>claims:</c>, a mapping from an axis key to one claim or a list of them:
/// <code>
/// claims:
///   student.kd.scale: interior optimum
///   student.teachers: ["[t_a, t_b] > [t_a]", "[t_a, t_b] > [t_b]"]
///   student.lambda: best 1.0
/// </code>
/// A value is written as in <c>values:</c> (a number, a name, or a flow list such as <c>[t_a, t_b]</c>; a claim that starts
/// with <c>[</c> must be quoted in YAML). Every value must be one the grid tries for that axis.
/// </summary>
internal sealed class ClaimReader(NodeReader r)
{
    public const string Example = "claims: {student.kd.scale: interior optimum, student.teachers: \"[t_a, t_b] > [t_a]\"}";

    /// <param name="tried">Axis key → every value the grid tries for it (its values: and those include: adds).</param>
    public IReadOnlyList<Claim> Read(SpecNode? node, IReadOnlyDictionary<string, IReadOnlyList<JsonNode?>> tried)
    {
        var claims = new List<Claim>();
        if (r.Mapping(node, "claims", Example) is not { } map) return claims;
        foreach (var (key, value) in map.Entries)
        {
            if (!tried.TryGetValue(key.Value, out var values))
            {
                r.Diags.Add(key, $"claims: '{NodeReader.Short(key.Value)}' is not an axis of this grid; {KeySuggester.Hint(key.Value, [.. tried.Keys])}");
                continue;
            }
            var items = value is SpecSequence seq ? seq.Items : [value];
            foreach (var item in items)
            {
                if (item is not SpecScalar { IsNull: false } scalar)
                {
                    r.Diags.Add(item, $"claims.{key.Value}: a claim is one line of text, e.g. \"interior optimum\", \"best 20\" or \"[t_a, t_b] > [t_a]\"");
                    continue;
                }
                if (Parse(key.Value, scalar.Value) is { } claim)
                {
                    if (Check(claim, values) is { } problem) r.Diags.Add(scalar, $"claims.{key.Value}: {problem}");
                    else claims.Add(claim);
                }
                else
                {
                    r.Diags.Add(scalar, $"claims.{key.Value}: cannot read '{NodeReader.Short(scalar.Value)}'; write \"A > B\" (A does better than B), " +
                        "\"A < B\", \"best A\" or \"interior optimum\", with values as in values: (quote a claim that starts with '[')");
                }
            }
        }
        return claims;
    }

    /// <summary>Parses one claim's text, or null when it is none of the forms.</summary>
    internal static Claim? Parse(string axis, string text)
    {
        var t = text.Trim();
        if (string.Equals(t, "interior optimum", StringComparison.OrdinalIgnoreCase)) return new Claim(axis, ClaimKind.InteriorOptimum, null, null, t);
        if (t.StartsWith("best ", StringComparison.OrdinalIgnoreCase))
            return Value(t[5..]) is var (ok, v) && ok ? new Claim(axis, ClaimKind.Best, v, null, t) : null;
        foreach (var (op, swap) in new[] { (">", false), ("<", true) })
        {
            var at = TopLevelIndex(t, op);
            if (at < 0) continue;
            var (okA, a) = Value(t[..at]);
            var (okB, b) = Value(t[(at + 1)..]);
            if (!okA || !okB) return null;
            return swap ? new Claim(axis, ClaimKind.Better, b, a, t) : new Claim(axis, ClaimKind.Better, a, b, t);
        }
        return null;
    }

    private static string? Check(Claim claim, IReadOnlyList<JsonNode?> values)
    {
        var known = values.Select(Key).ToHashSet(StringComparer.Ordinal);
        string Show() => string.Join(", ", values.Select(v => v?.ToJsonString() ?? "null"));
        foreach (var v in new[] { claim.A, claim.B }.Where((_, i) => i == 0 ? claim.Kind != ClaimKind.InteriorOptimum : claim.Kind == ClaimKind.Better))
            if (!known.Contains(Key(v))) return $"{v?.ToJsonString() ?? "null"} is not a value this grid tries (it tries {Show()})";
        if (claim.Kind == ClaimKind.Better && Key(claim.A) == Key(claim.B)) return "compares a value with itself";
        if (claim.Kind == ClaimKind.InteriorOptimum)
        {
            var numbers = values.Where(v => Number(v) is not null).Select(Key).Distinct().Count();
            if (numbers < 3 || numbers != known.Count) return $"'interior optimum' needs a numeric axis with at least 3 values (it tries {Show()})";
        }
        if (claim.Kind == ClaimKind.Best && known.Count < 2) return $"'best' needs an axis with at least 2 values (it tries {Show()})";
        return null;
    }

    /// <summary>Equal values give equal keys: numbers by value (20 and 20.0 alike), the rest by their JSON.</summary>
    private static string Key(JsonNode? v) => Number(v) is { } d ? d.ToString("R", CultureInfo.InvariantCulture) : v?.ToJsonString() ?? "null";

    private static double? Number(JsonNode? v) =>
        v is JsonValue jv && jv.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && double.TryParse(jv.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>The first <paramref name="op"/> outside brackets and quotes.</summary>
    private static int TopLevelIndex(string text, string op)
    {
        var depth = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q) { if (c == q) quote = null; continue; }
            if (c is '"' or '\'') quote = c;
            else if (c is '[' or '{') depth++;
            else if (c is ']' or '}') depth--;
            else if (depth == 0 && string.CompareOrdinal(text, i, op, 0, op.Length) == 0) return i;
        }
        return -1;
    }

    /// <summary>A value as values: writes it: a number, true/false, a name (quoted or not), or a flow list of those.</summary>
    private static (bool Ok, JsonNode? Value) Value(string text)
    {
        var t = text.Trim();
        if (t.Length == 0) return (false, null);
        if (t.StartsWith('['))
        {
            if (!t.EndsWith(']')) return (false, null);
            var inner = t[1..^1].Trim();
            var list = new JsonArray();
            if (inner.Length == 0) return (true, list);
            foreach (var part in inner.Split(','))
            {
                var (ok, v) = Value(part);
                if (!ok || v is JsonArray) return (false, null);
                list.Add(v);
            }
            return (true, list);
        }
        if (t.Length >= 2 && (t[0] is '"' or '\'') && t[^1] == t[0]) return (true, JsonValue.Create(t[1..^1]));
        if (t is "null" or "~") return (true, null);
        if (t is "true" or "false") return (true, JsonValue.Create(t == "true"));
        if (long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return (true, JsonValue.Create(l));
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return (true, JsonValue.Create(d));
        return t.Any(c => c is ',' or ']' or '[' or '{' or '}' or '>' or '<') ? (false, null) : (true, JsonValue.Create(t));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>
/// Reads typed values from one JSON object of a stage configuration, collecting errors that name the key
/// path, and reporting unknown keys with the nearest known key (a typo should never be silently ignored).
/// </summary>
internal sealed class ConfigReader
{
    private readonly JsonObject _obj;
    private readonly string _path;
    private readonly List<ConfigProblem> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private string? _defaultsPath;
    private IReadOnlySet<string>? _ownKeys;

    public ConfigReader(JsonObject? obj, string path, List<ConfigProblem> errors)
    {
        _obj = obj ?? new JsonObject();
        _path = path;
        _errors = errors;
    }

    public List<ConfigProblem> Errors => _errors;

    /// <summary>
    /// For a configuration merged from defaults and an overlay (a teacher variant over stages.teacher): keys the
    /// overlay does not set are named under <paramref name="defaultsPath"/>, where the user wrote them.
    /// </summary>
    public ConfigReader WithDefaults(string defaultsPath, IEnumerable<string> ownKeys)
    {
        _defaultsPath = defaultsPath;
        _ownKeys = ownKeys.ToHashSet(StringComparer.Ordinal);
        return this;
    }

    public string PathOf(string key)
    {
        var path = _defaultsPath is not null && _ownKeys is not null && !_ownKeys.Contains(key) ? _defaultsPath : _path;
        return path.Length == 0 ? key : $"{path}.{key}";
    }

    public bool Has(string key)
    {
        _known.Add(key);
        return _obj.TryGetPropertyValue(key, out var v) && v is not null;
    }

    public JsonNode? Raw(string key)
    {
        _known.Add(key);
        return _obj.TryGetPropertyValue(key, out var v) ? v : null;
    }

    public void Error(string key, string message) => _errors.Add(new ConfigProblem(PathOf(key), message));

    /// <summary>A problem of this section as a whole (e.g. rates that must sum to at most 1).</summary>
    public void Error(string message) => _errors.Add(new ConfigProblem(_path, message));

    public double Double(string key, double fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var node = Raw(key);
        if (node is null) return fallback;
        if (TryNumber(node, out var d) && double.IsFinite(d))
        {
            if (d < min || d > max) Error(key, $"{d} is out of range [{min}, {max}]");
            return d;
        }
        Error(key, $"expected a number, got {node.ToJsonString()}");
        return fallback;
    }

    public double? OptionalDouble(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        Has(key) ? Double(key, 0, min, max) : null;

    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue) =>
        (int)Long(key, fallback, min, max);

    public long Long(string key, long fallback, long min = long.MinValue, long max = long.MaxValue)
    {
        var node = Raw(key);
        if (node is null) return fallback;
        if (TryNumber(node, out var d) && Math.Abs(d - Math.Round(d)) < 1e-9)
        {
            var l = (long)Math.Round(d);
            if (l < min || l > max) Error(key, $"{l} is out of range [{min}, {max}]");
            return l;
        }
        Error(key, $"expected an integer, got {node.ToJsonString()}");
        return fallback;
    }

    /// <summary>A JSON number however it was built (parsed text, or a JsonValue holding an int, long or double).</summary>
    public static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number &&
               double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    public bool Bool(string key, bool fallback)
    {
        var node = Raw(key);
        if (node is null) return fallback;
        if (node is JsonValue v && v.TryGetValue<bool>(out var b)) return b;
        Error(key, $"expected true or false, got {node.ToJsonString()}");
        return fallback;
    }

    public string String(string key, string fallback, IReadOnlyCollection<string>? allowed = null)
    {
        var node = Raw(key);
        if (node is null) return fallback;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var s = v.GetValue<string>();
            if (allowed is not null && !allowed.Contains(s))
                Error(key, $"'{s}' is not one of {string.Join(", ", allowed)}{Suggest(s, allowed)}");
            return s;
        }
        Error(key, $"expected a string, got {node.ToJsonString()}");
        return fallback;
    }

    public IReadOnlyList<string> Strings(string key, IReadOnlyList<string> fallback)
    {
        var node = Raw(key);
        if (node is null) return fallback;
        if (node is JsonValue one && one.GetValueKind() == JsonValueKind.String) return [one.GetValue<string>()];
        if (node is JsonArray arr)
        {
            var list = new List<string>();
            foreach (var item in arr)
            {
                if (item is JsonValue iv && iv.GetValueKind() == JsonValueKind.String) list.Add(iv.GetValue<string>());
                else Error(key, $"expected a list of strings, got element {item?.ToJsonString() ?? "null"}");
            }
            return list;
        }
        Error(key, $"expected a list of strings, got {node.ToJsonString()}");
        return fallback;
    }

    public ConfigReader Child(string key)
    {
        var node = Raw(key);
        if (node is not null and not JsonObject) Error(key, $"expected a mapping, got {node.ToJsonString()}");
        return new ConfigReader(node as JsonObject, PathOf(key), _errors);
    }

    /// <summary>Reports every key present that no reader asked for, with the nearest known key.</summary>
    public void RejectUnknown()
    {
        foreach (var (key, _) in _obj)
            if (!_known.Contains(key))
                _errors.Add(new ConfigProblem(PathOf(key), $"unknown key{Suggest(key, _known)}; known keys are {string.Join(", ", _known.Order(StringComparer.Ordinal))}", AboutKey: true));
    }

    public static string Suggest(string given, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (c, d: Levenshtein(given, c))).OrderBy(x => x.d).FirstOrDefault();
        return best.c is not null && best.d <= Math.Max(2, given.Length / 3) ? $" (did you mean '{best.c}'?)" : "";
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

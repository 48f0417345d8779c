using System.Globalization;

namespace Ablations.Core.Stages;

/// <summary>
/// WebDataset-style shard lists: <c>/data/{00000000..00001023}.tar</c> (a numeric range, zero-padded to the width of its
/// first bound), <c>{a,b,c}</c> (alternatives), several braces in one pattern, and several patterns joined by <c>::</c>
/// (open_clip's separator). Relative paths resolve against a base directory. Expansion is eager and cheap: a
/// DataCompDR-12M list is 1,024 names.
/// </summary>
public static class ShardPattern
{
    /// <summary>At most this many shards from one pattern: a typo such as {0..99999999} fails here, not by filling memory.</summary>
    public const int MaxShards = 1_000_000;

    public static IReadOnlyList<string> Expand(string pattern, string baseDir)
    {
        if (string.IsNullOrWhiteSpace(pattern)) throw new FormatException("an empty shard pattern");
        var result = new List<string>();
        foreach (var part in pattern.Split("::", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            foreach (var name in ExpandOne(part))
            {
                result.Add(Path.GetFullPath(name, baseDir));
                if (result.Count > MaxShards) throw new FormatException($"'{pattern}' expands to more than {MaxShards:N0} shards");
            }
        return result;
    }

    private static IEnumerable<string> ExpandOne(string pattern)
    {
        var open = pattern.IndexOf('{');
        if (open < 0)
        {
            if (pattern.Contains('}')) throw new FormatException($"'{pattern}': a '}}' without its '{{'");
            yield return pattern;
            yield break;
        }
        var close = pattern.IndexOf('}', open);
        if (close < 0) throw new FormatException($"'{pattern}': a '{{' at column {open + 1} is never closed");
        var head = pattern[..open];
        var body = pattern[(open + 1)..close];
        var tail = pattern[(close + 1)..];
        foreach (var choice in Choices(body, pattern))
            foreach (var rest in ExpandOne(tail))
                yield return head + choice + rest;
    }

    private static IEnumerable<string> Choices(string body, string pattern)
    {
        var range = body.Split("..");
        if (range.Length == 2 && IsNumber(range[0]) && IsNumber(range[1]))
        {
            var lo = long.Parse(range[0], CultureInfo.InvariantCulture);
            var hi = long.Parse(range[1], CultureInfo.InvariantCulture);
            if (hi < lo) throw new FormatException($"'{pattern}': the range {{{body}}} runs backwards");
            if (hi - lo >= MaxShards) throw new FormatException($"'{pattern}': the range {{{body}}} has more than {MaxShards:N0} values");
            var width = range[0].Length;
            var format = "D" + width.ToString(CultureInfo.InvariantCulture);
            for (var v = lo; v <= hi; v++) yield return v.ToString(format, CultureInfo.InvariantCulture);
            yield break;
        }
        if (!body.Contains(',')) throw new FormatException($"'{pattern}': {{{body}}} is neither a range {{a..b}} of numbers nor a list {{x,y}}");
        foreach (var choice in body.Split(',')) yield return choice;
    }

    private static bool IsNumber(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);
}

namespace Ablations.Core.Spec;

/// <summary>Finds the valid key nearest to a misspelt one (Levenshtein distance) for "did you mean" hints.</summary>
internal static class KeySuggester
{
    public static string? Nearest(string wrong, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(wrong.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }
        var allowed = Math.Max(2, wrong.Length / 3);
        if (bestDistance <= allowed)
        {
            return best;
        }
        // "workdir" for "working_dir": far in edits, but a shared stem of four letters is a safe guess.
        return candidates
            .Where(c => wrong.Length >= 4 && c.StartsWith(wrong[..4], StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => Distance(wrong.ToLowerInvariant(), c.ToLowerInvariant()))
            .FirstOrDefault();
    }

    /// <summary>"did you mean 'x'?" when one is close, else the list of valid names.</summary>
    public static string Hint(string wrong, IReadOnlyCollection<string> candidates, string what = "valid keys")
    {
        if (candidates.Count == 0)
        {
            return $"no {what} are defined";
        }
        var nearest = Nearest(wrong, candidates);
        return nearest is not null ? $"did you mean '{nearest}'?" : $"{what} are {string.Join(", ", candidates)}";
    }

    public static int Distance(string a, string b)
    {
        if (a.Length > 200 || b.Length > 200)
        {
            return int.MaxValue;
        }
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

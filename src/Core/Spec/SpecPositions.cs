using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>
/// Where each part of a validated spec was written, so a problem found later (by a pipeline binding stage options,
/// by the planner) is reported at the user's text like every loader problem. Keys are dotted key paths as problems
/// name them: <c>stages.student.kd.scale</c>, <c>variants.teachers.t_a</c>, <c>stages.student.teachers[0]</c>,
/// <c>resources.teacher.queue</c>, <c>program</c>. A parameter wins over <c>stages</c> (a run gets the parameter's
/// value), and for a swept parameter the place is the value that run got. A problem about a key itself (an unknown
/// key) is placed at the key, any other at the value.
/// </summary>
public sealed class SpecPositions
{
    public static readonly SpecPositions None = new(
        new Dictionary<string, (SpecPlace, SpecPlace)>(), new Dictionary<string, (SpecPlace, SpecPlace)>(), new Dictionary<string, IReadOnlyList<(JsonNode?, SpecPlace)>>());

    private readonly IReadOnlyDictionary<string, (SpecPlace Key, SpecPlace Value)> _paths;
    private readonly IReadOnlyDictionary<string, (SpecPlace Key, SpecPlace Value)> _parameterKeys;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<(JsonNode? Value, SpecPlace Place)>> _parameterValues;
    private readonly string[] _parametersLongestFirst;

    internal SpecPositions(
        IReadOnlyDictionary<string, (SpecPlace Key, SpecPlace Value)> paths,
        IReadOnlyDictionary<string, (SpecPlace Key, SpecPlace Value)> parameterKeys,
        IReadOnlyDictionary<string, IReadOnlyList<(JsonNode? Value, SpecPlace Place)>> parameterValues)
    {
        _paths = paths;
        _parameterKeys = parameterKeys;
        _parameterValues = parameterValues;
        _parametersLongestFirst = [.. parameterKeys.Keys.OrderByDescending(k => k.Length)];
    }

    /// <summary>
    /// The place of <paramref name="path"/>, else of its nearest enclosing key that was written (a default the user
    /// never wrote points at its section), else the whole file (1:1).
    /// </summary>
    /// <param name="aboutKey">The problem is the key itself (unknown, misspelt), not its value.</param>
    public SpecPlace Locate(string path, IReadOnlyDictionary<string, JsonNode?>? runParams = null, bool aboutKey = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.StartsWith("stages.", StringComparison.Ordinal) && ParameterAt(path["stages.".Length..]) is { } key)
        {
            var (keyPlace, valuePlace) = _parameterKeys[key];
            if (aboutKey && path.Length == "stages.".Length + key.Length)
            {
                return keyPlace;
            }
            if (runParams is not null && runParams.TryGetValue(key, out var value) && _parameterValues.TryGetValue(key, out var values))
            {
                foreach (var (candidate, place) in values)
                {
                    if (JsonValues.Equal(candidate, value))
                    {
                        return place;
                    }
                }
            }
            return valuePlace;
        }
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (_paths.TryGetValue(p, out var place))
            {
                return aboutKey || p != path ? place.Key : place.Value;
            }
        }
        return SpecPlace.WholeFile;
    }

    /// <summary>The parameter whose value a run-config path lies in (the parameter itself or below it).</summary>
    private string? ParameterAt(string configPath)
    {
        foreach (var key in _parametersLongestFirst)
        {
            if (configPath.StartsWith(key, StringComparison.Ordinal)
                && (configPath.Length == key.Length || configPath[key.Length] is '.' or '['))
            {
                return key;
            }
        }
        return null;
    }

    /// <summary><c>a.b[2]</c> → <c>a.b</c> → <c>a</c> → "".</summary>
    private static string Parent(string path)
    {
        if (path.EndsWith(']'))
        {
            var open = path.LastIndexOf('[');
            if (open > 0)
            {
                return path[..open];
            }
        }
        var dot = path.LastIndexOf('.');
        return dot > 0 ? path[..dot] : "";
    }
}

/// <summary>A line and column in a spec file (1-based); <see cref="WholeFile"/> for a problem of the file as a whole.</summary>
public readonly record struct SpecPlace(int Line, int Column)
{
    public static readonly SpecPlace WholeFile = new(1, 1);
}

using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning.Pipelines;

/// <summary>
/// A run's parameters as a W&amp;B agent hands them to the program, written into the command stage's config at plan time
/// (so they are hashed, and the spec's 1.0 is not lost to JSON, where 1.0 and 1 are one number):
/// <list type="bullet">
/// <item>W&amp;B nested <c>parameters:</c> are one argument holding a dict (<c>--optimizer={'lr': 0.001}</c>); a name written
/// with dots is a flat name (<c>--optimizer.lr=0.001</c>);</item>
/// <item>a sweep's own seed parameter is passed under its name with the run's seed;</item>
/// <item>each value is Python's <c>str(value)</c>, and <c>${args_json}</c> is <c>json.dumps</c> of them all.</item>
/// </list>
/// </summary>
internal static class WandbArguments
{
    /// <returns>
    /// <c>args</c>: [{name, text, flag?}] in name order (flag: the value of a boolean, for ${args_no_boolean_flags});
    /// <c>json</c>: the ${args_json} text; <c>paramText</c>: flat key → text, for ${param.KEY}.
    /// </returns>
    public static (JsonArray Args, string Json, JsonObject ParamText) Build(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> runParams, long seed)
    {
        var values = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        var paramText = new JsonObject();
        foreach (var (key, value) in runParams.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            paramText[key] = PythonText.Str(value);
            if (!spec.NestedParameters.TryGetValue(key, out var path))
            {
                values[key] = value?.DeepClone();
                continue;
            }
            if (values.TryGetValue(path[0], out var existing) && existing is not JsonObject)
            {
                throw new PlanningException([spec.ProblemAt($"parameters.{key}",
                    $"parameter '{key}' nests under '{path[0]}', which is also a parameter of its own; W&B would pass both as --{path[0]}, so rename one")]);
            }
            var node = existing as JsonObject ?? new JsonObject();
            values[path[0]] = node;
            foreach (var segment in path.Skip(1).SkipLast(1))
            {
                if (node[segment] is not JsonObject next)
                {
                    next = new JsonObject();
                    node[segment] = next;
                }
                node = next;
            }
            node[path[^1]] = value?.DeepClone();
        }
        if (spec.SeedParameter is { } seedName)
        {
            values[seedName] = seed;
            paramText[seedName] = PythonText.Str(seed);
        }

        var args = new JsonArray();
        var dict = new JsonObject();
        // Names in order, and nested dicts filled in the order of their sorted keys, as W&B builds them from the sorted
        // sweep config; a dict the spec gives as a value keeps its own order.
        foreach (var (name, value) in values)
        {
            var arg = new JsonObject { ["name"] = name, ["text"] = PythonText.Str(value) };
            if (value is JsonValue b && b.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
            {
                arg["flag"] = b.GetValue<bool>();
            }
            args.Add(arg);
            dict[name] = value?.DeepClone();
        }
        return (args, PythonText.JsonDumps(dict), paramText);
    }
}

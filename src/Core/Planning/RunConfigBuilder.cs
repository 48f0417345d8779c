using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>Merges a cell into the spec's stage configuration: the inputs an <see cref="IPipeline"/> builds a run from.</summary>
public static class RunConfigBuilder
{
    /// <returns>
    /// <c>RunParams</c>: spec.Fixed ∪ cell.Params (the cell wins), sorted by key; <c>RunConfig</c>: a deep clone of
    /// spec.Stages with every run parameter written at its dotted path, creating mappings as needed.
    /// </returns>
    public static (IReadOnlyDictionary<string, JsonNode?> RunParams, JsonObject RunConfig) Build(ExperimentSpec spec, Cell cell)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(cell);
        var runParams = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in spec.Fixed)
        {
            runParams[key] = value?.DeepClone();
        }
        foreach (var (key, value) in cell.Params)
        {
            runParams[key] = value?.DeepClone();
        }
        var config = (JsonObject)spec.Stages.DeepClone();
        foreach (var (key, value) in runParams)
        {
            var segments = key.Split('.');
            var target = config;
            foreach (var segment in segments[..^1])
            {
                if (target[segment] is not JsonObject next)
                {
                    next = new JsonObject();
                    target[segment] = next;
                }
                target = next;
            }
            target[segments[^1]] = value?.DeepClone();
        }
        return (runParams, config);
    }
}

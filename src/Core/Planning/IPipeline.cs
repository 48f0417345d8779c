using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// Turns one run (its merged configuration and seed) into the chain of stages it needs. The last stage
/// returned is the run's terminal stage, whose final metrics are the run's results.
/// </summary>
public interface IPipeline
{
    string Name { get; }

    /// <summary>The names <c>resources:</c> may place (stage types, or a spec's own stage names), so typos are caught; null: not checked.</summary>
    IReadOnlyCollection<string>? ResourceNames(ExperimentSpec spec) => null;

    /// <param name="runParams">Fixed parameters plus the cell's swept values (dotted key → value).</param>
    /// <param name="runConfig">spec.Stages with <paramref name="runParams"/> written at their dotted paths.</param>
    IReadOnlyList<StageSpec> Build(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> runParams, JsonObject runConfig, long seed);
}

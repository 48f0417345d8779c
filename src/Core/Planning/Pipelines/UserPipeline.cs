using Ablations.Core.Spec;
using Ablations.Core.Stages;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning.Pipelines;

/// <summary>
/// The spec's own stages (<c>pipeline:</c> as a mapping), each a <c>command</c> stage. A stage's config holds only
/// the parameters it names and the seed only when it runs per seed, and its inputs are the hashes of the stages it
/// reads, so a stage that does not read an axis is one stage for every value of it: a data-generation stage keyed by
/// the teachers is computed once for every KD scale and seed that trains on it.
/// </summary>
internal sealed class UserPipeline : IPipeline
{
    public string Name => PipelineNames.Own;

    /// <summary>A spec's own stages are placed by name: resources: {train: {queue: gpu}}.</summary>
    public IReadOnlyCollection<string> ResourceNames(ExperimentSpec spec) => spec.UserStages?.Select(s => s.Name).ToList() ?? [];

    public IReadOnlyList<StageSpec> Build(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> runParams, JsonObject runConfig, long seed)
    {
        var stages = spec.UserStages ?? throw new InvalidOperationException("the stages pipeline needs the spec's own stages");
        var chain = new List<StageSpec>(stages.Count);
        foreach (var stage in stages)
        {
            var own = stage.Params is null
                ? runParams
                : runParams.Where(p => stage.Params.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            // A stage shared by every seed gets seed 0: the same config, so the same hash, in every run.
            var config = CommandPipeline.Config(spec, stage.Command, own, stage.PerSeed ? seed : 0, $"pipeline.{stage.Name}.");
            var inputs = stage.Inputs.ToDictionary(i => i, i => i, StringComparer.Ordinal);
            chain.Add(new StageSpec(stage.Name, StageTypes.Command.Name, config, inputs, Name: stage.Name));
        }
        return chain;
    }
}

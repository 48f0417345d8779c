using Ablations.Core.Spec;
using Ablations.Core.Stages;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning.Pipelines;

/// <summary>
/// The spec's own stages (<c>pipeline:</c> as a mapping): programs (<c>command</c> stages) and built-in stage types. A program's config holds only
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
            var inputs = stage.Inputs.ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);
            if (stage.Options is { } options)
            {
                chain.Add(new StageSpec(stage.Name, stage.Type.Name, BuiltInConfig(spec, stage, options, runParams, seed), inputs, Name: stage.Name));
                continue;
            }
            var own = stage.Params is null
                ? runParams
                : runParams.Where(p => stage.Params.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            // A stage shared by every seed gets seed 0: the same config, so the same hash, in every run.
            var config = CommandPipeline.Config(spec, stage.Command!, own, stage.PerSeed ? seed : 0, $"pipeline.{stage.Name}.");
            chain.Add(new StageSpec(stage.Name, StageTypes.Command.Name, config, inputs, Name: stage.Name));
        }
        return chain;
    }

    /// <summary>
    /// A built-in stage's options with the run's values in place of <c>${param.KEY}</c> and <c>${seed}</c>, bound to its
    /// type's options: the canonical config it is hashed by (defaults filled in), or every problem at its place.
    /// </summary>
    private static JsonObject BuiltInConfig(ExperimentSpec spec, UserStage stage, JsonObject options, IReadOnlyDictionary<string, JsonNode?> runParams, long seed)
    {
        var where = $"pipeline.{stage.Name}.options";
        try
        {
            var config = stage.Type.Normalize!(Fill(options, runParams, seed)!.AsObject());
            ExternalData.Resolve(config, stage.Type.DataKeys, Path.GetDirectoryName(Path.GetFullPath(spec.SourcePath)) ?? ".");
            return config;
        }
        catch (ExternalData.PatternException e)
        {
            throw new PlanningException([spec.ProblemAt($"{where}.{e.Key}", e.Message, runParams)]);
        }
        catch (StageConfigException e)
        {
            throw new StageConfigException([.. e.Problems.Select(p => p with { Path = p.Path.Length == 0 ? where : $"{where}.{p.Path}" })]);
        }
    }

    private static JsonNode? Fill(JsonNode? node, IReadOnlyDictionary<string, JsonNode?> runParams, long seed) => node switch
    {
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Fill(kv.Value, runParams, seed)))),
        JsonArray a => new JsonArray([.. a.Select(i => Fill(i, runParams, seed))]),
        JsonValue v when UserStageReader.Placeholders(v).FirstOrDefault() is { } macro =>
            macro == "seed" ? JsonValue.Create(seed) : runParams.GetValueOrDefault(macro["param.".Length..])?.DeepClone(),
        _ => node?.DeepClone(),
    };
}

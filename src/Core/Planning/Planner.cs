using Ablations.Core.Stages;
using Ablations.Core.Planning.Pipelines;
using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>Spec → cells × seeds → per-run stage chains → one DAG of unique, content-hashed stages. Pure.</summary>
public static partial class Planner
{
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial System.Text.RegularExpressions.Regex QueueName();

    public static StagePlan Plan(ExperimentSpec spec) => Plan(spec, PipelineCatalog.Get(spec.Pipeline));

    public static StagePlan Plan(ExperimentSpec spec, IPipeline pipeline)
    {
        var expansion = GridExpander.Expand(spec);
        var unique = new Dictionary<string, PlannedStage>(StringComparer.Ordinal);
        var order = new List<PlannedStage>();
        var runs = new List<PlannedRun>();
        var problems = new List<SpecDiagnostic>();
        void Add(SpecDiagnostic d)
        {
            // Every run of a grid meets the same problem; it is said once, at the first run's place.
            if (!problems.Any(p => p.Message == d.Message)) problems.Add(d);
        }

        foreach (var cell in expansion.Cells)
        {
            var (runParams, runConfig) = RunConfigBuilder.Build(spec, cell);
            foreach (var seed in spec.Seeds)
            {
                IReadOnlyList<StageSpec> chain;
                try
                {
                    chain = pipeline.Build(spec, runParams, runConfig, seed);
                }
                catch (PlanningException e)
                {
                    foreach (var p in e.Problems) Add(p);
                    continue;
                }
                catch (Stages.StageConfigException e)
                {
                    foreach (var p in e.Problems) Add(spec.ProblemAt(p.Path, p.ToString(), runParams, p.AboutKey));
                    continue;
                }
                runs.Add(PlanRun(spec, cell, runParams, seed, chain, unique, order));
            }
        }
        foreach (var problem in ResourceProblems(spec, pipeline)) Add(problem);
        if (problems.Count > 0) throw new PlanningException(problems);
        return new StagePlan(spec, expansion, order, runs);
    }

    private static PlannedRun PlanRun(
        ExperimentSpec spec, Cell cell, IReadOnlyDictionary<string, JsonNode?> runParams, long seed,
        IReadOnlyList<StageSpec> chain, Dictionary<string, PlannedStage> unique, List<PlannedStage> order)
    {
        if (chain.Count == 0) throw new InvalidOperationException($"pipeline {spec.Pipeline} produced no stages");
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stage in chain)
        {
            var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (role, key) in stage.Inputs)
            {
                if (!byKey.TryGetValue(key, out var upstream))
                    throw new InvalidOperationException($"pipeline {spec.Pipeline}: stage '{stage.Key}' reads '{key}', which is not an earlier stage of the run");
                inputs[role] = upstream;
            }
            var hash = StageHasher.Hash(stage.Type, stage.Config, inputs);
            byKey[stage.Key] = hash;
            if (!unique.ContainsKey(hash))
            {
                var resource = ResourceFor(spec, stage.Kind);
                var planned = new PlannedStage(hash, stage.Type, stage.Config, inputs, resource.Queue, StageTypes.CodeVersion(stage.Type))
                    { Kind = stage.Kind, Devices = resource.Devices, MemoryGb = resource.MemoryGb };
                unique[hash] = planned;
                order.Add(planned);
            }
        }
        // The cell key names what was asked (parameters and seed); the run key adds every stage hash of the chain,
        // so a changed option, program or upstream stage makes a new run instead of relabelling the old results.
        var identity = new JsonObject
        {
            ["params"] = JsonNode.Parse(JsonCanonical.Serialize(runParams)),
            ["seed"] = seed,
        };
        var cellKey = JsonCanonical.Sha256(JsonCanonical.Serialize(identity))[..16];
        var chainHashes = new JsonObject();
        foreach (var (key, hash) in byKey) chainHashes[key] = hash;
        identity["chain"] = chainHashes;
        var runKey = JsonCanonical.Sha256(JsonCanonical.Serialize(identity))[..16];
        return new PlannedRun(runKey, cellKey, cell, runParams, seed, byKey, byKey[chain[^1].Key]);
    }

    /// <summary>Queue names Hangfire accepts, and stage types the pipeline has (a typo such as 'teahcer' would never match).</summary>
    private static IEnumerable<SpecDiagnostic> ResourceProblems(ExperimentSpec spec, IPipeline pipeline)
    {
        var types = pipeline.ResourceNames(spec);
        foreach (var (type, resource) in spec.Resources)
        {
            if (type != "default" && types is not null && !types.Contains(type))
            {
                var known = types.Append("default").ToList();
                yield return spec.ProblemAt($"resources.{type}", aboutKey: true, message:
                    $"resources.{type}: '{type}' is not a stage {(pipeline is UserPipeline ? "of this spec's pipeline" : $"type of the {pipeline.Name} pipeline")}; {Spec.KeySuggester.Hint(type, known, "stage types")}");
            }
            if (!QueueName().IsMatch(resource.Queue))
                yield return spec.ProblemAt($"resources.{type}.queue",
                    $"resources.{type}.queue: '{resource.Queue}' is not a valid queue name; use lower-case letters, digits, '_' and '-' (e.g. gpu_0)");
        }
    }

    /// <summary>Where a stage type goes and what it needs: resources.TYPE, else resources.default, else the default queue, one device.</summary>
    public static ResourceSpec ResourceFor(ExperimentSpec spec, string stageType) =>
        spec.Resources.TryGetValue(stageType, out var r) ? r
        : spec.Resources.TryGetValue("default", out var d) ? d
        : new ResourceSpec("default");
}

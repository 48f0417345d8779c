using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>A unique node of the DAG. <see cref="Inputs"/> maps role → upstream stage hash.</summary>
public sealed record PlannedStage(string Hash, string Type, JsonObject Config, IReadOnlyDictionary<string, string> Inputs, string Queue);

/// <summary>One run (cell × seed) and the stages it needs, keyed as the pipeline named them.</summary>
public sealed record PlannedRun(
    string RunKey,
    Cell Cell,
    IReadOnlyDictionary<string, JsonNode?> Params,
    long Seed,
    IReadOnlyDictionary<string, string> StageHashesByKey,
    string TerminalHash);

/// <summary>
/// The whole experiment as a DAG: unique stages in topological order (inputs before users) and the runs
/// that share them.
/// </summary>
public sealed record StagePlan(ExperimentSpec Spec, Expansion Expansion, IReadOnlyList<PlannedStage> Stages, IReadOnlyList<PlannedRun> Runs)
{
    public int TotalStageInstances => Runs.Sum(r => r.StageHashesByKey.Count);
}

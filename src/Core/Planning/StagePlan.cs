using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>A unique node of the DAG. <see cref="Inputs"/> maps role → upstream stage hash; <see cref="CodeVersion"/> is the one its hash covers.</summary>
public sealed record PlannedStage(string Hash, string Type, JsonObject Config, IReadOnlyDictionary<string, string> Inputs, string Queue, string CodeVersion)
{
    /// <summary>What plans call it: the name a spec gave one of its own stages, else the type (<see cref="StageSpec.Kind"/>).</summary>
    public string Kind { get; init; } = Type;

    /// <summary>Devices of one runner one attempt needs (resources.TYPE.devices); not part of the hash: where it runs, not what.</summary>
    public int Devices { get; init; } = 1;

    /// <summary>GiB it needs on each of its devices (resources.TYPE.memory_gb); null: not stated.</summary>
    public double? MemoryGb { get; init; }
}

/// <summary>
/// One run (cell × seed) and the stages it needs, keyed as the pipeline named them. <see cref="CellKey"/> hashes the
/// parameters and seed; <see cref="RunKey"/> also the whole chain, so it changes whenever the run's results would.
/// </summary>
public sealed record PlannedRun(
    string RunKey,
    string CellKey,
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

    /// <summary>SHA-256 over the run keys in order: two plans with the same hash ask for exactly the same computations.</summary>
    public string Hash => JsonCanonical.Sha256(string.Join('\n', Runs.Select(r => r.RunKey)));
}

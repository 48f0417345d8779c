using Ablations.Core.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Results;

/// <summary>
/// Everything a report needs about one experiment, read from the store in one go. Reports work on this
/// value only, so they can be tested without a database.
/// </summary>
public sealed record ExperimentResults(
    string Experiment,
    string? Description,
    MetricSpec? Metric,
    /// <summary>The swept keys in spec order (zip groups flattened); seeds are not axes.</summary>
    IReadOnlyList<string> AxisKeys,
    IReadOnlyDictionary<string, JsonNode?>? Baseline,
    DesignKind Design,
    IReadOnlyList<RunResult> Runs,
    IReadOnlyList<StageCost> Stages,
    RevisionInfo? Revision = null)
{
    /// <summary>The spec's claims (<c>claims:</c>), which the report tests against the seeds.</summary>
    public IReadOnlyList<Spec.Claim> Claims { get; init; } = [];
}

/// <summary>Which submitted spec the results are of: revision <see cref="Number"/> of <see cref="Latest"/>, with the spec's SHA-256 and profile.</summary>
public sealed record RevisionInfo(int Number, int Latest, string SpecHash, string? Profile, string SpecPath, string? GitCommit, DateTime CreatedAt)
{
    public bool IsCurrent => Number == Latest;

    /// <summary>The folder name for this revision's report or export: the experiment's own for the current revision, else NAME.revision-N.</summary>
    public string FolderFor(string experiment) => IsCurrent ? experiment : $"{experiment}.revision-{Number}";

    /// <summary>One line for headers: "revision 2 of 3 (current) · spec sha256 1a2b3c4d5e6f · profile smoke".</summary>
    public string Describe() =>
        $"revision {Number} of {Latest}{(IsCurrent ? " (current)" : " (not the current one)")} · spec sha256 {SpecHash[..12]}" +
        (Profile is null ? "" : $" · profile {Profile}");
}

/// <summary>
/// One run = one cell × one seed. Metrics are the final values; curves are the streamed points. <see cref="Failure"/>
/// says why a failed or cancelled run has no result (its first failed stage, kind and error line); null otherwise.
/// </summary>
public sealed record RunResult(
    string RunId,
    int CellIndex,
    IReadOnlyDictionary<string, JsonNode?> Params,
    long Seed,
    string Status,
    bool IsBaseline,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, IReadOnlyList<CurvePoint>> Curves,
    string? Failure = null);

public readonly record struct CurvePoint(long Step, double Value);

/// <summary>One unique stage of the experiment's DAG: its compute cost and how many runs shared it.</summary>
public sealed record StageCost(string Hash, string Type, string Status, double Seconds, int UsedByRuns, bool ReusedFromEarlier);

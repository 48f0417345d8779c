using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Web.Api;

internal sealed record StageCounts(int Total, int Pending, int Queued, int Running, int Succeeded, int Failed, int Cancelled);

/// <summary>An experiment as of one revision (<see cref="Revision"/> of <see cref="Revisions"/>; the current one unless asked).</summary>
internal sealed record ExperimentSummary(
    string Name, string? Description, int Runs, StageCounts Stages, double Progress, bool Finished,
    string? Metric, string? Goal, DateTime Created, DateTime Updated, int Revision, int Revisions, string SpecHash, string? Profile);

internal sealed record RevisionView(int Number, bool Current, string SpecHash, string? Profile, int Runs, DateTime Created);

/// <summary>A stage that is running (with its phase) or failed (with its reason): what the live status lists.</summary>
internal sealed record StageBrief(string Hash, string Name, string Type, string Status, double Progress, string? Phase, string? FailureKind, string? Error, int Attempts);

internal sealed record ReportFile(string Name, string Url, string Kind);

internal sealed record ExperimentDetail(
    ExperimentSummary Summary, IReadOnlyDictionary<string, int> RunStatuses, IReadOnlyList<string> Axes,
    IReadOnlyList<string> Metrics, IReadOnlyList<StageBrief> Active, IReadOnlyList<ReportFile> Report, IReadOnlyList<RevisionView> RevisionHistory);

internal sealed record RunRowView(string Id, IReadOnlyDictionary<string, JsonNode?> Params, long Seed, string Status, bool Baseline, IReadOnlyDictionary<string, double> Metrics);

/// <summary>The runs table: <see cref="Columns"/> are the headline metrics, <see cref="Metrics"/> every metric any run has.</summary>
internal sealed record RunsView(
    string Experiment, string Filter, int Total, int Count, IReadOnlyList<string> Axes, IReadOnlyList<string> Columns,
    IReadOnlyList<string> Metrics, IReadOnlyList<RunRowView> Runs);

internal sealed record RunStageView(
    string Key, string Hash, string Type, string Status, int Attempts, string? FailureKind, string? Error, string? Phase,
    double Progress, double? Seconds, DateTime? Started, DateTime? Finished, bool Terminal, string Log);

internal sealed record RunDetail(
    string Id, string Experiment, IReadOnlyDictionary<string, JsonNode?> Params, long Seed, string Status, bool Baseline,
    IReadOnlyDictionary<string, double> Metrics, IReadOnlyDictionary<string, IReadOnlyList<double[]>> Curves,
    IReadOnlyList<RunStageView> Stages, IReadOnlyList<int> Revisions, string? Failure);

internal sealed record StageLog(string Hash, bool Exists, long Bytes, bool Truncated, string Text);

/// <summary>An API failure: the HTTP status, the message, and for a bad filter the 1-based position it points at.</summary>
internal sealed record ApiError(int Status, string Error, int? Position = null);

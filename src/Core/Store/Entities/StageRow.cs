namespace Ablations.Core.Store.Entities;

/// <summary>
/// A unique unit of work, keyed by its content hash, shared by every run (of any experiment) that needs it.
/// </summary>
public sealed class StageRow
{
    public required string Hash { get; set; }
    public required string Type { get; set; }
    public required string ConfigJson { get; set; }
    /// <summary>Canonical JSON object of input role → upstream stage hash.</summary>
    public required string InputsJson { get; set; }
    public required string Queue { get; set; }
    /// <summary>Devices of one runner an attempt needs (resources.TYPE.devices, default 1).</summary>
    public int Devices { get; set; } = 1;
    /// <summary>GiB it needs on each of its devices (resources.TYPE.memory_gb); null: not stated.</summary>
    public double? MemoryGb { get; set; }
    /// <summary>The stage type's code version that entered the hash (StageTypes); null for stages stored before it was recorded.</summary>
    public string? CodeVersion { get; set; }
    public StageStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? Worker { get; set; }
    public string? JobId { get; set; }
    public DateTime? EnqueuedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? HeartbeatAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>Seconds of the successful attempt (compute cost, for reuse accounting).</summary>
    public double? DurationSeconds { get; set; }
    public double Progress { get; set; }
    public string? Phase { get; set; }
    /// <summary>A FailureKind name, e.g. "Diverged"; null unless failed. Read it typed as <see cref="Failure"/>.</summary>
    public string? FailureKind { get; set; }

    /// <summary>Why it failed, typed (not mapped: a get-only property); null unless failed or for a name this build does not know.</summary>
    public Execution.FailureKind? Failure => Enum.TryParse<Execution.FailureKind>(FailureKind, out var kind) ? kind : null;

    /// <summary>Failed for a reason of its own, not only because a stage it needs failed.</summary>
    public bool FailedItself => Status == StageStatus.Failed && Failure != Execution.FailureKind.UpstreamFailed;
    public string? Error { get; set; }
    public bool CancelRequested { get; set; }
    public DateTime CreatedAt { get; set; }
}

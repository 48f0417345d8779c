namespace Ablations.Core.Store.Entities;

/// <summary>One cell × seed. Its status is derived from its stages (see RunStatus), never stored twice.</summary>
public sealed class RunRow
{
    public int Id { get; set; }
    public int ExperimentId { get; set; }
    public ExperimentRow? Experiment { get; set; }
    /// <summary>Stable id: a hash of the run's parameters and seed, so re-submitting finds the same run.</summary>
    public required string RunKey { get; set; }
    public int CellIndex { get; set; }
    /// <summary>Canonical JSON object of dotted key → value (fixed parameters included).</summary>
    public required string ParamsJson { get; set; }
    public long Seed { get; set; }
    public bool IsBaseline { get; set; }
    /// <summary>False when the latest submitted spec no longer contains this run; kept for history.</summary>
    public bool Active { get; set; } = true;
    public required string TerminalStageHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<RunStageRow> Stages { get; set; } = [];
}

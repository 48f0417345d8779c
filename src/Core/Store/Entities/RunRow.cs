namespace Ablations.Core.Store.Entities;

/// <summary>
/// One cell × seed computed by one stage chain. Its status is derived from its stages (see RunStatus), never stored
/// twice. The same cell and seed with a changed chain (an edited option, program or upstream stage) is another run:
/// the old one stays, with its results, in the revisions that had it.
/// </summary>
public sealed class RunRow
{
    public int Id { get; set; }
    public int ExperimentId { get; set; }
    public ExperimentRow? Experiment { get; set; }
    /// <summary>The run's id: a hash of its parameters, seed and every stage hash of its chain, so equal work has the same id.</summary>
    public required string RunKey { get; set; }
    /// <summary>A hash of the parameters and seed alone: the same cell and replicate across revisions.</summary>
    public required string CellKey { get; set; }
    public int CellIndex { get; set; }
    /// <summary>Canonical JSON object of dotted key → value (fixed parameters included).</summary>
    public required string ParamsJson { get; set; }
    public long Seed { get; set; }
    public bool IsBaseline { get; set; }
    /// <summary>
    /// True when the experiment's current revision contains this run. Derived from the revision links and kept by
    /// ResultsStore.Submit alone; it exists so the scheduler's hot queries need no join through revisions.
    /// </summary>
    public bool Active { get; set; } = true;
    public required string TerminalStageHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<RunStageRow> Stages { get; set; } = [];
}

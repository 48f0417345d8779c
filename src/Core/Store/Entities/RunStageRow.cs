namespace Ablations.Core.Store.Entities;

/// <summary>Links a run to a (possibly shared) stage instance, under the key the pipeline gave it in that run.</summary>
public sealed class RunStageRow
{
    public int RunId { get; set; }
    public RunRow? Run { get; set; }
    public required string StageHash { get; set; }
    public StageRow? Stage { get; set; }
    /// <summary>The stage's key inside the run, e.g. "teacher:t_a"; prefixes its metrics in the run's results.</summary>
    public required string StageKey { get; set; }
    public bool IsTerminal { get; set; }
}

namespace Ablations.Core.Execution;

/// <summary>How one attempt of a stage ended on a runner (for its log line and for tests); the store holds the status.</summary>
public enum StageOutcome
{
    Succeeded,
    Failed,
    Cancelled,
    /// <summary>A transient failure: the stage is back in the queue for another attempt.</summary>
    Retrying,
    /// <summary>An input was damaged, missing or recomputed: the stage waits for it and runs again.</summary>
    Invalidated,
    /// <summary>The runner shut down: the stage is back in the queue, its attempt not counted.</summary>
    Interrupted,
}

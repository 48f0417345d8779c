namespace Ablations.Core.Store.Entities;

/// <summary>
/// A stage's life: Pending (inputs not done) → Queued (a job was enqueued) → Running (claimed by one worker)
/// → Succeeded | Failed | Cancelled. Transitions are single guarded UPDATEs, which is what makes enqueueing
/// idempotent and a duplicate job delivery harmless.
/// </summary>
public enum StageStatus
{
    Pending = 0,
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
    Cancelled = 5,
}

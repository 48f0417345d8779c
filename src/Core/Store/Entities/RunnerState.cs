namespace Ablations.Core.Store.Entities;

/// <summary>
/// A registered runner's life: Running (taking work) → Draining (takes no new work; its stages go back to the queue,
/// checkpointed) → Stopped (exited cleanly). Lost: it stopped heartbeating for longer than its stale-after (killed,
/// host down, network cut); any other runner's sweep marks it so and re-queues its stages. A lost runner that comes
/// back (a network partition healed) finds itself Lost and stops: its claims may already be someone else's.
/// </summary>
public enum RunnerState
{
    Running = 0,
    Draining = 1,
    Stopped = 2,
    Lost = 3,
}

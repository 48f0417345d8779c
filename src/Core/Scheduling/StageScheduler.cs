using Ablations.Core.Store;

namespace Ablations.Core.Scheduling;

/// <summary>
/// "Take what is ready, then enqueue it", in one place, for every moment it happens: a submit, a retry, a stage that
/// succeeded, failed or was invalidated, and a runner's sweep of stages whose worker died. The store decides what is
/// ready (dependencies met, within each queue's window); this puts it on the job queue and records the job.
/// Torch-free and queue-agnostic: `submit`, `retry` and `serve` use it without loading the Runner.
/// </summary>
public sealed class StageScheduler(ResultsStore store, IJobQueue queue)
{
    /// <summary>After a submit: the experiment's ready stages, and queued ones whose job a crashed process never made.</summary>
    public int Submitted(int experimentId)
    {
        var ready = store.TakeReady(experimentId);
        var lost = store.Queued(experimentId).Where(q => !ready.Contains(q)).ToList();
        Enqueue(ready);
        Enqueue(lost);
        return ready.Count + lost.Count;
    }

    /// <summary>Resets the experiment's failed (and, unless <paramref name="failedOnly"/>, cancelled) stages and enqueues what can start.</summary>
    public (int Reset, int Enqueued) Retry(int experimentId, bool failedOnly)
    {
        var reset = store.Retry(experimentId, failedOnly);
        var ready = store.TakeReady(experimentId);
        Enqueue(ready);
        return (reset, ready.Count);
    }

    /// <summary>A stage succeeded: its dependents that became ready, then whatever the queues' windows have room for.</summary>
    public void Succeeded(Completion done)
    {
        Enqueue(done.Ready);
        TopUp();
    }

    /// <summary>A stage ended without success and will not run again now (failed for good, or invalidated): others may start.</summary>
    public void Ended() => TopUp();

    /// <summary>A runner's start and its periodic sweep: stages of dead workers (running, or fetched ahead) back in the queue, then a top-up.</summary>
    public void Sweep(TimeSpan staleAfter, Func<string, bool> isDead, string? sweeper = null)
    {
        Enqueue(store.RequeueAbandoned(staleAfter, isDead, sweeper));
        TopUp();
    }

    /// <summary>
    /// A delivery this worker will not run after all (it was fetched ahead and every slot stayed busy): its hold ends and a
    /// new job puts the stage back on its queue for any runner, if it is still Queued. The old job then ends as a delivery
    /// that did nothing.
    /// </summary>
    public void Redeliver(string hash, string worker)
    {
        if (store.Unhold(hash, worker) is { } stage) Enqueue([stage]);
    }

    /// <summary>A stage released back to Queued by a runner that stops after a delivery that ends normally: a new job for another runner.</summary>
    public void Released(string hash, string queue) => Enqueue([new ReadyStage(hash, queue)]);

    /// <summary>A starting runner's offer to take parked stages (Queued without a job) of its queues that it can run.</summary>
    public void Unpark(IReadOnlyCollection<string> queues, Func<StageNeeds, bool> canTake) =>
        Enqueue(store.Parked(queues).Where(p => canTake(p.Needs)).Select(p => p.Stage));

    /// <summary>Whatever ready stages the queues' windows have room for (after stages were invalidated, say).</summary>
    public void TopUp() => Enqueue(store.TopUp());

    private void Enqueue(IEnumerable<ReadyStage> stages)
    {
        foreach (var stage in stages)
        {
            store.RecordJob(stage.Hash, queue.Enqueue(stage.Hash, stage.Queue));
            // The dead attempt's job would show "Processing" until its invisibility timeout and then be delivered
            // again; deleting it now tells the truth and spares that delivery.
            if (stage.AbandonedJob is { } stale) queue.Delete(stale);
        }
    }
}

using Ablations.Core.Store;
using Hangfire;

namespace Ablations.Runner.Hosting;

/// <summary>Creates the Hangfire job for a ready stage on the queue its resources name, and records the job id.</summary>
public sealed class StageEnqueuer(JobStorage storage, ResultsStore store)
{
    private readonly BackgroundJobClient _client = new(storage);

    public void Enqueue(ReadyStage stage)
    {
        var id = _client.Enqueue<StageJob>(stage.Queue, job => job.Run(stage.Hash, CancellationToken.None));
        store.RecordJob(stage.Hash, id);
        // The dead attempt's job would show "Processing" until its invisibility timeout (30 min) and then be fetched
        // again; deleting it now tells the truth and spares that delivery.
        if (stage.AbandonedJob is { } stale) TryDelete(stale);
    }

    private void TryDelete(string jobId)
    {
        try { _client.Delete(jobId); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException) { }
    }

    public void EnqueueAll(IEnumerable<ReadyStage> stages)
    {
        foreach (var s in stages) Enqueue(s);
    }
}

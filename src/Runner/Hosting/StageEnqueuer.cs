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
    }

    public void EnqueueAll(IEnumerable<ReadyStage> stages)
    {
        foreach (var s in stages) Enqueue(s);
    }
}

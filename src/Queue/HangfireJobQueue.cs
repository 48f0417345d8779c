using Ablations.Core.Scheduling;
using Ablations.Core.Store;
using Hangfire;

namespace Ablations.Queue;

/// <summary>The job queue on Hangfire: a job per stage on the queue its resources name, and the workers that run them.</summary>
public sealed class HangfireJobQueue : IJobQueue
{
    private readonly BackgroundJobClient _client;

    /// <summary>
    /// Hangfire registers a retry filter for every job of the process (10 attempts, its own delays). Stage jobs are the
    /// only jobs here and are retried by <see cref="RetryPolicy"/> alone (<see cref="StageRetryAttribute"/>); with the
    /// global one in place both would elect a retry, and a final failure would be retried ten times.
    /// </summary>
    static HangfireJobQueue()
    {
        foreach (var filter in GlobalJobFilters.Filters.Where(f => f.Instance is AutomaticRetryAttribute).ToList())
            GlobalJobFilters.Filters.Remove(filter.Instance);
    }

    public HangfireJobQueue(JobStorage storage)
    {
        Storage = storage;
        _client = new BackgroundJobClient(storage);
    }

    /// <summary>The queue of a workspace (SQLite next to the store, or the PostgreSQL it names).</summary>
    public static HangfireJobQueue Of(Workspace workspace) => new(JobStorageFactory.Create(workspace));

    public JobStorage Storage { get; }

    public string Enqueue(string stageHash, string queue) =>
        _client.Enqueue<StageJob>(queue, job => job.Run(stageHash, CancellationToken.None));

    public void Delete(string jobId)
    {
        try { _client.Delete(jobId); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException) { }
    }

    public IDisposable StartWorkers(string name, IReadOnlyList<string> queues, int workers, IStageJobHandler handler) =>
        new BackgroundJobServer(new BackgroundJobServerOptions
        {
            Queues = [.. queues],
            WorkerCount = Math.Max(1, workers),
            ServerName = name,
            SchedulePollingInterval = TimeSpan.FromSeconds(1),
            CancellationCheckInterval = TimeSpan.FromSeconds(1),
            ShutdownTimeout = TimeSpan.FromSeconds(30),
            Activator = new StageJobActivator(handler),
        }, Storage);

    private sealed class StageJobActivator(IStageJobHandler handler) : JobActivator
    {
        public override object ActivateJob(Type jobType) =>
            jobType == typeof(StageJob) ? new StageJob(handler) : base.ActivateJob(jobType);
    }
}

namespace Ablations.Core.Scheduling;

/// <summary>
/// The job queue stages travel through from the store to a runner. The scheduler puts a ready stage on it; a runner's
/// workers take it off and hand its hash to an <see cref="IStageJobHandler"/>. The results store stays the source of
/// truth for every stage's status: a job is only a delivery, and a duplicate delivery finds its stage taken.
/// </summary>
public interface IJobQueue
{
    /// <summary>Puts the stage on <paramref name="queue"/>; returns the job's id.</summary>
    string Enqueue(string stageHash, string queue);

    /// <summary>Removes a job nobody will run (a dead attempt's), if it still exists.</summary>
    void Delete(string jobId);

    /// <summary>
    /// Starts <paramref name="workers"/> workers that take jobs from <paramref name="queues"/> and run them with
    /// <paramref name="handler"/>, retrying a <see cref="TransientStageException"/> as <see cref="RetryPolicy"/> says.
    /// Disposing stops them: running stages see their cancellation token fire.
    /// </summary>
    IDisposable StartWorkers(string name, IReadOnlyList<string> queues, int workers, IStageJobHandler handler);
}

/// <summary>What a worker does with a job: runs the stage of that hash (the Runner's execution host).</summary>
public interface IStageJobHandler
{
    void Execute(string stageHash, CancellationToken cancellationToken);
}

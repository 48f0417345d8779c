using Ablations.Core.Execution;
using Ablations.Core.Store;
using Ablations.Runner.Modeling;
using Ablations.Runner.Stages;
using Ablations.Core.Scheduling;

namespace Ablations.Runner.Hosting;

/// <summary>
/// A runner process: <see cref="RunnerSettings.WorkersPerDevice"/> slots per device (<see cref="DeviceSlots"/>) and as many queue
/// workers plus <see cref="RunnerSettings.Prefetch"/> taking jobs from the given queues, plus a sweep that re-queues stages
/// whose worker died. Dispose stops it gracefully: running stages are cancelled and go back
/// to the queue, so the next runner resumes them (from their checkpoints where they keep any).
/// </summary>
public sealed class RunnerHost : IDisposable
{
    private readonly IDisposable _workers;
    private readonly Timer _sweep;
    private readonly ResultsStore _store;
    private readonly StageScheduler _scheduler;
    private readonly RunnerSettings _settings;
    private readonly Workspace _workspace;

    public RunnerHost(Workspace workspace, RunnerSettings settings, IJobQueue queue, IEnumerable<IStageExecutor>? executors = null)
    {
        workspace.EnsureDirectories();
        DiskFull.Reserve(workspace.Root);
        _workspace = workspace;
        _settings = settings;
        TorchRuntime.RequestThreads(settings.Threads); // applied by the first stage that runs on torch
        _store = ResultsStore.Open(workspace.Store);
        _scheduler = new StageScheduler(_store, queue);
        Host = new StageExecutionHost(workspace, _store, _scheduler, executors ?? StageCatalog.All, settings);
        // The queue's workers start before the first sweep, which is this process's first use of EF Core (~0.3 s): the
        // server's own start (registration, first fetch) runs beside it instead of after it. A sweep that fails stops them.
        _workers = queue.StartWorkers(Host.WorkerName, settings.Queues.ToList(), Host.Slots + Math.Max(0, settings.Prefetch), Host);
        try
        {
            _scheduler.Sweep(settings.StaleAfter, WorkerId.IsDeadOnThisHost);
        }
        catch
        {
            _workers.Dispose();
            throw;
        }
        _sweep = new Timer(_ => Sweep(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(Math.Min(5, settings.StaleAfter.TotalSeconds / 2)));
    }

    public StageExecutionHost Host { get; }

    private int _sweeping;

    private void Sweep()
    {
        // A sweep may wait out a store outage (StoreFaults retries); the next tick skips instead of piling up threads.
        if (Interlocked.Exchange(ref _sweeping, 1) == 1) return;
        try
        {
            DiskFull.Check(_workspace.Root);
            _scheduler.Sweep(_settings.StaleAfter, WorkerId.IsDeadOnThisHost);
        }
        catch (Exception e) when (e is StoreUnavailableException or Core.Execution.NodeUnavailableException)
        {
            Host.ReportMustStop(e);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"runner: recovery sweep failed: {e.Message}");
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    public void Dispose()
    {
        _sweep.Dispose();
        _workers.Dispose();
        ReleaseWhatIsStillHeld();
    }

    /// <summary>
    /// Stages whose own release failed (a full disk leaves SQLite no room to write it) would show as running with nobody
    /// behind them. With the workers stopped nothing else writes, so the disk's reserve is given back for this one write.
    /// </summary>
    private void ReleaseWhatIsStillHeld()
    {
        try
        {
            _store.ReleaseHeldBy(Host.WorkerName);
        }
        catch (StoreUnavailableException e) when (DiskFull.Is(e))
        {
            DiskFull.FreeReserve(_workspace.Root);
            try { _store.ReleaseHeldBy(Host.WorkerName); }
            catch (StoreUnavailableException) { } // then the next runner's start re-queues them, and status says so
        }
        catch (StoreUnavailableException) { }
    }
}

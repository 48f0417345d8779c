using Ablations.Core.Execution;
using Ablations.Core.Store;
using Ablations.Runner.Modeling;
using Ablations.Runner.Stages;
using Ablations.Core.Scheduling;

namespace Ablations.Runner.Hosting;

/// <summary>
/// A runner process: <see cref="RunnerSettings.WorkersPerDevice"/> slots per device (<see cref="DeviceSlots"/>) and as many queue
/// workers plus <see cref="RunnerSettings.Prefetch"/> taking jobs from the given queues, plus a sweep that re-queues stages
/// whose worker died. It registers itself in the store's runner registry and heartbeats there (`ablate runners`), which
/// is also how it hears of a drain asked from anywhere (<see cref="DrainRequested"/>) or that the others took it as lost.
/// Dispose stops it gracefully: running stages are cancelled (a training stage checkpoints first) and go back to the
/// queue at once, so the next runner resumes them from their checkpoints; the registry then says Stopped.
/// </summary>
public sealed class RunnerHost : IDisposable
{
    private readonly IDisposable _workers;
    private readonly Timer _sweep;
    private readonly ResultsStore _store;
    private readonly StageScheduler _scheduler;
    private readonly RunnerSettings _settings;
    private readonly Workspace _workspace;
    private readonly Timer _beat;
    private int _drainRaised;

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
            // A name the operator chose may clash with a live runner's: that refuses the start, so it is checked first.
            // A default name (host:pid) cannot clash, and its registration is a write that may wait behind another
            // process's long transaction (a 10,000-cell submit): it goes beside the work instead of before it.
            if (settings.Name is not null) Register();
            else _registering = Task.Run(RegisterInBackground);
            _scheduler.Sweep(settings.StaleAfter, WorkerId.IsDeadOnThisHost, Host.WorkerName);
        }
        catch
        {
            _workers.Dispose();
            throw;
        }
        var sweepEvery = TimeSpan.FromSeconds(Math.Min(5, settings.StaleAfter.TotalSeconds / 2));
        _sweep = new Timer(_ => Sweep(), null, sweepEvery, sweepEvery);
        _beat = new Timer(_ => Beat(), null, settings.Heartbeat, settings.Heartbeat);
    }

    /// <summary>Raised once when the registry says this runner is to drain (`ablate runner --drain NAME`): the owner stops it.</summary>
    public event Action? DrainRequested;

    /// <summary>
    /// Registers this runner (its queues, devices, memory and version) and enqueues parked stages that waited for a runner
    /// like it. A name another live runner has is refused with a message (InvalidOperationException) before any work.
    /// </summary>
    private void Register()
    {
        var id = Host.WorkerName;
        _store.RegisterRunner(new Core.Store.Entities.RunnerRow
        {
            Id = id, Name = _settings.Name ?? ResultsStore.RunnerOf(id), Host = Environment.MachineName, Pid = Environment.ProcessId,
            Devices = string.Join(",", _settings.Devices), WorkersPerDevice = _settings.WorkersPerDevice, Queues = string.Join(",", _settings.Queues),
            MemoryGb = _settings.MemoryGb, Version = Version, StaleAfterSeconds = _settings.StaleAfter.TotalSeconds,
        });
        _registered = true;
        UnparkWhatThisRunnerCanTake();
    }

    /// <summary>Enqueues parked stages (queued, no job) of this runner's queues that it can take (Placement).</summary>
    private void UnparkWhatThisRunnerCanTake()
    {
        var offer = Host.Offer;
        _scheduler.Unpark(_settings.Queues.ToList(), needs => Placement.Misfit(needs, offer) is null);
    }

    private Task? _registering;
    private volatile bool _registered;

    private void RegisterInBackground()
    {
        try
        {
            Register();
        }
        catch (Exception e) when (e is StoreUnavailableException)
        {
            Host.ReportMustStop(e);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"runner: could not register in the store: {e.Message}");
        }
    }

    /// <summary>This build's version, as runners show it (an operator sees a node an upgrade left behind).</summary>
    public static string Version { get; } =
        typeof(RunnerHost).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";

    private int _beating;

    private void Beat()
    {
        if (!_registered) return; // no row yet: the store would answer "lost"
        if (Interlocked.Exchange(ref _beating, 1) == 1) return;
        try
        {
            switch (_store.RunnerHeartbeat(Host.WorkerName))
            {
                case Core.Store.Entities.RunnerState.Draining when Interlocked.Exchange(ref _drainRaised, 1) == 0:
                    DrainRequested?.Invoke();
                    break;
                case Core.Store.Entities.RunnerState.Lost:
                    Host.ReportMustStop(new RunnerLostException(
                        $"the store marks this runner lost: it sent no heartbeat for over {_settings.StaleAfter.TotalSeconds:0.#} s (--stale-after), " +
                        "so other runners may already run its stages; it stops rather than race them. Start it again to take new work"));
                    break;
            }
        }
        catch (Exception e) when (e is StoreUnavailableException)
        {
            Host.ReportMustStop(e);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"runner: heartbeat failed: {e.Message}");
        }
        finally
        {
            Volatile.Write(ref _beating, 0);
        }
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
            _scheduler.Sweep(_settings.StaleAfter, WorkerId.IsDeadOnThisHost, Host.WorkerName);
            // A stage parked while no live runner could take it (say this one had not registered yet) is enqueued by
            // the next sweep of a runner that can, not only by a runner that starts later.
            if (_registered) UnparkWhatThisRunnerCanTake();
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
        _beat.Dispose();
        _sweep.Dispose();
        _workers.Dispose();
        try { _registering?.Wait(); } catch (AggregateException) { } // its own failures were reported
        ReleaseWhatIsStillHeld();
        try { _store.RunnerStopped(Host.WorkerName); }
        catch (StoreUnavailableException) { } // then it shows as lost once its heartbeat is late, which is the truth the store can tell
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

/// <summary>The registry says this runner is lost (others took it as dead): it must stop; the runner command exits 3.</summary>
public sealed class RunnerLostException(string message) : Exception(message);

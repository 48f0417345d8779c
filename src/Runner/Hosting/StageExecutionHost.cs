using Ablations.Core.Artifacts;
using Ablations.Core.Execution;
using Ablations.Core.Scheduling;
using Ablations.Core.Store;
using Ablations.Runner.Modeling;
using Ablations.Runner.Stages;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Ablations.Runner.Hosting;

/// <summary>
/// Runs one stage for a job of the queue: claim it in the store (a duplicate delivery finds it taken and returns),
/// resolve its inputs and check each against its manifest (a damaged or missing one is invalidated and recomputed,
/// never read: this stage waits for it), execute it into a staging folder with heartbeats and batched metrics, record
/// the manifest of what it wrote, publish the folder atomically (rename), mark it succeeded with the roots of the
/// inputs it read, and enqueue the dependents that became ready.
/// </summary>
public sealed class StageExecutionHost : IStageJobHandler
{
    private readonly Workspace _workspace;
    private readonly ResultsStore _store;
    private readonly StageScheduler _scheduler;
    private readonly IReadOnlyDictionary<string, IStageExecutor> _executors;
    private readonly RunnerSettings _settings;
    private readonly DeviceSlots _slots;
    private readonly ArtifactVerifier _verifier;

    public StageExecutionHost(Workspace workspace, ResultsStore store, StageScheduler scheduler, IEnumerable<IStageExecutor> executors, RunnerSettings settings)
    {
        _workspace = workspace;
        _store = store;
        _scheduler = scheduler;
        _executors = executors.ToDictionary(e => e.Type.Name, StringComparer.Ordinal);
        _settings = settings;
        _slots = new DeviceSlots(settings);
        WorkerName = WorkerId.New();
        _verifier = new ArtifactVerifier(workspace, store);
    }

    /// <summary>This process's worker identity in the store (one per runner process; threads share it via the stage's claim).</summary>
    public string WorkerName { get; }

    /// <summary>Stages this runner runs at once (devices × workers per device).</summary>
    public int Slots => _slots.Count;

    /// <summary>Raised after each stage ends, with its hash and final status (for logs and tests).</summary>
    public event Action<string, StageOutcome>? StageEnded;

    /// <summary>
    /// Raised when this runner must stop (the runner command exits 3): the results store failed permanently (read-only,
    /// full, deleted, damaged) or stayed unreachable past its retry budget, so nothing can be recorded; or the node cannot
    /// run stages (<see cref="NodeUnavailableException"/>: a device gone, the disk full). The stage it was running goes
    /// back to the queue when the store can still say so, else it is re-queued when a runner starts again.
    /// </summary>
    /// <remarks>
    /// The queue's workers start inside the runner's constructor, before its owner can subscribe: a reason met by then is
    /// kept and given to the first handler as it subscribes, instead of being lost while the runner goes on.
    /// </remarks>
    public event Action<Exception>? MustStop
    {
        add
        {
            Exception? unheard;
            lock (_stopGate)
            {
                _mustStop += value;
                unheard = _unheard;
            }
            if (unheard is not null) value?.Invoke(unheard);
        }
        remove { lock (_stopGate) _mustStop -= value; }
    }

    private readonly object _stopGate = new();
    private Action<Exception>? _mustStop;
    private Exception? _unheard;

    /// <summary>Reports that this runner must stop (a store failure, the node unusable, the registry saying it is lost).</summary>
    public void ReportMustStop(Exception e)
    {
        Action<Exception>? handlers;
        lock (_stopGate)
        {
            handlers = _mustStop;
            if (handlers is null) _unheard ??= e;
        }
        handlers?.Invoke(e);
    }

    public void Execute(string hash, CancellationToken shutdown)
    {
        try
        {
            ExecuteStage(hash, shutdown);
        }
        catch (Exception e) when (e is StoreUnavailableException or NodeUnavailableException)
        {
            ReportMustStop(e);
        }
        catch (Exception e) when (DiskFull.Is(e))
        {
            ReportMustStop(DiskFull.Error(_workspace.Root, e)); // before the stage's own handlers took over (its folders)
        }
    }

    private void ExecuteStage(string hash, CancellationToken shutdown)
    {
        var worker = $"{WorkerName}:{Environment.CurrentManagedThreadId}";
        if (_store.NeedsOf(hash) is not { } needs) return;
        if (Placement.Misfit(needs, Offer) is { } misfit)
        {
            PassOn(hash, worker, needs, misfit, shutdown);
            return;
        }
        // A slot before the claim: a fetched-ahead job is not Running in the store while it waits.
        var duplicate = false;
        using var slot = _slots.TryAcquire(needs.Devices, TimeSpan.Zero, shutdown) ?? WaitHolding(hash, worker, needs, shutdown, out duplicate);
        if (slot is null)
        {
            if (duplicate) return;
            // Every slot stayed busy (long stages): another runner may be idle, so the stage goes back on its queue, and
            // this worker fetches again only once a slot is free rather than taking the next job to hold it too.
            _scheduler.Redeliver(hash, worker);
            try { _slots.WaitUntilOneIsFree(shutdown); }
            catch (OperationCanceledException) { }
            return;
        }
        var claim = _store.Claim(hash, worker, _settings.StaleAfter);
        if (claim is null) return; // already done, or another worker holds it: a duplicate delivery
        if (claim.Attempts > RetryPolicy.MaxAttempts)
        {
            _store.Fail(hash, worker, FailureKind.Error, $"the worker process died {claim.Attempts - 1} times while running this stage (a native crash?); see {_workspace.LogsDir}", retry: false);
            StageEnded?.Invoke(hash, StageOutcome.Failed);
            return;
        }
        ExecuteClaimed(hash, worker, needs.Queue, claim, slot, shutdown);
    }

    /// <summary>
    /// Every slot is busy: waits for one with the job's stage held in the store (<see cref="ResultsStore.Hold"/>, renewed
    /// each heartbeat) so that a sweep re-queues it should this runner die while it waits. Every
    /// <see cref="RunnerSettings.PrefetchHold"/> it asks whether another runner that can take the stage has a free slot;
    /// only then does it give the job up (null), so an idle runner gets it, while a grid that keeps every runner busy runs
    /// each stage from its first job. Null with <paramref name="duplicate"/> when the stage is no longer this delivery's to run.
    /// </summary>
    private DeviceSlots.Lease? WaitHolding(string hash, string worker, StageNeeds needs, CancellationToken shutdown, out bool duplicate)
    {
        duplicate = false;
        var until = DateTime.UtcNow + _settings.PrefetchHold;
        var renew = DateTime.MinValue;
        while (true)
        {
            // The hold is a heartbeat: renewed once per heartbeat however often the question below is asked.
            if (DateTime.UtcNow >= renew)
            {
                if (!_store.Hold(hash, worker))
                {
                    duplicate = true;
                    return null;
                }
                renew = DateTime.UtcNow + _settings.Heartbeat;
            }
            if (until <= DateTime.UtcNow)
            {
                if (_store.AnotherRunnerIsFree(needs, WorkerName)) return null;
                // --prefetch-hold 0 asks at once; the question is then repeated each heartbeat, not in a busy loop.
                until = DateTime.UtcNow + (_settings.PrefetchHold > TimeSpan.Zero ? _settings.PrefetchHold : _settings.Heartbeat);
            }
            var next = until < renew ? until : renew;
            var wait = next - DateTime.UtcNow;
            if (_slots.TryAcquire(needs.Devices, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, shutdown) is { } slot) return slot;
        }
    }

    /// <summary>What this runner offers placement: its queues, devices and declared memory per device.</summary>
    public RunnerOffer Offer => new(_settings.Queues.ToList(), _settings.Devices, _settings.MemoryGb);

    /// <summary>Raised when a fetched stage is one no live runner can take (parked until one starts), with the reason.</summary>
    public event Action<string, string>? StageParked;

    /// <summary>
    /// A stage this runner cannot take (it needs more devices or memory than it has; Placement). When another runner that
    /// takes work can (a draining one does not count), the stage goes back on its queue for it, after a pause that keeps this runner from fetching it again at once;
    /// when none can, it is parked (Queued without a job) until one that can starts, and `status` says why it waits.
    /// </summary>
    private void PassOn(string hash, string worker, StageNeeds needs, string misfit, CancellationToken shutdown)
    {
        var others = _store.RunnersTakingWork().Where(r => r.Id != WorkerName).ToList();
        if (Placement.NobodyCanTake(needs, others) is { } why)
        {
            if (_store.Park(hash)) StageParked?.Invoke(hash, why);
            return;
        }
        if (_store.Hold(hash, worker)) _scheduler.Redeliver(hash, worker);
        shutdown.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
    }

    private void ExecuteClaimed(string hash, string worker, string queue, ClaimedStage claim, DeviceSlots.Lease slot, CancellationToken shutdown)
    {
        var (type, attempt) = (claim.Type, claim.Attempts);
        var device = slot.Device;
        // Folders of earlier attempts of this stage (a runner killed mid-stage) are nobody's now: this worker holds the claim.
        foreach (var leftover in Directory.EnumerateDirectories(_workspace.StagingDir, $"{hash}-*")) TryDelete(leftover);
        var staging = Path.Combine(_workspace.StagingDir, $"{hash}-{Guid.NewGuid():N}");
        var scratch = Path.Combine(_workspace.ScratchDir, hash);
        Directory.CreateDirectory(staging);
        // No checkpoint in the scratch folder means this attempt starts over: points of an earlier attempt would
        // mix with its own. With one, the stage resumes and keeps the points logged before the checkpoint.
        if (claim.HasMetrics && (!Directory.Exists(scratch) || !Directory.EnumerateFileSystemEntries(scratch).Any())) _store.DeleteMetrics(hash);
        Directory.CreateDirectory(scratch);
        Directory.CreateDirectory(_workspace.LogsDir);
        using var log = new TolerantLog(Path.Combine(_workspace.LogsDir, hash + ".log"));
        log.WriteLine($"== {DateTime.UtcNow:O} {type} {hash[..12]} attempt {attempt} on {worker} ({string.Join(",", slot.Devices)})");
        using var metrics = new MetricWriter(_store, hash);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var progress = (Fraction: 0.0, Phase: (string?)null);
        var beating = 0;
        using var heartbeat = new Timer(_ =>
        {
            // A heartbeat may wait out a store outage (StoreFaults retries); the next tick skips instead of piling up.
            if (Interlocked.Exchange(ref beating, 1) == 1) return;
            try
            {
                metrics.Flush();
                var (f, p) = progress;
                if (_store.Heartbeat(hash, worker, f, p)) cancel.Cancel();
            }
            catch (Exception e)
            {
                log.WriteLine($"heartbeat failed: {e.Message}");
            }
            finally
            {
                Volatile.Write(ref beating, 0);
            }
        }, null, _settings.Heartbeat, _settings.Heartbeat);

        var clock = Stopwatch.StartNew();
        try
        {
            if (!_executors.TryGetValue(type, out var executor))
                throw new StageFailedException(FailureKind.InvalidConfig,
                    $"unknown stage type '{type}'; this runner knows {string.Join(", ", _executors.Keys.Order())}");
            var (inputs, consumed) = ResolveInputs(hash, worker, claim.Inputs);
            if (executor.UsesTorch) TorchRuntime.EnsureInitialised();
            executor.Execute(new StageContext
            {
                StageHash = hash,
                StageType = type,
                Config = JsonNode.Parse(claim.ConfigJson)!.AsObject(),
                Inputs = inputs,
                OutputDir = staging,
                ScratchDir = scratch,
                Metrics = metrics,
                Progress = (f, p) => progress = (f, p),
                Log = log,
                Device = device,
                Devices = slot.Devices,
                Cancellation = cancel.Token,
            });
            slot.Dispose(); // the device is free: a job fetched ahead starts while this one is recorded
            cancel.Token.ThrowIfCancellationRequested();
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            metrics.Flush();
            var manifest = ArtifactManifest.Build(staging);
            Publish(hash, staging);
            var done = _store.Succeed(hash, worker, manifest, clock.Elapsed.TotalSeconds, consumed);
            if (done.Result == Completion.Outcome.ClaimLost)
            {
                log.WriteLine("lost the claim before finishing; another worker owns this stage now");
                return;
            }
            if (done.Result == Completion.Outcome.InputsChanged)
            {
                log.WriteLine("== not recorded: an input was invalidated or recomputed while this stage ran; it runs again on the new input");
                _verifier.Clear(hash, "an input was invalidated or recomputed while it ran");
                _scheduler.Ended();
                StageEnded?.Invoke(hash, StageOutcome.Invalidated);
                return;
            }
            TryDelete(scratch);
            log.WriteLine($"== succeeded in {clock.Elapsed.TotalSeconds:F1} s (artifact {manifest.RootSha256[..12]}, {manifest.Files.Count} files)");
            if (done.TakenBack.Count > 0)
            {
                _verifier.TakenBack(done.TakenBack, hash);
                log.WriteLine($"   its artifact differs from the one {done.TakenBack.Count} stage(s) were computed from; they recompute");
            }
            _scheduler.Succeeded(done);
            StageEnded?.Invoke(hash, StageOutcome.Succeeded);
        }
        catch (StoreUnavailableException e)
        {
            // Nothing can be recorded: no failure to write, no retry to count. The folder goes; a published artifact
            // stays and is replaced when the stage runs again. The runner releases the stage as it stops (RunnerHost).
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            TryDelete(staging);
            log.WriteLine($"== stopped: {e.Message}");
            throw;
        }
        catch (Exception e) when (e is NodeUnavailableException || DiskFull.Is(e))
        {
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            TryDelete(staging);
            var node = e as NodeUnavailableException ?? DiskFull.Error(_workspace.Root, e);
            log.WriteLine($"== stopped, back in the queue: {node.Message}");
            // This delivery ends normally (the runner stops after it), so the stage needs a job of its own for another node.
            if (TryRelease(hash, worker)) TryEnqueue(hash, queue);
            throw node;
        }
        catch (InputInvalidatedException e)
        {
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            TryDelete(staging);
            log.WriteLine($"== not run: {e.Message}; it recomputes, and this stage waits for it");
            _scheduler.Ended();
            StageEnded?.Invoke(hash, StageOutcome.Invalidated);
        }
        catch (Exception e)
        {
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            TryFlush(metrics, log);
            TryDelete(staging);
            HandleFailure(hash, worker, attempt, e, shutdown, log);
        }
    }

    /// <summary>
    /// Role → folder and role → root hash of every input, each checked against its manifest first. A bad input is
    /// invalidated and this stage goes back to Pending until it is recomputed, unless this node cannot see the artifact
    /// root at all: then nothing is invalidated, the stage goes back to the queue uncounted and this runner stops (exit 3),
    /// so another node (or this one, the share remounted) takes it.
    /// </summary>
    private (IReadOnlyDictionary<string, string> Dirs, IReadOnlyDictionary<string, string> Roots) ResolveInputs(string hash, string worker, IReadOnlyDictionary<string, string> inputs)
    {
        var dirs = new Dictionary<string, string>(StringComparer.Ordinal);
        var roots = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (role, inputHash) in inputs)
        {
            var finding = _verifier.Check(inputHash, full: false);
            if (!finding.Usable)
            {
                // Not this stage's fault, nor one a retry here would fix: every stage with inputs would meet it on this node.
                // The runner stops (exit 3) and the stage goes back to the queue uncounted, for a node that sees the share.
                if (!_verifier.RootVisible()) throw new NodeUnavailableException(_verifier.RootInvisibleMessage());
                _verifier.Invalidate(finding);
                _store.WaitForInputs(hash, worker);
                throw new InputInvalidatedException($"input '{role}' ({inputHash[..12]}, {finding.Kind}) is {finding.State.ToString().ToLowerInvariant()}: {finding.Describe()}");
            }
            dirs[role] = finding.Directory;
            roots[role] = finding.RootSha256!;
        }
        return (dirs, roots);
    }

    /// <summary>An input was damaged or missing and has been invalidated: not a failure of this stage, which waits for it to be recomputed.</summary>
    private sealed class InputInvalidatedException(string message) : Exception(message);

    /// <summary>Rename is atomic on one file system: readers see the old artifact or the whole new one, never half.</summary>
    private void Publish(string hash, string staging)
    {
        var final = _workspace.ArtifactDir(hash);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        if (Directory.Exists(final))
        {
            var old = final + $".old-{Guid.NewGuid():N}";
            Directory.Move(final, old); // left by an attempt that crashed between publish and the store update
            TryDelete(old);
        }
        Directory.Move(staging, final);
    }

    private void HandleFailure(string hash, string worker, int attempt, Exception e, CancellationToken shutdown, TextWriter log)
    {
        // A runner that stops (SIGTERM, a drain) cancels its stages; the trainer answers with a checkpoint and a Cancelled
        // failure of its own, which is this interruption too, not a user's cancel: the stage goes back to the queue.
        if (shutdown.IsCancellationRequested && e is OperationCanceledException or StageFailedException { Kind: FailureKind.Cancelled })
        {
            _store.Release(hash, worker);
            log.WriteLine("== interrupted by runner shutdown; back in the queue");
            StageEnded?.Invoke(hash, StageOutcome.Interrupted);
            throw new OperationCanceledException(shutdown);
        }
        var (kind, message) = Classify(e);
        var retry = kind == FailureKind.Transient && RetryPolicy.RetriesAfter(attempt);
        _store.Fail(hash, worker, kind, message, retry);
        if (!retry) _scheduler.Ended();
        log.WriteLine($"== {(retry ? "will retry" : "failed")}: {kind}: {message}");
        if (e is not StageFailedException) log.WriteLine(e.ToString());
        StageEnded?.Invoke(hash, retry ? StageOutcome.Retrying : kind == FailureKind.Cancelled ? StageOutcome.Cancelled : StageOutcome.Failed);
        if (retry) throw new TransientStageException($"{kind}: {message}", e);
        throw new FinalStageException($"{kind}: {message}", e);
    }

    public static (FailureKind Kind, string Message) Classify(Exception e) => e switch
    {
        StageFailedException s => (s.Kind, s.Message),
        OperationCanceledException => (FailureKind.Cancelled, "cancelled by request"),
        OutOfMemoryException => (FailureKind.OutOfMemory, e.Message),
        IOException or TimeoutException or UnauthorizedAccessException => (FailureKind.Transient, $"{e.GetType().Name}: {e.Message}"),
        _ when e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) => (FailureKind.OutOfMemory, e.Message),
        _ => (FailureKind.Error, $"{e.GetType().Name}: {e.Message}"),
    };

    /// <summary>Back to the queue without counting the attempt, if the store can still be written; else a later runner re-queues it.</summary>
    private bool TryRelease(string hash, string worker)
    {
        try { return _store.Release(hash, worker); }
        catch (StoreUnavailableException) { return false; }
    }

    private void TryEnqueue(string hash, string queue)
    {
        try { _scheduler.Released(hash, queue); }
        catch (Exception e) when (e is StoreUnavailableException or InvalidOperationException) { } // the next sweep or `run` finds it Queued
    }

    private static void TryFlush(MetricWriter metrics, TextWriter log)
    {
        try { metrics.Flush(); }
        catch (Exception e) { log.WriteLine($"could not store the last metrics: {e.Message}"); }
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}



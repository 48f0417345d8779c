namespace Ablations.Orchestrator.Scheduling;

/// <summary>
/// Keeps `ablate run`'s local runner alive: a runner that exits (a native crash in a training job, an OOM
/// kill) is started again — its running stage is re-queued by the new runner — and after
/// <paramref name="maxRestarts"/> restarts <see cref="Check"/> gives up with a <see cref="RunnerDiedException"/>
/// naming the log. Finished stages are kept, so the same command resumes.
/// </summary>
public sealed class RunnerSupervisor(Func<LocalRunnerProcess> start, string logPath, Action<int> onRestart, int maxRestarts = 5) : IDisposable
{
    private LocalRunnerProcess _runner = start();

    public int Restarts { get; private set; }

    public LocalRunnerProcess Current => _runner;

    /// <summary>
    /// Restarts the runner if it has exited; throws once it has died more than <c>maxRestarts</c> times. A runner that
    /// exited because the results store is unavailable (exit 3) is not restarted: a new one could record nothing
    /// either, so its message becomes this command's (<see cref="StoreUnavailableException"/>, exit 3).
    /// </summary>
    public void Check()
    {
        if (!_runner.HasExited) return;
        var code = _runner.ExitCode;
        if (code == Commands.Cli.StoreUnavailable)
            throw new Core.Store.StoreUnavailableException(_runner.LastError ?? $"the local runner lost the results store; see {logPath}");
        if (Restarts >= maxRestarts)
            throw new RunnerDiedException($"the local runner died {Restarts + 1} times (last exit code {code}); see {logPath}; finished stages are kept and `ablate run` resumes");
        onRestart(code);
        _runner.Dispose();
        _runner = start();
        Restarts++;
    }

    public void Dispose() => _runner.Dispose();
}

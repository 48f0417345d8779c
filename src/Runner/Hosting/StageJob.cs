using Hangfire;

namespace Ablations.Runner.Hosting;

/// <summary>
/// The Hangfire job for one stage. Retries use Hangfire's own lifecycle: a transient failure throws
/// <see cref="TransientStageException"/> and AutomaticRetry runs it again after a back-off; a final failure throws
/// <see cref="FinalStageException"/>, which is excluded from retries and leaves the job Failed in the dashboard.
/// The results store stays the source of truth for the stage's status.
/// </summary>
public sealed class StageJob(StageExecutionHost host)
{
    [AutomaticRetry(Attempts = StageExecutionHost.MaxAttempts, DelaysInSeconds = [2, 10, 30, 60], ExceptOn = [typeof(FinalStageException)],
        OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public void Run(string stageHash, CancellationToken cancellationToken) => host.Execute(stageHash, cancellationToken);
}

/// <summary>A failure worth another attempt (I/O, a lost worker); the stage is back in Queued.</summary>
public sealed class TransientStageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A failure that retrying cannot fix; the stage is Failed (or Cancelled) with its reason in the store.</summary>
public sealed class FinalStageException(string message, Exception? inner = null) : Exception(message, inner);

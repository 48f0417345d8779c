using Ablations.Core.Scheduling;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace Ablations.Queue;

/// <summary>
/// The Hangfire job for one stage. Retries use Hangfire's own lifecycle, timed by <see cref="RetryPolicy"/>: a
/// transient failure throws <see cref="TransientStageException"/> and runs again after a back-off; a final failure
/// throws <see cref="FinalStageException"/>, which is never retried and leaves the job Failed in the dashboard.
/// The results store stays the source of truth for the stage's status.
/// </summary>
public sealed class StageJob(IStageJobHandler handler)
{
    [StageRetry]
    public void Run(string stageHash, CancellationToken cancellationToken) => handler.Execute(stageHash, cancellationToken);
}

/// <summary><see cref="RetryPolicy"/> as Hangfire's retry filter (an attribute's arguments must be constants; the policy's delays are not).</summary>
internal sealed class StageRetryAttribute : JobFilterAttribute, IElectStateFilter, IApplyStateFilter
{
    private readonly AutomaticRetryAttribute _retry = new()
    {
        // Retries, not attempts; the store's attempt count (which also counts workers that died) says final first.
        Attempts = RetryPolicy.MaxAttempts - 1,
        DelaysInSeconds = RetryPolicy.DelaysInSeconds,
        ExceptOn = [typeof(FinalStageException)],
        OnAttemptsExceeded = AttemptsExceededAction.Fail,
    };

    public void OnStateElection(ElectStateContext context) => _retry.OnStateElection(context);

    public void OnStateApplied(ApplyStateContext context, Hangfire.Storage.IWriteOnlyTransaction transaction) => _retry.OnStateApplied(context, transaction);

    public void OnStateUnapplied(ApplyStateContext context, Hangfire.Storage.IWriteOnlyTransaction transaction) => _retry.OnStateUnapplied(context, transaction);
}

namespace Ablations.Core.Scheduling;

/// <summary>
/// The one retry policy of a stage. A transient failure (I/O, a lost worker) is tried again after a growing delay, up to
/// <see cref="MaxAttempts"/> attempts in all; any other failure is final at once. The execution host decides which a
/// failure is (throwing <see cref="TransientStageException"/> or <see cref="FinalStageException"/>); the job queue waits
/// the delays.
/// </summary>
public static class RetryPolicy
{
    /// <summary>Attempts of one stage, counted in the store; past it a transient failure is final too.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Seconds before the 1st and the 2nd retry (there are at most <see cref="MaxAttempts"/> − 1).</summary>
    public static readonly int[] DelaysInSeconds = [2, 10];

    /// <summary>True when a transient failure of attempt <paramref name="attempt"/> is worth another one.</summary>
    public static bool RetriesAfter(int attempt) => attempt < MaxAttempts;
}

/// <summary>A failure worth another attempt (I/O, a lost worker); the stage is back in Queued.</summary>
public sealed class TransientStageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A failure that retrying cannot fix; the stage is Failed (or Cancelled) with its reason in the store.</summary>
public sealed class FinalStageException(string message, Exception? inner = null) : Exception(message, inner);

namespace Ablations.Core.Execution;

/// <summary>Why a stage failed. Only <see cref="Transient"/> is retried; the rest fail fast and stay visible.</summary>
public enum FailureKind
{
    /// <summary>Worker lost, I/O trouble, a lock: worth another attempt.</summary>
    Transient,
    /// <summary>The configuration cannot work (bad value, missing input): retrying cannot help.</summary>
    InvalidConfig,
    /// <summary>Training produced NaN or Inf.</summary>
    Diverged,
    OutOfMemory,
    /// <summary>An external program exited non-zero or timed out.</summary>
    ExternalFailure,
    Cancelled,
    /// <summary>Not run because a stage it needs failed.</summary>
    UpstreamFailed,
    /// <summary>An unexpected error in our own code (a bug): not retried.</summary>
    Error,
}

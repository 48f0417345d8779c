namespace Ablations.Core.Execution;

/// <summary>Thrown by a stage executor to fail with a classified reason the store keeps and the CLI shows.</summary>
public sealed class StageFailedException(FailureKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;
}

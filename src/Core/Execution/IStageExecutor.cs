namespace Ablations.Core.Execution;

/// <summary>
/// One stage type (world, teacher, student, command, ...). Execute is synchronous on purpose: TorchSharp's
/// dispose scopes and grad mode are thread-local, so a training job must not hop threads.
/// Throw <see cref="StageFailedException"/> for a classified failure; the host treats IOException as transient,
/// OutOfMemoryException as OutOfMemory, OperationCanceledException as Cancelled and anything else as Error.
/// </summary>
public interface IStageExecutor
{
    string Type { get; }

    void Execute(StageContext context);
}

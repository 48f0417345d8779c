using Ablations.Core.Stages;

namespace Ablations.Core.Execution;

/// <summary>
/// The executor of one stage type of <see cref="StageTypes"/> (world, teacher, student, command, ...). The Runner finds
/// every implementation by reflection, so a new type needs no list to be edited besides its registry entry. Execute is synchronous on purpose: TorchSharp's
/// dispose scopes and grad mode are thread-local, so a training job must not hop threads.
/// Throw <see cref="StageFailedException"/> for a classified failure; the host treats IOException as transient,
/// OutOfMemoryException as OutOfMemory, OperationCanceledException as Cancelled and anything else as Error.
/// </summary>
public interface IStageExecutor
{
    /// <summary>The registry entry this executor runs.</summary>
    StageType Type { get; }

    /// <summary>Whether it runs on torch: the runner loads libtorch before the first such stage, and only then.</summary>
    bool UsesTorch => true;

    void Execute(StageContext context);
}

namespace Ablations.Core.Execution;

/// <summary>
/// This node cannot run stages any more (its GPU is gone, its disk is full): not the stage's fault. The runner puts the
/// stage back on the queue without counting the attempt and stops taking work (exit 3), so other nodes finish the grid.
/// </summary>
public sealed class NodeUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

namespace Ablations.Orchestrator.Scheduling;

/// <summary>The supervised local runner kept crashing (a native fault in a stage?); `run` gives up with a message, not a stack trace.</summary>
public sealed class RunnerDiedException(string message) : Exception(message);

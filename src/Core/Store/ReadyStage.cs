namespace Ablations.Core.Store;

/// <summary>A stage that just became (or still is) due for a job on <see cref="Queue"/>.</summary>
public readonly record struct ReadyStage(string Hash, string Queue);

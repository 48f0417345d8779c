namespace Ablations.Core.Store;

/// <summary>
/// A stage that just became (or still is) due for a job on <see cref="Queue"/>. <see cref="AbandonedJob"/> is the job
/// of an attempt whose worker died: it will never finish, so it is deleted when the new one is enqueued.
/// </summary>
public readonly record struct ReadyStage(string Hash, string Queue, string? AbandonedJob = null);

/// <summary>
/// What <see cref="ResultsStore.Succeed"/> did: recorded the stage (with the dependents it made ready and the stages
/// it took back because they had consumed a different artifact of it), or nothing because the claim was lost, or took
/// the stage back because an input changed while it ran.
/// </summary>
public sealed record Completion(Completion.Outcome Result, IReadOnlyList<ReadyStage> Ready, IReadOnlyList<string> TakenBack)
{
    public enum Outcome { Succeeded, ClaimLost, InputsChanged }

    public static readonly Completion ClaimLost = new(Outcome.ClaimLost, [], []);
    public static readonly Completion InputsChanged = new(Outcome.InputsChanged, [], []);
}

/// <summary>
/// A stage <see cref="ResultsStore.Claim"/> gave to a worker: what running it needs (its type, config and attempt number,
/// its inputs as role → stage hash) and whether points of an earlier attempt are stored (see <see cref="ResultsStore.DeleteMetrics"/>).
/// </summary>
public sealed record ClaimedStage(string Type, string ConfigJson, int Attempts, IReadOnlyDictionary<string, string> Inputs, bool HasMetrics);

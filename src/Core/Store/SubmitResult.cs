namespace Ablations.Core.Store;

/// <summary>
/// What a submit stored. <see cref="Change"/> compares the new revision's runs with the previous revision's by cell and
/// seed; null for an experiment's first revision.
/// </summary>
public sealed record SubmitResult(
    int ExperimentId, int Revision, bool NewRevision, RevisionChange? Change,
    int Runs, int NewRuns, int Stages, int NewStages, int ReusedStages);

/// <summary>Runs of a revision against the one before: cells added, cells whose stage chain changed, unchanged, and cells that left the grid.</summary>
public sealed record RevisionChange(int Added, int Changed, int Unchanged, int Left);

/// <summary>
/// A plan already submitted and finished (<see cref="ResultsStore.Settled"/>): its experiment, current revision, whether
/// a cancel is still requested, and how many of its stages succeeded.
/// </summary>
public sealed record SettledPlan(int ExperimentId, int Revision, bool CancelRequested, int Succeeded);

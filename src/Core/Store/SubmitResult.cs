namespace Ablations.Core.Store;

public sealed record SubmitResult(int ExperimentId, int Runs, int NewRuns, int Stages, int NewStages, int ReusedStages);

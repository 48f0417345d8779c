using Ablations.Core.Execution;

namespace Ablations.Runner.Stages;

/// <summary>Every stage executor by its YAML type name; the runner resolves jobs through this one list.</summary>
public static class StageCatalog
{
    public static IReadOnlyList<IStageExecutor> All() =>
    [
        new CommandStage(),
    ];
}

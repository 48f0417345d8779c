using Ablations.Core.Execution;

namespace Ablations.Runner.Stages;

/// <summary>
/// Every stage executor by its type name — the one place the host resolves stage types through. Unknown
/// names are reported with the valid list.
/// </summary>
public static class StageCatalog
{
    public static IReadOnlyList<IStageExecutor> All { get; } =
    [
        new WorldStage(),
        new TeacherStage(),
        new CaptionerStage(),
        new CaptionsStage(),
        new EmbedStage(),
        new StudentStage(),
        new EvalStage(),
        new CommandStage(),
    ];

    public static IReadOnlyCollection<string> Types => All.Select(e => e.Type).ToList();

    public static bool TryResolve(string type, out IStageExecutor executor)
    {
        executor = All.FirstOrDefault(e => e.Type == type)!;
        return executor is not null;
    }

    public static IStageExecutor Resolve(string type) =>
        TryResolve(type, out var e)
            ? e
            : throw new StageFailedException(FailureKind.InvalidConfig, $"unknown stage type '{type}'; known types: {string.Join(", ", Types)}");
}

using Ablations.Core.Execution;
using Ablations.Core.Stages;

namespace Ablations.Runner.Stages;

/// <summary>
/// Every stage executor of this assembly, one per <see cref="StageTypes"/> entry — the one place the host resolves
/// stage types through. Executors are found by reflection (each class implementing <see cref="IStageExecutor"/>), so
/// adding a stage type is its registry entry plus its executor class; a registry entry without an executor, or two
/// executors for one type, fail when the catalog is first read (and in its test), not when a stage of it arrives.
/// </summary>
public static class StageCatalog
{
    public static IReadOnlyList<IStageExecutor> All { get; } = Discover();

    public static IReadOnlyCollection<string> Types => All.Select(e => e.Type.Name).ToList();

    public static bool TryResolve(string type, out IStageExecutor executor)
    {
        executor = All.FirstOrDefault(e => e.Type.Name == type)!;
        return executor is not null;
    }

    public static IStageExecutor Resolve(string type) =>
        TryResolve(type, out var e)
            ? e
            : throw new StageFailedException(FailureKind.InvalidConfig, $"unknown stage type '{type}'; known types: {string.Join(", ", Types)}");

    private static IReadOnlyList<IStageExecutor> Discover()
    {
        var executors = typeof(StageCatalog).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IStageExecutor).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IStageExecutor)Activator.CreateInstance(t)!)
            .ToList();
        var problems = new List<string>();
        foreach (var type in StageTypes.All)
        {
            var found = executors.Where(e => e.Type == type).Select(e => e.GetType().Name).ToList();
            if (found.Count == 0) problems.Add($"stage type '{type.Name}' has no executor");
            if (found.Count > 1) problems.Add($"stage type '{type.Name}' has {found.Count} executors ({string.Join(", ", found)})");
        }
        foreach (var e in executors.Where(e => !StageTypes.All.Contains(e.Type)))
            problems.Add($"{e.GetType().Name} runs '{e.Type.Name}', which is not in StageTypes.All");
        if (problems.Count > 0) throw new InvalidOperationException("the stage catalog does not match the registry: " + string.Join("; ", problems));
        return executors.OrderBy(e => StageTypes.OrderOf(e.Type.Name)).ToList();
    }
}

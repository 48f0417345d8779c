namespace Ablations.Core.Planning.Pipelines;

/// <summary>Every pipeline by name; a spec's `pipeline:` is resolved here.</summary>
public static class PipelineCatalog
{
    private static readonly IReadOnlyDictionary<string, IPipeline> All =
        new IPipeline[] { new ReinforcedPipeline(), new CommandPipeline(), new UserPipeline() }.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => All.Keys.ToList();

    public static bool TryGet(string name, out IPipeline pipeline) => All.TryGetValue(name, out pipeline!);

    public static IPipeline Get(string name) =>
        All.TryGetValue(name, out var p)
            ? p
            : throw new ArgumentException($"unknown pipeline '{name}'; known pipelines are {string.Join(", ", All.Keys)}", nameof(name));
}

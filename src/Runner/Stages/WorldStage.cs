using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Data.World;

namespace Ablations.Runner.Stages;

/// <summary><c>world</c>: the procedural dataset — pools, high-quality set, zero-shot tasks, retrieval split.</summary>
internal sealed class WorldStage : IStageExecutor
{
    public StageType Type => StageTypes.World;

    public void Execute(StageContext ctx)
    {
        var o = StageSupport.Bind(ctx, WorldOptions.Bind);
        var manifest = WorldGenerator.Generate(o, ctx.OutputDir, ctx.Cancellation, ctx.Progress);
        foreach (var (pool, rows) in manifest.Pools) ctx.Metrics.Final($"{pool}_rows", rows);
        ctx.Metrics.Final("vocabulary", manifest.Vocabulary.Count);
        ctx.Log.WriteLine($"world: {string.Join(", ", manifest.Pools.Select(p => $"{p.Key} {p.Value}"))}, {manifest.Tasks.Count} zero-shot tasks, {manifest.Retrieval} retrieval pairs");
    }
}

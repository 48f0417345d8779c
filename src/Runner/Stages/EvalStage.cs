using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Data.World;
using Ablations.Runner.Evaluation;
using Ablations.Runner.Modeling;

namespace Ablations.Runner.Stages;

/// <summary>
/// <c>eval</c>: zero-shot top-1 per task ("zeroshot_TASK"), their mean ("zeroshot_avg"), and retrieval recall
/// ("i2t_r1", "i2t_r5", "t2i_r1", "t2i_r5") of any CLIP checkpoint (input "model"), teachers and students alike.
/// </summary>
internal sealed class EvalStage : IStageExecutor
{
    public StageType Type => StageTypes.Eval;

    public void Execute(StageContext ctx)
    {
        var o = StageSupport.Bind(ctx, EvalOptions.Bind);
        var device = StageSupport.Device(ctx);
        var world = new WorldData(ctx.Input("world"));
        var tok = world.Manifest.Tokenizer();
        using var model = ModelFiles.LoadClip(ctx.Input("model"), device);
        var tasks = o.Tasks.Count == 0 ? world.Manifest.Tasks : o.Tasks.Select(ZeroShotTask.Get).ToList();
        var scores = new List<double>();
        foreach (var task in tasks)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            var top1 = ZeroShot.Top1(model, tok, task, world.Task(task.Name), world.Manifest.ImageSize, device);
            ctx.Metrics.Final($"zeroshot_{task.Name}", top1);
            scores.Add(top1);
            ctx.Progress(scores.Count / (tasks.Count + 1.0), task.Name);
        }
        ctx.Metrics.Final("zeroshot_avg", scores.Average());
        var recall = Retrieval.Recall(model, tok, world.Pool("retrieval"), world.Manifest.ImageSize, device);
        foreach (var (name, value) in recall) ctx.Metrics.Final(name, value);
        ctx.Log.WriteLine($"eval: zeroshot_avg {scores.Average():0.###}, " + string.Join(", ", tasks.Zip(scores, (t, s) => $"{t.Name} {s:0.###}")));
    }
}

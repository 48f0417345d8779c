using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Data.World;
using Ablations.Runner.Modeling;
using Ablations.Runner.Training;

namespace Ablations.Runner.Stages;

/// <summary><c>teacher</c>: a CLIP model trained from scratch on one pool; its trained logit scale goes in model.json.</summary>
internal sealed class TeacherStage : IStageExecutor
{
    public StageType Type => StageTypes.Teacher;

    public void Execute(StageContext ctx)
    {
        var o = StageSupport.Bind(ctx, TeacherOptions.Bind);
        var device = StageSupport.Device(ctx);
        var world = new WorldData(ctx.Input("world"));
        var tok = world.Manifest.Tokenizer();
        var pool = world.Pool(o.Pool);
        using var model = TorchRuntime.Build(o.Seed, () => Models.NewClip(o.Arch, world.Manifest, tok, device));
        var task = new ClipTrainingTask(model, pool, tok, o.Schedule.BatchSize, o.Seed, world.Manifest.ImageSize, device);
        var steps = Batches.StepsFor(pool.Count, task.BatchSize, o.Schedule.Epochs);
        var loss = Trainer.Run(task, new TrainerOptions(o.Schedule, steps, ctx.ScratchDir), ctx.Metrics, ctx.Progress, ctx.Log, ctx.Cancellation);
        ModelFiles.SaveClip(ctx.OutputDir, model, tok.Kind);
        var card = ModelFiles.ReadCard(ctx.OutputDir);
        ctx.Metrics.Final("train_loss", loss);
        ctx.Metrics.Final("logit_scale", card.LogitScale);
        ctx.Log.WriteLine($"teacher {o.Arch} on {o.Pool}: {steps} steps, final loss {loss:0.###}, trained logit scale {card.LogitScale:0.##}");
    }
}

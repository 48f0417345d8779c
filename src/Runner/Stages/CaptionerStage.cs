using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Data.World;
using Ablations.Runner.Modeling;
using Ablations.Runner.Training;

namespace Ablations.Runner.Stages;

/// <summary>
/// <c>captioner</c>: the caption decoder pretrained on the web pool (it sees pixels only), then optionally
/// fine-tuned on the high-quality set — the paper's "captioner fine-tuning" axis.
/// </summary>
internal sealed class CaptionerStage : IStageExecutor
{
    public StageType Type => StageTypes.Captioner;

    public void Execute(StageContext ctx)
    {
        var o = StageSupport.Bind(ctx, CaptionerOptions.Bind);
        var device = StageSupport.Device(ctx);
        var world = new WorldData(ctx.Input("world"));
        var tok = world.Manifest.Tokenizer();
        using var model = TorchRuntime.Build(o.Seed, () => Models.NewCaptioner(o.Arch, world.Manifest, tok, device));
        var size = world.Manifest.ImageSize;

        var web = world.Pool("web");
        var pretrain = new CaptionTrainingTask(model, web, tok, o.Schedule.BatchSize, o.Seed, size, device);
        var steps = Batches.StepsFor(web.Count, pretrain.BatchSize, o.Schedule.Epochs);
        var phases = o.Finetune ? 2.0 : 1.0;
        var loss = Trainer.Run(pretrain, new TrainerOptions(o.Schedule, steps, ctx.ScratchDir), ctx.Metrics,
            (f, p) => ctx.Progress(f / phases, p), ctx.Log, ctx.Cancellation);
        ctx.Metrics.Final("train_loss", loss);

        if (o.Finetune && o.FinetuneEpochs > 0)
        {
            var hq = world.Pool("hq");
            var ftSchedule = o.Schedule with { Epochs = o.FinetuneEpochs, LearningRate = o.FinetuneLearningRate };
            var finetune = new CaptionTrainingTask(model, hq, tok, ftSchedule.BatchSize, o.Seed + 1, size, device);
            var ftSteps = Batches.StepsFor(hq.Count, finetune.BatchSize, ftSchedule.Epochs);
            var ftLoss = Trainer.Run(finetune, new TrainerOptions(ftSchedule, ftSteps, ctx.ScratchDir, MetricPrefix: "ft_"), ctx.Metrics,
                (f, p) => ctx.Progress(0.5 + f / 2, p), ctx.Log, ctx.Cancellation);
            ctx.Metrics.Final("ft_loss", ftLoss);
        }
        ModelFiles.SaveCaptioner(ctx.OutputDir, model, tok.Kind);
    }
}

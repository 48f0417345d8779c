using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>An image-conditioned caption decoder: pretrained on the web pool, optionally fine-tuned on the high-quality set.</summary>
public sealed record CaptionerOptions(
    string Arch,             // image tower architecture name; the decoder size comes from the same entry
    long Seed,
    ScheduleOptions Schedule,
    bool Finetune,           // fine-tune on the high-quality set after pretraining
    int FinetuneEpochs,      // passes over the high-quality set
    double FinetuneLearningRate)
{
    public static CaptionerOptions Bind(JsonObject? config) => OptionsBinding.BindOrThrow(config, h => Bind(h.Reader));

    internal static CaptionerOptions Bind(ConfigReader r) => new(
        r.String("arch", "cnn-small"), r.Long("seed", 5),
        ScheduleOptions.Bind(r, ScheduleOptions.Default with { Epochs = 4 }),
        r.Bool("finetune", false), r.Int("finetune_epochs", 4, 0, 10_000), r.Double("finetune_lr", 5e-4, 1e-7, 1));

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["arch"] = Arch, ["seed"] = Seed, ["finetune"] = Finetune };
        Schedule.Write(o);
        if (Finetune)
        {
            o["finetune_epochs"] = FinetuneEpochs;
            o["finetune_lr"] = FinetuneLearningRate;
        }
        return o;
    }
}

using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>
/// Stored augmentations: random resized crop + RandAugment-style ops, parameters kept for exact replay. Style
/// <c>ablations</c> (the default) uses our own ops, which never recolour hues; style <c>torchvision</c> draws them as Apple's
/// reinforcement code does (torchvision's RandomResizedCrop box, RandAugment's 14 ops at a magnitude bin of 31), so that
/// the data can be exported as DataCompDR shards that Apple's training code replays to the same pixels.
/// </summary>
public sealed record AugmentOptions(
    int Count,               // augmentations stored per image (DataCompDR-12M: 30, DFNDR-2B: 2)
    double CropScaleMin,     // smallest crop area as a fraction of the image
    int Ops,                 // RandAugment ops applied after the crop
    double Magnitude,        // RandAugment magnitude in [0, 1] (fraction of each op's maximum strength; torchvision: bin round(30 m) of 31)
    long Seed,               // the augmentation of (image id, index) is a pure function of this seed
    string Style = AugmentOptions.Ours)
{
    public const string Ours = "ablations", Torchvision = "torchvision";

    public static AugmentOptions Bind(JsonObject? config) => OptionsBinding.BindOrThrow(config, h => Bind(h.Reader));

    internal static AugmentOptions Bind(ConfigReader r)
    {
        var o = new AugmentOptions(r.Int("count", 4, 1, 1000), r.Double("crop_scale_min", 0.6, 0.05, 1),
            r.Int("ops", 2, 0, 8), r.Double("magnitude", 0.5, 0, 1), r.Long("seed", 17), r.String("style", Ours, [Ours, Torchvision]));
        r.RejectUnknown();
        return o;
    }

    /// <summary>The default style is left out, so that every stage hashed before styles existed keeps its hash.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["count"] = Count, ["crop_scale_min"] = CropScaleMin, ["ops"] = Ops, ["magnitude"] = Magnitude, ["seed"] = Seed };
        if (Style != Ours) o["style"] = Style;
        return o;
    }
}

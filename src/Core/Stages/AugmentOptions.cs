using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>Stored augmentations: random resized crop + RandAugment-style ops, parameters kept for exact replay.</summary>
public sealed record AugmentOptions(
    int Count,               // augmentations stored per image (DataCompDR-12M: 30, DFNDR-2B: 2)
    double CropScaleMin,     // smallest crop area as a fraction of the image
    int Ops,                 // RandAugment ops applied after the crop
    double Magnitude,        // RandAugment magnitude in [0, 1] (fraction of each op's maximum strength)
    long Seed)               // the augmentation of (image id, index) is a pure function of this seed
{
    public static AugmentOptions Bind(JsonObject? config) => OptionsBinding.BindOrThrow(config, h => Bind(h.Reader));

    internal static AugmentOptions Bind(ConfigReader r)
    {
        var o = new AugmentOptions(r.Int("count", 4, 1, 1000), r.Double("crop_scale_min", 0.6, 0.05, 1),
            r.Int("ops", 2, 0, 8), r.Double("magnitude", 0.5, 0, 1), r.Long("seed", 17));
        r.RejectUnknown();
        return o;
    }

    public JsonObject ToJson() => new()
    {
        ["count"] = Count, ["crop_scale_min"] = CropScaleMin, ["ops"] = Ops, ["magnitude"] = Magnitude, ["seed"] = Seed,
    };
}

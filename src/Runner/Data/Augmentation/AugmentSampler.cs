using Ablations.Core.Stages;
using Ablations.Runner.Data.Reinforced;

namespace Ablations.Runner.Data.Augmentation;

/// <summary>
/// Draws augmentation (image id, index) from Rng.For(seed, id, index): the same parameters wherever they are
/// drawn, so every teacher's embed stage and the student agree on what augmentation k of an image is.
/// Ops never flip or recolour hues: position and colour are things the world asks about.
/// </summary>
internal static class AugmentSampler
{
    private static readonly string[] OpNames = ["identity", "brightness", "contrast", "saturation", "posterize", "rotate", "shear_x", "shear_y", "translate_x", "translate_y"];

    public static AugmentParams Sample(AugmentOptions o, int imageSize, long imageId, int index)
    {
        if (o.Style == AugmentOptions.Torchvision) return AugmentParams.Of(TorchvisionStyle(o, imageSize, Rng.For(o.Seed, 0x7f5, imageId, index)));
        var rng = Rng.For(o.Seed, imageId, index);
        var area = imageSize * imageSize * rng.Uniform(o.CropScaleMin, 1);
        var aspect = Math.Exp(rng.Uniform(Math.Log(3.0 / 4), Math.Log(4.0 / 3)));
        var w = Math.Min(imageSize, Math.Round(Math.Sqrt(area * aspect)));
        var h = Math.Min(imageSize, Math.Round(Math.Sqrt(area / aspect)));
        var i = Math.Floor(rng.Uniform(0, imageSize - h + 1));
        var j = Math.Floor(rng.Uniform(0, imageSize - w + 1));
        var ops = new AugmentOp[o.Ops];
        for (var k = 0; k < o.Ops; k++)
        {
            var name = rng.Pick(OpNames);
            var sign = rng.Next(2) == 0 ? -1 : 1;
            var m = o.Magnitude;
            ops[k] = new AugmentOp(name, name switch
            {
                "brightness" or "contrast" or "saturation" => 1 + sign * 0.6 * m,
                "posterize" => 8 - Math.Round(4 * m),
                "rotate" => sign * 30 * m,
                "shear_x" or "shear_y" => sign * 0.3 * m,
                "translate_x" or "translate_y" => sign * 0.25 * m,
                _ => 0,
            });
        }
        return new AugmentParams([i, j, h, w], ops);
    }

    /// <summary>
    /// As Apple's reinforcement draws them with torchvision (the crop box as <see cref="TorchvisionDraw.CropBox"/> draws
    /// it, with area in [crop_scale_min, 1]; RandAugment: an op uniformly from
    /// the 14, its magnitude at bin round(30 × magnitude) of 31, negated with probability 1/2 for the signed ops), from
    /// our generator: the parameters are stored, so the draw need not match torch's generator, only its distribution.
    /// </summary>
    private static DrAugmentation TorchvisionStyle(AugmentOptions o, int size, Rng rng)
    {
        var (top, left, h, w) = TorchvisionDraw.CropBox(rng, size, size, o.CropScaleMin);
        var bin = (int)Math.Round(30 * o.Magnitude);
        var ops = new List<DrOp>();
        for (var k = 0; k < o.Ops; k++)
        {
            var index = rng.Next(DrAugmentation.OpNames.Length);
            var (magnitude, signed) = TorchvisionMagnitude(DrAugmentation.OpNames[index], bin, size);
            if (signed && rng.Next(2) == 1) magnitude = -magnitude;
            ops.Add(new DrOp(index, magnitude));
        }
        return new DrAugmentation(top, left, h, w, ops);
    }

    /// <summary>
    /// torchvision's RandAugment._augmentation_space(31, (size, size)) at one bin, computed in float32 as end × bin / 30
    /// (torch.linspace rounds some bins differently in the last bit; the value stored is the value replayed, so it only
    /// has to be a value of the bin).
    /// </summary>
    private static (double Magnitude, bool Signed) TorchvisionMagnitude(string op, int bin, int size)
    {
        float Lin(float end) => end * bin / 30f;
        return op switch
        {
            "ShearX" or "ShearY" => (Lin(0.3f), true),
            "TranslateX" or "TranslateY" => (Lin(150f / 331f * size), true),
            "Rotate" => (Lin(30f), true),
            "Brightness" or "Color" or "Contrast" or "Sharpness" => (Lin(0.9f), true),
            "Posterize" => (8 - (int)Math.Round(bin / 7.5, MidpointRounding.ToEven), false),
            "Solarize" => (255f - Lin(255f), false),
            _ => (0, false),
        };
    }
}

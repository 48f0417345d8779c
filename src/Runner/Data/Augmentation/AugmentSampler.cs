using Ablations.Core.Stages;

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
}

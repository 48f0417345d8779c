using Ablations.Runner.Data;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.Reinforced;

namespace Ablations.Bench;

/// <summary>
/// Augmentations drawn as DataCompDR's generator drew them (Apple's reinforcement config: RandomResizedCrop with scale
/// 0.08–1 and ratio 3/4–4/3 on the original image, then RandAugment with 2 ops at magnitude 9 of 31 bins for a 224
/// image, signed at random), for the replay and pipeline benchmarks.
/// </summary>
internal static class DataCompDrDraws
{
    /// <summary>RandAugment's value of each op at magnitude 9 of 31 for a 224 image: torch's float32 bins widened to double, as stored.</summary>
    public static readonly double[] Magnitude9 =
    [
        0.0, 0.09000000357627869, 0.09000000357627869, 30.45317268371582, 30.45317268371582, 9.0,
        0.26999998092651367, 0.26999998092651367, 0.26999998092651367, 0.26999998092651367, 7.0, 178.5, 0.0, 0.0,
    ];

    private static readonly bool[] Signed = [false, true, true, true, true, true, true, true, true, true, false, false, false, false];

    public static DrAugmentation Draw(Rng rng, int width, int height)
    {
        var (top, left, h, w) = TorchvisionDraw.CropBox(rng, width, height, 0.08);
        var ops = new List<DrOp>();
        for (var k = 0; k < 2; k++)
        {
            var op = rng.Next(DrAugmentation.OpNames.Length);
            ops.Add(new DrOp(op, Signed[op] && rng.Next(2) == 1 ? -Magnitude9[op] : Magnitude9[op]));
        }
        return new DrAugmentation(top, left, h, w, ops);
    }
}

using System.Diagnostics;
using System.Globalization;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.Images;
using Ablations.Runner.Data.Reinforced;

namespace Ablations.Bench;

/// <summary>
/// DataCompDR replay on one thread: milliseconds per sample of <see cref="DrReplay.Apply"/> at the training size
/// (224, bicubic) from a 500×375 image, the crop boxes drawn as RandomResizedCrop draws them (scale 0.08–1, ratio
/// 3/4–4/3) and two RandAugment ops at magnitude 9 with random signs, as DataCompDR's generator drew them; the crop
/// and resize alone; each op alone on a 224 image; and <see cref="DrReplay.ToChw"/>. Outputs go into one kept image
/// (<see cref="DrReplay.ApplyInto"/>), as a loader would replay them, except on the line that measures Apply.
/// Usage: dr-replay [--samples N] [--size S]
/// </summary>
internal static class DrReplayBenchmark
{
    public static int Run(string[] args)
    {
        int samples = 2000, size = 224;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--samples": samples = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--size": size = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}; options: --samples N, --size S"); return 2;
            }
        }

        var source = new RgbImage(500, 375, new byte[500 * 375 * 3]);
        new Random(5).NextBytes(source.Pixels);
        var rng = Ablations.Runner.Data.Rng.For(5);
        var drawn = Enumerable.Range(0, samples).Select(_ => DataCompDrDraws.Draw(rng, source.Width, source.Height)).ToArray();
        var plain = drawn.Select(a => a with { Ops = [] }).ToArray();

        Console.WriteLine($"replay at {size} px from {source.Width}×{source.Height}, bicubic, one thread, {samples} samples");
        var output = RgbImage.Blank(size, size);
        Report("crop + resize", Time(plain, a => { DrReplay.ApplyInto(source, a, output, DrInterpolation.Bicubic); return output; }));
        Report("crop + resize + 2 ops (as drawn)", Time(drawn, a => { DrReplay.ApplyInto(source, a, output, DrInterpolation.Bicubic); return output; }));
        Report("the same through Apply (a new output each time)", Time(drawn, a => DrReplay.Apply(source, a, size, DrInterpolation.Bicubic)));

        var square = DrReplay.Apply(source, new DrAugmentation(0, 0, source.Height, source.Width, []), size, DrInterpolation.Bicubic);
        for (var op = 1; op < DrAugmentation.OpNames.Length; op++)
        {
            var aug = new DrAugmentation(0, 0, size, size, [new DrOp(op, DataCompDrDraws.Magnitude9[op])]);
            Report($"  {DrAugmentation.OpNames[op]} alone (a copy of the {size} image included)",
                Time(Enumerable.Repeat(aug, Math.Max(200, samples / 4)).ToArray(), a => { DrReplay.ApplyInto(square, a, output, DrInterpolation.Bicubic); return output; }));
        }

        var chw = new float[3 * size * size];
        float[] mean = [0.48145466f, 0.4578275f, 0.40821073f], std = [0.26862954f, 0.26130258f, 0.27577711f];
        Report("ToChw", Time(plain, _ => { DrReplay.ToChw(square, chw, mean, std); return square; }));
        return 0;
    }

    private static double[] Time(DrAugmentation[] augs, Func<DrAugmentation, RgbImage> replay)
    {
        foreach (var a in augs.Take(50)) replay(a); // JIT and tiering
        var ms = new double[augs.Length];
        for (var i = 0; i < augs.Length; i++)
        {
            var t = Stopwatch.GetTimestamp();
            replay(augs[i]);
            ms[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        return ms;
    }

    private static void Report(string what, double[] ms)
    {
        Array.Sort(ms);
        Console.WriteLine($"{what}: median {ms[ms.Length / 2]:F3} ms, p90 {ms[ms.Length * 9 / 10]:F3} ms, mean {ms.Average():F3} ms per sample");
    }
}

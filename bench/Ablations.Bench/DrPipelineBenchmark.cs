using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.Images;
using Ablations.Runner.Data.Reinforced;
using Ablations.Runner.Modeling;
using Ablations.Runner.Training;
using static TorchSharp.torch;

namespace Ablations.Bench;

/// <summary>
/// The DataCompDR data pipeline per sample on one core, as a dr_student runs it: decode a real JPEG (512×384, quality
/// 90), replay a stored augmentation at 224 px (bicubic crop, two RandAugment ops at magnitude 9 as DataCompDR's
/// generator drew them), ToTensor + Normalize — side by side with the same work in Python (PIL 9.4 + torchvision 0.14,
/// bench/dr_pipeline_peer.py, Apple's preprocess_dr path), rounds alternated; then the training step's need: samples
/// per second that one core trains a 224 px student at (cnn-224, vit-224; forward and backward of the CLIP loss,
/// batch 32, one torch thread), so the ratio says how many cores of decoding one core of training keeps busy.
/// Usage: dr-pipeline [--samples N] [--rounds R]
/// </summary>
internal static class DrPipelineBenchmark
{
    public static int Run(string[] args)
    {
        int samples = 400, rounds = 5;
        for (var i = 0; i + 1 < args.Length; i += 2)
            switch (args[i])
            {
                case "--samples": samples = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}; options: --samples N, --rounds R"); return 2;
            }
        var root = Root();
        if (root is null) { Console.Error.WriteLine("run from inside the repository (tests/fixtures/images is needed)"); return 2; }
        if (!File.Exists("/usr/bin/python3")) { Console.Error.WriteLine("the peer needs Debian's python3-torchvision and python3-pil"); return 2; }

        // Real JPEGs: the 512×384 fixture and three more encoded from shifted copies of it, each ~40 KB.
        var first = File.ReadAllBytes(Path.Combine(root, "tests", "fixtures", "images", "bench-512x384.jpg"));
        var decoded = ImageDecoder.Decode(first);
        var jpegs = new List<byte[]> { first };
        for (var s = 1; s < 4; s++)
        {
            var shifted = new byte[decoded.Pixels.Length];
            for (var p = 0; p < shifted.Length; p++) shifted[p] = (byte)(decoded.Pixels[p] + 37 * s);
            jpegs.Add(ImageDecoder.EncodeJpeg(new RgbImage(decoded.Width, decoded.Height, shifted), 90));
        }
        var rng = Ablations.Runner.Data.Rng.For(12);
        var drawn = Enumerable.Range(0, samples).Select(_ => (Image: rng.Next(jpegs.Count), Aug: DataCompDrDraws.Draw(rng, decoded.Width, decoded.Height))).ToList();
        var cases = Path.Combine(Path.GetTempPath(), $"dr-pipeline-{Environment.ProcessId}.json");
        File.WriteAllText(cases, JsonSerializer.Serialize(new
        {
            size = 224,
            images = jpegs.Select(j => new { jpeg = Convert.ToBase64String(j) }),
            samples = drawn.Select(d => new { image = d.Image, box = new[] { d.Aug.Top, d.Aug.Left, d.Aug.Height, d.Aug.Width }, ops = d.Aug.Ops.Select(o => new object[] { o.Index, o.Magnitude }) }),
        }));

        var ours = new List<double>();
        var peer = new List<double>();
        var output = RgbImage.Blank(224, 224);
        var chw = new float[3 * 224 * 224];
        try
        {
            for (var r = 0; r < rounds; r++)
            {
                var clock = Stopwatch.StartNew();
                foreach (var (k, aug) in drawn)
                {
                    DrReplay.ApplyInto(ImageDecoder.Decode(jpegs[k]), aug, output, DrInterpolation.Bicubic);
                    DrReplay.ToChw(output, chw, DrTrainingTask.Mean, DrTrainingTask.Std);
                }
                ours.Add(clock.Elapsed.TotalMilliseconds / samples);
                peer.Add(Peer(root, cases));
            }
        }
        finally
        {
            File.Delete(cases);
        }
        var o = Median(ours);
        var p2 = Median(peer);
        Console.WriteLine($"decode + replay + normalise, 224 px, 1 thread, {samples} samples × {rounds} rounds (alternated):");
        Console.WriteLine($"  ours (SkiaSharp + DrReplay)      {o,7:F3} ms/sample  {1000 / o,6:F0} samples/s per core   (rounds: {string.Join(" ", ours.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"  PIL 9.4 + torchvision 0.14       {p2,7:F3} ms/sample  {1000 / p2,6:F0} samples/s per core   (rounds: {string.Join(" ", peer.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"  ours ÷ peer time: {o / p2:F2}");

        TorchRuntime.RequestThreads(1);
        foreach (var arch in new[] { "cnn-224", "vit-224" })
        {
            var perSample = TrainingStepMs(arch, 32, 4) / 32;
            Console.WriteLine($"training step need, {arch} at 224 px, batch 32, 1 torch thread: {perSample:F1} ms/sample = {1000 / perSample:F1} samples/s; " +
                              $"one core of our pipeline feeds {perSample / o:F0} such cores of training");
        }
        return 0;
    }

    private static double Peer(string root, string cases)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(root, "bench", "dr_pipeline_peer.py"), cases, "1"]) { RedirectStandardOutput = true };
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(psi)!;
        var line = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"the peer failed (exit {p.ExitCode}); it needs python3-torchvision and python3-pil");
        return double.Parse(line, CultureInfo.InvariantCulture);
    }

    private static double TrainingStepMs(string arch, int batch, int steps)
    {
        using var model = TorchRuntime.Build(1, () => new ClipModel(new ModelSpec(arch, 224, 50259, 32, 50256)));
        var times = new List<double>();
        for (var s = 0; s < steps + 1; s++)
        {
            using var scope = NewDisposeScope();
            var images = rand(batch, 3, 224, 224);
            var tokens = randint(0, 50256, [batch, 32]);
            var clock = Stopwatch.StartNew();
            var loss = ClipLoss.Compute(model.EncodeImage(images), model.EncodeText(tokens), model.Scale());
            loss.backward();
            model.zero_grad();
            if (s > 0) times.Add(clock.Elapsed.TotalMilliseconds); // the first step warms up the allocator
        }
        return Median(times);
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s[s.Count / 2];
    }

    private static string? Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Ablations.sln"))) return dir.FullName;
        return null;
    }
}

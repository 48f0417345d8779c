using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Ablations.Runner.Data.Images;
using ImageMagick;

namespace Ablations.Bench;

/// <summary>
/// Issue 12: decoding real images. The chosen decoder (<see cref="ImageDecoder"/>, SkiaSharp 3.119) and the runner-up
/// (Magick.NET-Q8 15.1, the only other candidate whose JPEG pixels equal PIL's) side by side in one process, on one
/// thread. First the exactness of both against PIL 9.4 on the JPEG fixtures of tests/fixtures/images (max and mean
/// |Δ| per sample), then decoded images per second per core on two sets: the 8 small fixture JPEGs (40–64 px, 4:2:0,
/// 4:2:2, 4:4:4, progressive, grey, CMYK) and 512×384 quality-90 4:2:0 JPEGs (the fixture PIL made, and
/// <c>--generated</c> more written by <see cref="ImageDecoder.EncodeJpeg"/> from seeded photo-like pixels). A decode
/// is encoded bytes → 8-bit RGB HWC array, what the reader needs. Libraries alternate in rounds (order rotating), each
/// round decoding the whole set for about <c>--ms</c> milliseconds per library; the figure is the median over
/// rounds, and images per CPU-second (process CPU time) stand beside it. No target: the exit code is 0 unless a
/// fixture is missing.
/// Usage: decode [--rounds R] [--ms M] [--generated N]   (defaults 9, 400, 4)
/// </summary>
internal static class ImageDecodeBenchmark
{
    private sealed record Library(string Name, Func<byte[], byte[]> Decode);

    public static int Run(string[] args)
    {
        int Option(string name, int fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var (rounds, ms, generated) = (Option("--rounds", 9), Option("--ms", 400), Option("--generated", 4));
        var folder = FixtureFolder();
        if (folder is null)
        {
            Console.Error.WriteLine("decode: tests/fixtures/images not found above the working directory or the program");
            return 2;
        }

        ResourceLimits.Thread = 1;
        Library[] libraries =
        [
            new("skia", bytes => ImageDecoder.Decode(bytes).Pixels),
            new("magick", bytes =>
            {
                using var img = new MagickImage(bytes);
                img.Depth = 8;
                return img.ToByteArray(MagickFormat.Rgb);
            }),
        ];
        Console.WriteLine($"decode: one thread, {Environment.ProcessorCount} logical CPUs, {rounds} rounds of ~{ms} ms per library and set; " +
                          $"SkiaSharp {typeof(SkiaSharp.SKCodec).Assembly.GetName().Version}, {MagickNET.Version}");

        var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "cases.json"))).RootElement.GetProperty("cases")
            .EnumerateArray().Where(c => c.GetProperty("file").GetString()!.EndsWith(".jpg", StringComparison.Ordinal)).ToList();
        Console.WriteLine();
        Console.WriteLine($"{"exactness against PIL 9.4",-28} {"size",-9} {libraries[0].Name,-26} {libraries[1].Name,-26}");
        foreach (var c in cases)
        {
            var file = c.GetProperty("file").GetString()!;
            var bytes = File.ReadAllBytes(Path.Combine(folder, file));
            var expected = c.TryGetProperty("rgb", out var rgb) ? File.ReadAllBytes(Path.Combine(folder, rgb.GetString()!)) : null;
            var verdicts = libraries.Select(l => Exactness(l.Decode(bytes), expected, c.GetProperty("rgb_sha256").GetString()!));
            Console.WriteLine($"{file,-28} {c.GetProperty("width").GetInt32() + "×" + c.GetProperty("height").GetInt32(),-9} {string.Join(" ", verdicts.Select(v => $"{v,-26}"))}");
        }

        var small = cases.Where(c => c.GetProperty("width").GetInt32() <= 64).Select(c => File.ReadAllBytes(Path.Combine(folder, c.GetProperty("file").GetString()!))).ToList();
        var large = new List<byte[]> { File.ReadAllBytes(Path.Combine(folder, "bench-512x384.jpg")) };
        for (var k = 0; k < generated; k++) large.Add(ImageDecoder.EncodeJpeg(Photo(512, 384, 100 + k), 90));
        Console.WriteLine();
        Console.WriteLine($"{"set",-40} {"library",-8} {"ms/image",9} {"images/s/core",14} {"images/CPU-s",13}");
        foreach (var (name, set) in new[] { ($"small fixtures ({small.Count} JPEGs, 40–64 px)", small), ($"512×384 q90 4:2:0 ({large.Count} JPEGs, {large.Sum(b => b.Length) / large.Count / 1024} KB avg)", large) })
        {
            var results = Measure(libraries, set, rounds, ms);
            foreach (var (lib, wall, cpu) in results)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} {lib,-8} {wall * 1e3,9:F3} {1 / wall,14:F0} {1 / cpu,13:F0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-40} {libraries[0].Name + "/" + libraries[1].Name + " speed",-24} {results[1].Wall / results[0].Wall,9:F2}×"));
        }
        return 0;
    }

    /// <summary>Seconds of wall time and of process CPU time per image, medians over rounds.</summary>
    private static List<(string Name, double Wall, double Cpu)> Measure(Library[] libraries, List<byte[]> set, int rounds, int ms)
    {
        var wall = libraries.ToDictionary(l => l.Name, _ => new List<double>());
        var cpu = libraries.ToDictionary(l => l.Name, _ => new List<double>());
        var passes = libraries.ToDictionary(l => l.Name, l => Calibrate(l, set, ms));
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < libraries.Length; k++)
            {
                var lib = libraries[(round + k) % libraries.Length];
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var t0 = Stopwatch.GetTimestamp();
                for (var p = 0; p < passes[lib.Name]; p++)
                    foreach (var bytes in set) lib.Decode(bytes);
                var images = (double)passes[lib.Name] * set.Count;
                wall[lib.Name].Add(Stopwatch.GetElapsedTime(t0).TotalSeconds / images);
                cpu[lib.Name].Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / images);
            }
        }
        return libraries.Select(l => (l.Name, Median(wall[l.Name]), Median(cpu[l.Name]))).ToList();
    }

    /// <summary>Passes over the set that take about <paramref name="ms"/> milliseconds, after a warm-up pass.</summary>
    private static int Calibrate(Library lib, List<byte[]> set, int ms)
    {
        foreach (var bytes in set) lib.Decode(bytes);
        var t0 = Stopwatch.GetTimestamp();
        var passes = 0;
        while (Stopwatch.GetElapsedTime(t0).TotalMilliseconds < ms / 4.0)
        {
            foreach (var bytes in set) lib.Decode(bytes);
            passes++;
        }
        return Math.Max(1, passes * 4);
    }

    private static string Exactness(byte[] actual, byte[]? expected, string sha256)
    {
        if (expected is null) return Convert.ToHexStringLower(SHA256.HashData(actual)) == sha256 ? "exact (SHA-256)" : "differs (SHA-256)";
        if (actual.Length != expected.Length) return $"{actual.Length} bytes, not {expected.Length}";
        int max = 0;
        long sum = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var d = Math.Abs(actual[i] - expected[i]);
            max = Math.Max(max, d);
            sum += d;
        }
        return max == 0 ? "exact" : string.Create(CultureInfo.InvariantCulture, $"max {max}, mean {(double)sum / actual.Length:F4}");
    }

    /// <summary>Photo-like pixels as make_fixtures.py draws them: colour waves, flat discs, noise.</summary>
    private static RgbImage Photo(int width, int height, int seed)
    {
        var rng = new Random(seed);
        double Uniform(double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
        var waves = Enumerable.Range(0, 12).Select(_ => (Fx: Uniform(-0.12, 0.12), Fy: Uniform(-0.12, 0.12), Phase: Uniform(0, 2 * Math.PI), Amp: Uniform(15, 45))).ToArray();
        var bases = Enumerable.Range(0, 3).Select(_ => Uniform(70, 180)).ToArray();
        var discs = Enumerable.Range(0, 6).Select(_ => (X: Uniform(0, width), Y: Uniform(0, height), R: Uniform(3, height / 3.0),
            Colour: new[] { Uniform(0, 255), Uniform(0, 255), Uniform(0, 255) })).ToArray();
        var img = RgbImage.Blank(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        for (var c = 0; c < 3; c++)
        {
            var v = bases[c];
            for (var w = 4 * c; w < 4 * c + 4; w++) v += waves[w].Amp * Math.Sin(waves[w].Fx * x + waves[w].Fy * y + waves[w].Phase);
            foreach (var d in discs)
                if ((x - d.X) * (x - d.X) + (y - d.Y) * (y - d.Y) < d.R * d.R) v = d.Colour[c];
            v += 5 * (rng.NextDouble() + rng.NextDouble() + rng.NextDouble() - 1.5) * 2;
            img.Pixels[(y * width + x) * 3 + c] = (byte)Math.Clamp(Math.Round(v), 0, 255);
        }
        return img;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string? FixtureFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Ablations.sln")))
                    return Path.Combine(dir.FullName, "tests", "fixtures", "images");
        return null;
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.Images;
using Ablations.Runner.Data.Reinforced;
using Ablations.Runner.Tests.Support;

namespace Ablations.Runner.Tests.Data.Augmentation;

/// <summary>
/// DrReplay against torchvision 0.14 on Pillow 9.4 (Debian 12's), the stack Apple's training code replays DataCompDR
/// augmentations with: tests/fixtures/dr-replay/make_fixtures.py ran every case of cases.json through
/// <c>F.resized_crop</c> and <c>_apply_op</c> and stored the outputs as raw RGB. Every case must match byte for byte:
/// no tolerance anywhere. DrReplay's vector loops and their scalar fallbacks must agree too; run these tests once with
/// <c>DOTNET_EnableHWIntrinsic=0</c> to check the fallbacks (they passed on 2026-12-06).
/// </summary>
public sealed class DrReplayTests
{
    private static readonly Lazy<Fixtures> Data = new(Fixtures.Load);

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in Data.Value.Cases.Keys) names.Add(c);
        return names;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Apply_FixtureCase_MatchesTorchvisionExactly(string name)
    {
        var c = Data.Value.Cases[name];
        var actual = DrReplay.Apply(Data.Value.Images[c.Image], c.Aug, c.Size, c.Interpolation);

        Assert.Equal(c.Size, actual.Width);
        Assert.Equal(c.Size, actual.Height);
        if (c.Expected is null)
        {
            // A training-size case: only its hash is stored (the small cases locate a difference).
            Assert.Equal(c.Sha256, Convert.ToHexStringLower(SHA256.HashData(actual.Pixels)));
            return;
        }
        var (differing, maxDiff, first) = Compare(c.Expected, actual.Pixels);
        Assert.True(differing == 0,
            $"{name}: {differing} of {actual.Pixels.Length} bytes differ from torchvision's, by up to {maxDiff} levels; " +
            $"first at pixel ({first / 3 % c.Size}, {first / 3 / c.Size}) channel {first % 3}");
    }

    [Fact]
    public void Fixtures_CoverEveryOpBothInterpolationsAndPaddedCrops()
    {
        var cases = Data.Value.Cases.Values.ToList();
        var ops = cases.SelectMany(c => c.Aug.Ops).Select(o => o.Index).ToHashSet();
        Assert.Equal(DrAugmentation.OpNames.Length, ops.Count);
        Assert.Contains(cases, c => c.Interpolation == DrInterpolation.Bilinear);
        Assert.Contains(cases, c => c.Interpolation == DrInterpolation.Bicubic);
        Assert.Contains(cases, c => c.Aug.Top < 0 || c.Aug.Left < 0);
        Assert.Contains(cases, c => c.Aug.Ops.Count == 2);
        Assert.Contains(cases, c => c.Size == 224 && c.Aug.Width > 2 * 224);
        Assert.True(cases.Count >= 100);
    }

    [Fact]
    public void ToChw_MatchesToTensorThenNormalizeBitExactly()
    {
        var (caseName, expected, mean, std) = Data.Value.ToChw;
        var c = Data.Value.Cases[caseName];
        var img = DrReplay.Apply(Data.Value.Images[c.Image], c.Aug, c.Size, c.Interpolation);
        var chw = new float[3 * c.Size * c.Size];

        DrReplay.ToChw(img, chw, mean, std);

        Assert.Equal(expected.Length, chw.Length);
        for (var i = 0; i < chw.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(chw[i]), $"float {i}: {chw[i]:R} vs torch's {expected[i]:R}");
    }

    [Fact]
    public void ApplyInto_ReusedOutput_MatchesApply()
    {
        // One geometric op leaves the result in the spare buffer, two bring it back: both paths, into one output.
        var large = Data.Value.Cases.Values.Where(c => c.Size == 224 && c.Aug.Ops.Count > 0).ToList();
        var output = RgbImage.Blank(224, 224);
        foreach (var c in large.Concat(large))
        {
            DrReplay.ApplyInto(Data.Value.Images[c.Image], c.Aug, output, c.Interpolation);
            Assert.Equal(DrReplay.Apply(Data.Value.Images[c.Image], c.Aug, 224, c.Interpolation).Pixels, output.Pixels);
        }
    }

    private static (int Differing, int MaxDiff, int First) Compare(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int differing = 0, maxDiff = 0, first = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            var d = Math.Abs(expected[i] - actual[i]);
            if (d == 0) continue;
            if (first < 0) first = i;
            differing++;
            maxDiff = Math.Max(maxDiff, d);
        }
        return (differing, maxDiff, first);
    }

    /// <summary>make_fixtures.py's 640×480 image "d", which exists only as this formula (in the script as in here).</summary>
    private static RgbImage FormulaImage()
    {
        const int w = 640, h = 480;
        var img = RgbImage.Blank(w, h);
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var t = ((x - 420) * (x - 420) + (y - 170) * (y - 170)) >> 7;
            int r = x * 255 / (w - 1), g = ((t >> 8) & 1) == 0 ? t & 255 : 255 - (t & 255), b = y * 255 / (h - 1);
            if ((x - 160) * (x - 160) + (y - 140) * (y - 140) < 80 * 80) (r, g, b) = (250, 250, 250);
            if (y is >= 300 and < 400 && x is >= 60 and < 280) (r, g, b) = (255, 200, 0);
            if (y % 32 == 0 || x % 40 == 0) (r, g, b) = (0, 0, 0);
            int[] rgb = [r, g, b];
            for (var c = 0; c < 3; c++)
            {
                if (y is >= 200 and < 280 && x is >= 300 and < 380)
                {
                    var noise = unchecked((uint)x * 73856093u ^ (uint)y * 19349663u ^ (uint)c * 83492791u);
                    rgb[c] = (int)(unchecked(noise * 2654435761u) >> 24);
                }
                img.Pixels[(y * w + x) * 3 + c] = (byte)rgb[c];
            }
        }
        return img;
    }

    private sealed record Case(string Image, DrAugmentation Aug, int Size, DrInterpolation Interpolation, byte[]? Expected, string? Sha256);

    private sealed record Fixtures(
        Dictionary<string, RgbImage> Images,
        Dictionary<string, Case> Cases,
        (string Case, float[] Expected, float[] Mean, float[] Std) ToChw)
    {
        public static Fixtures Load()
        {
            var dir = FixtureDir();
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "cases.json")));
            var root = doc.RootElement;
            var images = new Dictionary<string, RgbImage>();
            foreach (var im in root.GetProperty("images").EnumerateArray())
            {
                var file = im.GetProperty("file").GetString()!;
                images[file] = file == "formula:d"
                    ? FormulaImage()
                    : new RgbImage(im.GetProperty("width").GetInt32(), im.GetProperty("height").GetInt32(), File.ReadAllBytes(Path.Combine(dir, file)));
                if (im.TryGetProperty("sha256", out var sha) && Convert.ToHexStringLower(SHA256.HashData(images[file].Pixels)) != sha.GetString())
                    throw new InvalidDataException($"cases.json: image {file} is not the one make_fixtures.py made (SHA-256 differs)");
            }
            var cases = new Dictionary<string, Case>();
            foreach (var c in root.GetProperty("cases").EnumerateArray())
            {
                var interpolation = c.GetProperty("interpolation").GetString() switch
                {
                    "bilinear" => DrInterpolation.Bilinear,
                    "bicubic" => DrInterpolation.Bicubic,
                    var other => throw new InvalidDataException($"cases.json: unknown interpolation '{other}'"),
                };
                cases.Add(c.GetProperty("name").GetString()!, new Case(
                    c.GetProperty("image").GetString()!,
                    DrAugmentation.FromJson(c.GetProperty("param_aug")),
                    c.GetProperty("size").GetInt32(),
                    interpolation,
                    c.TryGetProperty("output", out var output) ? File.ReadAllBytes(Path.Combine(dir, output.GetString()!)) : null,
                    c.TryGetProperty("output_sha256", out var hash) ? hash.GetString() : null));
            }
            var t = root.GetProperty("tochw");
            var raw = File.ReadAllBytes(Path.Combine(dir, t.GetProperty("file").GetString()!));
            var expected = new float[raw.Length / 4];
            Buffer.BlockCopy(raw, 0, expected, 0, raw.Length); // little-endian float32, as the script writes it
            float[] Floats(string key) => t.GetProperty(key).EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
            return new Fixtures(images, cases, (t.GetProperty("case").GetString()!, expected, Floats("mean"), Floats("std")));
        }

        private static string FixtureDir() => Path.Combine(RepoFiles.Root, "tests", "fixtures", "dr-replay");
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Ablations.Runner.Data.Images;
using Ablations.Runner.Tests.Support;

namespace Ablations.Runner.Tests.Data.Images;

/// <summary>
/// <see cref="ImageDecoder"/> against the pixels Debian 12's PIL 9.4 gives for each file of tests/fixtures/images
/// (written by make_fixtures.py: <c>Image.open(f).convert('RGBA').convert('RGB')</c>, Apple's pilrgba path). The
/// tolerance is zero for every case, JPEGs included: Skia's libjpeg-turbo (2.1.5.1) runs the same integer IDCT,
/// fancy upsampling and colour conversion as PIL's (2.1.5), so the pixels are equal, not merely close.
/// </summary>
public sealed class ImageDecoderTests
{
    private static readonly string Folder = RepoFile("tests/fixtures/images");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in ReadCases()) data.Add(c.GetProperty("file").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_Fixture_GivesPilsPixelsExactly(string file)
    {
        var c = ReadCases().Single(x => x.GetProperty("file").GetString() == file);
        var img = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(Folder, file)));

        Assert.Equal(c.GetProperty("width").GetInt32(), img.Width);
        Assert.Equal(c.GetProperty("height").GetInt32(), img.Height);
        if (c.TryGetProperty("rgb", out var rgb))
        {
            var expected = File.ReadAllBytes(Path.Combine(Folder, rgb.GetString()!));
            var (max, mean, differing) = Difference(expected, img.Pixels);
            Assert.True(max == 0, $"{file} ({c.GetProperty("note").GetString()}): max |Δ| {max}, mean {mean:F4}, {differing} of {expected.Length} samples differ from PIL");
        }
        Assert.Equal(c.GetProperty("rgb_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(img.Pixels)));
    }

    /// <summary>
    /// Cut in the signature, the headers, half way and near the end: the decoder refuses exactly the cuts PIL refused
    /// (cases.json's "error"), and where PIL still decodes (a PNG missing only IEND, a JPEG missing only EOI) gives PIL's pixels.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_TruncatedFixture_RefusesWhatPilRefused(string file)
    {
        var c = ReadCases().Single(x => x.GetProperty("file").GetString() == file);
        var bytes = File.ReadAllBytes(Path.Combine(Folder, file));
        foreach (var cut in c.GetProperty("truncated").EnumerateArray())
        {
            var keep = bytes[..cut.GetProperty("bytes").GetInt32()];
            var pil = cut.GetProperty("pil").GetString();
            if (pil == "error")
            {
                var e = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(keep));
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
            else Assert.Equal(pil, Convert.ToHexStringLower(SHA256.HashData(ImageDecoder.Decode(keep).Pixels)));
        }
    }

    [Fact]
    public void Decode_TruncatedJpeg_SaysTruncated()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Folder, "bench-512x384.jpg"));
        var e = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(bytes.AsSpan(0, bytes.Length / 2)));
        Assert.Contains("truncated Jpeg of 512×384", e.Message);
    }

    [Fact]
    public void Decode_Garbage_ThrowsInvalidData()
    {
        var random = new byte[4096];
        new Random(12).NextBytes(random);
        byte[][] inputs =
        [
            [],
            random,
            [0xFF, 0xD8, 0xFF, .. random],
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. random],
            "GIF89a"u8.ToArray(),
        ];
        foreach (var input in inputs)
            Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(input));
    }

    [Fact]
    public void Decode_PngWithCorruptImageData_ThrowsInvalidData()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Folder, "png-rgb.png"));
        var idat = bytes.AsSpan().IndexOf("IDAT"u8);
        for (var i = idat + 8; i < idat + 40; i++) bytes[i] ^= 0x5A;
        Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(bytes));
    }

    /// <summary>
    /// 3,000 seeded corruptions of the small fixtures (1–8 random bytes replaced, a quarter also cut short): each either
    /// decodes or throws <see cref="InvalidDataException"/>. A crash of the native decoder would end the test process
    /// instead, and a hang would stop the test; how long a decode takes is the benchmark's business, not a test's.
    /// </summary>
    [Fact]
    public void Decode_CorruptedFixtures_DecodeOrThrowInvalidDataOnly()
    {
        var files = ReadCases().Select(c => c.GetProperty("file").GetString()!).Where(f => !f.StartsWith("bench", StringComparison.Ordinal))
            .Select(f => File.ReadAllBytes(Path.Combine(Folder, f))).ToArray();
        var rng = new Random(20261206);
        for (var n = 0; n < 3000; n++)
        {
            var bytes = (byte[])files[n % files.Length].Clone();
            for (var k = rng.Next(1, 9); k > 0; k--) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
            if (rng.Next(4) == 0) bytes = bytes[..rng.Next(1, bytes.Length)];
            try
            {
                var img = ImageDecoder.Decode(bytes);
                Assert.Equal(img.Width * img.Height * 3, img.Pixels.Length);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public void EncodePng_Decode_GivesTheSamePixels()
    {
        var img = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(Folder, "jpeg-420.jpg")));
        Assert.Equal(img.Pixels, ImageDecoder.Decode(ImageDecoder.EncodePng(img)).Pixels);
    }

    /// <summary>
    /// Skia's encoder uses libjpeg's quality scale, forward DCT and 4:2:0 downsampling, so a JPEG it writes decodes to the
    /// pixels a JPEG saved by PIL at the same quality does (cases.json's "reencoded"; the bytes differ: Skia optimises
    /// its Huffman tables, PIL by default does not).
    /// </summary>
    [Fact]
    public void EncodeJpeg_Decode_GivesThePixelsOfPilsJpegAtThatQuality()
    {
        var reencoded = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json"))).RootElement.GetProperty("reencoded");
        foreach (var r in reencoded.EnumerateArray())
        {
            var img = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(Folder, r.GetProperty("source").GetString()!)));
            var back = ImageDecoder.Decode(ImageDecoder.EncodeJpeg(img, r.GetProperty("quality").GetInt32()));
            Assert.Equal(r.GetProperty("rgb_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(back.Pixels)));
        }
    }

    [Fact]
    public void EncodeJpeg_QualityOutOfRange_Throws()
    {
        var img = RgbImage.Blank(8, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDecoder.EncodeJpeg(img, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDecoder.EncodeJpeg(img, 101));
    }

    private static (int Max, double Mean, int Differing) Difference(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int max = 0, differing = 0;
        long sum = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var d = Math.Abs(expected[i] - actual[i]);
            max = Math.Max(max, d);
            sum += d;
            if (d != 0) differing++;
        }
        return (max, (double)sum / expected.Length, differing);
    }

    private static IEnumerable<JsonElement> ReadCases() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json"))).RootElement.GetProperty("cases").EnumerateArray();

    private static string RepoFile(string relative) => Path.Combine(RepoFiles.Root, relative);
}

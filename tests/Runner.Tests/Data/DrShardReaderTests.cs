using System.Text;
using Ablations.Core.Stages;
using Ablations.Runner.Data.DataComp;
using Ablations.Runner.Tests.Support;

namespace Ablations.Runner.Tests.Data;

/// <summary>
/// The DataCompDR reader on shards written by Python (experiments/real/mini/make_mini_datacompdr.py: tarfile, numpy.savez,
/// torch.save of bfloat16 tensors, json), and on damaged copies of them: every fault is a counted skip or a refusal
/// that names what is missing, never a crash.
/// </summary>
public sealed class DrShardReaderTests : IDisposable
{
    private static readonly string Mini = RepoFiles.MiniDataCompDr;
    private readonly string _tmp = Directory.CreateTempSubdirectory("dr-reader-").FullName;

    public void Dispose() => Directory.Delete(_tmp, recursive: true);


    private static DrSource Source(string shards, string? images, params int[] dims) =>
        new(ShardPattern.Expand(shards, Mini), images is null ? null : ShardPattern.Expand(images, Mini), dims.Length == 0 ? [32, 24] : dims, "^syn_text.*$");

    [Fact]
    public void ShardPattern_ExpandsRangesListsAndSeparators_AndNamesWhatIsWrong()
    {
        Assert.Equal(["/d/00000008.tar", "/d/00000009.tar", "/d/00000010.tar"], ShardPattern.Expand("/d/{00000008..00000010}.tar", "/"));
        Assert.Equal(["/x/a1", "/x/a2", "/x/b1", "/x/b2", "/y/z"], ShardPattern.Expand("{a,b}{1..2}::/y/z", "/x"));
        Assert.Contains("runs backwards", Assert.Throws<FormatException>(() => ShardPattern.Expand("/d/{5..2}.tar", "/")).Message);
        Assert.Contains("never closed", Assert.Throws<FormatException>(() => ShardPattern.Expand("/d/{0..2.tar", "/")).Message);
    }

    [Fact]
    public void PythonWrittenShards_NpzAndBf16Pth_JoinWithTheirImagesByUid()
    {
        var reader = new DrShardReader(Source("dr/{00000000..00000001}.tar", "images/{00000000..00000001}.tar"));
        var npz = reader.Samples(0).ToList();
        var pth = reader.Samples(1).ToList();

        Assert.Equal(160, npz.Count);
        Assert.Equal(160, pth.Count);
        Assert.Empty(reader.Skipped);
        foreach (var s in npz.Concat(pth))
        {
            Assert.Equal(4, s.Augmentations.Count);
            Assert.Equal([4, 56], s.ImageEmb.Shape);
            Assert.Equal(["syn_text_coca", "syn_text_coca_ft"], s.Syn.Keys.Order());
            Assert.Equal(5, s.Syn["syn_text_coca"].Length);
            Assert.Equal((byte)0xFF, s.Image[0]); // a JPEG's SOI, the bytes whose sha256 matched
        }
        // Each teacher's part is L2-normalised on its own: exact-ish in float32, to bf16's 8 bits in the pth.gz shard.
        foreach (var (samples, tolerance) in new[] { (npz, 1e-4), (pth, 2e-2) })
            foreach (var s in samples.Take(20))
            {
                AssertUnit(s.ImageEmb.Row(2)[..32], tolerance);
                AssertUnit(s.ImageEmb.Row(2)[32..], tolerance);
                AssertUnit(s.SynRow("syn_text_coca_ft", 4)[..32], tolerance);
                AssertUnit(s.TextEmb.Row(0)[32..], tolerance);
            }
    }

    private static void AssertUnit(ReadOnlySpan<float> v, double tolerance)
    {
        double sum = 0;
        foreach (var x in v) sum += x * x;
        Assert.InRange(Math.Sqrt(sum), 1 - tolerance, 1 + tolerance);
    }

    [Fact]
    public void DamagedSamples_AreSkippedAndCountedByReason_TheRestAreRead()
    {
        var samples = ReadRaw(Path.Combine(Mini, "dr", "00000000.tar"));
        Mutate(samples[3], "npz", b => b[..(b.Length / 2)]);
        samples[5] = samples[5] with { Parts = samples[5].Parts.Where(p => p.Key != "paug.json").ToDictionary() };
        Mutate(samples[7], "json", _ => "{\"uid\": \"x\", \"sha256\": \"00\"}"u8.ToArray()); // no image has uid x
        var images = ReadRaw(Path.Combine(Mini, "images", "00000000.tar"));
        Mutate(images[9], "jpg", b => [.. b[..^1], (byte)(b[^1] ^ 1)]);                   // one bit off: sha256 mismatch
        images.Reverse();                                                                   // another order: the join reads ahead
        WriteTar("dr.tar", samples);
        WriteTar("img.tar", images);

        var reader = new DrShardReader(new DrSource([Path.Combine(_tmp, "dr.tar")], [Path.Combine(_tmp, "img.tar")], [32, 24], "^syn_text.*$"));
        var read = reader.Samples(0).ToList();

        Assert.Equal(156, read.Count);
        Assert.Equal(1, reader.Skipped["corrupt npz"]);
        Assert.Equal(1, reader.Skipped["no paug.json"]);
        Assert.Equal(1, reader.Skipped["no image with its uid"]);
        Assert.Equal(1, reader.Skipped["sha256 mismatch"]);
    }

    [Fact]
    public void ACorruptBf16Pth_IsSkippedAndCounted()
    {
        var samples = ReadRaw(Path.Combine(Mini, "dr", "00000001.tar"));
        Mutate(samples[4], "pth.gz", b => b[..(b.Length / 2)]);      // a cut gzip
        Mutate(samples[6], "pth.gz", _ => Gzip("a gzip that holds no torch file"u8.ToArray()));
        WriteTar("pth.tar", samples);

        var reader = new DrShardReader(new DrSource([Path.Combine(_tmp, "pth.tar")], [Path.Combine(Mini, "images", "00000001.tar")], [32, 24], "^syn_text.*$"));

        Assert.Equal(158, reader.Samples(0).Count());
        Assert.Equal(2, reader.Skipped["corrupt pth.gz"]);
    }

    [Fact]
    public void ADamagedFirstSample_IsSkipped_NotTheShard()
    {
        var samples = ReadRaw(Path.Combine(Mini, "dr", "00000000.tar"));
        samples[0] = samples[0] with { Parts = samples[0].Parts.Where(p => p.Key != "paug.json" && p.Key != "npz").ToDictionary() };
        WriteTar("first.tar", samples);

        var reader = new DrShardReader(new DrSource([Path.Combine(_tmp, "first.tar")], [Path.Combine(Mini, "images", "00000000.tar")], [32, 24], "^syn_text.*$"));

        Assert.Equal(159, reader.Samples(0).Count());
        Assert.Equal(1, reader.SkippedTotal);
    }

    [Fact]
    public void ATruncatedShard_YieldsWhatCameBeforeTheCut_AndCountsTheShard()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Mini, "dr", "00000000.tar"));
        var cut = Path.Combine(_tmp, "cut.tar");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2 + 100)]);

        var reader = new DrShardReader(new DrSource([cut], [Path.Combine(Mini, "images", "00000000.tar")], [32, 24], "^syn_text.*$"));
        var read = reader.Samples(0).ToList();

        Assert.InRange(read.Count, 60, 100);
        Assert.Equal(1, reader.Skipped.Where(p => p.Key.StartsWith("shard unreadable", StringComparison.Ordinal)).Sum(p => p.Value));
    }

    [Fact]
    public void AShardOfAnotherLayout_OrOtherWidths_IsRefusedNamingWhatIsMissing()
    {
        var imagesAsShards = new DrShardReader(Source("images/00000000.tar", null));
        var layout = Assert.Throws<DrLayoutException>(() => imagesAsShards.Samples(0).First());
        Assert.Contains("none of its first 8 samples has 'paug.json'", layout.Message);
        Assert.Contains("they have: jpg, json, txt", layout.Message);

        var wrongWidth = new DrShardReader(Source("dr/00000000.tar", "images/00000000.tar", 32, 32));
        Assert.Contains("add up to 64", Assert.Throws<DrLayoutException>(() => wrongWidth.Samples(0).First()).Message);
    }

    [Fact]
    public void DataCompDr12mTextLayout_SyntheticRowsAfterTheGtRow_IsRead()
    {
        // DataCompDR-12M keeps one captioner's rows in text_emb after the GT row instead of a KEY_emb array.
        var samples = ReadRaw(Path.Combine(Mini, "dr", "00000000.tar")).Take(3).ToList();
        var expected = Npz.Read(samples[0].Parts["npz"])["syn_text_coca_emb"].Row(2).ToArray();
        foreach (var s in samples)
        {
            var arrays = Npz.Read(s.Parts["npz"]);
            var gt = arrays["text_emb"];
            var syn = arrays["syn_text_coca_emb"];
            var text = new NpyArray([6, 56], [.. gt.Data, .. syn.Data]);
            Mutate(s, "npz", _ => Npz.Write(new Dictionary<string, NpyArray> { ["image_emb"] = arrays["image_emb"], ["text_emb"] = text }));
            Mutate(s, "syn.json", b => Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(
                new Dictionary<string, string[]> { ["syn_text"] = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string[]>>(b)!["syn_text_coca"] })));
        }
        WriteTar("12m.tar", samples);

        var read = new DrShardReader(new DrSource([Path.Combine(_tmp, "12m.tar")], [Path.Combine(Mini, "images", "00000000.tar")], [32, 24], "^syn_text.*$"))
            .Samples(0).ToList();

        Assert.Equal(3, read.Count);
        Assert.Equal(expected, read[0].SynRow("syn_text", 2).ToArray());
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var g = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest)) g.Write(data);
        return ms.ToArray();
    }

    private static List<WdsSample> ReadRaw(string path)
    {
        using var s = File.OpenRead(path);
        return WebDatasetTar.Read(s, path).Select(x => x with { Parts = new Dictionary<string, byte[]>(x.Parts) }).ToList();
    }

    private static void Mutate(WdsSample s, string part, Func<byte[], byte[]> change) =>
        ((Dictionary<string, byte[]>)s.Parts)[part] = change(s.Parts[part]);

    private void WriteTar(string name, IEnumerable<WdsSample> samples)
    {
        using var f = File.Create(Path.Combine(_tmp, name));
        WebDatasetTar.Write(f, samples);
    }
}

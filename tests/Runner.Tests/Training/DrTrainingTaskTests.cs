using System.Text.Json.Nodes;
using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Data.DataComp;
using Ablations.Runner.Modeling;
using Ablations.Runner.Tests.Support;
using Ablations.Runner.Training;
using static TorchSharp.torch;

namespace Ablations.Runner.Tests.Training;

/// <summary>
/// The dr_student's step on the Python-written miniature: the patch's sampling options do what they say, and a training
/// killed mid-epoch resumes to the very weights of an uninterrupted one (the stream is re-read to its place).
/// </summary>
public sealed class DrTrainingTaskTests
{
    private static readonly string Mini = RepoFiles.MiniDataCompDr;

    private static DrStudentOptions Options(string extra = "", string? shards = null, string? images = null) => DrStudentOptions.Bind(JsonNode.Parse($$"""
        {"shards": "{{shards ?? Mini + "/dr/{00000000..00000001}.tar"}}", "images": "{{images ?? Mini + "/images/{00000000..00000001}.tar"}}",
         "teachers": [{"name": "wide", "dim": 32, "scale": 20}, {"name": "narrow", "dim": 24, "scale": 20}],
         "image_size": 16, "batch_size": 32, "epochs": 2, "seed": 4, "shuffle_buffer": 64 {{extra}} }
        """)!.AsObject());

    private static DrTrainingTask Task(DrStudentOptions o, long initSeed = 1, long samples = 320)
    {
        var source = new DrSource(ShardPattern.Expand(o.Shards, "/"), ShardPattern.Expand(o.Images!, "/"), [32, 24], o.SynKeyRegex);
        var model = TorchRuntime.Build(initSeed, () => new ClipModel(new ModelSpec("cnn-tiny", o.ImageSize, 50259, 32, 50256)));
        return new DrTrainingTask(model, new DrStream(source, o.Seed, o.ShuffleBuffer, samples), o, new BpeTokenizer(), CPU);
    }

    [Fact]
    public void AnImageThatDoesNotDecode_IsCounted_AndItsRowTakesAnotherRowOfTheBatch()
    {
        using var h = new StageHarness();
        // Shard 0 with its first 20 images replaced by bytes that are no image, the sha256 in the reinforced shard made to
        // match (a source that served an error page, reinforced as it was): the reader passes them, the decoder refuses them.
        var images = Raw(Path.Combine(Mini, "images", "00000000.tar"));
        var dr = Raw(Path.Combine(Mini, "dr", "00000000.tar"));
        var broken = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var junk = System.Text.Encoding.ASCII.GetBytes($"<html>gone {i}</html>");
            ((Dictionary<string, byte[]>)images[i].Parts)["jpg"] = junk;
            var meta = System.Text.Json.Nodes.JsonNode.Parse(dr[i].Parts["json"])!.AsObject();
            meta["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(junk));
            ((Dictionary<string, byte[]>)dr[i].Parts)["json"] = System.Text.Encoding.UTF8.GetBytes(meta.ToJsonString());
            broken.Add(meta["uid"]!.GetValue<string>());
        }
        Write(Path.Combine(h.Root, "img.tar"), images);
        Write(Path.Combine(h.Root, "dr.tar"), dr);
        var task = Task(Options(shards: Path.Combine(h.Root, "dr.tar"), images: Path.Combine(h.Root, "img.tar")), samples: 160);

        var batches = Enumerable.Range(0, (int)task.StepsPerEpoch).Select(s => task.Prepare(s)).ToList();

        Assert.Equal(batches.Sum(b => b.Samples.Count(x => broken.Contains(x.Uid))), task.Undecodable);
        Assert.InRange(task.Undecodable, 1, 20);
        const int per = 3 * 16 * 16;
        foreach (var b in batches)
            for (var k = 0; k < b.Rows; k++)
            {
                if (!broken.Contains(b.Samples[k].Uid)) continue;
                var good = Enumerable.Range(0, b.Rows).Where(j => !broken.Contains(b.Samples[j].Uid))
                    .First(j => b.Pixels.AsSpan(j * per, per).SequenceEqual(b.Pixels.AsSpan(k * per, per)));
                Assert.Equal(b.GtText[good], b.GtText[k]);
            }
    }

    private static List<WdsSample> Raw(string path)
    {
        using var s = File.OpenRead(path);
        return WebDatasetTar.Read(s, path).Select(x => x with { Parts = new Dictionary<string, byte[]>(x.Parts) }).ToList();
    }

    private static void Write(string path, IEnumerable<WdsSample> samples)
    {
        using var f = File.Create(path);
        WebDatasetTar.Write(f, samples);
    }

    [Fact]
    public void Default_GtCaptionWithItsTarget_PlusOneSyntheticTerm()
    {
        var b = Task(Options()).Prepare(3);

        Assert.NotNull(b.SynTokens);
        for (var k = 0; k < b.Rows; k++)
        {
            Assert.Equal(b.Samples[k].Caption, b.GtText[k]);
            Assert.Equal(b.Samples[k].TextEmb.Row(0).ToArray(), b.TeacherGt.AsSpan(k * 56, 56).ToArray());
        }
    }

    [Fact]
    public void MixSynthetic_ReplacesTheGtCaptionAndItsTarget_AndDropsTheSecondTerm()
    {
        var b = Task(Options(""", "mix_synthetic": 1.0""")).Prepare(3);

        Assert.Null(b.SynTokens);
        for (var k = 0; k < b.Rows; k++)
        {
            var s = b.Samples[k];
            var (key, index) = s.Syn.SelectMany(p => p.Value.Select((c, i) => (p.Key, c, i))).First(x => x.c == b.GtText[k]) is var m ? (m.Key, m.i) : default;
            Assert.Equal(s.SynRow(key, index).ToArray(), b.TeacherGt.AsSpan(k * 56, 56).ToArray());
        }
    }

    [Fact]
    public void SequentialSampling_TakesAugmentationEpochModN()
    {
        var task = Task(Options(""", "sampling": "sequential" """));
        var epoch0 = task.Prepare(2);
        var epoch1 = task.Prepare(task.StepsPerEpoch + 2);

        for (var k = 0; k < epoch0.Rows; k++)
        {
            Assert.Equal(epoch0.Samples[k].ImageEmb.Row(0).ToArray(), epoch0.TeacherImage.AsSpan(k * 56, 56).ToArray());
            Assert.Equal(epoch1.Samples[k].ImageEmb.Row(1).ToArray(), epoch1.TeacherImage.AsSpan(k * 56, 56).ToArray());
        }
    }

    private sealed class CrashAt(ITrainingTask inner, long step) : ITrainingTask
    {
        public nn.Module Model => inner.Model;
        public int BatchSize => inner.BatchSize;

        public (Tensor Loss, IReadOnlyDictionary<string, Tensor> Extras) Step(long s) =>
            s == step ? throw new IOException("killed") : inner.Step(s);
    }

    [Fact]
    public void KilledMidEpoch_ThenResumed_EqualsTheUninterruptedRun()
    {
        using var h = new StageHarness();
        var o = Options();
        var steps = 20L;
        var straight = Task(o);
        Trainer.Run(straight, new TrainerOptions(o.Schedule, steps, null), new RecordingSink(), (_, _) => { }, TextWriter.Null, default);

        var scratch = Path.Combine(h.Root, "scratch");
        Assert.Throws<IOException>(() => Trainer.Run(new CrashAt(Task(o), 15), new TrainerOptions(o.Schedule, steps, scratch, CheckpointEvery: 4),
            new RecordingSink(), (_, _) => { }, TextWriter.Null, default));
        var resumed = Task(o, initSeed: 2); // another init: everything must come from the checkpoint and the stream
        var log = new StringWriter();
        Trainer.Run(resumed, new TrainerOptions(o.Schedule, steps, scratch, CheckpointEvery: 4), new RecordingSink(), (_, _) => { }, log, default);

        Assert.Contains("resumed training at step 12/20", log.ToString()); // mid-epoch: epoch 1 starts at step 10
        Assert.Equal(Weights(straight), Weights(resumed));
    }

    private static float[] Weights(DrTrainingTask t) => t.Model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
}

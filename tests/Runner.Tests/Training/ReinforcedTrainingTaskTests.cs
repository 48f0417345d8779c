using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.Reinforced;
using Ablations.Runner.Modeling;
using Ablations.Runner.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ablations.Runner.Tests.Training;

/// <summary>What a student step pairs: each caption the student encodes with the teachers' target for that same caption.</summary>
public sealed class ReinforcedTrainingTaskTests
{
    private const int Rows = 8, Dim = 4, Per = 2, Size = 16;
    private static readonly string[] Words = ["a", "red", "blue", "circle", "square", "star", "left", "right"];
    private static readonly string[] Mix = ["cap_a", "cap_b"];

    public ReinforcedTrainingTaskTests() => torch.set_num_threads(1);

    /// <summary>Teacher embeddings that name their caption: GT of row r is (r, 0, 0, 0); caption j of mix column m is (r, 1 + m, j, 1).</summary>
    private static ReinforcedTrainingTask Task(double gtReplace)
    {
        var tok = new WordTokenizer(Words);
        var gt = Enumerable.Range(0, Rows).Select(r => $"a {Words[1 + r % 7]} circle").ToArray();
        var synthetic = Enumerable.Range(0, Rows).Select(r => Enumerable.Range(0, Mix.Length * Per).Select(c => $"{Words[1 + (r + c) % 7]} {Words[1 + c]} star left").ToArray()).ToArray();
        var pixels = Enumerable.Range(0, Rows).Select(_ => new byte[Size * Size * 3]).ToArray();
        var augOptions = new AugmentOptions(1, 1, 0, 0, 17);
        var augs = Enumerable.Range(0, Rows).Select(r => new[] { AugmentSampler.Sample(augOptions, Size, r, 0) }).ToArray();
        var gtEmb = Enumerable.Range(0, Rows).SelectMany(r => new float[] { r, 0, 0, 0 }).ToArray();
        var syn = Mix.Select((m, mi) => (m, (Per, Enumerable.Range(0, Rows).SelectMany(r => Enumerable.Range(0, Per).SelectMany(j => new float[] { r, 1 + mi, j, 1 })).ToArray())))
            .ToDictionary(x => x.m, x => x.Item2);
        var teacher = new TeacherTargetSet(Enumerable.Range(0, Rows).Select(r => (long)r).ToArray(), augs.Select(a => AugmentParams.ListToJson(a)).ToArray(),
            Dim, 1, new float[Rows * Dim], gtEmb, syn, 50);
        var source = new ReinforcedBatchSource(pixels, gt, Mix, synthetic, Per, augs, 1, [(teacher, 20.0)]);
        var model = new ClipModel(new ModelSpec("cnn-tiny", Size, tok.VocabSize, Batches.ContextLength, tok.Eot));
        return new ReinforcedTrainingTask(model, source, tok, 4, 3, Size, 1.0, false, gtReplace, CPU);
    }

    private static float[] Row(Tensor table, long index) => table[index].data<float>().ToArray();

    [Fact]
    public void GtCaptionReplacedBySynthetic_TeacherTargetIsThatSyntheticCaptions()
    {
        var tok = new WordTokenizer(Words);
        var task = Task(gtReplace: 1.0);
        var table = task.TextTargetsOf(0);
        for (var step = 0; step < 4; step++)
        {
            var h = task.Prepare(step);
            for (var k = 0; k < h.Rows.Length; k++)
            {
                var target = Row(table, h.GtTextIndex[k]);
                Assert.Equal(h.Rows[k], target[0]);
                Assert.NotEqual(0, target[3]); // a synthetic caption's embedding, not the GT caption's
                var column = (int)(target[1] - 1) * Per + (int)target[2];
                var encoded = h.GtTokens.AsSpan(k * Batches.ContextLength, Batches.ContextLength).ToArray();
                Assert.Equal(tok.EncodeRow($"{Words[1 + (h.Rows[k] + column) % 7]} {Words[1 + column]} star left", Batches.ContextLength), encoded);
            }
        }
    }

    [Fact]
    public void NoReplacement_GtTermUsesGtTargets_SyntheticTermItsOwnCaption()
    {
        var tok = new WordTokenizer(Words);
        var task = Task(gtReplace: 0);
        var table = task.TextTargetsOf(0);
        var h = task.Prepare(1);
        for (var k = 0; k < h.Rows.Length; k++)
        {
            Assert.Equal(new float[] { h.Rows[k], 0, 0, 0 }, Row(table, h.GtTextIndex[k]));
            var target = Row(table, h.SyntheticIndex![k]);
            Assert.Equal(h.Rows[k], target[0]);
            var column = (int)(target[1] - 1) * Per + (int)target[2];
            var encoded = h.SyntheticTokens!.AsSpan(k * Batches.ContextLength, Batches.ContextLength).ToArray();
            Assert.Equal(tok.EncodeRow($"{Words[1 + (h.Rows[k] + column) % 7]} {Words[1 + column]} star left", Batches.ContextLength), encoded);
        }
    }
}

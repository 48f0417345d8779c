using Ablations.Core.Stages;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.DataComp;
using Ablations.Runner.Modeling;
using Ablations.Runner.Tests.Support;
using static TorchSharp.torch;

namespace Ablations.Runner.Tests.Data;

/// <summary>
/// The order a dr_student reads samples in is a function of (seed, epoch) alone, so a training resumed at a step sees
/// the batches an uninterrupted one would; torchvision-style augmentations of our own embed stages round-trip through
/// their stored JSON; the 224 px towers take 224 px images.
/// </summary>
public sealed class DrStreamTests
{
    private static readonly string Mini = RepoFiles.MiniDataCompDr;


    private static DrStream Stream(long seed, long perEpoch) => new(
        new DrSource(ShardPattern.Expand("dr/{00000000..00000001}.tar", Mini), ShardPattern.Expand("images/{00000000..00000001}.tar", Mini), [32, 24], "^syn_text.*$"),
        seed, shuffleBuffer: 50, perEpoch);

    [Fact]
    public void Epoch_IsAPureFunctionOfSeedAndEpoch_AndASkipResumesItExactly()
    {
        var a = Stream(3, 320).Epoch(1).Select(s => s.Uid).ToList();
        var again = Stream(3, 320).Epoch(1).Select(s => s.Uid).ToList();
        var resumed = Stream(3, 320).Epoch(1, skip: 130).Select(s => s.Uid).ToList();
        var otherEpoch = Stream(3, 320).Epoch(2).Select(s => s.Uid).ToList();

        Assert.Equal(a, again);
        Assert.Equal(a.Skip(130), resumed);
        Assert.Equal(320, a.Distinct().Count());           // one pass: every sample once
        Assert.NotEqual(a, otherEpoch);
        Assert.Equal(a.Order(), otherEpoch.Order());
    }

    [Fact]
    public void AnEpochLongerThanTheData_TakesFurtherPasses()
    {
        var uids = Stream(3, 500).Epoch(0).Select(s => s.Uid).ToList();

        Assert.Equal(500, uids.Count);
        Assert.Equal(320, uids.Distinct().Count());
    }

    [Fact]
    public void TorchvisionStyleAugmentations_AreDataCompDrEntries_ThatRoundTripAndReplay()
    {
        var o = new AugmentOptions(4, 0.3, 2, 0.3, 17, AugmentOptions.Torchvision);
        var list = Enumerable.Range(0, 4).Select(k => AugmentSampler.Sample(o, 16, 1_000_000_007, k)).ToArray();
        var json = AugmentParams.ListToJson(list);
        var back = AugmentParams.ListFromJson(json);

        Assert.StartsWith("[[[", json);                   // param_aug entries: [[i, j, h, w], [[op, magnitude], ...]]
        Assert.All(back, a => Assert.NotNull(a.Torchvision));
        Assert.Equal(list.Select(a => a.Torchvision!.Ops.Count), back.Select(a => a.Torchvision!.Ops.Count));
        Assert.All(back, a => Assert.InRange(a.Torchvision!.Height, 1, 16));
        Assert.Equal(list.Select(a => AugmentParams.ListToJson([a])), back.Select(a => AugmentParams.ListToJson([a])));
        var pixels = Enumerable.Range(0, 16 * 16 * 3).Select(i => (byte)(i * 7)).ToArray();
        var chw = new float[3 * 16 * 16];
        Augmenter.Apply(pixels, 16, back[0], chw);
        var expected = new float[chw.Length];
        DrReplay.ToChw(DrReplay.Apply(new Ablations.Runner.Data.Images.RgbImage(16, 16, pixels), back[0].Torchvision!, 16, DrInterpolation.Bilinear),
            expected, [0f, 0f, 0f], [1f, 1f, 1f]);
        Assert.Equal(expected, chw);
        // Our own style is unchanged: still objects, not DataCompDR entries.
        Assert.StartsWith("[{", AugmentParams.ListToJson([AugmentSampler.Sample(o with { Style = AugmentOptions.Ours }, 16, 1, 0)]));
    }

    [Theory]
    [InlineData("cnn-224")]
    [InlineData("vit-224")]
    public void TowersFor224Pixels_EmbedA224PixelBatch(string arch)
    {
        using var model = TorchRuntime.Build(1, () => new ClipModel(new ModelSpec(arch, 224, 100, 8, 99)));
        using var _ = no_grad();
        using var images = TorchRuntime.Build(2, () => rand(2, 3, 224, 224)); // torch's generator only under its lock: test classes run in parallel

        var emb = model.EncodeImage(images);

        Assert.Equal([2L, 256L], emb.shape);
    }
}

using Ablations.Runner.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Ablations.Runner.Tests.Modeling;

public sealed class EncoderTests
{
    public EncoderTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData("cnn-tiny")]
    [InlineData("cnn-base")]
    [InlineData("vit-tiny")]
    public void ClipModel_EveryFamily_GivesFiniteUnitEmbeddings(string arch)
    {
        using var _ = NewDisposeScope();
        for (var attempt = 0; attempt < 5; attempt++) // GroupNorm init was flaky in TorchSharp: try several fresh models
        {
            var model = new ClipModel(new ModelSpec(arch, 32, 40, 8, 2));
            var ids = zeros(3, 8, dtype: ScalarType.Int64);
            ids[TensorIndex.Colon, 0] = 1;
            ids[TensorIndex.Colon, 1] = 7;
            ids[TensorIndex.Colon, 2] = 2;
            var image = model.EncodeImage(rand(3, 3, 32, 32));
            var text = model.EncodeText(ids);
            Assert.False(image.isnan().any().item<bool>());
            Assert.Equal(1f, image.norm(1).mean().item<float>(), 4);
            Assert.Equal(1f, text.norm(1).mean().item<float>(), 4);
            Assert.Equal(1 / 0.07, model.Scale().item<float>(), 3);
        }
    }
}

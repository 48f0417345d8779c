using Ablations.Runner.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Ablations.Runner.Tests.Modeling;

/// <summary>
/// float32 convolutions after <see cref="TorchRuntime"/> has set torch up equal float64 ones (a path oneDNN never
/// takes). With libtorch's oneDNN convolutions, a channel count off the kernel's block (cnn-small's 24) was padded with
/// whatever the allocator held: wrong by ~2 or NaN on this project's machine, and different from run to run when two
/// stages trained side by side ("loss is NaN at step 1" in the captioner-finetune smoke run). Freed NaN-filled buffers
/// are left in the allocator before each check, so a kernel that reads uninitialised memory reads NaN here.
/// </summary>
public sealed class CpuConvolutionTests
{
    public CpuConvolutionTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData(24, 48, 4, 1)] // cnn-small's second convolution
    [InlineData(12, 24, 8, 2)]
    [InlineData(40, 24, 4, 1)]
    [InlineData(32, 24, 4, 1)] // 24 output channels: the backward pass reads them
    public void Convolution_ChannelsOffTheSimdBlock_MatchesFloat64(int inChannels, int outChannels, int size, int stride)
    {
        TorchRuntime.EnsureInitialised(); // what a runner does before every torch stage (and every model build does)
        using var _ = NewDisposeScope();
        var x = Normal([32, inChannels, size, size], 1);
        var w = Normal([outChannels, inChannels, 3, 3], 2).Times(0.1);
        var b = Normal([outChannels], 3);
        var (out32, dx32, dw32) = ConvAndGrads(x, w, b, stride, ScalarType.Float32);
        var (out64, dx64, dw64) = ConvAndGrads(x, w, b, stride, ScalarType.Float64);
        Assert.True(MaxDiff(out32, out64) < 1e-4, $"forward off by {MaxDiff(out32, out64)}");
        Assert.True(MaxDiff(dx32, dx64) < 1e-4, $"input gradient off by {MaxDiff(dx32, dx64)}");
        Assert.True(MaxDiff(dw32, dw64) < 1e-3, $"weight gradient off by {MaxDiff(dw32, dw64)}");
    }

    [Fact]
    public void CnnSmallEncoder_Float32ForwardMatchesFloat64()
    {
        using var encoder = TorchRuntime.Build(5, () => new CnnEncoder([24, 48, 64], 256));
        using var _ = NewDisposeScope();
        using var noGrad = no_grad();
        var images = Normal([32, 3, 16, 16], 4).sigmoid();
        LeaveNaNsInTheAllocator();
        var out32 = encoder.forward(images).to_type(ScalarType.Float64);
        encoder.to(ScalarType.Float64);
        var out64 = encoder.forward(images.to_type(ScalarType.Float64));
        Assert.True(MaxDiff(out32, out64) < 1e-4, $"the encoder's float32 output is off by {MaxDiff(out32, out64)}");
    }

    private static (Tensor Out, Tensor Dx, Tensor Dw) ConvAndGrads(Tensor x, Tensor w, Tensor b, int stride, ScalarType type)
    {
        var xx = x.to_type(type).detach().requires_grad_(true);
        var ww = w.to_type(type).detach().requires_grad_(true);
        LeaveNaNsInTheAllocator();
        var output = nn.functional.conv2d(xx, ww, b.to_type(type), strides: [stride, stride], padding: [1, 1]);
        output.mul(Normal(output.shape, 5).to_type(type)).sum().backward();
        return (output.detach().to_type(ScalarType.Float64), xx.grad!.to_type(ScalarType.Float64), ww.grad!.to_type(ScalarType.Float64));
    }

    /// <summary>Standard normal draws from a generator of its own (test classes run in parallel; torch's global one is shared).</summary>
    private static Tensor Normal(long[] shape, ulong seed)
    {
        using var generator = new torch.Generator(seed);
        return randn(shape, generator: generator);
    }

    private static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().item<double>();

    /// <summary>Frees NaN-filled buffers of the sizes a small convolution's scratch and reordered copies take.</summary>
    private static void LeaveNaNsInTheAllocator()
    {
        using var nan = float.NaN.ToScalar();
        var poisoned = Enumerable.Range(8, 10).Select(p => full(1L << p, nan)).ToList();
        poisoned.ForEach(t => t.Dispose());
    }
}

using Ablations.Runner.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Ablations.Runner.Tests.Modeling;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void NativeTorch_LoadsAndRunsForwardBackward()
    {
        torch.set_num_threads(1);
        var device = TorchRuntime.ResolveDevice("cpu");
        // Seeded draws under the runtime's generator lock, like every model built in this process (test classes run in parallel).
        var (linear, x) = TorchRuntime.Build(1, () => (nn.Linear(4, 2), torch.randn(3, 4, device: device)));
        using var _ = linear;
        using var __ = x;
        using var loss = linear.forward(x).pow(2).sum();
        loss.backward();
        var grad = linear.weight!.grad!;
        Assert.Equal(new long[] { 2, 4 }, grad.shape);
        Assert.True(grad.abs().sum().item<float>() > 0f);
    }
}

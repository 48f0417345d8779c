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
        torch.manual_seed(1);
        using var linear = nn.Linear(4, 2);
        using var x = torch.randn(3, 4, device: device);
        using var loss = linear.forward(x).pow(2).sum();
        loss.backward();
        var grad = linear.weight!.grad!;
        Assert.Equal(new long[] { 2, 4 }, grad.shape);
        Assert.True(grad.abs().sum().item<float>() > 0f);
    }
}

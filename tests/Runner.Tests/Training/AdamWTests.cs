using Ablations.Runner.Data;
using TorchSharp;
using static TorchSharp.torch;
using Ours = Ablations.Runner.Training.AdamW;

namespace Ablations.Runner.Tests.Training;

public sealed class AdamWTests
{
    public AdamWTests() => torch.set_num_threads(1);

    /// <summary>
    /// Seeded and built under the runtime's generator lock: test classes run in parallel, and another one drawing from
    /// torch's global generator between the seed and the build made the two nets of a comparison start apart.
    /// </summary>
    private static nn.Module<Tensor, Tensor> Net() =>
        Ablations.Runner.Modeling.TorchRuntime.Build<nn.Module<Tensor, Tensor>>(5, () => nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)));

    private static void Train(nn.Module<Tensor, Tensor> net, Action<double> setLr, Action zero, Action step)
    {
        for (var k = 0; k < 25; k++)
        {
            using var scope = NewDisposeScope();
            setLr(0.01 * (1 + k % 3));
            zero();
            var rng = Rng.For(3, k);
            var x = tensor(Enumerable.Range(0, 32).Select(_ => (float)rng.Normal()).ToArray(), [8, 4]);
            (net.forward(x) - x.sum(1, keepdim: true).sin()).pow(2).mean().backward();
            step();
        }
    }

    private static float[] Weights(nn.Module net) => net.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();

    /// <summary>Our AdamW exists to keep its scalars alive; its arithmetic must be PyTorch's, as TorchSharp's AdamW implements it.</summary>
    [Fact]
    public void Step_EqualsTorchSharpsAdamW_BitForBit_WithDecayGroupsAndChangingLr()
    {
        var reference = Net();
        var theirs = optim.AdamW(
            [new TorchSharp.Modules.AdamW.ParamGroup(reference.parameters().Where(p => p.dim() >= 2), new TorchSharp.Modules.AdamW.Options { weight_decay = 0.1 }),
             new TorchSharp.Modules.AdamW.ParamGroup(reference.parameters().Where(p => p.dim() < 2), new TorchSharp.Modules.AdamW.Options { weight_decay = 0 })],
            lr: 0.01, weight_decay: 0.1);
        Train(reference, lr => { foreach (var g in theirs.ParamGroups) g.LearningRate = lr; }, theirs.zero_grad, () => theirs.step());

        var net = Net();
        using var ours = new Ours([(net.parameters().Where(p => p.dim() >= 2), 0.1), (net.parameters().Where(p => p.dim() < 2), 0)]);
        Train(net, lr => ours.LearningRate = lr, ours.ZeroGrad, ours.Step);

        Assert.Equal(25, ours.Steps);
        Assert.Equal(Weights(reference), Weights(net));
        Assert.NotEqual(Weights(Net()), Weights(net)); // it did train
    }
}

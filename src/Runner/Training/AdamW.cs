using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ablations.Runner.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter; PyTorch's algorithm without amsgrad): decoupled weight decay θ ← θ·(1 − lr·wd),
/// then the bias-corrected Adam update. Written here instead of using TorchSharp's <c>optim.AdamW</c> because
/// that one hands six temporary scalars per parameter per step to native code without keeping them alive
/// (see <see cref="Modeling.ScalarMath"/>); here every scalar is held until its op returns. The arithmetic
/// and its order are PyTorch's, so results equal TorchSharp's AdamW bit for bit (tested). Its state (step,
/// first and second moments) is saved and loaded with the checkpoint.
/// </summary>
internal sealed class AdamW : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;

    private readonly (Parameter Param, double WeightDecay, Tensor ExpAvg, Tensor ExpAvgSq)[] _state;
    private long _step;

    /// <param name="groups">Parameters and their weight decay (e.g. matrices decayed, norms and biases not).</param>
    public AdamW(IEnumerable<(IEnumerable<Parameter> Parameters, double WeightDecay)> groups)
    {
        using var _ = no_grad();
        _state = groups.SelectMany(g => g.Parameters.Select(p => (p, g.WeightDecay, zeros_like(p).DetachFromDisposeScope(), zeros_like(p).DetachFromDisposeScope()))).ToArray();
    }

    public double LearningRate { get; set; } = 1e-3;

    public long Steps => _step;

    public void ZeroGrad()
    {
        using var scope = NewDisposeScope(); // holds the grad wrappers until the native calls are done
        foreach (var (p, _, _, _) in _state) p.grad?.zero_();
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        _step++;
        var lr = LearningRate;
        var biasCorrection1 = 1 - Math.Pow(Beta1, _step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, _step);
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var sqrtBias2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var eps = Eps.ToScalar();
        using var stepSize = (-(lr / biasCorrection1)).ToScalar();
        foreach (var (p, wd, expAvg, expAvgSq) in _state)
        {
            var grad = p.grad;
            if (grad is null) continue;
            using (var decay = (1 - lr * wd).ToScalar()) p.mul_(decay);
            expAvg.mul_(beta1).add_(grad, oneMinusBeta1);
            expAvgSq.mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            var denom = expAvgSq.sqrt().div_(sqrtBias2).add_(eps, Modeling.ScalarMath.One);
            p.addcdiv_(expAvg, denom, stepSize);
        }
    }

    public void Save(string path)
    {
        using var w = new BinaryWriter(File.Create(path));
        w.Write(_step);
        w.Write(_state.Length);
        foreach (var (_, _, m, v) in _state)
        {
            m.Save(w);
            v.Save(w);
        }
    }

    public void Load(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        var step = r.ReadInt64();
        var count = r.ReadInt32();
        if (count != _state.Length)
            throw new InvalidDataException($"{path}: optimiser state for {count} parameters, the model has {_state.Length}");
        foreach (var (_, _, m, v) in _state)
        {
            m.Load(r);
            v.Load(r);
        }
        _step = step;
    }

    public void Dispose()
    {
        foreach (var (_, _, m, v) in _state)
        {
            m.Dispose();
            v.Dispose();
        }
    }
}

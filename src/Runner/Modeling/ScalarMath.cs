using TorchSharp;
using static TorchSharp.torch;

namespace Ablations.Runner.Modeling;

/// <summary>
/// Tensor–number arithmetic that keeps its <see cref="Scalar"/> alive. TorchSharp 0.107 turns a number given
/// to a tensor op (and the implicit alpha = 1 of <c>a + b</c>) into a Scalar object with a finalizer, passes
/// only its native handle on, and keeps no reference during the native call: a garbage collection triggered
/// by another thread can then free the scalar while the op reads it. Seen here as "Expected false to be true
/// … toFloat" from AdamW.step with two stages training in one runner (TorchSharp PRs #1434 and #1496 track
/// the undisposed scalars). Every tensor–number operation on a training or evaluation path goes through
/// these helpers: constants live in static fields, other numbers in a scalar freed right after the op.
/// </summary>
internal static class ScalarMath
{
    /// <summary>1, for the alpha of additions; a static field, so never finalized.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>a + b (TorchSharp's <c>+</c> would make a temporary alpha = 1).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    public static Tensor Times(this Tensor t, double v)
    {
        using var s = v.ToScalar();
        return t.mul(s);
    }

    public static Tensor Over(this Tensor t, double v)
    {
        using var s = v.ToScalar();
        return t.div(s);
    }

    public static Tensor AtMost(this Tensor t, double v)
    {
        using var s = v.ToScalar();
        return t.clamp_max(s);
    }

    public static Tensor EqualTo(this Tensor t, long v)
    {
        using var s = v.ToScalar();
        return t.eq(s);
    }

    /// <summary>0, 1, …, n − 1 as int64.</summary>
    public static Tensor Range(long n, Device device)
    {
        using var stop = n.ToScalar();
        return arange(stop, dtype: ScalarType.Int64, device: device);
    }
}

using Ablations.Runner.Diagnostics;

namespace Ablations.Runner.Tests.Diagnostics;

/// <summary>The KD-target diagnostics on embeddings whose answers are known in closed form.</summary>
public sealed class KdTargetStatsTests
{
    private const int B = 4, D = 4;

    /// <summary>Image i and caption i are the same unit vector e_i: the right caption has cosine 1, the others 0.</summary>
    private static float[] Identity()
    {
        var m = new float[B * D];
        for (var i = 0; i < B; i++) m[i * D + i] = 1;
        return m;
    }

    private static IReadOnlyDictionary<string, double> Run(params KdTargetStats.Member[] members)
    {
        var totals = new KdTargetStats.Totals(members.Length);
        KdTargetStats.Add(totals, members, B);
        return KdTargetStats.Of(totals, [.. members.Select((_, i) => $"t{i}")]).ToDictionary(x => x.Name, x => x.Value);
    }

    [Fact]
    public void EntropyFollowsTheScale_FromUniformToOneHot_AndTop1FindsThePair()
    {
        // Row softmax of s·[1,0,0,0]: p = e^s / (e^s + 3); entropy in units of log 4.
        static double Expected(double s)
        {
            var p = Math.Exp(s) / (Math.Exp(s) + 3);
            var q = 1 / (Math.Exp(s) + 3);
            return -(p * Math.Log(p) + 3 * q * Math.Log(q)) / Math.Log(B);
        }
        foreach (var scale in new[] { 0.001, 1.0, 5.0, 50.0 })
        {
            var m = Run(new KdTargetStats.Member(Identity(), Identity(), D, scale));
            Assert.Equal(Expected(scale), m["entropy"], 9);
            Assert.Equal(m["entropy"], m["entropy.t0"], 12);
            Assert.Equal(1.0, m["top1_gt"]);
            Assert.Equal(0.0, m["kl.t0"], 12); // one member: the ensemble is that member
        }
        Assert.True(Run(new KdTargetStats.Member(Identity(), Identity(), D, 0.001))["entropy"] > 0.999999);
        Assert.True(Run(new KdTargetStats.Member(Identity(), Identity(), D, 50))["entropy"] < 1e-18);
    }

    [Fact]
    public void TwoTeachers_AgreementAndTheEnsemblesKlToEachMember()
    {
        // Teacher 1 pairs image i with caption i; teacher 2 with caption i+1 (mod 4): their largest targets never coincide.
        var shifted = new float[B * D];
        for (var i = 0; i < B; i++) shifted[i * D + (i + 1) % B] = 1;
        var right = new KdTargetStats.Member(Identity(), Identity(), D, 50);
        var wrong = new KdTargetStats.Member(Identity(), shifted, D, 50);
        var m = Run(right, wrong);
        Assert.Equal(0.0, m["agreement"]);
        Assert.Equal(1.0, m["top1_gt.t0"]);
        Assert.Equal(0.0, m["top1_gt.t1"]);
        // The ensemble puts ~1/2 on each member's choice: KL(ensemble ‖ one-hot member) ≈ ½·log(½ / 1) + ½·log(½ / e^-50) = 24.65 nats.
        Assert.Equal(0.5 * Math.Log(0.5) + 0.5 * (Math.Log(0.5) + 50), m["kl.t0"], 3);
        Assert.Equal(m["kl.t0"], m["kl.t1"], 9);
        Assert.Equal(Math.Log(2) / Math.Log(B), m["entropy"], 6); // two equal peaks: log 2 of log 4

        var same = Run(right, right);
        Assert.Equal(1.0, same["agreement"]);
        Assert.Equal(0.0, same["kl.t1"], 12);
    }
}

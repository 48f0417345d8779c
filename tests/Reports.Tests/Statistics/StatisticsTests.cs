using Ablations.Reports.Statistics;

namespace Ablations.Reports.Tests.Statistics;

public sealed class StatisticsTests
{
    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(2, 4.303)]
    [InlineData(4, 2.776)]
    [InlineData(9, 2.262)]
    [InlineData(30, 2.042)]
    public void Critical_95Percent_MatchesTextbookTable(int df, double expected) =>
        Assert.Equal(expected, TDistribution.Critical(df, 0.95), 3);

    [Fact]
    public void Critical_99Percent_MatchesTextbookTable() => Assert.Equal(9.925, TDistribution.Critical(2, 0.99), 3);

    [Fact]
    public void SampleStats_OneToFive_MeanStdAndCi()
    {
        var s = SampleStats.Of([1, 2, 3, 4, 5]);
        Assert.Equal(5, s.N);
        Assert.Equal(3, s.Mean, 12);
        Assert.Equal(Math.Sqrt(2.5), s.Std!.Value, 12);
        double half = 2.7764451051977987 * Math.Sqrt(2.5) / Math.Sqrt(5);
        Assert.Equal(3 - half, s.CiLow!.Value, 6);
        Assert.Equal(3 + half, s.CiHigh!.Value, 6);
    }

    [Fact]
    public void SampleStats_SingleValue_HasNoSpreadOrInterval()
    {
        var s = SampleStats.Of([0.5]);
        Assert.Equal((1, 0.5, (double?)null, (double?)null), (s.N, s.Mean, s.Std, s.CiLow));
    }

    [Fact]
    public void PairedTTest_HandComputedExample_MatchesTAndP()
    {
        // d = [0.02, 0.03, 0.01, 0.03]: mean 0.0225, sd 0.0095743, t = 4.7001 on 3 df, p = 0.01822 (closed form for df 3).
        var r = PairedTTest.Run([0.52, 0.55, 0.51, 0.56], [0.50, 0.52, 0.50, 0.53]);
        Assert.Equal(4, r.Pairs);
        Assert.Equal(0.0225, r.MeanDifference, 10);
        Assert.Equal(0.00957427107756338, r.StdDifference!.Value, 10);
        Assert.Equal(4.700096710803842, r.T!.Value, 8);
        Assert.Equal(0.018219854743222186, r.P!.Value, 8);
    }

    [Fact]
    public void PairedTTest_ConstantDifferences_IsNotTested()
    {
        var r = PairedTTest.Run([1, 2, 3], [0, 1, 2]);
        Assert.Null(r.P);
        Assert.Equal(PairedOutcome.ZeroVariance, r.Outcome);
        Assert.Equal(1, r.MeanDifference, 12);
    }

    [Fact]
    public void PairedTTest_EqualDecimalDifferences_ZeroVarianceNoPValue()
    {
        double[] treatment = [0.47, 0.48, 0.49], control = [0.45, 0.46, 0.47];
        // The doubles' differences are not bit-equal: a plain t-test would see t ≈ 10¹⁵ and report p = 0.
        Assert.NotEqual(0, SampleStats.Of(treatment.Zip(control, (t, c) => t - c).ToArray()).Std);

        var r = PairedTTest.Run(treatment, control);

        Assert.Equal(PairedOutcome.ZeroVariance, r.Outcome);
        Assert.Null(r.T);
        Assert.Null(r.P);
        Assert.Equal(0.02, r.MeanDifference, 12);
    }

    [Fact]
    public void PairedTTest_SameValuesOnEverySeed_NoDifference()
    {
        var r = PairedTTest.Run([0.50, 0.52, 0.51], [0.50, 0.52, 0.51]);
        Assert.Equal((PairedOutcome.NoDifference, (double?)null), (r.Outcome, r.P));
    }

    [Fact]
    public void PairedTTest_SmallRealSpread_StillTested()
    {
        // 0.0001 of spread is a real difference between seeds, far above rounding noise.
        var r = PairedTTest.Run([0.52, 0.55, 0.5101], [0.50, 0.53, 0.49]);
        Assert.Equal(PairedOutcome.Tested, r.Outcome);
        Assert.NotNull(r.P);
    }

    [Fact]
    public void PairedTTest_OnePair_IsNotTested()
    {
        var r = PairedTTest.Run([1], [0]);
        Assert.Equal((PairedOutcome.TooFewPairs, (double?)null), (r.Outcome, r.P));
    }

    [Fact]
    public void Holm_FourPValues_StepDownAndMonotone()
    {
        var adjusted = HolmCorrection.Adjust([0.01, 0.04, 0.03, 0.005]);
        double[] expected = [0.03, 0.06, 0.06, 0.02];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], adjusted[i]!.Value, 12);
        }
    }

    [Fact]
    public void Holm_UntestedEntries_StayNullAndDoNotCount()
    {
        var adjusted = HolmCorrection.Adjust([0.01, null, 0.04]);
        Assert.Equal(0.02, adjusted[0]!.Value, 12);
        Assert.Null(adjusted[1]);
        Assert.Equal(0.04, adjusted[2]!.Value, 12);
    }

    [Fact]
    public void Holm_LargeP_CappedAtOne() => Assert.Equal(1, HolmCorrection.Adjust([0.6, 0.7])[0]!.Value, 12);
}

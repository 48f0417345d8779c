using Ablations.Runner.Data.Augmentation.Pil;

namespace Ablations.Runner.Tests.Data.Augmentation.Pil;

/// <summary>Values printed by CPython 3.11 (<c>repr(round(x, 15))</c>, <c>repr(x % 360.0)</c>) on this machine.</summary>
public sealed class PythonFloatTests
{
    [Theory]
    [InlineData(0.9547607995027975, 0.954760799502797)]
    [InlineData(-0.297374874077786, -0.297374874077786)]
    [InlineData(0.9876883396187076, 0.987688339618708)]
    [InlineData(-0.15643447120516796, -0.156434471205168)]
    [InlineData(-0.49999999999999994, -0.5)]
    [InlineData(0.29737487407778607, 0.297374874077786)]
    [InlineData(0.1234567890123455, 0.123456789012345)] // just below the tie in binary
    [InlineData(-5e-16, -1e-15)]                         // just above the tie in binary
    public void Round_15Digits_IsCPythons(double x, double expected) =>
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(PythonFloat.Round(x, 15)));

    [Fact]
    public void Round_TinyNegative_KeepsTheSignOfZero() =>
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(PythonFloat.Round(-1.2246467991473532e-16, 15)));

    [Theory]
    [InlineData(-10.0, 350.0)]
    [InlineData(370.5, 10.5)]
    [InlineData(-0.0, 0.0)]
    [InlineData(-360.0, 0.0)]
    public void Mod_TakesTheDivisorsSign(double x, double expected) =>
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(PythonFloat.Mod(x, 360.0)));
}

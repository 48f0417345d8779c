using System.Globalization;
using System.Numerics;

namespace Ablations.Runner.Data.Augmentation.Pil;

/// <summary>
/// CPython's float operations that PIL's and torchvision's Python code applies to the transform matrices, so that the
/// matrices here are the same doubles, bit for bit (a last-bit difference can move a nearest-neighbour sample).
/// </summary>
internal static class PythonFloat
{
    /// <summary><c>math.radians</c>: x × (π / 180), CPython's constant.</summary>
    public static double Radians(double degrees) => degrees * (Math.PI / 180.0);

    /// <summary><c>math.degrees</c>: x × (180 / π), CPython's constant.</summary>
    public static double Degrees(double radians) => radians * (180.0 / Math.PI);

    /// <summary><c>x % m</c> for floats: the result takes the divisor's sign (C#'s % keeps the dividend's).</summary>
    public static double Mod(double x, double m)
    {
        var r = x % m; // C's fmod, as CPython's float_rem starts
        if (r != 0) return (r < 0) != (m < 0) ? r + m : r;
        return m < 0 ? -0.0 : 0.0;
    }

    /// <summary>
    /// <c>round(x, digits)</c>: the exact binary value rounded half-to-even at the decimal digit, then read back as the
    /// nearest double (CPython goes through a correctly rounded decimal string; this gives the same double).
    /// </summary>
    public static double Round(double x, int digits)
    {
        if (!double.IsFinite(x) || x == 0) return x;
        var bits = BitConverter.DoubleToInt64Bits(x);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0) exponent = 1;
        else mantissa |= 1L << 52;
        var shift = exponent - 1075; // |x| = mantissa × 2^shift
        if (shift >= 0) return x;    // an integer: nothing after the point
        var scaled = new BigInteger(mantissa) * BigInteger.Pow(10, digits);
        var den = BigInteger.One << -shift;
        var q = BigInteger.DivRem(scaled, den, out var rem);
        var twice = rem << 1;
        if (twice > den || (twice == den && !q.IsEven)) q += 1;
        var text = (x < 0 ? "-" : "") + q.ToString(CultureInfo.InvariantCulture) + "E-" + digits.ToString(CultureInfo.InvariantCulture);
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}

namespace Ablations.Runner.Data.Augmentation.Pil;

/// <summary>
/// The geometric RandAugment ops on PIL: <c>img.transform(img.size, AFFINE, matrix, NEAREST, fillcolor=0)</c> with the
/// matrices torchvision 0.14 (shear, translate) and Pillow 9.4's <c>Image.rotate</c> (rotate) compute. The matrix maps
/// output pixel centres to input coordinates; libImaging/Geometry.c samples it one of three ways, reproduced here:
/// a pure scale/translation (a[1] = a[3] = 0) through a table of columns in double, everything whose corners fit
/// 16.16 fixed point incrementally in int (floor by shift), anything larger incrementally in double. Outside is 0.
/// </summary>
internal static class PilAffine
{
    /// <summary>torchvision's <c>_get_inverse_affine_matrix(center, angle, translate, scale, shear)</c>, in its operation order.</summary>
    public static double[] InverseMatrix(double cx, double cy, double angle, double tx, double ty, double scale, double shearX, double shearY)
    {
        var rot = PythonFloat.Radians(angle);
        var sx = PythonFloat.Radians(shearX);
        var sy = PythonFloat.Radians(shearY);
        var a = Math.Cos(rot - sy) / Math.Cos(sy);
        var b = -Math.Cos(rot - sy) * Math.Tan(sx) / Math.Cos(sy) - Math.Sin(rot);
        var c = Math.Sin(rot - sy) / Math.Cos(sy);
        var d = -Math.Sin(rot - sy) * Math.Tan(sx) / Math.Cos(sy) + Math.Cos(rot);
        double[] m = [d / scale, -b / scale, 0.0 / scale, -c / scale, a / scale, 0.0 / scale];
        m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
        m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
        m[2] += cx;
        m[5] += cy;
        return m;
    }

    /// <summary>
    /// Pillow's <c>Image.rotate(angle)</c> matrix about the image centre (w / 2, h / 2), cos and sin rounded to 15 decimals
    /// as Pillow rounds them; null where Pillow returns a copy (the angle is a multiple of 360).
    /// </summary>
    public static double[]? RotateMatrix(double angleDegrees, int width, int height)
    {
        var angle = PythonFloat.Mod(angleDegrees, 360.0);
        if (angle == 0) return null;
        // Pillow transposes for 180 (and for 90 / 270 on a square image); the matrices below sample the same pixels.
        var (cx, cy) = (width / 2.0, height / 2.0);
        var rad = -PythonFloat.Radians(angle);
        double[] m =
        [
            PythonFloat.Round(Math.Cos(rad), 15), PythonFloat.Round(Math.Sin(rad), 15), 0.0,
            PythonFloat.Round(-Math.Sin(rad), 15), PythonFloat.Round(Math.Cos(rad), 15), 0.0,
        ];
        var (x, y) = (-cx - 0, -cy - 0);
        (m[2], m[5]) = (m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]);
        m[2] += cx;
        m[5] += cy;
        return m;
    }

    /// <summary>Nearest-neighbour affine resampling of an RGB image into one of the same size (ImagingTransformAffine).</summary>
    public static void Transform(ReadOnlySpan<byte> src, Span<byte> dst, int width, int height, ReadOnlySpan<double> a)
    {
        dst[..(width * height * 3)].Clear();
        if (a[1] == 0 && a[3] == 0) ScaleAffine(src, dst, width, height, a);
        else if (FitsFixed(a, 0, 0) && FitsFixed(a, width, height) && FitsFixed(a, 0, height) && FitsFixed(a, width, 0))
            Fixed(src, dst, width, height, a);
        else Floating(src, dst, width, height, a);
    }

    private static void ScaleAffine(ReadOnlySpan<byte> src, Span<byte> dst, int width, int height, ReadOnlySpan<double> a)
    {
        Span<int> columns = width <= 4096 ? stackalloc int[width] : new int[width];
        columns.Clear();
        var xo = a[2] + a[0] * 0.5;
        var yo = a[5] + a[4] * 0.5;
        int xmin = width, xmax = 0;
        for (var x = 0; x < width; x++)
        {
            var xin = Coord(xo);
            if (xin >= 0 && xin < width)
            {
                xmax = x + 1;
                if (x < xmin) xmin = x;
                columns[x] = xin;
            }
            xo += a[0];
        }
        for (var y = 0; y < height; y++)
        {
            var yi = Coord(yo);
            if (yi >= 0 && yi < height)
                for (var x = xmin; x < xmax; x++) Copy(src, (yi * width + columns[x]) * 3, dst, (y * width + x) * 3);
            yo += a[4];
        }
    }

    private static void Fixed(ReadOnlySpan<byte> src, Span<byte> dst, int width, int height, ReadOnlySpan<double> a)
    {
        int a0 = Fix(a[0]), a1 = Fix(a[1]), a3 = Fix(a[3]), a4 = Fix(a[4]);
        var a2 = Fix(a[2] + a[0] * 0.5 + a[1] * 0.5);
        var a5 = Fix(a[5] + a[3] * 0.5 + a[4] * 0.5);
        for (var y = 0; y < height; y++)
        {
            int xx = a2, yy = a5;
            for (var x = 0; x < width; x++)
            {
                int xin = xx >> 16, yin = yy >> 16;
                if ((uint)xin < (uint)width && (uint)yin < (uint)height) Copy(src, (yin * width + xin) * 3, dst, (y * width + x) * 3);
                xx += a0;
                yy += a3;
            }
            a2 += a1;
            a5 += a4;
        }
    }

    private static void Floating(ReadOnlySpan<byte> src, Span<byte> dst, int width, int height, ReadOnlySpan<double> a)
    {
        var xo = a[2] + a[1] * 0.5 + a[0] * 0.5;
        var yo = a[5] + a[4] * 0.5 + a[3] * 0.5;
        for (var y = 0; y < height; y++)
        {
            double xx = xo, yy = yo;
            for (var x = 0; x < width; x++)
            {
                int xin = Coord(xx), yin = Coord(yy);
                if (xin >= 0 && xin < width && yin >= 0 && yin < height) Copy(src, (yin * width + xin) * 3, dst, (y * width + x) * 3);
                xx += a[0];
                yy += a[3];
            }
            xo += a[1];
            yo += a[4];
        }
    }

    private static bool FitsFixed(ReadOnlySpan<double> a, int x, int y) =>
        Math.Abs(x * a[0] + y * a[1] + a[2]) < 32768.0 && Math.Abs(x * a[3] + y * a[4] + a[5]) < 32768.0;

    // Geometry.c's FIX: v × 65536 rounded half up, through floor for negatives and truncation otherwise.
    private static int Fix(double v)
    {
        var s = v * 65536.0 + 0.5;
        return s < 0.0 ? (int)Math.Floor(s) : (int)s;
    }

    private static int Coord(double v) => v < 0.0 ? -1 : (int)v;

    private static void Copy(ReadOnlySpan<byte> src, int from, Span<byte> dst, int to)
    {
        dst[to] = src[from];
        dst[to + 1] = src[from + 1];
        dst[to + 2] = src[from + 2];
    }
}

using System.Buffers;
using System.Numerics;

namespace Ablations.Runner.Data.Augmentation.Pil;

/// <summary>
/// Pillow 9.4's ImageEnhance on an 8-bit RGB image (in place, Sharpness into a second buffer):
/// <c>Image.blend(degenerate, image, factor)</c>, which
/// libImaging/Blend.c computes per byte in single precision as <c>d + (float)factor × (v − d)</c>, truncated (and
/// clipped to 0..255 when the factor is outside [0, 1]). The degenerate images: black (Brightness); the luma of each
/// pixel, <c>convert('L')</c>'s (19595 R + 38470 G + 7471 B + 2^15) >> 16 (Color); a flat grey at the rounded mean of
/// that luma (Contrast); the image through ImageFilter.SMOOTH, a 3×3 kernel of 1s around a 5 over 13 with the
/// border rows and columns left as they are (Sharpness).
/// </summary>
internal static class PilEnhance
{
    public static void Brightness(Span<byte> rgb, double factor)
    {
        var alpha = (float)factor;
        Span<byte> lut = stackalloc byte[256];
        for (var v = 0; v < 256; v++) lut[v] = Mix(0, v, alpha);
        foreach (ref var b in rgb) b = lut[b];
    }

    public static void Color(Span<byte> rgb, double factor)
    {
        var alpha = (float)factor;
        for (var p = 0; p < rgb.Length; p += 3)
        {
            var l = Luma(rgb[p], rgb[p + 1], rgb[p + 2]);
            rgb[p] = Mix(l, rgb[p], alpha);
            rgb[p + 1] = Mix(l, rgb[p + 1], alpha);
            rgb[p + 2] = Mix(l, rgb[p + 2], alpha);
        }
    }

    public static void Contrast(Span<byte> rgb, double factor)
    {
        // ImageStat's mean of the L histogram (an exact integer sum over a count), rounded with int(mean + 0.5).
        long sum = 0;
        for (var p = 0; p < rgb.Length; p += 3) sum += Luma(rgb[p], rgb[p + 1], rgb[p + 2]);
        var mean = (int)((double)sum / (rgb.Length / 3) + 0.5);
        var alpha = (float)factor;
        Span<byte> lut = stackalloc byte[256];
        for (var v = 0; v < 256; v++) lut[v] = Mix(mean, v, alpha);
        foreach (ref var b in rgb) b = lut[b];
    }

    /// <summary>Sharpness from <paramref name="src"/> into <paramref name="dst"/> (same length, not overlapping).</summary>
    public static void Sharpness(ReadOnlySpan<byte> src, Span<byte> dst, int width, int height, double factor)
    {
        src.CopyTo(dst);
        // ImagingFilter returns a copy of an image smaller than its kernel, and blending a copy changes nothing; the
        // border rows and columns are the image's own in the degenerate, so they stay too.
        if (width < 3 || height < 3) return;
        var stride = width * 3;
        var rented = ArrayPool<float>.Shared.Rent(4 * stride);
        try
        {
            // Three rows as floats, rolling down the image (each converted once), and the output row's levels.
            var rows = rented.AsSpan(0, 3 * stride);
            var levels = rented.AsSpan(3 * stride, stride);
            for (var r = 0; r < 2; r++) Widen(src.Slice(r * stride, stride), rows.Slice(r * stride, stride));
            for (var y = 1; y < height - 1; y++)
            {
                Widen(src.Slice((y + 1) * stride, stride), rows.Slice((y + 1) % 3 * stride, stride));
                var above = rows.Slice((y - 1) % 3 * stride, stride);
                var here = rows.Slice(y % 3 * stride, stride);
                var below = rows.Slice((y + 1) % 3 * stride, stride);
                SharpenRow(above, here, below, levels, (float)factor);
                var row = dst.Slice(y * stride, stride);
                for (var i = 3; i < stride - 3; i++) row[i] = (byte)levels[i];
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    // ImagingFilter3x3 with SMOOTH's kernel over 13 in float, offset 0 plus 0.5 for rounding, rows summed from the
    // one below to the one above (the kernel is applied flipped), each row left to right, then clipped and truncated;
    // then Blend.c's mix of that and the pixel, as a level 0..255 in a float. Each lane of the vector loop does the
    // scalar loop's operations in the same order, so both give the same levels.
    private static void SharpenRow(ReadOnlySpan<float> above, ReadOnlySpan<float> here, ReadOnlySpan<float> below, Span<float> levels, float alpha)
    {
        const float k = 1f / 13f, k5 = 5f / 13f;
        var stride = here.Length;
        var i = 3;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<float>.Count;
            Vector<float> vk = new(k), vk5 = new(k5), va = new(alpha), zero = Vector<float>.Zero, max = new(255f);
            for (; i + lanes + 3 <= stride; i += lanes)
            {
                Vector<float> At(ReadOnlySpan<float> row, int at) => new(row.Slice(at, lanes));
                var ss = new Vector<float>(0.5f);
                ss += At(below, i - 3) * vk + At(below, i) * vk + At(below, i + 3) * vk;
                ss += At(here, i - 3) * vk + At(here, i) * vk5 + At(here, i + 3) * vk;
                ss += At(above, i - 3) * vk + At(above, i) * vk + At(above, i + 3) * vk;
                var smooth = Vector.ConvertToSingle(Vector.ConvertToInt32(Vector.Min(Vector.Max(ss, zero), max)));
                var mixed = smooth + va * (At(here, i) - smooth);
                Vector.ConvertToSingle(Vector.ConvertToInt32(Vector.Min(Vector.Max(mixed, zero), max))).CopyTo(levels[i..]);
            }
        }
        for (; i < stride - 3; i++)
        {
            var ss = 0.5f;
            ss += below[i - 3] * k + below[i] * k + below[i + 3] * k;
            ss += here[i - 3] * k + here[i] * k5 + here[i + 3] * k;
            ss += above[i - 3] * k + above[i] * k + above[i + 3] * k;
            var smooth = ss <= 0f ? (byte)0 : ss >= 255f ? (byte)255 : (byte)ss;
            levels[i] = Mix(smooth, (int)here[i], alpha);
        }
    }

    private static void Widen(ReadOnlySpan<byte> bytes, Span<float> floats)
    {
        for (var i = 0; i < bytes.Length; i++) floats[i] = bytes[i];
    }

    private static int Luma(int r, int g, int b) => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;

    // Blend.c per byte: both of its branches (interpolation unclipped, extrapolation clipped) agree with this one,
    // since a float between two bytes stays within 0..255.
    private static byte Mix(int degenerate, int value, float alpha)
    {
        var t = degenerate + alpha * (value - degenerate);
        return t <= 0f ? (byte)0 : t >= 255f ? (byte)255 : (byte)t;
    }
}

using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Ablations.Runner.Data.Images;

namespace Ablations.Runner.Data.Augmentation.Pil;

/// <summary>
/// Pillow 9.4's <c>img.crop((j, i, j + w, i + h)).resize((W, H), filter)</c> for an 8-bit RGB image, as
/// libImaging/Crop.c and Resample.c compute it: the crop is zero outside the source image; the resize is separable and
/// antialiased (the filter widens by the downscale factor), horizontal pass first over only the rows the vertical pass
/// reads, each pass with coefficients normalised in double and then rounded to 22-bit fixed point, sums in int from
/// half a unit, the result shifted and clipped to 0..255. A pass whose axis keeps its length is skipped, as PIL skips it.
/// Crop and horizontal pass are one step here (taps on zero padding add nothing), so the crop is never materialised.
/// </summary>
internal static class PilResample
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const int Half = 1 << (PrecisionBits - 1);

    public static void ResizedCrop(RgbImage source, int top, int left, int height, int width, RgbImage output, bool bicubic)
    {
        var (outW, outH) = (output.Width, output.Height);
        bool needH = outW != width, needV = outH != height;
        using var horizontal = needH ? Taps.Compute(width, outW, bicubic) : default;
        using var vertical = needV ? Taps.Compute(height, outH, bicubic) : default;
        int rowFirst = 0, rowLast = height;
        if (needV) (rowFirst, rowLast) = (vertical.Start[0], vertical.Start[outH - 1] + vertical.Count[outH - 1]);

        // The rows [rowFirst, rowLast) of the horizontally resampled (or, with no horizontal pass, plain) crop: the
        // output itself when there is no vertical pass.
        var rowBytes = outW * 3;
        var rented = needV ? ArrayPool<byte>.Shared.Rent((rowLast - rowFirst) * rowBytes) : null;
        var rows = needV ? rented.AsSpan(0, (rowLast - rowFirst) * rowBytes) : output.Pixels.AsSpan();
        try
        {
            for (var r = rowFirst; r < rowLast; r++)
            {
                var dst = rows.Slice((r - rowFirst) * rowBytes, rowBytes);
                var sy = top + r;
                if (sy < 0 || sy >= source.Height) dst.Clear();
                else if (needH) HorizontalRow(source, sy, left, horizontal, dst);
                else CopyCropRow(source, sy, left, dst);
            }
            if (needV) Vertical(rows, rowFirst, vertical, output.Pixels, rowBytes);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void HorizontalRow(RgbImage source, int sy, int left, in Taps taps, Span<byte> dst)
    {
        var img = source.Pixels.AsSpan();
        var rowStart = sy * source.Width * 3;
        var k = taps.Weights;
        for (var xx = 0; xx < taps.OutSize; xx++)
        {
            // Taps in crop column c read source column left + c; those outside the source read PIL's zero padding
            // and add nothing, so only the in-image ones are summed.
            var first = Math.Max(taps.Start[xx], -left);
            var last = Math.Min(taps.Start[xx] + taps.Count[xx], source.Width - left);
            var weights = last > first ? k.AsSpan(xx * taps.KSize + first - taps.Start[xx], last - first) : [];
            var p = rowStart + (left + first) * 3;
            // One pixel's three sums in one vector: each tap loads four bytes (this pixel and the next one's red,
            // whose lane is dropped), so the last tap must not be the image's last byte triple.
            if (Vector128.IsHardwareAccelerated && BitConverter.IsLittleEndian && p + weights.Length * 3 < img.Length)
            {
                var sum = Vector128.Create(Half);
                for (var t = 0; t < weights.Length; t++, p += 3)
                {
                    var four = Vector128.CreateScalarUnsafe(MemoryMarshal.Read<uint>(img[p..])).AsByte();
                    sum += Vector128.WidenLower(Vector128.WidenLower(four)).AsInt32() * weights[t];
                }
                dst[xx * 3] = Clip8(sum.GetElement(0));
                dst[xx * 3 + 1] = Clip8(sum.GetElement(1));
                dst[xx * 3 + 2] = Clip8(sum.GetElement(2));
                continue;
            }
            int s0 = Half, s1 = Half, s2 = Half;
            for (var t = 0; t < weights.Length; t++, p += 3)
            {
                s0 += img[p] * weights[t];
                s1 += img[p + 1] * weights[t];
                s2 += img[p + 2] * weights[t];
            }
            dst[xx * 3] = Clip8(s0);
            dst[xx * 3 + 1] = Clip8(s1);
            dst[xx * 3 + 2] = Clip8(s2);
        }
    }

    private static void CopyCropRow(RgbImage source, int sy, int left, Span<byte> dst)
    {
        dst.Clear();
        var first = Math.Max(0, -left);
        var last = Math.Min(dst.Length / 3, source.Width - left);
        if (last > first)
            source.Pixels.AsSpan((sy * source.Width + left + first) * 3, (last - first) * 3).CopyTo(dst[(first * 3)..]);
    }

    private static void Vertical(ReadOnlySpan<byte> rows, int rowFirst, in Taps taps, Span<byte> output, int rowBytes)
    {
        for (var yy = 0; yy < taps.OutSize; yy++)
        {
            var weights = taps.Weights.AsSpan(yy * taps.KSize, taps.Count[yy]);
            var first = rows[((taps.Start[yy] - rowFirst) * rowBytes)..];
            VerticalRow(first, weights, output.Slice(yy * rowBytes, rowBytes), rowBytes);
        }
    }

    // One output row: byte i sums rows[t × rowBytes + i] × weights[t]. Integer sums, so summing whole vectors of
    // bytes tap by tap gives PIL's per-pixel sums exactly.
    private static void VerticalRow(ReadOnlySpan<byte> rows, ReadOnlySpan<int> weights, Span<byte> dst, int rowBytes)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<byte>.Count;
            Vector<int> half = new(Half), zero = Vector<int>.Zero, max = new(255);
            for (; i + lanes <= rowBytes; i += lanes)
            {
                Vector<int> s0 = half, s1 = half, s2 = half, s3 = half;
                for (var t = 0; t < weights.Length; t++)
                {
                    var w = new Vector<int>(weights[t]);
                    Vector.Widen(new Vector<byte>(rows.Slice(t * rowBytes + i, lanes)), out Vector<ushort> lo, out Vector<ushort> hi);
                    Vector.Widen(lo, out Vector<uint> v0, out Vector<uint> v1);
                    Vector.Widen(hi, out Vector<uint> v2, out Vector<uint> v3);
                    s0 += Vector.AsVectorInt32(v0) * w;
                    s1 += Vector.AsVectorInt32(v1) * w;
                    s2 += Vector.AsVectorInt32(v2) * w;
                    s3 += Vector.AsVectorInt32(v3) * w;
                }
                Vector<uint> Clip(Vector<int> s) => Vector.AsVectorUInt32(Vector.Min(Vector.Max(Vector.ShiftRightArithmetic(s, PrecisionBits), zero), max));
                Vector.Narrow(Vector.Narrow(Clip(s0), Clip(s1)), Vector.Narrow(Clip(s2), Clip(s3))).CopyTo(dst.Slice(i, lanes));
            }
        }
        for (; i < rowBytes; i++)
        {
            var sum = Half;
            for (var t = 0; t < weights.Length; t++) sum += rows[t * rowBytes + i] * weights[t];
            dst[i] = Clip8(sum);
        }
    }

    private static byte Clip8(int sum)
    {
        var v = sum >> PrecisionBits;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }

    /// <summary>One axis's taps (precompute_coeffs, normalize_coeffs_8bpc): per output index the first input index, the count and KSize weights.</summary>
    private readonly struct Taps : IDisposable
    {
        public int OutSize { get; init; }
        public int KSize { get; init; }
        public int[] Start { get; init; }
        public int[] Count { get; init; }
        public int[] Weights { get; init; }

        public static Taps Compute(int inSize, int outSize, bool bicubic)
        {
            var filterSupport = bicubic ? 2.0 : 1.0;
            // in1 - in0 of PIL's float box: whole numbers here, so the float subtraction is exact.
            var scale = (double)inSize / outSize;
            var filterScale = Math.Max(scale, 1.0);
            var support = filterSupport * filterScale;
            var ksize = (int)Math.Ceiling(support) * 2 + 1;
            var taps = new Taps
            {
                OutSize = outSize,
                KSize = ksize,
                Start = ArrayPool<int>.Shared.Rent(outSize),
                Count = ArrayPool<int>.Shared.Rent(outSize),
                Weights = ArrayPool<int>.Shared.Rent(outSize * ksize),
            };
            Span<double> k = ksize <= 256 ? stackalloc double[ksize] : new double[ksize];
            for (var xx = 0; xx < outSize; xx++)
            {
                var center = 0.0 + (xx + 0.5) * scale;
                var ww = 0.0;
                var ss = 1.0 / filterScale;
                var xmin = (int)(center - support + 0.5);
                if (xmin < 0) xmin = 0;
                var xmax = (int)(center + support + 0.5);
                if (xmax > inSize) xmax = inSize;
                xmax -= xmin;
                for (var x = 0; x < xmax; x++)
                {
                    var t = (x + xmin - center + 0.5) * ss;
                    var w = bicubic ? BicubicFilter(t) : BilinearFilter(t);
                    k[x] = w;
                    ww += w;
                }
                var row = taps.Weights.AsSpan(xx * ksize, ksize);
                for (var x = 0; x < ksize; x++)
                {
                    var v = x < xmax ? (ww != 0.0 ? k[x] / ww : k[x]) : 0.0;
                    row[x] = v < 0 ? (int)(-0.5 + v * (1 << PrecisionBits)) : (int)(0.5 + v * (1 << PrecisionBits));
                }
                taps.Start[xx] = xmin;
                taps.Count[xx] = xmax;
            }
            return taps;
        }

        private static double BilinearFilter(double x)
        {
            if (x < 0.0) x = -x;
            return x < 1.0 ? 1.0 - x : 0.0;
        }

        // Keys' cubic with a = -0.5, in PIL's operation order.
        private static double BicubicFilter(double x)
        {
            const double a = -0.5;
            if (x < 0.0) x = -x;
            if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
            if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
            return 0.0;
        }

        public void Dispose()
        {
            if (Start is null) return;
            ArrayPool<int>.Shared.Return(Start);
            ArrayPool<int>.Shared.Return(Count);
            ArrayPool<int>.Shared.Return(Weights);
        }
    }
}

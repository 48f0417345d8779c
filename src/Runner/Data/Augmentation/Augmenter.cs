namespace Ablations.Runner.Data.Augmentation;

/// <summary>
/// Applies stored augmentation parameters to an HWC uint8 image, writing CHW floats in [0, 1] at the output
/// size. Pure and sequential float arithmetic: the same inputs give bit-identical outputs on every machine run.
/// Allocation-free in the steady state: the crop and the geometric ops ping-pong between two scratch planes
/// kept per thread, the colour ops work in place (a replayed batch of 128 images used to allocate ~6 MB).
/// </summary>
internal static class Augmenter
{
    private const float Fill = 0.5f;

    /// <summary>Mean 0 and std 1 per channel: ToChw without normalisation.</summary>
    private static class Unit
    {
        public static readonly float[] Zero = [0f, 0f, 0f], One = [1f, 1f, 1f];
    }

    [ThreadStatic] private static float[]? _scratchA;
    [ThreadStatic] private static float[]? _scratchB;

    /// <summary>No augmentation: bytes → CHW floats.</summary>
    public static void ToChw(byte[] hwc, int size, Span<float> chw)
    {
        var plane = size * size;
        for (var p = 0; p < plane; p++)
        for (var c = 0; c < 3; c++)
            chw[c * plane + p] = hwc[p * 3 + c] / 255f;
    }

    public static void Apply(byte[] hwc, int size, AugmentParams a, Span<float> chw)
    {
        if (a.Torchvision is { } tv)
        {
            // PIL's pipeline on 8-bit pixels, bilinear as our own crop is; [0, 1] floats as every world stage feeds its models.
            DrReplay.ToChw(DrReplay.Apply(new Images.RgbImage(size, size, hwc), tv, size, DrInterpolation.Bilinear), chw, Unit.Zero, Unit.One);
            return;
        }
        var n = 3 * size * size;
        if (_scratchA is null || _scratchA.Length < n) (_scratchA, _scratchB) = (new float[n], new float[n]);
        Span<float> cur = _scratchA.AsSpan(0, n), spare = _scratchB!.AsSpan(0, n);
        ToChw(hwc, size, spare);
        ResizedCrop(spare, size, a.Crop, cur);
        foreach (var op in a.Ops)
            if (ApplyOp(cur, size, op, spare))
            {
                var t = cur;
                cur = spare;
                spare = t;
            }
        cur.CopyTo(chw);
    }

    /// <summary>
    /// Bilinear resampling of the box [i, j, h, w] to the full size. A sample's column depends on x alone and its
    /// row on y alone, so both are worked out once per column and per row, with exactly the arithmetic of
    /// <see cref="Bilinear"/> (same doubles, same float weights): the output is bit-identical to sampling each
    /// pixel on its own, at a fraction of the cost.
    /// </summary>
    private static void ResizedCrop(ReadOnlySpan<float> src, int size, double[] box, Span<float> dst)
    {
        double i = box[0], j = box[1], h = box[2], w = box[3];
        Span<int> c0 = stackalloc int[size], c1 = stackalloc int[size], r0 = stackalloc int[size], r1 = stackalloc int[size];
        Span<float> cw = stackalloc float[size], rw = stackalloc float[size];
        Span<bool> cOut = stackalloc bool[size], rOut = stackalloc bool[size];
        for (var x = 0; x < size; x++) Axis(j + (x + 0.5) * w / size - 0.5, size, out cOut[x], out c0[x], out c1[x], out cw[x]);
        for (var y = 0; y < size; y++) Axis(i + (y + 0.5) * h / size - 0.5, size, out rOut[y], out r0[y], out r1[y], out rw[y]);
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
            Sample(src, size, cOut[x] || rOut[y], c0[x], c1[x], cw[x], r0[y], r1[y], rw[y], dst, y * size + x);
    }

    /// <summary>One coordinate of <see cref="Bilinear"/>: outside the image, or its two neighbours and the weight of the second.</summary>
    private static void Axis(double v, int size, out bool outside, out int lo, out int hi, out float weight)
    {
        outside = v < -0.5 || v > size - 0.5;
        v = Math.Clamp(v, 0, size - 1);
        lo = (int)Math.Floor(v);
        hi = Math.Min(lo + 1, size - 1);
        weight = (float)(v - lo);
    }

    /// <summary>Applies one op; colour ops rewrite <paramref name="img"/>, geometric ones write <paramref name="spare"/> and return true.</summary>
    private static bool ApplyOp(Span<float> img, int size, AugmentOp op, Span<float> spare)
    {
        var v = (float)op.Value;
        var plane = size * size;
        switch (op.Op)
        {
            case "brightness":
                for (var p = 0; p < img.Length; p++) img[p] = Math.Clamp(img[p] * v, 0f, 1f);
                return false;
            case "contrast":
            {
                var mean = Mean(img);
                for (var p = 0; p < img.Length; p++) img[p] = Math.Clamp(mean + (img[p] - mean) * v, 0f, 1f);
                return false;
            }
            case "saturation":
                for (var p = 0; p < plane; p++)
                {
                    var g = 0.299f * img[p] + 0.587f * img[plane + p] + 0.114f * img[2 * plane + p];
                    for (var c = 0; c < 3; c++) img[c * plane + p] = Math.Clamp(g + (img[c * plane + p] - g) * v, 0f, 1f);
                }
                return false;
            case "posterize":
            {
                var shift = 8 - (int)op.Value;
                for (var p = 0; p < img.Length; p++) img[p] = ((int)(img[p] * 255f) >> shift << shift) / 255f;
                return false;
            }
            case "rotate":
            {
                var rad = op.Value * Math.PI / 180;
                Affine(img, size, Math.Cos(rad), -Math.Sin(rad), Math.Sin(rad), Math.Cos(rad), 0, 0, spare);
                return true;
            }
            case "shear_x": Affine(img, size, 1, op.Value, 0, 1, 0, 0, spare); return true;
            case "shear_y": Affine(img, size, 1, 0, op.Value, 1, 0, 0, spare); return true;
            case "translate_x": Affine(img, size, 1, 0, 0, 1, op.Value * size, 0, spare); return true;
            case "translate_y": Affine(img, size, 1, 0, 0, 1, 0, op.Value * size, spare); return true;
            case "identity": return false;
            default: throw new InvalidDataException($"unknown augmentation op '{op.Op}'");
        }
    }

    /// <summary>The mean exactly as LINQ's Average over floats computes it (a sequential double sum, divided in double), which the first stored augmentations used.</summary>
    private static float Mean(ReadOnlySpan<float> img)
    {
        double sum = 0;
        foreach (var p in img) sum += p;
        return (float)(sum / img.Length);
    }

    /// <summary>Inverse-maps each output pixel through [[a b][c d]] about the centre, then shifts by (tx, ty); outside → grey.</summary>
    private static void Affine(ReadOnlySpan<float> img, int size, double a, double b, double c, double d, double tx, double ty, Span<float> dst)
    {
        var centre = (size - 1) / 2.0;
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            double dx = x - centre - tx, dy = y - centre - ty;
            var sx = a * dx + b * dy + centre;
            var sy = c * dx + d * dy + centre;
            Bilinear(img, size, sx, sy, dst, y * size + x);
        }
    }

    /// <summary>Samples all three planes at (x, y) into pixel <paramref name="at"/> of <paramref name="dst"/>; the weights are found once per pixel.</summary>
    private static void Bilinear(ReadOnlySpan<float> img, int size, double x, double y, Span<float> dst, int at)
    {
        Axis(x, size, out var outX, out var x0, out var x1, out var fx);
        Axis(y, size, out var outY, out var y0, out var y1, out var fy);
        Sample(img, size, outX || outY, x0, x1, fx, y0, y1, fy, dst, at);
    }

    /// <summary>Writes pixel <paramref name="at"/> of all three planes: grey outside the image, else the bilinear mix of the four neighbours.</summary>
    private static void Sample(ReadOnlySpan<float> img, int size, bool outside, int x0, int x1, float fx, int y0, int y1, float fy, Span<float> dst, int at)
    {
        var plane = size * size;
        if (outside)
        {
            dst[at] = dst[plane + at] = dst[2 * plane + at] = Fill;
            return;
        }
        int i00 = y0 * size + x0, i01 = y0 * size + x1, i10 = y1 * size + x0, i11 = y1 * size + x1;
        for (var c = 0; c < 3; c++)
        {
            var p = c * plane;
            var top = img[p + i00] * (1 - fx) + img[p + i01] * fx;
            var bottom = img[p + i10] * (1 - fx) + img[p + i11] * fx;
            dst[p + at] = top * (1 - fy) + bottom * fy;
        }
    }
}

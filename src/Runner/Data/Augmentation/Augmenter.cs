namespace Ablations.Runner.Data.Augmentation;

/// <summary>
/// Applies stored augmentation parameters to an HWC uint8 image, writing CHW floats in [0, 1] at the output
/// size. Pure and sequential float arithmetic: the same inputs give bit-identical outputs on every machine run.
/// </summary>
internal static class Augmenter
{
    private const float Fill = 0.5f;

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
        var src = new float[3 * size * size];
        ToChw(hwc, size, src);
        var cur = ResizedCrop(src, size, a.Crop);
        foreach (var op in a.Ops) cur = ApplyOp(cur, size, op);
        cur.CopyTo(chw);
    }

    private static float[] ResizedCrop(float[] src, int size, double[] box)
    {
        double i = box[0], j = box[1], h = box[2], w = box[3];
        var dst = new float[src.Length];
        var plane = size * size;
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var sy = i + (y + 0.5) * h / size - 0.5;
            var sx = j + (x + 0.5) * w / size - 0.5;
            for (var c = 0; c < 3; c++) dst[c * plane + y * size + x] = Bilinear(src, size, c, sx, sy);
        }
        return dst;
    }

    private static float[] ApplyOp(float[] img, int size, AugmentOp op)
    {
        var v = (float)op.Value;
        var plane = size * size;
        switch (op.Op)
        {
            case "brightness":
                return img.Select(p => Math.Clamp(p * v, 0f, 1f)).ToArray();
            case "contrast":
            {
                var mean = img.Average();
                return img.Select(p => Math.Clamp(mean + (p - mean) * v, 0f, 1f)).ToArray();
            }
            case "saturation":
            {
                var dst = new float[img.Length];
                for (var p = 0; p < plane; p++)
                {
                    var g = 0.299f * img[p] + 0.587f * img[plane + p] + 0.114f * img[2 * plane + p];
                    for (var c = 0; c < 3; c++) dst[c * plane + p] = Math.Clamp(g + (img[c * plane + p] - g) * v, 0f, 1f);
                }
                return dst;
            }
            case "posterize":
            {
                var shift = 8 - (int)op.Value;
                return img.Select(p => ((int)(p * 255f) >> shift << shift) / 255f).ToArray();
            }
            case "rotate":
            {
                var rad = op.Value * Math.PI / 180;
                return Affine(img, size, Math.Cos(rad), -Math.Sin(rad), Math.Sin(rad), Math.Cos(rad), 0, 0);
            }
            case "shear_x": return Affine(img, size, 1, op.Value, 0, 1, 0, 0);
            case "shear_y": return Affine(img, size, 1, 0, op.Value, 1, 0, 0);
            case "translate_x": return Affine(img, size, 1, 0, 0, 1, op.Value * size, 0);
            case "translate_y": return Affine(img, size, 1, 0, 0, 1, 0, op.Value * size);
            case "identity": return img;
            default: throw new InvalidDataException($"unknown augmentation op '{op.Op}'");
        }
    }

    /// <summary>Inverse-maps each output pixel through [[a b][c d]] about the centre, then shifts by (tx, ty); outside → grey.</summary>
    private static float[] Affine(float[] img, int size, double a, double b, double c, double d, double tx, double ty)
    {
        var dst = new float[img.Length];
        var plane = size * size;
        var centre = (size - 1) / 2.0;
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            double dx = x - centre - tx, dy = y - centre - ty;
            var sx = a * dx + b * dy + centre;
            var sy = c * dx + d * dy + centre;
            for (var ch = 0; ch < 3; ch++) dst[ch * plane + y * size + x] = Bilinear(img, size, ch, sx, sy);
        }
        return dst;
    }

    private static float Bilinear(float[] img, int size, int c, double x, double y)
    {
        if (x < -0.5 || y < -0.5 || x > size - 0.5 || y > size - 0.5) return Fill;
        x = Math.Clamp(x, 0, size - 1);
        y = Math.Clamp(y, 0, size - 1);
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        int x1 = Math.Min(x0 + 1, size - 1), y1 = Math.Min(y0 + 1, size - 1);
        float fx = (float)(x - x0), fy = (float)(y - y0);
        var plane = c * size * size;
        var top = img[plane + y0 * size + x0] * (1 - fx) + img[plane + y0 * size + x1] * fx;
        var bottom = img[plane + y1 * size + x0] * (1 - fx) + img[plane + y1 * size + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }
}

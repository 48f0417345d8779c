using System.Buffers;
using Ablations.Runner.Data.Augmentation.Pil;
using Ablations.Runner.Data.Images;
using Ablations.Runner.Data.Reinforced;

namespace Ablations.Runner.Data.Augmentation;

/// <summary>The student's resize filter for the stored crop (Apple's configs use bicubic).</summary>
internal enum DrInterpolation
{
    Bilinear,
    Bicubic,
}

/// <summary>
/// Replays a stored DataCompDR / DFNDR augmentation on the original image exactly as Apple's training code does on a
/// PIL image with torchvision 0.14 and Pillow 9.4: <c>F.resized_crop(img, i, j, h, w, (S, S), interpolation)</c>, then
/// each stored op through <c>_apply_op(img, name, magnitude, NEAREST, fill=None)</c>, then ToTensor and Normalize
/// (<see cref="ToChw"/>). Byte-identical to torchvision's output on every fixture of tests/fixtures/dr-replay.
/// The stored magnitudes are used as they are: TranslateX/Y in pixels (truncated toward zero, whatever S is), Rotate in
/// degrees counter-clockwise about the centre, Shear as tan of the angle, the enhance ops as factor − 1, Posterize
/// as kept bits, Solarize as the threshold.
/// </summary>
internal static class DrReplay
{
    public static RgbImage Apply(RgbImage source, DrAugmentation aug, int size, DrInterpolation interpolation)
    {
        var output = RgbImage.Blank(size, size);
        ApplyInto(source, aug, output, interpolation);
        return output;
    }

    /// <summary>
    /// <see cref="Apply"/> into an image the caller keeps (its size is the output size), so that a loader replaying
    /// sample after sample allocates nothing: a 224 image is 150 kB, a large-object-heap allocation each time.
    /// </summary>
    public static void ApplyInto(RgbImage source, DrAugmentation aug, RgbImage output, DrInterpolation interpolation)
    {
        if (ReferenceEquals(source, output)) throw new ArgumentException("the output must be another image than the source", nameof(output));
        PilResample.ResizedCrop(source, aug.Top, aug.Left, aug.Height, aug.Width, output, interpolation == DrInterpolation.Bicubic);
        if (aug.Ops.Count == 0) return;

        var n = output.Pixels.Length;
        var rented = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            // The geometric ops and Sharpness write into the spare buffer; the rest work in place.
            Span<byte> current = output.Pixels, spare = rented.AsSpan(0, n);
            foreach (var op in aug.Ops)
            {
                if (!ApplyOp(op, current, spare, output.Width, output.Height)) continue;
                var done = spare;
                spare = current;
                current = done;
            }
            if (!current.Overlaps(output.Pixels)) current.CopyTo(output.Pixels);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// ToTensor then Normalize as torchvision computes them in float32: (x / 255 − mean[c]) / std[c], written as CHW
    /// (channel planes of Height × Width).
    /// </summary>
    public static void ToChw(RgbImage img, Span<float> chw, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        var plane = img.Width * img.Height;
        if (chw.Length < 3 * plane) throw new ArgumentException($"{chw.Length} floats for a 3×{img.Height}×{img.Width} tensor", nameof(chw));
        if (mean.Length != 3 || std.Length != 3) throw new ArgumentException($"mean and std need 3 values each, got {mean.Length} and {std.Length}");
        Span<float> lut = stackalloc float[768];
        for (var c = 0; c < 3; c++)
        for (var v = 0; v < 256; v++)
            lut[c * 256 + v] = (v / 255f - mean[c]) / std[c];
        var px = img.Pixels;
        Span<float> r = chw[..plane], g = chw.Slice(plane, plane), b = chw.Slice(2 * plane, plane);
        for (var p = 0; p < plane; p++)
        {
            r[p] = lut[px[p * 3]];
            g[p] = lut[256 + px[p * 3 + 1]];
            b[p] = lut[512 + px[p * 3 + 2]];
        }
    }

    /// <summary>Applies one op; true when the result is in <paramref name="spare"/> rather than in <paramref name="current"/>.</summary>
    private static bool ApplyOp(DrOp op, Span<byte> current, Span<byte> spare, int width, int height)
    {
        var m = op.Magnitude;
        double[]? matrix = null;
        switch (op.Name)
        {
            case "Identity":
                return false;
            case "ShearX":
                matrix = PilAffine.InverseMatrix(0, 0, 0.0, 0, 0, 1.0, PythonFloat.Degrees(Math.Atan(m)), 0.0);
                break;
            case "ShearY":
                matrix = PilAffine.InverseMatrix(0, 0, 0.0, 0, 0, 1.0, 0.0, PythonFloat.Degrees(Math.Atan(m)));
                break;
            case "TranslateX":
                matrix = PilAffine.InverseMatrix(width * 0.5, height * 0.5, 0.0, Math.Truncate(m), 0, 1.0, 0.0, 0.0);
                break;
            case "TranslateY":
                matrix = PilAffine.InverseMatrix(width * 0.5, height * 0.5, 0.0, 0, Math.Truncate(m), 1.0, 0.0, 0.0);
                break;
            case "Rotate":
                matrix = PilAffine.RotateMatrix(m, width, height);
                if (matrix is null) return false;
                break;
            case "Brightness":
                PilEnhance.Brightness(current, 1.0 + m);
                return false;
            case "Color":
                PilEnhance.Color(current, 1.0 + m);
                return false;
            case "Contrast":
                PilEnhance.Contrast(current, 1.0 + m);
                return false;
            case "Sharpness":
                PilEnhance.Sharpness(current, spare, width, height, 1.0 + m);
                return true;
            case "Posterize":
                var bits = (int)Math.Truncate(m);
                if (bits is < 0 or > 8) throw new InvalidDataException($"Posterize keeps 0..8 bits, the stored magnitude is {m}");
                PilLut.Posterize(current, bits);
                return false;
            case "Solarize":
                PilLut.Solarize(current, m);
                return false;
            case "AutoContrast":
                PilLut.AutoContrast(current);
                return false;
            case "Equalize":
                PilLut.Equalize(current);
                return false;
            default:
                throw new InvalidDataException($"unknown RandAugment op '{op.Name}'");
        }
        PilAffine.Transform(current, spare, width, height, matrix);
        return true;
    }
}

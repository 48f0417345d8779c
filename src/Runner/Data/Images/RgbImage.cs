namespace Ablations.Runner.Data.Images;

/// <summary>
/// An 8-bit RGB image, rows top to bottom, pixels interleaved (HWC): what PIL's <c>Image.convert('RGB')</c> holds and
/// what the DataCompDR replay (<c>DrReplay</c>) reads and writes. Pixels are bytes so that every op can be checked
/// against torchvision on PIL images, which work on 8-bit data too.
/// </summary>
internal sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"an image of {width}×{height} pixels");
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"{pixels.Length} bytes for a {width}×{height} RGB image (needs {width * height * 3})", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Width × Height × 3 bytes: pixel (x, y) channel c at (y × Width + x) × 3 + c.</summary>
    public byte[] Pixels { get; }

    public static RgbImage Blank(int width, int height) => new(width, height, new byte[width * height * 3]);
}

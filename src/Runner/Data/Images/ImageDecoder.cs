using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SkiaSharp;

namespace Ablations.Runner.Data.Images;

/// <summary>
/// Decodes JPEG and PNG files to the pixels Apple's DataCompDR training saw: webdataset's "pilrgba" decoder, then
/// <c>.convert('RGB')</c>, with Debian 12's PIL 9.4 and libjpeg62-turbo 2.1.5. Skia (SkiaSharp 3.119, which bundles
/// libjpeg-turbo 2.1.5.1 and libpng 1.6.44) decodes with no colour space asked for, so, as in PIL: no ICC profile,
/// gAMA or cHRM is applied, EXIF orientation is not applied, alpha is dropped without compositing (the colour under a
/// transparent pixel is kept), grey and palette images expand to RGB, Adobe CMYK converts as PIL does, 16-bit samples
/// keep their high byte, and 16-bit greyscale clips at 255 (<see cref="PngGrey16"/>). Checked byte for byte against PIL
/// on every file of tests/fixtures/images (ImageDecoderTests). Other formats (GIF, WebP, BMP, …), which PIL would also
/// read, are refused: they are not checked against PIL, and DataComp's shards hold JPEGs.
/// Every method is thread-safe; each call owns its codec.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>PIL refuses larger images (DecompressionBombError above 2 × Image.MAX_IMAGE_PIXELS), so no teacher saw one.</summary>
    public const long MaxPixels = 2L * 89_478_485;

    private const int PooledBytes = 16 << 20;
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// The image's pixels as PIL gives them after <c>Image.open(f).convert('RGBA').convert('RGB')</c>. Throws
    /// <see cref="InvalidDataException"/> for data that is not a JPEG or PNG, is truncated or corrupt, or is larger than
    /// <see cref="MaxPixels"/> (cuts and size are refused where PIL refuses them, checked on the fixtures; of other formats,
    /// PIL reads some). The caller skips and counts the sample.
    /// </summary>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded)
    {
        var format = Sniff(encoded);
        var grey16 = format == SKEncodedImageFormat.Png && PngGrey16.Is(encoded);
        using var data = grey16 ? SKData.CreateCopy(PngGrey16.AsGreyAlpha(encoded)) : SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"unreadable {format} ({encoded.Length} bytes): its header is truncated or corrupt");
        if (codec.EncodedFormat != format)
            throw new InvalidDataException($"{format} signature but Skia reads {codec.EncodedFormat} ({encoded.Length} bytes)");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > MaxPixels)
            throw new InvalidDataException($"{format} of {width}×{height} pixels, more than the {MaxPixels:N0} PIL accepts");

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pooled = info.BytesSize <= PooledBytes;
        var rgba = pooled ? ArrayPool<byte>.Shared.Rent(info.BytesSize) : GC.AllocateUninitializedArray<byte>(info.BytesSize);
        try
        {
            var result = codec.GetPixels(info, rgba);
            if (result != SKCodecResult.Success) throw new InvalidDataException(Failure(result, format, width, height, encoded.Length));
            var pixels = GC.AllocateUninitializedArray<byte>(width * height * 3);
            if (grey16) ClipGrey16(rgba, pixels);
            else DropAlpha(rgba, pixels);
            return new RgbImage(width, height, pixels);
        }
        finally
        {
            if (pooled) ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    /// <summary>A baseline JPEG at <paramref name="quality"/> (1–100, libjpeg's scale, as PIL's) with 4:2:0 chroma, PIL's default.</summary>
    public static byte[] EncodeJpeg(RgbImage img, int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return Encode(img, p => p.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)));
    }

    /// <summary>An 8-bit RGB PNG, lossless: <see cref="Decode"/> gives back the same pixels.</summary>
    public static byte[] EncodePng(RgbImage img) =>
        Encode(img, p => p.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6)));

    private static byte[] Encode(RgbImage img, Func<SKPixmap, SKData?> encode)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(img.Width, img.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = bitmap.GetPixelSpan();
        var rgb = img.Pixels;
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            rgba[i] = rgb[j];
            rgba[i + 1] = rgb[j + 1];
            rgba[i + 2] = rgb[j + 2];
            rgba[i + 3] = byte.MaxValue;
        }
        using var pixmap = bitmap.PeekPixels();
        using var data = encode(pixmap) ?? throw new InvalidOperationException($"Skia could not encode a {img.Width}×{img.Height} image");
        return data.ToArray();
    }

    private static SKEncodedImageFormat Sniff(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length >= 3 && encoded[0] == 0xFF && encoded[1] == 0xD8 && encoded[2] == 0xFF) return SKEncodedImageFormat.Jpeg;
        if (encoded.StartsWith(PngSignature)) return SKEncodedImageFormat.Png;
        if (encoded.IsEmpty) throw new InvalidDataException("empty image data");
        throw new InvalidDataException(
            $"neither JPEG nor PNG ({encoded.Length} bytes starting {Convert.ToHexString(encoded[..Math.Min(8, encoded.Length)])}): only these two are decoded");
    }

    private static string Failure(SKCodecResult result, SKEncodedImageFormat format, int width, int height, int bytes) => result switch
    {
        SKCodecResult.IncompleteInput => $"truncated {format} of {width}×{height} ({bytes} bytes): the data ends before the last row",
        SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput => $"corrupt or truncated {format} data in a {width}×{height} image ({bytes} bytes)",
        _ => $"unsupported {format} of {width}×{height} ({bytes} bytes): Skia answers {result}",
    };

    /// <summary>RGBA → RGB, 4 pixels per shuffle where the CPU has one (a third of a 512×384 decode's time before, ~0.3 ms).</summary>
    private static void DropAlpha(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        int i = 0, j = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var keep = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0, 0, 0, 0);
            ref var source = ref MemoryMarshal.GetReference(rgba);
            ref var target = ref MemoryMarshal.GetReference(rgb);
            // Each store writes 16 bytes of which 12 are pixels; the next store overwrites the other 4.
            for (; j + 16 <= rgb.Length; i += 16, j += 12)
                Vector128.Shuffle(Vector128.LoadUnsafe(ref source, (nuint)i), keep).StoreUnsafe(ref target, (nuint)j);
        }
        for (; j < rgb.Length; i += 4, j += 3)
        {
            rgb[j] = rgba[i];
            rgb[j + 1] = rgba[i + 1];
            rgb[j + 2] = rgba[i + 2];
        }
    }

    /// <summary>The grey + alpha reading of a 16-bit grey PNG (<see cref="PngGrey16"/>): high byte in R, G, B, low byte in A.</summary>
    private static void ClipGrey16(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
            rgb[j] = rgb[j + 1] = rgb[j + 2] = PngGrey16.Clip(rgba[i], rgba[i + 3]);
    }
}

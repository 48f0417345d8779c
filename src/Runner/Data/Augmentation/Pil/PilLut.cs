namespace Ablations.Runner.Data.Augmentation.Pil;

/// <summary>
/// Pillow 9.4's ImageOps lookup-table ops on an 8-bit RGB image, in place: posterize and solarize (one table for all
/// channels), autocontrast and equalize (a table per channel from that channel's histogram, as
/// <c>image.histogram()</c> gives three). Tables go through <c>Image.point</c>, which clips entries to 0..255.
/// </summary>
internal static class PilLut
{
    public static void Posterize(Span<byte> rgb, int bits)
    {
        var mask = ~((1 << (8 - bits)) - 1);
        Span<byte> lut = stackalloc byte[256];
        for (var i = 0; i < 256; i++) lut[i] = (byte)(i & mask);
        foreach (ref var b in rgb) b = lut[b];
    }

    public static void Solarize(Span<byte> rgb, double threshold)
    {
        Span<byte> lut = stackalloc byte[256];
        for (var i = 0; i < 256; i++) lut[i] = (byte)(i < threshold ? i : 255 - i);
        foreach (ref var b in rgb) b = lut[b];
    }

    /// <summary>autocontrast(cutoff=0): each channel's lowest and highest present levels stretched to 0 and 255.</summary>
    public static void AutoContrast(Span<byte> rgb)
    {
        Span<int> hist = stackalloc int[768];
        Histogram(rgb, hist);
        Span<byte> lut = stackalloc byte[768];
        for (var c = 0; c < 3; c++)
        {
            var h = hist.Slice(c * 256, 256);
            var table = lut.Slice(c * 256, 256);
            var lo = 0;
            while (lo < 255 && h[lo] == 0) lo++;
            var hi = 255;
            while (hi > 0 && h[hi] == 0) hi--;
            if (hi <= lo)
            {
                for (var i = 0; i < 256; i++) table[i] = (byte)i;
                continue;
            }
            var scale = 255.0 / (hi - lo);
            var offset = -lo * scale;
            for (var i = 0; i < 256; i++) table[i] = (byte)Math.Clamp((int)(i * scale + offset), 0, 255);
        }
        Apply(rgb, lut);
    }

    /// <summary>
    /// equalize: per channel, step = (pixels − count of the highest present level) // 255 and level i maps to
    /// (step // 2 + pixels below i) // step; no change where a channel has one level or step is 0.
    /// </summary>
    public static void Equalize(Span<byte> rgb)
    {
        Span<int> hist = stackalloc int[768];
        Histogram(rgb, hist);
        Span<byte> lut = stackalloc byte[768];
        for (var c = 0; c < 3; c++)
        {
            var h = hist.Slice(c * 256, 256);
            var table = lut.Slice(c * 256, 256);
            int levels = 0, total = 0, last = 0;
            for (var i = 0; i < 256; i++)
                if (h[i] != 0) (levels, total, last) = (levels + 1, total + h[i], h[i]);
            var step = (total - last) / 255;
            if (levels <= 1 || step == 0)
            {
                for (var i = 0; i < 256; i++) table[i] = (byte)i;
                continue;
            }
            var n = step / 2;
            for (var i = 0; i < 256; i++)
            {
                table[i] = (byte)Math.Min(n / step, 255);
                n += h[i];
            }
        }
        Apply(rgb, lut);
    }

    private static void Histogram(ReadOnlySpan<byte> rgb, Span<int> hist)
    {
        hist.Clear();
        for (var p = 0; p < rgb.Length; p += 3)
        {
            hist[rgb[p]]++;
            hist[256 + rgb[p + 1]]++;
            hist[512 + rgb[p + 2]]++;
        }
    }

    private static void Apply(Span<byte> rgb, ReadOnlySpan<byte> lut)
    {
        for (var p = 0; p < rgb.Length; p += 3)
        {
            rgb[p] = lut[rgb[p]];
            rgb[p + 1] = lut[256 + rgb[p + 1]];
            rgb[p + 2] = lut[512 + rgb[p + 2]];
        }
    }
}

using System.Buffers.Binary;

namespace Ablations.Runner.Data.Images;

/// <summary>
/// PIL 9.4 opens a 16-bit greyscale PNG as mode "I", and its conversion to RGB clips each value at 255 instead of
/// scaling it (300 becomes 255, 200 stays 200). Skia reduces such a file to 8 bits while decoding, which loses the low
/// byte that PIL keeps. The scanlines of a 16-bit grey PNG are, byte for byte, those of an 8-bit grey + alpha PNG of the
/// same size (two bytes per pixel, so the same filters and the same Adam7 passes) whose grey is the high byte and whose
/// alpha is the low byte: <see cref="AsGreyAlpha"/> rewrites the header so that Skia hands both bytes back unchanged.
/// </summary>
internal static class PngGrey16
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Whether <paramref name="png"/> is a PNG whose header (IHDR) says 16-bit greyscale without alpha.</summary>
    public static bool Is(ReadOnlySpan<byte> png) =>
        png.Length >= 33 && png[..8].SequenceEqual(Signature) && png.Slice(12, 4).SequenceEqual("IHDR"u8) && png[24] == 16 && png[25] == 0;

    /// <summary>
    /// The same file as 8-bit grey + alpha: IHDR's bit depth 16 → 8 and colour type 0 → 4, its CRC recomputed; tRNS and
    /// sBIT, whose layout depends on the colour type, are left out (they concern only transparency and display, which PIL's
    /// RGB conversion drops too). Every other chunk and a truncated tail are copied unchanged, so that the decoder still
    /// reports what is wrong with them.
    /// </summary>
    public static byte[] AsGreyAlpha(ReadOnlySpan<byte> png)
    {
        var output = new byte[png.Length];
        png[..8].CopyTo(output);
        int at = 8, written = 8;
        while (at + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            if (length > (uint)(png.Length - at - 12)) break;
            var chunk = png.Slice(at, 12 + (int)length);
            var type = chunk.Slice(4, 4);
            if (!type.SequenceEqual("tRNS"u8) && !type.SequenceEqual("sBIT"u8))
            {
                var copy = output.AsSpan(written, chunk.Length);
                chunk.CopyTo(copy);
                if (at == 8 && length == 13)
                {
                    copy[16] = 8;
                    copy[17] = 4;
                    BinaryPrimitives.WriteUInt32BigEndian(copy[21..], Crc32(copy[4..21]));
                }
                written += chunk.Length;
            }
            at += chunk.Length;
        }
        png[at..].CopyTo(output.AsSpan(written));
        written += png.Length - at;
        Array.Resize(ref output, written);
        return output;
    }

    /// <summary>PIL's 8-bit value of a 16-bit grey sample given as its two bytes: the value, clipped at 255.</summary>
    public static byte Clip(byte high, byte low) => high == 0 ? low : byte.MaxValue;

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
        }
        return ~crc;
    }
}

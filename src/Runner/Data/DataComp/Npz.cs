using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Ablations.Runner.Data.DataComp;

/// <summary>A float array of a .npy file, converted to float32, row-major; <see cref="Shape"/> as stored.</summary>
internal sealed record NpyArray(int[] Shape, float[] Data)
{
    public int Rows => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Elements per row (the product of every dimension after the first).</summary>
    public int RowLength => Shape.Length <= 1 ? 1 : Shape[1..].Aggregate(1, (a, b) => a * b);

    public ReadOnlySpan<float> Row(int r) => Data.AsSpan(r * RowLength, RowLength);
}

/// <summary>
/// NumPy's .npz (a zip of .npy files, stored or deflated, as <c>numpy.savez</c> / <c>savez_compressed</c> write it)
/// and .npy format versions 1–3: little-endian float32, float16 and float64 arrays in C order, the dtypes
/// DataCompDR's embeddings come in. Anything else is refused with the dtype named.
/// </summary>
internal static partial class Npz
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static Dictionary<string, NpyArray> Read(byte[] npz)
    {
        var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        try
        {
            using var zip = new ZipArchive(new MemoryStream(npz, writable: false), ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                if (entry.Length > WebDatasetTar.MaxFileBytes) throw new InvalidDataException($"{entry.FullName} holds {entry.Length:N0} bytes");
                using var s = entry.Open();
                var bytes = new byte[entry.Length];
                s.ReadExactly(bytes);
                arrays[entry.FullName[..^4]] = ReadNpy(bytes, entry.FullName);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"not a readable npz: {e.Message}", e);
        }
        return arrays;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeOf();

    public static NpyArray ReadNpy(byte[] npy, string name = "array")
    {
        if (npy.Length < 10 || !npy.AsSpan(0, 6).SequenceEqual(Magic)) throw new InvalidDataException($"{name}: not a .npy file (no \\x93NUMPY magic)");
        var major = npy[6];
        var (headerLength, start) = major switch
        {
            1 => ((int)BinaryPrimitives.ReadUInt16LittleEndian(npy.AsSpan(8)), 10),
            2 or 3 => ((int)BinaryPrimitives.ReadUInt32LittleEndian(npy.AsSpan(8)), 12),
            _ => throw new InvalidDataException($"{name}: .npy format version {major} is not known (1–3 are)"),
        };
        if (start + headerLength > npy.Length) throw new InvalidDataException($"{name}: truncated header");
        var header = Encoding.Latin1.GetString(npy, start, headerLength);
        var descr = Descr().Match(header) is { Success: true } d ? d.Groups[1].Value : throw new InvalidDataException($"{name}: header without 'descr': {header.Trim()}");
        if (FortranOrder().Match(header) is { Success: true } f && f.Groups[1].Value == "True")
            throw new InvalidDataException($"{name}: Fortran-ordered arrays are not supported; save it with numpy.ascontiguousarray");
        var shapeText = ShapeOf().Match(header) is { Success: true } s ? s.Groups[1].Value : throw new InvalidDataException($"{name}: header without 'shape'");
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var body = npy.AsSpan(start + headerLength);
        var data = new float[count];
        switch (descr)
        {
            case "<f4":
                Need(body, count * 4, name);
                for (var i = 0; i < count; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(i * 4)..]);
                break;
            case "<f2":
                Need(body, count * 2, name);
                for (var i = 0; i < count; i++) data[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(body[(i * 2)..]);
                break;
            case "<f8":
                Need(body, count * 8, name);
                for (var i = 0; i < count; i++) data[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(body[(i * 8)..]);
                break;
            default:
                throw new InvalidDataException($"{name}: dtype '{descr}' is not supported (float32 '<f4', float16 '<f2' or float64 '<f8' are)");
        }
        return new NpyArray(shape, data);
    }

    private static void Need(ReadOnlySpan<byte> body, long bytes, string name)
    {
        if (body.Length < bytes) throw new InvalidDataException($"{name}: {body.Length:N0} bytes of data for {bytes:N0} expected (truncated)");
    }

    /// <summary>An uncompressed .npz of float32 arrays, as <c>numpy.savez</c> writes it (version 1.0 headers padded to 64 bytes).</summary>
    public static byte[] Write(IReadOnlyDictionary<string, NpyArray> arrays)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, array) in arrays)
            {
                var entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression);
                entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var s = entry.Open();
                s.Write(WriteNpy(array));
            }
        return ms.ToArray();
    }

    public static byte[] WriteNpy(NpyArray array)
    {
        var shape = array.Shape.Length == 1 ? $"({array.Shape[0]},)" : $"({string.Join(", ", array.Shape)})";
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        var total = 10 + dict.Length + 1;
        var padded = (total + 63) / 64 * 64;
        var header = dict + new string(' ', padded - total) + "\n";
        var bytes = new byte[10 + header.Length + array.Data.Length * 4];
        Magic.CopyTo(bytes);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.Latin1.GetBytes(header, bytes.AsSpan(10));
        var body = bytes.AsSpan(10 + header.Length);
        for (var i = 0; i < array.Data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(body[(i * 4)..], array.Data[i]);
        return bytes;
    }
}

using System.Runtime.InteropServices;

namespace Ablations.Runner.Data.Reinforced;

/// <summary>float32 vectors stored as little-endian bytes in a Parquet binary column (fast, exact, fixed width).</summary>
internal static class FloatBytes
{
    public static byte[] Pack(ReadOnlySpan<float> values) => MemoryMarshal.AsBytes(values).ToArray();

    public static void Unpack(byte[] bytes, Span<float> into) => MemoryMarshal.Cast<byte, float>(bytes).CopyTo(into);
}

using Parquet;
using Parquet.Schema;

namespace Ablations.Runner.Data;

/// <summary>
/// Column-oriented Parquet I/O over the low-level row-group API of Parquet.Net 6 (≈20× faster to read than
/// its class serializer). Supported column types: long, int, float, string, byte[].
/// </summary>
internal static class ParquetTable
{
    public static void Write(string path, IReadOnlyDictionary<string, Array> columns, int rowGroupSize = 10_000)
    {
        var rows = columns.Values.First().Length;
        if (columns.Values.Any(c => c.Length != rows)) throw new ArgumentException("columns differ in length");
        var fields = columns.Select(kv => new DataField(kv.Key, kv.Value.GetType().GetElementType()!, isNullable: false)).ToArray();
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult();
        try
        {
            WriteGroups(writer, fields, columns, rows, rowGroupSize);
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void WriteGroups(ParquetWriter writer, DataField[] fields, IReadOnlyDictionary<string, Array> columns, int rows, int rowGroupSize)
    {
        for (var start = 0; start < Math.Max(rows, 1); start += rowGroupSize)
        {
            var n = Math.Min(rowGroupSize, rows - start);
            using var group = writer.CreateRowGroup();
            foreach (var field in fields)
            {
                var data = columns[field.Name];
                var task = data switch
                {
                    long[] a => group.WriteAsync(field, new ReadOnlyMemory<long>(a, start, n)),
                    int[] a => group.WriteAsync(field, new ReadOnlyMemory<int>(a, start, n)),
                    float[] a => group.WriteAsync(field, new ReadOnlyMemory<float>(a, start, n)),
                    string[] a => group.WriteAsync(field, new ArraySegment<string>(a, start, n)),
                    byte[][] a => group.WriteAsync(field, new ArraySegment<byte[]>(a, start, n)),
                    _ => throw new NotSupportedException($"column {field.Name}: {data.GetType()}"),
                };
                task.GetAwaiter().GetResult();
            }
        }
    }

    public static Dictionary<string, Array> Read(string path, IReadOnlyCollection<string>? only = null)
    {
        using var stream = File.OpenRead(path);
        var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        try
        {
            return ReadGroups(reader, only);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static Dictionary<string, Array> ReadGroups(ParquetReader reader, IReadOnlyCollection<string>? only)
    {
        var fields = reader.Schema.GetDataFields().Where(f => only is null || only.Contains(f.Name)).ToArray();
        var total = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            total += rg.RowCount;
        }
        var result = fields.ToDictionary(f => f.Name, f => Array.CreateInstance(ClrArrayType(f.ClrType), total));
        var offset = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            var n = (int)rg.RowCount;
            foreach (var f in fields)
            {
                var target = result[f.Name];
                var task = target switch
                {
                    long[] a => rg.ReadAsync(f, new Memory<long>(a, offset, n)),
                    int[] a => rg.ReadAsync(f, new Memory<int>(a, offset, n)),
                    float[] a => rg.ReadAsync(f, new Memory<float>(a, offset, n)),
                    string[] a => rg.ReadAsync(f, new Memory<string?>(a, offset, n)),
                    byte[][] a => rg.ReadAsync(f, new Memory<byte[]?>(a, offset, n)),
                    _ => throw new NotSupportedException($"column {f.Name}: {f.ClrType}"),
                };
                task.GetAwaiter().GetResult();
            }
            offset += n;
        }
        return result;
    }

    /// <summary>Parquet.Net 6 reports binary and text columns as ReadOnlyMemory of byte / char; we hold byte[] and string.</summary>
    private static Type ClrArrayType(Type t) =>
        t == typeof(ReadOnlyMemory<byte>) ? typeof(byte[]) : t == typeof(ReadOnlyMemory<char>) ? typeof(string) : t;

    /// <summary>Reads every part-*.parquet of a directory in order and concatenates columns.</summary>
    public static Dictionary<string, Array> ReadDirectory(string dir, IReadOnlyCollection<string>? only = null)
    {
        var parts = Directory.GetFiles(dir, "part-*.parquet").Order(StringComparer.Ordinal).Select(p => Read(p, only)).ToList();
        if (parts.Count == 0) throw new FileNotFoundException($"no part-*.parquet shards in {dir}");
        if (parts.Count == 1) return parts[0];
        return parts[0].Keys.ToDictionary(k => k, k =>
        {
            var arrays = parts.Select(p => p[k]).ToList();
            var all = Array.CreateInstance(arrays[0].GetType().GetElementType()!, arrays.Sum(a => a.Length));
            var o = 0;
            foreach (var a in arrays) { Array.Copy(a, 0, all, o, a.Length); o += a.Length; }
            return all;
        });
    }

    /// <summary>Writes columns as part-00000.parquet, part-00001.parquet, … of at most <paramref name="shardRows"/> rows.</summary>
    public static void WriteShards(string dir, IReadOnlyDictionary<string, Array> columns, int shardRows, int rowGroupSize = 10_000)
    {
        Directory.CreateDirectory(dir);
        var rows = columns.Values.First().Length;
        for (int start = 0, part = 0; start < rows || part == 0; start += shardRows, part++)
        {
            var n = Math.Min(shardRows, rows - start);
            var slice = columns.ToDictionary(kv => kv.Key, kv =>
            {
                var a = Array.CreateInstance(kv.Value.GetType().GetElementType()!, n);
                Array.Copy(kv.Value, start, a, 0, n);
                return a;
            });
            Write(Path.Combine(dir, $"part-{part:00000}.parquet"), slice, Math.Min(rowGroupSize, Math.Max(n, 1)));
        }
    }
}

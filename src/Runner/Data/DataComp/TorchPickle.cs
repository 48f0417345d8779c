using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Ablations.Runner.Data.DataComp;

/// <summary>
/// Reads the bf16 variant's <c>pth.gz</c>: a gzipped <c>torch.save</c> file (PyTorch's zip layout: <c>PREFIX/data.pkl</c>, a
/// pickle of a dict of tensors, and <c>PREFIX/data/KEY</c>, each tensor's storage as raw little-endian bytes) holding
/// <c>image_emb</c>, <c>text_emb</c> and per captioner <c>KEY_emb</c>. Only what torch.save writes for a dict of tensors is
/// understood — a small pickle machine that builds nothing but strings, numbers, tuples, dicts and tensor references,
/// so a crafted file cannot run code — and bfloat16, float16 and float32 storages are turned into float32.
/// </summary>
internal static class TorchPickle
{
    public static Dictionary<string, NpyArray> ReadTensors(byte[] gz)
    {
        try
        {
            using var unzipped = new MemoryStream();
            using (var g = new GZipStream(new MemoryStream(gz, writable: false), CompressionMode.Decompress))
                CopyBounded(g, unzipped);
            using var zip = new ZipArchive(unzipped, ZipArchiveMode.Read);
            var pkl = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || e.FullName == "data.pkl")
                      ?? throw new InvalidDataException("no data.pkl in the torch file (saved with _use_new_zipfile_serialization=False?)");
            var prefix = pkl.FullName[..^"data.pkl".Length];
            var root = new Machine(ReadAll(pkl)).Run();
            if (root is not Dictionary<object, object?> dict) throw new InvalidDataException("the torch file does not hold a dict");
            var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var (k, v) in dict)
                if (k is string name && v is TensorRef t)
                {
                    var entry = zip.GetEntry(prefix + "data/" + t.StorageKey) ?? throw new InvalidDataException($"tensor '{name}': no storage data/{t.StorageKey}");
                    result[name] = t.Materialise(ReadAll(entry), name);
                }
            return result;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or InvalidCastException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"not a readable pth.gz: {e.Message}", e);
        }
    }

    private static void CopyBounded(Stream from, Stream to)
    {
        var buffer = new byte[1 << 16];
        int n;
        while ((n = from.Read(buffer)) > 0)
        {
            to.Write(buffer, 0, n);
            if (to.Length > WebDatasetTar.MaxFileBytes) throw new InvalidDataException("pth.gz unpacks to more than its limit");
        }
        to.Position = 0;
    }

    private static byte[] ReadAll(ZipArchiveEntry e)
    {
        if (e.Length > WebDatasetTar.MaxFileBytes) throw new InvalidDataException($"{e.FullName} holds {e.Length:N0} bytes");
        using var s = e.Open();
        var bytes = new byte[e.Length];
        s.ReadExactly(bytes);
        return bytes;
    }

    private sealed record Global(string Module, string Name);

    private sealed record StorageRef(string Key, string Type);

    private sealed record TensorRef(string StorageKey, string StorageType, long Offset, long[] Size, long[] Stride)
    {
        public NpyArray Materialise(byte[] storage, string name)
        {
            var (bytes, read) = StorageType switch
            {
                "BFloat16Storage" => (2, (Func<byte[], long, float>)((b, i) => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)(i * 2))) << 16))),
                "HalfStorage" => (2, (b, i) => (float)BinaryPrimitives.ReadHalfLittleEndian(b.AsSpan((int)(i * 2)))),
                "FloatStorage" => (4, (b, i) => BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan((int)(i * 4)))),
                _ => throw new InvalidDataException($"tensor '{name}': storage type {StorageType} is not supported (BFloat16, Half and Float are)"),
            };
            var count = Size.Aggregate(1L, (a, b) => a * b);
            var data = new float[count];
            var index = new long[Size.Length];
            for (long n = 0; n < count; n++)
            {
                var at = Offset;
                for (var d = 0; d < Size.Length; d++) at += index[d] * Stride[d];
                if ((at + 1) * bytes > storage.Length) throw new InvalidDataException($"tensor '{name}' reaches past its storage");
                data[n] = read(storage, at);
                for (var d = Size.Length - 1; d >= 0; d--)
                {
                    if (++index[d] < Size[d]) break;
                    index[d] = 0;
                }
            }
            return new NpyArray(Size.Select(s => checked((int)s)).ToArray(), data);
        }
    }

    /// <summary>The subset of pickle protocol 2–5 that torch.save emits for a dict of tensors.</summary>
    private sealed class Machine(byte[] code)
    {
        private static readonly object Mark = new();
        private readonly List<object?> _stack = [];
        private readonly Dictionary<long, object?> _memo = [];
        private int _pc;

        public object? Run()
        {
            while (_pc < code.Length)
            {
                var op = code[_pc++];
                switch (op)
                {
                    case 0x80: _pc++; break;                                   // PROTO
                    case 0x95: _pc += 8; break;                                // FRAME
                    case (byte)'}': Push(new Dictionary<object, object?>()); break;
                    case (byte)']': Push(new List<object?>()); break;
                    case (byte)')': Push(Array.Empty<object?>()); break;
                    case (byte)'(': Push(Mark); break;
                    case (byte)'X': Push(Utf8(U32())); break;
                    case 0x8c: Push(Utf8(code[_pc++])); break;                 // SHORT_BINUNICODE
                    case 0x8d: Push(Utf8(checked((int)U64()))); break;        // BINUNICODE8
                    case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                    case (byte)'K': Push((long)code[_pc++]); break;
                    case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                    case 0x8a: Push(Long1()); break;                           // LONG1
                    case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                    case (byte)'N': Push(null); break;
                    case 0x88: Push(true); break;
                    case 0x89: Push(false); break;
                    case (byte)'t': Push(PopToMark().ToArray()); break;
                    case 0x85: Push(new[] { Pop() }); break;
                    case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }
                    case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; }
                    case (byte)'c': { var module = Line(); var name = Line(); Push(new Global(module, name)); break; }
                    case 0x93: { var name = (string)Pop()!; var module = (string)Pop()!; Push(new Global(module, name)); break; }
                    case (byte)'q': _memo[code[_pc++]] = Peek(); break;
                    case (byte)'r': _memo[U32()] = Peek(); break;
                    case 0x94: _memo[_memo.Count] = Peek(); break;             // MEMOIZE
                    case (byte)'h': Push(_memo[code[_pc++]]); break;
                    case (byte)'j': Push(_memo[U32()]); break;
                    case (byte)'Q': Push(PersistentLoad(Pop())); break;        // BINPERSID
                    case (byte)'R': { var args = (object?[])Pop()!; var f = Pop(); Push(Reduce(f, args)); break; }
                    case (byte)'b': Pop(); break;                              // BUILD: state of an OrderedDict or tensor, not needed
                    case (byte)'s': { var v = Pop(); var k = Pop()!; ((Dictionary<object, object?>)Peek()!)[k] = v; break; }
                    case (byte)'u':
                    {
                        var items = PopToMark();
                        var d = (Dictionary<object, object?>)Peek()!;
                        for (var i = 0; i + 1 < items.Count; i += 2) d[items[i]!] = items[i + 1];
                        break;
                    }
                    case (byte)'a': { var v = Pop(); ((List<object?>)Peek()!).Add(v); break; }
                    case (byte)'e': { var items = PopToMark(); ((List<object?>)Peek()!).AddRange(items); break; }
                    case (byte)'.': return Pop();
                    default: throw new InvalidDataException($"pickle opcode 0x{op:x2} at {_pc - 1} is not one torch.save writes for a dict of tensors");
                }
            }
            throw new InvalidDataException("the pickle has no STOP");
        }

        private static object? PersistentLoad(object? pid)
        {
            // ('storage', <class torch.XStorage>, key, location, numel)
            if (pid is object?[] { Length: >= 3 } t && t[0] is "storage" && t[1] is Global g && t[2] is string key) return new StorageRef(key, g.Name);
            throw new InvalidDataException("a persistent id that is not a tensor storage");
        }

        private static object? Reduce(object? f, object?[] args)
        {
            if (f is Global { Module: "torch._utils", Name: "_rebuild_tensor_v2" or "_rebuild_tensor" } && args[0] is StorageRef s)
                return new TensorRef(s.Key, s.Type, (long)args[1]!, Longs(args[2]), Longs(args[3]));
            if (f is Global { Module: "collections", Name: "OrderedDict" }) return new Dictionary<object, object?>();
            throw new InvalidDataException($"the pickle calls {(f as Global)?.Module}.{(f as Global)?.Name}, which a dict of tensors does not");
        }

        private static long[] Longs(object? o) => ((object?[])o!).Select(x => (long)x!).ToArray();

        private void Push(object? o) => _stack.Add(o);

        private object? Pop()
        {
            var o = _stack[^1];
            _stack.RemoveAt(_stack.Count - 1);
            return o;
        }

        private object? Peek() => _stack[^1];

        private List<object?> PopToMark()
        {
            var at = _stack.LastIndexOf(Mark);
            if (at < 0) throw new InvalidDataException("pickle: no MARK");
            var items = _stack.GetRange(at + 1, _stack.Count - at - 1);
            _stack.RemoveRange(at, _stack.Count - at);
            return items;
        }

        private ReadOnlySpan<byte> Take(int n)
        {
            var s = code.AsSpan(_pc, n);
            _pc += n;
            return s;
        }

        private int U32() => checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Take(4)));

        private ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        private string Utf8(int n) => Encoding.UTF8.GetString(Take(n));

        private long Long1()
        {
            var n = code[_pc++];
            long v = 0;
            for (var i = n - 1; i >= 0; i--) v = (v << 8) | code[_pc + i];
            if (n is > 0 and < 8 && (code[_pc + n - 1] & 0x80) != 0) v -= 1L << (8 * n);
            _pc += n;
            return v;
        }

        private string Line()
        {
            var end = Array.IndexOf(code, (byte)'\n', _pc);
            if (end < 0) throw new InvalidDataException("pickle: GLOBAL without its newline");
            var s = Encoding.ASCII.GetString(code, _pc, end - _pc);
            _pc = end + 1;
            return s;
        }
    }
}

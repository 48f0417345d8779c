using System.Formats.Tar;
using System.Text.RegularExpressions;

namespace Ablations.Runner.Data.DataComp;

/// <summary>One WebDataset sample: the files of a tar that share a key, by extension (<c>jpg</c>, <c>syn.json</c>, <c>npz</c>).</summary>
internal sealed record WdsSample(string Key, IReadOnlyDictionary<string, byte[]> Parts)
{
    /// <summary>The parts webdataset takes for the image (open_clip's rename <c>image="jpg;png;jpeg;webp"</c>), in its order.</summary>
    public static readonly string[] ImageParts = ["jpg", "png", "jpeg", "webp"];

    /// <summary>The encoded image, or null when the sample has none (a webp is found here and then refused by the decoder).</summary>
    public byte[]? Image => ImageParts.Select(Parts.GetValueOrDefault).FirstOrDefault(b => b is not null);
}

/// <summary>Why a shard stopped before its end (truncated download, not a tar at all).</summary>
internal sealed class ShardReadException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Streams the samples of a WebDataset tar shard, one at a time: consecutive files with the same key form a sample,
/// as webdataset's <c>base_plus_ext</c> groups them (the key is the path up to the first dot of the file name, the
/// extension the rest, lower-cased). Only the current sample's files are in memory, never the shard.
/// </summary>
internal static partial class WebDatasetTar
{
    /// <summary>A single file larger than this is refused: a corrupt header must not make us allocate gigabytes.</summary>
    public const long MaxFileBytes = 256L << 20;

    [GeneratedRegex(@"^((?:.*/|)[^./]+)\.([^/]*)$")]
    private static partial Regex KeyAndExtension();

    public static IEnumerable<WdsSample> Read(Stream tar, string shardName)
    {
        using var reader = new TarReader(tar, leaveOpen: true);
        string? key = null;
        var parts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (true)
        {
            TarEntry? entry;
            byte[]? data = null;
            try
            {
                entry = reader.GetNextEntry(copyData: false);
                if (entry is not null && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    if (entry.Length > MaxFileBytes)
                        throw new InvalidDataException($"'{entry.Name}' claims {entry.Length:N0} bytes (more than {MaxFileBytes >> 20} MiB)");
                    data = new byte[entry.Length];
                    if (entry.DataStream is { } s) s.ReadExactly(data);
                    else if (entry.Length > 0) throw new InvalidDataException($"'{entry.Name}' has no data");
                }
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or FormatException or ArgumentException)
            {
                throw new ShardReadException($"{shardName}: unreadable after {(key is null ? "its start" : $"sample '{key}'")}: {e.Message}", e);
            }
            if (entry is null) break;
            if (data is null) continue; // directories, links, PAX headers
            var m = KeyAndExtension().Match(entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name);
            if (!m.Success) continue; // a file without an extension is not part of any sample
            var k = m.Groups[1].Value;
            if (k != key && key is not null && parts.Count > 0)
            {
                yield return new WdsSample(key, parts);
                parts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            }
            key = k;
            parts[m.Groups[2].Value.ToLowerInvariant()] = data;
        }
        if (key is not null && parts.Count > 0) yield return new WdsSample(key, parts);
    }

    /// <summary>Writes samples as a WebDataset tar (ustar names <c>KEY.EXT</c>, in the order given), for the exporter and tests.</summary>
    public static void Write(Stream tar, IEnumerable<WdsSample> samples)
    {
        using var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var sample in samples)
            foreach (var (ext, bytes) in sample.Parts)
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, $"{sample.Key}.{ext}")
                {
                    DataStream = new MemoryStream(bytes, writable: false),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                };
                writer.WriteEntry(entry);
            }
    }
}

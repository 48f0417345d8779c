using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ablations.Core.Artifacts;

/// <summary>One file of a published artifact: its path inside the artifact ('/'-separated), size, SHA-256 and modification time (UTC ticks).</summary>
public sealed record ArtifactFile(string Path, long Size, string Sha256, long MTimeTicks);

/// <summary>
/// What a published artifact must contain, recorded in the store when it is published. A read compares sizes and
/// modification times (cheap) and hashes only the files whose time changed (a copied workspace), so every read is
/// checked without re-hashing gigabytes; <see cref="Check"/> with full hashing is what `ablate verify` does.
/// </summary>
public sealed record ArtifactManifest(IReadOnlyList<ArtifactFile> Files)
{
    public long Bytes => Files.Sum(f => f.Size);

    /// <summary>SHA-256 over "path\tsize\tsha256\n" of every file in ordinal path order: the artifact's content in one value.</summary>
    public string RootSha256
    {
        get
        {
            var text = new StringBuilder();
            foreach (var f in Files.OrderBy(f => f.Path, StringComparer.Ordinal))
                text.Append(f.Path).Append('\t').Append(f.Size.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(f.Sha256).Append('\n');
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
    }

    /// <summary>Hashes every file under <paramref name="dir"/> (an artifact about to be published, or one being adopted).</summary>
    public static ArtifactManifest Build(string dir)
    {
        var files = new List<ArtifactFile>();
        foreach (var file in new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal))
            files.Add(new ArtifactFile(RelativeName(dir, file.FullName), file.Length, HashFile(file.FullName), file.LastWriteTimeUtc.Ticks));
        return new ArtifactManifest(files);
    }

    /// <summary>
    /// Compares <paramref name="dir"/> with this manifest. Cheap unless <paramref name="full"/>: a file whose size
    /// and time match is taken as intact; one whose size differs is damaged without hashing; one whose time alone
    /// differs is hashed. Files the manifest does not list are ignored: no stage reads them.
    /// </summary>
    public ArtifactCheck Check(string dir, bool full)
    {
        if (!Directory.Exists(dir)) return new ArtifactCheck(["the artifact folder is missing"], null, 0);
        var problems = new List<string>();
        var refreshed = new List<ArtifactFile>(Files.Count);
        var changedTimes = false;
        var hashed = 0;
        foreach (var f in Files)
        {
            var info = new FileInfo(Path.Combine(dir, f.Path));
            if (!info.Exists)
            {
                problems.Add($"{f.Path}: missing");
                continue;
            }
            if (info.Length != f.Size)
            {
                problems.Add($"{f.Path}: {info.Length:N0} bytes where {f.Size:N0} were published (truncated or rewritten)");
                continue;
            }
            var mtime = info.LastWriteTimeUtc.Ticks;
            if (full || mtime != f.MTimeTicks)
            {
                hashed++;
                if (HashFile(info.FullName) != f.Sha256)
                {
                    problems.Add($"{f.Path}: content differs from what was published (SHA-256 mismatch)");
                    continue;
                }
            }
            changedTimes |= mtime != f.MTimeTicks;
            refreshed.Add(f with { MTimeTicks = mtime });
        }
        return new ArtifactCheck(problems, problems.Count == 0 && changedTimes ? new ArtifactManifest(refreshed) : null, hashed);
    }

    public string ToJson() => JsonSerializer.Serialize(Files.Select(f => new Entry(f.Path, f.Size, f.Sha256, f.MTimeTicks)), Json);

    public static ArtifactManifest FromJson(string json) =>
        new((JsonSerializer.Deserialize<List<Entry>>(json, Json) ?? []).Select(e => new ArtifactFile(e.Path, e.Size, e.Sha256, e.MTime)).ToList());

    private sealed record Entry(string Path, long Size, string Sha256, long MTime);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static string RelativeName(string dir, string file) => Path.GetRelativePath(dir, file).Replace(Path.DirectorySeparatorChar, '/');

    private static string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>The outcome of <see cref="ArtifactManifest.Check"/>: what is wrong (empty when intact), and the manifest with refreshed times when only times moved.</summary>
public sealed record ArtifactCheck(IReadOnlyList<string> Problems, ArtifactManifest? Refreshed, int FilesHashed)
{
    public bool Intact => Problems.Count == 0;
}

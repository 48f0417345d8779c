using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ablations.Core.Results;

namespace Ablations.Reports.Export;

/// <summary>
/// What a report folder was rendered from, kept in &lt;report&gt;/.stamp: a SHA-256 of the results, the options and this
/// build of the report code, then the SHA-256 of every file written. A report asked for again from the same inputs,
/// with every file still as written, is not rendered again: rendering the figures was most of a no-op `ablate run`
/// (issue 11). A changed result, option or report code, or a file edited or deleted since (a rewrite that crashed
/// halfway included: its files no longer match their hashes), renders it all again.
/// </summary>
internal static class ReportStamp
{
    public const string FileName = ".stamp";

    // A diverged run's loss is NaN or infinite; the key must take those as they are, not throw.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string KeyOf(ExperimentResults results, ReportOptions options)
    {
        var code = typeof(ReportStamp).Assembly.ManifestModule.ModuleVersionId.ToString("N");
        var text = code + "\n" + JsonSerializer.Serialize(results, Json) + "\n" + JsonSerializer.Serialize(options, Json);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The files of the report in <paramref name="dir"/> when it was rendered from <paramref name="key"/> and is intact; else null.</summary>
    public static IReadOnlyList<string>? Intact(string dir, string key)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0] != key) return null;
        var files = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            var (hash, relative) = (line[..Math.Min(64, line.Length)], line.Length > 66 ? line[66..] : "");
            var file = Path.Combine(dir, relative);
            if (relative.Length == 0 || !File.Exists(file) || HashOf(file) != hash) return null;
            files.Add(relative);
        }
        return files;
    }

    public static void Write(string dir, string key, IEnumerable<string> files) =>
        AtomicFile.WriteText(Path.Combine(dir, FileName),
            key + "\n" + string.Concat(files.Select(f => $"{HashOf(Path.Combine(dir, f))}  {f}\n")));

    private static string HashOf(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

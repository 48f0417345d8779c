using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>
/// Data a built-in stage reads from outside the store (a stage type's <see cref="StageType.DataKeys"/>, e.g. DataCompDR
/// shards). The planner makes each such path absolute (relative paths are relative to the spec's folder, as a
/// command's program is) and writes a fingerprint of every file it names into the config — path, size and modification
/// time, as make and DVC's quick check do — so the stage's hash changes when the data changes under the same name.
/// Hashing the content instead would read terabytes at every plan.
/// </summary>
public static class ExternalData
{
    public const string FingerprintKey = "data_fingerprint";

    /// <summary>
    /// The fingerprint's prefix when a file was not visible to the planner (a laptop without the data): the spec still
    /// validates and plans, and a runner refuses to train on data nobody fingerprinted (<see cref="Unseen"/>).
    /// </summary>
    public const string UnseenPrefix = "unseen:";

    /// <summary>The first file the planner could not see, or null for a fingerprint of data it saw whole.</summary>
    public static string? Unseen(string? fingerprint) =>
        fingerprint is not null && fingerprint.StartsWith(UnseenPrefix, StringComparison.Ordinal) ? fingerprint[UnseenPrefix.Length..] : null;

    /// <summary>A path the config names that is not a valid pattern; the planner reports it at the option's place.</summary>
    public sealed class PatternException(string key, string message) : Exception(message)
    {
        public string Key { get; } = key;
    }

    /// <summary>Resolves <paramref name="keys"/> (dotted paths into <paramref name="config"/>) in place and adds the fingerprint.</summary>
    public static void Resolve(JsonObject config, IReadOnlyList<string> keys, string specDir)
    {
        if (keys.Count == 0) return;
        foreach (var key in keys)
        {
            var (parent, leaf) = Locate(config, key);
            if (parent?[leaf] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0)
                parent[leaf] = string.Join("::", text.Split("::").Select(p => Path.IsPathRooted(p.Trim()) ? p.Trim() : Path.GetFullPath(p.Trim(), specDir)));
        }
        config[FingerprintKey] = Fingerprint(config, keys);
    }

    /// <summary>
    /// The fingerprint of the files an already resolved config names: the planner stores it, and the runner computes it
    /// again before it reads the data, so data changed between plan and run fails the stage instead of being trained on.
    /// </summary>
    public static string Fingerprint(JsonObject config, IReadOnlyList<string> keys)
    {
        var lines = new StringBuilder();
        foreach (var key in keys)
        {
            var (parent, leaf) = Locate(config, key);
            if (parent?[leaf] is not JsonValue v || !v.TryGetValue<string>(out var text) || text.Length == 0) continue;
            IReadOnlyList<string> files;
            try { files = ShardPattern.Expand(text, Environment.CurrentDirectory); }
            catch (FormatException e) { throw new PatternException(key, $"{key}: {e.Message}"); }
            foreach (var file in files)
            {
                var info = new FileInfo(file);
                if (!info.Exists) return UnseenPrefix + file;
                lines.Append(CultureInfo.InvariantCulture, $"{key}\t{file}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}\n");
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    private static (JsonObject? Parent, string Leaf) Locate(JsonObject config, string key)
    {
        var parts = key.Split('.');
        var node = config;
        for (var i = 0; i < parts.Length - 1; i++)
            if (node[parts[i]] is JsonObject child) node = child;
            else return (null, parts[^1]);
        return (node, parts[^1]);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ablations.Runner.Data.Reinforced;

namespace Ablations.Runner.Data.DataComp;

/// <summary>Where the reinforced shards are and how to read them (the training patch's options, ours by name).</summary>
/// <param name="Shards">DataCompDR / DFNDR shards (brace-expanded; <see cref="ShardPattern"/>).</param>
/// <param name="Images">The base dataset's shards with <c>jpg</c>/<c>png</c>, <c>txt</c> and <c>json</c> (uid), aligned with
/// <see cref="Shards"/> shard by shard and joined by uid; null when the reinforced shards carry the images themselves.</param>
/// <param name="TeacherDimensions">Width of each teacher's part of the concatenated embeddings (<c>--distill-teacher-dimension</c>).</param>
/// <param name="SynKeyRegex">Which <c>syn.json</c> keys are captioners to sample from (<c>--dataset-reinforcement-syn-text-key-regex</c>).</param>
internal sealed record DrSource(IReadOnlyList<string> Shards, IReadOnlyList<string>? Images, IReadOnlyList<int> TeacherDimensions, string SynKeyRegex)
{
    public int EmbeddingWidth => TeacherDimensions.Sum();
}

/// <summary>A shard that is not a reinforced shard of the expected layout: the stage stops, naming the key that is missing.</summary>
internal sealed class DrLayoutException(string message) : Exception(message);

/// <summary>
/// Streams <see cref="DrSample"/>s from DataCompDR-format shards, never holding more than one sample of each shard (and
/// the image samples read ahead of their reinforced sample, should the two shards disagree on order). A sample with a
/// missing or corrupt part is skipped and counted by reason (<see cref="Skipped"/>); a shard none of whose first
/// <see cref="LayoutSamples"/> samples has a part every reinforced sample has, or whose embeddings are not as wide as the
/// declared teachers, is refused.
/// </summary>
internal sealed class DrShardReader(DrSource source)
{
    /// <summary>Image samples held while looking for a uid before the image shard is given up as misaligned.</summary>
    public const int MaxReadAhead = 4096;

    private readonly Regex _synKey = new(source.SynKeyRegex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Skipped samples by reason ("no image", "sha256 mismatch", "corrupt npz", …).</summary>
    public Dictionary<string, long> Skipped { get; } = new(StringComparer.Ordinal);

    public long SkippedTotal => Skipped.Values.Sum();

    public IEnumerable<DrSample> Samples(int shard)
    {
        var path = source.Shards[shard];
        using var dr = Open(path);
        IEnumerator<WdsSample>? images = null;
        Stream? imageStream = null;
        try
        {
            if (source.Images is { } list)
            {
                imageStream = Open(list[shard]);
                images = WebDatasetTar.Read(imageStream, list[shard]).GetEnumerator();
            }
            var pending = new Dictionary<string, WdsSample>(StringComparer.Ordinal);
            var layout = new List<WdsSample>(LayoutSamples);
            var index = 0;
            using var e = WebDatasetTar.Read(dr, path).GetEnumerator();
            while (true)
            {
                WdsSample raw;
                try
                {
                    if (!e.MoveNext()) break;
                    raw = e.Current;
                }
                catch (ShardReadException ex)
                {
                    Skip($"shard unreadable ({ex.InnerException?.GetType().Name})");
                    break;
                }
                if (index < LayoutSamples) layout.Add(raw);
                if (++index == LayoutSamples) CheckLayout(layout, path);
                var sample = Parse(raw, images, pending, path);
                if (sample is not null) yield return sample;
            }
            if (index is > 0 and < LayoutSamples) CheckLayout(layout, path);
        }
        finally
        {
            images?.Dispose();
            imageStream?.Dispose();
        }
    }

    private static Stream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DrLayoutException($"shard {path} does not exist; check the shard pattern and that the data is downloaded (docs/data-format.md)");
        }
    }

    private static readonly string[] Required = ["json", "paug.json", "syn.json"];

    /// <summary>How many samples at the start of a shard decide its layout: one damaged first sample is skipped, not the shard.</summary>
    public const int LayoutSamples = 8;

    /// <summary>
    /// Refuses a shard when none of its first samples has a part every reinforced sample has, or when its embeddings are
    /// not as wide as the declared teachers: not DataCompDR at all, or not the data the spec describes.
    /// </summary>
    private void CheckLayout(IReadOnlyList<WdsSample> first, string path)
    {
        var has = string.Join(", ", first.SelectMany(s => s.Parts.Keys).Distinct().Order(StringComparer.Ordinal));
        string None(string what) => first.Count == 1 ? $"its only sample '{first[0].Key}' has no {what}" : $"none of its first {first.Count} samples has {what}";
        bool Any(string key) => first.Any(s => s.Parts.ContainsKey(key));
        foreach (var key in Required)
            if (!Any(key))
                throw new DrLayoutException($"shard {path}: {None($"'{key}'")} (they have: {has}); a DataCompDR shard carries " +
                                            "url.txt, json, syn.json, paug.json and npz or pth.gz per sample — is this a base image shard given as the reinforced shards?");
        if (!Any("npz") && !Any("pth.gz"))
            throw new DrLayoutException($"shard {path}: {None("'npz' or 'pth.gz' embeddings")} (they have: {has})");
        if (source.Images is null && first.All(s => s.Image is null))
            throw new DrLayoutException($"shard {path}: {None("image")} (they have: {has}); name the base dataset's shards with 'images:' to join them by uid");
        foreach (var s in first)
        {
            if (!s.Parts.TryGetValue("npz", out var npz)) continue;
            NpyArray? emb;
            try { emb = Npz.Read(npz).GetValueOrDefault("image_emb"); }
            catch (InvalidDataException) { continue; }
            if (emb is null) continue;
            if (emb.RowLength != source.EmbeddingWidth)
                throw new DrLayoutException($"shard {path}: image_emb rows are {emb.RowLength} wide but teacher_dimensions [{string.Join(", ", source.TeacherDimensions)}] add up to {source.EmbeddingWidth}; " +
                                            "declare each teacher's width as the shards were made (DataCompDR-12M: [768, 768])");
            break;
        }
    }

    private DrSample? Parse(WdsSample raw, IEnumerator<WdsSample>? images, Dictionary<string, WdsSample> pending, string path)
    {
        string uid;
        string? sha;
        try
        {
            using var meta = JsonDocument.Parse(Need(raw, "json"));
            uid = meta.RootElement.GetProperty("uid").ToString();
            sha = meta.RootElement.TryGetProperty("sha256", out var s) ? s.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or MissingPart)
        {
            return Skip(e is MissingPart m ? m.Message : "bad json");
        }

        byte[]? image;
        string? caption;
        if (images is null)
        {
            image = raw.Image;
            caption = raw.Parts.TryGetValue("txt", out var t) ? Encoding.UTF8.GetString(t) : null;
        }
        else
        {
            var match = FindImage(uid, images, pending);
            if (match is null) return Skip("no image with its uid");
            image = match.Image;
            caption = match.Parts.TryGetValue("txt", out var t) ? Encoding.UTF8.GetString(t) : null;
        }
        if (image is null) return Skip("no image");
        if (caption is null) return Skip("no txt caption");
        if (sha is not null && !string.Equals(Convert.ToHexStringLower(SHA256.HashData(image)), sha, StringComparison.OrdinalIgnoreCase))
            return Skip("sha256 mismatch");

        List<DrAugmentation> augs;
        Dictionary<string, string[]> syn;
        try
        {
            using var paug = JsonDocument.Parse(Need(raw, "paug.json"));
            augs = paug.RootElement.GetProperty("param_aug").EnumerateArray().Select(DrAugmentation.FromJson).ToList();
            using var synDoc = JsonDocument.Parse(Need(raw, "syn.json"));
            syn = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var p in synDoc.RootElement.EnumerateObject())
                if (_synKey.IsMatch(p.Name) && p.Value.ValueKind == JsonValueKind.Array)
                    syn[p.Name] = p.Value.EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
        }
        catch (MissingPart m) { return Skip(m.Message); }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException or FormatException)
        {
            return Skip("bad paug.json or syn.json");
        }
        if (augs.Count == 0) return Skip("no stored augmentation");
        if (syn.Count == 0 || syn.Values.Any(v => v.Length == 0)) return Skip("no synthetic caption under a selected key");

        Dictionary<string, NpyArray> arrays;
        try
        {
            arrays = raw.Parts.TryGetValue("npz", out var npz) ? Npz.Read(npz)
                : raw.Parts.TryGetValue("pth.gz", out var pth) ? TorchPickle.ReadTensors(pth)
                : throw new MissingPart("no npz or pth.gz");
        }
        catch (MissingPart m) { return Skip(m.Message); }
        catch (InvalidDataException) { return Skip(raw.Parts.ContainsKey("npz") ? "corrupt npz" : "corrupt pth.gz"); }
        if (!arrays.TryGetValue("image_emb", out var imageEmb) || !arrays.TryGetValue("text_emb", out var textEmb))
            return Skip("embeddings without image_emb or text_emb");
        var width = source.EmbeddingWidth;
        if (imageEmb.RowLength != width || textEmb.RowLength != width) return Skip("embeddings of another width");
        if (imageEmb.Rows != augs.Count) return Skip("image_emb rows differ from the stored augmentations");
        var synEmb = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var (key, captions) in syn)
        {
            if (arrays.TryGetValue(key + "_emb", out var own))
            {
                if (own.RowLength != width || own.Rows < captions.Length) return Skip("synthetic embeddings that do not match their captions");
                synEmb[key] = own;
            }
            else if (syn.Count > 1 || textEmb.Rows < 1 + captions.Length)
                return Skip("no embeddings for a selected synthetic key");
        }
        return new DrSample(uid, image, caption, syn, syn.Keys.Order(StringComparer.Ordinal).ToArray(), augs, imageEmb, textEmb, synEmb);
    }

    private static WdsSample? FindImage(string uid, IEnumerator<WdsSample> images, Dictionary<string, WdsSample> pending)
    {
        if (pending.Remove(uid, out var held)) return held;
        while (pending.Count < MaxReadAhead)
        {
            try
            {
                if (!images.MoveNext()) return null;
            }
            catch (ShardReadException)
            {
                return null;
            }
            var s = images.Current;
            var id = ImageUid(s);
            if (id == uid) return s;
            pending[id] = s;
        }
        return null;
    }

    /// <summary>The uid of a base-dataset sample: its json's uid (DataComp), else its key.</summary>
    private static string ImageUid(WdsSample s)
    {
        if (s.Parts.TryGetValue("json", out var json))
            try
            {
                using var doc = JsonDocument.Parse(json);
                if (doc.RootElement.TryGetProperty("uid", out var uid)) return uid.ToString();
            }
            catch (JsonException) { }
        return s.Key;
    }

    private static byte[] Need(WdsSample raw, string part) => raw.Parts.TryGetValue(part, out var b) ? b : throw new MissingPart($"no {part}");

    private DrSample? Skip(string reason)
    {
        Skipped[reason] = Skipped.GetValueOrDefault(reason) + 1;
        return null;
    }

    private sealed class MissingPart(string message) : Exception(message);
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.Images;
using Ablations.Runner.Data.Reinforced;
using Ablations.Runner.Data.World;

namespace Ablations.Runner.Data.DataComp;

/// <summary>What one export wrote: where, how many samples and shards, and the flags Apple's training patch needs.</summary>
internal sealed record DrExport(string Directory, int Samples, int Shards, IReadOnlyList<(string Name, int Dim, double Scale)> Teachers, IReadOnlyList<string> SynKeys);

/// <summary>
/// Writes the reinforced data behind a student (a world pool, one embed artifact per teacher of its ensemble, one
/// captions artifact per captioner of its mix) as DataCompDR shards (docs/data-format.md): <c>images/NNNNNNNN.tar</c> as a
/// DataComp base dataset (KEY.png, KEY.txt, KEY.json with the uid) and <c>dr/NNNNNNNN.tar</c> aligned with it (KEY.url.txt,
/// KEY.json with uid and the image's sha256, KEY.syn.json, KEY.paug.json, KEY.npz with image_emb [augs, ΣD], text_emb [1, ΣD]
/// and per captioner KEY_emb [k, ΣD] in DFNDR's layout), each teacher's part in the ensemble's order. Images are PNG so
/// that the pixels the teachers embedded are the pixels any reader decodes. Only torchvision-style augmentations can be
/// exported: Apple's code replays torchvision's ops, not ours.
/// </summary>
internal static class DrExporter
{
    public static DrExport Export(string worldDir, string pool, IReadOnlyList<(string Name, string Dir, double Scale)> teachers,
        IReadOnlyList<(string Key, string Dir)> captioners, string outDir, int perShard)
    {
        if (teachers.Count == 0) throw new InvalidDataException("a student without teachers has no reinforced data to export; pick a run with teachers");
        var world = new WorldData(worldDir);
        var data = world.Pool(pool);
        var size = world.Manifest.ImageSize;
        var reader = new EmbeddingArtifact();
        var sets = teachers.Select(t => (t, set: reader.Read(t.Dir))).ToList();
        if (TeacherTargetSets.Mismatch([.. sets.Select(s => (s.t.Name, s.set))], data.Ids, $"'{pool}'") is { } mismatch)
            throw new InvalidDataException(mismatch);
        var augs = sets[0].set.Augmentations.Select(AugmentParams.ListFromJson).ToArray();
        if (augs.Any(list => list.Any(a => a.Torchvision is null)))
            throw new InvalidDataException("these embeddings were made with Ablations' own augmentations, which Apple's code cannot replay; " +
                                           "set stages.embed.augment.style: torchvision and run again, then export (docs/data-format.md)");
        var captions = captioners.Select(c => (key: "syn_text_" + c.Key, set: CaptionSet.Load(c.Dir))).ToList();
        foreach (var (key, set) in captions)
            if (!set.Ids.SequenceEqual(data.Ids)) throw new InvalidDataException($"captions '{key}' were made for another pool than '{pool}'");

        var worldName = Path.GetFileName(Path.TrimEndingDirectorySeparator(worldDir));
        worldName = worldName[..Math.Min(12, worldName.Length)];
        var n = data.Count;
        var shards = (n + perShard - 1) / perShard;
        Directory.CreateDirectory(Path.Combine(outDir, "images"));
        Directory.CreateDirectory(Path.Combine(outDir, "dr"));
        for (var s = 0; s < shards; s++)
        {
            var imageSamples = new List<WdsSample>();
            var drSamples = new List<WdsSample>();
            for (var r = s * perShard; r < Math.Min(n, (s + 1) * perShard); r++)
            {
                var key = r.ToString("D9");
                var uid = $"{worldName}-{data.Ids[r]}";
                var png = ImageDecoder.EncodePng(new RgbImage(size, size, data.Pixels[r]));
                imageSamples.Add(new WdsSample(key, new Dictionary<string, byte[]>
                {
                    ["png"] = png, ["txt"] = Encoding.UTF8.GetBytes(data.Captions[r]), ["json"] = Json(new { uid }),
                }));
                var arrays = new Dictionary<string, NpyArray>
                {
                    ["image_emb"] = Concat(sets.Select(x => (x.set.Image, x.set.Dim)), r * augs[r].Length, augs[r].Length),
                    ["text_emb"] = Concat(sets.Select(x => (x.set.Gt, x.set.Dim)), r, 1),
                };
                var syn = new Dictionary<string, string[]>(StringComparer.Ordinal);
                foreach (var (k, set) in captions)
                {
                    syn[k] = set.Captions[r];
                    arrays[k + "_emb"] = Concat(sets.Select(x => Synthetic(x.set, k["syn_text_".Length..])), r * set.PerImage, set.PerImage);
                }
                drSamples.Add(new WdsSample(key, new Dictionary<string, byte[]>
                {
                    ["url.txt"] = Encoding.UTF8.GetBytes($"ablations://{worldName}/{pool}/{data.Ids[r]}"),
                    ["json"] = Json(new { uid, sha256 = Convert.ToHexStringLower(SHA256.HashData(png)) }),
                    ["syn.json"] = Json(syn),
                    ["paug.json"] = Json(new { param_aug = augs[r].Select(a => a.Torchvision!.ToJsonValue()) }),
                    ["npz"] = Npz.Write(arrays),
                }));
            }
            WriteAtomically(Path.Combine(outDir, "images", $"{s:D8}.tar"), imageSamples);
            WriteAtomically(Path.Combine(outDir, "dr", $"{s:D8}.tar"), drSamples);
        }
        return new DrExport(outDir, n, shards, sets.Select(x => (x.t.Name, x.set.Dim, x.t.Scale)).ToList(), captions.Select(c => c.key).ToList());
    }

    private static (float[] Data, int Dim) Synthetic(TeacherTargetSet set, string captioner) =>
        set.Synthetic.TryGetValue(captioner, out var syn) ? (syn.Data, set.Dim)
            : throw new InvalidDataException($"a teacher's embeddings hold no captions '{captioner}' (have: {string.Join(", ", set.Synthetic.Keys)})");

    /// <summary>Rows [first, first + rows) of each teacher's [N·rows, D_k] table, concatenated per row in teacher order.</summary>
    private static NpyArray Concat(IEnumerable<(float[] Data, int Dim)> parts, int first, int rows)
    {
        var list = parts.ToList();
        var width = list.Sum(p => p.Dim);
        var data = new float[rows * width];
        for (var i = 0; i < rows; i++)
        {
            var at = i * width;
            foreach (var (table, dim) in list)
            {
                Array.Copy(table, (long)(first + i) * dim, data, at, dim);
                at += dim;
            }
        }
        return new NpyArray([rows, width], data);
    }

    private static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    /// <summary>A shard appears whole or not at all: written beside its place, then renamed.</summary>
    private static void WriteAtomically(string path, IEnumerable<WdsSample> samples)
    {
        var tmp = path + ".partial";
        using (var f = File.Create(tmp)) WebDatasetTar.Write(f, samples);
        File.Move(tmp, path, overwrite: true);
    }
}

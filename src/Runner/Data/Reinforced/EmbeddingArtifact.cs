using System.Text.Json;

namespace Ablations.Runner.Data.Reinforced;

/// <summary>embed.json: shapes and provenance of an embeddings.parquet.</summary>
internal sealed record EmbeddingMeta(int Dim, int Augs, Dictionary<string, int> Captioners, double TeacherLogitScale, int Rows);

/// <summary>Our Parquet schema for one teacher's targets (docs/data-format.md): writer and reader.</summary>
internal sealed class EmbeddingArtifact : ITeacherTargetReader
{
    public const string DataFile = "embeddings.parquet", MetaFile = "embed.json";

    public static void Write(string dir, TeacherTargetSet set)
    {
        var n = set.Ids.Length;
        var columns = new Dictionary<string, Array>
        {
            ["id"] = set.Ids,
            ["paug"] = set.Augmentations,
            ["image_emb"] = Rows(set.Image, n, set.Augs * set.Dim),
            ["text_gt"] = Rows(set.Gt, n, set.Dim),
        };
        foreach (var (key, (k, data)) in set.Synthetic) columns[$"syn_{key}"] = Rows(data, n, k * set.Dim);
        ParquetTable.Write(Path.Combine(dir, DataFile), columns, rowGroupSize: 5_000);
        var meta = new EmbeddingMeta(set.Dim, set.Augs, set.Synthetic.ToDictionary(kv => kv.Key, kv => kv.Value.PerImage), set.TeacherLogitScale, n);
        File.WriteAllText(Path.Combine(dir, MetaFile), JsonSerializer.Serialize(meta));
    }

    public TeacherTargetSet Read(string dir)
    {
        var meta = JsonSerializer.Deserialize<EmbeddingMeta>(File.ReadAllText(Path.Combine(dir, MetaFile)))!;
        var cols = ParquetTable.Read(Path.Combine(dir, DataFile));
        var syn = meta.Captioners.ToDictionary(kv => kv.Key,
            kv => (kv.Value, Flatten((byte[][])cols[$"syn_{kv.Key}"], kv.Value * meta.Dim)));
        return new TeacherTargetSet((long[])cols["id"], (string[])cols["paug"], meta.Dim, meta.Augs,
            Flatten((byte[][])cols["image_emb"], meta.Augs * meta.Dim), Flatten((byte[][])cols["text_gt"], meta.Dim), syn, meta.TeacherLogitScale);
    }

    private static byte[][] Rows(float[] flat, int n, int width) =>
        Enumerable.Range(0, n).Select(i => FloatBytes.Pack(flat.AsSpan(i * width, width))).ToArray();

    private static float[] Flatten(byte[][] rows, int width)
    {
        var flat = new float[rows.Length * width];
        for (var i = 0; i < rows.Length; i++) FloatBytes.Unpack(rows[i], flat.AsSpan(i * width, width));
        return flat;
    }
}

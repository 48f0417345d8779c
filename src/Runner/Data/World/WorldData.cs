namespace Ablations.Runner.Data.World;

/// <summary>A pool or split loaded in memory: pixels are HWC uint8 rows of ImageSize² × 3 bytes.</summary>
internal sealed record ImageTextSet(long[] Ids, byte[][] Pixels, string[] Captions)
{
    public int Count => Ids.Length;
}

internal sealed record LabelledSet(long[] Ids, byte[][] Pixels, int[] Labels);

/// <summary>Reads a world artifact directory.</summary>
internal sealed class WorldData(string dir)
{
    public WorldManifest Manifest { get; } = WorldManifest.Load(dir);

    public string Directory => dir;

    public ImageTextSet Pool(string name)
    {
        var cols = ParquetTable.ReadDirectory(Path.Combine(dir, name), ["id", "pixels", "caption"]);
        return new ImageTextSet((long[])cols["id"], (byte[][])cols["pixels"], (string[])cols["caption"]);
    }

    public string[] Truth(string pool) => (string[])ParquetTable.ReadDirectory(Path.Combine(dir, pool), ["truth"])["truth"];

    public LabelledSet Task(string name)
    {
        var cols = ParquetTable.ReadDirectory(Path.Combine(dir, "eval", name));
        return new LabelledSet((long[])cols["id"], (byte[][])cols["pixels"], (int[])cols["label"]);
    }
}

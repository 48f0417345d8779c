using System.Text.Json;

namespace Ablations.Runner.Data.Reinforced;

/// <summary>A captions artifact: per pool row, the k synthetic captions of one captioner (captions.parquet).</summary>
internal sealed record CaptionSet(long[] Ids, string[][] Captions)
{
    public const string FileName = "captions.parquet";

    public int PerImage => Captions.Length == 0 ? 0 : Captions[0].Length;

    public void Save(string dir) => ParquetTable.Write(Path.Combine(dir, FileName), new Dictionary<string, Array>
    {
        ["id"] = Ids, ["captions"] = Captions.Select(c => JsonSerializer.Serialize(c)).ToArray(),
    });

    public static CaptionSet Load(string dir)
    {
        var cols = ParquetTable.Read(Path.Combine(dir, FileName));
        return new CaptionSet((long[])cols["id"],
            ((string[])cols["captions"]).Select(j => JsonSerializer.Deserialize<string[]>(j)!).ToArray());
    }
}

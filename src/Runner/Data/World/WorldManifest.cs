using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Runner.Data.World;

/// <summary>world.json: what a world artifact holds. Pools and splits are directories of part-*.parquet shards.</summary>
internal sealed record WorldManifest(
    int ImageSize,
    IReadOnlyList<string> Vocabulary,
    IReadOnlyList<ZeroShotTask> Tasks,
    IReadOnlyDictionary<string, int> Pools,
    int Retrieval,
    JsonObject Options)
{
    public const string FileName = "world.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public void Save(string dir) => File.WriteAllText(Path.Combine(dir, FileName), JsonSerializer.Serialize(this, Json));

    public static WorldManifest Load(string dir) =>
        JsonSerializer.Deserialize<WorldManifest>(File.ReadAllText(Path.Combine(dir, FileName)), Json)
        ?? throw new InvalidDataException($"{dir}/{FileName} is empty");

    public WordTokenizer Tokenizer() => new(Vocabulary);
}

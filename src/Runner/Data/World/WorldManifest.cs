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
    JsonObject Options,
    string TokenizerKind = "word")
{
    public const string FileName = "world.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public void Save(string dir) => File.WriteAllText(Path.Combine(dir, FileName), JsonSerializer.Serialize(this, Json));

    public static WorldManifest Load(string dir) =>
        JsonSerializer.Deserialize<WorldManifest>(File.ReadAllText(Path.Combine(dir, FileName)), Json)
        ?? throw new InvalidDataException($"{dir}/{FileName} is empty");

    /// <summary>The tokenizer every model of this world uses: the closed word list, or GPT-2 BPE (<c>tokenizer: gpt2</c>).</summary>
    public ITextTokenizer Tokenizer() => TokenizerKind switch
    {
        "word" => new WordTokenizer(Vocabulary),
        "gpt2" => new BpeTokenizer(),
        var k => throw new InvalidDataException($"world.json names tokenizer '{k}'; this version knows word and gpt2"),
    };
}

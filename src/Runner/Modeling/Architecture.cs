using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Runner.Modeling;

/// <summary>Image tower: "cnn" uses <see cref="Widths"/>; "vit" uses patch/width/layers/heads.</summary>
internal sealed record ImageTowerSpec(string Family, int[] Widths, int Patch, int Width, int Layers, int Heads);

internal sealed record TextTowerSpec(int Width, int Layers, int Heads);

/// <summary>A named model size from architectures.json (a data file, so sizes change without code).</summary>
internal sealed record Architecture(string Name, int EmbedDim, ImageTowerSpec Image, TextTowerSpec Text)
{
    private static readonly Lazy<IReadOnlyDictionary<string, Architecture>> All = new(Load);

    public static IReadOnlyCollection<string> Names => All.Value.Keys.ToList();

    public static Architecture Get(string name) =>
        All.Value.TryGetValue(name, out var a)
            ? a
            : throw new ArgumentException($"unknown architecture '{name}'; known: {string.Join(", ", All.Value.Keys)}");

    private static IReadOnlyDictionary<string, Architecture> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Ablations.Runner.Modeling.architectures.json")
            ?? throw new InvalidOperationException("architectures.json resource missing");
        var root = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        var result = new Dictionary<string, Architecture>(StringComparer.Ordinal);
        foreach (var (name, node) in root)
        {
            if (name.StartsWith("//", StringComparison.Ordinal) || node is not JsonObject o) continue;
            var img = o["image"]!.AsObject();
            var txt = o["text"]!.AsObject();
            result[name] = new Architecture(name, (int)o["embed_dim"]!,
                new ImageTowerSpec((string)img["family"]!,
                    img["widths"]?.AsArray().Select(w => (int)w!).ToArray() ?? [],
                    (int?)img["patch"] ?? 4, (int?)img["width"] ?? 0, (int?)img["layers"] ?? 0, (int?)img["heads"] ?? 1),
                new TextTowerSpec((int)txt["width"]!, (int)txt["layers"]!, (int)txt["heads"]!));
        }
        return result;
    }
}

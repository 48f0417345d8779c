namespace Ablations.Runner.Data.World;

/// <summary>What happened to a caption: the ground-truth-derived kinds and the web-noise kinds.</summary>
internal enum CaptionKind { Clean, Partial, WrongAttribute, Generic, Unrelated, Spam, Complete }

/// <summary>
/// Writes captions from a scene's ground truth with many templates and paraphrases, and corrupts them the
/// way alt-text goes wrong. Every word used is in <see cref="Vocabulary"/> (the world's closed vocabulary).
/// </summary>
internal static class CaptionWriter
{
    private static readonly string[] Small = ["small", "tiny", "little"];
    private static readonly string[] Large = ["large", "big", "huge"];
    private static readonly string[] Generic =
    [
        "a picture", "an image", "a nice photo", "abstract art", "graphic design", "my favourite picture",
        "image of something", "a photo from the web", "digital art", "wallpaper", "untitled", "a simple drawing",
    ];
    private static readonly string[] SpamWords =
    [
        "buy", "now", "cheap", "free", "shipping", "best", "price", "sale", "click", "here", "download", "discount",
        "offer", "deal", "online", "shop", "hd", "jpg", "png", "stock", "photo", "logo", "vector", "icon",
    ];
    private static readonly string[] CountWords = ["one", "two", "three"];

    public static IEnumerable<string> Vocabulary =>
        WorldAttributes.Shapes.Concat(WorldAttributes.Colours).Concat(Small).Concat(Large).Concat(CountWords)
            .Concat(WorldAttributes.Positions.SelectMany(p => p.Split(' ')))
            .Concat(WorldAttributes.Backgrounds)
            .Concat(Generic.SelectMany(g => g.Split(' '))).Concat(SpamWords)
            .Concat(TemplateWords.Split(' '));

    private const string TemplateWords =
        "a an the of on in at with and next to there is are shapes objects shape object photo image picture showing " +
        "background corner side single something coloured colored drawn some its it has sits near above below one " +
        "plus together scene containing shows like thing with";

    /// <summary>A short correct caption about the main object (and sometimes the others).</summary>
    public static string Clean(Scene s, Rng rng)
    {
        var m = s.Main;
        if (s.Objects.Count > 1 && rng.NextDouble() < 0.5) return Multi(s, rng);
        return rng.Next(9) switch
        {
            0 => $"a {m.ColourName} {m.ShapeName}",
            1 => $"a photo of a {m.ColourName} {m.ShapeName}",
            2 => $"a {SizeWord(m, rng)} {m.ColourName} {m.ShapeName}",
            3 => $"a {m.ColourName} {m.ShapeName} in the {m.PositionName}",
            4 => $"there is a {m.ColourName} {m.ShapeName} at the {m.PositionName}",
            5 => $"a {m.ColourName} {m.ShapeName} on a {s.BackgroundName} background",
            6 => $"an image showing a {SizeWord(m, rng)} {m.ColourName} {m.ShapeName}",
            7 => $"{CountWords[s.Objects.Count - 1]} {(s.Objects.Count == 1 ? "shape" : "shapes")}: a {m.ColourName} {m.ShapeName}",
            _ => $"a {m.ShapeName} coloured {m.ColourName}",
        };
    }

    /// <summary>A complete, varied description: every object with size, colour, shape, position, and the background.</summary>
    public static string Complete(Scene s, Rng rng)
    {
        var parts = s.Objects.Select(o => rng.Next(3) switch
        {
            0 => $"a {SizeWord(o, rng)} {o.ColourName} {o.ShapeName} in the {o.PositionName}",
            1 => $"a {o.ColourName} {o.ShapeName} at the {o.PositionName}",
            _ => $"a {SizeWord(o, rng)} {o.ColourName} {o.ShapeName} near the {o.PositionName} corner",
        }).ToList();
        var body = string.Join(" and ", parts);
        var count = CountWords[s.Objects.Count - 1];
        return rng.Next(4) switch
        {
            0 => $"{body} on a {s.BackgroundName} background",
            1 => $"{count} {(s.Objects.Count == 1 ? "shape" : "shapes")}: {body}",
            2 => $"a {s.BackgroundName} background with {body}",
            _ => $"a scene containing {body}",
        };
    }

    /// <summary>The web-pool caption: clean, or corrupted as <paramref name="kind"/>.</summary>
    public static string Noisy(Scene s, CaptionKind kind, Rng rng, Func<Rng, Scene> otherScene)
    {
        var m = s.Main;
        switch (kind)
        {
            case CaptionKind.Partial:
                return rng.Next(4) switch
                {
                    0 => $"a {m.ColourName} object",
                    1 => $"a {m.ShapeName}",
                    2 => $"something {m.ColourName}",
                    _ => $"a shape like a {m.ShapeName}",
                };
            case CaptionKind.WrongAttribute:
                var wrong = rng.Next(2) == 0
                    ? m with { Colour = (m.Colour + 1 + rng.Next(WorldAttributes.Colours.Length - 1)) % WorldAttributes.Colours.Length }
                    : m with { Shape = (m.Shape + 1 + rng.Next(WorldAttributes.Shapes.Length - 1)) % WorldAttributes.Shapes.Length };
                return Clean(s with { Objects = [wrong, .. s.Objects.Skip(1)] }, rng);
            case CaptionKind.Generic:
                return rng.Pick(Generic);
            case CaptionKind.Unrelated:
                return Clean(otherScene(rng), rng);
            case CaptionKind.Spam:
                return string.Join(' ', Enumerable.Range(0, 3 + rng.Next(4)).Select(_ => rng.Pick(SpamWords)));
            default:
                return Clean(s, rng);
        }
    }

    private static string Multi(Scene s, Rng rng)
    {
        var items = s.Objects.Select(o => $"a {o.ColourName} {o.ShapeName}").ToList();
        var count = CountWords[s.Objects.Count - 1];
        return rng.Next(3) switch
        {
            0 => string.Join(" and ", items),
            1 => $"{count} shapes: {string.Join(" and ", items)}",
            _ => $"{items[0]} next to {string.Join(" and ", items.Skip(1))}",
        };
    }

    private static string SizeWord(SceneObject o, Rng rng) => o.Size == 0 ? rng.Pick(Small) : rng.Pick(Large);
}

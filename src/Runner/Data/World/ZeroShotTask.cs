namespace Ablations.Runner.Data.World;

/// <summary>A zero-shot classification task: class names, prompt templates ("{}" = class name), and how to make a labelled scene.</summary>
internal sealed record ZeroShotTask(string Name, IReadOnlyList<string> Classes, IReadOnlyList<string> Templates)
{
    /// <summary>The world's tasks; "object" (colour + shape, 80 classes) is the ImageNet analogue.</summary>
    public static readonly IReadOnlyList<ZeroShotTask> All =
    [
        new("object", WorldAttributes.Colours.SelectMany(c => WorldAttributes.Shapes.Select(s => $"{c} {s}")).ToList(),
            ["a {}", "a photo of a {}", "an image showing a {}", "there is a {} in the picture"]),
        new("shape", WorldAttributes.Shapes, ["a {}", "a photo of a {}", "a shape like a {}", "a {} shape"]),
        new("colour", WorldAttributes.Colours, ["a {} object", "something {}", "a photo of a {} shape", "a {} thing"]),
        new("size", WorldAttributes.Sizes, ["a {} shape", "a {} object", "a photo of a {} thing"]),
        new("position", WorldAttributes.Positions, ["a shape in the {}", "an object at the {}", "something near the {} corner"]),
        new("count", WorldAttributes.Counts, ["{} shapes", "a picture with {} objects", "{} objects"]),
    ];

    public static ZeroShotTask Get(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"unknown zero-shot task '{name}'; tasks: {string.Join(", ", All.Select(t => t.Name))}");

    /// <summary>A scene whose answer to this task is <paramref name="label"/>.</summary>
    public Scene SampleScene(int label, Rng rng)
    {
        switch (Name)
        {
            case "count":
                return SceneSampler.Sample(rng, 0, count: label + 1);
            case "position":
                return SceneSampler.Sample(rng, 0, count: 1, quadrant: label);
            default:
                var s = SceneSampler.Sample(rng, 0, count: 1);
                var o = s.Main;
                o = Name switch
                {
                    "object" => o with { Colour = label / WorldAttributes.Shapes.Length, Shape = label % WorldAttributes.Shapes.Length },
                    "shape" => o with { Shape = label },
                    "colour" => o with { Colour = label },
                    "size" => o with { Size = label, Radius = label == 0 ? rng.Uniform(0.15, 0.19) : rng.Uniform(0.26, 0.32) },
                    _ => throw new InvalidOperationException(Name),
                };
                return s with { Objects = [o] };
        }
    }
}

namespace Ablations.Runner.Data.World;

/// <summary>The world's closed attribute sets. Ground truth uses these names; captions and class names reuse them.</summary>
internal static class WorldAttributes
{
    public static readonly string[] Shapes = ["circle", "square", "triangle", "diamond", "star", "cross", "ring", "bar", "arch", "crescent"];

    public static readonly string[] Colours = ["red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink"];

    public static readonly float[][] Rgb =
    [
        [0.90f, 0.12f, 0.10f], [1.00f, 0.55f, 0.05f], [0.95f, 0.90f, 0.10f], [0.10f, 0.72f, 0.20f],
        [0.10f, 0.85f, 0.90f], [0.12f, 0.25f, 0.95f], [0.60f, 0.15f, 0.85f], [1.00f, 0.50f, 0.78f],
    ];

    public static readonly string[] Sizes = ["small", "large"];

    public static readonly string[] Positions = ["top left", "top right", "bottom left", "bottom right"];

    public static readonly string[] Counts = ["one", "two", "three"];

    public static readonly string[] Backgrounds = ["plain", "noisy", "gradient", "striped", "checkered"];
}

/// <summary>One drawn object. X, Y are the centre in [0, 1] image coordinates; Radius is a fraction of the side.</summary>
internal sealed record SceneObject(int Shape, int Colour, int Size, double X, double Y, double Radius, double Rotation)
{
    public string ShapeName => WorldAttributes.Shapes[Shape];
    public string ColourName => WorldAttributes.Colours[Colour];
    public string SizeName => WorldAttributes.Sizes[Size];
    public int Quadrant => (Y < 0.5 ? 0 : 2) + (X < 0.5 ? 0 : 1);
    public string PositionName => WorldAttributes.Positions[Quadrant];
}

/// <summary>Ground truth of one image: background kind, its grey level and tint seed, and 1–3 objects (first = main).</summary>
internal sealed record Scene(int Background, double Grey, long TextureSeed, IReadOnlyList<SceneObject> Objects)
{
    public string BackgroundName => WorldAttributes.Backgrounds[Background];
    public SceneObject Main => Objects[0];
}

namespace Ablations.Runner.Data.World;

/// <summary>
/// Renders a scene to RGB bytes (HWC). Edges are anti-aliased by 4×4 supersampling of each shape's coverage;
/// objects are painted in order, so later ones occlude earlier ones.
/// </summary>
internal static class SceneRenderer
{
    private const int Sub = 4;

    public static byte[] Render(Scene scene, int size)
    {
        var img = new float[size * size * 3];
        PaintBackground(scene, size, img);
        foreach (var o in scene.Objects) PaintObject(o, size, img);
        var bytes = new byte[img.Length];
        for (var i = 0; i < img.Length; i++) bytes[i] = (byte)Math.Clamp((int)MathF.Round(img[i] * 255f), 0, 255);
        return bytes;
    }

    private static void PaintBackground(Scene s, int size, float[] img)
    {
        var rng = new Rng((ulong)s.TextureSeed);
        var tint = new[] { rng.Uniform(-0.04, 0.04), rng.Uniform(-0.04, 0.04), rng.Uniform(-0.04, 0.04) };
        var freq = rng.Uniform(3, 7);
        var phase = rng.Uniform(0, 2 * Math.PI);
        var angle = rng.Uniform(0, Math.PI);
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            double u = (x + 0.5) / size, v = (y + 0.5) / size;
            var g = s.Grey + s.Background switch
            {
                1 => rng.Uniform(-0.08, 0.08),
                2 => 0.15 * ((u * Math.Cos(angle) + v * Math.Sin(angle)) - 0.5),
                3 => 0.07 * Math.Sin(2 * Math.PI * freq * (u * Math.Cos(angle) + v * Math.Sin(angle)) + phase),
                4 => ((int)(u * freq) + (int)(v * freq)) % 2 == 0 ? 0.06 : -0.06,
                _ => 0,
            };
            for (var c = 0; c < 3; c++) img[(y * size + x) * 3 + c] = (float)Math.Clamp(g + tint[c], 0, 1);
        }
    }

    private static void PaintObject(SceneObject o, int size, float[] img)
    {
        var rgb = WorldAttributes.Rgb[o.Colour];
        var r = o.Radius * size;
        int x0 = Math.Max(0, (int)Math.Floor(o.X * size - r - 1)), x1 = Math.Min(size - 1, (int)Math.Ceiling(o.X * size + r + 1));
        int y0 = Math.Max(0, (int)Math.Floor(o.Y * size - r - 1)), y1 = Math.Min(size - 1, (int)Math.Ceiling(o.Y * size + r + 1));
        double cos = Math.Cos(o.Rotation), sin = Math.Sin(o.Rotation);
        bool At(double sx, double sy)
        {
            var px = (sx - o.X * size) / r;
            var py = (sy - o.Y * size) / r;
            return Inside(o.Shape, px * cos + py * sin, -px * sin + py * cos);
        }
        for (var y = y0; y <= y1; y++)
        for (var x = x0; x <= x1; x++)
        {
            // corners and centre agree → the pixel is fully in or out; only edge pixels are supersampled
            var centre = At(x + 0.5, y + 0.5);
            int hits;
            if (centre == At(x, y) && centre == At(x + 1, y) && centre == At(x, y + 1) && centre == At(x + 1, y + 1))
                hits = centre ? Sub * Sub : 0;
            else
            {
                hits = 0;
                for (var sy = 0; sy < Sub; sy++)
                for (var sx = 0; sx < Sub; sx++)
                    if (At(x + (sx + 0.5) / Sub, y + (sy + 0.5) / Sub)) hits++;
            }
            if (hits == 0) continue;
            var a = hits / (float)(Sub * Sub);
            var i = (y * size + x) * 3;
            for (var c = 0; c < 3; c++) img[i + c] = img[i + c] * (1 - a) + rgb[c] * a;
        }
    }

    /// <summary>Shape membership in unit coordinates (the shape fits the unit disc).</summary>
    public static bool Inside(int shape, double u, double v)
    {
        var r2 = u * u + v * v;
        if (r2 > 1) return false; // every shape fits the unit disc
        double R() => Math.Sqrt(r2);
        double Theta() => Math.Atan2(v, u) + Math.PI / 2; // polygons point up
        return shape switch
        {
            0 => true,
            1 => Math.Max(Math.Abs(u), Math.Abs(v)) <= 0.78,
            2 => R() <= Polygon(3, Theta()),
            3 => Math.Abs(u) + Math.Abs(v) <= 1,
            4 => R() <= Star(Theta()),
            5 => (Math.Abs(u) <= 0.3 && Math.Abs(v) <= 0.95) || (Math.Abs(v) <= 0.3 && Math.Abs(u) <= 0.95),
            6 => r2 >= 0.55 * 0.55,
            7 => Math.Abs(u) <= 0.95 && Math.Abs(v) <= 0.32,
            8 => v <= 0.2 && r2 >= 0.45 * 0.45,
            9 => ((u - 0.45) * (u - 0.45) + v * v) > 0.7,
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
    }

    private static double Polygon(int n, double theta)
    {
        var sector = 2 * Math.PI / n;
        var t = ((theta % sector) + sector) % sector - sector / 2;
        return Math.Cos(Math.PI / n) / Math.Cos(t);
    }

    private static double Star(double theta)
    {
        var sector = 2 * Math.PI / 5;
        var t = Math.Abs(((theta % sector) + sector) % sector - sector / 2) / (sector / 2); // 0 at a point, 1 between
        return 1 - 0.55 * t;
    }
}

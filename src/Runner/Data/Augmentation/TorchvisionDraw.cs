namespace Ablations.Runner.Data.Augmentation;

/// <summary>Random draws made as torchvision makes them, from our generator (the parameters are stored, so only the distribution has to match).</summary>
internal static class TorchvisionDraw
{
    /// <summary>
    /// RandomResizedCrop.get_params: up to 10 tries of an area in [<paramref name="scaleMin"/>, 1] of the image and a
    /// log-uniform aspect in [3/4, 4/3], the first box that fits wins; else the whole image (torchvision's fallback
    /// centre crop, which for these ratios is the whole image or its clamped centre — close enough for a draw).
    /// </summary>
    public static (int Top, int Left, int Height, int Width) CropBox(Rng rng, int width, int height, double scaleMin)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var area = width * height * rng.Uniform(scaleMin, 1);
            var aspect = Math.Exp(rng.Uniform(Math.Log(3.0 / 4), Math.Log(4.0 / 3)));
            var cw = (int)Math.Round(Math.Sqrt(area * aspect));
            var ch = (int)Math.Round(Math.Sqrt(area / aspect));
            if (cw <= 0 || ch <= 0 || cw > width || ch > height) continue;
            return (rng.Next(height - ch + 1), rng.Next(width - cw + 1), ch, cw);
        }
        return (0, 0, height, width);
    }
}

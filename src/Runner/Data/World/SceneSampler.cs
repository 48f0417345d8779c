namespace Ablations.Runner.Data.World;

/// <summary>Draws random scenes; constraints (fixed count, shape, quadrant…) serve the evaluation tasks.</summary>
internal static class SceneSampler
{
    public static Scene Sample(Rng rng, double multiObjectRate, int? count = null, int? quadrant = null)
    {
        var n = count ?? (rng.NextDouble() < multiObjectRate ? 2 + rng.Next(2) : 1);
        var objects = new List<SceneObject>();
        for (var i = 0; i < n; i++)
        {
            var size = rng.Next(2);
            // more objects → smaller, so they stay recognisable on a small canvas
            var radius = (size == 0 ? rng.Uniform(0.15, 0.2) : rng.Uniform(0.25, 0.32)) * (n == 1 ? 1 : 0.8);
            double x, y;
            if (i == 0 && quadrant is { } q)
            {
                // keep the centre clearly inside its quadrant
                x = (q % 2 == 0) ? rng.Uniform(radius, 0.42) : rng.Uniform(0.58, 1 - radius);
                y = (q < 2) ? rng.Uniform(radius, 0.42) : rng.Uniform(0.58, 1 - radius);
            }
            else
            {
                x = rng.Uniform(radius, 1 - radius);
                y = rng.Uniform(radius, 1 - radius);
            }
            objects.Add(new SceneObject(rng.Next(WorldAttributes.Shapes.Length), rng.Next(WorldAttributes.Colours.Length),
                size, x, y, radius, rng.Uniform(-0.3, 0.3)));
        }
        return new Scene(rng.Next(WorldAttributes.Backgrounds.Length), rng.Uniform(0.3, 0.6), (long)rng.NextULong(), objects);
    }
}

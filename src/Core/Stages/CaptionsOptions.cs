using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>Synthetic captions sampled from one captioner for every image of a pool.</summary>
public sealed record CaptionsOptions(
    string Pool,             // which pool's images get captions (the students' pool)
    int PerImage,            // captions sampled per image (DataCompDR: 5)
    double TopP,             // nucleus sampling mass, (0, 1]
    double Temperature,      // softmax temperature for sampling, > 0
    long Seed)
{
    public static CaptionsOptions Bind(JsonObject? config) => OptionsBinding.BindOrThrow(config, h => Bind(h.Reader));

    internal static CaptionsOptions Bind(ConfigReader r) => new(
        r.String("pool", "web", TeacherOptions.Pools), r.Int("per_image", 3, 1, 100),
        r.Double("top_p", 0.9, 1e-3, 1), r.Double("temperature", 0.8, 1e-3, 10), r.Long("seed", 3));

    public JsonObject ToJson() => new()
    {
        ["pool"] = Pool, ["per_image"] = PerImage, ["top_p"] = TopP, ["temperature"] = Temperature, ["seed"] = Seed,
    };
}

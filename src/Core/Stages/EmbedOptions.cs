using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>One teacher's stored targets for one pool: image embeddings per augmentation, text embeddings per caption.</summary>
public sealed record EmbedOptions(
    string Pool,                       // pool whose images and captions are embedded
    AugmentOptions Augment,
    IReadOnlyList<string> Captioners)  // captioner keys whose synthetic captions are embedded (inputs "captions:KEY")
{
    public static EmbedOptions Bind(JsonObject? config) => OptionsBinding.BindOrThrow(config, h => Bind(h.Reader));

    internal static EmbedOptions Bind(ConfigReader r) => new(
        r.String("pool", "web", TeacherOptions.Pools), AugmentOptions.Bind(r.Child("augment")), r.Strings("captioners", []));

    public JsonObject ToJson() => new()
    {
        ["pool"] = Pool, ["augment"] = Augment.ToJson(),
        ["captioners"] = new JsonArray(Captioners.Select(c => (JsonNode?)c).ToArray()),
    };
}

using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>Zero-shot classification over the world's tasks and image↔text retrieval.</summary>
public sealed record EvalOptions(IReadOnlyList<string> Tasks) // empty = every task the world defines
{
    public static EvalOptions Bind(JsonObject? config) => OptionsBinding.BindOrThrow(config, h => Bind(h.Reader));

    internal static EvalOptions Bind(ConfigReader r) => new(r.Strings("tasks", []));

    public JsonObject ToJson()
    {
        var o = new JsonObject();
        if (Tasks.Count > 0) o["tasks"] = new JsonArray(Tasks.Select(t => (JsonNode?)t).ToArray());
        return o;
    }
}

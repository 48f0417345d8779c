using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// A stage a pipeline asks for within one run, before hashing. <see cref="Key"/> is unique inside the run
/// (e.g. "teacher:dfn_a"); <see cref="Inputs"/> maps an input role the executor reads (e.g. "world",
/// "embed:dfn_a") to the key of the stage that produces it. <see cref="Config"/> must contain exactly what
/// affects the stage's output, because it is hashed. <see cref="Name"/> is the name a spec gave one of its own stages:
/// it labels the stage in plans and places it (<c>resources: {NAME: …}</c>); null: the stage is known by its type.
/// </summary>
public sealed record StageSpec(string Key, string Type, JsonObject Config, IReadOnlyDictionary<string, string> Inputs, string? Name = null)
{
    /// <summary>What plans and resources call the stage: its own name, else its type.</summary>
    public string Kind => Name ?? Type;
}

using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// A stage a pipeline asks for within one run, before hashing. <see cref="Key"/> is unique inside the run
/// (e.g. "teacher:dfn_a"); <see cref="Inputs"/> maps an input role the executor reads (e.g. "world",
/// "embed:dfn_a") to the key of the stage that produces it. <see cref="Config"/> must contain exactly what
/// affects the stage's output, because it is hashed.
/// </summary>
public sealed record StageSpec(string Key, string Type, JsonObject Config, IReadOnlyDictionary<string, string> Inputs);

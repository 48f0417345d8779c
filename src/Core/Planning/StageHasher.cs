using Ablations.Core.Stages;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// Content hash of a stage instance: SHA-256 over canonical JSON of (type, config, input role → upstream
/// hash, code version). Two runs that need the same work get the same hash and so share one stage.
/// </summary>
public static class StageHasher
{
    public static string Hash(string type, JsonObject config, IReadOnlyDictionary<string, string> inputHashes)
    {
        var inputs = new JsonObject();
        foreach (var (role, hash) in inputHashes) inputs[role] = hash;
        var doc = new JsonObject
        {
            ["type"] = type,
            ["config"] = config.DeepClone(),
            ["inputs"] = inputs,
            ["code"] = StageTypes.CodeVersion(type),
        };
        return JsonCanonical.Sha256(JsonCanonical.Serialize(doc));
    }
}

using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>A stage of the experiment's previous revision as the store has it: what its hash covered.</summary>
public sealed record PreviousStage(string Hash, string Type, string ConfigJson, IReadOnlyDictionary<string, string> Inputs, string? CodeVersion, string Status);

/// <summary>A stage the plan must compute and why: what differs from the same stage of the same run in the previous revision.</summary>
public sealed record StageChange(string Hash, string Type, string Key, string Reason);

/// <summary>
/// Explains, per stage that has to run, why it is new: compared with the stage under the same key in the same cell and
/// seed of the previous revision, its config (key by key, code files and program named apart), its code version or its
/// upstream stages differ; or the cell is new; or it is the same stage, not finished before. Pure.
/// </summary>
public static class PlanChanges
{
    private const int MaxShown = 3;

    /// <param name="done">Hashes of stages that already succeeded in the store (reused, not explained).</param>
    /// <param name="previousChains">Cell key → stage key → stage hash for every run of the previous revision.</param>
    public static IReadOnlyList<StageChange> Explain(StagePlan plan, IReadOnlySet<string> done,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> previousChains, IReadOnlyDictionary<string, PreviousStage> previousStages)
    {
        var byHash = plan.Stages.ToDictionary(s => s.Hash);
        var explained = new Dictionary<string, StageChange>(StringComparer.Ordinal);
        foreach (var run in plan.Runs)
        {
            previousChains.TryGetValue(run.CellKey, out var before);
            foreach (var (key, hash) in run.StageHashesByKey)
            {
                if (done.Contains(hash) || explained.ContainsKey(hash)) continue;
                var stage = byHash[hash];
                string reason;
                if (before is null) reason = "new cell";
                else if (!before.TryGetValue(key, out var oldHash) || !previousStages.TryGetValue(oldHash, out var old)) reason = "new stage in the run";
                else if (oldHash == hash) reason = $"unchanged, {old.Status} before";
                else reason = Differences(stage, old, byHash);
                explained[hash] = new StageChange(hash, stage.Kind, key, reason);
            }
        }
        return explained.Values.ToList();
    }

    private static string Differences(PlannedStage now, PreviousStage old, IReadOnlyDictionary<string, PlannedStage> plan)
    {
        var parts = new List<string>();
        var before = Flatten(JsonNode.Parse(old.ConfigJson));
        var after = Flatten(now.Config);
        var config = new List<string>();
        var code = new List<string>();
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            before.TryGetValue(path, out var b);
            after.TryGetValue(path, out var a);
            if (b == a) continue;
            if (path == "program_sha256") code.Add("program");
            else if (path.StartsWith("code.", StringComparison.Ordinal)) code.Add($"{path["code.".Length..]}{(b is null ? " added" : a is null ? " removed" : "")}");
            else config.Add($"{path} {Short(b)} → {Short(a)}");
        }
        if (config.Count > 0) parts.Add("config: " + Some(config));
        if (code.Count > 0) parts.Add("code: " + Some(code) + " changed");
        if (old.CodeVersion is not null && old.CodeVersion != now.CodeVersion) parts.Add($"code version {old.CodeVersion} → {now.CodeVersion}");
        var upstream = now.Inputs.Where(i => old.Inputs.GetValueOrDefault(i.Key) != i.Value)
            .Select(i => plan.TryGetValue(i.Value, out var u) && u.Kind != i.Key ? $"{u.Kind} ({i.Key})" : i.Key).Order(StringComparer.Ordinal).ToList();
        if (upstream.Count > 0) parts.Add("upstream: " + Some(upstream));
        if (parts.Count == 0) parts.Add(old.CodeVersion is null ? "code version (not recorded before)" : "stage type or hashing changed");
        return string.Join("; ", parts);
    }

    private static string Some(List<string> items) =>
        items.Count <= MaxShown ? string.Join(", ", items) : $"{string.Join(", ", items.Take(MaxShown))} and {items.Count - MaxShown} more";

    private static string Short(string? value) => value is null ? "(unset)" : value.Length <= 32 ? value : value[..29] + "…";

    /// <summary>Dotted path → canonical JSON of each leaf (arrays are leaves: a changed list shows as one value).</summary>
    private static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? n, string prefix)
        {
            if (n is JsonObject obj && obj.Count > 0)
                foreach (var (k, v) in obj) Walk(v, prefix.Length == 0 ? k : $"{prefix}.{k}");
            else result[prefix] = JsonCanonical.Serialize(n);
        }
        Walk(node, "");
        return result;
    }
}

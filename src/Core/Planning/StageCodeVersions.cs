namespace Ablations.Core.Planning;

/// <summary>
/// The code version that enters every stage hash. Bump a type's entry when its executor's output changes
/// meaning (a new loss term, a fixed bug in the world generator): every stage of that type, and
/// everything downstream of it, then re-runs instead of being reused from the store.
/// </summary>
public static class StageCodeVersions
{
    private static readonly Dictionary<string, string> Versions = new(StringComparer.Ordinal)
    {
        // 2: arguments are passed as W&B passes them (1.0 stays 1.0, nested parameters as one dict, ${args_json}).
        ["command"] = "2",
        // 2: with gt_replace_prob > 0, a GT caption replaced by a synthetic one gets the teachers' target for that
        //    synthetic caption (version 1 kept the GT caption's target: a KD target for a caption the student never saw).
        ["student"] = "2",
    };

    public static string For(string stageType) => Versions.GetValueOrDefault(stageType, "1");
}

using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>
/// A student trained with the reinforced loss L = (1−λ)·CLIP + λ·KD on (GT caption) + (synthetic caption).
/// This is the resolved stage form: every teacher carries an explicit scale (never a silent 1). With no
/// teachers λ is 0 by definition (plain CLIP, the no-KD baseline).
/// </summary>
public sealed record StudentOptions(
    string Arch,
    string Pool,                          // pool whose images/GT captions are trained on
    long Seed,                            // init, data order, augmentation/caption picks
    ScheduleOptions Schedule,
    double Lambda,                        // weight of KD vs CLIP in [0, 1]; MobileCLIP2 uses 1
    IReadOnlyList<KdTeacher> Teachers,    // ensemble, sorted by name (inputs "embed:NAME")
    IReadOnlyList<string> CaptionMix,     // captioner keys whose synthetic captions are sampled (inputs "captions:KEY")
    int? CaptionsPerCaptioner,            // use only the first N captions of each captioner; null = all
    int? AugmentationsUsed,               // use only the first N stored augmentations; null = all
    AugmentOptions Augment,               // must equal the embed stages' augmentation (same stored params)
    bool SequentialSampling,              // pick augmentation/caption index = epoch mod N instead of uniformly
    double GtReplaceProb)                 // probability the GT caption is replaced by another synthetic caption
{
    public static readonly string[] Keys = ["arch", "pool", "seed", "lambda", "teachers", "caption_mix", "captions_per_captioner", "augmentations_used", "augment", "sampling", "gt_replace_prob"];

    public static StudentOptions Bind(JsonObject? config) => OptionsBinding.BindOrThrow(config, h => Bind(h.Reader));

    internal static StudentOptions Bind(ConfigReader r)
    {
        var teachers = KdTeacher.BindList(r);
        var lambda = r.Double("lambda", teachers.Count == 0 ? 0 : 1, 0, 1);
        if (teachers.Count == 0 && lambda > 0) r.Error("lambda", $"lambda is {lambda} but the student has no teachers; set lambda 0 (plain CLIP) or add teachers");
        var sampling = r.String("sampling", "random", ["random", "sequential"]);
        int? Opt(string key) => r.Has(key) ? r.Int(key, 1, 1, 100_000) : null;
        return new StudentOptions(
            r.String("arch", "cnn-tiny"), r.String("pool", "web", TeacherOptions.Pools), r.Long("seed", 1),
            ScheduleOptions.Bind(r, ScheduleOptions.Default), lambda,
            teachers, r.Strings("caption_mix", []),
            Opt("captions_per_captioner"), Opt("augmentations_used"), AugmentOptions.Bind(r.Child("augment")),
            sampling == "sequential", r.Double("gt_replace_prob", 0, 0, 1));
    }

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["arch"] = Arch, ["pool"] = Pool, ["seed"] = Seed };
        Schedule.Write(o);
        o["lambda"] = Lambda;
        o["teachers"] = new JsonArray(Teachers.Select(t => (JsonNode?)t.ToJson()).ToArray());
        o["caption_mix"] = new JsonArray(CaptionMix.Select(c => (JsonNode?)c).ToArray());
        if (CaptionsPerCaptioner is { } c) o["captions_per_captioner"] = c;
        if (AugmentationsUsed is { } a) o["augmentations_used"] = a;
        o["augment"] = Augment.ToJson();
        o["sampling"] = SequentialSampling ? "sequential" : "random";
        o["gt_replace_prob"] = GtReplaceProb;
        return o;
    }
}

using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>One teacher of a DataCompDR ensemble: its part of the concatenated embeddings and its KD logit scale.</summary>
public sealed record DrTeacher(string Name, int Dim, double Scale)
{
    public JsonObject ToJson() => new() { ["name"] = Name, ["dim"] = Dim, ["scale"] = Scale };
}

/// <summary>Zero-shot evaluation on labelled image shards (<c>KEY.jpg</c> + <c>KEY.cls</c>) with one prompt per class name.</summary>
public sealed record DrEvalOptions(string Shards, string Classnames, string Template)
{
    public JsonObject ToJson() => new() { ["shards"] = Shards, ["classnames"] = Classnames, ["template"] = Template };
}

/// <summary>
/// <c>dr_student</c>: a student trained on DataCompDR / DFNDR-format shards (docs/data-format.md) with the reinforced
/// loss, as Apple's open_clip patch trains it: per sample one stored augmentation replayed on the real image, the GT
/// caption and one synthetic caption (a key chosen uniformly among those the regex selects, then a caption), the
/// teachers' stored embeddings sliced per teacher and sharpened by each teacher's own logit scale.
/// <see cref="DataFingerprint"/> is written by the planner, never by the user: the size and modification time of every
/// shard, so that changed data under the same path is a new stage, not a stale reuse.
/// </summary>
public sealed record DrStudentOptions(
    string Shards,                      // brace-expanded reinforced shards (ShardPattern)
    string? Images,                     // base dataset shards joined by uid, aligned shard by shard; null = images inside Shards
    IReadOnlyList<DrTeacher> Teachers,  // in stored order: the concatenation order of the embeddings
    double Lambda,                      // (1−λ)·CLIP + λ·KD; MobileCLIP2 trains with λ = 1
    string SynKeyRegex,                 // --dataset-reinforcement-syn-text-key-regex
    double? MixSynthetic,               // --dataset-reinforcement-mix-synthetic-ratio: replace GT by a synthetic caption with this probability, one loss term; null = both terms
    bool SequentialSampling,            // augmentation and caption index = epoch mod N
    string Arch,
    int ImageSize,                      // the student's input resolution (224 for real students)
    string Interpolation,               // the student's RandomResizedCrop interpolation: bicubic (Apple's config) or bilinear
    long? Samples,                      // samples per epoch (--train-num-samples); null = every readable sample of the shards
    int ShuffleBuffer,                  // samples held for shuffling, as webdataset's shuffle
    long Seed,
    ScheduleOptions Schedule,
    DrEvalOptions? Eval,
    string? DataFingerprint)
{
    public static readonly string[] Interpolations = ["bicubic", "bilinear"];

    public static DrStudentOptions Bind(JsonObject? config) => OptionsBinding.BindOrThrow(config, h => Bind(h.Reader));

    internal static DrStudentOptions Bind(ConfigReader r)
    {
        if (!r.Has("shards")) r.Error("shards", "required: the reinforced shards, e.g. /data/datacompdr-12m/{00000000..00001023}.tar");
        var teachers = new List<DrTeacher>();
        if (r.Raw("teachers") is JsonArray arr)
            for (var i = 0; i < arr.Count; i++)
            {
                var t = new ConfigReader(arr[i] as JsonObject, r.PathOf($"teachers[{i}]"), r.Errors);
                if (!t.Has("dim")) t.Error("dim", "required: this teacher's width in the concatenated embeddings (DataCompDR-12M: 768 each)");
                if (!t.Has("scale")) t.Error("scale", "required: this teacher's KD logit scale (a missing scale would silently mean near-uniform targets)");
                teachers.Add(new DrTeacher(t.String("name", $"teacher{i}"), t.Int("dim", 1, 1, 1 << 16), t.Double("scale", double.NaN, 1e-3, 1000)));
                t.RejectUnknown();
            }
        else r.Error("teachers", "required: the teachers in the order their embeddings are concatenated, e.g. [{name: openai, dim: 768, scale: 50}, {name: datacomp, dim: 768, scale: 50}]");
        if (r.Raw("teachers") is JsonArray { Count: 0 })
            r.Error("teachers", "list at least one teacher: their widths say how to read the stored embeddings, even for the no-KD baseline (lambda: 0)");
        var lambda = r.Double("lambda", 1, 0, 1);
        double? mix = r.Has("mix_synthetic") ? r.Double("mix_synthetic", 0, 0, 1) : null;
        var sampling = r.String("sampling", "random", ["random", "sequential"]);
        long? samples = r.Has("samples") ? r.Long("samples", 1, 1, long.MaxValue) : null;
        DrEvalOptions? eval = null;
        if (r.Has("eval"))
        {
            var e = r.Child("eval");
            if (!e.Has("shards")) e.Error("shards", "required: labelled image shards (KEY.jpg + KEY.cls)");
            if (!e.Has("classnames")) e.Error("classnames", "required: a JSON file with the class names in label order");
            eval = new DrEvalOptions(e.String("shards", ""), e.String("classnames", ""), e.String("template", "a photo of a {}"));
            if (!eval.Template.Contains("{}")) e.Error("template", $"'{eval.Template}' has no {{}} where the class name goes");
            e.RejectUnknown();
        }
        var options = new DrStudentOptions(
            r.String("shards", ""), r.Has("images") ? r.String("images", "") : null, teachers, lambda,
            r.String("syn_key_regex", "^syn_text.*$"), mix, sampling == "sequential",
            r.String("arch", "cnn-tiny"), r.Int("image_size", 224, 8, 1024), r.String("interpolation", "bicubic", Interpolations),
            samples, r.Int("shuffle_buffer", 1000, 1, 1_000_000), r.Long("seed", 1),
            ScheduleOptions.Bind(r, ScheduleOptions.Default with { Epochs = 1 }), eval,
            r.Has("data_fingerprint") ? r.String("data_fingerprint", "") : null);
        try { _ = new System.Text.RegularExpressions.Regex(options.SynKeyRegex); }
        catch (ArgumentException e) { r.Error("syn_key_regex", $"not a regular expression: {e.Message}"); }
        return options;
    }

    /// <summary>The option keys that name external data (paths relative to the spec's folder; fingerprinted by the planner).</summary>
    public static readonly string[] DataKeys = ["shards", "images", "eval.shards", "eval.classnames"];

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["shards"] = Shards };
        if (Images is not null) o["images"] = Images;
        o["teachers"] = new JsonArray(Teachers.Select(t => (JsonNode?)t.ToJson()).ToArray());
        o["lambda"] = Lambda;
        o["syn_key_regex"] = SynKeyRegex;
        if (MixSynthetic is { } m) o["mix_synthetic"] = m;
        o["sampling"] = SequentialSampling ? "sequential" : "random";
        o["arch"] = Arch;
        o["image_size"] = ImageSize;
        o["interpolation"] = Interpolation;
        if (Samples is { } s) o["samples"] = s;
        o["shuffle_buffer"] = ShuffleBuffer;
        o["seed"] = Seed;
        Schedule.Write(o);
        if (Eval is not null) o["eval"] = Eval.ToJson();
        if (DataFingerprint is not null) o["data_fingerprint"] = DataFingerprint;
        return o;
    }
}

using System.Text.Json.Nodes;
using Ablations.Core.Spec;
using Ablations.Core.Stages;

namespace Ablations.Core.Planning.Pipelines;

/// <summary>
/// The MobileCLIP pipeline: world → teacher per ensemble member (+ its eval) → captioner per declared
/// captioner → captions → embed per teacher → student → eval (terminal), and beside the student, for a KD student,
/// kd_targets (its targets diagnosed from the embeddings, no training). Each stage's config holds only what
/// changes its output, so stages that runs share (the world, a teacher, its embeddings) hash identically:
/// e.g. the run seed and KD scale live in the student config, never in a teacher's.
/// </summary>
/// <remarks>
/// Spec layout (spec.Stages = the `stages:` section): world{…WorldOptions}, teacher{defaults for every
/// teacher variant}, captioner{defaults for every captioner variant}, captions{…}, embed{augment{…}},
/// student{arch, pool, schedule…, lambda, teachers: [variant names], caption_mix: [captioner names],
/// kd{scale: one scale for all teachers, scales{name: scale}}, …}, kd_targets{batches, seed}, eval{tasks}. Variants: teachers.NAME
/// {arch, pool, seed, kd_scale, schedule…}, captioners.NAME{finetune, …}.
/// A teacher's KD scale is kd.scales[NAME], else kd.scale, else the variant's kd_scale; none of them is an
/// error here, at plan time (the reference code's silent default of 1 gives near-uniform targets).
/// With no teachers there is no KD term, so λ is 0 by definition and KD settings are dropped (the no-KD
/// baseline is one stage however λ and the scale are swept).
/// </remarks>
public sealed class ReinforcedPipeline : IPipeline
{
    /// <summary>The `stages:` sections: one per built-in stage type.</summary>
    private static readonly string[] StageSections = StageTypes.BuiltIn.Select(t => t.Name).ToArray();

    public string Name => PipelineNames.Reinforced;

    public IReadOnlyCollection<string> ResourceNames(ExperimentSpec spec) => StageSections;

    public IReadOnlyList<StageSpec> Build(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> runParams, JsonObject runConfig, long seed)
    {
        var errors = new List<ConfigProblem>();
        var root = new ConfigReader(runConfig, "stages", errors);
        foreach (var s in StageSections) root.Raw(s);
        root.RejectUnknown();

        var worldReader = root.Child("world");
        var world = WorldOptions.Bind(worldReader);
        worldReader.RejectUnknown();

        var teacherVariants = Variants(spec, "teachers");
        var captionerVariants = Variants(spec, "captioners");

        var embedReader = root.Child("embed");
        var augment = AugmentOptions.Bind(embedReader.Child("augment"));
        embedReader.RejectUnknown();

        var student = BindStudent(root.Child("student"), teacherVariants, captionerVariants, augment, seed, errors);

        var captionsReader = root.Child("captions");
        var captions = CaptionsOptions.Bind(captionsReader) with { Pool = student?.Pool ?? "web" };
        if (captionsReader.Has("pool")) captionsReader.Error("pool", "captions are made for the student's pool; set student.pool instead");
        captionsReader.RejectUnknown();

        // kd_targets: {batches, seed}; its teachers, scales and batch size are the student's.
        var diagnosisReader = root.Child("kd_targets");
        var (diagnosisBatches, diagnosisSeed) = (diagnosisReader.Int("batches", KdTargetsOptions.DefaultBatches, 1, 10_000), diagnosisReader.Long("seed", 0));
        diagnosisReader.RejectUnknown();

        var evalReader = root.Child("eval");
        var eval = EvalOptions.Bind(evalReader);
        evalReader.RejectUnknown();

        var teacherDefaults = runConfig["teacher"] as JsonObject;
        var teachers = new Dictionary<string, TeacherOptions>();
        // The teachers are bound even when the student's options failed, so their problems are reported in the same pass.
        var teacherNames = student?.Teachers.Select(t => t.Name) ?? TeacherNames(runConfig);
        foreach (var t in teacherNames.Distinct(StringComparer.Ordinal).Select(n => new { Name = n }))
        {
            if (!teacherVariants.TryGetValue(t.Name, out var variant)) continue;
            var merged = Merge(teacherDefaults, variant, drop: "kd_scale");
            var reader = new ConfigReader(merged, $"variants.teachers.{t.Name}", errors).WithDefaults("stages.teacher", variant.Select(kv => kv.Key));
            reader.Raw("kd_scale");
            teachers[t.Name] = TeacherOptions.Bind(reader);
            reader.RejectUnknown();
        }

        var captionerDefaults = runConfig["captioner"] as JsonObject;
        var captioners = new Dictionary<string, CaptionerOptions>();
        foreach (var (name, variant) in captionerVariants.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var reader = new ConfigReader(Merge(captionerDefaults, variant), $"variants.captioners.{name}", errors).WithDefaults("stages.captioner", variant.Select(kv => kv.Key));
            captioners[name] = CaptionerOptions.Bind(reader);
            reader.RejectUnknown();
        }

        if (errors.Count > 0 || student is null) throw new StageConfigException(errors);

        var stages = new List<StageSpec> { new("world", "world", world.ToJson(), new Dictionary<string, string>()) };
        var onWorld = new Dictionary<string, string> { ["world"] = "world" };
        foreach (var (name, options) in captioners)
        {
            stages.Add(new StageSpec($"captioner:{name}", "captioner", options.ToJson(), onWorld));
            stages.Add(new StageSpec($"captions:{name}", "captions", captions.ToJson(),
                new Dictionary<string, string> { ["world"] = "world", ["captioner"] = $"captioner:{name}" }));
        }
        var embed = new EmbedOptions(student.Pool, augment, captioners.Keys.ToList());
        foreach (var (name, options) in teachers)
        {
            stages.Add(new StageSpec($"teacher:{name}", "teacher", options.ToJson(), onWorld));
            stages.Add(new StageSpec($"eval:teacher:{name}", "eval", eval.ToJson(),
                new Dictionary<string, string> { ["world"] = "world", ["model"] = $"teacher:{name}" }));
            var embedInputs = new Dictionary<string, string> { ["world"] = "world", ["teacher"] = $"teacher:{name}" };
            foreach (var c in captioners.Keys) embedInputs[$"captions:{c}"] = $"captions:{c}";
            stages.Add(new StageSpec($"embed:{name}", "embed", embed.ToJson(), embedInputs));
        }
        var studentInputs = new Dictionary<string, string> { ["world"] = "world" };
        foreach (var t in student.Teachers) studentInputs[$"embed:{t.Name}"] = $"embed:{t.Name}";
        foreach (var c in student.CaptionMix) studentInputs[$"captions:{c}"] = $"captions:{c}";
        if (student.Teachers.Count > 0)
        {
            // The targets this student is distilled from, diagnosed without training (beside its trained results in the
            // report). Its sampling seed is fixed, so the seeds of a cell, and cells that differ only elsewhere, share it.
            var diagnosis = new KdTargetsOptions(student.Teachers, student.Schedule.BatchSize, diagnosisBatches, diagnosisSeed);
            stages.Add(new StageSpec("kd_targets", "kd_targets", diagnosis.ToJson(),
                student.Teachers.ToDictionary(t => $"embed:{t.Name}", t => $"embed:{t.Name}")));
        }
        stages.Add(new StageSpec("student", "student", student.ToJson(), studentInputs));
        stages.Add(new StageSpec("eval", "eval", eval.ToJson(), new Dictionary<string, string> { ["world"] = "world", ["model"] = "student" }));
        return stages;
    }

    private static StudentOptions? BindStudent(ConfigReader r, IReadOnlyDictionary<string, JsonObject> teacherVariants,
        IReadOnlyDictionary<string, JsonObject> captionerVariants, AugmentOptions augment, long seed, List<ConfigProblem> errors)
    {
        var before = errors.Count;
        var names = r.Strings("teachers", []);
        var mix = r.Strings("caption_mix", []);
        var kd = r.Child("kd");
        var allScale = kd.OptionalDouble("scale", 1e-3, 1000);
        var perTeacher = kd.Child("scales");
        kd.RejectUnknown();

        var teachers = new List<KdTeacher>();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (!teacherVariants.TryGetValue(name, out var variant))
            {
                r.Error($"teachers[{i}]", $"unknown teacher '{name}'{ConfigReader.Suggest(name, teacherVariants.Keys)}; defined teachers are {string.Join(", ", teacherVariants.Keys)}");
                continue;
            }
            var scale = perTeacher.OptionalDouble(name, 1e-3, 1000) ?? allScale ?? VariantScale(variant);
            if (scale is null)
            {
                r.Error($"teachers[{i}]", $"teacher '{name}' has no KD logit scale; set variants.teachers.{name}.kd_scale or student.kd.scale (typical 50–100)");
                continue;
            }
            teachers.Add(new KdTeacher(name, scale.Value));
        }
        foreach (var (key, _) in (r.Raw("kd") as JsonObject)?["scales"] as JsonObject ?? [])
            if (!names.Contains(key) && !teacherVariants.ContainsKey(key)) perTeacher.Error(key, $"unknown teacher '{key}'");
        for (var i = 0; i < mix.Count; i++)
            if (!captionerVariants.ContainsKey(mix[i]))
                r.Error($"caption_mix[{i}]", $"unknown captioner '{mix[i]}'{ConfigReader.Suggest(mix[i], captionerVariants.Keys)}; defined captioners are {string.Join(", ", captionerVariants.Keys)}");
        if (teachers.Select(t => t.Name).Distinct().Count() != teachers.Count) r.Error("teachers", "a teacher is listed twice");

        var lambda = r.Double("lambda", 1, 0, 1);
        var sampling = r.String("sampling", "random", ["random", "sequential"]);
        int? Opt(string key) => r.Has(key) ? r.Int(key, 1, 1, 100_000) : null;
        var options = new StudentOptions(
            r.String("arch", "cnn-tiny"), r.String("pool", "web", TeacherOptions.Pools), seed,
            ScheduleOptions.Bind(r, ScheduleOptions.Default), names.Count == 0 ? 0 : lambda,
            teachers.OrderBy(t => t.Name, StringComparer.Ordinal).ToList(), mix,
            Opt("captions_per_captioner"), Opt("augmentations_used"), augment, sampling == "sequential",
            r.Double("gt_replace_prob", 0, 0, 1));
        if (options.AugmentationsUsed > augment.Count)
            r.Error("augmentations_used", $"{options.AugmentationsUsed} exceeds the {augment.Count} augmentations stored (embed.augment.count)");
        r.RejectUnknown();
        return errors.Count == before ? options : null;
    }

    private static IEnumerable<string> TeacherNames(JsonObject runConfig) =>
        (runConfig["student"] as JsonObject)?["teachers"] is JsonArray names
            ? names.OfType<JsonValue>().Where(v => v.GetValueKind() == System.Text.Json.JsonValueKind.String).Select(v => v.GetValue<string>())
            : [];

    private static double? VariantScale(JsonObject variant) =>
        ConfigReader.TryNumber(variant["kd_scale"], out var d) && d > 0 ? d : null;

    private static IReadOnlyDictionary<string, JsonObject> Variants(ExperimentSpec spec, string kind) =>
        spec.Variants.TryGetValue(kind, out var v) ? v : new Dictionary<string, JsonObject>();

    private static JsonObject Merge(JsonObject? defaults, JsonObject overlay, string? drop = null)
    {
        var merged = defaults?.DeepClone().AsObject() ?? new JsonObject();
        foreach (var (key, value) in overlay)
            if (key != drop) merged[key] = value?.DeepClone();
        if (drop is not null && overlay.ContainsKey(drop)) merged[drop] = overlay[drop]?.DeepClone();
        return merged;
    }
}

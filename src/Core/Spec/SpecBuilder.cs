using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ablations.Core.Spec;

/// <summary>Reads a parsed, normalised YAML tree into an <see cref="ExperimentSpec"/>, reporting every problem.</summary>
internal sealed partial class SpecBuilder(DiagnosticBag diags)
{
    public static readonly string[] RootKeys =
    [
        "name", "description", "pipeline", "method", "metric", "seeds", "run_cap", "design", "baseline", "stages",
        "variants", "parameters", "zip", "include", "exclude", "profiles", "resources", "program", "command",
        "command_options", "entity", "project", "early_terminate",
    ];

    private static readonly string[] MetricKeys = ["name", "goal", "target"];

    private readonly NodeReader _r = new(diags);

    [GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex NotNameChars();

    public ExperimentSpec? Build(SpecMapping raw, string path, string text, string? profile)
    {
        var root = SpecDocument.Normalize(raw, diags);
        _r.CheckKeys(root, RootKeys, "the top level");
        root = new ProfileReader(_r).Apply(root, profile);

        var isCommand = root.Get("program") is not null || root.Get("command") is not null;
        var pipeline = _r.Choice(root.Get("pipeline"), "pipeline", ["reinforced", "command"]) ?? (isCommand ? "command" : "reinforced");
        if (pipeline == "reinforced" && isCommand && root.Get("pipeline") is { } p)
        {
            diags.Add(p, "pipeline 'reinforced' does not run 'program:'/'command:'; use pipeline: command or drop them");
        }
        var name = ReadName(root.Get("name"), path, pipeline == "command");
        var description = _r.String(root.Get("description"), "description", "description: KD vs no-KD");
        var method = _r.Choice(root.Get("method"), "method", ["grid", "random"]) == "random" ? SweepMethod.Random : SweepMethod.Grid;
        var design = _r.Choice(root.Get("design"), "design", ["full", "one_at_a_time"]) == "one_at_a_time" ? DesignKind.OneAtATime : DesignKind.Full;
        var metric = ReadMetric(root.Get("metric"));
        var seeds = ReadSeeds(root.Get("seeds"));
        var runCap = ReadRunCap(root.Get("run_cap"));
        var sections = new ConfigSectionReader(_r);
        var stages = sections.ReadStages(root.Get("stages"));
        var variants = sections.ReadVariants(root.Get("variants"));
        var resources = sections.ReadResources(root.Get("resources"));
        var command = pipeline == "command" ? new CommandReader(_r).Read(root.Get("program"), root.Get("command"), root.Get("command_options"), root.Get("pipeline") ?? root) : null;

        var parameters = new ParameterReader(_r, method == SweepMethod.Random);
        if (_r.Mapping(root.Get("parameters"), "parameters", "parameters: {student.lambda: {values: [0.5, 1.0]}}") is { } paramMap)
        {
            parameters.ReadParameters(paramMap);
        }
        if (_r.Sequence(root.Get("zip"), "zip", "zip: [{a: [1, 2], b: [3, 4]}]") is { } zip)
        {
            parameters.ReadZip(zip);
        }
        parameters.Finish();

        var assignments = new AssignmentReader(_r, parameters.Axes, parameters.Fixed);
        var baseline = root.Get("baseline") is { } baselineNode and not SpecScalar { IsNull: true } ? assignments.Read(baselineNode, "baseline") : null;
        if (baseline is not null)
        {
            assignments.CheckBaseline(baseline);
        }
        var include = ReadAssignmentList(root.Get("include"), "include", assignments);
        var exclude = ReadAssignmentList(root.Get("exclude"), "exclude", assignments);
        foreach (var (entry, i) in include.Select((e, i) => (e, i)))
        {
            assignments.CheckFixed(entry, $"include[{i}]");
        }

        var checks = new SpecChecks(diags, root, parameters, variants, stages);
        checks.VariantReferencesAreDefined(baseline, include, exclude, root.Get("stages"));
        checks.ParameterPathsFitStages();
        checks.MethodAndDesign(method, design, runCap, baseline is not null, include.Count);
        if (method == SweepMethod.Grid)
        {
            checks.GridSize(design, seeds.Count, runCap, include.Count, exclude.Count);
        }

        if (diags.Count > 0)
        {
            return null;
        }
        return new ExperimentSpec
        {
            Name = name!,
            Description = description,
            SourcePath = path,
            SourceText = text,
            Pipeline = pipeline,
            Method = method,
            Metric = metric,
            Fixed = parameters.Fixed.ToDictionary(f => f.Key.Value, f => f.Value.Value, StringComparer.Ordinal),
            Axes = [.. parameters.Axes.Select(a => a.ToAxis())],
            Include = [.. include.Select(ToDictionary)],
            Exclude = [.. exclude.Select(ToDictionary)],
            Seeds = seeds,
            Baseline = baseline is null ? null : ToDictionary(baseline),
            Design = design,
            RunCap = runCap,
            Stages = stages,
            Variants = variants,
            Resources = resources,
            Command = command,
            Profile = profile,
        };
    }

    private static IReadOnlyDictionary<string, JsonNode?> ToDictionary(IEnumerable<(SpecScalar Key, ValueAt Value)> entries) =>
        entries.ToDictionary(e => e.Key.Value, e => e.Value.Value, StringComparer.Ordinal);

    private string? ReadName(SpecNode? node, string path, bool isCommand)
    {
        var name = _r.String(node, "name", "name: kd-temperature");
        if (name is null && node is not (null or SpecScalar { IsNull: true }))
        {
            return null;
        }
        if (name is null)
        {
            if (isCommand)
            {
                var stem = NotNameChars().Replace(Path.GetFileNameWithoutExtension(path).ToLowerInvariant(), "-").Trim('-');
                return stem.Length > 0 ? stem : "sweep";
            }
            diags.Add(1, 1, "missing 'name:'; add e.g. name: kd-temperature (lower-case letters, digits, '-' and '_')");
            return null;
        }
        if (name is not null && !NamePattern().IsMatch(name))
        {
            var slug = NotNameChars().Replace(name.ToLowerInvariant(), "-").Trim('-');
            diags.Add(node!, $"name '{name}' may only hold lower-case letters, digits, '-' and '_'; e.g. name: {(slug.Length > 0 ? slug : "my-ablation")}");
        }
        return name;
    }

    private MetricSpec? ReadMetric(SpecNode? node)
    {
        if (_r.Mapping(node, "metric", "metric: {name: zeroshot_avg, goal: maximize}") is not { } map)
        {
            return null;
        }
        _r.CheckKeys(map, MetricKeys, "metric");
        var name = _r.String(map.Get("name"), "metric.name", "name: zeroshot_avg");
        if (name is null)
        {
            diags.Add(map, "metric needs 'name:'; e.g. metric: {name: zeroshot_avg, goal: maximize}");
            return null;
        }
        var goal = _r.Choice(map.Get("goal"), "goal", ["maximize", "minimize"]);
        return new MetricSpec(name, goal == "maximize" ? MetricGoal.Maximize : MetricGoal.Minimize);
    }

    private IReadOnlyList<long> ReadSeeds(SpecNode? node)
    {
        if (node is SpecScalar { IsNull: false } single)
        {
            return _r.Integer(single, "seeds", "seeds: [1, 2, 3]") is { } s ? [s] : [0];
        }
        if (_r.Sequence(node, "seeds", "seeds: [1, 2, 3]") is not { } seq)
        {
            return [0];
        }
        if (seq.Items.Count == 0)
        {
            diags.Add(seq, "'seeds' is empty; give at least one seed, e.g. seeds: [0]");
            return [0];
        }
        var seeds = new List<long>();
        foreach (var item in seq.Items)
        {
            if (item is SpecScalar { IsNull: true })
            {
                diags.Add(item, "a seed is empty; give a whole number, e.g. seeds: [1, 2, 3]");
            }
            else if (_r.Integer(item, "seeds", "seeds: [1, 2, 3]") is { } seed)
            {
                if (seeds.Contains(seed))
                {
                    diags.Add(item, $"seed {seed} is listed twice; replicates need distinct seeds");
                }
                seeds.Add(seed);
            }
        }
        return seeds.Count > 0 ? seeds : [0];
    }

    private int? ReadRunCap(SpecNode? node)
    {
        var cap = _r.Integer(node, "run_cap", "run_cap: 100");
        if (cap is null)
        {
            return null;
        }
        if (cap is < 1 or > int.MaxValue)
        {
            diags.Add(node!, $"run_cap must be a positive whole number (got {cap}); e.g. run_cap: 100");
            return null;
        }
        return (int)cap;
    }

    private List<List<(SpecScalar Key, ValueAt Value)>> ReadAssignmentList(SpecNode? node, string what, AssignmentReader reader)
    {
        var result = new List<List<(SpecScalar, ValueAt)>>();
        if (_r.Sequence(node, what, $"{what}: [{{student.lambda: 0.0}}]") is not { } seq)
        {
            return result;
        }
        foreach (var (item, i) in seq.Items.Select((n, i) => (n, i)))
        {
            if (reader.Read(item, $"{what}[{i}]") is { } entry)
            {
                result.Add(entry);
            }
        }
        return result;
    }
}

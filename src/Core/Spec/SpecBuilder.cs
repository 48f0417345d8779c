using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>Reads a parsed, normalised YAML tree into an <see cref="ExperimentSpec"/>, reporting every problem.</summary>
internal sealed class SpecBuilder(DiagnosticBag diags)
{
    public static readonly string[] RootKeys =
    [
        "name", "description", "pipeline", "method", "metric", "seeds", "run_cap", "design", "baseline", "stages",
        "variants", "parameters", "zip", "include", "exclude", "profiles", "resources", "program", "command",
        "command_options", "entity", "project", "early_terminate", "apiVersion", "kind", "controller", "claims",
    ];

    private readonly NodeReader _r = new(diags);
    private readonly List<SpecDiagnostic> _notes = [];

    /// <param name="runCapOverride">--run-cap: replaces the file's run_cap (and lets a random W&amp;B sweep without one run).</param>
    public ExperimentSpec? Build(SpecMapping raw, string path, string text, string? profile, int? runCapOverride = null)
    {
        var root = SpecDocument.Normalize(raw, diags);
        _r.CheckKeys(root, RootKeys, "the top level");
        var profiles = new ProfileReader(_r);
        root = profiles.Apply(root, profile);

        var isCommand = root.Get("program") is not null || root.Get("command") is not null;
        // pipeline: as a mapping declares the spec's own stages; as a name it picks a built-in pipeline.
        var ownStages = root.Get("pipeline") as SpecMapping;
        var pipeline = ownStages is not null ? PipelineNames.Own
            : _r.Choice(root.Get("pipeline"), "pipeline", PipelineNames.Named) ?? (isCommand ? PipelineNames.Command : PipelineNames.Reinforced);
        if (ownStages is not null && isCommand)
        {
            diags.Add(root.KeyNode("program") ?? root.KeyNode("command")!, "a spec that declares its own stages under 'pipeline:' gives each stage its command; move 'program:'/'command:' into a stage");
        }
        if (pipeline == PipelineNames.Reinforced && isCommand && root.Get("pipeline") is { } p)
        {
            diags.Add(p, "pipeline 'reinforced' does not run 'program:'/'command:'; use pipeline: command or drop them");
        }
        var top = new TopLevelReader(_r, _notes);
        var name = top.ReadName(root.Get("name"), path, pipeline == PipelineNames.Command);
        var description = _r.String(root.Get("description"), "description", "description: KD vs no-KD");
        var methodName = _r.Choice(root.Get("method"), "method", ["grid", "random", "bayes"]);
        WandbKeys.RefuseUnsupported(root, methodName, diags);
        // bayes is refused above; its parameters are read as random search's, so it is refused in one line, not buried.
        var method = methodName is "random" or "bayes" ? SweepMethod.Random : SweepMethod.Grid;
        var design = _r.Choice(root.Get("design"), "design", ["full", "one_at_a_time"]) == "one_at_a_time" ? DesignKind.OneAtATime : DesignKind.Full;
        var metric = top.ReadMetric(root.Get("metric"));
        var seeds = top.ReadSeeds(root.Get("seeds"));
        var fileRunCap = top.ReadRunCap(root.Get("run_cap"));
        var runCap = runCapOverride ?? fileRunCap;
        var sections = new ConfigSectionReader(_r);
        var stages = sections.ReadStages(root.Get("stages"));
        var variants = sections.ReadVariants(root.Get("variants"));
        var resources = sections.ReadResources(root.Get("resources"));
        var command = pipeline == PipelineNames.Command ? new CommandReader(_r, _notes).Read(root.Get("program"), root.Get("command"), root.Get("command_options"), root.Get("pipeline") ?? root) : null;

        var parameters = new ParameterReader(_r, method == SweepMethod.Random, flatNames: pipeline is PipelineNames.Command or PipelineNames.Own);
        if (_r.Mapping(root.Get("parameters"), "parameters", "parameters: {student.lambda: {values: [0.5, 1.0]}}") is { } paramMap)
        {
            parameters.ReadParameters(paramMap);
        }
        if (_r.Sequence(root.Get("zip"), "zip", "zip: [{a: [1, 2], b: [3, 4]}]") is { } zip)
        {
            parameters.ReadZip(zip);
        }
        parameters.Finish();
        var seedParameter = pipeline == PipelineNames.Command ? WandbKeys.SeedsFromParameter(parameters, root, _notes, path) : null;
        seeds = seedParameter ?? seeds;
        var parameterKeys = parameters.Axes.SelectMany(a => a.Keys).Select(k => k.Value).Concat(parameters.Fixed.Select(f => f.Key.Value)).ToHashSet(StringComparer.Ordinal);
        var userStages = ownStages is null ? null : new UserStageReader(_r, _notes).Read(ownStages, parameterKeys);

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

        var axes = parameters.Axes.Select(a => a.ToAxis()).ToList();
        var claims = new ClaimReader(_r).Read(root.Get("claims"), TriedValues(axes, include));

        var checks = new SpecChecks(diags, root, parameters, variants, stages);
        checks.VariantReferencesAreDefined(baseline, include, exclude, root.Get("stages"));
        checks.ParameterPathsFitStages();
        checks.MethodAndDesign(method, design, runCap, baseline is not null, include.Count, methodName == "bayes");
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
            Axes = axes,
            Claims = claims,
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
            UserStages = userStages,
            Profile = profile,
            ProfileNames = profiles.Names,
            SeedParameter = seedParameter is null ? null : "seed",
            NestedParameters = parameters.Axes.SelectMany(a => a.Keys).Concat(parameters.Fixed.Select(f => f.Key))
                .Where(k => k.NestedPath is not null).ToDictionary(k => k.Value, k => k.NestedPath!, StringComparer.Ordinal),
            Positions = SpecPositionIndex.Build(root, parameters),
            Notes = [.. _notes],
        };
    }

    /// <summary>Every value the grid tries per axis key: the axis's own values and those include: entries add.</summary>
    private static Dictionary<string, IReadOnlyList<JsonNode?>> TriedValues(IReadOnlyList<Axis> axes, IEnumerable<List<(SpecScalar Key, ValueAt Value)>> include)
    {
        var tried = new Dictionary<string, IReadOnlyList<JsonNode?>>(StringComparer.Ordinal);
        foreach (var axis in axes)
            for (var k = 0; k < axis.Keys.Count; k++)
                tried[axis.Keys[k]] = [.. axis.Values.Select(row => row[k])];
        foreach (var entry in include)
            foreach (var (key, value) in entry)
                if (tried.TryGetValue(key.Value, out var values) && !values.Any(v => JsonNode.DeepEquals(v, value.Value)))
                    tried[key.Value] = [.. values, value.Value];
        return tried;
    }

    private static IReadOnlyDictionary<string, JsonNode?> ToDictionary(IEnumerable<(SpecScalar Key, ValueAt Value)> entries) =>
        entries.ToDictionary(e => e.Key.Value, e => e.Value.Value, StringComparer.Ordinal);

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

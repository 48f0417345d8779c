using Ablations.Core.Stages;
using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

public enum SweepMethod { Grid, Random }

public enum MetricGoal { Maximize, Minimize }

/// <summary>How cells are formed: every combination, or the baseline plus each axis value changed alone.</summary>
public enum DesignKind { Full, OneAtATime }

public sealed record MetricSpec(string Name, MetricGoal Goal);

/// <summary>
/// Where a stage type's jobs go and what one of them needs: a Hangfire queue, how many devices of one runner, and the
/// memory on each (GiB; null: not stated). Only runners that serve the queue and have that much take it (Placement).
/// </summary>
public sealed record ResourceSpec(string Queue, int Devices = 1, double? MemoryGb = null);

/// <summary>
/// An external program run once per run (the <c>command</c> stage). Macros as in W&amp;B sweeps:
/// ${env} ${interpreter} ${program} ${args} ${args_no_hyphens} ${args_json_file}, plus ${param.KEY} and ${seed}.
/// <see cref="Code"/> are the files or globs (relative to the working directory) whose content enters the stage hash
/// besides the program itself: the modules it imports, a config it reads.
/// </summary>
public sealed record CommandSpec(
    string? Program,
    IReadOnlyList<string> Command,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    TimeSpan? Timeout,
    IReadOnlyList<CodePattern>? Code = null);

/// <summary>
/// One stage of a pipeline the spec declares itself (<c>pipeline:</c> as a mapping). Either an external program
/// (<see cref="Command"/>; <see cref="Type"/> is the command type) whose hash covers only the parameters it names
/// (<see cref="Params"/>; null: all of the run's) and the seed only when <see cref="PerSeed"/>; or a built-in stage
/// type (<c>type: eval</c>) whose config is <see cref="Options"/>, where a value <c>${param.KEY}</c> or <c>${seed}</c>
/// is the run's. <see cref="Inputs"/> maps each input role the stage reads to the earlier stage that provides it; a
/// program's roles are the stages' names (passed as ${in.NAME}).
/// </summary>
public sealed record UserStage(string Name, CommandSpec? Command, IReadOnlyList<string>? Params, IReadOnlyDictionary<string, string> Inputs, bool PerSeed)
{
    public StageType Type { get; init; } = StageTypes.Command;

    /// <summary>A built-in stage's options as written (placeholders not yet filled); null for a program.</summary>
    public JsonObject? Options { get; init; }
}

/// <summary>One entry of command_options.code, with its place in the spec for messages about it.</summary>
public sealed record CodePattern(string Pattern, int Line, int Column);

/// <summary>
/// One random-search distribution, by its W&amp;B name (see <see cref="DistributionKinds"/>): the range (min/max), the
/// values and probabilities of a categorical, mu/sigma of the normal family, a/b of the beta family, and q, the step
/// the q_ variants round to (their samples are whole numbers when q was written as one, as in W&amp;B).
/// </summary>
public sealed record Distribution(
    string Kind,
    double? Min,
    double? Max,
    IReadOnlyList<JsonNode?> Values,
    IReadOnlyList<double>? Probabilities,
    double? Mu = null,
    double? Sigma = null,
    double? A = null,
    double? B = null,
    double? Q = null,
    bool WholeQ = false);

/// <summary>
/// One swept axis. A plain axis has one key; a zip group has several keys whose values move together,
/// so each entry of <see cref="Values"/> holds one value per key. Random search may use a distribution instead.
/// </summary>
public sealed record Axis(IReadOnlyList<string> Keys, IReadOnlyList<IReadOnlyList<JsonNode?>> Values, Distribution? Distribution = null)
{
    public bool IsZip => Keys.Count > 1;
}

/// <summary>
/// The validated, normalised experiment: nothing downstream sees raw YAML. Parameter keys are dotted
/// paths into the run configuration (e.g. <c>student.kd.scale</c>); values are JSON nodes.
/// </summary>
public sealed record ExperimentSpec
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    /// <summary>The file it came from (for messages) and its exact text (stored with the experiment).</summary>
    public required string SourcePath { get; init; }
    public required string SourceText { get; init; }
    /// <summary>One of <see cref="PipelineNames"/>: the MobileCLIP pipeline, one external program per run, or the spec's own stages.</summary>
    public required string Pipeline { get; init; }
    public SweepMethod Method { get; init; } = SweepMethod.Grid;
    public MetricSpec? Metric { get; init; }
    /// <summary>Fixed parameters (W&amp;B <c>value:</c>) — set in every run, not axes.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Fixed { get; init; } = new Dictionary<string, JsonNode?>();
    public IReadOnlyList<Axis> Axes { get; init; } = [];
    /// <summary>Directions the spec claims per axis (<c>claims:</c>); every report says whether the seeds support each.</summary>
    public IReadOnlyList<Claim> Claims { get; init; } = [];
    /// <summary>Extra partial assignments appended as cells (missing keys take the baseline or first value).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, JsonNode?>> Include { get; init; } = [];
    /// <summary>Partial assignments; any cell matching all keys of one is dropped.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, JsonNode?>> Exclude { get; init; } = [];
    /// <summary>Replicates, not a factor: every cell runs once per seed.</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [0];
    public IReadOnlyDictionary<string, JsonNode?>? Baseline { get; init; }
    public DesignKind Design { get; init; } = DesignKind.Full;
    public int? RunCap { get; init; }
    /// <summary>Per-stage-type configuration (profile already applied), e.g. Stages["student"]["lambda"].</summary>
    public JsonObject Stages { get; init; } = new();
    /// <summary>Named variants by kind, e.g. Variants["teachers"]["dfn_a"] = { arch: ..., kd_scale: 50 }.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonObject>> Variants { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, JsonObject>>();
    public IReadOnlyDictionary<string, ResourceSpec> Resources { get; init; } = new Dictionary<string, ResourceSpec>();
    public CommandSpec? Command { get; init; }

    /// <summary>The stages of a pipeline the spec declares (<see cref="PipelineNames.Own"/>), in run order; the last is the terminal one.</summary>
    public IReadOnlyList<UserStage>? UserStages { get; init; }
    /// <summary>The profile that was applied (e.g. "smoke"), or null.</summary>
    public string? Profile { get; init; }
    /// <summary>Every profile the file defines, applied or not (each is planned too, so its problems surface).</summary>
    public IReadOnlyList<string> ProfileNames { get; init; } = [];
    /// <summary>
    /// A W&amp;B sweep's own <c>seed</c> parameter, read as the replicate seeds: the program still gets it under this
    /// name (<c>--seed=1</c>), and it is not a second, swept seed. Null when the seeds came from <c>seeds:</c>.
    /// </summary>
    public string? SeedParameter { get; init; }
    /// <summary>
    /// Parameters that came from W&amp;B nested <c>parameters:</c> (flat key → the names along the nesting), so a command
    /// passes <c>--optimizer={'lr': 0.001}</c> as W&amp;B does; a key written with dots is a flat name and is not here.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> NestedParameters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    /// <summary>Where each part was written, for problems found after loading (see <see cref="ProblemAt"/>).</summary>
    public SpecPositions Positions { get; init; } = SpecPositions.None;
    /// <summary>Things the loader decided that the user should know (a W&amp;B name turned into a folder name, …); not problems.</summary>
    public IReadOnlyList<SpecDiagnostic> Notes { get; init; } = [];

    /// <summary>A problem about the part of the spec at <paramref name="path"/>, placed where it was written.</summary>
    /// <param name="runParams">The run the problem was found in: a swept parameter is placed at that run's value.</param>
    /// <param name="aboutKey">The problem is the key itself (unknown, misspelt): placed at the key, not its value.</param>
    public SpecDiagnostic ProblemAt(string path, string message, IReadOnlyDictionary<string, JsonNode?>? runParams = null, bool aboutKey = false)
    {
        var place = Positions.Locate(path, runParams, aboutKey);
        return new SpecDiagnostic(SourcePath, place.Line, place.Column, message);
    }
}

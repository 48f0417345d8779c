using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>
/// What the planner, progress, reports and runners need to know about one stage type. The executor that runs it
/// is the Runner class whose <c>IStageExecutor.Type</c> is this entry (found by the Runner's catalog).
/// </summary>
/// <param name="Name">The type name stored with every stage and shown in tables.</param>
/// <param name="CodeVersion">Enters every stage hash of this type. Bump it when the executor's output changes meaning
/// (a new loss term, a fixed bug in the world generator): every stage of the type, and everything downstream of it,
/// then re-runs instead of being reused from the store.</param>
/// <param name="ExpectedSeconds">What one stage is expected to take before one has finished (quickstart-sized stages
/// on 2 CPU cores); progress weighs stages by it, since stage types differ in cost by two orders of magnitude.</param>
/// <param name="Inputs">The input roles the executor reads; a role ending in <c>:*</c> stands for any number of
/// inputs named with that prefix (e.g. <c>captions:*</c> for <c>captions:web</c>, <c>captions:ft</c>), and a lone <c>*</c>
/// for any role at all (a command reads the inputs its spec names).</param>
/// <param name="Normalize">Binds a stage config to the type's options, throwing <see cref="StageConfigException"/>
/// with every problem, and returns the options' canonical JSON (defaults filled in, so an omitted default and an
/// explicit one hash alike); null for a type whose config the planner writes itself (a command).</param>
public sealed record StageType(
    string Name,
    string CodeVersion,
    double ExpectedSeconds,
    IReadOnlyList<string> Inputs,
    Func<JsonObject?, JsonObject>? Normalize)
{
    /// <summary>Input roles the executor cannot run without (every role that is not a <c>:*</c> family).</summary>
    public IEnumerable<string> RequiredInputs => Inputs.Where(r => !r.EndsWith('*'));

    /// <summary>True when <paramref name="role"/> is one the executor reads.</summary>
    public bool Reads(string role) =>
        Inputs.Any(r => r == role || r == "*" || (r.EndsWith(":*", StringComparison.Ordinal) && role.Length > r.Length - 1 && role.StartsWith(r[..^1], StringComparison.Ordinal)));

    /// <summary>Option keys (dotted for nested ones) naming data outside the store; the planner resolves and fingerprints them (<see cref="ExternalData"/>).</summary>
    public IReadOnlyList<string> DataKeys { get; init; } = [];

    public override string ToString() => Name;
}

/// <summary>
/// The one registry of stage types. Adding a type is one entry here plus one executor in the Runner
/// (docs/extending.md); the planner, hashes, progress, reports and runners all read this list.
/// </summary>
public static class StageTypes
{
    public static readonly StageType World = new("world", "1", 3, [], c => WorldOptions.Bind(c).ToJson());

    // Versions bumped together (teacher, captioner, captions, embed, student, dr_student, eval): every type that runs a
    // CPU convolution. Before f273dc8 those ran libtorch's oneDNN kernel, which computes wrong numbers here for channel
    // counts off its SIMD block (TorchRuntime.UseAtenConvolutions); results stored by such a build must not be reused.
    public static readonly StageType Teacher = new("teacher", "2", 90, ["world"], c => TeacherOptions.Bind(c).ToJson());

    public static readonly StageType Captioner = new("captioner", "2", 60, ["world"], c => CaptionerOptions.Bind(c).ToJson());

    public static readonly StageType Captions = new("captions", "2", 10, ["world", "captioner"], c => CaptionsOptions.Bind(c).ToJson());

    public static readonly StageType Embed = new("embed", "2", 5, ["world", "teacher", "captions:*"], c => EmbedOptions.Bind(c).ToJson());

    /// <summary>Training-free diagnostics of a KD student's targets (entropy, top-1 agreement, the ensemble's KL to each member).</summary>
    public static readonly StageType KdTargets = new("kd_targets", "1", 1, ["embed:*"], c => KdTargetsOptions.Bind(c).ToJson());

    // 3: the convolution fix above. 2: with gt_replace_prob > 0, a GT caption replaced by a synthetic one gets the teachers' target for that
    //    synthetic caption (version 1 kept the GT caption's target: a KD target for a caption the student never saw).
    public static readonly StageType Student = new("student", "3", 17, ["world", "embed:*", "captions:*"], c => StudentOptions.Bind(c).ToJson());

    /// <summary>A student on DataCompDR / DFNDR-format shards: real images and stored targets from outside the store.</summary>
    public static readonly StageType DrStudent = new("dr_student", "2", 60, [], c => DrStudentOptions.Bind(c).ToJson()) { DataKeys = DrStudentOptions.DataKeys };

    public static readonly StageType Eval = new("eval", "2", 1, ["world", "model"], c => EvalOptions.Bind(c).ToJson());

    // 2: arguments are passed as W&B passes them (1.0 stays 1.0, nested parameters as one dict, ${args_json}).
    public static readonly StageType Command = new("command", "2", 1, ["*"], null);

    /// <summary>Every type, in pipeline order: charts and tables list types in this order.</summary>
    public static IReadOnlyList<StageType> All { get; } = [World, Teacher, Captioner, Captions, Embed, KdTargets, Student, DrStudent, Eval, Command];

    /// <summary>The types a spec can name with <c>type:</c> in its own pipeline (the command type is written as <c>program:</c>/<c>command:</c>).</summary>
    public static IEnumerable<StageType> BuiltIn => All.Where(t => t.Normalize is not null);

    public static StageType? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    public static StageType Get(string name) =>
        Find(name) ?? throw new ArgumentException($"unknown stage type '{name}'; known types: {string.Join(", ", All.Select(t => t.Name))}", nameof(name));

    /// <summary>The code version that enters a stage's hash; "1" for a type this build does not know (a stored row of a newer build).</summary>
    public static string CodeVersion(string name) => Find(name)?.CodeVersion ?? "1";

    /// <summary>Pipeline position for sorting; unknown types after every known one.</summary>
    public static int OrderOf(string name) => Array.IndexOf(Names, name) is var i and >= 0 ? i : Names.Length;

    private static readonly string[] Names = [.. All.Select(t => t.Name)];
}

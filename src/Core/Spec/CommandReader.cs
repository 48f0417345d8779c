using System.Globalization;
using System.Text.RegularExpressions;

namespace Ablations.Core.Spec;

/// <summary>Reads the W&amp;B <c>program</c>/<c>command</c> keys and our <c>command_options</c> into a <see cref="CommandSpec"/>.</summary>
internal sealed partial class CommandReader(NodeReader reader, List<SpecDiagnostic> notes)
{
    /// <summary>W&amp;B's default when a sweep gives a program but no command.</summary>
    public static readonly IReadOnlyList<string> DefaultCommand = ["${env}", "${interpreter}", "${program}", "${args}"];

    /// <summary>
    /// Every macro a whole command entry may be: W&amp;B's (its agent's list) and ours. <c>${param.KEY}</c> and
    /// <c>${envvar:NAME}</c> take a name; any other <c>${...}</c> entry is a typo that W&amp;B would silently drop.
    /// </summary>
    public static readonly string[] Macros =
    [
        "${env}", "${interpreter}", "${program}", "${args}", "${args_no_hyphens}", "${args_no_boolean_flags}", "${args_no_equals}",
        "${args_append_hydra}", "${args_override_hydra}", "${args_json}", "${args_json_file}", "${seed}", "${metrics_file}", "${output_dir}",
        "${out}",
    ];

    [GeneratedRegex(@"^\$\{(param\.[^}]+|in\.[^}]+|envvar:[A-Za-z_][A-Za-z0-9_]*)\}$")]
    private static partial Regex NamedMacro();

    private static readonly string[] OptionKeys = ["working_dir", "env", "timeout", "code"];

    [GeneratedRegex(@"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")]
    private static partial Regex Duration();

    /// <param name="optionsNode">command_options, or the stage's own mapping when <paramref name="stage"/> is given.</param>
    /// <param name="stage">The spec path of a stage of the spec's own pipeline ("pipeline.train"), whose options sit among
    /// its own keys and which may read inputs (${in.STAGE}); null for a command spec.</param>
    public CommandSpec Read(SpecNode? programNode, SpecNode? commandNode, SpecNode? optionsNode, SpecNode fallback, string? stage = null)
    {
        var program = reader.String(programNode, "program", "program: train.py");
        var command = DefaultCommand;
        if (reader.Sequence(commandNode, "command", "command: [${env}, ${interpreter}, ${program}, ${args}]") is { } seq)
        {
            var argv = new List<string>();
            foreach (var item in seq.Items)
            {
                if (item is SpecScalar { IsNull: false } s)
                {
                    argv.Add(s.Value);
                    if (stage is null && s.Value.Contains("${in.", StringComparison.Ordinal))
                    {
                        reader.Diags.Add(item, $"'{NodeReader.Short(s.Value)}': only a stage of the spec's own pipeline reads inputs (${{in.STAGE}}); declare stages under pipeline: or drop it");
                    }
                    if (s.Value.StartsWith("${", StringComparison.Ordinal) && s.Value.EndsWith('}') && !Macros.Contains(s.Value) && !NamedMacro().IsMatch(s.Value))
                    {
                        var hint = KeySuggester.Nearest(s.Value, Macros) is { } near ? $"did you mean '{near}'? " : "";
                        reader.Diags.Add(item, $"unknown macro '{NodeReader.Short(s.Value)}'; {hint}the macros are {string.Join(" ", Macros)} ${{param.KEY}} ${{in.STAGE}} ${{envvar:NAME}}");
                    }
                }
                else
                {
                    reader.Diags.Add(item, "each 'command' entry must be one argument (text); e.g. - ${program}");
                }
            }
            if (argv.Count == 0)
            {
                reader.Diags.Add(seq, "'command' is empty; give the argv template, e.g. [${env}, ${interpreter}, ${program}, ${args}]");
            }
            command = argv;
        }
        var usesProgram = command.Any(a => a.Contains("${program}", StringComparison.Ordinal));
        if (program is null && usesProgram)
        {
            reader.Diags.Add(commandNode ?? programNode ?? fallback, "the command uses ${program} but 'program:' is not set; add program: train.py or drop ${program}");
        }
        if (program is not null && !usesProgram)
        {
            // W&B requires program: even when the command runs something else; the file is then neither needed nor hashed.
            notes.Add(new SpecDiagnostic(reader.Diags.File, programNode!.Line, programNode.Column,
                $"program '{NodeReader.Short(program)}' is not used: the command has no ${{program}}, so it is neither run nor checked; list files the command reads under command_options.code"));
        }

        var where = stage ?? "command_options";
        var (workingDir, env, timeout, code) = reader.Mapping(optionsNode, where, "command_options: {working_dir: ., timeout: 10m}") is { } options
            ? ReadOptions(options, where, checkKeys: stage is null)
            : (null, new Dictionary<string, string>(StringComparer.Ordinal), null, []);
        return new CommandSpec(program, command, workingDir, env, timeout, code);
    }


    /// <summary>working_dir, env, timeout and code: under command_options, or among a pipeline stage's own keys (<paramref name="where"/>).</summary>
    private (string? WorkingDir, Dictionary<string, string> Env, TimeSpan? Timeout, List<CodePattern> Code) ReadOptions(SpecMapping options, string where, bool checkKeys)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var code = new List<CodePattern>();
        if (checkKeys) reader.CheckKeys(options, OptionKeys, where);
        var workingDir = reader.String(options.Get("working_dir"), $"{where}.working_dir", "working_dir: scripts");
        if (reader.Mapping(options.Get("env"), $"{where}.env", "env: {OMP_NUM_THREADS: 1}") is { } envMap)
        {
            foreach (var (key, value) in envMap.Entries)
            {
                env[key.Value] = reader.String(value, $"{where}.env.{key.Value}", $"{key.Value}: \"1\"") ?? "";
            }
        }
        var timeout = ReadTimeout(options.Get("timeout"), where);
        if (reader.Sequence(options.Get("code"), $"{where}.code", "code: [train.py, src/**/*.py]") is { } patterns)
        {
            foreach (var item in patterns.Items)
            {
                if (item is SpecScalar { IsNull: false } p && p.Value.Length > 0 && !Path.IsPathRooted(p.Value) && !p.Value.Split('/', '\\').Contains(".."))
                {
                    code.Add(new CodePattern(p.Value, p.Line, p.Column));
                }
                else
                {
                    reader.Diags.Add(item, $"each '{where}.code' entry is a file or glob inside the working directory, e.g. src/**/*.py (no absolute paths, no '..')");
                }
            }
        }
        return (workingDir, env, timeout, code);
    }

    private TimeSpan? ReadTimeout(SpecNode? node, string where)
    {
        if (node is not SpecScalar { IsNull: false } s)
        {
            if (node is not null and not SpecScalar)
            {
                reader.Diags.Add(node, $"'{where}.timeout' must be seconds or a duration such as 10m, 1h30m, 90s");
            }
            return null;
        }
        if (double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < 1e9)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        var m = Duration().Match(s.Value);
        if (m.Success && s.Value.Length > 0)
        {
            var total = (Part(m, 1) * 3600) + (Part(m, 2) * 60) + Part(m, 3);
            if (total > 0)
            {
                return TimeSpan.FromSeconds(total);
            }
        }
        reader.Diags.Add(s, $"timeout '{s.Value}' is not a duration; use seconds (600) or h/m/s such as 10m, 1h30m, 90s");
        return null;
    }

    private static long Part(Match m, int group) =>
        m.Groups[group].Success && long.TryParse(m.Groups[group].Value, CultureInfo.InvariantCulture, out var v) && v < 10_000_000 ? v : 0;
}

using Ablations.Core.Spec;
using Ablations.Core.Stages;
using Microsoft.Extensions.FileSystemGlobbing;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning.Pipelines;

/// <summary>
/// One external program per run (a W&amp;B sweep moved over as is). The stage config holds the argv template,
/// the run's parameters and seed, the arguments as W&amp;B passes them (<see cref="WandbArguments"/>), the environment,
/// the values of the ${envvar:NAME} it uses, the SHA-256 of the program file when the command runs it, and that of
/// every file the spec declares as code (command_options.code), so editing the trainer or a module it imports
/// invalidates its cached results.
/// </summary>
internal sealed partial class CommandPipeline : IPipeline
{
    public string Name => PipelineNames.Command;

    public IReadOnlyCollection<string> ResourceNames(ExperimentSpec spec) => [StageTypes.Command.Name];

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\{envvar:([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial System.Text.RegularExpressions.Regex EnvVar();

    public IReadOnlyList<StageSpec> Build(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> runParams, JsonObject runConfig, long seed)
    {
        var command = spec.Command
            ?? throw new PlanningException([spec.ProblemAt("command", "command: the command pipeline needs `program` or `command`; add e.g. `command: [bash, train.sh, ${args}]`")]);
        return [new StageSpec(StageTypes.Command.Name, StageTypes.Command.Name, Config(spec, command, runParams, seed, ""), new Dictionary<string, string>())];
    }

    /// <summary>
    /// The config of one command stage: everything its output may depend on, so it is hashed.
    /// <paramref name="where"/> is the spec path the command's keys sit under ("" at the top, "pipeline.NAME." in a stage).
    /// </summary>
    internal static JsonObject Config(ExperimentSpec spec, CommandSpec command, IReadOnlyDictionary<string, JsonNode?> runParams, long seed, string where)
    {
        var specDir = Path.GetDirectoryName(Path.GetFullPath(spec.SourcePath)) ?? ".";
        var workDir = Path.GetFullPath(command.WorkingDirectory ?? ".", specDir);

        var argv = new JsonArray();
        foreach (var a in command.Command) argv.Add(a);
        var env = new JsonObject();
        foreach (var (k, v) in command.Environment.OrderBy(p => p.Key, StringComparer.Ordinal)) env[k] = v;
        var parameters = new JsonObject();
        foreach (var (k, v) in runParams) parameters[k] = v?.DeepClone();
        var (args, argsJson, paramText) = WandbArguments.Build(spec, runParams, seed);

        var config = new JsonObject
        {
            ["program"] = command.Program,
            ["command"] = argv,
            ["working_dir"] = workDir,
            ["env"] = env,
            ["params"] = parameters,
            ["seed"] = seed,
            ["timeout_seconds"] = command.Timeout?.TotalSeconds,
            ["args"] = args,
            ["args_json"] = argsJson,
            ["param_text"] = paramText,
        };
        if (EnvVars(command) is { Count: > 0 } envVars) config["envvar"] = envVars;
        // W&B needs program: even when the command runs something else; only a program the command runs must exist.
        if (command.Program is { } program && command.Command.Any(a => a.Contains("${program}", StringComparison.Ordinal)))
        {
            var programPath = Path.GetFullPath(program, workDir);
            if (!File.Exists(programPath))
                throw new PlanningException([spec.ProblemAt(where + "program", $"{where}program: '{program}' not found (looked for {programPath}); fix the path, relative to the working_dir or the spec's folder")]);
            using var stream = File.OpenRead(programPath);
            config["program_sha256"] = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        if (command.Code is { Count: > 0 } code) config["code"] = CodeHashes(code, workDir, spec.SourcePath, where.Length == 0 ? "command_options.code" : where + "code");
        return config;
    }

    /// <summary>
    /// ${envvar:NAME}, resolved when the plan is made (command_options.env first, then this process's environment; an
    /// unset one stays NAME, as in W&amp;B), so the value a run gets is part of its hash.
    /// </summary>
    private static JsonObject? EnvVars(CommandSpec command)
    {
        var names = command.Command.SelectMany(a => EnvVar().Matches(a)).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return null;
        var result = new JsonObject();
        foreach (var name in names.Order(StringComparer.Ordinal))
            result[name] = command.Environment.TryGetValue(name, out var own) ? own : Environment.GetEnvironmentVariable(name) ?? name;
        return result;
    }

    /// <summary>Relative path → SHA-256 of every file the patterns match. A pattern that matches nothing is a mistake, not an empty set.</summary>
    private static JsonObject CodeHashes(IReadOnlyList<CodePattern> patterns, string workDir, string specPath, string where)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<SpecDiagnostic>();
        foreach (var pattern in patterns)
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(pattern.Pattern);
            var matched = matcher.GetResultsInFullPath(workDir).ToList();
            if (matched.Count == 0)
            {
                problems.Add(new SpecDiagnostic(specPath, pattern.Line, pattern.Column, $"{where}: '{pattern.Pattern}' matches no file under {workDir}; fix the pattern (relative to the working_dir or the spec's folder)"));
                continue;
            }
            foreach (var file in matched)
            {
                using var stream = File.OpenRead(file); // streamed: a declared data file may be large
                files[Path.GetRelativePath(workDir, file).Replace(Path.DirectorySeparatorChar, '/')] = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
        }
        if (problems.Count > 0) throw new PlanningException(problems);
        var result = new JsonObject();
        foreach (var (path, hash) in files) result[path] = hash;
        return result;
    }
}

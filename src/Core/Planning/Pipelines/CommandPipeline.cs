using Ablations.Core.Spec;
using Microsoft.Extensions.FileSystemGlobbing;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning.Pipelines;

/// <summary>
/// One external program per run (a W&amp;B sweep moved over as is). The stage config holds the argv template,
/// the run's parameters and seed, the environment, the SHA-256 of the program file, and that of every file the
/// spec declares as code (command_options.code), so editing the trainer or a module it imports invalidates its
/// cached results.
/// </summary>
internal sealed class CommandPipeline : IPipeline
{
    public string Name => "command";

    public IReadOnlyList<StageSpec> Build(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> runParams, JsonObject runConfig, long seed)
    {
        var command = spec.Command
            ?? throw new PlanningException(["command: the command pipeline needs `program` or `command`; add e.g. `command: [bash, train.sh, ${args}]`"]);
        var specDir = Path.GetDirectoryName(Path.GetFullPath(spec.SourcePath)) ?? ".";
        var workDir = Path.GetFullPath(command.WorkingDirectory ?? ".", specDir);

        var argv = new JsonArray();
        foreach (var a in command.Command) argv.Add(a);
        var env = new JsonObject();
        foreach (var (k, v) in command.Environment.OrderBy(p => p.Key, StringComparer.Ordinal)) env[k] = v;
        var parameters = new JsonObject();
        foreach (var (k, v) in runParams) parameters[k] = v?.DeepClone();

        var config = new JsonObject
        {
            ["program"] = command.Program,
            ["command"] = argv,
            ["working_dir"] = workDir,
            ["env"] = env,
            ["params"] = parameters,
            ["seed"] = seed,
            ["timeout_seconds"] = command.Timeout?.TotalSeconds,
        };
        if (command.Program is { } program)
        {
            var programPath = Path.GetFullPath(program, workDir);
            if (!File.Exists(programPath))
                throw new PlanningException([$"program: '{program}' not found (looked for {programPath}); fix the path, relative to command_options.working_dir or the spec's folder"]);
            config["program_sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(programPath)));
        }
        if (command.Code is { Count: > 0 } code) config["code"] = CodeHashes(code, workDir, spec.SourcePath);
        return [new StageSpec("command", "command", config, new Dictionary<string, string>())];
    }

    /// <summary>Relative path → SHA-256 of every file the patterns match. A pattern that matches nothing is a mistake, not an empty set.</summary>
    private static JsonObject CodeHashes(IReadOnlyList<CodePattern> patterns, string workDir, string specPath)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var pattern in patterns)
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(pattern.Pattern);
            var matched = matcher.GetResultsInFullPath(workDir).ToList();
            if (matched.Count == 0)
            {
                problems.Add($"{specPath}:{pattern.Line}:{pattern.Column}: command_options.code: '{pattern.Pattern}' matches no file under {workDir}; fix the pattern (relative to command_options.working_dir or the spec's folder)");
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

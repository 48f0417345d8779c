using Ablations.Core.Spec;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Ablations.Core.Planning.Pipelines;

/// <summary>
/// One external program per run (a W&amp;B sweep moved over as is). The stage config holds the argv template,
/// the run's parameters and seed, the environment, and the SHA-256 of the program file when it exists, so
/// editing the training script invalidates its cached results.
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
        return [new StageSpec("command", "command", config, new Dictionary<string, string>())];
    }
}

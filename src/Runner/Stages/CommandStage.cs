using Ablations.Core.Stages;
using Ablations.Core.Execution;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Runner.Stages;

/// <summary>
/// Runs an external trainer once per run. The argv template takes W&amp;B's macros (${env}, ${interpreter},
/// ${program}, ${args} and its other forms, ${args_json}, ${args_json_file}, ${envvar:NAME}; see
/// <see cref="CommandTemplate"/>) and ours (${seed}, ${param.KEY}, ${metrics_file}, ${output_dir} or ${out}, ${in.STAGE}). Output goes to command.log; metrics are JSON lines written to $ABLATIONS_METRICS_FILE (or
/// printed on stdout): {"name": "loss", "step": 10, "value": 0.5}, a final {"name": "acc", "value": 0.9}, or
/// W&amp;B-style {"loss": 0.5, "_step": 10}.
/// </summary>
internal sealed class CommandStage : IStageExecutor
{
    public StageType Type => StageTypes.Command;

    /// <summary>An external program: a runner of command stages never loads libtorch.</summary>
    public bool UsesTorch => false;

    public void Execute(StageContext ctx)
    {
        var config = ctx.Config;
        var parameters = config["params"]?.AsObject() ?? new JsonObject();
        var seed = config["seed"]?.GetValue<long>() ?? 0;
        var workDir = config["working_dir"]?.GetValue<string>() ?? Environment.CurrentDirectory;
        var metricsFile = Path.Combine(ctx.OutputDir, "metrics.jsonl");
        var paramsFile = Path.Combine(ctx.OutputDir, "params.json");
        File.WriteAllText(paramsFile, parameters.ToJsonString());
        // ${args_json_file} holds what ${args_json} passes (W&B's json.dumps of the arguments); params.json stays the flat parameters.
        var (args, argsJson, paramText) = CommandTemplate.ArgsOf(config);
        var argsJsonFile = Path.Combine(ctx.OutputDir, "args.json");
        File.WriteAllText(argsJsonFile, argsJson);
        var envVars = (config["envvar"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "");
        var argv = CommandTemplate.Expand(
            config["command"]!.AsArray().Select(a => a!.GetValue<string>()).ToList(),
            new CommandTemplate.Values(config["program"]?.GetValue<string>(), args, argsJson, paramText, envVars, seed, argsJsonFile, metricsFile, ctx.OutputDir, ctx.Inputs));
        if (argv.Count == 0)
            throw new StageFailedException(FailureKind.InvalidConfig, "command: the command expands to nothing; give at least a program");

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (k, v) in config["env"]?.AsObject() ?? new JsonObject()) environment[k] = v?.GetValue<string>();
        environment["ABLATIONS_METRICS_FILE"] = metricsFile;
        environment["ABLATIONS_OUTPUT_DIR"] = ctx.OutputDir;
        environment["ABLATIONS_SEED"] = seed.ToString(CultureInfo.InvariantCulture);
        environment["ABLATIONS_PARAMS_FILE"] = paramsFile;
        foreach (var (stage, dir) in ctx.Inputs) environment[InputVariable(stage)] = dir;
        foreach (var (k, v) in DeviceVariables(ctx.Devices)) environment[k] = v;
        var psi = ProcessGroup.StartInfo(argv, workDir, environment);

        var logPath = Path.Combine(ctx.OutputDir, "command.log");
        using var logFile = new StreamWriter(logPath) { AutoFlush = true };
        var tail = new Queue<string>();
        var gate = new object();
        void OnLine(string? line, bool stdout)
        {
            if (line is null) return;
            lock (gate)
            {
                logFile.WriteLine(line);
                tail.Enqueue(line);
                if (tail.Count > 20) tail.Dequeue();
            }
            if (stdout) MetricLines.TryRecord(line, ctx.Metrics);
        }

        ctx.Log.WriteLine($"$ {string.Join(' ', argv)}  (in {workDir})");
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => OnLine(e.Data, true);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, false);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new StageFailedException(FailureKind.InvalidConfig, $"command: cannot start '{argv[0]}': {e.Message}; check the program name and PATH");
        }
        process.StandardInput.Close(); // the program reads end-of-file, as from /dev/null
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var timeout = config["timeout_seconds"] is JsonValue t ? TimeSpan.FromSeconds(t.GetValue<double>()) : (TimeSpan?)null;
        var clock = Stopwatch.StartNew();
        using var follower = new MetricFileFollower(metricsFile, ctx.Metrics);
        while (!process.WaitForExit(200))
        {
            follower.ReadNew();
            if (ctx.Cancellation.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                ctx.Cancellation.ThrowIfCancellationRequested();
            }
            if (timeout is { } limit && clock.Elapsed > limit)
            {
                process.Kill(entireProcessTree: true);
                throw new StageFailedException(FailureKind.ExternalFailure, $"command timed out after {limit.TotalSeconds:F0} s; raise command_options.timeout or make the run shorter");
            }
        }
        process.WaitForExit();
        follower.ReadNew();
        lock (gate) ctx.Log.WriteLine(string.Join('\n', tail));
        if (process.ExitCode != 0)
        {
            string lastLines;
            lock (gate) lastLines = string.Join('\n', tail.TakeLast(10));
            throw new StageFailedException(FailureKind.ExternalFailure, $"command exited with code {process.ExitCode}; last lines of its output:\n{lastLines}");
        }
    }

    /// <summary>
    /// The devices the runner gave this stage: ABLATIONS_DEVICES always ("cuda:1,cuda:3" or "cpu"), and on CUDA devices
    /// CUDA_VISIBLE_DEVICES ("1,3"), so the program's cuda:0 is the first device it was given and it cannot reach the
    /// devices of the stages beside it. On a CPU runner the variable is left as the runner's environment has it.
    /// </summary>
    internal static IEnumerable<(string Name, string Value)> DeviceVariables(IReadOnlyList<string> devices)
    {
        yield return ("ABLATIONS_DEVICES", string.Join(',', devices));
        var cuda = devices.Where(d => d.StartsWith("cuda", StringComparison.Ordinal))
            .Select(d => d.Contains(':') ? d[(d.IndexOf(':') + 1)..] : "0").ToList();
        if (cuda.Count > 0) yield return ("CUDA_VISIBLE_DEVICES", string.Join(',', cuda));
    }

    /// <summary>ABLATIONS_IN_TEACHER for the input stage 'teacher' ('-' becomes '_'): the folder ${in.teacher} names.</summary>
    internal static string InputVariable(string stage) => "ABLATIONS_IN_" + stage.ToUpperInvariant().Replace('-', '_');

    /// <summary>Reads new complete lines of the metrics file while the program runs, so curves are live.</summary>
    private sealed class MetricFileFollower(string path, IMetricSink sink) : IDisposable
    {
        private long _offset;
        private string _partial = "";

        public void ReadNew()
        {
            if (!File.Exists(path)) return;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length <= _offset) return;
            stream.Seek(_offset, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var text = _partial + reader.ReadToEnd();
            _offset = stream.Length;
            var lines = text.Split('\n');
            _partial = lines[^1];
            foreach (var line in lines[..^1]) MetricLines.TryRecord(line, sink);
        }

        public void Dispose()
        {
            if (_partial.Length > 0) MetricLines.TryRecord(_partial, sink);
        }
    }
}

/// <summary>Parses one JSON-lines metric record; anything that is not one is ignored (ordinary program output).</summary>
internal static class MetricLines
{
    public static bool TryRecord(string line, IMetricSink sink)
    {
        var text = line.Trim();
        if (text.Length < 2 || text[0] != '{') return false;
        JsonObject? obj;
        try
        {
            obj = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
        if (obj is null) return false;
        long? step = obj["step"] is JsonValue s && s.TryGetValue<double>(out var sd) ? (long)sd
            : obj["_step"] is JsonValue s2 && s2.TryGetValue<double>(out var sd2) ? (long)sd2 : null;
        if (obj["name"] is JsonValue n && n.TryGetValue<string>(out var name) && obj["value"] is JsonValue v && v.TryGetValue<double>(out var value))
        {
            Record(sink, name, step, value);
            return true;
        }
        var any = false;
        foreach (var (key, node) in obj)
        {
            if (key is "step" or "_step" or "_runtime" or "_timestamp" || node is not JsonValue jv || !jv.TryGetValue<double>(out var x)) continue;
            Record(sink, key, step, x);
            any = true;
        }
        return any;
    }

    private static void Record(IMetricSink sink, string name, long? step, double value)
    {
        if (step is long s) sink.Log(name, s, value);
        else sink.Final(name, value);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Ablations.Runner.Stages;

/// <summary>
/// Expands a W&amp;B-style argv template. An entry that is exactly an args macro becomes one argument per parameter:
/// ${args} --key=value, ${args_no_hyphens} key=value, ${args_no_equals} --key value, ${args_no_boolean_flags} --key for
/// true (false left out), ${args_append_hydra} +key=value, ${args_override_hydra} ++key=value; ${args_json} is one
/// argument holding them all as JSON. Inside any entry ${program}, ${args_json}, ${args_json_file}, ${seed},
/// ${param.KEY}, ${envvar:NAME}, ${metrics_file}, ${output_dir} (or ${out}) and ${in.STAGE} (the published folder of
/// an upstream stage of the spec's own pipeline) are replaced as text. The values are the planner's
/// (the stage config's <c>args</c>, as W&amp;B formats them), so the program gets exactly what the stage hash covers.
/// </summary>
internal static class CommandTemplate
{
    /// <param name="Args">Name, text and, for a boolean, its value; in the order they are passed.</param>
    public sealed record Values(
        string? Program, IReadOnlyList<(string Name, string Text, bool? Flag)> Args, string ArgsJson,
        IReadOnlyDictionary<string, string> ParamText, IReadOnlyDictionary<string, string> EnvVars,
        long Seed, string ArgsJsonFile, string MetricsFile, string OutputDir, IReadOnlyDictionary<string, string>? Inputs = null);

    public static List<string> Expand(IReadOnlyList<string> template, Values v)
    {
        var result = new List<string>();
        foreach (var token in template)
        {
            switch (token)
            {
                case "${env}":
                    result.Add("/usr/bin/env");
                    break;
                case "${interpreter}":
                    if (Interpreter(v.Program) is { } interpreter) result.Add(interpreter);
                    break;
                case "${args}":
                    result.AddRange(v.Args.Select(a => $"--{a.Name}={a.Text}"));
                    break;
                case "${args_no_hyphens}":
                    result.AddRange(v.Args.Select(a => $"{a.Name}={a.Text}"));
                    break;
                case "${args_no_equals}":
                    result.AddRange(v.Args.SelectMany(a => new[] { $"--{a.Name}", a.Text }));
                    break;
                case "${args_no_boolean_flags}":
                    result.AddRange(v.Args.Where(a => a.Flag is not false).Select(a => a.Flag is true ? $"--{a.Name}" : $"--{a.Name}={a.Text}"));
                    break;
                case "${args_append_hydra}":
                    result.AddRange(v.Args.Select(a => $"+{a.Name}={a.Text}"));
                    break;
                case "${args_override_hydra}":
                    result.AddRange(v.Args.Select(a => $"++{a.Name}={a.Text}"));
                    break;
                default:
                    result.Add(ExpandInline(token, v));
                    break;
            }
        }
        return result;
    }

    /// <summary>The planner's arguments from a command stage's config; a config planned before they were recorded falls back to its params.</summary>
    public static (IReadOnlyList<(string Name, string Text, bool? Flag)> Args, string Json, IReadOnlyDictionary<string, string> ParamText) ArgsOf(JsonObject config)
    {
        var parameters = config["params"]?.AsObject() ?? new JsonObject();
        if (config["args"] is not JsonArray args)
        {
            var legacy = parameters.Select(p => (p.Key, Format(p.Value), p.Value is JsonValue b && b.TryGetValue<bool>(out var f) ? f : (bool?)null)).ToList();
            return (legacy, parameters.ToJsonString(), legacy.ToDictionary(a => a.Key, a => a.Item2));
        }
        var list = args.Select(a => (a!["name"]!.GetValue<string>(), a["text"]!.GetValue<string>(), a["flag"]?.GetValue<bool>())).ToList();
        var text = (config["param_text"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "");
        return (list, config["args_json"]?.GetValue<string>() ?? "{}", text);
    }

    private static string ExpandInline(string token, Values v)
    {
        if (!token.Contains("${", StringComparison.Ordinal)) return token;
        var text = token
            .Replace("${program}", v.Program ?? "", StringComparison.Ordinal)
            .Replace("${args_json_file}", v.ArgsJsonFile, StringComparison.Ordinal)
            .Replace("${args_json}", v.ArgsJson, StringComparison.Ordinal)
            .Replace("${seed}", v.Seed.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("${metrics_file}", v.MetricsFile, StringComparison.Ordinal)
            .Replace("${output_dir}", v.OutputDir, StringComparison.Ordinal)
            .Replace("${out}", v.OutputDir, StringComparison.Ordinal);
        foreach (var (stage, dir) in v.Inputs ?? new Dictionary<string, string>())
            text = text.Replace("${in." + stage + "}", dir, StringComparison.Ordinal);
        foreach (var (key, value) in v.ParamText)
            text = text.Replace("${param." + key + "}", value, StringComparison.Ordinal);
        foreach (var (name, value) in v.EnvVars)
            text = text.Replace("${envvar:" + name + "}", value, StringComparison.Ordinal);
        return text;
    }

    /// <summary>The formatting of stages planned before the planner recorded W&amp;B's: True/False, plain numbers, JSON for lists.</summary>
    private static string Format(JsonNode? node) => node switch
    {
        null => "None",
        JsonValue b when b.TryGetValue<bool>(out var x) => x ? "True" : "False",
        JsonValue s when s.TryGetValue<string>(out var str) => str,
        JsonValue n when n.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };

    private static string? Interpreter(string? program)
    {
        var ext = Path.GetExtension(program ?? "");
        return ext switch
        {
            ".py" => OnPath("python") ? "python" : "python3",
            ".sh" => "bash",
            _ => null,
        };
    }

    private static bool OnPath(string exe) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, exe)));
}

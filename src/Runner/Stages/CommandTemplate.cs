using System.Globalization;
using System.Text.Json.Nodes;

namespace Ablations.Runner.Stages;

/// <summary>Expands a W&amp;B-style argv template. ${args} splices one argument per parameter (--key=value).</summary>
internal static class CommandTemplate
{
    public sealed record Values(string? Program, JsonObject Params, long Seed, string ArgsJsonFile, string MetricsFile, string OutputDir);

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
                    result.AddRange(v.Params.Select(p => $"--{p.Key}={Format(p.Value)}"));
                    break;
                case "${args_no_hyphens}":
                    result.AddRange(v.Params.Select(p => $"{p.Key}={Format(p.Value)}"));
                    break;
                default:
                    result.Add(ExpandInline(token, v));
                    break;
            }
        }
        return result;
    }

    private static string ExpandInline(string token, Values v)
    {
        var text = token
            .Replace("${program}", v.Program ?? "", StringComparison.Ordinal)
            .Replace("${args_json_file}", v.ArgsJsonFile, StringComparison.Ordinal)
            .Replace("${seed}", v.Seed.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("${metrics_file}", v.MetricsFile, StringComparison.Ordinal)
            .Replace("${output_dir}", v.OutputDir, StringComparison.Ordinal);
        foreach (var (key, value) in v.Params)
            text = text.Replace("${param." + key + "}", Format(value), StringComparison.Ordinal);
        return text;
    }

    /// <summary>Values as a Python program reads them (W&amp;B's convention): True/False, plain numbers, JSON for lists.</summary>
    public static string Format(JsonNode? node) => node switch
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

namespace Ablations.Orchestrator.Web.Filtering;

internal enum FieldKind { Param, Metric, Status, Seed, RunId }

/// <summary>What a condition looks at: a parameter (dotted key), a final metric, or a run attribute.</summary>
internal sealed record FilterField(FieldKind Kind, string Key, int Position)
{
    public bool IsNumeric => Kind is FieldKind.Metric or FieldKind.Seed;

    public string Display => Kind switch
    {
        FieldKind.Param => $"params.{Key}",
        FieldKind.Metric => $"metrics.{Key}",
        _ => $"attributes.{Key}",
    };

    public const string Help = "use params.<key>, metrics.<name>, attributes.status|seed|run_id, status or seed";

    private static readonly string[] ParamPrefixes = ["params.", "param.", "parameters.", "parameter."];
    private static readonly string[] MetricPrefixes = ["metrics.", "metric."];
    private static readonly string[] AttributePrefixes = ["attributes.", "attribute.", "attr.", "run."];

    /// <summary>Resolves an identifier token; backquotes only group characters and are dropped.</summary>
    public static (FilterField? Field, FilterError? Error) Resolve(FilterToken token)
    {
        var word = token.Text.Replace("`", "", StringComparison.Ordinal);
        if (Strip(word, ParamPrefixes) is { } param)
            return param.Length == 0 ? (null, new FilterError(token.Position, $"expected a parameter key after '{word}', e.g. params.lr")) : (new FilterField(FieldKind.Param, param, token.Position), null);
        if (Strip(word, MetricPrefixes) is { } metric)
            return metric.Length == 0 ? (null, new FilterError(token.Position, $"expected a metric name after '{word}', e.g. metrics.loss")) : (new FilterField(FieldKind.Metric, metric, token.Position), null);
        var attribute = Strip(word, AttributePrefixes);
        return (attribute ?? word).ToLowerInvariant() switch
        {
            "status" => (new FilterField(FieldKind.Status, "status", token.Position), null),
            "seed" => (new FilterField(FieldKind.Seed, "seed", token.Position), null),
            "run_id" or "id" => (new FilterField(FieldKind.RunId, "run_id", token.Position), null),
            _ when attribute is not null => (null, new FilterError(token.Position, $"unknown attribute '{attribute}'; attributes are status, seed, run_id")),
            _ => (null, new FilterError(token.Position, $"unknown name '{word}'; {Help}")),
        };
    }

    private static string? Strip(string word, string[] prefixes)
    {
        foreach (var prefix in prefixes)
            if (word.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return word[prefix.Length..];
        return null;
    }
}

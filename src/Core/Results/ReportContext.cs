using Ablations.Core.Planning;
using Ablations.Core.Spec;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Core.Results;

/// <summary>What a report needs from the spec, saved with the experiment at submit so reports never re-parse YAML.</summary>
public sealed record ReportContext(MetricSpec? Metric, IReadOnlyList<string> AxisKeys, IReadOnlyDictionary<string, JsonNode?>? Baseline, DesignKind Design)
{
    /// <summary>The spec's claims (absent from contexts stored before claims existed: none).</summary>
    public IReadOnlyList<Claim> Claims { get; init; } = [];

    public static ReportContext From(ExperimentSpec spec) =>
        new(spec.Metric, spec.Axes.SelectMany(a => a.Keys).Distinct().ToList(), spec.Baseline, spec.Design) { Claims = spec.Claims };

    public string ToJson()
    {
        var baseline = Baseline is null ? null : JsonNode.Parse(JsonCanonical.Serialize(Baseline));
        var obj = new JsonObject
        {
            ["metric"] = Metric is null ? null : new JsonObject { ["name"] = Metric.Name, ["goal"] = Metric.Goal.ToString() },
            ["axes"] = new JsonArray(AxisKeys.Select(k => (JsonNode?)k).ToArray()),
            ["baseline"] = baseline,
            ["design"] = Design.ToString(),
        };
        // Only when there are claims: the stored context of a spec without any stays byte-for-byte what it was.
        if (Claims.Count > 0) obj["claims"] = new JsonArray([.. Claims.Select(c => (JsonNode)c.ToJson())]);
        return JsonCanonical.Serialize(obj);
    }

    public static ReportContext FromJson(string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        MetricSpec? metric = obj["metric"] is JsonObject m
            ? new MetricSpec(m["name"]!.GetValue<string>(), Enum.Parse<MetricGoal>(m["goal"]!.GetValue<string>()))
            : null;
        var axes = obj["axes"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        var baseline = obj["baseline"] is JsonObject b ? b.ToDictionary(p => p.Key, p => p.Value?.DeepClone()) : null;
        var claims = obj["claims"] is JsonArray list ? list.Select(c => Claim.FromJson(c!.AsObject())).ToList() : [];
        return new ReportContext(metric, axes, baseline, Enum.Parse<DesignKind>(obj["design"]!.GetValue<string>())) { Claims = claims };
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ablations.Reports.Aggregation;

namespace Ablations.Reports.Export;

/// <summary>summary.json: the <see cref="AblationSummary"/> in snake_case, enums as names, NaN as "NaN".</summary>
internal static class SummaryJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(AblationSummary summary) => JsonSerializer.Serialize(summary, Options) + "\n";

    public static AblationSummary? Deserialize(string json) => JsonSerializer.Deserialize<AblationSummary>(json, Options);
}

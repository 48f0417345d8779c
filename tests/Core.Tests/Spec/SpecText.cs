using Ablations.Core.Spec;

namespace Ablations.Core.Tests.Spec;

/// <summary>Helpers for spec tests: parse inline YAML and assert on success or on one diagnostic.</summary>
internal static class SpecText
{
    public const string Path = "spec.yaml";

    public static ExperimentSpec Ok(string yaml, string? profile = null)
    {
        var result = SpecLoader.Parse(yaml, Path, profile);
        Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    public static IReadOnlyList<SpecDiagnostic> Errors(string yaml, string? profile = null)
    {
        var result = SpecLoader.Parse(yaml, Path, profile);
        Assert.False(result.Ok);
        Assert.Null(result.Spec);
        Assert.NotEmpty(result.Diagnostics);
        return result.Diagnostics;
    }

    /// <summary>Asserts one diagnostic at line:col whose message contains every fragment.</summary>
    public static SpecDiagnostic Has(IReadOnlyList<SpecDiagnostic> diagnostics, int line, int column, params string[] fragments)
    {
        var match = diagnostics.FirstOrDefault(d => d.Line == line && d.Column == column && fragments.All(f => d.Message.Contains(f, StringComparison.Ordinal)));
        Assert.True(match is not null, $"no diagnostic at {line}:{column} containing [{string.Join(" | ", fragments)}]; got:\n{string.Join("\n", diagnostics)}");
        return match!;
    }
}

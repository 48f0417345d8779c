using Ablations.Core.Spec;

namespace Ablations.Core.Planning;

/// <summary>A spec file's plan, or every problem in it, each at its file:line:col; notes are what the loader decided for the user.</summary>
public sealed record PlanLoadResult(StagePlan? Plan, IReadOnlyList<SpecDiagnostic> Problems, IReadOnlyList<SpecDiagnostic> Notes)
{
    public bool Ok => Plan is not null && Problems.Count == 0;
}

/// <summary>
/// Spec file → validated spec → plan, the one path every command takes before anything runs. Every profile the file
/// defines is planned too, chosen or not, so a typo inside a profile (<c>image_szie</c>) is reported now, not on the
/// day the profile is first used; a problem that only a profile has says which.
/// </summary>
public static class PlanLoader
{
    /// <param name="runCap">--run-cap: replaces the file's run_cap.</param>
    public static PlanLoadResult Load(string path, string? profile = null, int? runCap = null) =>
        Plan(SpecLoader.Load(path, profile, runCap), profile, runCap);

    public static PlanLoadResult Parse(string text, string path, string? profile = null, int? runCap = null) =>
        Plan(SpecLoader.Parse(text, path, profile, runCap), profile, runCap);

    private static PlanLoadResult Plan(SpecLoadResult loaded, string? profile, int? runCap)
    {
        if (!loaded.Ok)
        {
            return new PlanLoadResult(null, loaded.Diagnostics, []);
        }
        var spec = loaded.Spec!;
        var (plan, problems) = TryPlan(spec);
        var all = problems.ToList();
        foreach (var other in spec.ProfileNames.Where(p => p != profile))
        {
            var variant = SpecLoader.Parse(spec.SourceText, spec.SourcePath, other, runCap);
            var found = variant.Ok ? TryPlan(variant.Spec!).Problems : variant.Diagnostics;
            foreach (var d in found.Where(d => !all.Any(a => a.Line == d.Line && a.Column == d.Column && a.Message.EndsWith(d.Message, StringComparison.Ordinal))))
            {
                all.Add(d with { Message = $"profile '{other}': {d.Message}" });
            }
        }
        var sorted = all.OrderBy(d => d.Line).ThenBy(d => d.Column).ToList();
        return new PlanLoadResult(sorted.Count == 0 ? plan : null, sorted, spec.Notes);
    }

    private static (StagePlan? Plan, IReadOnlyList<SpecDiagnostic> Problems) TryPlan(ExperimentSpec spec)
    {
        try
        {
            return (Planner.Plan(spec), []);
        }
        catch (PlanningException e)
        {
            return (null, e.Problems);
        }
    }
}

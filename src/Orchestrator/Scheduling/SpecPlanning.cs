using Ablations.Core.Planning;
using Ablations.Core.Spec;

namespace Ablations.Orchestrator.Scheduling;

/// <summary>Spec file → validated spec → plan, with every problem as one printable line. Nothing runs before this passes.</summary>
public static class SpecPlanning
{
    public sealed record Outcome(StagePlan? Plan, IReadOnlyList<string> Problems)
    {
        public bool Ok => Plan is not null;
    }

    public static Outcome Load(string path, string? profile)
    {
        var loaded = SpecLoader.Load(path, profile);
        if (!loaded.Ok) return new Outcome(null, loaded.Diagnostics.Select(d => d.ToString()).ToList());
        try
        {
            return new Outcome(Planner.Plan(loaded.Spec!), []);
        }
        catch (PlanningException e)
        {
            // A problem that already names its place (file:line:col, as a missing code file does) is printed as is.
            return new Outcome(null, e.Problems.Select(p => p.StartsWith(loaded.Spec!.SourcePath + ":", StringComparison.Ordinal) ? p : $"{path}: {p}").ToList());
        }
    }
}

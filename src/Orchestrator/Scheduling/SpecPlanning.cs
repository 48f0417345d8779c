using Ablations.Core.Planning;

namespace Ablations.Orchestrator.Scheduling;

/// <summary>Spec file → validated spec → plan, with every problem as one printable line. Nothing runs before this passes.</summary>
public static class SpecPlanning
{
    /// <param name="Problems">Each as file:line:col: message.</param>
    /// <param name="Notes">Each as file:line:col: note: message (the spec is fine; the loader decided something).</param>
    public sealed record Outcome(StagePlan? Plan, IReadOnlyList<string> Problems, IReadOnlyList<string> Notes)
    {
        public bool Ok => Plan is not null;
    }

    public static Outcome Load(string path, string? profile, int? runCap = null)
    {
        var loaded = PlanLoader.Load(path, profile, runCap);
        return new Outcome(loaded.Ok ? loaded.Plan : null,
            [.. loaded.Problems.Select(p => p.ToString())],
            [.. loaded.Notes.Select(n => $"{n.File}:{n.Line}:{n.Column}: note: {n.Message}")]);
    }
}

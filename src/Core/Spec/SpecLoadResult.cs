namespace Ablations.Core.Spec;

/// <summary>Either a valid spec, or every problem found (never both).</summary>
public sealed record SpecLoadResult(ExperimentSpec? Spec, IReadOnlyList<SpecDiagnostic> Diagnostics)
{
    public bool Ok => Spec is not null && Diagnostics.Count == 0;
}

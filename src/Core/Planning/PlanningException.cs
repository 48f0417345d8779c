using Ablations.Core.Spec;

namespace Ablations.Core.Planning;

/// <summary>
/// A spec that validated but cannot be planned (a stage option out of range, a missing program): every problem, each
/// placed in the spec's text like a loader diagnostic (see <see cref="ExperimentSpec.ProblemAt"/>).
/// </summary>
public sealed class PlanningException(IReadOnlyList<SpecDiagnostic> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<SpecDiagnostic> Problems { get; } = problems;
}

namespace Ablations.Core.Planning;

/// <summary>A spec that validated but cannot be planned (e.g. a stage option out of range); every problem, each with its key path.</summary>
public sealed class PlanningException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

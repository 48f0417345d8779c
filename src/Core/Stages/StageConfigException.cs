namespace Ablations.Core.Stages;

/// <summary>
/// A stage configuration that cannot work, with every problem found (not just the first). Thrown at plan
/// time by the pipeline and by executors binding their options; each problem names its key path.
/// </summary>
public sealed class StageConfigException(IReadOnlyList<ConfigProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<ConfigProblem> Problems { get; } = problems;

    /// <summary>Each problem as "path: message".</summary>
    public IReadOnlyList<string> Errors => [.. Problems.Select(p => p.ToString())];
}

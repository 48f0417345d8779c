namespace Ablations.Core.Stages;

/// <summary>
/// A stage configuration that cannot work, with every problem found (not just the first). Thrown at plan
/// time by the pipeline and by executors binding their options; each message starts with the key path.
/// </summary>
public sealed class StageConfigException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

namespace Ablations.Core.Stages;

/// <summary>
/// One problem in a stage configuration: the dotted key path it concerns (e.g. <c>stages.student.lambda</c>,
/// <c>stages.student.teachers[0]</c>) and what is wrong. The path lets the planner point at the spec's text:
/// at the key when <paramref name="AboutKey"/> (an unknown key), else at its value.
/// </summary>
public sealed record ConfigProblem(string Path, string Message, bool AboutKey = false)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

namespace Ablations.Core.Spec;

/// <summary>One problem in a spec file, with the place, what is wrong and the fix, as file:line:col: message.</summary>
public sealed record SpecDiagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

namespace Ablations.Orchestrator.Web.Filtering;

internal enum FilterTokenKind { Identifier, Number, String, Operator, And, End }

/// <summary>One lexeme of a filter; <see cref="Position"/> is 1-based, as shown in error messages.</summary>
internal sealed record FilterToken(FilterTokenKind Kind, string Text, int Position, double Number = 0)
{
    public string Describe() => Kind switch
    {
        FilterTokenKind.End => "the end of the filter",
        FilterTokenKind.String => $"the string '{Text}'",
        _ => $"'{Text}'",
    };
}

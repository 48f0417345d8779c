using Ablations.Core.Results;
namespace Ablations.Orchestrator.Web.Filtering;

/// <summary>
/// filter := "" | condition ("and" condition)* ; condition := name operator value. Type rules are checked here,
/// so evaluation never fails: metrics and seed compare with numbers, LIKE/ILIKE need a quoted pattern, status
/// values must be a known status.
/// </summary>
internal static class FilterParser
{
    public static readonly string[] Statuses = RunStatuses.All;

    private const string Operators = "=, !=, <, <=, >, >=, LIKE or ILIKE";

    public static (RunFilter? Filter, FilterError? Error) Parse(string? text)
    {
        var (tokens, lexError) = FilterLexer.Tokenize(text ?? "");
        if (lexError is not null) return (null, lexError);
        var conditions = new List<FilterCondition>();
        var i = 0;
        if (tokens[0].Kind == FilterTokenKind.End) return (new RunFilter(conditions), null);
        while (true)
        {
            var (condition, error) = ParseCondition(tokens, ref i, previous: i == 0 ? null : tokens[i - 1]);
            if (error is not null) return (null, error);
            conditions.Add(condition!);
            var next = tokens[i];
            if (next.Kind == FilterTokenKind.End) return (new RunFilter(conditions), null);
            if (next.Kind != FilterTokenKind.And)
            {
                var reason = next.Text.Equals("or", StringComparison.OrdinalIgnoreCase)
                    ? "'or' is not supported; conditions can only be joined with 'and'"
                    : $"expected 'and' or the end of the filter, found {next.Describe()}";
                return (null, new FilterError(next.Position, reason));
            }
            i++;
        }
    }

    private static (FilterCondition?, FilterError?) ParseCondition(List<FilterToken> tokens, ref int i, FilterToken? previous)
    {
        var name = tokens[i];
        if (name.Kind != FilterTokenKind.Identifier)
        {
            var after = previous is null ? "" : $" after '{previous.Text}'";
            return (null, new FilterError(name.Position, $"expected a condition such as params.lr > 0.1{after}, found {name.Describe()}"));
        }
        var (field, fieldError) = FilterField.Resolve(name);
        if (fieldError is not null) return (null, fieldError);
        var op = tokens[++i];
        if (op.Kind != FilterTokenKind.Operator)
            return (null, new FilterError(op.Position, $"expected an operator ({Operators}) after '{name.Text}', found {op.Describe()}"));
        var valueToken = tokens[++i];
        i++;
        FilterValue value;
        switch (valueToken.Kind)
        {
            case FilterTokenKind.Number:
                value = new FilterValue(valueToken.Number, valueToken.Text);
                break;
            case FilterTokenKind.String:
                value = new FilterValue(null, valueToken.Text);
                break;
            case FilterTokenKind.Identifier when valueToken.Text.ToLowerInvariant() is "true" or "false":
                value = new FilterValue(null, valueToken.Text.ToLowerInvariant());
                break;
            case FilterTokenKind.Identifier:
                return (null, new FilterError(valueToken.Position, $"expected a value after '{op.Text}': a number or a quoted string such as '{valueToken.Text}'"));
            default:
                return (null, new FilterError(valueToken.Position, $"expected a value after '{op.Text}'"));
        }
        var typeError = CheckTypes(field!, op, value, valueToken.Position);
        return typeError is null ? (new FilterCondition(field!, op.Text, value), null) : (null, typeError);
    }

    private static FilterError? CheckTypes(FilterField field, FilterToken op, FilterValue value, int valuePosition)
    {
        var like = op.Text is "LIKE" or "ILIKE";
        if (like && field.IsNumeric)
            return new FilterError(op.Position, $"{op.Text} compares strings, but {field.Display} is a number; use =, !=, <, <=, > or >=");
        if (like && value.Number is not null)
            return new FilterError(valuePosition, $"{op.Text} needs a quoted pattern such as '%{value.Text}%'");
        if (field.IsNumeric && value.Number is null)
            return new FilterError(valuePosition, $"{field.Display} is a number; compare it with a number, not '{value.Text}'");
        if (field.Kind == FieldKind.Status && op.Text is "=" or "!=" && !Statuses.Contains(value.Text, StringComparer.OrdinalIgnoreCase))
            return new FilterError(valuePosition, $"unknown status '{value.Text}'; statuses are {string.Join(", ", Statuses)}");
        return null;
    }
}

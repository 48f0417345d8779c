using System.Globalization;

namespace Ablations.Orchestrator.Web.Filtering;

/// <summary>
/// Splits a filter into tokens. Identifiers may contain dots, colons, dashes and slashes (metric names like
/// "teacher:t_a.loss"); a backquoted segment (params.`odd key`) takes anything up to the closing backquote.
/// Strings are single- or double-quoted, with no escapes.
/// </summary>
internal static class FilterLexer
{
    public static (List<FilterToken> Tokens, FilterError? Error) Tokenize(string text)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length)
            {
                tokens.Add(new FilterToken(FilterTokenKind.End, "", text.Length + 1));
                return (tokens, null);
            }
            var start = i;
            var c = text[i];
            if (c is '\'' or '"')
            {
                var close = text.IndexOf(c, i + 1);
                if (close < 0) return (tokens, new FilterError(start + 1, $"unterminated string: no closing {c}"));
                tokens.Add(new FilterToken(FilterTokenKind.String, text[(i + 1)..close], start + 1));
                i = close + 1;
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var op = i + 1 < text.Length && text[i + 1] == '=' && c != '=' ? text.Substring(i, 2) : c.ToString();
                if (op == "!") return (tokens, new FilterError(start + 1, "'!' must be followed by '=' (not equal is !=)"));
                tokens.Add(new FilterToken(FilterTokenKind.Operator, op, start + 1));
                i += op.Length;
            }
            else if (char.IsDigit(c) || ((c is '-' or '+' or '.') && i + 1 < text.Length && (char.IsDigit(text[i + 1]) || text[i + 1] == '.')))
            {
                i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.' || ((text[i] is '-' or '+') && text[i - 1] is 'e' or 'E'))) i++;
                var literal = text[start..i];
                if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    return (tokens, new FilterError(start + 1, $"'{literal}' is not a number"));
                tokens.Add(new FilterToken(FilterTokenKind.Number, literal, start + 1, number));
            }
            else if (IsIdentifierStart(c))
            {
                while (i < text.Length && (IsIdentifierPart(text[i]) || text[i] == '`'))
                {
                    if (text[i] == '`')
                    {
                        var close = text.IndexOf('`', i + 1);
                        if (close < 0) return (tokens, new FilterError(i + 1, "unterminated name: no closing `"));
                        i = close + 1;
                    }
                    else i++;
                }
                var word = text[start..i];
                var kind = word.Equals("and", StringComparison.OrdinalIgnoreCase) ? FilterTokenKind.And
                    : word.Equals("like", StringComparison.OrdinalIgnoreCase) || word.Equals("ilike", StringComparison.OrdinalIgnoreCase) ? FilterTokenKind.Operator
                    : FilterTokenKind.Identifier;
                tokens.Add(new FilterToken(kind, kind == FilterTokenKind.Operator ? word.ToUpperInvariant() : word, start + 1));
            }
            else
            {
                return (tokens, new FilterError(start + 1, $"unexpected character '{c}'"));
            }
        }
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c is '_' or '`';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '.' or ':' or '-' or '/' or '[' or ']';
}

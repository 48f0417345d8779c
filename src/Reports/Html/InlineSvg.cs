using System.Text.RegularExpressions;

namespace Ablations.Reports.Html;

/// <summary>
/// Makes a standalone SVG document embeddable in HTML: drops the XML prolog and prefixes element ids (and
/// their references) so several figures on one page do not share clip paths.
/// </summary>
internal static partial class InlineSvg
{
    public static string Prepare(string svg, string prefix)
    {
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        string body = start > 0 ? svg[start..] : svg;

        // A viewBox lets the page scale the figure down on narrow screens (CSS max-width) without clipping it.
        if (!body[..Math.Min(body.Length, 400)].Contains("viewBox", StringComparison.Ordinal))
        {
            var size = RootSize().Match(body);
            if (size.Success)
            {
                body = body.Insert(size.Index + size.Length - 1, $" viewBox=\"0 0 {size.Groups[1].Value} {size.Groups[2].Value}\"");
            }
        }

        body = IdAttribute().Replace(body, m => $"id=\"{prefix}-{m.Groups[1].Value}\"");
        body = UrlReference().Replace(body, m => $"url(#{prefix}-{m.Groups[1].Value})");
        body = HrefReference().Replace(body, m => $"{m.Groups[1].Value}=\"#{prefix}-{m.Groups[2].Value}\"");
        return body;
    }

    [GeneratedRegex("^<svg[^>]*?width=\"([0-9.]+)\"[^>]*?height=\"([0-9.]+)\"[^>]*>")]
    private static partial Regex RootSize();

    [GeneratedRegex("id=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();

    [GeneratedRegex("((?:xlink:)?href)=\"#([^\"]+)\"")]
    private static partial Regex HrefReference();
}

using System.Text.RegularExpressions;
using Ablations.Reports.Figures;

namespace Ablations.Reports.Html;

/// <summary>
/// Makes a standalone SVG document embeddable in HTML: drops the XML prolog and prefixes element ids and
/// every reference to them (<see cref="SvgIds.Rename"/>) so several figures on one page share no clip path or image.
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

        return SvgIds.Rename(body, id => $"{prefix}-{id}");
    }

    [GeneratedRegex("^<svg[^>]*?width=\"([0-9.]+)\"[^>]*?height=\"([0-9.]+)\"[^>]*>")]
    private static partial Regex RootSize();
}

using System.Text.RegularExpressions;

namespace Ablations.Reports.Figures;

/// <summary>
/// The SVG backend numbers clip-path ids with a process-wide counter, so the same figure drawn twice gets
/// different ids. Renumbering them in order of appearance makes the SVG a function of the figure alone.
/// </summary>
internal static partial class SvgIds
{
    public static string Normalize(string svg)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in IdAttribute().Matches(svg))
        {
            map.TryAdd(m.Groups[1].Value, $"c{map.Count}");
        }

        if (map.Count == 0)
        {
            return svg;
        }

        svg = IdAttribute().Replace(svg, m => $"id=\"{map[m.Groups[1].Value]}\"");
        return UrlReference().Replace(svg, m => map.TryGetValue(m.Groups[1].Value, out var id) ? $"url(#{id})" : m.Value);
    }

    [GeneratedRegex("id=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();
}

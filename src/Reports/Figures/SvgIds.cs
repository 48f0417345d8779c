using System.Text.RegularExpressions;

namespace Ablations.Reports.Figures;

/// <summary>
/// Element ids of an SVG and every reference to them, renamed together so none dangles. The SVG backend
/// numbers clip paths and embedded images with process-wide counters, so the same figure drawn twice gets
/// different ids; renumbering in order of appearance makes the SVG a function of the figure alone.
/// References take three forms here: <c>url(#id)</c> (clip paths, in attributes or styles), <c>href="#id"</c>
/// and <c>xlink:href="#id"</c> (a <c>use</c> of an embedded image, e.g. a heatmap's pixels).
/// </summary>
internal static partial class SvgIds
{
    /// <summary>Renumbers ids as c0, c1, … in order of appearance, references with them.</summary>
    public static string Normalize(string svg)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in IdAttribute().Matches(svg))
        {
            map.TryAdd(m.Groups[1].Value, $"c{map.Count}");
        }

        return map.Count == 0 ? svg : Rename(svg, id => map.GetValueOrDefault(id));
    }

    /// <summary>
    /// Renames every id and every reference with <paramref name="rename"/>; null keeps a name as it is. The one
    /// place that knows the reference forms, so renaming ids can never leave a reference behind.
    /// </summary>
    public static string Rename(string svg, Func<string, string?> rename)
    {
        string To(string id) => rename(id) ?? id;
        svg = IdAttribute().Replace(svg, m => $"id=\"{To(m.Groups[1].Value)}\"");
        svg = UrlReference().Replace(svg, m => $"url(#{To(m.Groups[1].Value)})");
        return HrefReference().Replace(svg, m => $"{m.Groups[1].Value}=\"#{To(m.Groups[2].Value)}\"");
    }

    // Attribute names start after whitespace: "clip-path-id" or "data-id" are not ids.
    [GeneratedRegex("(?<=\\s)id=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();

    [GeneratedRegex("(?<=\\s)((?:xlink:)?href)=\"#([^\"]+)\"")]
    private static partial Regex HrefReference();
}

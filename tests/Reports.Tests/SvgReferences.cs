using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Ablations.Reports.Tests;

/// <summary>
/// Reads an SVG as XML (independently of the regexes in src) and lists the ids it references but does not
/// define: url(#x) in any attribute or style text, and href / xlink:href="#x".
/// </summary>
internal static partial class SvgReferences
{
    public static IReadOnlyList<string> Ids(string svg) =>
        Parse(svg).Descendants().Attributes().Where(a => a.Name.LocalName == "id").Select(a => a.Value).ToArray();

    public static IReadOnlyList<string> Referenced(string svg)
    {
        var doc = Parse(svg);
        var refs = new List<string>();
        foreach (var attribute in doc.Descendants().Attributes())
        {
            if (attribute.Name.LocalName == "href" && attribute.Value.StartsWith('#'))
            {
                refs.Add(attribute.Value[1..]);
            }

            refs.AddRange(Url().Matches(attribute.Value).Select(m => m.Groups[1].Value));
        }

        refs.AddRange(doc.DescendantNodes().OfType<XText>().SelectMany(t => Url().Matches(t.Value)).Select(m => m.Groups[1].Value));
        return refs;
    }

    /// <summary>Referenced ids that no element of the same SVG defines, sorted and distinct.</summary>
    public static IReadOnlyList<string> Dangling(string svg)
    {
        var defined = Ids(svg).ToHashSet(StringComparer.Ordinal);
        return Referenced(svg).Where(r => !defined.Contains(r)).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The &lt;svg&gt; elements inlined into an HTML page (not nested: the figures have one each).</summary>
    public static IReadOnlyList<string> InlinedIn(string html) => InlineSvg().Matches(html).Select(m => m.Value).ToArray();

    private static XDocument Parse(string svg) => XDocument.Parse(svg);

    [GeneratedRegex(@"url\(\s*['""]?#([^)'""\s]+)")]
    private static partial Regex Url();

    [GeneratedRegex("<svg\\b.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex InlineSvg();
}

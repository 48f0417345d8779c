using System.Globalization;
using System.Text;

namespace Ablations.Orchestrator.Web.Pages;

/// <summary>A small line chart of one curve as inline SVG: a polyline over (step, value), with min/max labels on both axes.</summary>
internal static class CurveSvg
{
    private const int Width = 360, Height = 200, Left = 56, Right = 12, Top = 26, Bottom = 30;

    public static string Render(string title, IReadOnlyList<double[]> points)
    {
        var finite = points.Where(p => double.IsFinite(p[1])).ToList();
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Html.E(title)}\">");
        svg.Append($"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"600\" fill=\"#1d2330\">{Html.E(title)}</text>");
        if (finite.Count == 0)
            return svg.Append($"<text x=\"{Left}\" y=\"{Height / 2}\" font-size=\"12\" fill=\"#667085\">no finite values</text></svg>").ToString();
        double x0 = finite.Min(p => p[0]), x1 = finite.Max(p => p[0]), y0 = finite.Min(p => p[1]), y1 = finite.Max(p => p[1]);
        if (x1 == x0) x1 = x0 + 1;
        if (y1 == y0) { y0 -= 0.5; y1 += 0.5; }
        double X(double x) => Left + (x - x0) / (x1 - x0) * (Width - Left - Right);
        double Y(double y) => Height - Bottom - (y - y0) / (y1 - y0) * (Height - Top - Bottom);
        var plotBottom = Height - Bottom;
        svg.Append($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#e4e7ec\"/>");
        svg.Append($"<text x=\"{Left - 4}\" y=\"{Top + 4}\" font-size=\"10\" text-anchor=\"end\" fill=\"#667085\">{F(y1)}</text>");
        svg.Append($"<text x=\"{Left - 4}\" y=\"{plotBottom}\" font-size=\"10\" text-anchor=\"end\" fill=\"#667085\">{F(y0)}</text>");
        svg.Append($"<text x=\"{Left}\" y=\"{plotBottom + 14}\" font-size=\"10\" fill=\"#667085\">{F(x0)}</text>");
        svg.Append($"<text x=\"{Width - Right}\" y=\"{plotBottom + 14}\" font-size=\"10\" text-anchor=\"end\" fill=\"#667085\">{F(x1)}</text>");
        svg.Append($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{plotBottom + 26}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#667085\">step</text>");
        var line = string.Join(' ', finite.Select(p => $"{N(X(p[0]))},{N(Y(p[1]))}"));
        svg.Append($"<polyline fill=\"none\" stroke=\"#2e6fd8\" stroke-width=\"1.8\" points=\"{line}\"/>");
        if (finite.Count <= 60)
            foreach (var p in finite) svg.Append($"<circle cx=\"{N(X(p[0]))}\" cy=\"{N(Y(p[1]))}\" r=\"2.2\" fill=\"#2e6fd8\"/>");
        return svg.Append("</svg>").ToString();
    }

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string F(double v) => Html.E(v.ToString("G4", CultureInfo.InvariantCulture));
}

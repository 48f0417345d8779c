using ScottPlot;

namespace Ablations.Reports.Figures;

/// <summary>A figure ready to render: file name (no extension), title, a caption for the report page, and the plot.</summary>
internal sealed record Figure(string Name, string Title, string Caption, Plot Plot)
{
    /// <summary>Extra width in pixels, for a legend placed beside the plot.</summary>
    public int ExtraWidth { get; init; }
}

/// <summary>A rendered figure. SVG is deterministic (same input, same bytes) so reports diff cleanly.</summary>
internal sealed record RenderedFigure(string Name, string Title, string Caption, string? Svg, byte[]? Png);

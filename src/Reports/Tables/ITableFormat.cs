namespace Ablations.Reports.Tables;

/// <summary>One output format of the ablation table (the plug-in shape: a name and one method).</summary>
internal interface ITableFormat
{
    /// <summary>File extension without the dot, also the format's name: md, tex, csv, html.</summary>
    string Extension { get; }

    string Render(AblationTable table);
}

/// <summary>Every table format, in the order the report lists them.</summary>
internal static class TableFormats
{
    public static IReadOnlyList<ITableFormat> All { get; } =
        [new MarkdownTableFormat(), new LatexTableFormat(), new CsvTableFormat(), new HtmlTableFormat()];

    public static ITableFormat? Find(string extension) =>
        All.FirstOrDefault(f => string.Equals(f.Extension, extension, StringComparison.OrdinalIgnoreCase));
}

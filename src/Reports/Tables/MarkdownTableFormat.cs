using System.Text;

namespace Ablations.Reports.Tables;

/// <summary>GitHub-flavoured Markdown: bold best values, significance or footnote marks after Δ, notes below.</summary>
internal sealed class MarkdownTableFormat : ITableFormat
{
    public string Extension => "md";

    public string Render(AblationTable table)
    {
        var sb = new StringBuilder();
        sb.Append("**").Append(Escape(table.Caption)).Append("**\n\n");
        var header = new List<string>(table.LabelHeaders.Select(Escape));
        var align = new List<string>(table.LabelHeaders.Select(_ => "---"));
        foreach (var m in table.Metrics)
        {
            header.Add($"{Escape(m.Name)} {m.Arrow}");
            align.Add("---:");
            if (table.HasBaseline)
            {
                header.Add($"Δ {Escape(m.Name)}");
                align.Add("---:");
            }
        }

        if (table.HasStatus)
        {
            header.Add(AblationTable.StatusHeader);
            align.Add("---");
        }

        Line(sb, header);
        Line(sb, align);
        foreach (var row in table.Rows)
        {
            var cells = new List<string>(row.Labels.Select(Escape));
            for (int i = 0; i < table.Metrics.Count; i++)
            {
                var m = table.Metrics[i];
                var c = row.Cells[i];
                string value = TableNumbers.MeanStd(c, m.Decimals, "±");
                cells.Add(c.IsBest ? $"**{value}**" : value);
                if (table.HasBaseline)
                {
                    cells.Add(c.Delta is { } d ? TableNumbers.Signed(d, m.Decimals) + Escape(c.Mark) + c.Footnote : TableNumbers.Missing);
                }
            }

            if (table.HasStatus)
            {
                cells.Add(Escape(row.Status ?? ""));
            }

            Line(sb, cells);
        }

        foreach (var note in table.Notes)
        {
            sb.Append('\n').Append(Escape(note)).Append('\n');
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, IEnumerable<string> cells) => sb.Append("| ").AppendJoin(" | ", cells).Append(" |\n");

    /// <summary>Escapes what would break a cell or start emphasis; intraword underscores are literal in GFM.</summary>
    private static string Escape(string text) => text.Replace("|", "\\|").Replace("*", "\\*");
}

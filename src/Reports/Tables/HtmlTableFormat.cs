using System.Net;
using System.Text;

namespace Ablations.Reports.Tables;

/// <summary>An HTML fragment (a <c>table</c> element with caption and notes) for the report page or a paper draft.</summary>
internal sealed class HtmlTableFormat : ITableFormat
{
    public string Extension => "html";

    public string Render(AblationTable table)
    {
        int columns = table.LabelHeaders.Count + table.Metrics.Count * (table.HasBaseline ? 2 : 1) + (table.HasStatus ? 1 : 0);
        var sb = new StringBuilder();
        sb.Append("<table class=\"ablation\">\n<caption>").Append(E(table.Caption)).Append("</caption>\n<thead><tr>");
        foreach (var h in table.LabelHeaders)
        {
            sb.Append("<th>").Append(E(h)).Append("</th>");
        }

        foreach (var m in table.Metrics)
        {
            sb.Append("<th class=\"num\">").Append(E(m.Name)).Append(' ').Append(m.Arrow).Append("</th>");
            if (table.HasBaseline)
            {
                sb.Append("<th class=\"num\">Δ ").Append(E(m.Name)).Append("</th>");
            }
        }

        if (table.HasStatus)
        {
            sb.Append("<th>").Append(AblationTable.StatusHeader).Append("</th>");
        }

        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            sb.Append(row.IsBaseline ? "<tr class=\"baseline\">" : row.Status is not null && row.Cells.All(c => c.Mean is null) ? "<tr class=\"no-result\">" : "<tr>");
            foreach (var label in row.Labels)
            {
                sb.Append("<td>").Append(E(label)).Append("</td>");
            }

            for (int i = 0; i < table.Metrics.Count; i++)
            {
                var m = table.Metrics[i];
                var c = row.Cells[i];
                string value = E(TableNumbers.MeanStd(c, m.Decimals, "±"));
                sb.Append("<td class=\"num\">").Append(c.IsBest ? $"<strong>{value}</strong>" : value).Append("</td>");
                if (table.HasBaseline)
                {
                    sb.Append("<td class=\"num\">");
                    sb.Append(c.Delta is { } d ? E(TableNumbers.Signed(d, m.Decimals)) : TableNumbers.Missing);
                    if (c.Mark.Length > 0 || c.Footnote.Length > 0)
                    {
                        sb.Append("<sup>").Append(c.Mark).Append(c.Footnote).Append("</sup>");
                    }

                    sb.Append("</td>");
                }
            }

            if (table.HasStatus)
            {
                sb.Append("<td class=\"status\">").Append(E(row.Status ?? "")).Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</tbody>\n");
        if (table.Notes.Count > 0)
        {
            sb.Append("<tfoot><tr><td colspan=\"").Append(columns).Append("\">");
            sb.AppendJoin("<br>", table.Notes.Select(E));
            sb.Append("</td></tr></tfoot>\n");
        }

        sb.Append("</table>\n");
        return sb.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

using System.Text;

namespace Ablations.Reports.Tables;

/// <summary>A booktabs <c>table</c> environment (needs \usepackage{booktabs}); notes as a footnote-size paragraph.</summary>
internal sealed class LatexTableFormat : ITableFormat
{
    public string Extension => "tex";

    public string Render(AblationTable table)
    {
        int valueColumns = table.Metrics.Count * (table.HasBaseline ? 2 : 1);
        var sb = new StringBuilder();
        sb.Append("\\begin{table}[t]\n  \\centering\n");
        sb.Append("  \\caption{").Append(Escape(table.Caption)).Append("}\n");
        // A failure reason can be long: its column wraps instead of widening the table past the page.
        sb.Append("  \\begin{tabular}{").Append(new string('l', table.LabelHeaders.Count)).Append(new string('r', valueColumns))
          .Append(table.HasStatus ? "p{0.3\\linewidth}" : "").Append("}\n");
        sb.Append("    \\toprule\n");
        var header = new List<string>(table.LabelHeaders.Select(Escape));
        foreach (var m in table.Metrics)
        {
            header.Add($"{Escape(m.Name)} {(m.Arrow == "↑" ? "$\\uparrow$" : "$\\downarrow$")}");
            if (table.HasBaseline)
            {
                header.Add($"$\\Delta$ {Escape(m.Name)}");
            }
        }

        if (table.HasStatus)
        {
            header.Add(AblationTable.StatusHeader);
        }

        Row(sb, header);
        sb.Append("    \\midrule\n");
        foreach (var row in table.Rows)
        {
            var cells = new List<string>(row.Labels.Select(Escape));
            for (int i = 0; i < table.Metrics.Count; i++)
            {
                var m = table.Metrics[i];
                var c = row.Cells[i];
                string value = c.Mean is null ? "--" : TableNumbers.MeanStd(c, m.Decimals, "$\\pm$");
                cells.Add(c.IsBest ? $"\\textbf{{{value}}}" : value);
                if (table.HasBaseline)
                {
                    cells.Add(c.Delta is { } d ? Delta(d, m.Decimals, c.Mark.Length > 0 ? c.Mark : MathMark(c.Footnote)) : "--");
                }
            }

            if (table.HasStatus)
            {
                cells.Add(Escape(row.Status ?? ""));
            }

            Row(sb, cells);
        }

        sb.Append("    \\bottomrule\n  \\end{tabular}\n");
        if (table.Notes.Count > 0)
        {
            sb.Append("\n  \\smallskip\n  {\\footnotesize\n");
            foreach (var note in table.Notes)
            {
                sb.Append("  ").Append(Escape(note)).Append("\\par\n");
            }

            sb.Append("  }\n");
        }

        sb.Append("\\end{table}\n");
        return sb.ToString();
    }

    private static string Delta(double delta, int decimals, string mark)
    {
        string text = TableNumbers.Signed(delta, decimals);
        return mark.Length == 0 ? $"${text}$" : $"${text}^{{{mark}}}$";
    }

    private static string MathMark(string footnote) => footnote switch
    {
        TableCell.ZeroVarianceMark => "\\dagger",
        TableCell.NoDifferenceMark => "\\ddagger",
        _ => "",
    };

    private static void Row(StringBuilder sb, IEnumerable<string> cells) => sb.Append("    ").AppendJoin(" & ", cells).Append(" \\\\\n");

    /// <summary>Escapes LaTeX specials and spells out the few Unicode signs the notes use.</summary>
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char ch in text)
        {
            sb.Append(ch switch
            {
                '\\' => "\\textbackslash{}",
                '&' or '%' or '$' or '#' or '_' or '{' or '}' => "\\" + ch,
                '~' => "\\textasciitilde{}",
                '^' => "\\textasciicircum{}",
                '<' => "$<$",
                '>' => "$>$",
                '±' => "$\\pm$",
                'Δ' => "$\\Delta$",
                '—' => "---",
                '↑' => "$\\uparrow$",
                '↓' => "$\\downarrow$",
                '†' => "$^{\\dagger}$",
                '‡' => "$^{\\ddagger}$",
                _ => ch.ToString(),
            });
        }

        return sb.ToString();
    }
}

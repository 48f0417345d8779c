using System.Globalization;
using System.Text;

namespace Ablations.Reports.Tables;

/// <summary>
/// Machine-readable: the cell's runs (<c>runs.total</c>, <c>runs.succeeded</c>, <c>runs.status</c>: empty when all
/// succeeded, else what happened), numbers to 12 significant digits, one column per statistic (<c>metric.mean</c>,
/// <c>metric.std</c>, …, <c>metric.best</c>), empty fields for missing values, plus <c>metric.display</c> with the
/// paper-style text (mean ± std (n); Δ with significance mark). A comparison without a defined test has
/// "n/a (zero variance)" or "n/a (no difference)" in its p fields. RFC 4180 quoting.
/// </summary>
internal sealed class CsvTableFormat : ITableFormat
{
    public string Extension => "csv";

    public string Render(AblationTable table)
    {
        var sb = new StringBuilder();
        var header = new List<string>(table.LabelKeys) { "is_baseline", "runs.total", "runs.succeeded", "runs.status" };
        foreach (var m in table.Metrics)
        {
            header.AddRange(new[] { "mean", "std", "n", "ci_low", "ci_high" }.Select(s => $"{m.Name}.{s}"));
            if (table.HasBaseline)
            {
                header.AddRange(new[] { "delta", "p", "p_holm" }.Select(s => $"{m.Name}.{s}"));
            }

            header.Add($"{m.Name}.best");
            header.Add($"{m.Name}.display");
        }

        Line(sb, header);
        foreach (var row in table.Rows)
        {
            var fields = new List<string>(row.Labels)
            {
                row.IsBaseline ? "true" : "false", row.Runs.ToString(CultureInfo.InvariantCulture),
                row.Succeeded.ToString(CultureInfo.InvariantCulture), row.Status ?? "",
            };
            for (int i = 0; i < row.Cells.Count; i++)
            {
                var c = row.Cells[i];
                fields.AddRange([TableNumbers.Raw(c.Mean), TableNumbers.Raw(c.Std), c.N.ToString(CultureInfo.InvariantCulture),
                    TableNumbers.Raw(c.CiLow), TableNumbers.Raw(c.CiHigh)]);
                if (table.HasBaseline)
                {
                    // A comparison without a defined test says why in place of its p-values (see TableCell.Untested).
                    fields.AddRange([TableNumbers.Raw(c.Delta), c.Untested is { } why ? $"n/a ({why})" : TableNumbers.Raw(c.P),
                        c.Untested is { } whyHolm ? $"n/a ({whyHolm})" : TableNumbers.Raw(c.PHolm)]);
                }

                fields.Add(c.IsBest ? "true" : "false");
                fields.Add(Display(c, table.Metrics[i].Decimals, table.HasBaseline));
            }

            Line(sb, fields);
        }

        return sb.ToString();
    }

    /// <summary>The paper-style text of the cell: "0.510 ± 0.010 (3)", then Δ and its significance mark, or why it has none, when compared.</summary>
    private static string Display(TableCell c, int decimals, bool hasBaseline)
    {
        string text = TableNumbers.MeanStd(c, decimals, "±");
        if (!hasBaseline || c.Delta is not { } d)
        {
            return text;
        }

        text = $"{text}; Δ {TableNumbers.Signed(d, decimals)}{c.Mark}";
        return c.Untested is { } why ? $"{text} ({why})" : text;
    }

    private static void Line(StringBuilder sb, IEnumerable<string> fields) => sb.AppendJoin(',', fields.Select(Csv.Quote)).Append('\n');
}

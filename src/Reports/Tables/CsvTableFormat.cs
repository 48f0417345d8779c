using System.Globalization;
using System.Text;

namespace Ablations.Reports.Tables;

/// <summary>
/// Machine-readable: full-precision numbers (round-trip), one column per statistic
/// (<c>metric.mean</c>, <c>metric.std</c>, …), empty fields for missing values. RFC 4180 quoting.
/// </summary>
internal sealed class CsvTableFormat : ITableFormat
{
    public string Extension => "csv";

    public string Render(AblationTable table)
    {
        var sb = new StringBuilder();
        var header = new List<string>(table.LabelKeys) { "is_baseline" };
        foreach (var m in table.Metrics)
        {
            header.AddRange(new[] { "mean", "std", "n", "ci_low", "ci_high" }.Select(s => $"{m.Name}.{s}"));
            if (table.HasBaseline)
            {
                header.AddRange(new[] { "delta", "p", "p_holm" }.Select(s => $"{m.Name}.{s}"));
            }

            header.Add($"{m.Name}.best");
        }

        Line(sb, header);
        foreach (var row in table.Rows)
        {
            var fields = new List<string>(row.Labels) { row.IsBaseline ? "true" : "false" };
            foreach (var c in row.Cells)
            {
                fields.AddRange([TableNumbers.Raw(c.Mean), TableNumbers.Raw(c.Std), c.N.ToString(CultureInfo.InvariantCulture),
                    TableNumbers.Raw(c.CiLow), TableNumbers.Raw(c.CiHigh)]);
                if (table.HasBaseline)
                {
                    fields.AddRange([TableNumbers.Raw(c.Delta), TableNumbers.Raw(c.P), TableNumbers.Raw(c.PHolm)]);
                }

                fields.Add(c.IsBest ? "true" : "false");
            }

            Line(sb, fields);
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, IEnumerable<string> fields) => sb.AppendJoin(',', fields.Select(Csv.Quote)).Append('\n');
}

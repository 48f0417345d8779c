using System.Globalization;
using System.Text;
using Ablations.Reports.Tables;
using Parquet;
using Parquet.Schema;

namespace Ablations.Reports.Export;

/// <summary>
/// A small in-memory column table with the two column kinds exports need (text and nullable numbers), and
/// its CSV and Parquet forms. Parquet columns are plain (no nesting) so pyarrow and pandas read them directly.
/// </summary>
internal sealed class ColumnTable(int rowCount)
{
    private readonly List<(string Name, object Values)> _columns = [];

    public int RowCount { get; } = rowCount;

    public IReadOnlyList<string> Names => _columns.Select(c => c.Name).ToArray();

    public void AddText(string name, string?[] values) => Add(name, values, values.Length);

    public void AddNumber(string name, double?[] values) => Add(name, values, values.Length);

    public void AddInteger(string name, long[] values) => Add(name, values, values.Length);

    public void AddBool(string name, bool[] values) => Add(name, values, values.Length);

    private void Add(string name, object values, int length)
    {
        if (length != RowCount)
        {
            throw new ArgumentException($"column {name} has {length} values, expected {RowCount}");
        }

        _columns.Add((name, values));
    }

    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', _columns.Select(c => Csv.Quote(c.Name))).Append('\n');
        for (int r = 0; r < RowCount; r++)
        {
            for (int c = 0; c < _columns.Count; c++)
            {
                if (c > 0)
                {
                    sb.Append(',');
                }

                sb.Append(_columns[c].Values switch
                {
                    string?[] s => Csv.Quote(s[r] ?? ""),
                    double?[] d => d[r] is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "",
                    long[] l => l[r].ToString(CultureInfo.InvariantCulture),
                    bool[] b => b[r] ? "true" : "false",
                    _ => throw new InvalidOperationException("unknown column kind"),
                });
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    public async Task WriteParquetAsync(Stream stream, int rowGroupSize = 100_000)
    {
        var fields = _columns.Select(c => c.Values switch
        {
            string?[] => (DataField)new DataField<string>(c.Name, true),
            double?[] => new DataField<double?>(c.Name),
            long[] => new DataField<long>(c.Name),
            bool[] => new DataField<bool>(c.Name),
            _ => throw new InvalidOperationException("unknown column kind"),
        }).ToArray();
        var schema = new ParquetSchema(fields);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        for (int start = 0; start < RowCount || (start == 0 && RowCount == 0); start += rowGroupSize)
        {
            int count = Math.Min(rowGroupSize, RowCount - start);
            using var group = writer.CreateRowGroup();
            for (int c = 0; c < _columns.Count; c++)
            {
                switch (_columns[c].Values)
                {
                    case string?[] s:
                        await group.WriteAsync(fields[c], new ArraySegment<string?>(s, start, count) as IReadOnlyCollection<string>);
                        break;
                    case double?[] d:
                        await group.WriteAsync(fields[c], new ReadOnlyMemory<double?>(d, start, count));
                        break;
                    case long[] l:
                        await group.WriteAsync(fields[c], new ReadOnlyMemory<long>(l, start, count));
                        break;
                    case bool[] b:
                        await group.WriteAsync(fields[c], new ReadOnlyMemory<bool>(b, start, count));
                        break;
                }
            }

            if (RowCount == 0)
            {
                break;
            }
        }
    }
}

using Ablations.Core.Results;
using Ablations.Core.Store;
using Ablations.Orchestrator.Output;
using System.Globalization;
using System.Text;

namespace Ablations.Orchestrator.Scheduling;

/// <summary>Writes reports/&lt;experiment&gt;/ from the store. (Minimal results table; the full report replaces it.)</summary>
public static class ReportPublisher
{
    public static string Write(ResultsStore store, string experiment, string reportsRoot)
    {
        var results = ResultsReader.Load(store, experiment);
        var dir = Path.Combine(reportsRoot, experiment);
        Directory.CreateDirectory(dir);
        var metrics = results.Runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var header = results.AxisKeys.Concat(["seed", "status"]).Concat(metrics).ToList();
        var rows = results.Runs.Select(r => results.AxisKeys.Select(k => ResultsConsole.Format(r.Params.GetValueOrDefault(k)))
            .Concat([r.Seed.ToString(CultureInfo.InvariantCulture), r.Status])
            .Concat(metrics.Select(m => r.Metrics.TryGetValue(m, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : ""))
            .ToList()).ToList();
        var csv = new StringBuilder().AppendLine(string.Join(',', header.Select(Csv)));
        foreach (var row in rows) csv.AppendLine(string.Join(',', row.Select(Csv)));
        var md = new StringBuilder().AppendLine($"| {string.Join(" | ", header)} |").AppendLine($"|{string.Concat(header.Select(_ => "---|"))}");
        foreach (var row in rows) md.AppendLine($"| {string.Join(" | ", row)} |");
        WriteAtomic(Path.Combine(dir, "results.csv"), csv.ToString());
        WriteAtomic(Path.Combine(dir, "results.md"), md.ToString());
        return dir;
    }

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    /// <summary>Temp file + rename: a crash leaves the old file or the new one, never half of one.</summary>
    public static void WriteAtomic(string path, string text)
    {
        var tmp = path + $".tmp-{Environment.ProcessId}";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}

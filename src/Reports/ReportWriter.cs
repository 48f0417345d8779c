using Ablations.Core.Results;
using Ablations.Reports.Aggregation;
using Ablations.Reports.Export;
using Ablations.Reports.Figures;
using Ablations.Reports.Html;
using Ablations.Reports.Tables;

namespace Ablations.Reports;

/// <summary>What <see cref="ReportWriter.Write"/> did: the summary and the files written, or why it wrote nothing.</summary>
public sealed record ReportOutcome(AblationSummary? Summary, IReadOnlyList<string> Files, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Writes a report folder: index.html (self-contained), figures/*.png|svg, tables/ablation.md|tex|csv|html,
/// results.csv, results.parquet and summary.json. Every file is written atomically (temp + rename), and
/// index.html last, so a crash never leaves a half-written file and a page never links to missing ones. A folder
/// already rendered from the same results and options, its files untouched, is left as it is (<see cref="ReportStamp"/>).
/// </summary>
public static class ReportWriter
{
    /// <summary>
    /// Writes the report of <paramref name="results"/> into <paramref name="outputDir"/>. Input problems (a metric
    /// no run has) are returned in <see cref="ReportOutcome.Errors"/> and nothing is written; an experiment
    /// with zero finished runs gives a report that says so.
    /// </summary>
    public static ReportOutcome Write(ExperimentResults results, string outputDir, ReportOptions? options = null) =>
        WriteAsync(results, outputDir, options).GetAwaiter().GetResult();

    public static async Task<ReportOutcome> WriteAsync(ExperimentResults results, string outputDir, ReportOptions? options = null)
    {
        options ??= ReportOptions.Default;
        var errors = AblationSummarizer.Check(results, options);
        if (errors.Count > 0)
        {
            return new ReportOutcome(null, [], errors);
        }

        var summary = AblationSummarizer.Summarize(results, options);
        var stamp = ReportStamp.KeyOf(results, options);
        if (ReportStamp.Intact(outputDir, stamp) is { } unchanged)
        {
            return new ReportOutcome(summary, unchanged, []);
        }

        var files = new List<string>();
        void Text(string relative, string text)
        {
            AtomicFile.WriteText(Path.Combine(outputDir, relative), text);
            files.Add(relative);
        }

        // Figures (ScottPlot's first render) and the Parquet file (Parquet.Net's first write) cost most of a small report's
        // ~0.4 s, mostly one-time initialisation: they are made beside the tables and the HTML on another core.
        var rendering = Task.Run(() => FigureSet.RenderAll(FigureSet.Build(summary, results, options), options));
        var runsTable = ResultsTable.Build(results);
        var parquet = Task.Run(() => AtomicFile.WriteAsync(Path.Combine(outputDir, "results.parquet"), s => runsTable.WriteParquetAsync(s)));

        try
        {
            var table = AblationTableBuilder.Build(summary);
            string tableHtml = "";
            foreach (var format in TableFormats.All)
            {
                string rendered = format.Render(table);
                Text($"tables/ablation.{format.Extension}", rendered);
                if (format is HtmlTableFormat)
                {
                    tableHtml = rendered;
                }
            }

            var figures = await rendering;
            foreach (var f in figures)
            {
                if (f.Png is not null)
                {
                    AtomicFile.WriteBytes(Path.Combine(outputDir, "figures", f.Name + ".png"), f.Png);
                    files.Add($"figures/{f.Name}.png");
                }

                if (f.Svg is not null)
                {
                    Text($"figures/{f.Name}.svg", f.Svg);
                }
            }

            RemoveStaleFigures(outputDir, files);
            Text("results.csv", runsTable.ToCsv());
            await parquet;
            files.Add("results.parquet");
            Text("summary.json", SummaryJson.Serialize(summary));
            if (summary.Findings is { } findings) Text("findings.md", FindingsText.Markdown(findings));
            else File.Delete(Path.Combine(outputDir, "findings.md")); // an earlier report's findings are not this one's

            var links = files.Where(f => !f.StartsWith("figures/", StringComparison.Ordinal)).ToArray();
            Text("index.html", HtmlReport.Render(summary, results, tableHtml, figures, links));
            ReportStamp.Write(outputDir, stamp, files);
            return new ReportOutcome(summary, files, []);
        }
        finally
        {
            // A failure above (a full disk) must not leave these writing into the folder after this returns.
            try { await Task.WhenAll(rendering, parquet); } catch { }
        }
    }

    /// <summary>A figure from an earlier report of this folder that this one no longer draws would mislead: remove it.</summary>
    private static void RemoveStaleFigures(string outputDir, IReadOnlyCollection<string> written)
    {
        string dir = Path.Combine(outputDir, "figures");
        if (!Directory.Exists(dir))
        {
            return;
        }

        var keep = written.ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            string ext = Path.GetExtension(file);
            if ((ext == ".png" || ext == ".svg") && !keep.Contains($"figures/{Path.GetFileName(file)}"))
            {
                File.Delete(file);
            }
        }
    }
}

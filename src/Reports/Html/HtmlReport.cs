using System.Globalization;
using System.Net;
using System.Text;
using Ablations.Core.Results;
using Ablations.Core.Spec;
using Ablations.Reports.Aggregation;
using Ablations.Reports.Figures;

namespace Ablations.Reports.Html;

/// <summary>
/// The self-contained report page: inline CSS and SVG, no scripts, no network. It reads on its own: what
/// was compared, the ablation table, the figures with captions, and every run.
/// </summary>
internal static class HtmlReport
{
    public static string Render(
        AblationSummary summary, ExperimentResults results, string tableHtml, IReadOnlyList<RenderedFigure> figures, IReadOnlyList<string> links)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>Ablation report: ").Append(E(summary.Experiment)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        sb.Append("<h1>Ablation report: ").Append(E(summary.Experiment)).Append("</h1>\n");
        if (!string.IsNullOrWhiteSpace(summary.Description))
        {
            sb.Append("<p class=\"lead\">").Append(E(summary.Description!)).Append("</p>\n");
        }

        if (summary.Revision is { } revision)
        {
            sb.Append("<p class=\"").Append(revision.IsCurrent ? "muted" : "notice").Append("\" id=\"revision\">").Append(E(revision.Describe()))
              .Append(" · submitted ").Append(E(revision.CreatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)))
              .Append(" from <code>").Append(E(revision.SpecPath)).Append("</code>")
              .Append(revision.GitCommit is null ? "" : $" at commit <code>{E(revision.GitCommit[..Math.Min(12, revision.GitCommit.Length)])}</code>")
              .Append(revision.IsCurrent ? "" : ". A later revision of this experiment exists; these are not its current results.").Append("</p>\n");
        }

        Compared(sb, summary);
        if (!summary.HasFinishedRuns)
        {
            sb.Append("<p class=\"notice\" id=\"no-finished-runs\">No finished runs yet: ").Append(summary.Runs.Total)
              .Append(" run(s) recorded, none succeeded. Tables and figures appear once runs succeed.</p>\n");
        }

        sb.Append("<h2 id=\"table\">Ablation table</h2>\n").Append(tableHtml);
        if (summary.Findings is { } findings)
        {
            sb.Append(Tables.FindingsText.Html(findings));
        }

        Marginals(sb, summary);
        if (figures.Count > 0)
        {
            sb.Append("<h2 id=\"figures\">Figures</h2>\n");
            int n = 0;
            foreach (var f in figures)
            {
                n++;
                sb.Append("<figure id=\"fig-").Append(E(f.Name)).Append("\">\n");
                if (f.Svg is not null)
                {
                    sb.Append(InlineSvg.Prepare(f.Svg, $"f{n}")).Append('\n');
                }
                else
                {
                    sb.Append("<img alt=\"").Append(E(f.Title)).Append("\" src=\"figures/").Append(E(f.Name)).Append(".png\">\n");
                }

                sb.Append("<figcaption><b>Figure ").Append(n).Append(".</b> ").Append(E(f.Caption)).Append("</figcaption>\n</figure>\n");
            }
        }

        Runs(sb, summary, results);
        if (links.Count > 0)
        {
            sb.Append("<h2 id=\"files\">Files</h2>\n<p class=\"files\">");
            sb.AppendJoin(" · ", links.Select(l => $"<a href=\"{E(l)}\">{E(l)}</a>"));
            sb.Append("</p>\n");
        }

        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Compared(StringBuilder sb, AblationSummary s)
    {
        sb.Append("<h2 id=\"compared\">What was compared</h2>\n<ul class=\"compared\">\n");
        string design = s.Design == DesignKind.OneAtATime
            ? "one factor at a time: each row changes one setting of the baseline"
            : "full grid: every combination of the swept values";
        sb.Append("<li><b>Design:</b> ").Append(E(design)).Append("</li>\n");
        if (s.Axes.Count == 0)
        {
            sb.Append("<li><b>Swept axes:</b> none (a single configuration)</li>\n");
        }

        foreach (var a in s.Axes)
        {
            sb.Append("<li><b>").Append(E(a.Key)).Append(":</b> ").Append(E(string.Join(", ", a.Values))).Append("</li>\n");
        }

        if (s.Baseline is { } b)
        {
            sb.Append("<li><b>Baseline:</b> ").Append(E(b.Label)).Append("</li>\n");
        }

        if (s.Metrics.Count > 0)
        {
            sb.Append("<li><b>Metric:</b> ").Append(E(string.Join(", ", s.Metrics.Select(m =>
                $"{m.Name} ({(m.Goal == MetricGoal.Maximize ? "higher" : "lower")} is better)"))))
              .Append("</li>\n");
        }

        var seeds = s.Cells.SelectMany(c => c.Seeds).Distinct().Order().ToArray();
        sb.Append("<li><b>Replicates:</b> seeds ").Append(E(seeds.Length == 0 ? "—" : string.Join(", ", seeds))).Append(" (each cell runs once per seed)</li>\n");
        sb.Append("<li><b>Runs:</b> ").Append(s.Runs.Succeeded).Append(" of ").Append(s.Runs.Total).Append(" succeeded");
        var others = s.Runs.ByStatus.Where(kv => !string.Equals(kv.Key, RunStatuses.Succeeded, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (others.Length > 0)
        {
            sb.Append(" (").Append(E(string.Join(", ", others.Select(kv => $"{kv.Value} {kv.Key}")))).Append("; only succeeded runs are summarised)");
        }

        sb.Append("</li>\n");
        CellList(sb, s, "Left out, no result", s.Cells.Where(c => !c.HasResult));
        CellList(sb, s, "From fewer seeds", s.Cells.Where(c => c.HasResult && c.Runs.Succeeded < c.Runs.Total));
        sb.Append("</ul>\n");
    }

    /// <summary>The cells a reader would otherwise look for in vain, each with what happened to its runs.</summary>
    private static void CellList(StringBuilder sb, AblationSummary s, string title, IEnumerable<CellSummary> cells)
    {
        var items = cells.Select(c => $"{CellStatus.Name(s, c)}: {CellStatus.Describe(c)}").ToArray();
        if (items.Length == 0)
        {
            return;
        }

        sb.Append("<li class=\"left-out\"><b>").Append(E(title)).Append(":</b>\n<ul>\n");
        foreach (var item in items)
        {
            sb.Append("<li>").Append(E(item)).Append("</li>\n");
        }

        sb.Append("</ul>\n</li>\n");
    }

    private static void Marginals(StringBuilder sb, AblationSummary s)
    {
        if (s.PrimaryMetric is not { } metric || !s.Marginals.Any(m => m.Metric == metric.Name && m.Averaged.N > 0))
        {
            return;
        }

        bool held = s.Baseline is not null;
        int pct = (int)Math.Round(s.ConfidenceLevel * 100);
        sb.Append("<h2 id=\"marginals\">Marginal effects</h2>\n<table class=\"marginals\">\n<caption>")
          .Append(E($"{metric.Name} per axis value: averaged over the other axes (per seed, then over seeds)"))
          .Append(held ? E(", and with the other axes held at the baseline") : "")
          .Append(E($"; [{pct}% CI], n = seeds")).Append("</caption>\n<thead><tr><th>axis</th><th>value</th><th class=\"num\">averaged</th>");
        if (held)
        {
            sb.Append("<th class=\"num\">at baseline</th>");
        }

        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var m in s.Marginals.Where(m => m.Metric == metric.Name))
        {
            sb.Append("<tr><td>").Append(E(m.Axis)).Append("</td><td>").Append(E(m.Value)).Append("</td><td class=\"num\">")
              .Append(E(Interval(m.Averaged))).Append("</td>");
            if (held)
            {
                sb.Append("<td class=\"num\">").Append(E(m.AtBaseline is { } b ? Interval(b) : "—")).Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</tbody>\n</table>\n");
    }

    private static string Interval(Statistics.SampleStats st)
    {
        if (st.N == 0)
        {
            return "—";
        }

        string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
        return st.CiLow is { } lo && st.CiHigh is { } hi ? $"{F(st.Mean)} [{F(lo)}, {F(hi)}] (n={st.N})" : $"{F(st.Mean)} (n={st.N})";
    }

    private static void Runs(StringBuilder sb, AblationSummary s, ExperimentResults results)
    {
        sb.Append("<h2 id=\"runs\">Runs</h2>\n<table class=\"runs\">\n<thead><tr><th>run</th><th>seed</th><th>status</th>");
        foreach (var a in s.Axes)
        {
            sb.Append("<th>").Append(E(a.Label)).Append("</th>");
        }

        foreach (var m in s.Metrics)
        {
            sb.Append("<th class=\"num\">").Append(E(m.Name)).Append("</th>");
        }

        bool reasons = results.Runs.Any(r => r.Failure is not null);
        if (reasons)
        {
            sb.Append("<th>why no result</th>");
        }

        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var run in results.Runs.OrderBy(r => r.CellIndex).ThenBy(r => r.Seed).ThenBy(r => r.RunId, StringComparer.Ordinal))
        {
            bool ok = AblationSummarizer.IsSucceeded(run);
            sb.Append(ok ? "<tr>" : "<tr class=\"unfinished\">");
            sb.Append("<td><code>").Append(E(run.RunId)).Append("</code></td><td>").Append(run.Seed).Append("</td><td>").Append(E(run.Status)).Append("</td>");
            foreach (var a in s.Axes)
            {
                sb.Append("<td>").Append(E(ParamText.Format(run.Params.GetValueOrDefault(a.Key)))).Append("</td>");
            }

            foreach (var m in s.Metrics)
            {
                sb.Append("<td class=\"num\">")
                  .Append(run.Metrics.TryGetValue(m.Name, out var v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "—")
                  .Append("</td>");
            }

            if (reasons)
            {
                sb.Append("<td>").Append(E(run.Failure ?? "")).Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</tbody>\n</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Css = """
        body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
        h1 { font-size: 1.7em; margin-bottom: .2em; } h2 { font-size: 1.3em; border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.8em; }
        .lead { color: #555; font-size: 1.05em; }
        .notice { background: #fff4e5; border-left: 4px solid #f0a030; padding: .6em 1em; }
        .muted { color: #667085; }
        table { border-collapse: collapse; margin: 1em 0; font-size: .92em; }
        th, td { padding: .3em .7em; border-bottom: 1px solid #e5e5e5; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #444; } th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
        caption { caption-side: top; text-align: left; padding-bottom: .4em; } table.ablation caption { font-weight: bold; }
        table.ablation tfoot td { font-size: .85em; color: #555; border-bottom: none; padding-top: .6em; }
        tr.baseline td { background: #f5f8ff; } tr.unfinished td { color: #999; } tr.no-result td { color: #999; }
        td.status { color: #a33; font-size: .9em; max-width: 28em; } li.left-out { color: #a33; } li.left-out li { color: #444; }
        figure { margin: 1.5em 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: .9em; color: #444; max-width: 800px; }
        table.runs { font-size: .85em; } .files a { font-family: monospace; }
        """;
}

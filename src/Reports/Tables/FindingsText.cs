using System.Globalization;
using System.Net;
using System.Text;
using Ablations.Reports.Aggregation;

namespace Ablations.Reports.Tables;

/// <summary>The findings (<see cref="Findings"/>) as the report's findings.md and its HTML section: one source of wording for both.</summary>
internal static class FindingsText
{
    public static string Markdown(Findings f)
    {
        var sb = new StringBuilder();
        sb.Append("# Findings: ").Append(f.Metric).Append("\n\n").Append(Intro(f)).Append("\n\n");
        sb.Append("| axis | best | effect | vs | ").Append(Pct(f)).Append("% CI | seeds | p (Holm) | significant |\n");
        sb.Append("| --- | --- | ---: | --- | --- | ---: | ---: | --- |\n");
        foreach (var a in f.Axes) sb.Append("| ").AppendJoin(" | ", AxisCells(a)).Append(" |\n");
        if (f.Claims.Count > 0)
        {
            sb.Append("\n## Claims\n\n| axis | claim | verdict | why | seeds to tell |\n| --- | --- | --- | --- | ---: |\n");
            foreach (var c in f.Claims) sb.Append("| ").AppendJoin(" | ", ClaimCells(c).Select(x => x.Replace("|", "\\|"))).Append(" |\n");
        }
        if (f.Diagnostics is { } d)
        {
            sb.Append("\n## KD targets, diagnosed without training\n\n").Append(DiagnosticsIntro(f)).Append("\n\n| cell | ").Append(f.Metric).Append(" | ")
              .AppendJoin(" | ", d.Names.Select(Short)).Append(" |\n| --- | ---: |").Append(string.Concat(d.Names.Select(_ => " ---: |"))).Append('\n');
            foreach (var c in d.Cells) sb.Append("| ").AppendJoin(" | ", DiagnosedCells(d, c)).Append(" |\n");
            sb.Append('\n');
            foreach (var r in d.Rankings) sb.Append("- ").Append(Ranking(f, r)).Append('\n');
        }
        return sb.ToString();
    }

    public static string Html(Findings f)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<h2 id=\"findings\">Findings</h2>\n<p>").Append(E(Intro(f))).Append("</p>\n<table class=\"findings\">\n<thead><tr>");
        foreach (var h in new[] { "axis", "best", "effect", "vs", $"{Pct(f)}% CI", "seeds", "p (Holm)", "significant" }) sb.Append("<th>").Append(E(h)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var a in f.Axes) sb.Append("<tr>").AppendJoin("", AxisCells(a).Select(c => $"<td>{E(c)}</td>")).Append("</tr>\n");
        sb.Append("</tbody>\n</table>\n");
        if (f.Claims.Count > 0)
        {
            sb.Append("<table class=\"claims\">\n<caption>The spec's claims</caption>\n<thead><tr><th>axis</th><th>claim</th><th>verdict</th><th>why</th><th>seeds to tell</th></tr></thead>\n<tbody>\n");
            foreach (var c in f.Claims)
            {
                var cells = ClaimCells(c);
                sb.Append("<tr class=\"").Append(c.Verdict.ToString().ToLowerInvariant()).Append("\">").AppendJoin("", cells.Select(x => $"<td>{E(x)}</td>")).Append("</tr>\n");
            }
            sb.Append("</tbody>\n</table>\n");
        }
        if (f.Diagnostics is { } d)
        {
            sb.Append("<h3 id=\"kd-targets\">KD targets, diagnosed without training</h3>\n<p>").Append(E(DiagnosticsIntro(f))).Append("</p>\n<table class=\"kd-targets\">\n<thead><tr><th>cell</th><th>")
              .Append(E(f.Metric)).Append("</th>").AppendJoin("", d.Names.Select(n => $"<th>{E(Short(n))}</th>")).Append("</tr></thead>\n<tbody>\n");
            foreach (var c in d.Cells) sb.Append("<tr>").AppendJoin("", DiagnosedCells(d, c).Select(x => $"<td>{E(x)}</td>")).Append("</tr>\n");
            sb.Append("</tbody>\n</table>\n<ul class=\"kd-rankings\">\n");
            foreach (var r in d.Rankings) sb.Append("<li>").Append(E(Ranking(f, r))).Append("</li>\n");
            sb.Append("</ul>\n");
        }
        return sb.ToString();
    }

    private static string Short(string name) => name["kd_targets.".Length..];

    private static string DiagnosticsIntro(Findings f) =>
        "From the stored teacher embeddings alone (kd_targets stages: seconds each, ready as soon as the embeddings are, no training): per KD cell, " +
        "the entropy of its ensemble's targets in units of log(batch size) (0 one-hot, 1 uniform), how often their largest target is " +
        "the pair's own caption or image (top1_gt), and how often two teachers' largest targets coincide (agreement), beside the trained " +
        $"mean {f.Metric}. ρ: Spearman's rank correlation with the trained mean over these cells (positive: the higher the diagnostic, the better the cell).";

    private static IEnumerable<string> DiagnosedCells(KdTargetDiagnostics d, DiagnosedCell c) =>
        [c.Label, F(c.Trained), .. d.Names.Select(n => c.Values.TryGetValue(n, out var v) ? F(v) : "—")];

    private static string Ranking(Findings f, DiagnosticRanking r) =>
        r.Rho is not { } rho ? $"{Short(r.Name)}: no ranking to compare ({r.Cells} cells, or no spread)"
        : $"{Short(r.Name)}: ρ = {rho.ToString("+0.00;−0.00", CultureInfo.InvariantCulture)} over {r.Cells} cells" +
          (r.P is { } p ? $" (p {P(p)}): " + (p < 1 - f.Level ? "it ranks the cells as training did" : "it does not predict the trained ranking with these cells") : "");

    private static int Pct(Findings f) => (int)Math.Round(f.Level * 100);

    private static string Intro(Findings f) =>
        $"Per axis, the value with the best mean {f.Metric} over every cell that tried it, against the baseline's value (or the runner-up), " +
        $"seed by seed; the effect is how much better the best does (positive = better, whatever the goal). Significant: Holm-adjusted " +
        $"paired t-test below {1 - f.Level:0.##} over the axes. A claim is supported or refuted only when its comparisons are significant " +
        "after Holm over all claims; otherwise undecided, with the seeds it would take at the observed effect and spread.";

    private static string[] AxisCells(AxisFinding a)
    {
        var e = a.Effect;
        return
        [
            a.Axis, a.Best,
            e is null ? "—" : FindingsBuilder.Signed(e.Mean),
            e is null ? "—" : e.B + (a.AgainstBaseline ? " (baseline)" : " (runner-up)") + (e.Basis.Length > 0 ? $"; {e.Basis}" : ""),
            e?.CiLow is { } lo && e.CiHigh is { } hi ? $"[{F(lo)}, {F(hi)}]" : "—",
            e is null ? "—" : e.Pairs.ToString(CultureInfo.InvariantCulture),
            a.PHolm is { } p ? P(p) : "—",
            a.PHolm is null ? "not tested" : a.Significant ? "yes" : "no",
        ];
    }

    private static string[] ClaimCells(ClaimFinding c) =>
    [
        c.Axis, c.Text, c.Verdict.ToString().ToLowerInvariant(), c.Why,
        c.Verdict != ClaimVerdict.Undecided ? "—" : c.SeedsToTell is { } n ? n.ToString(CultureInfo.InvariantCulture)
            : c.Tests.Any(t => t.Pairs < 2) ? "needs ≥ 2 shared seeds to estimate" : $"> {FindingsBuilder.SeedCap} (no effect to tell)",
    ];

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);
}

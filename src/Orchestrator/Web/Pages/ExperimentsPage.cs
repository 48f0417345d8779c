using Ablations.Orchestrator.Web.Api;
using System.Globalization;
using System.Text;

namespace Ablations.Orchestrator.Web.Pages;

/// <summary>"/": every experiment with its progress; the bars and counts follow /api/experiments every 2 s.</summary>
internal static class ExperimentsPage
{
    public static string Render(IReadOnlyList<ExperimentSummary> experiments)
    {
        var body = new StringBuilder("<h1>Experiments</h1>");
        if (experiments.Count == 0)
        {
            body.Append("<p class=\"muted\">No experiments in this store yet. Start one with <code>ablate run SPEC.yaml</code> "
                + "or <code>ablate submit SPEC.yaml</code>; it appears here while it runs.</p>");
            return Html.Page("Experiments", body.ToString(), Script);
        }
        body.Append("<table id=\"experiments\"><thead><tr><th>experiment</th><th>runs</th><th>progress</th><th>stages</th><th>metric</th><th>updated (UTC)</th></tr></thead><tbody>");
        foreach (var e in experiments)
        {
            body.Append($"<tr data-name=\"{Html.E(e.Name)}\"><td><a href=\"{Html.Path("experiments", e.Name)}\">{Html.E(e.Name)}</a>")
                .Append(e.Description is null ? "" : $"<div class=\"muted\">{Html.E(e.Description)}</div>")
                .Append($"</td><td class=\"num\">{e.Runs}</td>")
                .Append($"<td>{Bar(e)} <span class=\"pct\">{Percent(e.Progress)}</span></td>")
                .Append($"<td class=\"counts\">{Html.E(Counts(e.Stages))}</td>")
                .Append($"<td>{Html.E(e.Metric is null ? "" : $"{e.Metric} ({e.Goal})")}</td>")
                .Append($"<td class=\"updated\">{e.Updated:yyyy-MM-dd HH:mm:ss}</td></tr>");
        }
        body.Append("</tbody></table>");
        return Html.Page("Experiments", body.ToString(), Script);
    }

    public static string Bar(ExperimentSummary e) =>
        $"<span class=\"bar{(e.Stages.Failed > 0 ? " failed" : e.Finished ? " done" : "")}\"><span style=\"width:{(e.Progress * 100).ToString("0.#", CultureInfo.InvariantCulture)}%\"></span></span>";

    public static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string Counts(StageCounts c) =>
        $"{c.Succeeded}/{c.Total} done" + (c.Running > 0 ? $", {c.Running} running" : "") + (c.Queued > 0 ? $", {c.Queued} queued" : "")
        + (c.Failed > 0 ? $", {c.Failed} failed" : "") + (c.Cancelled > 0 ? $", {c.Cancelled} cancelled" : "");

    internal const string Script = """
        const counts = c => `${c.succeeded}/${c.total} done` + (c.running ? `, ${c.running} running` : '') + (c.queued ? `, ${c.queued} queued` : '')
          + (c.failed ? `, ${c.failed} failed` : '') + (c.cancelled ? `, ${c.cancelled} cancelled` : '');
        async function poll() {
          const r = await fetch('/api/experiments');
          if (!r.ok) return;
          const list = await r.json();
          const rows = [...document.querySelectorAll('#experiments tbody tr')];
          if (list.length !== rows.length) { location.reload(); return; }
          for (const e of list) {
            const row = rows.find(x => x.dataset.name === e.name);
            if (!row) { location.reload(); return; }
            const bar = row.querySelector('.bar');
            bar.className = 'bar' + (e.stages.failed > 0 ? ' failed' : e.finished ? ' done' : '');
            bar.firstElementChild.style.width = (e.progress * 100).toFixed(1) + '%';
            row.querySelector('.pct').textContent = Math.round(e.progress * 100) + '%';
            row.querySelector('.counts').textContent = counts(e.stages);
            row.querySelector('.updated').textContent = e.updated.replace('T', ' ').slice(0, 19);
          }
        }
        setInterval(() => poll().catch(() => {}), 2000);
        """;
}

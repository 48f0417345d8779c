using Ablations.Core.Results;
using Ablations.Orchestrator.Web.Api;
using Ablations.Orchestrator.Web.Filtering;
using System.Globalization;
using System.Text;

namespace Ablations.Orchestrator.Web.Pages;

/// <summary>/runs/{id}: parameters, final metrics, curves, and each stage with its status and log tail. Refreshes itself while the run is live.</summary>
internal static class RunPage
{
    /// <summary>An unfinished run's page reloads itself every 3 s.</summary>
    internal const string Reload = "setTimeout(() => location.reload(), 3000);";

    public static string Render(RunDetail run, Func<string, StageLog?> logTail)
    {
        var body = new StringBuilder();
        body.Append($"<p class=\"muted\"><a href=\"{Html.Path("experiments", run.Experiment)}\">{Html.E(run.Experiment)}</a> / run</p>")
            .Append($"<h1>Run <code>{Html.E(run.Id)}</code> {Html.StatusBadge(run.Status)}</h1>")
            .Append($"<p>seed {run.Seed}{(run.Baseline ? " · baseline" : "")}</p>");

        body.Append("<h2>Parameters</h2><table class=\"kv\">");
        foreach (var (key, value) in run.Params.OrderBy(p => p.Key, StringComparer.Ordinal))
            body.Append($"<tr><td>{Html.E(key)}</td><td>{Html.E(RunFilter.ParamText(value))}</td></tr>");
        body.Append("</table>");

        body.Append("<h2>Final metrics</h2>");
        if (run.Metrics.Count == 0) body.Append("<p class=\"muted\">none yet</p>");
        else
        {
            body.Append("<table class=\"kv\">");
            foreach (var (name, value) in run.Metrics.OrderBy(m => m.Key.Contains('.')).ThenBy(m => m.Key, StringComparer.Ordinal))
                body.Append($"<tr><td>{Html.E(name)}</td><td class=\"num\">{Html.E(value.ToString("G6", CultureInfo.InvariantCulture))}</td></tr>");
            body.Append("</table>");
        }

        if (run.Curves.Count > 0)
        {
            body.Append("<h2>Curves</h2><div class=\"curves\">");
            foreach (var (name, points) in run.Curves.OrderBy(c => c.Key, StringComparer.Ordinal)) body.Append(CurveSvg.Render(name, points));
            body.Append("</div>");
        }

        body.Append("<h2>Stages</h2><table><tr><th>key</th><th>type</th><th>hash</th><th>status</th><th>attempts</th><th>seconds</th><th>detail</th></tr>");
        foreach (var s in run.Stages)
        {
            var detail = s.Status == "failed" ? $"{s.FailureKind}: {s.Error}" : s.Status == "running" ? $"{s.Phase} {s.Progress:P0}" : "";
            body.Append($"<tr><td>{Html.E(s.Key)}</td><td>{Html.E(s.Type)}</td><td><code>{Html.E(s.Hash[..12])}</code></td><td>{Html.StatusBadge(s.Status)}</td>")
                .Append($"<td class=\"num\">{s.Attempts}</td><td class=\"num\">{s.Seconds?.ToString("F1", CultureInfo.InvariantCulture) ?? ""}</td>")
                .Append($"<td><div class=\"error-text\">{Html.E(detail)}</div>");
            if (logTail(s.Hash) is { Exists: true } log)
                body.Append($"<details{(s.Status == "failed" ? " open" : "")}><summary>log ({log.Bytes} bytes{(log.Truncated ? ", tail" : "")}) · <a href=\"{Html.E(s.Log)}\">json</a></summary><pre class=\"log\">{Html.E(log.Text)}</pre></details>");
            body.Append("</td></tr>");
        }
        body.Append("</table>");
        var live = run.Status is RunStatuses.Running or RunStatuses.Pending;
        return Html.Page($"run {run.Id}", body.ToString(), live ? Reload : null);
    }
}

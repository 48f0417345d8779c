using Ablations.Core.Store;
using System.Globalization;
using System.Text;

namespace Ablations.Orchestrator.Web.Pages;

/// <summary>"/runners": the runner registry (`ablate runners --all` as a page): state, devices, queues, heartbeat, current stages.</summary>
internal static class RunnersPage
{
    public static string Render(IReadOnlyList<RunnerView> runners, DateTime now)
    {
        var body = new StringBuilder("<h1>Runners</h1>");
        if (runners.Count == 0)
        {
            body.Append("<p class=\"muted\">No runner has registered in this store in the last 7 days. Start one with "
                + "<code>ablate runner --db …</code> on each node (docs/cluster.md); <code>ablate run</code> starts a local one.</p>");
            return Html.Page("Runners", body.ToString());
        }
        body.Append("<table id=\"runners\"><thead><tr><th>runner</th><th>host</th><th>pid</th><th>state</th><th>devices</th><th>queues</th>"
            + "<th>memory</th><th>version</th><th>started (UTC)</th><th>heartbeat</th><th>stages</th></tr></thead><tbody>");
        foreach (var v in runners)
        {
            var r = v.Runner;
            var state = v.State(now).ToString().ToLowerInvariant();
            body.Append($"<tr data-name=\"{Html.E(r.Name)}\"><td>{Html.E(r.Name)}</td><td>{Html.E(r.Host)}</td><td class=\"num\">{r.Pid}</td>")
                .Append($"<td>{Html.StatusBadge(state)}</td><td>{Html.E($"{r.Devices} × {r.WorkersPerDevice}")}</td><td>{Html.E(r.Queues)}</td>")
                .Append($"<td>{(r.MemoryGb is { } m ? Html.E($"{m:0.#} GiB") : "")}</td><td>{Html.E(r.Version.Split('+')[0])}</td>")
                .Append($"<td>{r.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}</td>")
                .Append($"<td class=\"num\">{(now - r.HeartbeatAt).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s ago</td><td class=\"stages\">");
            foreach (var s in v.Stages)
                body.Append($"<div><code>{Html.E(s.Type)} {Html.E(s.Hash[..12])}</code> {Html.E(s.Progress.ToString("P0", CultureInfo.InvariantCulture))}"
                    + $"{(s.Phase is null ? "" : $" <span class=\"muted\">{Html.E(s.Phase)}</span>")}</div>");
            body.Append(v.Stages.Count == 0 ? "<span class=\"muted\">idle</span></td></tr>" : "</td></tr>");
        }
        body.Append("</tbody></table><p class=\"muted\">Lost: no heartbeat for longer than its <code>--stale-after</code>; its stages went back to the queue. "
            + "Drain one with <code>ablate runner --drain NAME</code>.</p>");
        return Html.Page("Runners", body.ToString(), RunPage.Reload); // heartbeats and stages move: the page reloads every 3 s
    }
}

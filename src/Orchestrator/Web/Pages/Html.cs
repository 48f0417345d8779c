using System.Net;

namespace Ablations.Orchestrator.Web.Pages;

/// <summary>The page frame and encoding helpers. Everything from the store or the request goes through <see cref="E"/>.</summary>
internal static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A path of URL-escaped segments, e.g. Path("experiments", name) → /experiments/my%20grid.</summary>
    public static string Path(params string[] segments) => "/" + string.Join('/', segments.Select(Uri.EscapeDataString));

    public static string StatusBadge(string status) => $"<span class=\"st st-{E(status)}\">{E(status)}</span>";

    /// <summary>
    /// Every inline script a page may carry. The Content-Security-Policy (WebSecurity) allows exactly these, by hash,
    /// so a page script that is not listed here would not run: <see cref="Page"/> refuses one.
    /// </summary>
    public static readonly IReadOnlyList<string> Scripts = [ExperimentsPage.Script, ExperimentPage.Script, RunPage.Reload];

    /// <summary>A whole document: inline CSS, optional inline script (one of <see cref="Scripts"/>); nothing is loaded from the network.</summary>
    public static string Page(string title, string body, string? script = null, string bodyAttributes = "") =>
        script is not null && !Scripts.Contains(script)
            ? throw new InvalidOperationException("a page script must be listed in Html.Scripts, or the Content-Security-Policy blocks it")
            : Document(title, body, script, bodyAttributes);

    private static string Document(string title, string body, string? script, string bodyAttributes) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}} · Ablations</title>
        <style>{{Css}}</style>
        </head>
        <body{{bodyAttributes}}>
        <header><a class="brand" href="/">Ablations</a><nav><a href="/">experiments</a><a href="/runners">runners</a><a href="/hangfire">jobs</a></nav></header>
        <main>
        {{body}}
        </main>
        {{(script is null ? "" : $"<script>{script}</script>")}}
        </body>
        </html>
        """;

    private const string Css = """
        :root { --fg:#1d2330; --muted:#667085; --line:#e4e7ec; --bg:#f8f9fb; --accent:#2e6fd8; --ok:#1a7f37; --bad:#c62828; --run:#b26b00; }
        * { box-sizing: border-box; }
        body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color:var(--fg); background:var(--bg); }
        header { display:flex; gap:24px; align-items:center; padding:10px 24px; background:#1d2330; }
        header a { color:#dfe6f3; text-decoration:none; margin-right:16px; }
        header .brand { font-weight:700; color:#fff; }
        main { padding:20px 24px; max-width:1400px; }
        h1 { font-size:22px; margin:4px 0 6px; } h2 { font-size:16px; margin:24px 0 8px; }
        .muted { color:var(--muted); } .warning { color:var(--run); background:#fff8e6; border:1px solid #f3dfb0; padding:4px 8px; border-radius:4px; }
        a { color:var(--accent); }
        table { border-collapse:collapse; background:#fff; border:1px solid var(--line); }
        th, td { padding:5px 10px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
        th { background:#f1f3f7; font-weight:600; white-space:nowrap; }
        th.sortable { cursor:pointer; user-select:none; } th.sortable:hover { background:#e6eaf2; }
        td.num { text-align:right; font-variant-numeric: tabular-nums; }
        .bar { width:180px; height:10px; background:#e4e7ec; border-radius:5px; overflow:hidden; display:inline-block; vertical-align:middle; }
        .bar > span { display:block; height:100%; background:var(--accent); transition: width .4s; }
        .bar.done > span { background:var(--ok); } .bar.failed > span { background:var(--bad); }
        .st { padding:1px 7px; border-radius:9px; font-size:12px; background:#eef0f4; white-space:nowrap; }
        .st-succeeded { background:#dcf5e3; color:var(--ok); } .st-failed { background:#fde2e1; color:var(--bad); }
        .st-running { background:#fff1d6; color:var(--run); } .st-cancelled { background:#eee; color:#555; }
        .st-lost { background:#fde2e1; color:var(--bad); } .st-draining { background:#fff1d6; color:var(--run); } .st-stopped { background:#eee; color:#555; }
        .filter { display:flex; gap:8px; margin:8px 0; } .filter input { flex:1; max-width:720px; font:13px ui-monospace, "DejaVu Sans Mono", monospace; padding:6px 8px; border:1px solid #c8ced8; border-radius:4px; }
        button { padding:6px 12px; border:1px solid #c8ced8; border-radius:4px; background:#fff; cursor:pointer; }
        .error { color:var(--bad); background:#fff4f4; border:1px solid #f3c7c7; padding:6px 10px; border-radius:4px; white-space:pre; font:13px ui-monospace, "DejaVu Sans Mono", monospace; }
        .hidden { display:none; }
        pre.log { background:#12161f; color:#d8dee9; padding:8px 10px; max-height:320px; overflow:auto; font-size:12px; border-radius:4px; white-space:pre-wrap; }
        .figures { display:flex; flex-wrap:wrap; gap:12px; } .figures img { max-width:420px; background:#fff; border:1px solid var(--line); }
        .curves { display:flex; flex-wrap:wrap; gap:12px; } .curves svg { background:#fff; border:1px solid var(--line); }
        .kv td:first-child { color:var(--muted); font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size:12px; }
        """;
}

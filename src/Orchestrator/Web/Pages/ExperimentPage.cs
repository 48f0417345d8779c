using Ablations.Orchestrator.Web.Api;

namespace Ablations.Orchestrator.Web.Pages;

/// <summary>
/// /experiments/{name}[?revision=N]: which revision is shown (the current one unless asked) with links to the others,
/// live status (polls the API every 1.5 s; the runs table reloads when a stage changes state), the runs table with
/// click-to-sort columns and the filter box, and the report's files (for the current revision).
/// </summary>
internal static class ExperimentPage
{
    public static string Render(ExperimentDetail detail, string? filter, int? revision)
    {
        var e = detail.Summary;
        var links = string.Join(" · ", detail.RevisionHistory.Select(r => r.Number == e.Revision
            ? $"<b>{r.Number}</b>"
            : $"<a href=\"/experiments/{Uri.EscapeDataString(e.Name)}{(r.Current ? "" : $"?revision={r.Number}")}\">{r.Number}</a>"));
        var revisionLine = $"""
            <p id="revision" class="{(e.Revision == e.Revisions ? "muted" : "warning")}">revision {e.Revision} of {e.Revisions}{(e.Revision == e.Revisions ? " (current)" : " — not the current revision")}
               · spec sha256 <code>{Html.E(e.SpecHash[..12])}</code>{(e.Profile is null ? "" : $" · profile {Html.E(e.Profile)}")}
               {(detail.RevisionHistory.Count > 1 ? $" · revisions: {links}" : "")}</p>
            """;
        var body = $"""
            <h1>{Html.E(e.Name)}</h1>
            {(e.Description is null ? "" : $"<p class=\"muted\">{Html.E(e.Description)}</p>")}
            {revisionLine}
            <p>{ExperimentsPage.Bar(e)} <span id="pct">{ExperimentsPage.Percent(e.Progress)}</span>
               · <span id="counts">{Html.E(ExperimentsPage.Counts(e.Stages))}</span>
               · runs: <span id="runstatus"></span>
               · <span class="muted">updated <span id="updated">{e.Updated:yyyy-MM-dd HH:mm:ss}</span> UTC</span></p>
            <div id="active"></div>
            <div id="report"></div>
            <h2>Runs <span class="muted" id="shown"></span></h2>
            <form class="filter" id="filter-form">
              <input id="filter" name="filter" autocomplete="off" spellcheck="false" value="{Html.E(filter)}"
                     placeholder="params.a = 2 and metrics.score > 10   (=, !=, <, <=, >, >=, LIKE, ILIKE; attributes.status, seed)">
              <button type="submit">Filter</button><button type="button" id="clear">Clear</button>
            </form>
            <div id="filter-error" class="error hidden"></div>
            <table id="runs"><thead></thead><tbody></tbody></table>
            """;
        return Html.Page(e.Name, body, Script, $" data-experiment=\"{Html.E(e.Name)}\" data-revision=\"{(revision is null ? "" : e.Revision)}\"");
    }

    internal const string Script = """
        const exp = document.body.dataset.experiment;
        const rev = document.body.dataset.revision;
        const api = '/api/experiments/' + encodeURIComponent(exp);
        const revq = rev ? 'revision=' + encodeURIComponent(rev) : '';
        const $ = id => document.getElementById(id);
        const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
        const param = v => Array.isArray(v) ? (v.length ? v.map(param).join('+') : 'none') : v === null || v === undefined ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        const num = v => typeof v !== 'number' ? String(v) : Number.isInteger(v) ? String(v) : (s => s.includes('e') ? s : s.replace(/\.?0+$/, ''))(v.toPrecision(6));
        const counts = c => `${c.succeeded}/${c.total} done` + (c.running ? `, ${c.running} running` : '') + (c.queued ? `, ${c.queued} queued` : '')
          + (c.failed ? `, ${c.failed} failed` : '') + (c.cancelled ? `, ${c.cancelled} cancelled` : '');
        let filter = $('filter').value, data = null, sort = { key: null, dir: 1 }, signature = '';

        async function status() {
          const r = await fetch(api + (revq ? '?' + revq : ''));
          if (!r.ok) return;
          const d = await r.json(), e = d.summary;
          const bar = document.querySelector('.bar');
          bar.className = 'bar' + (e.stages.failed > 0 ? ' failed' : e.finished ? ' done' : '');
          bar.firstElementChild.style.width = (e.progress * 100).toFixed(1) + '%';
          $('pct').textContent = Math.round(e.progress * 100) + '%';
          $('counts').textContent = counts(e.stages);
          $('updated').textContent = e.updated.replace('T', ' ').slice(0, 19);
          $('runstatus').innerHTML = Object.entries(d.runStatuses).map(([k, n]) => `<span class="st st-${esc(k)}">${n} ${esc(k)}</span>`).join(' ') || '–';
          $('active').innerHTML = d.active.length === 0 ? '' : '<h2>Active and failed stages</h2><table><tr><th>stage</th><th>type</th><th>hash</th><th>status</th><th>detail</th></tr>'
            + d.active.map(s => `<tr><td>${esc(s.name)}</td><td>${esc(s.type)}</td><td><code>${esc(s.hash.slice(0, 12))}</code></td><td><span class="st st-${esc(s.status)}">${esc(s.status)}</span></td><td>${
                s.status === 'running' ? esc((s.phase ?? '') + ' ' + Math.round(s.progress * 100) + '%') : esc((s.failureKind ?? '') + ': ' + (s.error ?? ''))}</td></tr>`).join('') + '</table>';
          const figures = d.report.filter(f => f.kind === 'figure'), files = d.report.filter(f => f.kind !== 'figure');
          $('report').innerHTML = d.report.length === 0 ? '' : '<h2>Report</h2><p>' + files.map(f => `<a href="${esc(f.url)}">${esc(f.name)}</a>`).join(' · ') + '</p>'
            + '<div class="figures">' + figures.map(f => `<a href="${esc(f.url)}"><img alt="${esc(f.name)}" src="${esc(f.url)}"></a>`).join('') + '</div>';
          const sig = JSON.stringify(e.stages) + e.updated;
          if (sig !== signature) { signature = sig; await runs(); }
        }

        async function runs() {
          const r = await fetch(api + '/runs?filter=' + encodeURIComponent(filter) + (revq ? '&' + revq : ''));
          const d = await r.json();
          const box = $('filter-error');
          if (!r.ok) {
            box.textContent = d.error + (d.position ? '\n' + filter + '\n' + ' '.repeat(d.position - 1) + '^' : '');
            box.classList.remove('hidden');
            return;
          }
          box.classList.add('hidden');
          data = d;
          render();
        }

        function columns() {
          return [{ key: 'id', label: 'run', get: r => r.id }]
            .concat(data.axes.map(a => ({ key: 'p:' + a, label: a, get: r => r.params[a], fmt: param })))
            .concat([{ key: 'seed', label: 'seed', get: r => r.seed, numeric: true }, { key: 'status', label: 'status', get: r => r.status }])
            .concat(data.columns.map(m => ({ key: 'm:' + m, label: m, get: r => r.metrics[m], numeric: true, fmt: num })));
        }

        function render() {
          const cols = columns();
          $('shown').textContent = `(${data.count} of ${data.total})`;
          document.querySelector('#runs thead').innerHTML = '<tr>' + cols.map(c =>
            `<th class="sortable" data-key="${esc(c.key)}">${esc(c.label)}${sort.key === c.key ? (sort.dir > 0 ? ' ▲' : ' ▼') : ''}</th>`).join('') + '</tr>';
          const rows = data.runs.slice();
          const col = cols.find(c => c.key === sort.key);
          if (col) rows.sort((a, b) => {
            const x = col.get(a), y = col.get(b);
            if (x === undefined || x === null) return 1;
            if (y === undefined || y === null) return -1;
            return sort.dir * (typeof x === 'number' && typeof y === 'number' ? x - y : param(x).localeCompare(param(y), undefined, { numeric: true }));
          });
          document.querySelector('#runs tbody').innerHTML = rows.map(r => '<tr>' + cols.map(c => {
            const v = c.get(r);
            if (c.key === 'id') return `<td><a href="/runs/${encodeURIComponent(r.id)}?experiment=${encodeURIComponent(exp)}"><code>${esc(r.id.slice(0, 8))}</code></a>${r.baseline ? ' <span class="muted">baseline</span>' : ''}</td>`;
            if (c.key === 'status') return `<td><span class="st st-${esc(v)}">${esc(v)}</span></td>`;
            return `<td class="${c.numeric ? 'num' : ''}" data-col="${esc(c.label)}">${v === undefined ? '–' : esc(c.fmt ? c.fmt(v) : v)}</td>`;
          }).join('') + '</tr>').join('') || `<tr><td colspan="${cols.length}" class="muted">no runs match</td></tr>`;
        }

        document.querySelector('#runs thead').addEventListener('click', ev => {
          const th = ev.target.closest('th');
          if (!th || !data) return;
          sort = { key: th.dataset.key, dir: sort.key === th.dataset.key ? -sort.dir : 1 };
          render();
        });
        function apply(text) {
          filter = text;
          const url = new URL(location.href);
          if (filter) url.searchParams.set('filter', filter); else url.searchParams.delete('filter');
          history.replaceState(null, '', url);
          runs();
        }
        $('filter-form').addEventListener('submit', ev => { ev.preventDefault(); apply($('filter').value.trim()); });
        $('clear').addEventListener('click', () => { $('filter').value = ''; apply(''); });
        status();
        setInterval(() => status().catch(() => {}), 1500);
        """;
}

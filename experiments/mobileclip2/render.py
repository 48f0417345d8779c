"""Writes docs/reproduction.md from the reports of the MobileCLIP2 suite (called by reproduce.sh).

Every number comes from a report's summary.json as `ablate run` wrote it: the claims' verdicts, paired differences,
intervals and Holm-adjusted p-values are the report's own findings (Reports/Aggregation/Findings.cs); this script only
lays them beside the paper's findings (paper.json). The 'compare' rows are the one thing computed here: a difference
of two cells' means, shown as such and never called agreeing or not.
Usage: render.py SUITE_DIR REPORTS_DIR OUT_FILE
"""
import datetime
import json
import os
import re
import subprocess
import sys

suite, reports, out = sys.argv[1:4]
paper = json.load(open(os.path.join(suite, "paper.json")))
order = list(paper["specs"])  # the page's section order
timings_path = os.path.join(reports, "mobileclip2-timings.json")
timings = json.load(open(timings_path)) if os.path.exists(timings_path) else {}


def spec_name(key):
    text = open(os.path.join(suite, f"{key}.yaml")).read()
    return re.search(r"^name:\s*(\S+)", text, re.M).group(1)


def f3(x):
    return "—" if x is None or (isinstance(x, float) and x != x) else f"{x:.3f}"


def signed(x):
    return "—" if x is None else f"{x:+.3f}"


def cell_matches(cell, want):
    return all(cell["values"].get(k) == v for k, v in want.items())


def metric_text(cell, metric):
    m = cell["metrics"].get(metric)
    if not m:
        return "—"
    s = m["stats"]
    std = f" ± {s['std']:.3f}" if s.get("std") is not None else ""
    return f"{s['mean']:.3f}{std} ({s['n']})"


def comparison_text(t):
    ci = f" [{signed(t['ci_low'])}, {signed(t['ci_high'])}]" if t.get("ci_low") is not None else ""
    return f"{t['a']} vs {t['b']}: {signed(t['mean'])}{ci}, {t['pairs']} seeds"


def verdict_text(c):
    if c["verdict"] == "supported":
        return "**agrees** (supported)"
    if c["verdict"] == "refuted":
        return "**disagrees** (refuted)"
    # The report names no seed count when the observed difference is too small for any it would name (up to 1000), or
    # has no spread to estimate one from.
    tell = f", {c['seeds_to_tell']} seeds would tell" if c.get("seeds_to_tell") else ", no seed count up to 1000 would tell at the observed difference"
    return f"cannot tell yet (undecided{tell})"


summaries, missing = {}, []
for key in order:
    path = os.path.join(reports, spec_name(key), "summary.json")
    if os.path.exists(path):
        summaries[key] = json.load(open(path))
    else:
        missing.append(f"{key} ({path})")
if missing:
    sys.exit("no report for: " + ", ".join(missing) + " — run experiments/mobileclip2/reproduce.sh without ONLY_RENDER")

seeds_text = "/".join(sorted({str(max(c["runs"]["succeeded"] for c in s["cells"])) for s in summaries.values()}))
commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip()
# The plans in the header pin what the numbers were computed from; this line says which checkout rendered the page.
if subprocess.run(["git", "status", "--porcelain", "--", "src", "experiments/mobileclip2"], capture_output=True, text=True).stdout.strip():
    commit += " with uncommitted changes to src/ or the suite"
plans = timings.get("plans", {})
lines = [
    "# The MobileCLIP2 ablations, reproduced in the procedural world",
    "",
    f"<!-- written by experiments/mobileclip2/reproduce.sh (render.py) from plans {json.dumps(plans, sort_keys=True)}; do not edit by hand -->",
    "",
    "One command runs the suite and writes this page: `experiments/mobileclip2/reproduce.sh` (every spec of",
    "[experiments/mobileclip2/](../experiments/mobileclip2/) through `ablate run`, one store, then this page from the reports).",
    "Each spec is one ablation of the MobileCLIP2 paper (arXiv 2508.20691) or MobileCLIP (CVPR 2024), in the",
    f"procedural 32-pixel world of the quickstart, {seeds_text} seeds each, sharing the world, the teachers, the captioners,",
    "their captions and the embeddings through the store. The paper's numbers are ImageNet-val zero-shot top-1 of",
    "MobileCLIP-B on 12.8M samples (or Flickr retrieval where named); ours are the world's zero-shot average over six",
    "tasks (`zeroshot_avg`) or image-to-text recall@5 on its retrieval split (`i2t_r5`). The paper's *directions*",
    "are what can carry over, not its magnitudes.",
    "",
    "A claim **agrees** when the report finds it supported (its paired difference over seeds significant in the paper's",
    "direction after Holm over every claim of the spec), **disagrees** when significant the other way, and otherwise",
    "cannot tell yet, with the seeds that the observed difference and spread would need (docs/spec.md, Claims).",
    "",
    f"Rendered by code {commit}, {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d')}; the header's plan hashes are the"
    " ones the runs were made from (a test fails when a spec plans otherwise today).",
    "",
    "## Paper direction vs ours",
    "",
    "| ablation | paper | claim (spec) | ours: paired difference [95% CI] | verdict |",
    "| --- | --- | --- | --- | --- |",
]
tally = {"supported": 0, "refuted": 0, "undecided": 0}
for key in order:
    entry, summary = paper["specs"][key], summaries[key]
    for c in (summary.get("findings") or {}).get("claims", []):
        tally[c["verdict"]] += 1
        said = entry["claims"].get(c["text"], "—")
        tests = "; ".join(comparison_text(t) for t in c["tests"]) or "—"
        lines.append(f"| {entry['title']} | {said} | `{c['axis']}: {c['text']}` | {tests} | {verdict_text(c)} |")
lines += ["", f"{tally['supported']} claims agree with the paper, {tally['refuted']} disagree, {tally['undecided']} cannot be told apart with {seeds_text} seeds.", ""]

for key in order:
    entry, summary = paper["specs"][key], summaries[key]
    findings = summary.get("findings") or {}
    metric = summary["metrics"][0]["name"]
    shown = [metric] + [m for m in ("zeroshot_avg", "i2t_r5") if m != metric]
    lines += [f"## {entry['title']} (`{summary['experiment']}`, [spec](../experiments/mobileclip2/{key}.yaml))", "",
              f"Paper: {entry['paper']}", "",
              "| cell | " + " | ".join(f"{m}{' (primary)' if m == metric else ''}" for m in shown) + " |",
              "| --- | " + " | ".join("---:" for _ in shown) + " |"]
    for cell in summary["cells"]:
        label = cell["label"] + (" (baseline)" if cell["is_baseline"] else "")
        lines.append(f"| {label} | " + " | ".join(metric_text(cell, m) for m in shown) + " |")
    lines.append("")
    for c in findings.get("claims", []):
        lines.append(f"- Claim `{c['axis']}: {c['text']}` — {verdict_text(c)}: {c['why']}")
    for a in findings.get("axes", []):
        effect = a.get("effect")
        if effect:
            sig = "significant after Holm" if a["significant"] else "not significant after Holm"
            lines.append(f"- Axis `{a['axis']}`: best {a['best']}, {comparison_text(effect)} ({sig}).")
    for cmp in entry.get("compare", []):
        cells_a = [c for c in summary["cells"] if cell_matches(c, cmp["a"])]
        cells_b = [c for c in summary["cells"] if cell_matches(c, cmp["b"])]
        metric_b = cmp.get("metric_b", cmp["metric"])  # another name on b's side: a stage metric per captioner
        if len(cells_a) == 1 and len(cells_b) == 1 and cmp["metric"] in cells_a[0]["metrics"] and metric_b in cells_b[0]["metrics"]:
            ma = cells_a[0]["metrics"][cmp["metric"]]["stats"]["mean"]
            mb = cells_b[0]["metrics"][metric_b]["stats"]["mean"]
            names = cmp["metric"] if metric_b == cmp["metric"] else f"{cmp['metric']} vs {metric_b}"
            lines.append(f"- {cmp['what']}: {names} {ma:.3f} vs {mb:.3f}, difference of means {ma - mb:+.3f} (not tested).")
        else:
            sys.exit(f"{key}: compare '{cmp['what']}' matched {len(cells_a)} and {len(cells_b)} cells; fix paper.json")
    best = entry.get("per_axis_best")
    if best:
        groups = sorted({c["values"][best["group"]] for c in summary["cells"]})
        for g in groups:
            scored = [(c["metrics"][best["metric"]]["stats"]["mean"], c["values"][best["axis"]]) for c in summary["cells"]
                      if c["values"][best["group"]] == g and best["metric"] in c["metrics"]]
            scored.sort(reverse=True)
            if len(scored) >= 2:
                lines.append(f"- {best['group']} = {g}: best {best['axis']} {scored[0][1]} ({scored[0][0]:.3f}); "
                             f"runner-up {scored[1][1]} ({scored[1][0]:.3f}, {scored[1][0] - scored[0][0]:+.3f}); "
                             "order " + " > ".join(v for _, v in scored) + ".")
    lines.append("")

lines += ["## Do the training-free KD-target diagnostics predict the trained ranking?", "",
          "The `kd_targets` stage reads only the stored embeddings (seconds, no model) and describes each KD cell's targets;",
          "Spearman's ρ between each diagnostic and the trained metric over the diagnosed cells of a spec (positive: the",
          "higher the diagnostic, the better the cell trained). Specs with fewer than 3 differing diagnosed cells are left out.", "",
          "| spec | diagnostic | cells | ρ | p | predicts? |", "| --- | --- | ---: | ---: | ---: | --- |"]
for key in order:
    diag = (summaries[key].get("findings") or {}).get("diagnostics")
    for r in (diag or {}).get("rankings", []):
        distinct = {round(c["values"][r["name"]], 6) for c in (diag or {}).get("cells", []) if r["name"] in c["values"]}
        if r.get("rho") is None or len(distinct) < 3:
            continue  # e.g. every augmentations_used cell shares one diagnosis: a correlation over ties says nothing
        verdict = "yes" if r["p"] is not None and r["p"] < 0.05 and r["rho"] > 0 else (
            "inversely" if r["p"] is not None and r["p"] < 0.05 else "no (not significant)")
        lines.append(f"| {summaries[key]['experiment']} | {r['name']} | {r['cells']} | {r['rho']:+.2f} | {f3(r['p'])} | {verdict} |")
lines.append("")

# The question a user asks before training: which cells' targets are so flat that distilling them teaches little?
# Entropy >= NEAR_UNIFORM of log(batch) is that flag; does it pick the cells that trained worst?
NEAR_UNIFORM = 0.95
flag_lines = []
for key in order:
    diag = (summaries[key].get("findings") or {}).get("diagnostics")
    cells = [c for c in (diag or {}).get("cells", []) if "kd_targets.entropy" in c["values"]]
    flat = [c for c in cells if c["values"]["kd_targets.entropy"] >= NEAR_UNIFORM]
    if not flat:
        continue
    rest = [c for c in cells if c not in flat]
    span = lambda cs: f"{min(c['trained'] for c in cs):.3f}–{max(c['trained'] for c in cs):.3f}"
    worst = sorted(cells, key=lambda c: c["trained"])[:len(flat)]
    exact = "exactly the" if {c["label"] for c in worst} == {c["label"] for c in flat} else "not exactly the"
    flag_lines.append(f"- {summaries[key]['experiment']}: {len(flat)} of {len(cells)} cells have near-uniform targets (entropy ≥ {NEAR_UNIFORM} of uniform: "
                      f"{', '.join(c['label'] for c in flat)}); they trained to {span(flat)}, the other cells to {span(rest) if rest else '—'}: "
                      f"{exact} {len(flat)} worst-trained cells.")
if flag_lines:
    lines += ["A rank correlation asks whether the diagnostic orders every cell; the question a diagnosis before training has to",
              f"answer is narrower — which cells can be pruned? The flag *entropy ≥ {NEAR_UNIFORM} of uniform* (targets too flat to teach):", ""]
    lines += flag_lines + [""]

if timings:
    lines += ["## Cost", "", "| spec | seconds |", "| --- | ---: |"]
    for key in order:
        if key in timings:
            lines.append(f"| {key} | {timings[key]} |")
    store = "an empty store" if timings.get("fresh_store") else "the store as it was"
    lines += ["", f"Whole suite: {timings['total'] // 60} min {timings['total'] % 60} s on {timings['cores']} cores from {store} "
              "(each spec reuses what earlier ones computed; the order is reproduce.sh's).", ""]

with open(out, "w") as f:
    f.write("\n".join(lines))
print(f"wrote {out}: {tally['supported']} agree, {tally['refuted']} disagree, {tally['undecided']} undecided")

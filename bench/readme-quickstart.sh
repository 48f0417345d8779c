#!/usr/bin/env bash
# Regenerates the README's quickstart block (between the quickstart:begin/end markers) from a real run of the
# README's first command, in a fresh workspace, with this checkout's code. The block records the plan hash it was
# made from; QuickstartPlanTests fails when today's quickstart plans differently (a spec, option or stage code
# version changed) until this script is run again, so the README's numbers cannot drift silently.
# Needs python3 (standard library only). Takes ~4 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ablate=(dotnet run --project src/Orchestrator -c Release --)

dotnet build src/Orchestrator -c Release -v q -nologo >/dev/null
plan_hash=$("${ablate[@]}" plan experiments/quickstart.yaml --json --root "$work/none" | python3 -c 'import json,sys; print(json.load(sys.stdin)["planHash"])')
start=$(date +%s)
"${ablate[@]}" run experiments/quickstart.yaml --root "$work/.ablations" --reports "$work/reports" | tee "$work/run.log" | grep -v 'stages done' || true
seconds=$(( $(date +%s) - start ))
test -f "$work/reports/quickstart/summary.json" || { echo "the quickstart run wrote no report; see $work/run.log" >&2; exit 1; }

PLAN_HASH="$plan_hash" SECONDS_TAKEN="$seconds" WORK="$work" python3 - <<'PY'
import json, os, re, sqlite3, datetime
work = os.environ["WORK"]
report = os.path.join(work, "reports", "quickstart")
summary = json.load(open(os.path.join(report, "summary.json")))
table = [l for l in open(os.path.join(report, "tables", "ablation.md")).read().splitlines() if l.startswith("|")]
metric = summary["primary_metric"]["name"]
cells = [c for c in summary["cells"] if metric in c["metrics"]]
base = next(c for c in cells if c["is_baseline"])
best = max(cells, key=lambda c: c["metrics"][metric]["stats"]["mean"])
mean = lambda c: c["metrics"][metric]["stats"]["mean"]
seeds = lambda c: ", ".join(f'{v["value"]:.3f}' for v in c["metrics"][metric]["values"])
kd = [c for c in cells if not c["is_baseline"]]
above = sum(1 for c in kd if mean(c) > mean(base))

db = sqlite3.connect(os.path.join(work, ".ablations", "ablations.db"))
spent, unshared = db.execute("""
  SELECT SUM(s.DurationSeconds), SUM(s.DurationSeconds * (SELECT COUNT(*) FROM run_stages rs WHERE rs.StageHash = s.Hash))
  FROM stages s WHERE s.Type = 'teacher'""").fetchone()
minutes, secs = divmod(int(os.environ["SECONDS_TAKEN"]), 60)
when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d, %H:%M UTC")
facts = (f"{above} of {len(kd)} KD cells are above the no-KD baseline; the best, {best['label']}, by "
         f"{mean(best) - mean(base):+.3f} ({mean(best):.3f} vs {mean(base):.3f}; baseline seeds {seeds(base)}, best cell's seeds {seeds(best)}). "
         f"Teachers: {spent:,.0f} stage-seconds spent instead of {unshared:,.0f} without reuse. "
         f"The run took {minutes} min {secs} s from start to report, build up to date ({when}, {os.cpu_count()} cores).")
# The spec's claims as the report decided them (findings.md): verdict, and for an undecided one the seeds it would take.
findings = summary.get("findings") or {}
def claim(c):
    tail = f", {c['seeds_to_tell']} seeds would tell" if c["verdict"] == "undecided" and c.get("seeds_to_tell") else ""
    return f"`{c['axis'].split('.')[-1]}: {c['text']}` {c['verdict']}{tail}"
claims = ("Claims of the spec, tested on these seeds (Holm over all claims): " + "; ".join(claim(c) for c in findings.get("claims", [])) + ".") if findings.get("claims") else ""
# The kd_targets diagnostics (no training) against the trained ranking, from the same findings.
diag = findings.get("diagnostics") or {}
def rank(r):
    if r.get("rho") is None: return None
    return f"{r['name'].split('.')[-1]} ρ = {r['rho']:+.2f}" + (f" (p {r['p']:.2f})" if r.get("p") is not None else "")
ranks = [x for x in (rank(r) for r in diag.get("rankings", [])) if x]
cells = diag.get("cells", [])
diagnosed = (f"KD targets diagnosed without training (kd_targets): ensemble target entropy "
             f"{min(c['values']['kd_targets.entropy'] for c in cells):.3f}–{max(c['values']['kd_targets.entropy'] for c in cells):.3f} of uniform "
             f"over the {len(cells)} KD cells; against the trained ranking: {', '.join(ranks)}.") if cells and ranks else ""
block = "\n".join([f"<!-- quickstart:begin (written by bench/readme-quickstart.sh from plan {os.environ['PLAN_HASH'][:12]}; do not edit by hand) -->",
                   *table, "", facts, *([""] + [claims] if claims else []), *([""] + [diagnosed] if diagnosed else []), "<!-- quickstart:end -->"])
readme = open("README.md").read()
new, n = re.subn(r"<!-- quickstart:begin.*?<!-- quickstart:end -->", lambda _: block, readme, flags=re.S)
if n != 1: raise SystemExit("README.md has no quickstart:begin/end markers")
open("README.md", "w").write(new)
print(block)
PY

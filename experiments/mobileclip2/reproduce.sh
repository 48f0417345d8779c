#!/usr/bin/env bash
# The MobileCLIP2 suite in one command: runs every spec of this folder with `ablate run` (one store, so the world,
# teachers, captioners, captions and embeddings are computed once and reused by every later spec), then writes
# docs/reproduction.md from the reports: the paper's finding for each ablation beside ours, the claims decided,
# the KD-target diagnostics against the trained ranking, and how long each spec took.
#   experiments/mobileclip2/reproduce.sh                 # store ./.ablations, reports in ./reports
#   ROOT=/tmp/s/.ablations REPORTS=/tmp/s/reports experiments/mobileclip2/reproduce.sh
#   ONLY_RENDER=1 …                                       # rewrite docs/reproduction.md from existing reports
# Needs python3 (standard library only). Measured 33 minutes on 2 cores from an empty store (docs/reproduction.md, Cost).
set -euo pipefail
cd "$(dirname "$0")/../.."
suite=experiments/mobileclip2
root=${ROOT:-.ablations}
reports=${REPORTS:-reports}
timings="$reports/mobileclip2-timings.json"
ablate=(dotnet run --project src/Orchestrator -c Release --no-build --)
specs=(teachers kd-scale lambda base-data augmentations captioner captions)

if [[ -z "${ONLY_RENDER:-}" ]]; then
  dotnet build src/Orchestrator -c Release -v q -nologo >/dev/null
  mkdir -p "$reports"
  # Whether the measured time includes training everything: no store yet means nothing to reuse.
  if [[ -e "$root/ablations.db" ]]; then fresh=false; else fresh=true; fi
  echo "{" > "$timings.tmp"
  suite_start=$(date +%s)
  for s in "${specs[@]}"; do
    start=$(date +%s)
    # pipefail: the pipeline fails when ablate does; grep finding nothing to print is not a failure.
    "${ablate[@]}" run "$suite/$s.yaml" --root "$root" --reports "$reports" | { grep -v 'stages done' || true; } || { echo "ablate run $suite/$s.yaml failed" >&2; exit 1; }
    echo "  \"$s\": $(( $(date +%s) - start ))," >> "$timings.tmp"
  done
  echo "  \"total\": $(( $(date +%s) - suite_start )), \"cores\": $(nproc), \"fresh_store\": $fresh," >> "$timings.tmp"
  # The plan each report was made from: tests/Runner.Tests MobileClip2SuitePlanTests fails when a spec plans
  # differently today, so docs/reproduction.md cannot silently describe other specs or stage code than today's.
  echo "  \"plans\": {" >> "$timings.tmp"
  sep=""
  for s in "${specs[@]}"; do
    hash=$("${ablate[@]}" plan "$suite/$s.yaml" --json --root "$root" | python3 -c 'import json,sys; print(json.load(sys.stdin)["planHash"][:12])')
    echo "    $sep\"$s\": \"$hash\"" >> "$timings.tmp"; sep=","
  done
  echo "  }" >> "$timings.tmp"
  echo "}" >> "$timings.tmp"
  mv "$timings.tmp" "$timings"
fi
python3 "$suite/render.py" "$suite" "$reports" docs/reproduction.md

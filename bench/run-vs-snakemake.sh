#!/usr/bin/env bash
# Whole-process comparison of `ablate run` with Snakemake 7 (Debian's `snakemake`) on the same 100 command jobs
# (issue 11): alternated runs, a fresh workspace for every run, medians of REPEATS. Cases: 100 × `true` with one
# worker, and the no-op re-run of the finished grid. Needs: apt-get install snakemake; a Release build of ablate
# (dotnet build src/Orchestrator -c Release). Usage: bench/run-vs-snakemake.sh [REPEATS] (default 3).
set -euo pipefail
repeats=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
ablate=$root/src/Orchestrator/bin/Release/net10.0/ablate
[ -x "$ablate" ] || { echo "build first: dotnet build src/Orchestrator -c Release" >&2; exit 2; }
command -v snakemake >/dev/null || { echo "install the peer first: apt-get install snakemake" >&2; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

values=$(seq -s, 1 10)
spec() { printf 'name: t\nmethod: grid\ncommand: ["true"]\nparameters:\n  p0:\n    values: [%s]\n  p1:\n    values: [%s]\n' "$values" "$values" > "$1/t.yaml"; }
snakefile() { printf 'rule all:\n    input: expand("out/{i}.done", i=range(100))\nrule job:\n    output: "out/{i}.done"\n    shell: "true && touch {output}"\n' > "$1/Snakefile"; }
wall() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s.%N); echo "$e - $s" | bc; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

: > "$work/a.first"; : > "$work/a.again"; : > "$work/s.first"; : > "$work/s.again"
for r in $(seq "$repeats"); do
  d=$work/a$r; mkdir "$d"; spec "$d"
  (cd "$d" && wall "$ablate" run t.yaml >> "$work/a.first" && wall "$ablate" run t.yaml >> "$work/a.again")
  d=$work/s$r; mkdir "$d"; snakefile "$d"
  (cd "$d" && wall snakemake -j1 -q >> "$work/s.first" && wall snakemake -j1 -q >> "$work/s.again")
done
for c in first again; do
  a=$(median < "$work/a.$c"); s=$(median < "$work/s.$c")
  label=$([ $c = first ] && echo "100 × true, 1 worker" || echo "no-op re-run")
  printf '%-22s ablate run %6.2f s   snakemake %6.2f s   ratio %.2f   (runs: ablate %s | snakemake %s)\n' \
    "$label" "$a" "$s" "$(echo "$a / $s" | bc -l)" "$(paste -sd' ' "$work/a.$c")" "$(paste -sd' ' "$work/s.$c")"
done

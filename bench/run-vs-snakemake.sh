#!/usr/bin/env bash
# Whole-process comparison of `ablate run` with Snakemake 7 (Debian's `snakemake`) on the same 100 command jobs
# (issue 11): alternated runs, a fresh workspace for every run, medians of REPEATS, wall time and the CPU time of the
# whole process tree. Cases: 100 × `sleep 0.2` and 100 × `true`, each with 1 and 2 workers (snakemake -j1 / -j2), and
# the no-op re-run of the finished grid.
#
# ablate is measured as installed (docs/install.md): self-contained, ReadyToRun composite, so the runtime does not
# JIT-compile ablate, EF Core and Hangfire at every start. The script publishes it into bench/.ablate (about 4 minutes).
# Needs: apt-get install snakemake bc. Usage: bench/run-vs-snakemake.sh [REPEATS] (default 3).
set -euo pipefail
repeats=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
ablate=$root/bench/.ablate/ablate
command -v snakemake >/dev/null || { echo "install the peer first: apt-get install snakemake" >&2; exit 2; }
command -v bc >/dev/null || { echo "install bc first: apt-get install bc" >&2; exit 2; }
echo "publishing ablate (self-contained, ReadyToRun composite) into bench/.ablate ..." >&2
# A publish over the other mode's intermediate files makes a program that aborts at start (docs/install.md).
rm -rf "$root"/src/*/obj/Release/net10.0/linux-x64 "$root"/src/*/bin/Release/net10.0/linux-x64
dotnet publish "$root/src/Orchestrator" -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true \
  -p:PublishReadyToRunComposite=true -o "$root/bench/.ablate" >/dev/null || { echo "dotnet publish failed" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

values=$(seq -s, 1 10)
spec() { printf 'name: t\nmethod: grid\ncommand: [%s]\nparameters:\n  p0:\n    values: [%s]\n  p1:\n    values: [%s]\n' "$2" "$values" "$values" > "$1/t.yaml"; }
snakefile() { printf 'rule all:\n    input: expand("out/{i}.done", i=range(100))\nrule job:\n    output: "out/{i}.done"\n    shell: "%s && touch {output}"\n' "$2" > "$1/Snakefile"; }
# Appends "wall cpu" (seconds; cpu = user + sys of the process and all its children) of one run to file $1.
measure() {
  local out=$1; shift
  local TIMEFORMAT='%R %U %S'
  { time "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; } ; } 2>&1 | awk '{printf "%.3f %.3f\n", $1, $2 + $3}' >> "$out"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v c="$2" '{print $c}' "$1"; }

report() { # label ablate-file snakemake-file
  local aw sw ac sc
  aw=$(col "$2" 1 | median); sw=$(col "$3" 1 | median); ac=$(col "$2" 2 | median); sc=$(col "$3" 2 | median)
  printf '%-28s wall: ablate %6.2f s  snakemake %6.2f s  ratio %.2f   cpu: ablate %6.2f s  snakemake %6.2f s  ratio %.2f   (walls: ablate %s | snakemake %s)\n' \
    "$1" "$aw" "$sw" "$(echo "$aw / $sw" | bc -l)" "$ac" "$sc" "$(echo "$ac / $sc" | bc -l)" "$(col "$2" 1 | paste -sd' ')" "$(col "$3" 1 | paste -sd' ')"
}

cases=("sleep 0.2|\"sleep\", \"0.2\"|1" "sleep 0.2|\"sleep\", \"0.2\"|2" "true|\"true\"|1" "true|\"true\"|2")
for c in "${cases[@]}"; do
  IFS='|' read -r shell argv workers <<< "$c"
  key=$(echo "$shell-$workers" | tr ' .' '__')
  : > "$work/a.$key"; : > "$work/s.$key"
done
: > "$work/a.again"; : > "$work/s.again"
for r in $(seq "$repeats"); do
  for c in "${cases[@]}"; do
    IFS='|' read -r shell argv workers <<< "$c"
    key=$(echo "$shell-$workers" | tr ' .' '__')
    d=$work/a-$key-$r; mkdir "$d"; spec "$d" "$argv"
    (cd "$d" && measure "$work/a.$key" "$ablate" run t.yaml --workers "$workers")
    [ "$key" = "true-1" ] && (cd "$d" && measure "$work/a.again" "$ablate" run t.yaml --workers "$workers")
    d=$work/s-$key-$r; mkdir "$d"; snakefile "$d" "$shell"
    (cd "$d" && measure "$work/s.$key" snakemake -j"$workers" -q)
    [ "$key" = "true-1" ] && (cd "$d" && measure "$work/s.again" snakemake -j"$workers" -q)
  done
done
for c in "${cases[@]}"; do
  IFS='|' read -r shell argv workers <<< "$c"
  key=$(echo "$shell-$workers" | tr ' .' '__')
  report "100 × $shell, $workers worker(s)" "$work/a.$key" "$work/s.$key"
done
report "no-op re-run" "$work/a.again" "$work/s.again"

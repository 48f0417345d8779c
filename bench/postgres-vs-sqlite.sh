#!/usr/bin/env bash
# The per-stage cost of a runner against PostgreSQL against the same grid on the embedded SQLite store (issue 11's target:
# within 1.5x), measured side by side: 100 x `true` with `ablate run --workers 1`, alternated, a fresh workspace (and a
# fresh database) every run. Per stage = (last stage's finish - first stage's start) / 100, read from the results store,
# so the process start, submit and report are left out on both sides. The PostgreSQL 15 server runs on this machine.
#
# ablate is measured as installed (docs/install.md): the script publishes it self-contained ReadyToRun composite into
# bench/.ablate (about 4 minutes) unless ABLATE names an ablate to use. Needs: apt-get install postgresql.
# Usage: bench/postgres-vs-sqlite.sh [REPEATS] (default 3).
set -euo pipefail
repeats=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "install the server first: apt-get install postgresql" >&2; exit 2; }
if [ -z "${ABLATE:-}" ]; then
  echo "publishing ablate (self-contained, ReadyToRun composite) into bench/.ablate ..." >&2
  rm -rf "$root"/src/*/obj/Release/net10.0/linux-x64 "$root"/src/*/bin/Release/net10.0/linux-x64
  dotnet publish "$root/src/Orchestrator" -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true \
    -p:PublishReadyToRunComposite=true -o "$root/bench/.ablate" >/dev/null || { echo "dotnet publish failed" >&2; exit 1; }
  ABLATE=$root/bench/.ablate/ablate
fi
work=$(mktemp -d); chmod 755 "$work"
port=55432
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir "$work/pg"; [ "$(id -u)" = 0 ] && chown postgres "$work/pg"
as_pg "$bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 >/dev/null
as_pg "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" -w start >/dev/null
trap 'as_pg "$bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null; rm -rf "$work"' EXIT
psql() { command psql -h 127.0.0.1 -p "$port" -U postgres -At "$@"; }

values=$(seq -s, 1 10)
spec() { printf 'name: t\nmethod: grid\ncommand: ["true"]\nparameters:\n  p0:\n    values: [%s]\n  p1:\n    values: [%s]\n' "$values" "$values" > "$1/t.yaml"; }
span_sql='SELECT (julianday(max("FinishedAt")) - julianday(min("StartedAt"))) * 86400000.0 / count(*) FROM stages'
: > "$work/pg.ms"; : > "$work/sqlite.ms"
for r in $(seq "$repeats"); do
  db=bench$r
  psql -d postgres -c "CREATE DATABASE $db" >/dev/null
  d=$work/pg-$r; mkdir "$d"; spec "$d"
  (cd "$d" && "$ABLATE" run t.yaml --workers 1 --db "postgres://postgres@127.0.0.1:$port/$db" >/dev/null 2>&1) || { echo "ablate run on PostgreSQL failed" >&2; exit 1; }
  psql -d "$db" -c 'SELECT extract(epoch FROM max("FinishedAt") - min("StartedAt")) * 1000.0 / count(*) FROM stages' >> "$work/pg.ms"
  d=$work/sqlite-$r; mkdir "$d"; spec "$d"
  (cd "$d" && "$ABLATE" run t.yaml --workers 1 >/dev/null 2>&1) || { echo "ablate run on SQLite failed" >&2; exit 1; }
  python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$d/.ablations/ablations.db" "$span_sql" >> "$work/sqlite.ms"
done
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
p=$(median < "$work/pg.ms"); s=$(median < "$work/sqlite.ms")
printf 'per stage, 100 x true, 1 worker: PostgreSQL %.1f ms  SQLite %.1f ms  ratio %.2f   (PostgreSQL: %s | SQLite: %s)\n' \
  "$p" "$s" "$(echo "$p / $s" | bc -l)" "$(awk '{printf "%.1f ", $1}' "$work/pg.ms")" "$(awk '{printf "%.1f ", $1}' "$work/sqlite.ms")"

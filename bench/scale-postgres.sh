#!/usr/bin/env bash
# Scale on PostgreSQL (issue 13): several `ablate runner` processes sharing one PostgreSQL 15 server (started here, as in
# bench/postgres-vs-sqlite.sh), measured from the store's own timestamps and from the CPU the processes used.
#
#  (a) CPU-bound grid: SCALE_CPU_STAGES (16) command stages, each python3-torch on one thread (bench/scale_stage.py:
#      torch.set_num_threads(1), OMP/OpenBLAS/MKL at 1 thread, ~3 s: import torch, then SGD steps of an MLP), run by
#      1 runner process vs 2 (`--devices cpu --workers 1 --threads 1` each), alternated, a fresh database each time.
#      Beside them the same program without ablate: SCALE_BARE (4) copies one after another vs two at a time, which is
#      what the machine itself allows. Printed: span (first start to last finish, store), submit to last finish, the
#      ratio, and where the gap to 2.0 goes: the program's own wall in each case (slower when the cores are shared),
#      the runner's time between one stage and the next beyond the program, the runners' unequal shares and end, and
#      the CPU-seconds of the span by owner (stages, runners, their watchdogs, PostgreSQL, this bench's sampler, other
#      processes of the machine, idle, steal), the runners' threads by name.
#  (b) enqueue → start latency (EnqueuedAt → StartedAt) with 2 runners: a grid of SCALE_LAT_STAGES (200) × `sleep 0.05`
#      (stages wait behind the queue's window of 64: mostly queueing), and a chain of SCALE_CHAIN (100) `sleep 0.05`
#      stages, each enqueued when the one before it succeeds, so a runner is idle when it arrives: the latency itself.
#  (c) SCALE_NOOP_STAGES (600) × `true` with 1, 2, 4, 8 runner processes × 2 workers (SCALE_RUNNERS): stages per
#      second (whole span and the middle 80% of finishes), CPU of PostgreSQL and of the runners per stage, the wait
#      events of the bench's active backends (pg_stat_activity sampled every 0.25 s), and statements per stage
#      (pg_stat_statements: the store's and Hangfire's), commits, WAL bytes and WAL syncs per stage; the runners idle for
#      SCALE_IDLE (4) s before each grid: what their queue polling costs with nothing queued. In the first repeat, the
#      largest count once more with synchronous_commit=off for the case's database (a diagnostic: how much of the limit
#      is waiting for WAL flushes; not a setting to run with).
#  (d) what running stages cost, measured over SCALE_STEADY (6) s while every slot runs a stage of SCALE_HOLD (16) s:
#      8 runners × 8 workers with 64 `sleep` stages (8 s longer) at default settings (eight nodes of 8 devices in miniature: the
#      statements and CPU per running stage and second); 8 × 2 with 16 `sleep` stages and `--heartbeat 0.1` (many
#      heartbeats: the cost of one); 8 × 2 with 16 stages printing SCALE_POINT_RATE (25) metric points a second
#      (bench/scale_points.py; the cost of a point). Once (SCALE_D_REPEATS): these are costs to plan with, not ratios.
#
# Every case: create the database, `ablate submit` a warm-up grid (2 × sleep 0.2 per worker), start the runners and wait
# for the warm-up to finish (so the runners are started, connected and have run the store's queries once), then
# start the sampler, reset PostgreSQL's statistics, `ablate submit` the case's grid and wait for it. Runners are
# started as an operator starts them, `ablate runner --db postgres://…`, with DOTNET_TieredCompilation=0 when ablate is
# the published ReadyToRun build (what `ablate run` gives the runner it starts; docs/install.md).
#
# ablate is measured as installed (docs/install.md): the script publishes it self-contained ReadyToRun composite into
# bench/.ablate (about 4 minutes) unless ABLATE names an ablate to use (a path, or e.g. "dotnet path/to/ablate.dll").
# Needs: apt-get install postgresql python3-torch. Usage: bench/scale-postgres.sh [REPEATS] (default 3); parts can be
# chosen with SCALE_PARTS="a b c d", sizes with the variables named above. At REPEATS=3 on the 2-core machine of
# bench/RESULTS.md, with other users taking about one core, it took 34 and 41 minutes with 1,000 no-op stages; the
# default of 600 and 4 s idle windows take ~4 minutes off that (about 20 minutes on a quiet machine: estimated, not measured).
# The PostgreSQL server, databases and logs go at the end unless SCALE_KEEP=1.
set -euo pipefail
repeats=${1:-3}
parts=${SCALE_PARTS:-a b c d}
cpu_stages=${SCALE_CPU_STAGES:-16}
steps=${SCALE_STEPS:-60}  # ~2 s of SGD steps after ~1 s importing torch, on one thread of this machine
bare=${SCALE_BARE:-4}
lat_stages=${SCALE_LAT_STAGES:-200}
chain=${SCALE_CHAIN:-100}
noop=${SCALE_NOOP_STAGES:-600}
counts=${SCALE_RUNNERS:-1 2 4 8}
timeout=${SCALE_TIMEOUT:-600}
idle=${SCALE_IDLE:-4}
hold=${SCALE_HOLD:-16}
steady=${SCALE_STEADY:-6}
point_rate=${SCALE_POINT_RATE:-25}
d_repeats=${SCALE_D_REPEATS:-1}  # per-stage cost calibration: once unless asked
root=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
helper=$root/bench/scale_postgres.py
stage=$root/bench/scale_stage.py
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "install the server first: apt-get install postgresql" >&2; exit 2; }
$py -c "import torch" 2>/dev/null || { echo "install python3-torch first (apt-get install python3-torch)" >&2; exit 2; }
tc=()
if [ -z "${ABLATE:-}" ]; then
  echo "publishing ablate (self-contained, ReadyToRun composite) into bench/.ablate ..." >&2
  rm -rf "$root"/src/*/obj/Release/net10.0/linux-x64 "$root"/src/*/bin/Release/net10.0/linux-x64
  dotnet publish "$root/src/Orchestrator" -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true \
    -p:PublishReadyToRunComposite=true -o "$root/bench/.ablate" >/dev/null || { echo "dotnet publish failed" >&2; exit 1; }
  ABLATE=$root/bench/.ablate/ablate
fi
read -ra ablate <<< "$ABLATE"
for i in "${!ablate[@]}"; do [ -e "${ablate[$i]}" ] && ablate[$i]=$(realpath "${ablate[$i]}"); done  # cases run in their own folders
# The runner `ablate run` starts from a ReadyToRun build gets DOTNET_TieredCompilation=0 (LocalRunnerProcess); so do these.
if [ -z "${DOTNET_TieredCompilation+x}" ] && [ -f "$(dirname "${ablate[-1]}")/ablate.r2r.dll" -o "${ablate[0]}" = "$root/bench/.ablate/ablate" ]; then
  tc=(DOTNET_TieredCompilation=0)
fi

work=$(mktemp -d); chmod 755 "$work"
port=55433
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir "$work/pg"; [ "$(id -u)" = 0 ] && chown postgres "$work/pg"
as_pg "$bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 >/dev/null
# pg_stat_statements counts the statements of each case; 400 connections leave room for 8 runners' pools.
as_pg "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w start \
  -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_preload_libraries=pg_stat_statements" >/dev/null
runner_pids=(); sampler=
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  for p in "${runner_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${runner_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  as_pg "$bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null
  if [ -n "${SCALE_KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
psql() { command psql -h 127.0.0.1 -p "$port" -U postgres -At "$@"; }
psql -d postgres -c "CREATE ROLE ablate LOGIN" -c "CREATE EXTENSION pg_stat_statements" >/dev/null
postmaster=$(head -1 "$work/pg/data/postmaster.pid")
results=$work/results.jsonl; : > "$results"
# What a synchronous commit waits for here: fdatasync of an 8 KiB write on PostgreSQL's disk.
fsync_ms=$($py -c "
import os, sys, time
f = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT); n = 100; t = time.time()
for i in range(n): os.pwrite(f, b'x' * 8192, 0); os.fdatasync(f)
print('%.2f' % ((time.time() - t) / n * 1000)); os.close(f); os.unlink(sys.argv[1])" "$work/pg/fsync-test")
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(uname -r); ablate: ${ablate[*]} ${tc[*]}; PostgreSQL: $("$bin/postgres" --version); fdatasync of 8 KiB on its disk: $fsync_ms ms"

values() { seq -s, 1 "$1"; }
grid_spec() { # file name count command-yaml [env-yaml]
  printf 'name: %s\nmethod: grid\nmetric: {name: loss, goal: minimize}\nparameters:\n  i: {values: [%s]}\ncommand: %s\n%s' \
    "$2" "$(values "$3")" "$4" "${5:-}" > "$1"
}
chain_spec() { # file name count
  { printf 'name: %s\nmetric: {name: loss, goal: minimize}\npipeline:\n' "$2"
    for i in $(seq "$3"); do
      printf '  s%d:\n    command: [sleep, "0.05"]\n    params: []\n    per_seed: false\n' "$i"
      [ "$i" -gt 1 ] && printf '    inputs: [s%d]\n' $((i - 1))
    done; } > "$1"
}
cpu_command="[$py, $stage, \"\${args}\"]"
cpu_env() { printf 'command_options:\n  env: {OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1", PYTHONDONTWRITEBYTECODE: "1", SCALE_STEPS: "%s"}\n' "$steps"; }

unfinished() { # db experiment → stages of that experiment not yet in a final state
  psql -d "$1" -c "SELECT count(*) FROM stages s WHERE s.\"Status\" NOT IN ('Succeeded', 'Failed', 'Cancelled') AND s.\"Hash\" IN (
    SELECT rs.\"StageHash\" FROM run_stages rs JOIN runs r ON r.\"Id\" = rs.\"RunId\" JOIN experiments e ON e.\"Id\" = r.\"ExperimentId\" WHERE e.\"Name\" = '$2')"
}
polls=0
wait_done() { # db experiment what
  local t0=$SECONDS
  while [ "$(unfinished "$1" "$2")" != 0 ]; do
    polls=$((polls + 1))
    if [ $((SECONDS - t0)) -gt "$timeout" ]; then echo "timed out after ${timeout}s waiting for $3; runner logs in $work" >&2; SCALE_KEEP=1; exit 1; fi
    sleep 0.5
  done
  polls=$((polls + 1))
}

reset_stats() { # pg_stat_statements lives in the postgres database; pg_stat_reset() clears the case database's counters
  psql -d postgres -c "SELECT pg_stat_statements_reset()" -c "SELECT pg_stat_reset_shared('wal')" >/dev/null
  psql -d "$1" -c "SELECT pg_stat_reset()" >/dev/null
}
ncase=0
db_settings=
# run_case NAME SPEC EXPERIMENT RUNNERS WORKERS [IDLE-SECONDS [RUNNER-OPTIONS]]: one measured case on a fresh database (see
# the header); with IDLE-SECONDS the runners are first measured idle for that long.
run_case() {
  local name=$1 spec=$2 exp=$3 n=$4 w=$5 extra
  read -ra extra <<< "${7:-}"
  ncase=$((ncase + 1))
  local db=case$ncase d=$work/case$ncase
  mkdir -p "$d"; cp "$spec" "$d/spec.yaml"
  psql -d postgres -c "CREATE DATABASE $db OWNER ablate" >/dev/null
  [ -n "$db_settings" ] && psql -d postgres -c "ALTER DATABASE $db SET $db_settings" >/dev/null
  local url="postgres://ablate@127.0.0.1:$port/$db"
  grid_spec "$d/warm.yaml" warm $((2 * n * w)) '[sleep, "0.2"]'
  (cd "$d" && "${ablate[@]}" submit warm.yaml --db "$url" > warm.log 2>&1) || { echo "warm-up submit failed: $(cat "$d/warm.log")" >&2; exit 1; }
  runner_pids=()
  for i in $(seq "$n"); do
    (cd "$d" && exec env ${tc[@]+"${tc[@]}"} "${ablate[@]}" runner --db "$url" --devices cpu --workers "$w" --threads 1 ${extra[@]+"${extra[@]}"} < /dev/null > "runner$i.log" 2>&1) &
    runner_pids+=($!)
  done
  wait_done "$db" warm "the warm-up"
  local t0=$SECONDS
  for i in $(seq "$n"); do
    until grep -q '^runner: .* on queues' "$d/runner$i.log"; do
      [ $((SECONDS - t0)) -gt 120 ] && { echo "runner $i did not start: $(cat "$d/runner$i.log")" >&2; SCALE_KEEP=1; exit 1; }
      sleep 0.2
    done
  done
  sleep 1
  $py "$helper" sample "$d/samples.jsonl" --port "$port" --postmaster "$postmaster" --runners "$(IFS=,; echo "${runner_pids[*]}")" &
  sampler=$!
  local idle_args=()
  if [ "${6:-0}" != 0 ]; then
    # Idle runners for a while first: what their queue polling and timers cost PostgreSQL with nothing to run.
    sleep 0.5
    reset_stats "$db"
    local i0; i0=$(date +%s.%N)
    sleep "$6"
    local i1; i1=$(date +%s.%N)
    $py "$helper" stats --port "$port" --db "$db" > "$d/idle.json"
    idle_args=(--idle-from "$i0" --idle-to "$i1" --idle-stats "$d/idle.json")
  fi
  reset_stats "$db"
  sleep 0.5
  polls=0
  local launch; launch=$(date +%s.%N)
  (cd "$d" && exec "${ablate[@]}" submit spec.yaml --db "$url" > submit.log 2>&1) &
  local submit=$!
  local steady_args=()
  if [ "${8:-0}" != 0 ]; then
    # Every slot running: statements and CPU over a window of that steady state (heartbeats, metric flushes). The runners
    # start stages while the submit is still enqueueing, so this watches from the submit's start.
    local t0=$SECONDS
    until [ "$(psql -d "$db" -c "SELECT count(*) FROM stages WHERE \"Status\" = 'Running'")" -ge $((n * w)) ]; do
      polls=$((polls + 1))
      [ $((SECONDS - t0)) -gt 60 ] && { echo "$name: the slots never all ran at once" >&2; break; }
      sleep 0.2
    done
    sleep 0.5
    local s0; s0=$(date +%s.%N)
    $py "$helper" stats --port "$port" --db "$db" > "$d/steady0.json"
    sleep "$8"
    local s1; s1=$(date +%s.%N)
    $py "$helper" stats --port "$port" --db "$db" > "$d/steady1.json"
    local still; still=$(psql -d "$db" -c "SELECT count(*) FROM stages WHERE \"Status\" = 'Running'"); polls=$((polls + 1))
    steady_args=(--steady-from "$s0" --steady-to "$s1" --steady-stats "$d/steady0.json,$d/steady1.json" --steady-running "$still")
  fi
  wait "$submit" || { echo "submit failed: $(cat "$d/submit.log")" >&2; exit 1; }
  wait_done "$db" "$exp" "$name"
  $py "$helper" stats --port "$port" --db "$db" > "$d/stats.json"
  # the polls of wait_done and the reset are transactions of this database too, not the runners'
  $py - "$d/stats.json" $((polls + 1)) <<'EOF'
import json, sys
s = json.load(open(sys.argv[1])); s["commits"] -= int(sys.argv[2]); json.dump(s, open(sys.argv[1], "w"))
EOF
  sleep 0.3
  kill -TERM "$sampler"; wait "$sampler" || true; sampler=
  for p in "${runner_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${runner_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  runner_pids=()
  for i in $(seq "$n"); do
    if grep -q '^Unhandled exception' "$d/runner$i.log"; then
      echo "  $name: runner $i crashed: $(grep -A4 '^Unhandled exception' "$d/runner$i.log" | tr '\n' ' ' | cut -c1-400)"
      cp "$d/runner$i.log" "$work/crashed-$name-runner$i.log"
    fi
  done
  local in_exp="SELECT rs.\"StageHash\" FROM run_stages rs JOIN runs r ON r.\"Id\" = rs.\"RunId\" JOIN experiments e ON e.\"Id\" = r.\"ExperimentId\" WHERE e.\"Name\" = '$exp'"
  psql -d "$db" -F '|' -c "SELECT \"Hash\", \"Worker\", extract(epoch FROM \"EnqueuedAt\"), extract(epoch FROM \"StartedAt\"),
      extract(epoch FROM \"FinishedAt\"), \"DurationSeconds\", \"Status\", \"Attempts\" FROM stages WHERE \"Hash\" IN ($in_exp)" > "$d/stages.psv"
  psql -d "$db" -F '|' -c "SELECT \"StageHash\", \"Name\", \"Value\" FROM metrics WHERE \"Step\" = -1 AND \"StageHash\" IN ($in_exp)" > "$d/metrics.psv"
  $py "$helper" case "$name" --samples "$d/samples.jsonl" --stages "$d/stages.psv" --metrics "$d/metrics.psv" --stats "$d/stats.json" \
    --launch "$launch" --runners "$n" --workers "$w" --out "$results" \
    ${idle_args[@]+"${idle_args[@]}"} ${steady_args[@]+"${steady_args[@]}"}
  # Hangfire jobs made for the case's stages: 1 a stage when nothing is handed back (a job fetched ahead and given back
  # to the queue is a new job); printed per case, read by eye (not in the summary).
  local jobs; jobs=$(psql -d "$db" -c "SELECT count(*) FROM hangfire.job j WHERE EXISTS (SELECT 1 FROM stages s
      WHERE s.\"Hash\" IN ($in_exp) AND j.arguments::text LIKE '%' || s.\"Hash\" || '%')")
  local staged; staged=$(psql -d "$db" -c "SELECT count(*) FROM ($in_exp) x")
  echo "  $name: $jobs Hangfire jobs for $staged stages ($(awk "BEGIN{printf \"%.2f\", $jobs/$staged}") a stage)"
  psql -d postgres -c "DROP DATABASE $db" >/dev/null
}

if [[ " $parts " == *" a "* ]]; then
  SCALE_STEPS=1 $py "$stage" >/dev/null  # the first import of torch reads it from disk; every measured one finds it cached
  echo
  echo "(a) $cpu_stages CPU-bound stages (python3-torch, 1 thread, $steps steps), 1 vs 2 runner processes × 1 worker; bare: $bare programs, 1 vs 2 at a time"
  grid_spec "$work/cpu.yaml" cpu "$cpu_stages" "$cpu_command" "$(cpu_env)"
  for r in $(seq "$repeats"); do
    order="1 2"; [ $((r % 2)) = 0 ] && order="2 1"
    for lanes in $order; do
      $py "$helper" bare "bare-$lanes" --lanes "$lanes" --count "$bare" --steps "$steps" --program "$stage" --out "$results"
    done
    for n in $order; do run_case "cpu-$n" "$work/cpu.yaml" cpu "$n" 1; done
  done
fi

if [[ " $parts " == *" b "* ]]; then
  echo
  echo "(b) enqueue → start with 2 runner processes × 1 worker: $lat_stages × sleep 0.05 (a grid), and a chain of $chain × sleep 0.05"
  grid_spec "$work/lat.yaml" lat "$lat_stages" '[sleep, "0.05"]'
  chain_spec "$work/chain.yaml" chain "$chain"
  for r in $(seq "$repeats"); do
    run_case lat-grid "$work/lat.yaml" lat 2 1
    run_case lat-chain "$work/chain.yaml" chain 2 1
  done
fi

if [[ " $parts " == *" c "* ]]; then
  echo
  echo "(c) $noop × true, runner processes × 2 workers: $counts"
  grid_spec "$work/noop.yaml" noop "$noop" '["true"]'
  for r in $(seq "$repeats"); do
    order=$counts; [ $((r % 2)) = 0 ] && order=$(echo "$counts" | tr ' ' '\n' | tac | tr '\n' ' ')
    for n in $order; do run_case "noop-$n" "$work/noop.yaml" noop "$n" 2 "$idle"; done
    if [ "$r" = 1 ]; then
      most=$(echo "$counts" | tr ' ' '\n' | sort -n | tail -1)
      db_settings="synchronous_commit = off" run_case "noop-$most-async" "$work/noop.yaml" noop "$most" 2 "$idle"
    fi
  done
fi

if [[ " $parts " == *" d "* ]]; then
  echo
  echo "(d) stages running, measured over ${steady}s while every slot runs (stages of ~${hold}s): 8 runner processes × 8 workers with 64"
  echo "    sleep stages, default settings (a node of 8 devices, eight times); 8 × 2 with 16 sleep stages and heartbeats every 0.1 s;"
  echo "    8 × 2 with 16 stages printing $point_rate metric points a second each (bench/scale_points.py), default 2 s heartbeat"
  grid_spec "$work/running.yaml" running 64 "[sleep, \"$((hold + 8))\"]"  # 64 stages take seconds to start on 2 cores
  grid_spec "$work/hb.yaml" hb 16 "[sleep, \"$hold\"]"
  grid_spec "$work/points.yaml" points 16 "[$py, $root/bench/scale_points.py]" \
    "$(printf 'command_options:\n  env: {SCALE_POINT_RATE: "%s", SCALE_POINT_SECONDS: "%s"}\n' "$point_rate" "$hold")"
  for r in $(seq "$d_repeats"); do
    run_case running "$work/running.yaml" running 8 8 "$idle" "" "$steady"
    run_case heartbeat "$work/hb.yaml" hb 8 2 "$idle" "--heartbeat 0.1" "$steady"
    run_case points "$work/points.yaml" points 8 2 "$idle" "" "$steady"
  done
fi

echo
$py "$helper" summary "$results"

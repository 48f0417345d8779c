"""Helper of bench/scale-postgres.sh (python3, standard library only).

sample OUT --port P --postmaster PID --runners PID,PID… [--interval S]
    Until SIGTERM, every S seconds (default 0.25) appends one JSON line to OUT: the machine's CPU counters
    (/proc/stat), cumulative CPU ticks of each process group (the runner processes themselves, what they started —
    stages, reaped or alive —, their watchdog shells, PostgreSQL's server processes, this sampler with its psql and
    its backend), each runner's threads by name, and the wait events of PostgreSQL's active backends of the bench's
    role (pg_stat_activity, through one psql session kept open).

case NAME --samples F --stages F [--metrics F] [--stats F] [--runners N] [--workers W] [--out F]
    Reads a case's stage rows (hash|worker|enqueued|started|finished|duration|status|attempts, epoch seconds) and
    prints what the case measured; the numbers go to --out as one JSON object for `summary`.

summary FILE…
    Medians over repeats per case, and the ratios the script reports.
"""
import json
import os
import signal
import statistics
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- sampling

def read_stat(pid):
    """(comm, ppid, utime+stime, cutime+cstime) in ticks, or None for a process that is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode(errors="replace")
    except OSError:
        return None
    lp, rp = data.index("("), data.rindex(")")
    comm = data[lp + 1:rp]
    fields = data[rp + 2:].split()
    # fields[0] is state (field 3); utime is field 14 → index 11
    return comm, int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def thread_ticks(pid):
    by_name = {}
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return by_name
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", "rb") as f:
                data = f.read().decode(errors="replace")
        except OSError:
            continue
        lp, rp = data.index("("), data.rindex(")")
        name = data[lp + 1:rp]
        fields = data[rp + 2:].split()
        by_name[name] = by_name.get(name, 0) + int(fields[11]) + int(fields[12])
    return by_name


def machine():
    with open("/proc/stat") as f:
        cpu = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (cpu + [0] * 8)[:8]
    return {"busy": user + nice + system + irq + softirq, "idle": idle + iowait, "steal": steal}


class Psql:
    """One psql session, kept open: a query and an \\echo marker, read back to the marker."""

    def __init__(self, port, db="postgres"):
        self.p = subprocess.Popen(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-At", "-q", "-F", "|"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1,
                                  start_new_session=True)  # a signal to this group (Ctrl-C, timeout) stops the sampler, which ends it

    columns = 0

    def query(self, sql, columns=0):
        self.columns = columns
        try:
            self.p.stdin.write(sql.rstrip().rstrip(";") + ";\n\\echo __END__\n")
            self.p.stdin.flush()
        except OSError:
            return []
        rows = []
        while True:
            line = self.p.stdout.readline()
            if not line or line.rstrip("\n") == "__END__":
                return rows
            rows.append(line.rstrip("\n").split("|", self.columns - 1) if self.columns else line.rstrip("\n").split("|"))


def sample(args):
    out, port, postmaster, runners, interval = args["out"], args["port"], int(args["postmaster"]), \
        [int(p) for p in args["runners"].split(",") if p], float(args.get("interval", 0.25))
    psql = Psql(port)
    backend = int(psql.query("SELECT pg_backend_pid()")[0][0])
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    me = os.getpid()
    with open(out, "a") as f:
        while True:
            t = time.time()
            procs = {}
            for name in os.listdir("/proc"):
                if name.isdigit():
                    s = read_stat(int(name))
                    if s:
                        procs[int(name)] = s
            children = {}
            for pid, (_, ppid, _, _) in procs.items():
                children.setdefault(ppid, []).append(pid)

            def descendants(root):
                todo, seen = list(children.get(root, [])), []
                while todo:
                    p = todo.pop()
                    seen.append(p)
                    todo.extend(children.get(p, []))
                return seen

            g = {"runner": 0, "stage": 0, "watchdog": 0, "pg": 0, "monitor": 0}
            each = {}
            for r in runners:
                s = procs.get(r)
                if not s:
                    continue
                g["runner"] += s[2]
                each[str(r)] = s[2]
                g["stage"] += s[3]  # reaped children: the stage programs that ended
                for d in descendants(r):
                    comm, _, own, reaped = procs[d]
                    # the runner's watchdog (one /bin/sh per runner) lives as long as the runner; programs come and go
                    g["watchdog" if comm == "sh" and procs[d][1] == r else "stage"] += own + reaped
            s = procs.get(postmaster)
            if s:
                g["pg"] += s[2] + s[3]
                for d in descendants(postmaster):
                    comm, _, own, reaped = procs[d]
                    g["monitor" if d == backend else "pg"] += own + reaped
            for p in [me] + descendants(me):
                if p in procs:
                    g["monitor"] += procs[p][2] + procs[p][3]
            waits = {}
            for wtype, wevent, n in psql.query(
                    "SELECT CASE WHEN state LIKE 'idle in transaction%' THEN 'InTransaction' ELSE coalesce(wait_event_type, 'CPU') END,"
                    " coalesce(wait_event, 'running'), count(*) FROM pg_stat_activity "
                    "WHERE usename = 'ablate' AND state <> 'idle' AND pid <> pg_backend_pid() GROUP BY 1, 2"):
                waits[f"{wtype}:{wevent}"] = int(n)
            conns = psql.query("SELECT count(*) FROM pg_stat_activity WHERE usename = 'ablate'")
            rec = {"t": t, "m": machine(), "g": g, "each": each, "waits": waits,
                   "conns": int(conns[0][0]) if conns else 0,
                   "threads": {str(r): thread_ticks(r) for r in runners}}
            f.write(json.dumps(rec) + "\n")
            f.flush()
            if stop:
                return
            time.sleep(max(0.0, interval - (time.time() - t)))


# ---------------------------------------------------------------- analysis

def pct(values, q):
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def at(samples, t, get):
    """A cumulative counter at time t, interpolated between the samples around it."""
    if t <= samples[0]["t"]:
        return get(samples[0])
    for a, b in zip(samples, samples[1:]):
        if a["t"] <= t <= b["t"]:
            fa, fb = get(a), get(b)
            return fa + (fb - fa) * (t - a["t"]) / max(1e-9, b["t"] - a["t"])
    return get(samples[-1])


def window_cpu(samples, t0, t1):
    """CPU seconds per group between t0 and t1."""
    d = lambda get: (at(samples, t1, get) - at(samples, t0, get)) / TICK  # noqa: E731
    cpu = {k: d(lambda s, k=k: s["g"][k]) for k in samples[0]["g"]}
    busy, idle, steal = d(lambda s: s["m"]["busy"]), d(lambda s: s["m"]["idle"]), d(lambda s: s["m"]["steal"])
    cpu["other"] = busy - sum(cpu.values())  # processes that are not this bench's: another user's work, psql polls
    cpu["idle"], cpu["steal"], cpu["busy"] = idle, steal, busy
    return cpu


def threads_in(samples, t0, t1):
    inside = [s for s in samples if t0 <= s["t"] <= t1] or samples
    first, last = inside[0], inside[-1]
    names = {}
    for pid, th in last["threads"].items():
        before = first["threads"].get(pid, {})
        for name, ticks in th.items():
            names[name] = names.get(name, 0) + max(0, ticks - before.get(name, 0)) / TICK
    own = sum(last["each"].values()) - sum(first["each"].get(p, 0) for p in last["each"])
    names["(threads that ended)"] = max(0.0, own / TICK - sum(names.values()))
    return names, last["t"] - first["t"]


def waits_in(samples, t0, t1):
    inside = [s for s in samples if t0 <= s["t"] <= t1]
    tally = {}
    for s in inside:
        for k, n in s["waits"].items():
            tally[k] = tally.get(k, 0) + n
    return {k: v / max(1, len(inside)) for k, v in sorted(tally.items(), key=lambda kv: -kv[1])}, len(inside), \
        max((s["conns"] for s in inside), default=0)


def read_rows(path):
    rows = []
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("|")
            if len(p) < 8:
                continue
            num = lambda x: float(x) if x else None  # noqa: E731
            rows.append({"hash": p[0], "worker": p[1], "enq": num(p[2]), "start": num(p[3]), "end": num(p[4]),
                         "dur": num(p[5]), "status": p[6], "attempts": int(p[7])})
    return rows


def read_metrics(path):
    m = {}
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                p = line.rstrip("\n").split("|")
                if len(p) == 3:
                    m.setdefault(p[0], {})[p[1]] = float(p[2])
    return m


def fmt(x, nd=2):
    return "—" if x is None or x != x else f"{x:.{nd}f}"


def case(args):
    name = args["name"]
    samples = [json.loads(l) for l in open(args["samples"])] if args.get("samples") and os.path.exists(args["samples"]) else []
    rows = read_rows(args["stages"])
    metrics = read_metrics(args.get("metrics"))
    res = {"case": name}
    ok = [r for r in rows if r["status"] == "Succeeded"]
    res["stages"], res["succeeded"] = len(rows), len(ok)
    res["retried"] = sum(1 for r in rows if r["attempts"] > 1)
    if not ok:
        print(f"  {name}: no stage succeeded ({len(rows)} rows)")
        return res
    t0, t1 = min(r["start"] for r in ok), max(r["end"] for r in ok)
    span = t1 - t0
    res.update(span=span, rate=len(ok) / span, first_start=t0, last_finish=t1)
    if args.get("launch"):
        res["whole"] = t1 - float(args["launch"])
        res["to_first_start"] = t0 - float(args["launch"])
    lat = [r["start"] - r["enq"] for r in ok if r["enq"] is not None]
    res["lat_p50"], res["lat_p95"], res["lat_max"] = pct(lat, .5), pct(lat, .95), max(lat) if lat else None
    # Sustained rate: the middle of the run (10th to 90th percentile of finishes), without ramp-up and tail.
    ends = sorted(r["end"] for r in ok)
    a, b = pct(ends, .1), pct(ends, .9)
    res["rate_mid"] = (0.8 * len(ends)) / (b - a) if b > a else None
    # Per runner process (worker = host:pid:nonce:thread): stages, busy span, and the time between stages that is not
    # the program's own (start of one stage to the start of the next, less the program's self-timed wall).
    by_runner = {}
    for r in ok:
        by_runner.setdefault(":".join(r["worker"].split(":")[:3]), []).append(r)
    res["per_runner"] = {k: len(v) for k, v in by_runner.items()}
    outside, own = [], []
    for k, v in by_runner.items():
        v.sort(key=lambda r: r["start"])
        for x, y in zip(v, v[1:]):
            w = metrics.get(x["hash"], {}).get("wall_s")
            if w is not None and int(args.get("workers", 1)) == 1:
                outside.append(y["start"] - x["start"] - w)
        for x in v:
            if "wall_s" in metrics.get(x["hash"], {}):
                own.append(metrics[x["hash"]]["wall_s"])
    res["runner_idle_tail"] = t1 - min(max(r["end"] for r in v) for v in by_runner.values())
    res["runner_start_skew"] = max(min(r["start"] for r in v) for v in by_runner.values()) - t0
    if own:
        mm = [metrics[r["hash"]] for r in ok if "wall_s" in metrics.get(r["hash"], {})]
        for key in ("wall_s", "work_s", "import_s", "cpu_s"):
            res["prog_" + key] = statistics.mean(m[key] for m in mm)
        res["prog_threads_max"] = max(m["threads"] for m in mm)
        res["prog_sum_wall"] = sum(m["wall_s"] for m in mm)
    if outside:
        res["outside_mean"], res["outside_p50"], res["outside_max"] = statistics.mean(outside), pct(outside, .5), max(outside)
    if samples:
        cpu = window_cpu(samples, t0, t1)
        res["cpu"] = cpu
        res["cores_used"] = cpu["busy"] / span
        th, _ = threads_in(samples, t0, t1)
        res["threads"] = dict(sorted(th.items(), key=lambda kv: -kv[1])[:10])
        res["waits"], res["wait_samples"], res["conns_max"] = waits_in(samples, t0, t1)
    if args.get("stats") and os.path.exists(args["stats"]):
        res["stats"] = json.load(open(args["stats"]))
    if samples and args.get("idle_from"):
        i0, i1 = float(args["idle_from"]), float(args["idle_to"])
        if args.get("idle_stats") and os.path.exists(args["idle_stats"]):
            i1 = json.load(open(args["idle_stats"])).get("t", i1)
        cpu = window_cpu(samples, i0, i1)
        idle = {"seconds": i1 - i0, "cpu": cpu}
        idle["waits"], _, idle["conns_max"] = waits_in(samples, i0, i1)
        if args.get("idle_stats") and os.path.exists(args["idle_stats"]):
            idle["stats"] = json.load(open(args["idle_stats"]))
        res["idle"] = idle
    if samples and args.get("steady_from"):
        a, b = (json.load(open(f)) for f in args["steady_stats"].split(","))
        s0, s1 = a["t"], b["t"]
        st = {k: b[k] - a[k] for k in b if isinstance(b[k], (int, float))}
        before = {qid: (c, ms) for c, ms, q, qid in a["top"]}
        top = [[c - before.get(qid, (0, 0))[0], ms - before.get(qid, (0, 0))[1], q] for c, ms, q, qid in b["top"]]
        st["top"] = sorted((t for t in top if t[0] > 0), key=lambda t: -t[0])
        res["steady"] = {"seconds": s1 - s0, "cpu": window_cpu(samples, s0, s1), "stats": st}
        if args.get("steady_running") and int(args["steady_running"]) < int(args.get("runners", 0)) * int(args.get("workers", 1)):
            res["steady"]["partial"] = int(args["steady_running"])  # a stage ended inside the window: not a steady state
    report(res, int(args.get("runners", 0)), int(args.get("workers", 1)))
    if args.get("out"):
        with open(args["out"], "a") as f:
            f.write(json.dumps(res) + "\n")
    return res


def report(res, runners, workers):
    n = res["succeeded"]
    line = f"  {res['case']}: {n}/{res['stages']} stages"
    if res["retried"]:
        line += f" ({res['retried']} retried)"
    line += f", span {fmt(res['span'])} s ({fmt(res['rate'], 1)} stages/s; middle 80%: {fmt(res.get('rate_mid'), 1)}/s)"
    if "whole" in res:
        line += f", submit → last finish {fmt(res['whole'])} s (→ first start {fmt(res['to_first_start'])} s)"
    print(line)
    print(f"    enqueued → started: p50 {fmt(res['lat_p50'] * 1000, 1)} ms, p95 {fmt(res['lat_p95'] * 1000, 1)} ms, max {fmt(res['lat_max'] * 1000, 1)} ms;"
          f" stages per runner {sorted(res['per_runner'].values())}; last runner idle for the final {fmt(res['runner_idle_tail'])} s,"
          f" last runner's first start {fmt(res['runner_start_skew'])} s after the first")
    if "prog_wall_s" in res:
        print(f"    program (self-timed, mean): wall {fmt(res['prog_wall_s'], 3)} s = import {fmt(res['prog_import_s'], 3)} + work {fmt(res['prog_work_s'], 3)};"
              f" CPU {fmt(res['prog_cpu_s'], 3)} s; threads {res['prog_threads_max']:.0f}")
    if "outside_mean" in res:
        print(f"    between one stage's start and the next on a runner, beyond the program's own wall: mean {fmt(res['outside_mean'] * 1000, 1)} ms"
              f" (p50 {fmt(res['outside_p50'] * 1000, 1)}, max {fmt(res['outside_max'] * 1000, 1)})")
    if "cpu" in res:
        c, span = res["cpu"], res["span"]
        parts = ", ".join(f"{k} {c[k]:.2f}" for k in ("stage", "runner", "watchdog", "pg", "monitor", "other", "idle", "steal"))
        print(f"    CPU-seconds in the span ({fmt(span)} s × 2 cores = {2 * span:.2f}): {parts}; busy {fmt(res['cores_used'])} cores")
        print(f"    per stage: runner {c['runner'] / n * 1000:.1f} ms, PostgreSQL {c['pg'] / n * 1000:.1f} ms of CPU")
        th = ", ".join(f"{k} {v:.2f}" for k, v in res["threads"].items() if v >= 0.005)
        print(f"    runner threads, CPU-s: {th}")
        w = ", ".join(f"{k} {v:.2f}" for k, v in list(res["waits"].items())[:8])
        print(f"    PostgreSQL backends of the bench, active on average ({res['wait_samples']} samples; connections up to {res['conns_max']}): {w or 'none seen'}")
    if "idle" in res and "stats" in res["idle"]:
        print("    " + describe_window(f"idle, nothing queued, {res['idle']['conns_max']} connections", res["idle"]))
    if "steady" in res:
        w = res["steady"]
        print("    " + describe_window("every slot running" if "partial" not in w else
                                    f"NOT every slot running at the end ({w['partial']}), left out of the summary", w))
        for calls, ms, q in w["stats"]["top"][:10]:
            print(f"      {calls / w['seconds']:7.1f}/s {ms / max(1, calls):7.3f} ms  {q[:120]}")
    if "stats" in res:
        s = res["stats"]
        print(f"    statements per stage: store {s['store_calls'] / n:.1f}, Hangfire {s['hangfire_calls'] / n:.1f},"
              f" BEGIN/COMMIT {s['tx_calls'] / n:.1f}, other {s['utility_calls'] / n:.1f}"
              f" (executing: store {s['store_ms'] / n:.2f} ms, Hangfire {s['hangfire_ms'] / n:.2f} ms a stage);"
              f" commits {s['commits'] / n:.1f}, WAL {s['wal_bytes'] / n / 1024:.1f} KiB, WAL syncs {s['wal_sync'] / n:.2f} per stage")
        for q in s["top"][:int(os.environ.get("SCALE_TOP", "0"))]:  # calls, ms, text, queryid
            print(f"      {q[0] / n:6.2f}/stage {q[1] / max(1, q[0]):7.3f} ms  {q[2][:110]}")


def describe_window(what, w):
    sec, c, st = w["seconds"], w["cpu"], w["stats"]
    return (f"{what} ({sec:.1f} s): PostgreSQL {c['pg'] / sec:.3f} cores, runners {c['runner'] / sec:.3f} cores; per second:"
            f" heartbeats {st['heartbeats'] / sec:.1f}, metric INSERTs {st['metric_inserts'] / sec:.1f} ({st['metric_rows'] / sec:.0f} rows),"
            f" queue polls {st['polls'] / sec:.1f}, statements store {st['store_calls'] / sec:.1f} + Hangfire {st['hangfire_calls'] / sec:.1f}"
            f" + BEGIN/COMMIT {st['tx_calls'] / sec:.1f}, commits {st['commits'] / sec:.1f}, WAL syncs {st['wal_sync'] / sec:.1f},"
            f" WAL {st['wal_bytes'] / sec / 1024:.1f} KiB")


def stats(args):
    """Reads pg_stat_statements, pg_stat_database and pg_stat_wal after a case into one JSON object (stdout)."""
    psql = Psql(args["port"])
    db = args["db"]
    t = time.time()  # the moment the counters are read, the end or start of the window they describe
    rows = psql.query("SELECT s.queryid, s.calls, s.total_exec_time, s.rows, regexp_replace(s.query, '\\s+', ' ', 'g') FROM pg_stat_statements s "
                      "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '%s' AND s.userid = 'ablate'::regrole "
                      "ORDER BY s.calls DESC" % db, columns=5)
    res = {f"{k}_{m}": 0 for k in ("store", "hangfire", "tx", "utility") for m in ("calls", "ms")}
    res["top"] = []
    res["heartbeats"] = res["metric_rows"] = res["metric_inserts"] = res["polls"] = 0
    for qid, calls, ms, nrows, q in rows:
        if q.startswith('UPDATE stages AS s SET "HeartbeatAt"'):
            res["heartbeats"] += int(calls)
        elif q.startswith("INSERT INTO metrics"):
            res["metric_rows"] += int(nrows)
            res["metric_inserts"] += int(calls)
        elif q.startswith('UPDATE "hangfire"."jobqueue" SET "fetchedat"'):
            res["polls"] += int(calls)
        low = q.strip().lower()
        if low.startswith(("begin", "commit", "rollback", "start transaction", "savepoint", "release")):
            kind = "tx"  # the store's and Hangfire's transactions alike
        elif "hangfire." in low or '"hangfire"' in low:
            kind = "hangfire"
        elif low.startswith(("set ", "show ", "discard", "reset", "listen", "unlisten", "notify")):
            kind = "utility"
        else:
            kind = "store"
        res[kind + "_calls"] += int(calls)
        res[kind + "_ms"] += float(ms)
        res["top"].append([int(calls), float(ms), q, qid])
    c = psql.query("SELECT xact_commit FROM pg_stat_database WHERE datname = '%s'" % db)
    res["commits"] = int(c[0][0]) if c else 0
    w = psql.query("SELECT wal_bytes, wal_sync, wal_records FROM pg_stat_wal")
    res["wal_bytes"], res["wal_sync"], res["wal_records"] = float(w[0][0]), int(w[0][1]), int(w[0][2])
    res["t"] = t
    print(json.dumps(res))


def bare(args):
    """The stage program without ablate: COUNT copies, at most LANES at a time; wall, the programs' own timings, CPU."""
    lanes, count, steps = int(args["lanes"]), int(args["count"]), args["steps"]
    env = dict(os.environ, SCALE_STEPS=str(steps), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1")
    m0, c0 = machine(), os.times()
    start = time.time()
    running, done, left = [], [], count
    while left or running:
        while left and len(running) < lanes:
            running.append((time.time(), subprocess.Popen([sys.executable, args["program"]], env=env, stdout=subprocess.PIPE, text=True)))
            left -= 1
        t, p = running.pop(0)
        out, _ = p.communicate()
        mm = {json.loads(l)["name"]: json.loads(l)["value"] for l in out.splitlines() if l.startswith("{")}
        mm["spawn_to_exit"] = time.time() - t
        done.append(mm)
    wall = time.time() - start
    m1, c1 = machine(), os.times()
    busy, idle, steal = ((m1[k] - m0[k]) / TICK for k in ("busy", "idle", "steal"))
    own = (c1.children_user + c1.children_system) - (c0.children_user + c0.children_system)
    res = {"case": args["name"], "lanes": lanes, "count": count, "span": wall,
           "prog_wall_s": statistics.mean(m["wall_s"] for m in done), "prog_work_s": statistics.mean(m["work_s"] for m in done),
           "prog_import_s": statistics.mean(m["import_s"] for m in done), "prog_cpu_s": statistics.mean(m["cpu_s"] for m in done),
           "spawn_to_exit": statistics.mean(m["spawn_to_exit"] for m in done), "prog_threads_max": max(m["threads"] for m in done),
           "cpu": {"stage": own, "other": busy - own, "idle": idle, "steal": steal, "busy": busy}}
    print(f"  {res['case']}: {count} programs, {lanes} at a time: {wall:.2f} s; program (self-timed, mean) wall {res['prog_wall_s']:.3f} s"
          f" = import {res['prog_import_s']:.3f} + work {res['prog_work_s']:.3f}, CPU {res['prog_cpu_s']:.3f} s, spawn → exit"
          f" {res['spawn_to_exit']:.3f} s, threads {res['prog_threads_max']:.0f}; CPU-s: programs {own:.2f}, other {busy - own:.2f},"
          f" idle {idle:.2f}, steal {steal:.2f}")
    with open(args["out"], "a") as f:
        f.write(json.dumps(res) + "\n")


def summary(files):
    cases = {}
    for path in files:
        for line in open(path):
            r = json.loads(line)
            cases.setdefault(r["case"], []).append(r)

    def vals(name, key, sub=None):
        out = []
        for r in cases.get(name, []):
            v = r.get(key) if sub is None else (r.get(key) or {}).get(sub)
            if v is not None and v == v:
                out.append(v)
        return out

    def med(name, key, sub=None):
        v = vals(name, key, sub)
        return statistics.median(v) if v else float("nan")

    def each(name, key, scale=1.0, nd=2):
        return "/".join(f"{v * scale:.{nd}f}" for v in vals(name, key))

    print("Summary (medians over repeats; every repeat's value after the colon)")
    if "cpu-1" in cases and "cpu-2" in cases:
        n = cases["cpu-1"][0]["succeeded"]
        t1, t2 = med("cpu-1", "span"), med("cpu-2", "span")
        pairs = [a["span"] / b["span"] for a, b in zip(cases["cpu-1"], cases["cpu-2"]) if a.get("span") and b.get("span")]
        wholes = [a["whole"] / b["whole"] for a, b in zip(cases["cpu-1"], cases["cpu-2"]) if a.get("whole") and b.get("whole")]
        print(f"(a) {n} CPU-bound stages: 1 runner {t1:.2f} s ({each('cpu-1', 'span')}), 2 runners {t2:.2f} s ({each('cpu-2', 'span')})"
              f" → ratio {t1 / t2:.2f} (per repeat {'/'.join(f'{x:.2f}' for x in pairs)}; target ≥ 1.8)")
        print(f"    submit → last finish: 1 runner {med('cpu-1', 'whole'):.2f} s, 2 runners {med('cpu-2', 'whole'):.2f} s → ratio"
              f" {med('cpu-1', 'whole') / med('cpu-2', 'whole'):.2f} (per repeat {'/'.join(f'{x:.2f}' for x in wholes)})")
        if "bare-1" in cases and "bare-2" in cases:
            b1, b2 = med("bare-1", "span"), med("bare-2", "span")
            print(f"    the program without ablate, {cases['bare-1'][0]['count']} copies: one at a time {b1:.2f} s, two at a time {b2:.2f} s → ratio"
                  f" {b1 / b2:.2f} ({each('bare-1', 'span')} vs {each('bare-2', 'span')}); its own wall {med('bare-1', 'prog_wall_s'):.3f} s alone,"
                  f" {med('bare-2', 'prog_wall_s'):.3f} s two at a time")
        w1, w2 = med("cpu-1", "prog_wall_s"), med("cpu-2", "prog_wall_s")
        o1, o2 = med("cpu-1", "outside_mean"), med("cpu-2", "outside_mean")
        print(f"    program's own wall (self-timed, mean per stage): 1 runner {w1:.3f} s ({each('cpu-1', 'prog_wall_s', nd=3)}),"
              f" 2 runners {w2:.3f} s ({each('cpu-2', 'prog_wall_s', nd=3)}), ×{w2 / w1:.3f}; its CPU {med('cpu-1', 'prog_cpu_s'):.3f} vs {med('cpu-2', 'prog_cpu_s'):.3f} s")
        print(f"    a runner's time from one stage's start to the next beyond the program: 1 runner {o1 * 1000:.1f} ms, 2 runners {o2 * 1000:.1f} ms")
        if "bare-1" in cases:
            own = med("bare-1", "spawn_to_exit") - med("bare-1", "prog_wall_s")
            print(f"    of which the program's own start and exit (bare, alone: spawn → exit {med('bare-1', 'spawn_to_exit'):.3f} s less its self-timed"
                  f" wall): {own * 1000:.1f} ms; two at a time {(med('bare-2', 'spawn_to_exit') - med('bare-2', 'prog_wall_s')) * 1000:.1f} ms")
        print(f"    2 runners: stages per runner {[sorted(r['per_runner'].values()) for r in cases['cpu-2']]}, one runner idle for the last"
              f" {each('cpu-2', 'runner_idle_tail')} s, the second runner's first start {each('cpu-2', 'runner_start_skew')} s after the first")
        # Where the ratio goes: the 2-runner span rebuilt without each loss in turn.
        half = n / 2
        slow = half * (w2 - w1)
        gap = half * (o2 - o1)
        rest = t2 - t1 / 2 - slow - gap
        print(f"    the 2-runner span {t2:.2f} s against half the 1-runner span {t1 / 2:.2f} s: {t2 - t1 / 2:.2f} s more ="
              f" program slower when two share the cores {slow:.2f} s (n/2 × Δwall) + runner's time between stages {gap:.2f} s"
              f" (n/2 × Δ) + the rest {rest:.2f} s (unequal shares, start and end)")
        print(f"    ratio without the slower program {t1 / (t2 - slow):.2f}; without that and the between-stage change {t1 / (t2 - slow - gap):.2f}")
        # An identity: span = n × (stage CPU a stage) ÷ (cores the stages got), so the ratio is (cores the stages got with 2
        # runners ÷ with 1) × (stage CPU a stage with 1 ÷ with 2). With 2 runners the 2 cores went to the stages, to this
        # bench's other processes (runners, watchdogs, PostgreSQL, sampler), to processes that are not the bench's, or idle.
        def cores(name, key):
            return statistics.median(r["cpu"][key] / r["span"] for r in cases[name] if "cpu" in r)
        s1, s2 = cores("cpu-1", "stage"), cores("cpu-2", "stage")
        c1 = statistics.median(r["cpu"]["stage"] / r["succeeded"] for r in cases["cpu-1"] if "cpu" in r)
        c2 = statistics.median(r["cpu"]["stage"] / r["succeeded"] for r in cases["cpu-2"] if "cpu" in r)
        print(f"    CPU accounting: the stages got {s1:.3f} cores with 1 runner and {s2:.3f} with 2 ({s2 / s1:.2f}×); a stage used"
              f" {c1:.3f} vs {c2:.3f} CPU-s ({c1 / c2:.3f}×) → ratio {s2 / s1 * c1 / c2:.2f} (the spans' medians give {t1 / t2:.2f})")
        for name, n_r in (("cpu-1", 1), ("cpu-2", 2)):
            own = sum(cores(name, k) for k in ("runner", "watchdog", "pg", "monitor"))
            print(f"    {name}: of {n_r} core(s) the stages could use at most, they got {cores(name, 'stage'):.3f}; the machine's 2 cores went to"
                  f" stages {cores(name, 'stage'):.3f}, runners {cores(name, 'runner'):.3f}, PostgreSQL {cores(name, 'pg'):.3f},"
                  f" sampler {cores(name, 'monitor'):.3f}, watchdogs {cores(name, 'watchdog'):.3f} (the bench's non-stage work {own:.3f}),"
                  f" other processes {cores(name, 'other'):.3f}, idle {cores(name, 'idle'):.3f}, steal {cores(name, 'steal'):.3f}")
        for name in ("cpu-1", "cpu-2"):
            keys = ("stage", "runner", "watchdog", "pg", "monitor", "other", "idle", "steal")
            c = {k: med(name, "cpu", k) for k in keys}
            span = med(name, "span")
            print(f"    {name} CPU-seconds in the span (of {2 * span:.1f}): " + ", ".join(f"{k} {c[k]:.2f}" for k in keys) +
                  f"; non-stage work of this bench {c['runner'] + c['watchdog'] + c['pg'] + c['monitor']:.2f}"
                  f" = {(c['runner'] + c['watchdog'] + c['pg'] + c['monitor']) / span:.3f} cores")
    for name in ("lat-grid", "lat-chain"):
        if name in cases:
            print(f"(b) {name}: enqueued → started p50 {med(name, 'lat_p50') * 1000:.1f} ms ({each(name, 'lat_p50', 1000, 1)}),"
                  f" p95 {med(name, 'lat_p95') * 1000:.1f} ms ({each(name, 'lat_p95', 1000, 1)}), max {med(name, 'lat_max') * 1000:.1f} ms;"
                  f" span {med(name, 'span'):.2f} s")
    noops = sorted(int(k.split("-")[1]) for k in cases if k.startswith("noop-") and k.split("-")[1].isdigit() and len(k.split("-")) == 2)
    if noops:
        conns = []
        print("(c) no-op stages, runner processes × 2 workers:")
        print("    runners | stages/s (span) | stages/s (middle 80%) | cores busy | PostgreSQL ms CPU/stage | runner ms CPU/stage | other cores | statements/stage store+Hangfire | commits/stage | WAL syncs/stage | top waits (active backends)")
        for k in noops:
            name = f"noop-{k}"
            n = cases[name][0]["succeeded"]
            pg = [r["cpu"]["pg"] / r["succeeded"] * 1000 for r in cases[name] if "cpu" in r]
            rn = [r["cpu"]["runner"] / r["succeeded"] * 1000 for r in cases[name] if "cpu" in r]
            other = [r["cpu"]["other"] / r["span"] for r in cases[name] if "cpu" in r]
            st = [(r["stats"]["store_calls"] / r["succeeded"], r["stats"]["hangfire_calls"] / r["succeeded"], r["stats"]["commits"] / r["succeeded"],
                   r["stats"]["wal_sync"] / r["succeeded"]) for r in cases[name] if "stats" in r]
            waits = {}
            for r in cases[name]:
                for w, v in (r.get("waits") or {}).items():
                    waits[w] = waits.get(w, 0) + v / len(cases[name])
            top = ", ".join(f"{w} {v:.2f}" for w, v in sorted(waits.items(), key=lambda kv: -kv[1])[:4])
            conns.append((k, max(r.get("conns_max", 0) for r in cases[name])))
            print(f"    {k} | {med(name, 'rate'):.1f} ({each(name, 'rate', nd=1)}) | {med(name, 'rate_mid'):.1f} ({each(name, 'rate_mid', nd=1)})"
                  f" | {med(name, 'cores_used'):.2f} | {statistics.median(pg):.1f} | {statistics.median(rn):.1f} | {statistics.median(other):.2f}"
                  f" | {statistics.median(s[0] for s in st):.1f}+{statistics.median(s[1] for s in st):.1f} | {statistics.median(s[2] for s in st):.1f}"
                  f" | {statistics.median(s[3] for s in st):.2f} | {top}")
        print("    connections of the bench's role at most: " + ", ".join(f"{k} runners {c}" for k, c in conns))
        for k in noops:
            idle = [r["idle"] for r in cases[f"noop-{k}"] if "idle" in r and "stats" in r["idle"]]
            if idle:
                pg = statistics.median(i["cpu"]["pg"] / i["seconds"] for i in idle)
                rn = statistics.median(i["cpu"]["runner"] / i["seconds"] for i in idle)
                polls = statistics.median(i["stats"]["polls"] / i["seconds"] for i in idle)
                hf = statistics.median(i["stats"]["hangfire_calls"] / i["seconds"] for i in idle)
                cm = statistics.median(i["stats"]["commits"] / i["seconds"] for i in idle)
                print(f"    idle, {k} runners × 2 workers ({k * 3} queue workers): PostgreSQL {pg:.3f} cores, runners {rn:.3f} cores; per second"
                      f" {polls:.1f} queue polls, {hf:.1f} Hangfire statements, {cm:.1f} commits → {pg / polls * 1000 if polls else float('nan'):.2f} ms of"
                      f" PostgreSQL CPU a poll (all idle load counted against the polls)")
        pts = [(i["stats"]["polls"] / i["seconds"], i["cpu"]["pg"] / i["seconds"], i["cpu"]["runner"] / i["seconds"] / k)
               for k in noops for r in cases[f"noop-{k}"] if "idle" in r and "stats" in r["idle"] for i in [r["idle"]]]
        if len({round(x) for x, _, _ in pts}) > 1:
            xm, ym = statistics.mean(x for x, _, _ in pts), statistics.mean(y for _, y, _ in pts)
            slope = sum((x - xm) * (y - ym) for x, y, _ in pts) / sum((x - xm) ** 2 for x, _, _ in pts)
            print(f"    idle PostgreSQL CPU against queue polls, least squares over every idle window: {slope * 1000:.3f} ms a poll"
                  f" (with the Hangfire timers of the runners that come with the polls) + {ym - slope * xm:.3f} cores of background;"
                  f" an idle runner process itself {statistics.median(z for _, _, z in pts):.3f} cores")
        for name in (k for k in cases if k.endswith("-async")):
            r, base = cases[name][0], cases[name.replace("-async", "")][0]
            print(f"    {name} (synchronous_commit=off, first repeat, diagnostic): {r['rate']:.1f} stages/s (middle 80%: {fmt(r.get('rate_mid'), 1)})"
                  f" against {base['rate']:.1f} ({fmt(base.get('rate_mid'), 1)}) with it on in the same repeat; PostgreSQL"
                  f" {r['cpu']['pg'] / r['succeeded'] * 1000:.1f} ms, runners {r['cpu']['runner'] / r['succeeded'] * 1000:.1f} ms CPU a stage;"
                  f" waits: " + ", ".join(f"{w} {v:.2f}" for w, v in list(r.get("waits", {}).items())[:4]))
        for k in (noops[0], noops[-1]):
            r = cases[f"noop-{k}"][0]
            if "stats" not in r:
                continue
            n = r["succeeded"]
            print(f"    statements by total time, {k} runner(s), first repeat (calls a stage, ms a call):")
            for calls, ms, q, *_ in sorted(r["stats"]["top"], key=lambda x: -x[1])[:8]:
                print(f"      {calls / n:5.2f} {ms / max(1, calls):8.3f}  {q[:120]}")
    for r in cases.get("running", []):
        w = r.get("steady")
        if not w or "partial" in w:
            continue
        sec, c, st = w["seconds"], w["cpu"], w["stats"]
        k = 64
        by = {}
        for calls, ms, q in st["top"]:
            by[q[:60]] = by.get(q[:60], 0) + calls
        print(f"(d) 64 stages running on 8 runners × 8 workers, default settings ({sec:.1f} s): PostgreSQL {c['pg'] / sec:.3f} cores"
              f" = {c['pg'] / sec / k * 1000:.2f} ms of CPU a second per running stage; runners {c['runner'] / sec:.3f} cores;"
              f" per running stage and second: {st['heartbeats'] / sec / k:.2f} heartbeats, {st['store_calls'] / sec / k:.2f} store +"
              f" {st['hangfire_calls'] / sec / k:.2f} Hangfire statements, {st['commits'] / sec / k:.2f} commits, {st['wal_sync'] / sec / k:.2f} WAL syncs;"
              f" queue polls {st['polls'] / sec:.1f}/s in all")
        for calls, ms, q in st["top"][:8]:
            print(f"      {calls / sec / k:6.3f}/s a stage {ms / max(1, calls):7.3f} ms  {q[:110]}")
    hb, pts = cases.get("heartbeat", []), cases.get("points", [])
    if hb:
        # PostgreSQL CPU while 16 stages run, less what the queue polls cost at the idle rate measured in the same case
        def per(rs, unit):
            out = []
            for r in rs:
                if "steady" not in r or "idle" not in r or "partial" in r["steady"]:
                    continue
                w, i = r["steady"], r["idle"]
                poll_pg = i["cpu"]["pg"] / max(1, i["stats"]["polls"])
                poll_rn = i["cpu"]["runner"] / max(1, i["stats"]["polls"])
                pg = w["cpu"]["pg"] - w["stats"]["polls"] * poll_pg
                rn = w["cpu"]["runner"] - w["stats"]["polls"] * poll_rn
                out.append((pg, rn, w["stats"], w["seconds"], w["cpu"]))
            return out
        h = per(hb, "heartbeats")
        if h:
            pg_hb = statistics.median(pg / max(1, st["heartbeats"]) for pg, _, st, _, _ in h)
            rn_hb = statistics.median(rn / max(1, st["heartbeats"]) for _, rn, st, _, _ in h)
            rate = statistics.median(st["heartbeats"] / sec for _, _, st, sec, _ in h)
            ws = statistics.median(st["wal_sync"] / max(1, st["heartbeats"]) for _, _, st, _, _ in h)
            sc = statistics.median(st["store_calls"] / max(1, st["heartbeats"]) for _, _, st, _, _ in h)
            print(f"(d) heartbeats: {rate:.0f}/s from 16 running stages (--heartbeat 0.1): {pg_hb * 1000:.2f} ms of PostgreSQL CPU and {rn_hb * 1000:.2f} ms"
                  f" of runner CPU a heartbeat (the queue polls of the same window taken off at the idle rate), {sc:.2f} store statements"
                  f" and {ws:.2f} WAL syncs a heartbeat (the WAL syncs of the whole window, polls included)")
            p = per(pts, "points")
            if p:
                def row_cost(pg, st):
                    return (pg - st["heartbeats"] * pg_hb) / max(1, st["metric_rows"])
                pg_pt = statistics.median(row_cost(pg, st) for pg, _, st, _, _ in p)
                rn_pt = statistics.median((rn - st["heartbeats"] * rn_hb) / max(1, st["metric_rows"]) for _, rn, st, _, _ in p)
                rows = statistics.median(st["metric_rows"] / sec for _, _, st, sec, _ in p)
                ins = statistics.median(st["metric_inserts"] / sec for _, _, st, sec, _ in p)
                print(f"    metric points: {rows:.0f} rows/s in {ins:.1f} INSERT statements/s from 16 stages printing points: {pg_pt * 1000:.3f} ms of PostgreSQL"
                      f" CPU and {rn_pt * 1000:.3f} ms of runner CPU a point (stdout read and parsed, batched, written; heartbeats taken off as above)")


def parse(argv):
    args, pos, i = {}, [], 0
    while i < len(argv):
        if argv[i].startswith("--"):
            args[argv[i][2:].replace("-", "_")] = argv[i + 1]
            i += 2
        else:
            pos.append(argv[i])
            i += 1
    return args, pos


if __name__ == "__main__":
    cmd, rest = sys.argv[1], sys.argv[2:]
    a, p = parse(rest)
    if cmd == "sample":
        a["out"] = p[0]
        sample(a)
    elif cmd == "case":
        a["name"] = p[0]
        case(a)
    elif cmd == "stats":
        stats(a)
    elif cmd == "bare":
        a["name"] = p[0]
        bare(a)
    elif cmd == "summary":
        summary(p)
    else:
        sys.exit(f"unknown command {cmd}")

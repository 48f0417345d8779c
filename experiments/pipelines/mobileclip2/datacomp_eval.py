#!/usr/bin/env python3
"""Runs DataComp's evaluate.py and prints its results as Ablations metric lines.

DataComp writes one JSON object per task to OUTPUT_DIR/eval_results.jsonl, with the task's `key` (e.g. imagenet1k)
and its `metrics` (acc1, acc5, mean_per_class_recall, ...). Ablations reads metrics as JSON lines on stdout, so this
prints {"name": "<key>_<metric>", "value": v} for every number there (e.g. imagenet1k_acc1), and the mean of the tasks'
`main_metric` as datacomp_avg. evaluate.py's own output goes to stderr (the stage's log).

usage: datacomp_eval.py --datacomp DIR --out OUTPUT_DIR -- EVALUATE_PY_ARGS...
"""
import argparse
import json
import math
import os
import subprocess
import sys


def metric_lines(results_path):
    main = []
    with open(results_path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                task = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{results_path}:{number}: not JSON ({e}); skipped", file=sys.stderr)
                continue
            key = task.get("key") or task.get("dataset")
            if not key:
                print(f"{results_path}:{number}: a task without 'key'; skipped", file=sys.stderr)
                continue
            for name, value in sorted((task.get("metrics") or {}).items()):
                if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
                    yield {"name": f"{key}_{name}", "value": value}
            if isinstance(task.get("main_metric"), (int, float)) and math.isfinite(task["main_metric"]):
                main.append(task["main_metric"])
    if main:
        yield {"name": "datacomp_avg", "value": sum(main) / len(main)}
        yield {"name": "datacomp_tasks", "value": len(main)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datacomp", required=True, help="the DataComp checkout (evaluate.py runs there)")
    parser.add_argument("--out", required=True, help="the output_dir given to evaluate.py")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="-- then evaluate.py's arguments")
    a = parser.parse_args()
    args = a.args[1:] if a.args[:1] == ["--"] else a.args
    done = subprocess.run([sys.executable, "evaluate.py", *args], cwd=a.datacomp, stdout=sys.stderr)
    if done.returncode != 0:
        sys.exit(done.returncode)
    results = os.path.join(a.out, "eval_results.jsonl")
    if not os.path.exists(results):
        print(f"evaluate.py wrote no {results}; was --output_dir {a.out} passed to it?", file=sys.stderr)
        sys.exit(3)
    lines = list(metric_lines(results))
    if not lines:
        print(f"{results} holds no task with numeric metrics", file=sys.stderr)
        sys.exit(3)
    for metric in lines:
        print(json.dumps(metric), flush=True)


if __name__ == "__main__":
    main()

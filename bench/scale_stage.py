"""A CPU-bound stage for bench/scale-postgres.sh: python3-torch on one thread, a fixed number of SGD steps of a
3-layer 512-wide tanh MLP on a 256-row batch (forward, backward, update). It prints its own timings as final metrics
(JSON lines on stdout): import_s (interpreter start to torch ready), work_s (the steps), wall_s (both), cpu_s (process
CPU time), threads (the process's threads at the end: 1 means torch ran on this thread alone). Run it alone with
`--steps N` to time it; `--seed=N` and other `--key=value` arguments of a grid are accepted and ignored.
"""
import os
import sys
import time

t0 = time.time()
c0 = time.process_time()
import torch  # noqa: E402

torch.set_num_threads(1)
t1 = time.time()

steps = int(os.environ.get("SCALE_STEPS", "60"))
for a in sys.argv[1:]:
    if a.startswith("--steps="):
        steps = int(a.split("=", 1)[1])
torch.manual_seed(0)
weights = [(torch.randn(512, 512) * 0.04).requires_grad_(True) for _ in range(3)]
x, y = torch.randn(256, 512), torch.randn(256, 512)
opt = torch.optim.SGD(weights, lr=1e-3)
loss = torch.zeros(())
for _ in range(steps):
    h = x
    for w in weights:
        h = torch.tanh(h @ w)
    loss = ((h - y) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
t2 = time.time()
with open("/proc/self/status") as f:
    threads = int(f.read().split("Threads:")[1].split()[0])
for name, value in (("loss", loss.item()), ("import_s", t1 - t0), ("work_s", t2 - t1), ("wall_s", t2 - t0),
                    ("cpu_s", time.process_time() - c0), ("threads", threads), ("steps", steps)):
    print('{"name": "%s", "value": %r}' % (name, float(value)))

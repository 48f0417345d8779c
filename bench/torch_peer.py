"""The PyTorch half of bench/torch-vs-pytorch.sh: the same cnn-tiny image tower, batch, loss and AdamW as
bench/Ablations.Bench/TorchPeerBenchmark.cs (see there), timed the same way. Prints the BLAS library the process
actually loaded, so a run on Debian's slow reference BLAS cannot pass for an OpenBLAS one.
Usage: python3 bench/torch_peer.py [--threads T] [--steps N] [--warmup W]"""
import argparse
import time

import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--steps", type=int, default=30)
p.add_argument("--warmup", type=int, default=5)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


def tower(widths=(16, 32, 32), out_dim=64):
    layers, in_ch = [], 3
    for i, w in enumerate(widths):
        if i > 0:
            layers.append(nn.MaxPool2d(2))
        layers += [nn.Conv2d(in_ch, w, 3, stride=2 if i == 0 else 1, padding=1), nn.GroupNorm(min(8, w), w), nn.GELU()]
        in_ch = w
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(4), nn.Flatten(1), nn.Linear(in_ch * 16, out_dim))


model = tower()
images = torch.randn(128, 3, 32, 32)
teacher = nn.functional.normalize(torch.randn(128, 64), dim=1)
labels = torch.arange(128)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
times, step_times = [], []
for step in range(a.warmup + a.steps):
    t0 = time.perf_counter()
    opt.zero_grad()
    student = nn.functional.normalize(model(images), dim=1)
    loss = nn.functional.cross_entropy(student @ teacher.t() / 0.07, labels)
    loss.backward()
    t1 = time.perf_counter()
    opt.step()
    if step >= a.warmup:
        step_times.append((time.perf_counter() - t1) * 1000)
        times.append((time.perf_counter() - t0) * 1000)
times.sort()
step_times.sort()
blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line and ".so" in line})
print(f"pytorch {torch.__version__} threads {a.threads} steps {a.steps} ms/step {times[len(times) // 2]:.2f} (optimiser {step_times[len(step_times) // 2]:.2f}) blas {' '.join(blas) or 'none found'}")

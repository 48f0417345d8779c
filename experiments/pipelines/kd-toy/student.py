"""Stage 2: a linear softmax student trained on the ground truth and the stored targets:
loss = (1 - lam) * CE(label) + lam * KL(softmax(teacher * kd_scale) || softmax(student)). Prints its loss curve."""
import argparse
import json
import math
import os
import random

from world import CLASSES, FEATURES, samples, softmax

p = argparse.ArgumentParser()
p.add_argument("--targets", required=True)
p.add_argument("--kd-scale", type=float, required=True)
p.add_argument("--lam", type=float, default=0.7)
p.add_argument("--seed", type=int, required=True)
p.add_argument("--out", required=True)
a = p.parse_args()
with open(os.path.join(a.targets, "targets.json")) as f:
    teacher = json.load(f)["logits"]
train = samples("train", 400)[:120]  # the student sees few labels: the targets carry the rest
rng = random.Random(a.seed)
w = [[rng.gauss(0, 0.1) for _ in range(FEATURES + 1)] for _ in range(CLASSES)]
for epoch in range(1, 31):
    order = list(range(len(train)))
    rng.shuffle(order)
    total = 0.0
    for i in order:
        x, y = train[i]
        x = x + [1.0]
        q = softmax([sum(wc[f] * x[f] for f in range(FEATURES + 1)) for wc in w])
        t = softmax(teacher[i], a.kd_scale)
        total += -(1 - a.lam) * math.log(q[y] + 1e-12) - a.lam * sum(tc * math.log(qc + 1e-12) for tc, qc in zip(t, q))
        for c in range(CLASSES):
            g = q[c] - (1 - a.lam) * (c == y) - a.lam * t[c]
            for f in range(FEATURES + 1):
                w[c][f] -= 0.05 * g * x[f]
    if epoch % 10 == 0:
        print(json.dumps({"name": "loss", "step": epoch, "value": total / len(train)}))
with open(os.path.join(a.out, "student.json"), "w") as f:
    json.dump({"weights": w}, f)

"""Stage 1: stored teacher targets. Each teacher is a noisy oracle of the class (its quality set by its name); the
ensemble's logits are the mean of its members'. Writes targets.json: per training sample, the ensemble's logits."""
import argparse
import json
import os
import random

from world import CLASSES, samples

QUALITY = {"weak": 0.8, "strong": 2.0}

p = argparse.ArgumentParser()
p.add_argument("--teachers", required=True, help="members joined by '+', e.g. weak+strong")
p.add_argument("--out", required=True)
a = p.parse_args()
members = a.teachers.split("+")
train = samples("train", 400)
logits = []
for i, (_, label) in enumerate(train):
    row = [0.0] * CLASSES
    for m in members:
        rng = random.Random(f"{m}-{i}")
        for c in range(CLASSES):
            row[c] += (QUALITY[m] * (c == label) + rng.gauss(0, 1)) / len(members)
    logits.append(row)
with open(os.path.join(a.out, "targets.json"), "w") as f:
    json.dump({"teachers": members, "logits": logits}, f)
agree = sum(max(range(CLASSES), key=r.__getitem__) == y for r, (_, y) in zip(logits, train)) / len(train)
print(json.dumps({"name": "top1_agreement", "value": agree}))

"""Stage 3: accuracy of a trained student on the held-out draw."""
import argparse
import json
import os

from world import FEATURES, samples

p = argparse.ArgumentParser()
p.add_argument("--student", required=True)
a = p.parse_args()
with open(os.path.join(a.student, "student.json")) as f:
    w = json.load(f)["weights"]
test = samples("test", 2000)
hits = 0
for x, y in test:
    x = x + [1.0]
    scores = [sum(wc[f] * x[f] for f in range(FEATURES + 1)) for wc in w]
    hits += max(range(len(scores)), key=scores.__getitem__) == y
print(json.dumps({"name": "accuracy", "value": hits / len(test)}))

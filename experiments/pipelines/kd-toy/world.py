"""The toy world every stage shares: samples with 8 features and one of 4 classes, drawn from a fixed stream."""
import math
import random

CLASSES, FEATURES = 4, 8


def samples(split, n):
    """n (features, label) pairs; 'train' and 'test' are different draws of one distribution."""
    rng = random.Random(f"world-{split}")
    centres = [[random.Random(f"centre-{c}-{f}").gauss(0, 1) for f in range(FEATURES)] for c in range(CLASSES)]
    out = []
    for _ in range(n):
        label = rng.randrange(CLASSES)
        out.append(([centres[label][f] + rng.gauss(0, 1.2) for f in range(FEATURES)], label))
    return out


def softmax(logits, scale=1.0):
    top = max(logits)
    exps = [math.exp((z - top) * scale) for z in logits]
    total = sum(exps)
    return [e / total for e in exps]

"""A stand-in trainer for wandb-sweep.yaml: parses the arguments a W&B agent passes and logs a made-up loss curve.

It prints W&B-style JSON lines ({"val_loss": ..., "_step": ...}); the last line, without a step, is the final value.
Replace it with your own training script: nothing here is specific to Ablations.
"""
import argparse
import json
import math

parser = argparse.ArgumentParser()
parser.add_argument("--learning_rate", type=float, default=0.01)
parser.add_argument("--batch_size", type=int, default=64)
parser.add_argument("--optimizer", type=str, default="adam")
parser.add_argument("--epochs", type=int, default=5)
args = parser.parse_args()

# A smooth toy landscape: best near lr 1e-3, slightly better with smaller batches.
distance = abs(math.log10(args.learning_rate) + 3)
loss = 0.0
for epoch in range(1, args.epochs + 1):
    loss = 0.2 + 0.5 * distance + args.batch_size / 1024 + 1.0 / epoch
    print(json.dumps({"val_loss": round(loss, 4), "_step": epoch}))
print(json.dumps({"val_loss": round(loss, 4)}))

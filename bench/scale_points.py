"""A stage for bench/scale-postgres.sh that logs metric points: RATE points a second (default 100) for SECONDS (default
10), one `loss` point per step as a JSON line on stdout, the way a training loop logs every few steps; nearly no CPU."""
import os
import sys
import time

rate, seconds = float(os.environ.get("SCALE_POINT_RATE", "100")), float(os.environ.get("SCALE_POINT_SECONDS", "10"))
start = time.time()
for step in range(int(rate * seconds)):
    sys.stdout.write('{"name": "loss", "step": %d, "value": %r}\n' % (step, 1.0 / (step + 1)))
    sys.stdout.flush()
    time.sleep(max(0.0, start + (step + 1) / rate - time.time()))
print('{"name": "points", "value": %d}' % int(rate * seconds))

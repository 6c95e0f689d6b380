"""How fast the lab trains: epochs per second of a 2-8-8-1 network on 500 points.

    .venv/bin/python -m benchmarks.lab_speed
    .venv/bin/python -m benchmarks.lab_speed --only tanh relu --batch 10 30 --epochs 5 --repeat 5

The network is :class:`activations.lab.Trainer`'s: two inputs, two hidden layers of 8
units, one output, trained by minibatch SGD on the XOR dataset. An epoch is one pass
over **500 training points** (the dataset has 1000 points, split half and half, so the
500 test points are measured too) in batches of ``--batch`` (10 is the Playground's
default), followed by the metrics (loss and accuracy on training and test points),
which costs one forward pass over all 1000 points: exactly what one epoch of the
browser demo does.

Per step the package is called five times (two hidden values, the output sigmoid, two
derivatives), so epochs per second mostly measure how fast the activation's kernels are
on small arrays (10 × 8 elements): nearly all the time is spent inside them. Each figure
is the median of ``--repeat`` timings of ``--epochs`` epochs, after one warm-up epoch,
by the wall clock and by the process's CPU time (the two agree on an idle machine; on a
busy one the CPU figure is the cost, the wall figure what a user would have seen).
Numbers are measurements, not checks: nothing fails.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Sequence

import numpy as np

from activations.lab import datasets
from activations.lab.mlp import ELEMENTWISE, Trainer

#: Activations timed by default: cheap (relu), typical (tanh, sigmoid) and the most
#: expensive smooth gates (gelu, mish).
DEFAULT = ("relu", "leaky_relu", "tanh", "sigmoid", "elu", "selu", "silu", "gelu", "mish")
TRAIN_POINTS = 500


def epochs_per_second(activation: str, batch: int, epochs: int, repeat: int) -> tuple[float, float]:
    """Median epochs per second of a fresh 2-8-8-1 trainer (same seed every time), by
    the wall clock and by this process's CPU time (steadier on a busy machine)."""
    data = datasets.make("xor", 2 * TRAIN_POINTS, noise=0.05, seed=0)
    trainer = Trainer(data, (8, 8), activation, learning_rate=0.1, batch_size=batch, seed=0)
    trainer.run(1)  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        trainer.run(epochs)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return epochs / statistics.median(wall), epochs / statistics.median(cpu)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5, help="epochs per timing (5)")
    parser.add_argument("--repeat", type=int, default=3, help="timings per figure (3)")
    parser.add_argument("--batch", type=int, nargs="+", default=[10, 30], help="batch sizes")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="activations to time")
    args = parser.parse_args(argv)
    names = args.only or list(DEFAULT)
    unknown = [n for n in names if n not in ELEMENTWISE]
    if unknown:
        parser.error(f"not elementwise activations: {', '.join(unknown)}")

    print(
        f"2-8-8-1 MLP, {TRAIN_POINTS} training points (+{TRAIN_POINTS} test), XOR, minibatch SGD;"
        f" Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}"
    )
    rows = []
    for name in names:
        for batch in args.batch:
            rate, cpu_rate = epochs_per_second(name, batch, args.epochs, args.repeat)
            steps = -(-TRAIN_POINTS // batch)
            ms = 1000 / rate
            rows.append(
                [
                    name,
                    str(batch),
                    f"{rate:.1f}",
                    f"{cpu_rate:.1f}",
                    f"{ms:.1f}",
                    f"{ms / steps:.2f}",
                ]
            )
    header = ["activation", "batch", "epochs/s", "epochs/s (CPU)", "ms/epoch", "ms/step"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for k, row in enumerate([header, *rows]):
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))
            )
        )
        if k == 0:
            print("  ".join("-" * w for w in widths))
    return 0


if __name__ == "__main__":
    sys.exit(main())

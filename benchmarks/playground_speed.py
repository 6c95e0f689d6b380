"""How fast the browser trains: epochs per second of a 2-8-8-1 network on 500 points in
Pyodide, next to CPython's figure measured in the same run.

    .venv/bin/python -m benchmarks.playground_speed                  # build the site first
    .venv/bin/python -m benchmarks.playground_speed --site /tmp/site # an existing build
    .venv/bin/python -m benchmarks.playground_speed --only tanh --epochs 5 --repeat 3

Two measurements per activation (tanh and relu by default, batch 10):

* **Pyodide** and **CPython**: :func:`benchmarks.lab_speed.epochs_per_second`, the same
  function, run once in this process and once in the browser's Python worker (its source
  is sent through the page's ``runtime.call``): a fresh 2-8-8-1 trainer on the XOR data,
  **500 training points** (+500 test points measured after each epoch), one warm-up
  epoch, then the median of ``--repeat`` timings of ``--epochs`` epochs. The ratio
  Pyodide / CPython is printed.
* **demo**: what a reader of docs/explore/playground.md gets: the page with that network
  and batch size is started with its Start button, and the epochs it completes in
  ``--seconds`` of wall-clock time are counted from its readout. The demo's datasets have
  500 points of which half train, so its epochs are of **250 training points**, and its
  time includes the chunking (a request to the worker every ~50 ms), the decision map and
  the drawing.

The site is served from its sub-path on 127.0.0.1 (``benchmarks.live_cells.offline_browser``) with
other hosts unreachable. Times are wall-clock; on a busy machine both Pythons are
slowed, which the ratio partly cancels. Numbers are measurements, not checks.
"""

from __future__ import annotations

import argparse
import inspect
import platform
import time
from pathlib import Path
from typing import Any

from benchmarks import lab_speed
from benchmarks._table import aligned
from benchmarks.live_cells import TIMEOUT_MS, offline_browser

RUNTIME = "import(document.querySelector(\"script[type=module][src*='assets/live/cells.js']\").src)"
PAGE = "explore/playground/"

#: What lab_speed.epochs_per_second needs from its module, for the worker. Pyodide's
#: time.process_time() does not advance (it stays 0, and the CPU figure would divide by
#: it), so there it is the wall clock too; only the wall-clock figure is used.
PRELUDE = f"""\
import statistics, types, time as _clock
time = types.SimpleNamespace(perf_counter=_clock.perf_counter, process_time=_clock.perf_counter)
from activations.lab import datasets
from activations.lab.mlp import Trainer
TRAIN_POINTS = {lab_speed.TRAIN_POINTS}
"""


def pyodide_rate(page: Any, activation: str, batch: int, epochs: int, repeat: int) -> float:
    """Median epochs per second of lab_speed.epochs_per_second run in the page's worker."""
    source = PRELUDE + inspect.getsource(lab_speed.epochs_per_second)
    call = f"epochs_per_second({activation!r}, {batch}, {epochs}, {repeat})[0]"
    return float(
        page.evaluate(
            f"""async (code) => {{
              const {{ runtime }} = await {RUNTIME};
              return await runtime.call(code);
            }}""",
            f"{source}\n{call}",
        )
    )


def demo_rate(page: Any, base: str, activation: str, batch: int, seconds: float) -> float:
    """Epochs per second of the playground demo's own loop, from its Start button."""
    query = f"?dataset=xor&hidden=8,8&activation={activation}&learning_rate=0.1&batch_size={batch}&seed=0"
    page.goto(base + PAGE + query)
    page.wait_for_function(
        "() => document.querySelector('[data-act-readout=epoch]')?.textContent === '0'"
        " && ![...document.querySelectorAll('.act-pg button')].some((b) => b.disabled)",
        timeout=TIMEOUT_MS,
    )
    epoch = "() => Number(document.querySelector('[data-act-widget=playground]').dataset.actEpoch)"
    page.locator(".act-pg").get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function(f"() => ({epoch})() >= 1", timeout=TIMEOUT_MS)  # warmed up
    first, started = page.evaluate(epoch), time.perf_counter()
    page.wait_for_timeout(seconds * 1000)
    last, ended = page.evaluate(epoch), time.perf_counter()
    page.locator(".act-pg").get_by_role("button", name="Pause", exact=True).click()
    return (last - first) / (ended - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--only", nargs="+", default=["tanh", "relu"], metavar="NAME")
    parser.add_argument("--batch", type=int, default=10, help="batch size (10)")
    parser.add_argument("--epochs", type=int, default=3, help="epochs per timing (3)")
    parser.add_argument("--repeat", type=int, default=3, help="timings per figure (3)")
    parser.add_argument("--seconds", type=float, default=10.0, help="demo timing (10 s)")
    args = parser.parse_args(argv)
    rows = [
        [
            "activation",
            "CPython epochs/s",
            "Pyodide epochs/s",
            "Pyodide / CPython",
            "demo epochs/s (250 pts)",
        ]
    ]
    with offline_browser(args.site) as (browser, base, _sent):
        page = browser.new_page()
        for name in args.only:
            cpython = lab_speed.epochs_per_second(name, args.batch, args.epochs, args.repeat)[0]
            page.goto(base + PAGE)  # the runtime of the page; Python starts on demand
            pyodide = pyodide_rate(page, name, args.batch, args.epochs, args.repeat)
            demo = demo_rate(page, base, name, args.batch, args.seconds)
            rows.append(
                [name, f"{cpython:.1f}", f"{pyodide:.1f}", f"{pyodide / cpython:.2f}", f"{demo:.1f}"]
            )
    print(
        f"2-8-8-1 MLP, XOR, batch {args.batch}, {lab_speed.TRAIN_POINTS} training points"
        f" (+{lab_speed.TRAIN_POINTS} test) unless said; CPython {platform.python_version()}"
        f" on {platform.machine()}, Pyodide 0.27.7 in Chromium; median of {args.repeat} x"
        f" {args.epochs} epochs"
    )
    print(aligned(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Redraws per second of a function page's explorer while a slider is dragged.

    .venv/bin/python -m benchmarks.explorer_speed              # build the site, then measure
    .venv/bin/python -m benchmarks.explorer_speed --site site  # an existing build
    .venv/bin/python -m benchmarks.explorer_speed --seconds 10 --page functions/celu/

In Chromium, on each page (by default ELU, whose f and f′ are computed in double-double
arithmetic to stay within an ulp, and leaky ReLU, a few numpy operations), on its first
slider, once Python has drawn the first curves, the slider is moved programmatically for ``--seconds`` and every completed redraw
is counted (the explorer's "act-explorer:drawn" event): one redraw is one
``runtime.call`` of ``activations.lab.curves`` (f and f′ at 601 points, in the worker)
plus the SVG update on the page. Two ways of moving the slider:

* **drag**: one input event per animation frame, as a pointer drag delivers them;
* **flood**: input events back to back, as fast as the page takes them (the explorer
  keeps at most one call in flight and draws the latest value, so most are merged).

Printed: redraws per second, the median time of the call and of the SVG update in a
redraw (the explorer reports both in its event), their ratio to the goal of 30 per second, and for
reference the peer measured in the same run: the round trip of ``runtime.call`` on a
trivial expression and on the curves call alone (median of ``--calls``), which bound
how fast any redraw can be. After each run the test checks that the last curves drawn
are for the last slider value (the latest value wins). Numbers are measurements, not
checks: nothing fails on them.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from benchmarks._table import aligned
from benchmarks.live_cells import offline_browser

GOAL = 30.0  # redraws per second (issue 6)
BOOT_MS = 300_000
RUNTIME_MODULE = (
    "import(document.querySelector(\"script[type=module][src*='assets/live/cells.js']\").src)"
)

# Move the slider for `seconds`; resolve to {draws, seconds, events, last, drawnLast}.
MOVE = """async ([mode, seconds]) => {
  const root = document.querySelector('[data-act-widget="explorer"]');
  const slider = root.querySelector('input[type="range"]');
  const plot = root.querySelector('.act-chart-plot');
  const steps = Math.round((Number(slider.max) - Number(slider.min)) / Number(slider.step));
  let draws = 0;
  const callMs = [];
  const drawMs = [];
  const count = ({ detail }) => { draws += 1; callMs.push(detail.callMs); drawMs.push(detail.drawMs); };
  root.addEventListener('act-explorer:drawn', count);
  let events = 0;
  let position = 0;
  let direction = 1;
  const move = () => {
    position += direction;
    if (position >= steps || position <= 0) direction = -direction;
    slider.value = String(Number(slider.min) + position * Number(slider.step));
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    events += 1;
  };
  const started = performance.now();
  const end = started + seconds * 1000;
  await new Promise((resolve) => {
    const next = () => {
      if (performance.now() >= end) return resolve();
      move();
      if (mode === 'drag') requestAnimationFrame(next);
      else setTimeout(next, 0);
    };
    next();
  });
  const elapsed = (performance.now() - started) / 1000;
  const countedDraws = draws;
  // Let the last call finish: the curves on screen must be the last value's.
  const last = Number(slider.value);
  await new Promise((resolve) => {
    const check = () => (plot.actParams && Object.values(plot.actParams)[0] === last ? resolve() : setTimeout(check, 20));
    check();
  });
  root.removeEventListener('act-explorer:drawn', count);
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { draws: countedDraws, seconds: elapsed, events, last, callMs: median(callMs), drawMs: median(drawMs) };
}"""

# The median round trip (ms) of runtime.call on `code`, `calls` times.
ROUND_TRIP = """async ([code, calls]) => {
  const { runtime } = await %s;
  const times = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await runtime.call(code);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}""" % RUNTIME_MODULE


def curves_code(page: Any) -> str:
    """The Python the explorer sends for its default view (the same request)."""
    spec = page.evaluate("JSON.parse(document.querySelector('[data-act-widget=\"explorer\"]').dataset.actExplorer)")
    params = {p["name"]: p["default"] for p in spec["params"]}
    lo, hi = spec["span"]
    return (
        "from activations.lab.curves import curves\n"
        f"curves({spec['name']!r}, {params!r}, {lo!r}, {hi!r}, 601)"
    )


def measure(browser: Any, url: str, seconds: float, calls: int) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        page.locator('[data-act-widget="explorer"]').hover()  # a reader reaching for it starts Python
        page.wait_for_function(
            "Number(document.querySelector('[data-act-widget=\"explorer\"]')?.dataset.actDraws || 0) >= 1",
            timeout=BOOT_MS,
        )
        page.locator('[data-act-widget="explorer"] .act-chart-plot').scroll_into_view_if_needed()
        if page.locator('[data-act-widget="explorer"] input[type="range"]').count() == 0:
            raise SystemExit(f"explorer_speed: {url} has no slider to drag")
        trivial = page.evaluate(ROUND_TRIP, ["0", calls])
        sampled = page.evaluate(ROUND_TRIP, [curves_code(page), calls])
        runs = {mode: page.evaluate(MOVE, [mode, seconds]) for mode in ("drag", "flood")}
        return {"trivial_ms": trivial, "curves_ms": sampled, **runs}
    finally:
        context.close()


def report(result: dict[str, Any]) -> str:
    bound = 1000.0 / result["curves_ms"]
    details: list[str] = []
    rows = [["measure", "per second", "ratio to the 30/s goal", "ratio to the curves-call bound"]]
    for mode, text in (("drag", "redraws, drag (1 input event per frame)"), ("flood", "redraws, flood (events back to back)")):
        run = result[mode]
        rate = run["draws"] / run["seconds"]
        rows.append([text, f"{rate:.1f}", f"{rate / GOAL:.2f}", f"{rate / bound:.2f}"])
        details.append(
            f"  {mode}: median per redraw, the call {run['callMs']:.1f} ms and the SVG update"
            f" {run['drawMs']:.1f} ms (layout and paint not included)"
        )
    rows.append(["input events, drag", f"{result['drag']['events'] / result['drag']['seconds']:.1f}", "", ""])
    rows.append(["input events, flood", f"{result['flood']['events'] / result['flood']['seconds']:.1f}", "", ""])
    lines = [aligned(rows), *details, ""]
    lines.append(f"peer, runtime.call round trip (median): trivial expression {result['trivial_ms']:.2f} ms,")
    lines.append(f"  the curves call alone {result['curves_ms']:.2f} ms (bound: {bound:.1f} calls per second)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument(
        "--page",
        action="append",
        help="a function page with a slider (repeatable; default: functions/elu/ and functions/leaky_relu/)",
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="how long each run moves the slider")
    parser.add_argument("--calls", type=int, default=50, help="round trips timed for the peer")
    args = parser.parse_args(argv)
    pages = args.page or ["functions/elu/", "functions/leaky_relu/"]
    with offline_browser(args.site) as (browser, base, _sent):
        results = {page: measure(browser, base + page, args.seconds, args.calls) for page in pages}
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min) at the end")
    for page, result in results.items():
        print(f"\nexplorer speed on {page}, {args.seconds:g} s per run (goal: {GOAL:g} redraws per second):")
        print(report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

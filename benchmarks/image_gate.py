"""Where the site's Python image stops paying: a first visit's first result with the image
and without it, over a range of connection speeds, in the same run.

    .venv/bin/python -m benchmarks.image_gate --site site
    .venv/bin/python -m benchmarks.image_gate --site site --mbps 20 40 60 --rounds 3

On a first visit the worker downloads the image the site ships (20 MB, restored in about a
second) unless the connection is slower than the runtime's ``imageMinRate``
(``site_src/live/runtime.mjs``), measured over the image's first half second; Python
then starts the ordinary way (13 MB of its own parts and the wheels, then seconds of
starting and importing, partly while they arrive). This measures, for each speed, as
``benchmarks/live_cells.py`` measures a cold visit (a fresh browser context; Run pressed as
soon as the button is there; the time from the navigation until the output is shown):
the home page's first number and a function page's first figure, with the gate forced
open (``imageMinRate`` 0: the image at any speed) and forced shut (``imageMinRate``
infinite: the image's download starts, is measured and given up, as for a reader below the
threshold). The rate is set through the page's runtime (``runtime.configure``) before
Python starts; the script fails if Python started first.

It prints the medians, and for each page the speeds at which the image came first: the
threshold belongs between the fastest speed where it did not and the slowest where it did.
The site is served as in ``live_cells.py`` (its sub-path, gzip, ``--mbps`` shared by all
requests); other hosts are unreachable. Numbers are measurements, not checks.
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import live_cells, site_report
from benchmarks._table import aligned

DEFAULT_MBPS = (20.0, 30.0, 45.0, 60.0, 90.0)
#: The gate forced open and forced shut (imageMinRate, bytes per second).
MODES = {"image": 0.0, "no image": math.inf}
PAGES = {"first number": (live_cells.HOME, False), "first figure": (live_cells.PLOT_PAGE, True)}

#: Waits for the page's cells.js, then sets imageMinRate before Python starts (the module
#: is evaluated before any idle callback can start Python; a Python already started fails).
CONFIGURE_JS = """async (minRate) => {
  const find = () => document.querySelector("script[type=module][src*='assets/live/cells.js']");
  const script = find() ?? await new Promise((resolve) => {
    new MutationObserver((_, observer) => {
      if (!find()) return;
      observer.disconnect();
      resolve(find());
    }).observe(document, { childList: true, subtree: true });
  });
  const { runtime } = await import(script.src);
  if (runtime.started) throw new Error("Python started before imageMinRate could be set");
  runtime.configure({ imageMinRate: minRate });
}"""


def first_visit(
    browser: Any, url: str, sent: list[int], figure: bool, min_rate: float
) -> tuple[float, int]:
    """A cold visit of ``url`` in a fresh context with the gate's rate set to ``min_rate``:
    (seconds until the first cell's output, bytes the server sent). Fails unless Python
    started as the rate says: from the image at 0 (no wheel downloaded), else anew."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    wheels: list[str] = []

    def note(request: Any) -> None:
        if request.url.endswith(".whl"):
            wheels.append(request.url)

    context.on("request", note)
    try:
        page = context.new_page()
        before = sent[0]
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.evaluate(CONFIGURE_JS, min_rate)
        live_cells.run_cell(page, 1)
        seconds = time.perf_counter() - started
        figures = page.locator('.act-cell[data-act-cell="1"] .act-cell-output svg').count()
        if figure and figures != 1:
            raise SystemExit("image_gate: the plotting cell showed no figure")
        if bool(wheels) != (min_rate > 0):
            how = "anew" if wheels else "from the image"
            raise SystemExit(f"image_gate: with imageMinRate {min_rate}, Python started {how}")
        return seconds, sent[0] - before
    finally:
        context.close()


Medians = dict[tuple[float, str, str], tuple[float, float]]  # (mbps, page, mode) -> (s, MB)


def sweep(site: Path, speeds: list[float], rounds: int) -> Medians:
    medians: Medians = {}
    for mbps in speeds:
        with live_cells.offline_browser(site, mbps) as (browser, base, sent):
            taken: dict[tuple[str, str], list[tuple[float, int]]] = {}
            for number in range(rounds):
                modes = list(MODES) if number % 2 == 0 else list(reversed(MODES))
                for page, (path, figure) in PAGES.items():
                    for mode in modes:
                        taken.setdefault((page, mode), []).append(
                            first_visit(browser, base + path, sent, figure, MODES[mode])
                        )
            for (page, mode), visits in taken.items():
                seconds = statistics.median(seconds for seconds, _ in visits)
                megabytes = statistics.median(sent for _, sent in visits) / 1e6
                medians[(mbps, page, mode)] = (seconds, megabytes)
        print(f"{mbps:g} Mbit/s done", flush=True)
    return medians


def report(medians: Medians, speeds: list[float], rounds: int) -> str:
    rows = [["Mbit/s", "measure", "image (s)", "no image (s)", "image / no image", "MB sent"]]
    for mbps in speeds:
        for page in PAGES:
            image, image_mb = medians[(mbps, page, "image")]
            plain, plain_mb = medians[(mbps, page, "no image")]
            rows.append(
                [
                    f"{mbps:g}",
                    page,
                    f"{image:.2f}",
                    f"{plain:.2f}",
                    f"{image / plain:.2f}",
                    f"{image_mb:.1f}, {plain_mb:.1f}",
                ]
            )
    lines = [f"a first visit, median of {rounds} rounds:", aligned(rows), ""]
    for page in PAGES:
        ahead = [
            mbps
            for mbps in speeds
            if medians[(mbps, page, "image")][0] < medians[(mbps, page, "no image")][0]
        ]
        said = ", ".join(f"{mbps:g}" for mbps in ahead) or "none"
        lines.append(f"{page}: the image came first at {said} Mbit/s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument(
        "--mbps", type=float, nargs="+", default=list(DEFAULT_MBPS), help="the speeds (Mbit/s)"
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="rounds to take the median of (default 2)"
    )
    args = parser.parse_args(argv)
    if any(mbps <= 0 for mbps in args.mbps):
        parser.error("--mbps: each speed must be above 0 (Mbit/s)")
    speeds = sorted(args.mbps)
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            print(f"built the site in {site_report.build(site):.1f} s")
        print(report(sweep(site, speeds, args.rounds), speeds, args.rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How long a reader waits for a live cell, and how many bytes it costs.

    .venv/bin/python -m benchmarks.live_cells              # build the site, 3 rounds
    .venv/bin/python -m benchmarks.live_cells --site site  # an existing build
    .venv/bin/python -m benchmarks.live_cells --rounds 5

Each round opens a fresh browser profile (empty cache) and measures, as a reader:

* **first number**: open the home page and press Run on its first cell as soon as the
  button is there; the time until the cell's output is shown (Python starts, loads numpy
  and ``activations``, runs the cell);
* **first figure**: in another fresh profile, open a function page and press Run on its
  plotting cell (as above, plus matplotlib's load and import and the first figure);
* **warm re-run**: press Run on that plotting cell again.

Times are wall-clock from the navigation (and from the click, in brackets); bytes are
what the server sent during each measurement. The site is served from its sub-path on
127.0.0.1 like GitHub Pages serves it (gzip for text types; see
``benchmarks/site_report.py``); other hosts are unreachable (a refusing proxy). Numbers
are measurements, not checks: nothing fails on them. The median of the rounds is printed.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from benchmarks import site_report
from benchmarks._table import aligned

HOME = ""
PLOT_PAGE = "functions/relu/"
TIMEOUT_MS = 300_000
# Another host is unreachable: a proxy on the discard port, bypassed for 127.0.0.1.
OFFLINE_ARGS = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1"]


# -- a server that counts what it sends ------------------------------------------------------
class _CountingHandler(site_report._GzipHandler):
    sent: list[int]  # one counter, shared by the server's threads

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:  # type: ignore[override]
        while chunk := source.read(64 * 1024):
            outputfile.write(chunk)
            self.sent[0] += len(chunk)


@contextmanager
def serve(site_dir: Path) -> Iterator[tuple[str, list[int]]]:
    """The site at its sub-path, and the running count of body bytes sent."""
    sent = [0]
    handler = type("Handler", (_CountingHandler,), {"sent": sent})
    with tempfile.TemporaryDirectory() as root:
        mount = Path(root) / site_report.site_subpath().strip("/")
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(site_dir.resolve(), target_is_directory=True)
        httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=root)
        )
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}{site_report.site_subpath()}", sent
        finally:
            httpd.shutdown()
            httpd.server_close()


# -- measuring -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    seconds: float  # from the navigation (or from the click, for a re-run)
    after_click: float
    bytes: int


def run_cell(page: Any, number: int) -> float:
    """Press Run on cell ``number`` as soon as it is there; the click's time."""
    cell = page.locator(f'.act-cell[data-act-cell="{number}"]')
    button = cell.get_by_role("button", name="Run", exact=True)
    button.wait_for(timeout=TIMEOUT_MS)
    runs = int(cell.get_attribute("data-act-runs") or 0)
    clicked = time.perf_counter()
    button.dispatch_event("click")  # no scrolling or waiting for a still page
    page.wait_for_function(
        '([number, runs]) => Number(document.querySelector(`.act-cell[data-act-cell="${number}"]`)'
        ".dataset.actRuns || 0) > runs",
        arg=[number, runs],
        timeout=TIMEOUT_MS,
    )
    state = cell.get_attribute("data-act-state")
    if state != "done":
        raise SystemExit(f"live_cells: cell {number} ended {state}: {cell.inner_text()}")
    return clicked


def cold(browser: Any, url: str, sent: list[int], number: int, figure: bool) -> tuple[Measure, Any]:
    """A fresh profile opens ``url`` and runs a cell; the context stays open."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    before = sent[0]
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    clicked = run_cell(page, number)
    done = time.perf_counter()
    if (
        figure
        and page.locator(f'.act-cell[data-act-cell="{number}"] .act-cell-output svg').count() != 1
    ):
        raise SystemExit("live_cells: the plotting cell showed no figure")
    return Measure(done - started, done - clicked, sent[0] - before), context


def warm(context: Any, sent: list[int], number: int) -> Measure:
    page = context.pages[0]
    before = sent[0]
    clicked = run_cell(page, number)
    done = time.perf_counter()
    return Measure(done - clicked, done - clicked, sent[0] - before)


def round_of_measures(browser: Any, base: str, sent: list[int]) -> dict[str, Measure]:
    first_number, context = cold(browser, base + HOME, sent, 1, figure=False)
    context.close()
    first_figure, context = cold(browser, base + PLOT_PAGE, sent, 1, figure=True)
    try:
        rerun = warm(context, sent, 1)
    finally:
        context.close()
    return {
        "first number (cold)": first_number,
        "first figure (cold)": first_figure,
        "re-run of the figure (warm)": rerun,
    }


def report(rounds: list[dict[str, Measure]]) -> str:
    rows = [["measure", "seconds", "after the click", "MB sent"]]
    for name in rounds[0]:
        measures = [r[name] for r in rounds]
        rows.append(
            [
                name,
                f"{statistics.median(m.seconds for m in measures):.2f}",
                f"{statistics.median(m.after_click for m in measures):.2f}",
                f"{statistics.median(m.bytes for m in measures) / 1e6:.2f}",
            ]
        )
    return aligned(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds to take the median of (default 3)"
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            print(f"built the site in {site_report.build(site):.1f} s")
        with serve(site) as (base, sent), sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=site_report.CHROMIUM,
                args=site_report.CHROMIUM_ARGS + OFFLINE_ARGS,
                headless=True,
            )
            try:
                rounds = [round_of_measures(browser, base, sent) for _ in range(args.rounds)]
            finally:
                browser.close()
    print(f"live cells, median of {args.rounds} rounds (home page cell 1; {PLOT_PAGE} cell 1):")
    print(report(rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

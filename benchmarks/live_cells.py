"""How long a reader waits for a live cell, and how many bytes it costs.

    .venv/bin/python -m benchmarks.live_cells              # build the site, 3 rounds
    .venv/bin/python -m benchmarks.live_cells --site site  # an existing build
    .venv/bin/python -m benchmarks.live_cells --rounds 5 --mbps 50

Each round measures, as a reader:

* **first number (cold)**: a fresh browser profile (empty caches, no service worker)
  opens the home page and presses Run on its first cell as soon as the button is there;
  the time until the cell's output is shown (Python starts from the Python image the site
  ships, ``site_src/live/image.mjs``, with numpy, ``activations`` and pyplot imported,
  and runs the cell);
* **first figure (cold)**: in another fresh profile, the same on a function page's
  plotting cell (as above, plus the first figure);
* **re-run of the figure (warm)**: Run on that plotting cell again (the median of
  :data:`RERUNS` re-runs);
* **image kept**: the first visit's page, left idle, keeps the image Python started from
  for the next visits (a site without one makes one): the time from the last re-run until
  the browser has it (waited for, so that the next visit is a later one);
* **first number / first figure (cached visit)**: in that second profile, whose service
  worker now holds the ``pyodide/`` files and whose Cache Storage holds the image, a new
  page load of each page, measured as the cold ones: the peer of each cached measure is
  its cold one, and the ratio cached/cold is printed (the goal: at most
  :data:`CACHED_GOAL`).

Times are wall-clock from the navigation (and from the click, in brackets); "MB network"
is what the server sent during the measurement, "MB service worker" what the service
worker answered (from its cache, or on a first visit from the network: both are counted
then). The site is served from its sub-path on 127.0.0.1 like GitHub Pages serves it
(gzip for text types, ``Cache-Control: max-age=600``; see ``benchmarks/site_report.py``);
``--mbps`` limits the server to a reader's bandwidth (shared by all requests; default:
unlimited, which flatters the cold start). Other hosts are unreachable (a refusing proxy).
Numbers are measurements, not checks: nothing fails on them. The median of the rounds
is printed.
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
RERUNS = 5
CACHED_GOAL = 0.4  # cached visit / cold visit
WARM_GOAL_MS = 100  # re-run of a plotting cell
IMAGE_PREFIX = "activations-python-image-"  # site_src/live/image.mjs
# Another host is unreachable: a proxy on the discard port, bypassed for 127.0.0.1.
OFFLINE_ARGS = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1"]


# -- a server that counts what it sends ------------------------------------------------------
class Link:
    """A reader's connection: ``mbps`` megabits per second shared by every response."""

    def __init__(self, mbps: float) -> None:
        self.mbps = mbps
        self.lock = threading.Lock()
        self.free_at = 0.0

    def send(self, size: int) -> None:
        """Wait until ``size`` more bytes would have gone through the link."""
        if not self.mbps:
            return
        with self.lock:
            start = max(self.free_at, time.perf_counter())
            self.free_at = start + size * 8 / (self.mbps * 1e6)
            wait = self.free_at - time.perf_counter()
        if wait > 0:
            time.sleep(wait)


class CountingHandler(site_report._GzipHandler):
    """The files, gzip-compressed for text types, with the ``Cache-Control`` GitHub Pages
    sends; counts the body bytes sent, at the pace of ``link``."""

    sent: list[int]  # one counter, shared by the server's threads
    link: Link

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        super().end_headers()

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:  # type: ignore[override]
        while chunk := source.read(64 * 1024):
            self.link.send(len(chunk))
            try:
                outputfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                return  # the browser gave the download up (the image over a slow link)
            self.sent[0] += len(chunk)


@contextmanager
def serve(site_dir: Path, mbps: float = 0.0) -> Iterator[tuple[str, list[int]]]:
    """The site at its sub-path, and the running count of body bytes sent."""
    sent = [0]
    handler = type("Handler", (CountingHandler,), {"sent": sent, "link": Link(mbps)})
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


@contextmanager
def offline_browser(site: Path | None, mbps: float = 0.0) -> Iterator[tuple[Any, str, list[int]]]:
    """Chromium, with every other host refused, and the site at its sub-path (``site``: a
    built site, or None to build one now): (browser, the site's URL, bytes sent so far)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        if site is None:
            site = Path(scratch) / "site"
            print(f"built the site in {site_report.build(site):.1f} s")
        with serve(site, mbps) as (base, sent), sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=site_report.CHROMIUM,
                args=site_report.CHROMIUM_ARGS + OFFLINE_ARGS,
                headless=True,
            )
            try:
                yield browser, base, sent
            finally:
                browser.close()


# -- measuring -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    seconds: float  # from the navigation (or from the click, for a re-run)
    after_click: float
    network: int  # bytes the server sent
    service_worker: int  # bytes of the responses the service worker gave


class _Answers:
    """Counts the bytes of the responses a context's service worker gives."""

    def __init__(self, context: Any) -> None:
        self.bytes = 0
        context.on("response", self._count)

    def _count(self, response: Any) -> None:
        if response.from_service_worker:
            self.bytes += int(response.headers.get("content-length") or 0)


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


def visit(
    context: Any, answers: _Answers, url: str, sent: list[int], figure: bool
) -> tuple[Measure, Any]:
    """Open ``url`` in a new page of ``context`` and run its first cell; the page stays open."""
    page = context.new_page()
    before, answered = sent[0], answers.bytes
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    clicked = run_cell(page, 1)
    done = time.perf_counter()
    if figure and page.locator('.act-cell[data-act-cell="1"] .act-cell-output svg').count() != 1:
        raise SystemExit("live_cells: the plotting cell showed no figure")
    measure = Measure(done - started, done - clicked, sent[0] - before, answers.bytes - answered)
    return measure, page


def rerun(page: Any, answers: _Answers, sent: list[int]) -> Measure:
    """The median of RERUNS re-runs of the page's first cell, Python idle before each.

    Timed in the page, from the click to the cell's "act-cell:done" event (its output is
    in the page by then), so that Playwright's own round trips are not counted.
    """
    cell = page.locator('.act-cell[data-act-cell="1"]')
    button = cell.get_by_role("button", name="Run", exact=True)
    times = []
    before, answered = sent[0], answers.bytes
    for _ in range(RERUNS):
        page.wait_for_timeout(2000)  # the warm-up steps (imports, rehearsals) are over
        milliseconds = button.evaluate(
            """(button) => new Promise((resolve) => {
              const cell = button.closest(".act-cell");
              const started = performance.now();
              const done = () => resolve(performance.now() - started);
              cell.addEventListener("act-cell:done", done, { once: true });
              button.click();
            })"""
        )
        if cell.get_attribute("data-act-state") != "done":
            raise SystemExit("live_cells: the re-run did not end done")
        times.append(milliseconds / 1000)
    seconds = statistics.median(times)
    return Measure(seconds, seconds, sent[0] - before, answers.bytes - answered)


def wait_for_image(page: Any) -> float:
    """Seconds until the browser of ``page`` keeps a whole Python image (its "meta" entry is
    written last), which the page's runtime has kept (or made) when the page is idle."""
    started = time.perf_counter()
    while not page.evaluate(
        """async (prefix) => {
          for (const name of await caches.keys()) {
            if (name.startsWith(prefix) && (await (await caches.open(name)).match(`${location.origin}/python-image/meta`))) return true;
          }
          return false;
        }""",
        IMAGE_PREFIX,
    ):
        if time.perf_counter() - started > TIMEOUT_MS / 1000:
            raise SystemExit("live_cells: the first visit kept no Python image")
        page.wait_for_timeout(250)
    return time.perf_counter() - started


def round_of_measures(browser: Any, base: str, sent: list[int]) -> dict[str, Measure]:
    measures: dict[str, Measure] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        cold, _ = visit(context, _Answers(context), base + HOME, sent, False)
        measures["first number (cold)"] = cold
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    answers = _Answers(context)
    try:
        cold, page = visit(context, answers, base + PLOT_PAGE, sent, True)
        measures["first figure (cold)"] = cold
        measures["re-run of the figure (warm)"] = rerun(page, answers, sent)
        seconds = wait_for_image(page)
        measures["image kept (background, idle page)"] = Measure(seconds, seconds, 0, 0)
        page.close()
        for name, path, figure in (("number", HOME, False), ("figure", PLOT_PAGE, True)):
            measure, page = visit(context, answers, base + path, sent, figure)
            measures[f"first {name} (cached visit)"] = measure
            page.close()
    finally:
        context.close()
    return measures


def report(rounds: list[dict[str, Measure]]) -> str:
    rows = [["measure", "seconds", "after the click", "MB network", "MB service worker"]]
    medians: dict[str, float] = {}
    for name in rounds[0]:
        measures = [r[name] for r in rounds]
        medians[name] = statistics.median(m.seconds for m in measures)
        rows.append(
            [
                name,
                f"{medians[name]:.3f}" if "warm" in name else f"{medians[name]:.2f}",
                f"{statistics.median(m.after_click for m in measures):.2f}",
                f"{statistics.median(m.network for m in measures) / 1e6:.2f}",
                f"{statistics.median(m.service_worker for m in measures) / 1e6:.2f}",
            ]
        )
    lines = [aligned(rows), ""]
    for what in ("number", "figure"):
        ratio = medians[f"first {what} (cached visit)"] / medians[f"first {what} (cold)"]
        lines.append(
            f"first {what}: cached visit / cold = {ratio:.2f} (goal <= {CACHED_GOAL}: "
            f"{'met' if ratio <= CACHED_GOAL else 'missed'})"
        )
    warm_ms = medians["re-run of the figure (warm)"] * 1000
    lines.append(
        f"re-run of the figure: {warm_ms:.0f} ms (goal <= {WARM_GOAL_MS} ms: "
        f"{'met' if warm_ms <= WARM_GOAL_MS else 'missed'}); "
        f"warm / cold first figure = {warm_ms / 1000 / medians['first figure (cold)']:.3f}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds to take the median of (default 3)"
    )
    parser.add_argument(
        "--mbps", type=float, default=0.0, help="the reader's bandwidth (default: unlimited)"
    )
    args = parser.parse_args(argv)
    with offline_browser(args.site, args.mbps) as (browser, base, sent):
        rounds = [round_of_measures(browser, base, sent) for _ in range(args.rounds)]
    link = f"{args.mbps:g} Mbit/s" if args.mbps else "unlimited bandwidth"
    print(
        f"live cells, median of {args.rounds} rounds, {link} "
        f"(home page cell 1; {PLOT_PAGE} cell 1):"
    )
    print(report(rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

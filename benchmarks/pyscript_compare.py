"""Our live cells against PyScript's py-editor: the same plotting cell, in the same run.

    .venv/bin/python -m benchmarks.pyscript_compare                # build the site, 3 rounds
    .venv/bin/python -m benchmarks.pyscript_compare --site site    # an existing build
    .venv/bin/python -m benchmarks.pyscript_compare --rounds 5
    .venv/bin/python -m benchmarks.pyscript_compare --site site --mbps 50

**The peer.** PyScript's ``@pyscript/core`` (npm, the version in package.json:
:data:`PYSCRIPT_VERSION`), whose default Pyodide is the site's (checked, see
:func:`pyscript_pyodide_version`). A page of one ``<script type="py-editor">`` runs, in
PyScript's worker, the plotting cell of :data:`PLOT_PAGE` (cell :data:`PLOT_CELL`), read
from the built page, with PyScript's way of showing a matplotlib figure added around it
(``from pyscript import display`` before; after, ``display(plt.gcf(), target="figure",
append=False)`` into an element under the editor, since a py-editor's worker has no current
element, and ``plt.close("all")``, as our kernel forgets its figures): PyScript draws the
figure as a PNG image, we draw SVG. Its config points PyScript at the site's own
``pyodide/`` folder (``"interpreter"``: the URL of ``pyodide.mjs``) and names
the packages, ``numpy``, ``matplotlib`` and ``activations``, with
``"packages_cache": "passthrough"``: PyScript then hands them to ``loadPyodide``, which
takes them from that folder's lock file, wheels included (the ``activations`` wheel too),
with no micropip and no network. (PyScript's default path installs them with micropip,
which is not in our folder, and stores micropip's lock in IndexedDB for later visits; with
every package already in the lock, that cache has nothing left to save.)

**Served alike.** One local server (``http.server``, gzip for text types, as in
``benchmarks/site_report.py``) serves the site at its sub-path and the PyScript page next
to it; the PyScript page's ``pyodide/`` is a symlink to the site's, so both load the same
files, with the same ``Cache-Control: max-age=600`` (what GitHub Pages sends), so a second
visit finds what the first one stored in the HTTP cache. ``--mbps`` gives the server a
reader's bandwidth, shared by all its responses (``benchmarks/live_cells.py``); by default
it is unlimited, so that a cold visit costs only what the browser does, not what it
downloads: the measure least kind to a cache. Only the PyScript page's responses
carry ``Cross-Origin-Opener-Policy: same-origin`` and ``Cross-Origin-Embedder-Policy:
require-corp``: PyScript's worker reaches the page's ``document`` (for ``display``) through
a SharedArrayBuffer, which needs cross-origin isolation. GitHub Pages cannot send those
headers, so the site is measured as it is published, not isolated (isolated, our worker
would also arm Python's interrupt buffer for Stop, which Pages readers never pay for).

Chromium (the flags of the other benchmarks) starts on a fresh profile on disk for each
peer in each round, with a proxy for every host but 127.0.0.1 that refuses every request.
The requests of the pages, their workers and service workers to other hosts are counted
(Playwright's request events) and must be zero: the script fails otherwise. The proxy's
list of hosts is printed too; it has the browser's own background requests (its update and
account services), which no page makes.

**Measures**, for each peer, in each round (the order of the peers alternates from round
to round):

* **cold**: open the page, press Run on the cell as soon as the button is there; time from
  the navigation until the figure is on the page (in our cell's output; in PyScript's
  element under the editor): Python starts, loads numpy, matplotlib and ``activations``
  (ours: restores the Python image the site ships, ``site_src/live/image.mjs``, in which
  they are imported; 16 MB more to download) and runs the cell. Times are taken in the page
  (``performance.now()``, from the navigation; a MutationObserver notes the moment the
  figure is inserted), so Playwright's own delays are not in them;
* **re-run at once**: press Run again on that page as soon as the figure is there; time
  from the click to the new figure. The browser is still compiling the drawing code's hot
  paths to fast machine code then (it does so only once they have run a few times);
* **warm re-run**: the page left alone for :data:`WARM_PAUSE_S` (a reader looking at the
  figure, or editing the code), then the same: the measure the goal is about. Our worker
  uses such pauses to rehearse a drawing (``kernel.rehearse``);
* **idle**: the page is left alone before the next visit: ours until the browser keeps
  the Python image for later visits, which the runtime does once a page is idle (the
  time it took is printed), PyScript's for
  :data:`PYSCRIPT_IDLE_S` (it keeps nothing more for being left alone);
* **cached visit**: open the page again in the same browser (HTTP cache, a service
  worker and Cache Storage if the site has them) and do as for cold.

The medians of the rounds are printed, then the ratios against the goals of issue 5:
ours cold / PyScript cold ≤ 0.6, ours cached / ours cold ≤ 0.4, our warm re-run ≤ 100 ms
(the re-run at once is printed beside it).
Numbers are measurements, not checks: nothing fails on them.
"""

from __future__ import annotations

import argparse
import functools
import html.parser
import http.server
import json
import re
import statistics
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks import live_cells, site_report
from benchmarks._table import aligned

ROOT = Path(__file__).resolve().parent.parent
PYSCRIPT_PACKAGE = ROOT / "node_modules" / "@pyscript" / "core"
#: The release of PyScript compared with; package.json pins it, this checks the install.
PYSCRIPT_VERSION = "0.6.66"
PLOT_PAGE = "functions/gelu/"
PLOT_CELL = 1
#: Where the PyScript page is served, next to the site's sub-path.
PYSCRIPT_PATH = "/pyscript-bench/"
#: The id of the element under the py-editor where ``display`` puts the figure.
FIGURE_ID = "figure"
TIMEOUT_MS = 300_000
#: On the PyScript page's responses only: the cross-origin isolation its worker needs.
ISOLATION_HEADERS = (
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Embedder-Policy", "require-corp"),
)
GOALS = {"cold": 0.6, "cached": 0.4, "warm_ms": 100.0}
PYSCRIPT_IDLE_S = 10.0
#: The pause before the warm re-run: under the 3 s after which our page starts keeping
#: its Python image (runtime.mjs, imageIdleMs), which would share the CPU.
WARM_PAUSE_S = 2.0


# -- the PyScript page -----------------------------------------------------------------------
class _CellCode(html.parser.HTMLParser):
    """The text of the first ``<code>`` inside ``.act-cell[data-act-cell=N]``."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = str(number)
        self.in_cell = self.in_code = self.done = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "div" and values.get("data-act-cell") == self.number:
            self.in_cell = True
        elif tag == "code" and self.in_cell and not self.done:
            self.in_code = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self.in_code:
            self.in_code, self.done = False, True

    def handle_data(self, data: str) -> None:
        if self.in_code:
            self.parts.append(data)


def plotting_cell(site: Path, page: str = PLOT_PAGE, number: int = PLOT_CELL) -> str:
    """The code of live cell ``number`` of ``page`` in the built ``site``."""
    path = site / page / "index.html"
    if not path.is_file():
        raise SystemExit(f"pyscript_compare: {path} is missing: is {site} a build of this site?")
    parser = _CellCode(number)
    parser.feed(path.read_text(encoding="utf-8"))
    code = "".join(parser.parts).strip()
    if "plt." not in code:
        raise SystemExit(f"pyscript_compare: cell {number} of {page} does not plot: {code!r}")
    return code


def pyscript_cell(code: str) -> str:
    """``code`` with PyScript's way of showing the figure (and forgetting it, as we do).

    In a py-editor, ``display`` needs a target (there is no current element in its
    worker): the element :data:`FIGURE_ID` right under the editor, whose figure each run
    replaces."""
    return (
        f"from pyscript import display\n{code}\n"
        f'display(plt.gcf(), target="{FIGURE_ID}", append=False)\nplt.close("all")\n'
    )


def pyscript_pyodide_version(package: Path = PYSCRIPT_PACKAGE) -> str:
    """The Pyodide release that PyScript's bundle loads when no ``interpreter`` is given."""
    installed = json.loads((package / "package.json").read_text())["version"]
    if installed != PYSCRIPT_VERSION:
        raise SystemExit(
            f"pyscript_compare: node_modules has @pyscript/core {installed}, "
            f"this benchmark compares with {PYSCRIPT_VERSION}: run scripts/setup (npm ci)"
        )
    pattern = re.compile(r'type:"pyodide",module:\(\w+="([0-9.]+)"\)')
    bundles = (package / "dist").glob("core-*.js")
    found = {version for bundle in bundles for version in pattern.findall(bundle.read_text())}
    if len(found) != 1:
        raise SystemExit(f"pyscript_compare: PyScript's default Pyodide: {found or 'not found'}")
    return found.pop()


def site_pyodide_version(site: Path) -> str:
    lock = site / "pyodide" / "pyodide-lock.json"
    if not lock.is_file():
        raise SystemExit(f"pyscript_compare: {lock} is missing: is {site} a build of this site?")
    return str(json.loads(lock.read_text())["info"]["version"])


def pyscript_page(code: str) -> str:
    """The HTML of the PyScript page: one py-editor with ``code`` and its config."""
    if "</script" in code.lower():
        raise ValueError("the cell's code contains '</script', which would end the script element")
    config = {
        "interpreter": "pyodide/pyodide.mjs",
        "packages": ["numpy", "matplotlib", "activations"],
        "packages_cache": "passthrough",
    }
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>PyScript py-editor: the plotting cell</title>\n"
        '<link rel="icon" href="data:,">\n'  # no request for /favicon.ico
        '<link rel="stylesheet" href="pyscript/core.css">\n'
        '<script type="module" src="pyscript/core.js"></script>\n'
        "</head>\n<body>\n"
        f'<script type="py-editor" config="{html.escape(json.dumps(config))}">\n{code}</script>\n'
        f'<div id="{FIGURE_ID}"></div>\n'
        "</body>\n</html>\n"
    )


def assemble(root: Path, site: Path, code: str) -> Path:
    """Write the PyScript page under ``root`` (its folder is returned): ``index.html``,
    ``pyscript/`` (PyScript's bundle from node_modules) and ``pyodide/`` (the site's)."""
    folder = root / PYSCRIPT_PATH.strip("/")
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(pyscript_page(pyscript_cell(code)), encoding="utf-8")
    (folder / "pyscript").symlink_to(PYSCRIPT_PACKAGE / "dist", target_is_directory=True)
    (folder / "pyodide").symlink_to((site / "pyodide").resolve(), target_is_directory=True)
    return folder


# -- serving both ----------------------------------------------------------------------------
class _Handler(live_cells.CountingHandler):
    """As the other benchmarks serve the site (gzip for text types, ``Cache-Control:
    max-age=600``, a bandwidth shared by every response), with :data:`ISOLATION_HEADERS`
    under :data:`PYSCRIPT_PATH`."""

    def end_headers(self) -> None:
        if urlsplit(self.path).path.startswith(PYSCRIPT_PATH):
            for name, value in ISOLATION_HEADERS:
                self.send_header(name, value)
        super().end_headers()


class _RefusingProxy(http.server.BaseHTTPRequestHandler):
    """The browser's proxy for every host but 127.0.0.1: notes the host, refuses the request.

    Chromium sends here every request for another host, the pages' (and their workers')
    and its own background ones alike; ``CONNECT host:443`` for https."""

    refused: list[str]

    def refuse(self) -> None:
        # CONNECT names host:port; a plain http request names a whole URL.
        self.refused.append(self.path if self.command == "CONNECT" else urlsplit(self.path).netloc)
        self.send_error(403, "no requests to other hosts in this benchmark")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_CONNECT = refuse

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


@dataclass(frozen=True)
class Served:
    ours: str  # the plotting page of the site
    pyscript: str  # the PyScript page
    sent: list[int]  # body bytes sent so far
    refused_hosts: list[str]  # of the requests for other hosts, refused by the proxy
    browser_args: list[str]  # Chromium's flags, with the refusing proxy


@contextmanager
def _running(server: http.server.ThreadingHTTPServer) -> Iterator[int]:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve(site: Path, mbps: float = 0.0) -> Iterator[Served]:
    """The site at its sub-path and the PyScript page at :data:`PYSCRIPT_PATH`, on one
    server, whose responses share ``mbps`` megabits per second (0: unlimited); and a proxy
    that refuses (and notes) every request for another host."""
    sent: list[int] = [0]
    refused_hosts: list[str] = []
    handler = type("Handler", (_Handler,), {"sent": sent, "link": live_cells.Link(mbps)})
    proxy = type("Proxy", (_RefusingProxy,), {"refused": refused_hosts})
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        mount = root / site_report.site_subpath().strip("/")
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(site.resolve(), target_is_directory=True)
        assemble(root, site, plotting_cell(site))
        files = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
        )
        refusing = http.server.ThreadingHTTPServer(("127.0.0.1", 0), proxy)
        with _running(files) as port, _running(refusing) as proxy_port:
            origin = f"http://127.0.0.1:{port}"
            yield Served(
                ours=origin + site_report.site_subpath() + PLOT_PAGE,
                pyscript=origin + PYSCRIPT_PATH,
                sent=sent,
                refused_hosts=refused_hosts,
                browser_args=[
                    *site_report.CHROMIUM_ARGS,
                    f"--proxy-server=http://127.0.0.1:{proxy_port}",
                    "--proxy-bypass-list=127.0.0.1",
                ],
            )


# -- measuring in the page -------------------------------------------------------------------
#: Per peer: the Run button; a token taken before the click; after it, whether the figure
#: of this run is shown; whether the run has ended (throwing if it ended without a figure).
PEERS_JS = {
    "ours": f"""{{
      cell: () => document.querySelector('.act-cell[data-act-cell="{PLOT_CELL}"]'),
      svg() {{
        return this.cell().querySelector('.act-cell-output[data-act-output="live"] figure svg');
      }},
      button() {{ return this.cell()?.querySelector("button.act-cell-run"); }},
      before() {{ return {{ runs: Number(this.cell().dataset.actRuns || 0), svg: this.svg() }}; }},
      figure(before) {{ const svg = this.svg(); return svg !== before.svg && svg; }},
      ended(before) {{
        const cell = this.cell();
        if (Number(cell.dataset.actRuns || 0) <= before.runs) return false;
        if (cell.dataset.actState !== "done" || !this.figure(before))
          throw new Error(`the cell ended ${{cell.dataset.actState}}: ${{cell.innerText}}`);
        return true;
      }},
    }}""",
    "PyScript": """{
      img: () => document.querySelector("#%s img"),
      button: () => document.querySelector(".py-editor-run-button"),
      before() { return this.img(); },
      figure(before) { const img = this.img(); return img !== before && img; },
      ended(before) {
        if (this.button().classList.contains("running")) return false;
        if (!this.figure(before))
          throw new Error(`the run ended without a figure: ${document.body.innerText}`);
        return true;
      },
    }""" % FIGURE_ID,
}

#: Wait for the Run button, press it, note when the figure is inserted and wait for the run
#: to end. Returns {clicked, shown} in ms from the navigation (performance.now()).
MEASURE_JS = """async ([peer, timeout]) => {
  const deadline = performance.now() + timeout;
  const until = (test, what) => new Promise((resolve, reject) => {
    let observer, timer;
    const finish = () => { observer.disconnect(); clearInterval(timer); };
    const check = () => {
      let value;
      try { value = test(); } catch (error) { finish(); reject(error); return; }
      if (value) { finish(); resolve(value); }
      else if (performance.now() > deadline) { finish(); reject(new Error(`timed out: ${what}`)); }
    };
    observer = new MutationObserver(check);
    const everything = { subtree: true, childList: true, attributes: true, characterData: true };
    observer.observe(document, everything);
    timer = setInterval(check, 50);
    check();
  });
  const button = await until(() => peer.button(), "the Run button");
  const before = peer.before();
  const clicked = performance.now();
  button.click();
  await until(() => peer.figure(before), "the figure");
  const shown = performance.now();
  await until(() => peer.ended(before), "the end of the run");
  return { clicked, shown };
}"""


@dataclass(frozen=True)
class Shown:
    seconds: float  # from the navigation to the figure (for a re-run: from the click)
    after_click: float
    bytes: int


class RunFailed(RuntimeError):
    """A peer's cell did not show its figure: the message says why, as far as the page knows."""


@dataclass(frozen=True)
class Browsing:
    """A page of a browser on a fresh profile, and what it did that it should not have."""

    page: Any
    elsewhere: list[str]  # URLs its pages, workers and service workers asked of other hosts
    errors: list[str]  # the page's console errors and uncaught exceptions


def press_run(
    browsing: Browsing,
    peer: str,
    sent: list[int],
    navigate_to: str | None = None,
    timeout_ms: int = TIMEOUT_MS,
) -> Shown:
    """Press Run (after opening ``navigate_to``, if given) and time the figure."""
    before = sent[0]
    if navigate_to:
        browsing.page.goto(navigate_to, wait_until="commit")
    script = f"(timeout) => ({MEASURE_JS})([{PEERS_JS[peer]}, timeout])"
    try:
        times = browsing.page.evaluate(script, timeout_ms)
    except Exception as error:  # Playwright's Error: the page threw, or timed out
        errors = "; ".join(browsing.errors[-5:]) or "none"
        raise RunFailed(f"{peer}: {error}\nthe page's last errors: {errors}") from error
    after_click = (times["shown"] - times["clicked"]) / 1000
    seconds = times["shown"] / 1000 if navigate_to else after_click
    return Shown(seconds, after_click, sent[0] - before)


@contextmanager
def fresh_profile(chromium: Any, served: Served) -> Iterator[Browsing]:
    """A page of a browser started on a new profile, on disk as a reader's is (Playwright's
    ``new_context()`` keeps its HTTP cache in memory, which stores no file above a few MB,
    such as ``pyodide.asm.wasm``, so a second visit would download them again).
    ``chromium`` is Playwright's ``BrowserType``."""
    elsewhere: list[str] = []
    errors: list[str] = []

    def note(request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            elsewhere.append(request.url)

    def console(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    with tempfile.TemporaryDirectory() as profile:
        context = chromium.launch_persistent_context(
            profile,
            executable_path=site_report.CHROMIUM,
            args=served.browser_args,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        try:
            context.on("request", note)
            page = context.pages[0] if context.pages else context.new_page()
            page.on("console", console)
            page.on("pageerror", lambda error: errors.append(str(error)))
            yield Browsing(page, elsewhere, errors)
        finally:
            context.close()


@dataclass(frozen=True)
class PeerRun:
    """One peer's measures in one round, and what its pages asked of other hosts."""

    shown: dict[str, Shown]
    elsewhere: list[str]
    idle: float  # seconds the page was left alone before the cached visit


def measure_peer(chromium: Any, served: Served, peer: str) -> PeerRun:
    """Cold, re-runs (at once, then warm) and cached visit of one peer, on a fresh
    browser profile."""
    url = served.ours if peer == "ours" else served.pyscript
    with fresh_profile(chromium, served) as browsing:
        cold = press_run(browsing, peer, served.sent, navigate_to=url)
        at_once = press_run(browsing, peer, served.sent)
        browsing.page.wait_for_timeout(WARM_PAUSE_S * 1000)
        warm = press_run(browsing, peer, served.sent)
        if peer == "ours":
            idle = live_cells.wait_for_image(browsing.page)
        else:
            idle = PYSCRIPT_IDLE_S
            browsing.page.wait_for_timeout(idle * 1000)
        cached = press_run(browsing, peer, served.sent, navigate_to=url)
    shown = {"cold": cold, "at_once": at_once, "warm": warm, "cached": cached}
    return PeerRun(shown, browsing.elsewhere, idle)


# -- the report ------------------------------------------------------------------------------
PEERS = ("ours", "PyScript")
MEASURES = {
    "cold": "first figure, cold",
    "at_once": "re-run at once",
    "warm": f"re-run after {WARM_PAUSE_S:.0f} s (warm)",
    "cached": "first figure, cached visit",
}
Rounds = list[dict[str, dict[str, Shown]]]  # per round, per peer, per measure


def median(rounds: Rounds, peer: str, measure: str) -> Shown:
    values = [one_round[peer][measure] for one_round in rounds]
    return Shown(
        statistics.median(v.seconds for v in values),
        statistics.median(v.after_click for v in values),
        int(statistics.median(v.bytes for v in values)),
    )


def report(rounds: Rounds, image_seconds: list[float]) -> str:
    """The medians of both peers, then the ratios against the goals of issue 5;
    ``image_seconds``: how long our pages took to keep their image, per round."""
    rows = [["measure", "peer", "seconds", "after the click", "MB sent"]]
    for measure, label in MEASURES.items():
        for peer in PEERS:
            shown = median(rounds, peer, measure)
            seconds, after_click = f"{shown.seconds:.3f}", f"{shown.after_click:.3f}"
            rows.append([label, peer, seconds, after_click, f"{shown.bytes / 1e6:.2f}"])
    ours = {m: median(rounds, "ours", m).seconds for m in MEASURES}
    theirs = {m: median(rounds, "PyScript", m).seconds for m in MEASURES}
    ratios = [["ratio", "measured", "goal", ""]]
    for name, value, goal in (
        ("ours cold / PyScript cold", ours["cold"] / theirs["cold"], GOALS["cold"]),
        ("ours cached / ours cold", ours["cached"] / ours["cold"], GOALS["cached"]),
    ):
        ratios.append([name, f"{value:.2f}", f"≤ {goal}", "met" if value <= goal else "MISSED"])
    warm_ms = ours["warm"] * 1000
    verdict = "met" if warm_ms <= GOALS["warm_ms"] else "MISSED"
    warm_goal = f"≤ {GOALS['warm_ms']:.0f}"
    ratios.append(["our warm re-run (ms)", f"{warm_ms:.0f}", warm_goal, verdict])
    at_once_ms = ours["at_once"] * 1000
    ratios.append(["our re-run at once (ms)", f"{at_once_ms:.0f}", "", "(for reference)"])
    reference = theirs["cached"] / theirs["cold"]
    ratios.append(["PyScript cached / PyScript cold", f"{reference:.2f}", "", "(for reference)"])
    idle = (
        f"left idle before the cached visit: ours until its Python image was kept "
        f"(median {statistics.median(image_seconds):.1f} s after the warm re-run), "
        f"PyScript's {PYSCRIPT_IDLE_S:.0f} s"
    )
    return aligned(rows, left=2) + "\n\n" + idle + "\n\n" + aligned(ratios)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds to take the median of (default 3)"
    )
    parser.add_argument(
        "--mbps",
        type=float,
        default=0.0,
        help="the reader's bandwidth in Mbit/s, shared by all responses (default 0: unlimited)",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, not {args.rounds}")
    if args.mbps < 0:
        parser.error(f"--mbps must be 0 (unlimited) or more, not {args.mbps:g}")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            print(f"built the site in {site_report.build(site):.1f} s")
        ours_pyodide, their_default = site_pyodide_version(site), pyscript_pyodide_version()
        print(
            f"PyScript {PYSCRIPT_VERSION} (default Pyodide {their_default}) and the site "
            f"(Pyodide {ours_pyodide}), both on the site's pyodide/; {PLOT_PAGE} cell {PLOT_CELL}; "
            + (f"served at {args.mbps:g} Mbit/s" if args.mbps else "bandwidth unlimited")
        )
        rounds: Rounds = []
        elsewhere: list[str] = []  # from the pages: must stay empty
        image_seconds: list[float] = []
        with serve(site, args.mbps) as served, sync_playwright() as playwright:
            for number in range(args.rounds):
                order = ("ours", "PyScript") if number % 2 == 0 else ("PyScript", "ours")
                measured = {}
                for peer in order:
                    run = measure_peer(playwright.chromium, served, peer)
                    measured[peer] = run.shown
                    elsewhere += run.elsewhere
                    if peer == "ours":
                        image_seconds.append(run.idle)
                rounds.append(measured)
                done = f"round {number + 1} of {args.rounds} done ({' then '.join(order)})"
                print(done, flush=True)
            refused = sorted(set(served.refused_hosts))
    print(f"\nmedian of {args.rounds} rounds:")
    print(report(rounds, image_seconds))
    print(f"\nrequests from the pages to other hosts: {len(elsewhere)} (must be 0)")
    print(
        "hosts refused at the proxy (the pages' and the browser's own background requests): "
        + (", ".join(refused) or "none")
    )
    if elsewhere:
        print("\n".join(sorted(set(elsewhere))))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

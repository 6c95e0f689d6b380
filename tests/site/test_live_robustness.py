"""Live cells against what a reader can throw at them, in a real browser (Chromium through
Playwright, the built site on 127.0.0.1, nothing from other hosts): Stop, with and without
Pyodide's interrupt buffer; a crash of Python itself; memory bombs; ten megabytes of
printing; and Material's instant navigation, which keeps one Python for the whole visit.

Stop interrupts Python (KeyboardInterrupt, variables kept) only on a cross-origin isolated
page, which needs two response headers that GitHub Pages cannot send: the tests of
:class:`TestCrossOriginIsolated` serve the same build with them. Everywhere else Stop
replaces the worker and runs again the page's completed cells (test_live_cells.py tests
that path on a plain page; here it is the fallback when Python does not answer).
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_src.live import kernel

from .conftest import BuiltSite, Server, _Handler, site_subpath
from .livepage import BOOT_MS, RUNTIME_MODULE, Live
from .test_publish import _free_port, _project_copy, _script_env, _stop

HOME = ""  # two cells
OTHER = "functions/relu/"  # one cell; the home page links to it in its text
ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
}
#: While a cell runs, no task keeps the page's main thread busy for longer than this (ms).
RESPONSIVE_MS = 500
#: An endless loop that says when Python is in it; and one in C code, which never
#: returns to the interpreter (so never sees an interrupt).
RUNAWAY = 'print("looping", flush=True)\nwhile True:\n    pass'
STUCK_IN_C = 'print("summing", flush=True)\nsum(range(10**15))'


# -- helpers -------------------------------------------------------------------------------
def status(live: Live, number: int) -> str:
    return str(live.cell(number).locator(".act-cell-status").inner_text())


def wait_for_status(live: Live, number: int, text: str, timeout: int = BOOT_MS) -> None:
    live.page.wait_for_function(
        '([number, text]) => document.querySelector(`.act-cell[data-act-cell="${number}"]'
        " .act-cell-status`)?.textContent.includes(text)",
        arg=[number, text],
        timeout=timeout,
    )


def start(live: Live, number: int, code: str, printed: str = "") -> int:
    """Type ``code`` into the cell, press Run, wait until it runs, and until its output is
    ``printed`` if given (Python is past that print: a run may wait for its turn first);
    the cell's count of runs before this one."""
    live.set_code(number, code)
    cell = live.cell(number)
    runs = int(cell.get_attribute("data-act-runs") or 0)
    cell.get_by_role("button", name="Run", exact=True).click()
    # Running, or already done (a quick error): its status said "Running" only a moment.
    live.page.wait_for_function(
        '([number, runs]) => { const cell = document.querySelector(`.act-cell[data-act-cell="${number}"]`);'
        " return cell.querySelector('.act-cell-status').textContent.includes('Running')"
        " || Number(cell.dataset.actRuns || 0) > runs; }",
        arg=[number, runs],
        timeout=BOOT_MS,
    )
    if printed:
        live.page.wait_for_function(
            '([number, printed]) => document.querySelector(`.act-cell[data-act-cell="${number}"]'
            " .act-cell-output`).textContent === printed",
            arg=[number, printed],
            timeout=BOOT_MS,
        )
    return runs


def press_stop(live: Live, number: int, runs: int) -> tuple[float, float]:
    """Press the cell's Stop; seconds until the run ended, as the page measured them (from
    the click to the cell's act-cell:done event) and as the test did (with the latency of
    driving the browser)."""
    cell = live.cell(number)
    stop = cell.get_by_role("button", name="Stop", exact=True)
    assert stop.is_enabled()
    cell.evaluate(
        """(cell) => {
          const stop = cell.querySelector('.act-cell-stop');
          stop.addEventListener('click', () => { cell.actStopped = performance.now(); }, { once: true });
          cell.addEventListener('act-cell:done', () => { cell.actDone = performance.now(); }, { once: true });
        }"""
    )
    started = time.monotonic()
    stop.click()
    live.wait_for_runs(number, runs + 1, timeout=10_000)
    seen = time.monotonic() - started
    in_page = cell.evaluate("(cell) => (cell.actDone - cell.actStopped) / 1000")
    return float(in_page), seen


@dataclass
class Responsiveness:
    """How the page answered while a cell ran (ms)."""

    busy: float  # its main thread's longest task (0: none over 50 ms, the "long task" floor)
    gap: float  # the longest gap between ticks of a 10 ms timer (a loaded machine widens it)
    round_trip: float  # the test's slowest round trip to the page (through DevTools)

    def __str__(self) -> str:
        return (
            f"longest task {self.busy:.0f} ms, timer gap {self.gap:.0f} ms,"
            f" round trip {self.round_trip:.0f} ms"
        )


def responsiveness_until_done(live: Live, number: int, runs: int) -> Responsiveness:
    """Watch the page until the cell's run ends."""
    live.page.evaluate(
        """() => {
          const watch = (window.actWatch = { last: performance.now(), gap: 0, busy: 0 });
          watch.timer = setInterval(() => {
            const now = performance.now();
            watch.gap = Math.max(watch.gap, now - watch.last);
            watch.last = now;
          }, 10);
          watch.tasks = new PerformanceObserver((list) => {
            for (const task of list.getEntries()) watch.busy = Math.max(watch.busy, task.duration);
          });
          watch.tasks.observe({ type: "longtask" });
        }"""
    )
    round_trip = 0.0
    while int(live.cell(number).get_attribute("data-act-runs") or 0) <= runs:
        started = time.monotonic()
        live.page.evaluate("() => new Promise((done) => setTimeout(done, 0))")
        round_trip = max(round_trip, (time.monotonic() - started) * 1000)
        live.page.wait_for_timeout(50)
    busy, gap = live.page.evaluate(
        """() => {
          clearInterval(actWatch.timer);
          for (const task of actWatch.tasks.takeRecords()) actWatch.busy = Math.max(actWatch.busy, task.duration);
          actWatch.tasks.disconnect();
          return [actWatch.busy, actWatch.gap];
        }"""
    )
    return Responsiveness(float(busy), float(gap), round_trip)


def define_x(live: Live) -> None:
    """Cell 1 of the home page defines x = 41."""
    live.goto(HOME)
    live.set_code(1, "x = 41")
    assert live.run(1) == "done"


def x_plus_one_is_42(live: Live, number: int = 2) -> None:
    live.set_code(number, "print(x + 1)")
    assert live.run(number) == "done", live.output(number)
    assert live.output(number) == "42\n"


def follow_link(live: Live, path: str, cells: int) -> None:
    """Click a visible link to ``path``, as a reader does (Material's instant navigation
    takes the click), and wait for the ``cells`` live cells of that page to be mounted."""
    live.page.evaluate(
        "() => { for (const cell of document.querySelectorAll('.act-cell')) cell.actLeft = true; }"
    )
    # Material's instant navigation makes every link's href absolute.
    live.page.locator(f'a[href="{live.server.base + path}"]:visible').first.click()
    live.page.wait_for_function(
        """([url, count]) => {
          const cells = [...document.querySelectorAll('.act-cell')];
          return location.href === url && cells.length === count && cells.every((c) => !c.actLeft && c.dataset.actState);
        }""",
        arg=[live.server.base + path, cells],
        timeout=30_000,
    )


@pytest.fixture(autouse=True)
def count_python_starts(request: pytest.FixtureRequest) -> None:
    """For the tests in a browser, window.actWorkers: how many Python workers the page
    created (one per start of Python; requests are no measure, as the service worker may
    answer them)."""
    if "live" not in request.fixturenames:
        return
    live = request.getfixturevalue("live")
    live.context.add_init_script(
        """(() => {
          const Plain = window.Worker;
          window.actWorkers = 0;
          window.Worker = class extends Plain {
            constructor(url, options) {
              super(url, options);
              if (String(url).includes('/assets/live/worker')) window.actWorkers += 1;
            }
          };
        })();"""
    )


def python_starts(live: Live) -> int:
    return int(live.page.evaluate("window.actWorkers"))


def mark_the_visit(live: Live) -> None:
    """window.actVisit survives instant navigation, not a page load; window.actPages counts
    Material's document$ emissions (1 at once: it replays the current page)."""
    live.page.evaluate(
        "() => { window.actVisit = 'one'; window.actPages = 0;"
        " document$.subscribe(() => { window.actPages += 1; }); }"
    )


# -- the kernel's printed output (CPython, no browser) ------------------------------------------
def test_flush_sends_what_was_printed_at_once() -> None:
    """print(..., flush=True) is a message of its own at once (RUNAWAY relies on it), and
    the cap holds however the text comes."""
    messages: list[dict[str, str]] = []
    session = kernel.Session()
    assert session.run('print("a", flush=True)\nprint("b")', 1, messages.append)
    assert [m["text"] for m in messages] == ["a\n", "b\n"]
    messages.clear()
    assert session.run('for _ in range(10_000):\n    print("y" * 99)', 1, messages.append)
    stdout = "".join(m["text"] for m in messages if m["name"] == "stdout")
    assert stdout == ("y" * 99 + "\n") * (kernel.STREAM_LIMIT // 100)
    assert messages[-1] == {
        "type": "stream",
        "name": "stderr",
        "text": f"\n[output truncated: {1_000_000 - kernel.STREAM_LIMIT:,} more characters not shown]\n",
    }


# -- Stop on a plain page (no isolation): the interrupt buffer is not used ---------------------
def test_a_plain_page_is_not_isolated_and_stop_restarts(live: Live) -> None:
    define_x(live)
    assert live.page.evaluate("self.crossOriginIsolated") is False
    runs = start(live, 2, RUNAWAY, "looping\n")
    stopped_in, seen = press_stop(live, 2, runs)
    assert live.cell(2).get_attribute("data-act-state") == "stopped"
    assert stopped_in < 1.0, f"Stop took {stopped_in:.2f} s ({seen:.2f} s seen from the test)"
    assert "KeyboardInterrupt" not in live.output(2)
    wait_for_status(live, 2, "restarted")
    x_plus_one_is_42(live)
    assert python_starts(live) == 2, "Stop on a plain page starts a new Python"


# -- Python crashes, a stray error, memory bombs, huge prints (plain page) -------------------
def test_a_crash_of_python_restarts_it_with_the_variables(live: Live) -> None:
    """A WebAssembly memory fault is a fatal error of Pyodide: it can run nothing more. The
    runtime notices (the worker says so), starts a new Python, runs cell 1 again."""
    define_x(live)
    live.set_code(2, "import ctypes\nctypes.string_at(2**32 - 16, 64)")
    assert live.run(2) == "stopped"
    assert "Python crashed: memory access out of bounds." in live.output(2)
    wait_for_status(live, 2, "restarted")
    assert "ran again the 1 cell that had run" in status(live, 2), status(live, 2)
    x_plus_one_is_42(live)
    assert python_starts(live) == 2


def test_an_error_outside_any_run_leaves_python_usable(live: Live) -> None:
    """A callback of the reader's code that raises after its cell ended is an uncaught
    error of the worker: Python is still fine, and keeps its variables."""
    define_x(live)
    live.set_code(
        2,
        "from js import setTimeout\nfrom pyodide.ffi import create_once_callable\n"
        "setTimeout(create_once_callable(lambda: 1 / 0), 0)",
    )
    assert live.run(2) == "done"
    live.page.wait_for_timeout(1000)
    x_plus_one_is_42(live)
    assert python_starts(live) == 1


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (
            "blob = bytearray(4 * 10**9)",
            "OverflowError: cannot fit 'int' into an index-sized integer",
        ),
        ("blocks = [bytearray(10**9) for _ in range(10)]", "MemoryError"),
        ("import numpy as np\nnp.ones(10**10)", "ValueError: Maximum allowed dimension exceeded"),
        (
            "import numpy as np\nblocks = [np.ones(10**8) for _ in range(100)]",
            "numpy._core._exceptions._ArrayMemoryError: Unable to allocate 763. MiB",
        ),
    ],
    ids=["bytearray-4GB", "bytearrays-until-full", "numpy-10G-elements", "numpy-until-full"],
)
def test_a_memory_bomb_is_a_clean_error_and_the_page_stays_responsive(
    live: Live, code: str, error: str
) -> None:
    """WebAssembly has 4 GB at most: Python refuses a bigger object at once, and a cell
    that fills the memory gets MemoryError (numpy's is a subclass). The page answers
    meanwhile; the namespace survives."""
    define_x(live)
    runs = start(live, 2, code)
    page = responsiveness_until_done(live, 2, runs)
    assert live.cell(2).get_attribute("data-act-state") == "error", live.output(2)
    traceback = live.cell(2).locator(".act-cell-error").inner_text()
    assert traceback.startswith("Traceback (most recent call last):"), traceback
    last_line = traceback.rstrip().splitlines()[-1]
    assert last_line.startswith(error), traceback
    assert page.busy < RESPONSIVE_MS, f"the page was busy: {page}"
    print(f"\n{code!r}: {last_line}; {page}")
    x_plus_one_is_42(live)
    assert python_starts(live) == 1


@pytest.mark.parametrize(
    ("code", "printed"),
    [
        ('print("x" * 10_000_000)', 10_000_001),  # with its newline
        ('for i in range(100_000):\n    print(f"{i:>99}")', 10_000_000),
    ],
    ids=["one-print", "100k-lines"],
)
def test_ten_megabytes_of_printing_are_cut_with_a_note(live: Live, code: str, printed: int) -> None:
    live.goto(HOME)
    runs = start(live, 1, code)
    page = responsiveness_until_done(live, 1, runs)
    assert live.cell(1).get_attribute("data-act-state") == "done"
    output = live.cell(1).locator(".act-cell-output")
    shown = output.locator(".act-cell-stdout").evaluate("(block) => block.textContent.length")
    assert shown == kernel.STREAM_LIMIT
    note = output.locator(".act-cell-stderr")
    assert note.is_visible()
    assert note.inner_text().strip() == (
        f"[output truncated: {printed - kernel.STREAM_LIMIT:,} more characters not shown]"
    )
    total = output.evaluate("(element) => element.textContent.length")
    assert total < kernel.STREAM_LIMIT + 100, total
    assert page.busy < RESPONSIVE_MS, f"the page was busy: {page}"
    print(f"\n{code!r}: {total:,} characters on the page; {page}")


# -- instant navigation: one Python for the visit, a namespace per page ------------------------
def test_instant_navigation_keeps_one_python_and_gives_each_page_a_namespace(live: Live) -> None:
    def wasm_downloads() -> int:  # served by the test server (not by the service worker)
        return sum(path.endswith("/pyodide.asm.wasm") for path, _ in live.server.requests)

    before = wasm_downloads()
    define_x(live)
    mark_the_visit(live)
    follow_link(live, OTHER, 1)
    live.set_code(1, "print('x' in globals())")
    assert live.run(1) == "done" and live.output(1) == "False\n", "page A's x on page B"
    follow_link(live, HOME, 2)
    assert live.page.evaluate("[window.actVisit, window.actPages]") == ["one", 3], (
        "a page was loaded, or document$ did not fire for each page"
    )
    live.set_code(2, "y = 1\nprint('x' in globals(), y)")
    assert live.run(2) == "done" and live.output(2) == "False 1\n"
    live.set_code(1, "x = 41")
    assert live.run(1) == "done"
    x_plus_one_is_42(live)
    assert python_starts(live) == 1, f"Python started {python_starts(live)} times in one visit"
    assert wasm_downloads() - before == 1


def leave_a_runaway_cell(live: Live) -> None:
    """Start an endless loop on the home page, follow a link to another page while it runs:
    that page's cell must run at once."""
    define_x(live)
    mark_the_visit(live)
    start(live, 2, RUNAWAY, "looping\n")
    follow_link(live, OTHER, 1)
    live.set_code(1, "print('x' in globals(), 6 * 7)")
    assert live.run(1) == "done", live.output(1)
    assert live.output(1) == "False 42\n"
    assert live.page.evaluate("window.actVisit") == "one", "a page was loaded, not navigated to"


def test_leaving_a_page_stops_its_run(live: Live) -> None:
    leave_a_runaway_cell(live)
    assert python_starts(live) == 2, "the loop's worker was not replaced"


# -- Stop on a cross-origin isolated page: the interrupt buffer ---------------------------------
class _IsolatingHandler(_Handler):
    def end_headers(self) -> None:
        for name, value in ISOLATION_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()


class TestCrossOriginIsolated:
    """The same build, served with COOP and COEP: the page is cross-origin isolated."""

    @pytest.fixture(scope="class")
    def server(
        self, built_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[Server]:
        """Overrides conftest's server for this class (and so the `live` fixture's)."""
        root = tmp_path_factory.mktemp("isolated-www")
        subpath = site_subpath().strip("/")
        mount = root / subpath
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(built_site.path, target_is_directory=True)
        requests: list[tuple[str, int]] = []
        handler = type("Handler", (_IsolatingHandler,), {"record": requests})
        httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
        )
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{httpd.server_address[1]}"
        try:
            yield Server(base=f"{origin}/{subpath}/", origin=origin, requests=requests)
        finally:
            httpd.shutdown()
            httpd.server_close()

    def test_stop_interrupts_python_and_keeps_the_variables(self, live: Live) -> None:
        define_x(live)
        assert live.page.evaluate("self.crossOriginIsolated") is True
        runs = start(live, 2, RUNAWAY, "looping\n")
        live.page.wait_for_timeout(300)
        stopped_in, seen = press_stop(live, 2, runs)
        assert live.cell(2).get_attribute("data-act-state") == "stopped"
        assert stopped_in < 1.0, f"Stop took {stopped_in:.2f} s ({seen:.2f} s seen from the test)"
        traceback = live.cell(2).locator(".act-cell-error").inner_text()
        assert 'File "<cell 2>", line ' in traceback, traceback
        assert traceback.rstrip().endswith("KeyboardInterrupt"), traceback
        assert "Python was interrupted and kept its variables." in status(live, 2)
        x_plus_one_is_42(live)
        assert python_starts(live) == 1, "Stop restarted Python instead of interrupting it"
        print(
            f"\nStop (interrupt): {stopped_in * 1000:.0f} ms in the page, {seen * 1000:.0f} ms seen from the test"
        )

    def test_python_stuck_in_c_code_is_restarted_instead(self, live: Live) -> None:
        """sum() over a range never returns to the interpreter loop, so it never sees the
        interrupt: after interruptMs the worker is replaced, as on a plain page."""
        define_x(live)
        runs = start(live, 2, STUCK_IN_C, "summing\n")
        stopped_in, seen = press_stop(live, 2, runs)
        assert live.cell(2).get_attribute("data-act-state") == "stopped"
        assert stopped_in < 1.0, f"Stop took {stopped_in:.2f} s ({seen:.2f} s seen from the test)"
        wait_for_status(live, 2, "restarted")
        assert "ran again the 1 cell that had run" in status(live, 2), status(live, 2)
        x_plus_one_is_42(live)
        assert python_starts(live) == 2
        print(
            f"\nStop (restart after the interrupt went unanswered): {stopped_in * 1000:.0f} ms"
            f" in the page, {seen * 1000:.0f} ms seen from the test"
        )

    def test_a_stop_also_cancels_the_runs_waiting_their_turn(self, live: Live) -> None:
        """Stop ends whatever runs or waits: a run queued behind the loop never starts,
        and a run sent after the Stop works."""
        define_x(live)
        outcome = live.page.evaluate(
            f"""async () => {{
              const {{ runtime }} = await {RUNTIME_MODULE};
              const settle = (promise) => promise.then((r) => 'ok ' + r.ok, (e) => e.name + ': ' + e.message);
              const loop = settle(runtime.run('while True:\\n    pass', {{ cell: 7 }}));
              const waiting = settle(runtime.run('x = 0', {{ cell: 8 }}));
              await new Promise((done) => setTimeout(done, 500));
              runtime.stop();
              const after = settle(runtime.run('x += 1', {{ cell: 9 }}));
              return [await loop, await waiting, await after];
            }}"""
        )
        stopped = "StoppedError: Stopped. Python was interrupted and kept its variables."
        assert outcome == [stopped, stopped, "ok true"], outcome
        live.set_code(2, "print(x)")
        assert live.run(2) == "done" and live.output(2) == "42\n", "x = 0 ran after the Stop"
        assert python_starts(live) == 1

    def test_leaving_a_page_interrupts_its_run(self, live: Live) -> None:
        leave_a_runaway_cell(live)
        assert python_starts(live) == 1, (
            "leaving the page restarted Python instead of interrupting it"
        )


# -- scripts/serve --isolated ------------------------------------------------------------------
def test_serve_isolated_sends_the_isolation_headers(tmp_path: Path) -> None:
    """scripts/serve --isolated: mkdocs serve with COOP and COEP on every response (a
    copy of the project, as test_publish.py runs scripts/serve)."""
    project = _project_copy(tmp_path)
    port = _free_port()
    process = subprocess.Popen(
        ["scripts/serve", "--isolated", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_script_env(),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}{site_subpath()}"
    headers: dict[str, dict[str, str]] = {}
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None and not headers:
            try:
                for path in ("", "assets/live/worker.js", "pyodide/pyodide.asm.wasm"):
                    with urllib.request.urlopen(base + path, timeout=5) as response:
                        headers[path] = dict(response.headers)
            except OSError:
                headers.clear()
                time.sleep(0.5)
    finally:
        log = _stop(process)
    assert len(headers) == 3, f"{base} never answered:\n{log}"
    for path, received in headers.items():
        for name, value in ISOLATION_HEADERS.items():
            assert received.get(name) == value, (path, received)

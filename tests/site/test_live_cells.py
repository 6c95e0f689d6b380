"""Live cells in a real browser (Debian's Chromium through Playwright): the built site is
served on 127.0.0.1 with every request to another host blocked, and asserted absent, so
Pyodide, its wheels and the editor all come from the site itself.

The cells are driven as a reader drives them (typing into the editor, the Run, Stop,
Reset and Retry buttons, Shift+Enter), except where a test needs the promise API of
the runtime directly (runtime.mjs, exported by assets/live/cells.js).
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pytest

import activations
from activations import VectorActivation

from .conftest import BuiltSite, Server
from .livepage import BOOT_MS, RUNTIME_MODULE, Live, follow_link, serious_violations

HOME = ""
PLOT_PAGE = "functions/relu/"  # its cell is below the fold on a desktop screen

# -- without JavaScript ----------------------------------------------------------------
def test_cells_show_code_and_output_without_javascript(server: Server, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.base)
        cell = page.locator('.act-cell[data-act-cell="1"]')
        assert "import activations" in cell.locator(".highlight code").inner_text()
        assert "passes on" in cell.locator(".act-cell-output").inner_text()
        assert cell.locator("button").count() == 0, "buttons without a script to run them"
        page.goto(server.base + PLOT_PAGE)
        figure = page.locator(".act-cell .act-cell-output figure.act-cell-figure svg")
        assert figure.count() == 1 and figure.locator("path").count() > 5
    finally:
        context.close()


# -- loading ---------------------------------------------------------------------------
def test_nothing_of_pyodide_loads_until_a_cell_is_on_screen(live: Live) -> None:
    live.goto(PLOT_PAGE)
    live.page.wait_for_timeout(3000)
    assert not [u for u in live.requests if "/pyodide/" in u], (
        "Pyodide loaded for a cell off screen"
    )
    assert not [u for u in live.requests if "/assets/live/editor-" in u], (
        "CodeMirror loaded for a cell off screen"
    )
    live.cell(1).scroll_into_view_if_needed()
    live.cell(1).locator(".cm-editor").wait_for(timeout=30_000)
    deadline = time.monotonic() + 30
    while not any(u.endswith("/pyodide.mjs") for u in live.requests):
        assert time.monotonic() < deadline, (
            "Pyodide did not start loading once the cell was on screen"
        )
        live.page.wait_for_timeout(200)


def test_a_failed_download_says_so_and_retry_recovers(live: Live) -> None:
    live.context.route("**/pyodide/pyodide.asm.wasm", lambda route: route.abort())
    live.goto(HOME)
    assert live.run(1) == "failed"
    status = live.cell(1).locator(".act-cell-status").inner_text()
    assert "Could not download pyodide.asm.wasm" in status, status
    retry = live.cell(1).get_by_role("button", name="Retry", exact=True)
    assert retry.is_visible()
    live.context.unroute("**/pyodide/pyodide.asm.wasm")
    runs = int(live.cell(1).get_attribute("data-act-runs"))
    retry.click()
    live.wait_for_runs(1, runs + 1)
    assert live.cell(1).get_attribute("data-act-state") == "done"
    assert "passes on" in live.output(1)
    assert not retry.is_visible()


def test_a_stalled_download_says_so(live: Live) -> None:
    hanging: list[Any] = []  # requests never answered
    live.context.route("**/pyodide/pyodide.asm.wasm", lambda route: hanging.append(route))
    live.goto(PLOT_PAGE)  # no cell on screen: nothing starts before the stall limit is set
    live.page.evaluate(f"async () => (await {RUNTIME_MODULE}).runtime.configure({{ stallMs: 1500 }})")
    assert live.run(1) == "failed"
    status = live.cell(1).locator(".act-cell-status").inner_text()
    assert "The download of pyodide.asm.wasm stalled: nothing arrived for 1.5 s." in status, status
    assert live.cell(1).get_by_role("button", name="Retry", exact=True).is_visible()


@pytest.mark.parametrize(
    ("worker", "message"),
    [
        ("", "The Python worker failed: "),  # no worker script: its error event
        ("self.onmessage = () => {};", "Python did not start: nothing happened for 2 s."),
    ],
    ids=["missing", "silent"],
)
def test_a_broken_worker_says_so(live: Live, worker: str, message: str) -> None:
    def answer(route: Any) -> None:
        if worker:
            route.fulfill(status=200, content_type="text/javascript", body=worker)
        else:
            route.fulfill(status=404, body="")

    live.context.route("**/assets/live/worker.js", answer)
    live.goto(PLOT_PAGE)
    live.page.evaluate(f"async () => (await {RUNTIME_MODULE}).runtime.configure({{ stallMs: 1000 }})")
    assert live.run(1, timeout=30_000) == "failed"
    status = live.cell(1).locator(".act-cell-status").inner_text()
    assert status.startswith(message), status


# -- running -----------------------------------------------------------------------------
def test_editing_a_cell_and_running_it_shows_the_new_output(live: Live) -> None:
    live.goto(HOME)
    cell = live.cell(1)
    original = cell.locator(".highlight code").text_content().rstrip("\n")
    for name in ("Run", "Stop", "Reset"):
        assert cell.get_by_role("button", name=name, exact=True).count() == 1, name
    assert cell.get_by_role("button", name="Stop", exact=True).is_disabled()
    live.set_code(1, "print(6 * 7)")
    assert live.run(1) == "done"
    output = cell.locator(".act-cell-output")
    assert output.get_attribute("data-act-output") == "live"
    assert output.get_attribute("aria-live") == "polite"
    assert live.output(1) == "42\n"
    assert "Ran in" in cell.locator(".act-cell-status").inner_text()

    live.set_code(1, "'shift'")
    assert live.run(1, key="Shift+Enter") == "done" and live.output(1) == "'shift'"
    live.set_code(1, "'ctrl'")
    assert live.run(1, key="Control+Enter") == "done" and live.output(1) == "'ctrl'"

    cell.get_by_role("button", name="Reset", exact=True).click()
    assert live.code(1) == original
    assert output.get_attribute("data-act-output") == "build" and "passes on" in live.output(1)

    assert not serious_violations(live.page)


def test_the_keyboard_can_leave_the_editor_and_the_page_says_how(live: Live) -> None:
    live.goto(HOME)
    cell = live.cell(1)
    editor = cell.locator(".cm-content")
    editor.click()
    hint = cell.locator(".act-cell-hint")
    assert hint.is_visible() and "Esc then Tab leaves the editor" in hint.inner_text()
    assert editor.get_attribute("aria-describedby") == hint.get_attribute("id")
    live.page.keyboard.press("Tab")
    assert live.page.evaluate("document.activeElement.classList.contains('cm-content')"), (
        "Tab indents"
    )
    live.page.keyboard.press("Escape")
    live.page.keyboard.press("Tab")
    assert not live.page.evaluate("!!document.activeElement.closest('.cm-editor')"), (
        "Esc, Tab kept the focus"
    )


def test_a_plotting_cell_shows_an_svg_figure(live: Live) -> None:
    live.goto(PLOT_PAGE)
    live.cell(1).scroll_into_view_if_needed()
    assert live.run(1) == "done"
    output = live.cell(1).locator(".act-cell-output")
    assert output.get_attribute("data-act-output") == "live"
    svg = output.locator("figure.act-cell-figure > svg")
    assert svg.count() == 1
    assert svg.locator("path").count() > 5
    assert "ReLU" in str(svg.locator("title").text_content())
    assert svg.get_attribute("role") == "img"
    assert output.locator(".act-cell-result").inner_text() == "array([0., 0., 2.])"
    # The lines take the palette's colours (CSS variables), light here.
    stroke = svg.locator("path[style*='act-series-1']").first.evaluate(
        "(p) => getComputedStyle(p).stroke"
    )
    assert stroke == "rgb(26, 86, 196)", stroke


def test_an_exception_shows_its_traceback_and_the_next_run_works(live: Live) -> None:
    live.goto(HOME)
    live.set_code(1, "def half(x):\n    return x / 0\n\nhalf(1)")
    assert live.run(1) == "error"
    traceback = live.cell(1).locator(".act-cell-error").inner_text()
    assert traceback.startswith("Traceback (most recent call last):"), traceback
    assert 'File "<cell 1>", line 4, in <module>' in traceback and "line 2, in half" in traceback
    assert traceback.rstrip().endswith("ZeroDivisionError: division by zero")
    for runtime_frame in ("act_live_kernel", "/lib/python", "pyodide", "_pyodide"):
        assert runtime_frame not in traceback, traceback
    assert "exception" in live.cell(1).locator(".act-cell-status").inner_text()

    live.set_code(1, "name = input('Your name? ')")
    assert live.run(1) == "error"
    assert "input() cannot read from the keyboard in a live cell" in live.output(1)

    live.set_code(1, "print('after', half.__name__)")
    assert live.run(1) == "done" and live.output(1) == "after half\n"


_HOSTILE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
    "<script>alert('script')</script>"
    "<style>body { display: none }</style>"
    '<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="x" onerror="alert(\'img\')"/></foreignObject>'
    '<a href="javascript:alert(\'link\')"><rect width="5" height="5"/></a>'
    '<rect id="kept" width="10" height="10" onclick="alert(\'click\')" onload="alert(\'load\')"'
    ' style="fill: url(http://127.0.0.2/paint)"/>'
    '<image href="http://127.0.0.2/image.png" width="1" height="1"/>'
    '<use xlink:href="#kept" x="1"/>'
    "</svg>"
)


def test_printed_html_is_text_and_figures_are_only_drawings(live: Live) -> None:
    live.goto(HOME)
    live.set_code(1, 'print("<img src=x onerror=alert(1)>")')
    assert live.run(1) == "done"
    assert live.output(1) == "<img src=x onerror=alert(1)>\n"
    assert live.cell(1).locator(".act-cell-output img").count() == 0

    # A figure is SVG from the worker: even SVG made to attack arrives as a drawing only.
    live.set_code(
        1,
        "import act_live_kernel\nimport matplotlib.pyplot as plt\n"
        f"act_live_kernel.clean_svg = lambda *args: {_HOSTILE_SVG!r}\nplt.plot([1, 2])",
    )
    assert live.run(1) == "done"
    figure = live.cell(1).locator(".act-cell-output figure svg")
    assert figure.count() == 1
    markup = figure.evaluate("(svg) => svg.outerHTML")
    for forbidden in (
        "<script",
        "<style",
        "foreignObject",
        "<img",
        "<a ",
        "javascript:",
        "onclick",
        "onload",
        "127.0.0.2",
    ):
        assert forbidden not in markup, (forbidden, markup)
    assert 'id="kept"' in markup and 'xlink:href="#kept"' in markup
    figure.locator("#kept").dispatch_event("click")
    live.page.wait_for_timeout(300)
    assert live.page.locator("body").is_visible()
    assert not [u for u in live.requests if urlsplit(u).path.endswith("/x") or "127.0.0.2" in u]


def test_stop_ends_a_runaway_cell_and_brings_the_variables_back(live: Live) -> None:
    live.goto(HOME)
    live.set_code(1, "x = 41")
    assert live.run(1) == "done"
    live.set_code(2, "while True:\n    pass")
    cell = live.cell(2)
    runs = int(cell.get_attribute("data-act-runs") or 0)
    cell.get_by_role("button", name="Run", exact=True).click()
    live.page.wait_for_function(
        "() => document.querySelector('.act-cell[data-act-cell=\"2\"] .act-cell-status').textContent.startsWith('Running')",
        timeout=BOOT_MS,
    )
    live.page.wait_for_timeout(500)
    stop = cell.get_by_role("button", name="Stop", exact=True)
    assert stop.is_enabled()
    started = time.monotonic()
    stop.click()
    live.wait_for_runs(2, runs + 1, timeout=5_000)
    stopped_in = time.monotonic() - started
    assert cell.get_attribute("data-act-state") == "stopped"
    assert stopped_in < 1.0, f"Stop took {stopped_in:.2f} s"
    status = cell.locator(".act-cell-status")
    live.page.wait_for_function(
        "() => document.querySelector('.act-cell[data-act-cell=\"2\"] .act-cell-status').textContent.includes('restarted')",
        timeout=BOOT_MS,
    )
    assert "ran again the 1 cell that had run" in status.inner_text(), status.inner_text()
    live.set_code(2, "print(x + 1)")
    assert live.run(2) == "done" and live.output(2) == "42\n"

    # A run longer than the runtime's limit is stopped the same way.
    live.page.evaluate(
        f"async () => (await {RUNTIME_MODULE}).runtime.configure({{ runTimeoutMs: 2000 }})"
    )
    live.set_code(2, "while True:\n    pass")
    assert live.run(2) == "stopped"
    assert "The cell ran for more than 2 s: stopped." in live.output(2)


# -- the whole site ----------------------------------------------------------------------
def _pages_with_cells(built_site: BuiltSite) -> dict[str, int]:
    """Site path -> number of live cells, for every page that has some, home first."""
    pages = {}
    for html_file in built_site.html_pages():
        count = html_file.read_text(encoding="utf-8").count('<div class="act-cell" data-act-cell=')
        if count:
            path = html_file.relative_to(built_site.path).parent.as_posix()
            pages["" if path == "." else path + "/"] = count
    return dict(sorted(pages.items(), key=lambda item: item[0] != ""))


def _navigate(live: Live, path: str, cells: int) -> None:
    """Follow a link to ``path`` as Material's instant navigation does (no page load),
    and wait for its ``cells`` live cells to be mounted."""
    url = live.server.base + path
    follow_link(live.page, url, ".act-cell")
    live.page.wait_for_function(
        """([url, count]) => {
          const cells = [...document.querySelectorAll('.act-cell')];
          return location.href === url && cells.length === count && cells.every((c) => !c.actLeft && c.dataset.actState);
        }""",
        arg=[url, cells],
        timeout=30_000,
    )


def test_every_live_cell_on_the_site_runs(live: Live, built_site: BuiltSite) -> None:
    """One visit, as with instant navigation: Python starts once, each page gets a fresh
    namespace, and every cell of every page runs without error."""
    pages = _pages_with_cells(built_site)
    assert "" in pages and all(f"functions/{n}/" in pages for n in activations.names()), sorted(
        pages
    )
    live.goto("")
    live.page.evaluate("window.actVisit = 'one'")
    ran = 0
    failures = []
    for path, count in pages.items():
        if path != "":
            _navigate(live, path, count)
        for number in range(1, count + 1):
            live.cell(number).scroll_into_view_if_needed()
            state = live.run(number)
            ran += 1
            if state != "done":
                failures.append(f"{path} cell {number}: {state}\n{live.output(number)}")
    assert live.page.evaluate("window.actVisit") == "one", "a page was loaded, not navigated to"
    assert not failures, "\n\n".join(failures)
    assert live.boots() == 1, f"Python started {live.boots()} times in one visit"
    print(f"{ran} live cells on {len(pages)} pages ran in one visit, with one start of Python")


# -- the same numbers as CPython ---------------------------------------------------------
_EXTREMES = [
    0.0,
    5e-324,
    2.2250738585072014e-308,
    1e-300,
    1e-100,
    1e-20,
    1e-10,
    1e-5,
    0.5,
    1.0,
    20.0,
    30.0,
    36.75,
    40.0,
    50.0,
    100.0,
    500.0,
    700.0,
    709.78,
    710.0,
    745.2,
    800.0,
    1e10,
    1e100,
    1e300,
    1.7976931348623157e308,
    np.inf,
]
GRID = np.concatenate([np.linspace(-20.0, 20.0, 1601), _EXTREMES, np.negative(_EXTREMES), [np.nan]])

_EVALUATE = """
import base64
import numpy as np
import activations

grid = np.frombuffer(base64.b64decode("{grid}"), dtype="<f8")

def evaluate(name):
    f = activations.get(name)
    with np.errstate(all="ignore"):
        if isinstance(f, activations.VectorActivation):
            x = np.stack([grid, grid[::-1]], axis=-1)  # pairs, as vectors of two
            values = f(x)
            slopes = f.vjp(x, np.ones_like(values))
        else:
            values, slopes = f(grid), f.derivative(grid)
    both = np.concatenate([np.ravel(values), np.ravel(slopes)]).astype("<f8")
    return base64.b64encode(both.tobytes()).decode()
"""


def _ulps(a: float, b: float) -> float:
    """Distance in units in the last place (inf where one is NaN and the other not)."""
    if np.isnan(a) or np.isnan(b):
        return 0.0 if np.isnan(a) and np.isnan(b) else np.inf

    def ordered(v: float) -> int:
        bits = int(np.array(v, dtype="<f8").view("<i8"))
        return bits if bits >= 0 else -(bits & 0x7FFFFFFFFFFFFFFF)

    return float(abs(ordered(a) - ordered(b)))


def test_the_browser_computes_what_cpython_computes(live: Live) -> None:
    """f and f′ of every function in Pyodide (numpy 2.0 for wasm32, Emscripten's libm,
    no SIMD) against this CPython, on -20..20 and the extremes. Printed: which differ and
    by how much.

    Elementwise functions agree within 1 ulp (where they differ, it is in exp, whose last
    bit glibc and Emscripten's libm round differently). A vector function rounds once
    more (GEGLU: gelu(a)·b), so the two builds may land on either side of the exact value:
    within 2 ulp of each other.
    """
    code = _EVALUATE.format(grid=base64.b64encode(GRID.astype("<f8").tobytes()).decode())
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - the same code in CPython
    live.goto(PLOT_PAGE)
    assert live.python(code)["ok"]
    report = []
    too_far = []
    total = differing = 0
    for name in activations.names():
        reply = live.python(f"print(evaluate({name!r}))")
        assert reply["ok"], f"{name}: {json.dumps(reply['messages'])[:2000]}"
        text = "".join(
            m["text"] for m in reply["messages"] if m["type"] == "stream" and m["name"] == "stdout"
        )
        browser = np.frombuffer(base64.b64decode(text), dtype="<f8")
        cpython = np.frombuffer(base64.b64decode(namespace["evaluate"](name)), dtype="<f8")
        assert browser.shape == cpython.shape, name
        same = (browser == cpython) | (np.isnan(browser) & np.isnan(cpython))
        distances = [_ulps(a, b) for a, b in zip(browser[~same], cpython[~same])]
        total += browser.size
        differing += len(distances)
        if not distances:
            continue
        vector = isinstance(activations.get(name), VectorActivation)
        line = (
            f"  {name}{' (vector)' if vector else ''}: {len(distances)} of {browser.size} values"
            f" differ, by at most {max(distances):g} ulp"
        )
        report.append(line)
        if max(distances) > (2 if vector else 1):
            too_far.append(line)
    print(f"\nbrowser vs CPython: {differing} of {total} values differ")
    print("\n".join(report) or "  every value identical, bit for bit")
    assert not too_far, "\n".join(too_far)


# -- the demos' promise API ------------------------------------------------------------------
def test_call_returns_python_values_and_rejects_with_the_traceback(live: Live) -> None:
    live.goto(HOME)
    outcome = live.page.evaluate(
        f"""async (codes) => {{
          const {{ runtime }} = await {RUNTIME_MODULE};
          const value = await runtime.call(codes.value);
          let error = null;
          try {{ await runtime.call("1 / 0"); }} catch (e) {{ error = e.message; }}
          const kept = await runtime.call(codes.count);
          const again = await runtime.call(codes.count);
          return {{ value, error, kept, again }};
        }}""",
        {
            "value": "import activations\n{'y': activations.relu([-1.0, 2.0]).tolist(), 'name': 'relu', 'inf': float('inf')}",
            "count": "counter = globals().get('counter', 0) + 1\ncounter",
        },
    )
    assert outcome["value"] == {"y": [0.0, 2.0], "name": "relu", "inf": float("inf")}
    assert "ZeroDivisionError" in outcome["error"]
    assert (outcome["kept"], outcome["again"]) == (1, 2), "a call's namespace is not kept"
    # A call is not a cell of the page: it is not in the page's namespace.
    result = live.python("print('counter' in globals())")
    assert result["ok"] and result["messages"][0]["text"] == "False\n"

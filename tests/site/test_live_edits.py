"""What the reader makes in a live cell is kept: saved edits, Reset, a new build's
version of an edited cell; cells on a phone-sized screen; axe-core on pages with cells.

Saved edits live in the browser's localStorage (site_src/live/edits.mjs), one entry per
page and cell: ``activations:cell-edit:<page path under the site root>#<cell>`` holding
``{code, original, saved}``. A new build that changes a cell looks, to a reader who had
edited it, exactly like an entry whose ``original`` differs from the code on the page;
the tests write such an entry to stand for it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import Server
from .livepage import BOOT_MS, Live, follow_link, serious_violations

HOME = ""
PLOT_PAGE = "functions/relu/"
PREFIX = "activations:cell-edit:"
#: 2026-01-02 03:04 UTC, in ms: a saved edit's time, as edits.mjs stores it.
SAVED_MS = 1_767_323_040_000

# -- helpers ---------------------------------------------------------------------------------


def saved_edit(live: Live, page: str, number: int) -> dict[str, Any] | None:
    text = live.page.evaluate("(key) => localStorage.getItem(key)", f"{PREFIX}{page}#{number}")
    return json.loads(text) if text else None


def wait_saved(live: Live, page: str, number: int, code: str) -> dict[str, Any]:
    """Wait until the edit ``code`` is saved (typing saves after a short pause)."""
    live.page.wait_for_function(
        "([key, code]) => JSON.parse(localStorage.getItem(key) || 'null')?.code === code",
        arg=[f"{PREFIX}{page}#{number}", code],
        timeout=5_000,
    )
    entry = saved_edit(live, page, number)
    assert entry is not None
    return entry


def plant_edit(live: Live, page: str, number: int, code: str, original: str) -> None:
    """Store an edit as edits.mjs would have, then load the page afresh."""
    live.page.evaluate(
        "([key, entry]) => localStorage.setItem(key, JSON.stringify(entry))",
        [f"{PREFIX}{page}#{number}", {"code": code, "original": original, "saved": SAVED_MS}],
    )
    live.reload()


def build_code(live: Live, number: int) -> str:
    """The cell's code as the build wrote it (the page's HTML, not the script's view)."""
    html = live.page.evaluate("() => fetch(location.href).then((r) => r.text())")
    return str(
        live.page.evaluate(
            """([html, number]) => new DOMParser().parseFromString(html, 'text/html')
              .querySelector(`.act-cell[data-act-cell="${number}"] .highlight code`).textContent""",
            [html, number],
        )
    ).removesuffix("\n")


def status(live: Live, number: int) -> str:
    return str(live.cell(number).locator(".act-cell-status").inner_text())


def navigate(live: Live, path: str) -> None:
    """Follow a link as Material's instant navigation does (no page load) and wait
    until the new page's cells are mounted."""
    follow_link(live.page, live.server.base + path, ".act-cell")
    live.page.wait_for_function(
        """(url) => location.href === url && document.querySelector('.act-cell')
          && [...document.querySelectorAll('.act-cell')].every((c) => !c.actLeft && c.dataset.actState)""",
        arg=live.server.base + path,
        timeout=30_000,
    )


def phone_violations(page: Any) -> list[tuple[str, str, list[Any]]]:
    """As serious_violations, less one of Material's own on touch screens: a code block
    outside the cells that scrolls sideways is made focusable only where the pointer
    can hover (Material's mountCodeBlock), so axe finds it unreachable on a phone.
    The cells' code is made focusable there (cells.mjs); a cell in the list fails."""
    found = []
    for rule, impact, targets in serious_violations(page):
        if rule == "scrollable-region-focusable":
            in_cells = page.evaluate(
                "(targets) => targets.filter((t) => document.querySelector(t[0]).closest('.act-cell'))",
                targets,
            )
            if not in_cells:
                print(f"outside the cells, Material's: {rule} on {targets}")
                continue
        found.append((rule, impact, targets))
    return found


# -- saved edits -----------------------------------------------------------------------------
def test_an_edit_is_back_after_a_reload(live: Live) -> None:
    live.goto(HOME)
    original = build_code(live, 1)
    assert saved_edit(live, HOME, 1) is None
    live.set_code(1, "print('mine')")
    entry = wait_saved(live, HOME, 1, "print('mine')")
    assert entry["original"] == original
    assert abs(entry["saved"] / 1000 - time.time()) < 120

    live.reload()
    assert live.code(1) == "print('mine')"
    assert status(live, 1).startswith("Your edit from "), status(live, 1)
    assert "is back. Reset restores the original." in status(live, 1)
    live.editor(2)
    assert live.code(2) == build_code(live, 2), "another cell's code changed"
    assert live.run(1) == "done" and live.output(1) == "mine\n"


def test_the_edit_is_used_before_the_editor_loads(live: Live) -> None:
    """The highlighted code is the build's: a saved edit replaces it at once, and a Run
    pressed before CodeMirror arrives runs the edit."""
    # The editor's chunk never arrives: the cell stays without CodeMirror.
    live.context.route("**/assets/live/editor-*.js", lambda route: None)
    live.goto(PLOT_PAGE)
    plant_edit(live, PLOT_PAGE, 1, "print('early')", build_code(live, 1))
    cell = live.cell(1)
    assert cell.locator(".highlight code").inner_text().rstrip("\n") == "print('early')"
    assert cell.locator(".cm-editor").count() == 0
    runs = int(cell.get_attribute("data-act-runs") or 0)
    cell.get_by_role("button", name="Run", exact=True).click()
    live.wait_for_runs(1, runs + 1)
    assert live.output(1) == "early\n"
    assert [u for u in live.requests if "/assets/live/editor-" in u], (
        "the editor was not asked for at once for a cell with a saved edit off screen"
    )


def test_an_edit_survives_instant_navigation_at_once(live: Live) -> None:
    """Leaving right after typing (before the pause that saves) still saves; each page
    keeps its own edits, named by the page's path under the site's sub-path."""
    live.goto(PLOT_PAGE)
    live.set_code(1, "x = 'relu page'")
    navigate(live, HOME)
    assert saved_edit(live, PLOT_PAGE, 1)["code"] == "x = 'relu page'"  # type: ignore[index]
    assert live.code(1) == build_code(live, 1), "the edit of another page's cell showed here"
    live.set_code(1, "x = 'home page'")
    navigate(live, PLOT_PAGE)
    assert live.code(1) == "x = 'relu page'"
    assert "is back" in status(live, 1)
    navigate(live, HOME)
    assert live.code(1) == "x = 'home page'"
    keys = live.page.evaluate(
        "(prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)).sort()", PREFIX
    )
    assert keys == [f"{PREFIX}#1", f"{PREFIX}{PLOT_PAGE}#1"], keys


def test_reset_restores_the_original_and_forgets_the_edit(live: Live) -> None:
    live.goto(HOME)
    original = build_code(live, 1)
    live.set_code(1, "print('mine')")
    wait_saved(live, HOME, 1, "print('mine')")
    assert live.run(1) == "done" and live.output(1) == "mine\n"

    live.cell(1).get_by_role("button", name="Reset", exact=True).click()
    assert live.code(1) == original
    output = live.cell(1).locator(".act-cell-output")
    assert output.get_attribute("data-act-output") == "build" and "passes on" in live.output(1)
    assert saved_edit(live, HOME, 1) is None
    assert "Ctrl+Z in the editor brings your edit back" in status(live, 1)

    # Reset is one change in the editor: undo brings the edit back, and saves it again.
    live.editor(1).click()
    live.page.keyboard.press("Control+z")
    assert live.code(1) == "print('mine')"
    wait_saved(live, HOME, 1, "print('mine')")
    live.cell(1).get_by_role("button", name="Reset", exact=True).click()

    live.reload()
    assert live.code(1) == original
    assert status(live, 1) == "" and saved_edit(live, HOME, 1) is None


def test_typing_the_original_back_forgets_the_entry(live: Live) -> None:
    live.goto(HOME)
    original = build_code(live, 1)
    live.set_code(1, "1")
    wait_saved(live, HOME, 1, "1")
    live.set_code(1, original)
    live.page.wait_for_function(
        "(key) => localStorage.getItem(key) === null", arg=f"{PREFIX}#1", timeout=5_000
    )


# -- a new build changed an edited cell --------------------------------------------------------
def test_a_new_version_is_offered_and_the_edit_kept(live: Live) -> None:
    live.goto(HOME)
    current = build_code(live, 1)
    plant_edit(live, HOME, 1, "print('my edit')", original="print('the old build')")
    cell = live.cell(1)
    notice = cell.locator(".act-cell-notice")
    assert live.code(1) == "print('my edit')", "the reader's edit was replaced"
    assert notice.is_visible()
    assert "This cell has a new version since your edit from" in notice.inner_text()
    assert live.run(1) == "done" and live.output(1) == "my edit\n"
    assert not serious_violations(live.page)
    # Until the reader decides, the entry still refers to the build they edited.
    live.set_code(1, "print('my edit, longer')")
    assert wait_saved(live, HOME, 1, "print('my edit, longer')")["original"] == "print('the old build')"

    notice.get_by_role("button", name="Use the new version", exact=True).click()
    assert live.code(1) == current
    assert saved_edit(live, HOME, 1) is None
    previous = notice.locator("pre code")
    assert previous.inner_text() == "print('my edit, longer')", "the edit is not shown to copy"
    back = notice.get_by_role("button", name="Back to my edit", exact=True)
    assert live.page.evaluate("document.activeElement.textContent") == "Back to my edit"
    assert not serious_violations(live.page)

    back.click()
    assert live.code(1) == "print('my edit, longer')"
    assert cell.locator(".act-cell-notice").count() == 0
    entry = saved_edit(live, HOME, 1)
    assert entry == {**entry, "code": "print('my edit, longer')", "original": current}  # type: ignore[arg-type]
    live.reload()
    assert live.code(1) == "print('my edit, longer')"
    assert cell.locator(".act-cell-notice").count() == 0 and "is back" in status(live, 1)


def test_keeping_the_edit_over_a_new_version(live: Live) -> None:
    live.goto(HOME)
    current = build_code(live, 1)
    plant_edit(live, HOME, 1, "print('my edit')", original="print('the old build')")
    live.editor(1)
    live.cell(1).get_by_role("button", name="Keep my edit", exact=True).click()
    assert live.cell(1).locator(".act-cell-notice").count() == 0
    assert saved_edit(live, HOME, 1)["original"] == current  # type: ignore[index]
    assert live.page.evaluate("document.activeElement.textContent") == "Run"
    live.reload()
    assert live.code(1) == "print('my edit')"
    assert live.cell(1).locator(".act-cell-notice").count() == 0


def test_an_edit_that_a_new_build_adopted_is_dropped_quietly(live: Live) -> None:
    live.goto(HOME)
    current = build_code(live, 1)
    plant_edit(live, HOME, 1, current, original="print('the old build')")
    live.editor(1)
    assert live.code(1) == current
    assert live.cell(1).locator(".act-cell-notice").count() == 0
    assert saved_edit(live, HOME, 1) is None


def test_a_malformed_entry_is_ignored(live: Live) -> None:
    live.goto(HOME)
    live.page.evaluate("(key) => localStorage.setItem(key, '{not json')", f"{PREFIX}#1")
    live.page.evaluate(
        "(key) => localStorage.setItem(key, JSON.stringify({code: 5}))", f"{PREFIX}#2"
    )
    live.reload()
    live.editor(2)
    assert live.code(1) == build_code(live, 1) and live.code(2) == build_code(live, 2)
    assert live.run(1) == "done"


def test_when_storage_refuses_the_reader_is_told(live: Live) -> None:
    """Storage that throws (disabled, or full): the cells mount with the build's code,
    editing and running still work, and the cell says the edit will not outlive the
    page. Only the cells' keys throw, so Material's own storage keeps working."""
    live.page.add_init_script(
        """for (const name of ['getItem', 'setItem', 'removeItem']) {
             const real = Storage.prototype[name];
             Storage.prototype[name] = function (key, ...rest) {
               if (String(key).startsWith('activations:cell-edit:')) {
                 throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
               }
               return real.call(this, key, ...rest);
             };
           }"""
    )
    live.goto(HOME)
    assert live.code(1) == build_code(live, 1)
    live.set_code(1, "print('unsaved')")
    live.page.wait_for_function(
        "() => document.querySelector('.act-cell[data-act-cell=\"1\"] .act-cell-status')"
        ".textContent.includes('does not let the page save your edits')",
        timeout=5_000,
    )
    assert live.run(1) == "done" and live.output(1) == "unsaved\n"


# -- narrow screens ------------------------------------------------------------------------------
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def phone(server: Server, browser: Any) -> Iterator[Live]:
    """A phone-sized, touch browser context on the served site; no other host reachable."""
    context = browser.new_context(**PHONE)
    session = Live(server, context, context.new_page())

    def route(request_route: Any) -> None:
        if urlsplit(request_route.request.url).hostname != "127.0.0.1":
            session.blocked.append(request_route.request.url)
            request_route.abort()
        else:
            request_route.fallback()

    context.route("**/*", route)
    context.on("request", lambda request: session.requests.append(request.url))
    try:
        yield session
        assert not session.blocked, f"requests to other hosts: {session.blocked}"
    finally:
        context.close()


def tap_run(live: Live, number: int) -> str:
    cell = live.cell(number)
    cell.scroll_into_view_if_needed()
    runs = int(cell.get_attribute("data-act-runs") or 0)
    cell.get_by_role("button", name="Run", exact=True).tap()
    live.wait_for_runs(number, runs + 1, BOOT_MS)
    return str(cell.get_attribute("data-act-state"))


def page_overflow(live: Live) -> int:
    """How many CSS px the page is wider than the screen (0: no sideways scrolling)."""
    return int(live.page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth"))


def test_a_phone_gets_run_only_cells_that_work(phone: Live) -> None:
    phone.goto(HOME)
    cell = phone.cell(1)
    cell.scroll_into_view_if_needed()
    phone.page.wait_for_timeout(1500)  # time for an editor to appear, if one were coming
    assert cell.get_attribute("data-act-mode") == "run"
    assert phone.page.locator(".cm-editor").count() == 0
    assert not [u for u in phone.requests if "/assets/live/editor-" in u], "CodeMirror loaded"
    hint = cell.locator(".act-cell-hint")
    assert hint.is_visible() and "narrow screen" in hint.inner_text()
    for name in ("Run", "Stop", "Reset"):
        box = cell.get_by_role("button", name=name, exact=True).bounding_box()
        assert box and box["width"] >= 24 and box["height"] >= 24, (name, box)
    assert page_overflow(phone) <= 0

    assert tap_run(phone, 1) == "done" and "passes on" in phone.output(1)
    assert tap_run(phone, 2) == "done"
    assert page_overflow(phone) <= 0, "the output made the page wider than the screen"
    assert not phone_violations(phone.page)

    phone.goto(PLOT_PAGE)
    assert tap_run(phone, 1) == "done"
    figure = phone.cell(1).locator(".act-cell-output figure svg")
    assert figure.count() == 1
    box = figure.bounding_box()
    assert box and box["width"] <= 375
    assert page_overflow(phone) <= 0
    assert not phone_violations(phone.page)


def test_a_desktop_edit_on_a_phone_is_shown_and_runs(phone: Live) -> None:
    phone.goto(HOME)
    cell = phone.cell(1)
    code = cell.locator(".highlight code")
    original = code.inner_text().rstrip("\n")
    highlighted = code.locator("span").count()
    edit = "print('from my laptop')\nprint('y' * 300)  # " + "a long line " * 30
    plant_edit(phone, HOME, 1, edit, original)
    assert code.inner_text().rstrip("\n") == edit
    assert "is back" in status(phone, 1)
    assert page_overflow(phone) <= 0, "a long line of the edit widened the page"
    assert tap_run(phone, 1) == "done" and phone.output(1) == "from my laptop\n" + "y" * 300 + "\n"
    # Long output and tracebacks wrap: the page stays as wide as the screen.
    plant_edit(phone, HOME, 2, "raise ValueError('x' * 300)", build_code(phone, 2))
    assert tap_run(phone, 2) == "error" and "ValueError: xxx" in phone.output(2)
    assert page_overflow(phone) <= 0

    cell.get_by_role("button", name="Reset", exact=True).tap()
    assert code.inner_text().rstrip("\n") == original
    assert code.locator("span").count() == highlighted, "the build's highlighting is not back"
    assert saved_edit(phone, HOME, 1) is None
    assert "passes on" in phone.output(1)


def test_a_screen_that_widens_gets_its_editor(phone: Live) -> None:
    phone.goto(HOME)
    phone.cell(1).scroll_into_view_if_needed()
    assert phone.cell(1).get_attribute("data-act-mode") == "run"
    phone.page.set_viewport_size({"width": 1024, "height": 740})
    phone.cell(1).locator(".cm-editor").wait_for(timeout=30_000)
    assert phone.cell(1).get_attribute("data-act-mode") == "edit"


# -- axe-core --------------------------------------------------------------------------------
def set_palette(live: Live, scheme: str) -> None:
    """Switch the palette as the header's toggle does (its radio input changes)."""
    live.page.evaluate(
        "(scheme) => document.querySelector(`input.md-option[data-md-color-scheme='${scheme}']`).click()",
        scheme,
    )
    live.page.wait_for_function(
        "(scheme) => document.body.getAttribute('data-md-color-scheme') === scheme", arg=scheme
    )


@pytest.mark.parametrize("path", [HOME, PLOT_PAGE], ids=["home", "relu"])
def test_axe_finds_nothing_serious_before_and_after_running_the_cells(live: Live, path: str) -> None:
    live.goto(path)
    cells = live.page.locator(".act-cell").count()
    assert cells >= 1
    for number in range(1, cells + 1):
        live.editor(number)  # every cell on screen once: all have their editor
    found = {}
    for scheme in ("slate", "default"):
        set_palette(live, scheme)
        found[f"before, {scheme}"] = serious_violations(live.page)
    for number in range(1, cells + 1):
        assert live.run(number) == "done", live.output(number)
    if path == PLOT_PAGE:
        assert live.cell(1).locator(".act-cell-output figure svg").count() == 1
    for scheme in ("default", "slate"):
        set_palette(live, scheme)
        found[f"after, {scheme}"] = serious_violations(live.page)
    assert not any(found.values()), found

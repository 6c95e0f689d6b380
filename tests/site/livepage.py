"""A served page of the site in a fresh browser context, for the tests of live cells and
the demos: every request is recorded, every request to another host is blocked (and
the ``live`` fixture in conftest.py asserts there were none), and a dialog fails the
test (it means a script of the reader's output ran).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .conftest import ROOT, Server

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: Python's first start, on a busy machine, and a run that loads matplotlib.
BOOT_MS = 180_000

#: A JavaScript expression: the module that exports the page's Python ``runtime``.
RUNTIME_MODULE = (
    "import(document.querySelector(\"script[type=module][src*='assets/live/cells.js']\").src)"
)


@dataclass
class Live:
    """A fresh browser context on the served site; records every request it makes."""

    server: Server
    context: Any
    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def goto(self, path: str, keep_image: bool = False) -> None:
        """Open ``path``; unless ``keep_image``, the runtime makes no Python image for the
        next visits (keep_no_image)."""
        self.page.goto(self.server.base + path)
        if not keep_image:
            keep_no_image(self.page)

    def reload(self) -> None:
        """Load the page again (a new runtime: told again to keep no image)."""
        self.page.reload()
        keep_no_image(self.page)

    def cell(self, number: int) -> Any:
        return self.page.locator(f'.act-cell[data-act-cell="{number}"]')

    def output(self, number: int) -> str:
        return self.cell(number).locator(".act-cell-output").inner_text()

    def set_code(self, number: int, code: str) -> None:
        """Type ``code`` over the cell's code, as a reader would."""
        self.editor(number).click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.press("Delete")
        self.page.keyboard.insert_text(code)
        assert self.code(number) == code

    def code(self, number: int) -> str:
        return (
            self.cell(number)
            .locator(".cm-content")
            .evaluate(
                "(element) => [...element.querySelectorAll('.cm-line')].map((line) => line.textContent).join('\\n')"
            )
        )

    def editor(self, number: int) -> Any:
        """The cell's editor, once on screen (it replaces the highlighted code)."""
        cell = self.cell(number)
        cell.scroll_into_view_if_needed()
        editor = cell.locator(".cm-content")
        editor.wait_for(timeout=30_000)
        return editor

    def run(self, number: int, key: str | None = None, timeout: int = BOOT_MS) -> str:
        """Run a cell (the Run button, or ``key`` in the editor); its state afterwards."""
        cell = self.cell(number)
        self.editor(number)  # the page no longer moves
        runs = int(cell.get_attribute("data-act-runs") or 0)
        if key:
            self.editor(number).press(key)
        else:
            cell.get_by_role("button", name="Run", exact=True).click()
        self.wait_for_runs(number, runs + 1, timeout)
        return str(cell.get_attribute("data-act-state"))

    def wait_for_runs(self, number: int, runs: int, timeout: int = BOOT_MS) -> None:
        self.page.wait_for_function(
            '([number, runs]) => Number(document.querySelector(`.act-cell[data-act-cell="${number}"]`)'
            "?.dataset.actRuns || 0) >= runs",
            arg=[number, runs],
            timeout=timeout,
        )

    def python(self, code: str) -> dict[str, Any]:
        """Run ``code`` through the runtime's promise API: {ok, messages}."""
        return self.page.evaluate(
            f"""async (code) => {{
              const {{ runtime }} = await {RUNTIME_MODULE};
              const messages = [];
              const {{ ok }} = await runtime.run(code, {{ cell: 99, onMessage: (m) => messages.push(m) }});
              return {{ ok, messages }};
            }}""",
            code,
        )

    def boots(self) -> int:
        return sum(url.endswith("/pyodide.asm.wasm") for url in self.requests)


#: The cache names of Python images (site_src/live/image.mjs) begin so.
IMAGE_PREFIX = "activations-python-image-"


def image_event(page: Any) -> Any:
    """A handle on {promise}, the promise of the page runtime's next "image" event (of its
    detail): the end of the making of an image. Read by image_detail()."""
    return page.evaluate_handle(
        f"""async () => {{
          const {{ runtime }} = await {RUNTIME_MODULE};
          const promise = new Promise((resolve) => runtime.addEventListener("image", (event) => resolve(event.detail), {{ once: true }}));
          return {{ promise }};
        }}"""
    )


def image_detail(event: Any) -> Any:
    return event.evaluate("(holder) => holder.promise")


#: The reader's choice of no Python image at all (site_src/live/cells.mjs): none is read,
#: downloaded, kept or made.
IMAGE_PREFERENCE = "activations:python-image"


def use_no_images(context: Any) -> None:
    """Make every page of ``context`` start Python the ordinary way (the reader's choice of
    no image, set before the page's scripts run): for the tests of how Python and its
    packages are downloaded and loaded."""
    context.add_init_script(f"localStorage.setItem({IMAGE_PREFERENCE!r}, 'off')")


def keep_no_image(page: Any) -> None:
    """Tell the page's runtime to make no Python image (site_src/live/image.mjs): a test that
    is not about the image gets no background worker beside the reader's (its CPU, its
    requests) and a next visit that starts as a first one. Done right after the page
    loads: the image would be made only after Python started and the page was then idle
    for seconds. A page without live cells has no runtime to tell."""
    page.evaluate(
        f"""async () => {{
          if (!document.querySelector("script[type=module][src*='assets/live/cells.js']")) return;
          const {{ runtime }} = await {RUNTIME_MODULE};
          runtime.configure({{ keepImage: false }});
        }}"""
    )


def serious_violations(page: Any, where: str = "document") -> list[tuple[str, str, list[Any]]]:
    """axe-core's serious and critical violations in ``where`` (a JavaScript expression
    for a node; the whole document by default) as the page is now: (rule, impact, targets)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(f"async () => await axe.run({where}, {{resultTypes: ['violations']}})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def follow_link(page: Any, url: str, leaving: str) -> None:
    """Click a link to ``url``, so that Material's instant navigation follows it (no page
    load). Each element matching the selector ``leaving`` is marked ``actLeft`` first, so
    that a wait for the new page's elements can tell them from the old page's."""
    page.evaluate(
        """([url, leaving]) => {
          for (const element of document.querySelectorAll(leaving)) element.actLeft = true;
          const a = document.createElement('a');
          a.href = url;
          document.body.append(a);
          a.click();
          a.remove();
        }""",
        [url, leaving],
    )

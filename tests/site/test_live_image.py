"""The Python image (site_src/live/image.mjs): a first visit, left idle, keeps an image of
Python with its packages imported; a later visit starts from it, downloading no wheel,
and its Python works as one started anew does; an image that cannot be used is deleted
and Python starts anew.
"""

from __future__ import annotations

from typing import Any

import pytest

from .livepage import IMAGE_PREFIX, RUNTIME_MODULE, Live, image_detail, image_event
from .test_live_robustness import RUNAWAY, define_x, press_stop, start, wait_for_status, x_plus_one_is_42

PLOT_PAGE = "functions/relu/"  # its first cell draws a figure
OLDER_IMAGE = IMAGE_PREFIX + "0" * 16  # an image of another build's lock file


def image_caches(page: Any) -> list[str]:
    return sorted(name for name in page.evaluate("caches.keys()") if name.startswith(IMAGE_PREFIX))


def first_visit(live: Live) -> None:
    """A first visit to PLOT_PAGE, which has an older build's image: its runtime makes the
    image of this build once the page is idle after a run. The page stays open."""
    live.goto(PLOT_PAGE, keep_image=True)
    live.page.evaluate(f"caches.open('{OLDER_IMAGE}')")
    assert image_caches(live.page) == [OLDER_IMAGE]
    waiting = image_event(live.page)
    assert live.run(1) == "done"
    assert image_detail(waiting) == {"made": True}


def later_visit(live: Live) -> None:
    """Close the page; a new one (not yet on the site) takes its place in the context."""
    live.page.close()
    live.page = live.context.new_page()


def test_a_later_visit_starts_from_the_image_without_downloading_a_wheel(live: Live) -> None:
    first_visit(live)
    names = image_caches(live.page)
    assert len(names) == 1 and names != [OLDER_IMAGE], f"the older image stays: {names}"
    later_visit(live)
    since = len(live.requests)
    live.goto(PLOT_PAGE)
    assert live.run(1) == "done"
    assert live.cell(1).locator(".act-cell-output svg").count() == 1
    later = live.requests[since:]
    assert sum(url.endswith("/pyodide.asm.wasm") for url in later) == 1, "Python started"
    wheels = [url for url in later if url.endswith(".whl")]
    assert wheels == [], f"the later visit downloaded {wheels}"
    # Python as a fresh one: modules not in the image import (their libraries too), the
    # packages compute, and sys.path is as Pyodide makes it.
    result = live.python(
        "import sys, numpy.linalg, numpy.fft, numpy.random\n"
        "from activations import get\n"
        "print(numpy.linalg.inv(2 * numpy.eye(2)).sum(), numpy.fft.fft(numpy.ones(4))[0].real,\n"
        "      numpy.random.default_rng(0).integers(10, size=3).tolist(), float(get('relu')(-1.0)),\n"
        "      sys.path.count(''))"
    )
    assert result["ok"], result
    printed = "".join(m["text"] for m in result["messages"] if m["type"] == "stream")
    assert printed == "1.0 4.0 [8, 6, 5] 0.0 1\n", printed


# How the image's memory is damaged (a disk error, a browser that changed it): its
# beginning overwritten, found out only once Pyodide has started restoring it; or cut
# short, found out before.
DAMAGES = {
    "overwritten": "memory.fill(7, 0, 64)",
    "cut": "memory = memory.subarray(0, memory.length >> 1)",
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_an_image_that_cannot_be_used_is_deleted_and_python_starts_anew(live: Live, damage: str) -> None:
    first_visit(live)
    [name] = image_caches(live.page)
    live.page.evaluate(
        """async ([name, damage]) => {
          const cache = await caches.open(name);
          const key = `${location.origin}/python-image/memory`;
          let memory = new Uint8Array(await (await cache.match(key)).arrayBuffer());
          eval(damage);
          await cache.put(key, new Response(memory));
        }""",
        [name, DAMAGES[damage]],
    )
    later_visit(live)
    warnings: list[str] = []
    live.page.on("console", lambda message: warnings.append(message.text))
    since = len(live.requests)
    live.goto(PLOT_PAGE)
    assert live.run(1) == "done", (live.output(1), warnings)
    assert live.cell(1).locator(".act-cell-output svg").count() == 1
    assert any(url.endswith(".whl") for url in live.requests[since:]), "Python started anew"
    assert any("image kept in this browser could not be used" in text for text in warnings), warnings
    assert image_caches(live.page) == []


def drawn_random(live: Live) -> float:
    """random.random() in the page's Python, through runtime.call (never replayed)."""
    return live.page.evaluate(
        f"""async () => {{
          const {{ runtime }} = await {RUNTIME_MODULE};
          return runtime.call("import random\\nrandom.random()");
        }}"""
    )


def test_a_stop_restarts_python_from_the_image_and_brings_the_variables_back(live: Live) -> None:
    """On a page that is not cross-origin isolated, Stop replaces the worker: the new one
    starts from the image, and the cells that had run run again. Each Python restored from
    the image draws its own random numbers (the image has `random` imported, seeded)."""
    first_visit(live)
    later_visit(live)
    since = len(live.requests)
    define_x(live)
    drawn_before = drawn_random(live)
    runs = start(live, 2, RUNAWAY, "looping\n")
    stopped_in, _ = press_stop(live, 2, runs)
    assert stopped_in < 1.0
    wait_for_status(live, 2, "restarted")
    x_plus_one_is_42(live)
    assert drawn_random(live) != drawn_before, "two restored Pythons drew the same number"
    later = live.requests[since:]
    assert sum(url.endswith("/pyodide.asm.wasm") for url in later) == 2, "Python started twice"
    assert [url for url in later if url.endswith(".whl")] == []

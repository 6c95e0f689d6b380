"""The Python image (site_src/live/image.mjs): Python's memory with numpy, activations and
matplotlib's pyplot imported. The site ships one (made by the build, make_image.mjs): a
first visit starts from it, downloading no wheel, and keeps it in the browser once the
page is idle; a later visit starts from the kept one, downloading no image; its Python
works as one started anew does; an image that cannot be used is passed over (a kept one
deleted) and Python starts anew; and a reader can decline images altogether.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from .conftest import Server
from .livepage import (
    IMAGE_PREFIX,
    RUNTIME_MODULE,
    Live,
    image_detail,
    image_event,
    use_no_images,
)
from .test_live_robustness import RUNAWAY, define_x, press_stop, start, wait_for_status, x_plus_one_is_42

PLOT_PAGE = "functions/relu/"  # its first cell draws a figure
OLDER_IMAGE = IMAGE_PREFIX + "0" * 16  # an image of another build's lock file
SITE_IMAGE = "/pyodide/image/"  # the image the site ships (pyodide_dist.place_image)


def image_caches(page: Any) -> list[str]:
    return sorted(name for name in page.evaluate("caches.keys()") if name.startswith(IMAGE_PREFIX))


def wheels(urls: list[str]) -> list[str]:
    return [url for url in urls if url.endswith(".whl")]


def site_image(urls: list[str]) -> list[str]:
    """The files of the site's image asked for, by name."""
    return sorted(url.rsplit("/", 1)[-1] for url in urls if SITE_IMAGE in url)


def python_cores(urls: list[str]) -> int:
    """How many times Pyodide's .wasm was asked for (once per worker that starts Python)."""
    return sum(url.endswith("/pyodide/pyodide.asm.wasm") for url in urls)


def first_visit(live: Live) -> None:
    """A first visit to PLOT_PAGE, which has an older build's image: Python starts from the
    site's image, downloading no wheel, and the runtime keeps that image in the browser
    once the page is idle after a run. The page stays open."""
    live.goto(PLOT_PAGE, keep_image=True)
    live.page.evaluate(f"caches.open('{OLDER_IMAGE}')")
    assert image_caches(live.page) == [OLDER_IMAGE]
    waiting = image_event(live.page)
    draws_the_figure(live)
    assert image_detail(waiting) == {"made": True}
    assert wheels(live.requests) == [], f"the first visit downloaded {wheels(live.requests)}"
    assert site_image(live.requests) == ["files.zst", "memory.zst", "meta.json"]
    # Compiled by the worker as it arrived: Pyodide's own request for it goes nowhere.
    cores = python_cores(live.requests)
    assert cores == 1, f"pyodide.asm.wasm was asked for {cores} times"


def draws_the_figure(live: Live, said: list[str] | None = None) -> None:
    """Run PLOT_PAGE's cell 1: it ends done and shows its figure (else: the console's ``said``)."""
    assert live.run(1) == "done", (live.output(1), said)
    assert live.cell(1).locator(".act-cell-output svg").count() == 1


@contextmanager
def without_service_worker(server: Server, browser: Any) -> Iterator[tuple[Live, list[str]]]:
    """A page in a context without a service worker, so that routes and throttles see the
    Python worker's own requests (recorded in ``live.requests``): the page, and what its
    console says."""
    context = browser.new_context(service_workers="block")
    said: list[str] = []
    try:
        live = Live(server, context, context.new_page())
        context.on("request", lambda request: live.requests.append(request.url))
        live.page.on("console", lambda message: said.append(message.text))
        yield live, said
    finally:
        context.close()


def later_visit(live: Live) -> None:
    """Close the page; a new one (not yet on the site) takes its place in the context."""
    live.page.close()
    live.page = live.context.new_page()


def test_a_first_visit_starts_from_the_sites_image_and_keeps_it(live: Live) -> None:
    first_visit(live)
    names = image_caches(live.page)
    assert len(names) == 1 and names != [OLDER_IMAGE], f"the older image stays: {names}"
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


def test_a_later_visit_starts_from_the_kept_image(live: Live) -> None:
    first_visit(live)
    later_visit(live)
    since = len(live.requests)
    live.goto(PLOT_PAGE)
    draws_the_figure(live)
    later = live.requests[since:]
    assert python_cores(later) == 1, "Python started"
    assert wheels(later) == [] and site_image(later) == [], later


# How a kept image is damaged (a disk error, a browser that changed it): its memory's
# beginning overwritten, found out only once Pyodide has started restoring it; or cut
# short, found out before. Or it was made by a build that laid Python's libraries out
# otherwise than this one (image.mjs, startWithLibraries), which its meta says (a
# differing layout) or does not (no layout: older than the check): found out once they are
# loaded, before the memory is restored. Each is JavaScript that changes `memory` (bytes)
# or `meta` (an object), the image's entries.
DAMAGES = {
    "overwritten": ("memory", "memory.fill(7, 0, 64)"),
    "cut": ("memory", "memory = memory.subarray(0, memory.length >> 1)"),
    "laid out otherwise": ("meta", "meta.layout.tableSlots += 1"),
    "laid out before layouts were recorded": ("meta", "delete meta.layout"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_kept_image_that_cannot_be_used_is_deleted_and_the_sites_is_used(live: Live, damage: str) -> None:
    first_visit(live)
    [name] = image_caches(live.page)
    live.page.evaluate(
        """async ([name, [entry, damage]]) => {
          const cache = await caches.open(name);
          const key = `${location.origin}/python-image/${entry}`;
          const kept = await cache.match(key);
          let memory = entry === "memory" ? new Uint8Array(await kept.arrayBuffer()) : null;
          const meta = entry === "meta" ? await kept.json() : null;
          eval(damage);
          await cache.put(key, new Response(entry === "memory" ? memory : JSON.stringify(meta)));
        }""",
        [name, DAMAGES[damage]],
    )
    later_visit(live)
    warnings: list[str] = []
    live.page.on("console", lambda message: warnings.append(message.text))
    since = len(live.requests)
    live.goto(PLOT_PAGE)
    draws_the_figure(live, warnings)
    later = live.requests[since:]
    assert wheels(later) == [] and site_image(later) == ["files.zst", "memory.zst", "meta.json"], later
    # Python started twice, from the one .wasm (compiled once, by the worker).
    assert python_cores(later) == 1, later
    assert any("image kept in this browser could not be used" in text for text in warnings), warnings
    assert image_caches(live.page) == []


# How the site's image is spoilt on its way (an old copy in a cache between, a cut
# download, a bad disk): made for another lock file, its memory cut short, or its files'
# bytes changed midway (zstd's decoder leaves its error codes unchecked: unzstd.mjs).
SPOILS = {
    "another lock file": ("meta.json", lambda body: json.dumps({**json.loads(body), "name": OLDER_IMAGE}).encode()),
    "cut": ("memory.zst", lambda body: body[: len(body) // 2]),
    "damaged": ("files.zst", lambda body: body[: len(body) // 2] + bytes(4096) + body[len(body) // 2 + 4096 :]),
}


@pytest.mark.parametrize("spoil", SPOILS)
def test_a_site_image_that_cannot_be_used_is_passed_over(server: Server, browser: Any, spoil: str) -> None:
    """Python starts the ordinary way, and the console says why."""
    file, change = SPOILS[spoil]

    def spoilt(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=change(response.body()))

    with without_service_worker(server, browser) as (live, warnings):
        live.context.route(f"**{SITE_IMAGE}{file}", spoilt)
        live.goto(PLOT_PAGE)
        draws_the_figure(live, warnings)
    assert any("site's Python image could not be used" in text for text in warnings), warnings
    assert wheels(live.requests), "Python started anew"


def test_over_a_slow_connection_python_starts_without_the_sites_image(server: Server, browser: Any) -> None:
    """At 2 MB/s the image (20 MB) would arrive after a Python started anew has shown its
    figure: its download is given up after a moment, and the console says why."""
    with without_service_worker(server, browser) as (live, notes):  # the throttle is the page's
        live.goto(PLOT_PAGE)
        # The cell is below the fold: Python starts only once it is run, after the throttle.
        assert not [url for url in live.requests if "/pyodide/" in url], "Python started on its own"
        throttle = live.context.new_cdp_session(live.page)
        throttle.send("Network.enable")
        conditions = {"offline": False, "latency": 0, "downloadThroughput": 2e6, "uploadThroughput": 2e6}
        throttle.send("Network.emulateNetworkConditions", conditions)
        draws_the_figure(live, notes)
    assert any("Python image is not downloaded: over this connection" in note for note in notes), notes
    assert wheels(live.requests), "Python started anew"


def test_the_runtime_says_how_fast_a_connection_the_image_needs(server: Server, browser: Any) -> None:
    """imageMinRate (runtime.mjs): at 12 MB/s, over twice the default rate, the image is
    not downloaded for a runtime that wants 24 MB/s."""
    with without_service_worker(server, browser) as (live, notes):
        live.goto(PLOT_PAGE)
        live.page.evaluate(f"async () => (await {RUNTIME_MODULE}).runtime.configure({{ imageMinRate: 24e6 }})")
        throttle = live.context.new_cdp_session(live.page)
        throttle.send("Network.enable")
        conditions = {"offline": False, "latency": 0, "downloadThroughput": 12e6, "uploadThroughput": 12e6}
        throttle.send("Network.emulateNetworkConditions", conditions)
        draws_the_figure(live, notes)
    assert any("Python image is not downloaded: over this connection" in note for note in notes), notes
    assert wheels(live.requests), "Python started anew"


def test_a_reader_can_decline_images(live: Live) -> None:
    """localStorage["activations:python-image"] = "off": no image is downloaded, and none
    is kept or made, however long the page is idle."""
    use_no_images(live.context)
    live.goto(PLOT_PAGE, keep_image=True)
    assert live.run(1) == "done"
    assert wheels(live.requests) and site_image(live.requests) == [], live.requests
    live.page.wait_for_timeout(5000)  # the runtime would keep or make one after 3 s
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
    assert python_cores(later) == 2, "Python started twice"
    assert [url for url in later if url.endswith(".whl")] == []

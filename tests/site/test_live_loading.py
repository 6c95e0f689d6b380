"""How the live cells' Python is loaded: from a CDN with integrity checks (cdn mode), from
the service worker's cache on a second visit, and matplotlib fetched and imported ahead of
need without delaying the first number.

These tests open their own browser contexts, without the request routing of the ``live``
fixture: Playwright's routing bypasses service workers, and these tests are about them.
Other hosts are unreachable all the same (a proxy that is not there, bypassed for
127.0.0.1), and the servers' logs say what was asked of them.

The cdn-mode tests build the site once for this module (``ACTIVATIONS_PYODIDE=cdn``) with
``ACTIVATIONS_PYODIDE_CDN_URL`` naming a fake CDN: a second server on 127.0.0.1 whose
folder is laid out like https://cdn.jsdelivr.net/pyodide/v<version>/full/.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from mkdocs.exceptions import PluginError

from site_src import build, livecells, pyodide_dist
from site_src.pyodide_dist import CDN_URL, CORE_FILES, IMAGE_FILES, PYODIDE_VERSION

from .conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, BuiltSite, Server, mkdocs_env, site_subpath
from .livepage import BOOT_MS, RUNTIME_MODULE, image_detail, image_event, keep_no_image, use_no_images

OFFLINE = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"}  # other hosts fail
HOME = ""  # its first cell computes numbers, no figure


# -- servers ---------------------------------------------------------------------------------
@dataclass
class Served:
    """A folder served on 127.0.0.1; ``requests`` lists (path, status) as they are answered."""

    root: Path
    origin: str
    requests: list[tuple[str, int]]
    tampered: dict[str, Path] = field(default_factory=dict)  # file name -> what to send instead

    def paths(self, since: int = 0) -> list[str]:
        return [path for path, _ in self.requests[since:]]


class _Handler(http.server.SimpleHTTPRequestHandler):
    served: Served

    def translate_path(self, path: str) -> str:
        name = urlsplit(path).path.rsplit("/", 1)[-1]
        replacement = self.served.tampered.get(name)
        return str(replacement) if replacement else super().translate_path(path)

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")  # as jsDelivr does
        super().end_headers()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.served.requests.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


def serve(root: Path) -> tuple[Served, http.server.ThreadingHTTPServer]:
    """Serve ``root`` on a free port of 127.0.0.1 (the caller shuts it down)."""
    served = Served(root=root, origin="", requests=[])
    handler = type("Handler", (_Handler,), {"served": served})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    served.origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    return served, httpd


def mount_site(site: Path, root: Path, copied: tuple[str, ...] = ()) -> None:
    """``root/<sub-path>/`` shows the built ``site``: its entries linked, ``copied`` copied."""
    mount = root / site_subpath().strip("/")
    mount.mkdir(parents=True)
    for entry in site.iterdir():
        if entry.name in copied:
            shutil.copy(entry, mount / entry.name)
        else:
            (mount / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())


# -- a browser page ------------------------------------------------------------------------------
def open_page(context: Any, url: str) -> Any:
    page = context.new_page()
    page.goto(url)
    keep_no_image(page)  # these tests are about the service worker's files
    return page


def run_first_cell(page: Any) -> tuple[str, str]:
    """Press Run on cell 1 and wait for the run to end: (its state, its status or output)."""
    cell = page.locator('.act-cell[data-act-cell="1"]')
    runs = int(cell.get_attribute("data-act-runs") or 0)
    cell.get_by_role("button", name="Run", exact=True).dispatch_event("click")
    page.wait_for_function(
        "(runs) => Number(document.querySelector('.act-cell[data-act-cell=\"1\"]')"
        ".dataset.actRuns || 0) > runs",
        arg=runs,
        timeout=BOOT_MS,
    )
    state = str(cell.get_attribute("data-act-state"))
    text = cell.locator(".act-cell-status" if state == "failed" else ".act-cell-output").inner_text()
    return state, text


def python_value(page: Any, code: str) -> Any:
    """The value of ``code`` evaluated by the page's runtime (runtime.call)."""
    return page.evaluate(
        f"async (code) => (await {RUNTIME_MODULE}).runtime.call(code)", code
    )


def cache_names(page: Any) -> list[str]:
    return sorted(page.evaluate("caches.keys()"))


def answers_by_service_worker(context: Any) -> dict[str, bool]:
    """Whether the service worker answered each URL that ``context``'s pages and their
    workers asked for, filled in as responses arrive. The service worker's own requests to
    the network are left out: they are reported too, for the same URLs, as not answered by it."""
    answered: dict[str, bool] = {}

    def record(response: Any) -> None:
        if response.request.service_worker is None:
            answered[response.url] = response.from_service_worker

    context.on("response", record)
    return answered


def wait_for_control(page: Any) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)


# -- cdn mode ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fake_cdn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, str]]:
    """The official distribution's layout on 127.0.0.1 (a self-hosted assembly is that
    layout: the core files, the official wheels, a lock) and its URL."""
    root = tmp_path_factory.mktemp("cdn")
    folder = root / urlsplit(CDN_URL).path.strip("/")
    pyodide_dist.assemble(folder)
    served, httpd = serve(root)
    try:
        yield served, f"{served.origin}{urlsplit(CDN_URL).path}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def cdn_site(
    fake_cdn: tuple[Served, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Served, Path]]:
    """The site built in cdn mode against the fake CDN, served at its sub-path."""
    _, cdn_url = fake_cdn
    site = tmp_path_factory.mktemp("cdn-build") / "site"
    variables = {"ACTIVATIONS_PYODIDE": "cdn", "ACTIVATIONS_PYODIDE_CDN_URL": cdn_url}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**mkdocs_env(), **variables},
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"the cdn-mode build failed:\n{result.stdout}{result.stderr}", pytrace=False)
    assert f"the rest from {cdn_url}" in result.stderr
    root = tmp_path_factory.mktemp("cdn-www")
    mount_site(site, root)
    served, httpd = serve(root)
    try:
        yield served, site
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_cdn_mode_loads_python_from_the_cdn_and_runs_a_cell(
    fake_cdn: tuple[Served, str], cdn_site: tuple[Served, Path], browser: Any
) -> None:
    cdn, cdn_url = fake_cdn
    site, site_dir = cdn_site
    held = sorted(p.relative_to(site_dir / "pyodide").as_posix() for p in (site_dir / "pyodide").rglob("*.*"))
    assert held == sorted(
        ["pyodide-cdn.json", "pyodide-lock.json", *[p for p in held if p.startswith("activations/")]]
    ) and len(held) == 3, held
    manifest = json.loads((site_dir / "pyodide" / "pyodide-cdn.json").read_text())
    assert manifest["indexURL"] == cdn_url and sorted(manifest["integrity"]) == sorted(
        cdn_url + name for name in CORE_FILES
    )
    context = browser.new_context(proxy=OFFLINE)
    try:
        page = open_page(context, f"{site.origin}{site_subpath()}")
        state, output = run_first_cell(page)
        assert (state, "passes on" in output) == ("done", True), output
    finally:
        context.close()
    from_cdn = {path.rsplit("/", 1)[-1] for path in cdn.paths()}
    assert set(CORE_FILES) <= from_cdn and any(n.startswith("numpy-") for n in from_cdn), from_cdn
    assert not any(n.startswith("activations-") for n in from_cdn), "our wheel is the site's"
    from_site = [p for p in site.paths() if "/pyodide/" in p]
    names = {p.rsplit("/", 1)[-1] for p in from_site}
    assert names == {"pyodide-cdn.json", "pyodide-lock.json", "activations-0.1.0-py3-none-any.whl"}, names
    failed = [(path, code) for path, code in site.requests + cdn.requests if code >= 400]
    assert not failed, failed


def test_cdn_mode_keeps_a_python_image_and_a_later_visit_starts_from_it(
    fake_cdn: tuple[Served, str], cdn_site: tuple[Served, Path], browser: Any
) -> None:
    """The image (site_src/live/image.mjs) of a Python whose core files came from the CDN,
    checked: a later visit asks for the core files again, not for a wheel."""
    site, _ = cdn_site
    context = browser.new_context(proxy=OFFLINE)
    try:
        first = context.new_page()
        first.goto(f"{site.origin}{site_subpath()}")
        made = image_event(first)
        assert run_first_cell(first)[0] == "done"
        assert image_detail(made) == {"made": True}
        first.close()
        asked: list[str] = []  # by the later page and its workers, from any cache or host
        context.on("request", lambda request: asked.append(request.url))
        later = open_page(context, f"{site.origin}{site_subpath()}")
        state, output = run_first_cell(later)
        assert (state, "passes on" in output) == ("done", True), output
    finally:
        context.close()
    assert any(url.endswith("/pyodide.asm.wasm") for url in asked), "Python started"
    wheels = [url for url in asked if url.endswith(".whl")]
    assert wheels == [], f"the later visit asked for {wheels}"


@pytest.mark.parametrize("name", ["pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"])
def test_a_tampered_core_file_on_the_cdn_stops_the_boot_naming_it(
    fake_cdn: tuple[Served, str],
    cdn_site: tuple[Served, Path],
    browser: Any,
    tmp_path: Path,
    name: str,
) -> None:
    """One byte more: the boot fails, saying which file failed its integrity check."""
    cdn, _ = fake_cdn
    site, _ = cdn_site
    original = cdn.root / urlsplit(CDN_URL).path.strip("/") / name
    tampered = tmp_path / name
    tampered.write_bytes(original.read_bytes() + b"\n")
    cdn.tampered[name] = tampered
    context = browser.new_context(proxy=OFFLINE)
    try:
        page = open_page(context, f"{site.origin}{site_subpath()}")
        state, status = run_first_cell(page)
    finally:
        context.close()
        cdn.tampered.clear()
    assert state == "failed", status
    assert f"{name} from {cdn.origin} does not match its integrity hash (sha384-" in status, status


# -- the build option ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, None),
        ({"ACTIVATIONS_PYODIDE": "self"}, None),
        ({"ACTIVATIONS_PYODIDE": "cdn"}, CDN_URL),
        (
            {"ACTIVATIONS_PYODIDE": "cdn", "ACTIVATIONS_PYODIDE_CDN_URL": "http://127.0.0.1:1/x/"},
            "http://127.0.0.1:1/x/",
        ),
    ],
)
def test_the_build_option_chooses_where_pyodide_comes_from(
    variables: dict[str, str], expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ACTIVATIONS_PYODIDE", "ACTIVATIONS_PYODIDE_CDN_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert build.pyodide_source() == expected


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"ACTIVATIONS_PYODIDE": "jsdelivr"}, "ACTIVATIONS_PYODIDE='jsdelivr': use 'self'"),
        ({"ACTIVATIONS_PYODIDE_CDN_URL": "https://x/"}, "is set but ACTIVATIONS_PYODIDE is not 'cdn'"),
        (
            {"ACTIVATIONS_PYODIDE": "cdn", "ACTIVATIONS_PYODIDE_CDN_URL": "https://x/full"},
            "ACTIVATIONS_PYODIDE_CDN_URL: the CDN URL 'https://x/full' must be",
        ),
    ],
)
def test_a_bad_build_option_fails_the_build_saying_why(
    variables: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ACTIVATIONS_PYODIDE", "ACTIVATIONS_PYODIDE_CDN_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(PluginError, match=re.escape(message)):
        build.pyodide_source()


def test_the_service_worker_is_named_by_version_lock_and_image(built_site: BuiltSite) -> None:
    text = livecells.service_worker("1.2.3", "ab" * 32, "pyodide/")
    assert text.startswith(
        'const CACHE_NAME = "activations-pyodide-1.2.3-abababababababab";\n'
        'const PYODIDE_PATH = "pyodide/";\n'
    )
    assert text.endswith(livecells.SERVICE_WORKER_SOURCE.read_text())
    lock = built_site.path / "pyodide" / "pyodide-lock.json"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    image = [hashlib.sha256((lock.parent / "image" / name).read_bytes()).hexdigest() for name in IMAGE_FILES]
    contents = hashlib.sha256(" ".join([digest, *image]).encode()).hexdigest()
    served = (built_site.path / livecells.SERVICE_WORKER).read_text()
    assert served == livecells.service_worker(PYODIDE_VERSION, contents, "pyodide/")
    for bad in ("/pyodide/", "pyodide", "../pyodide/"):
        with pytest.raises(PluginError, match="is not a folder below the root"):
            livecells.service_worker("1.2.3", digest, bad)


def test_the_scripts_name_the_image_folder_the_build_fills() -> None:
    folder = f'"{pyodide_dist.IMAGE_DIR}/"'
    assert f"new URL({folder}, PYODIDE_URL)" in livecells.SERVICE_WORKER_SOURCE.read_text()
    assert f"`${{indexURL}}{pyodide_dist.IMAGE_DIR}/`" in (livecells.LIVE_SOURCES / "cells.mjs").read_text()


# -- the service worker ---------------------------------------------------------------------------
def test_a_second_visit_loads_python_from_the_service_worker(server: Server, browser: Any) -> None:
    """The first visit fills the cache (the service worker claims the page before Python
    starts); a new page in the same browser then asks the server for no pyodide/ file.
    (Without the Python image, which the service worker leaves to the worker.)"""
    context = browser.new_context(proxy=OFFLINE)
    use_no_images(context)
    try:
        before = len(server.requests)
        first = open_page(context, server.base + HOME)
        assert run_first_cell(first)[0] == "done"
        fetched = [p for p, _ in server.requests[before:] if "/pyodide/" in p]
        assert sum(p.endswith("/pyodide.asm.wasm") for p in fetched) == 1, fetched
        names = cache_names(first)
        assert len(names) == 1 and names[0].startswith(livecells.CACHE_PREFIX + PYODIDE_VERSION)
        first.close()
        since = len(server.requests)
        second = open_page(context, server.base + HOME)
        state, output = run_first_cell(second)
        assert (state, "passes on" in output) == ("done", True), output
        again = [p for p, _ in server.requests[since:] if "/pyodide/" in p]
        assert again == [], f"asked the server again for {again}"
    finally:
        context.close()


@contextmanager
def tracing(page: Any) -> Iterator[list[dict[str, Any]]]:
    """The events of the browser's trace (its workers' too) while in the block, in the
    category where Chrome notes the machine code it keeps of a .wasm; filled at its end."""
    session = page.context.new_cdp_session(page)
    events: list[dict[str, Any]] = []
    ended: list[bool] = []
    session.on("Tracing.dataCollected", lambda data: events.extend(data["value"]))
    session.on("Tracing.tracingComplete", lambda _: ended.append(True))
    categories = ["disabled-by-default-devtools.timeline"]
    session.send("Tracing.start", {"traceConfig": {"includedCategories": categories}, "transferMode": "ReportEvents"})
    yield events
    session.send("Tracing.end")
    while not ended:
        page.wait_for_timeout(100)
    session.detach()


def wasm_code_events(events: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [event for event in events if event["name"] == name]


#: V8 keeps the code it optimized once it has optimized no more for 2 s; with this flag at
#: once, so that the first visit's trace sees it whatever the machine's load.
KEEP_CODE_AT_ONCE = "--js-flags=--wasm-caching-timeout-ms=0"


def test_a_later_visit_compiles_python_from_the_code_the_first_kept(
    server: Server, browser: Any, tmp_path: Path
) -> None:
    """Once Chrome has optimized some of pyodide.asm.wasm, it keeps that machine code
    beside the copy it compiled. The service worker answers even the first visit's request
    for it from its cache, so the code is kept where the next visits look for it. (A
    browser with its profile on disk, as a reader's: a private context keeps no code.)"""
    context = browser.browser_type.launch_persistent_context(
        tmp_path,
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, KEEP_CODE_AT_ONCE],
        headless=True,
        proxy=OFFLINE,
    )
    use_no_images(context)
    try:
        first = context.new_page()
        with tracing(first) as events:
            first.goto(server.base + HOME)
            keep_no_image(first)
            assert run_first_cell(first)[0] == "done"
        assert wasm_code_events(events, "v8.wasm.cachedModule"), "Chrome kept no compiled code of Python"
        first.close()
        second = context.new_page()
        with tracing(second) as events:
            second.goto(server.base + HOME)
            keep_no_image(second)
            assert run_first_cell(second)[0] == "done"
        hits = wasm_code_events(events, "v8.wasm.moduleCacheHit")
        assert [hit["args"]["url"].rsplit("/", 1)[-1] for hit in hits] == ["pyodide.asm.wasm"], hits
    finally:
        context.close()


def test_the_service_worker_answers_only_pyodide_files(server: Server, browser: Any) -> None:
    context = browser.new_context(proxy=OFFLINE)
    answered = answers_by_service_worker(context)
    try:
        page = open_page(context, server.base + "concepts/")  # no live cell: Python never starts
        wait_for_control(page)
        page.wait_for_load_state("networkidle")
        since = len(server.requests)
        urls = [
            server.base + path
            for path in ("pyodide/pyodide-lock.json", "assets/site.css", "", "no-such-page/", "objects.inv")
        ]
        for _ in range(2):
            page.evaluate(
                "async (urls) => { for (const url of urls) await fetch(url, { cache: 'no-store' }); }",
                urls,
            )
        lock, *others = urls
        assert answered[lock] is True, "the lock file did not come from the service worker"
        assert not any(answered[url] for url in others), answered
        counts = {url: sum(server.origin + p == url for p, _ in server.requests[since:]) for url in urls}
        assert counts[lock] == 1 and all(counts[url] == 2 for url in others), counts
    finally:
        context.close()


@pytest.fixture
def own_server(built_site: BuiltSite, tmp_path: Path) -> Iterator[Served]:
    """The built site, with a service-worker.js of its own that a test may change."""
    mount_site(built_site.path, tmp_path, copied=(livecells.SERVICE_WORKER,))
    served, httpd = serve(tmp_path)
    try:
        yield served
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_python_starts_when_the_service_worker_cannot_keep_its_files(
    own_server: Served, browser: Any
) -> None:
    """A cache that cannot store (a full disk) loses the reader nothing: the files,
    pyodide.asm.wasm too, are answered from the network, and the cell runs."""
    base = own_server.origin + site_subpath()
    script = own_server.root / site_subpath().strip("/") / livecells.SERVICE_WORKER
    refusing = 'Cache.prototype.put = () => Promise.reject(new DOMException("full", "QuotaExceededError"));\n'
    script.write_text(refusing + script.read_text())
    context = browser.new_context(proxy=OFFLINE)
    use_no_images(context)
    answered = answers_by_service_worker(context)
    try:
        page = open_page(context, base + HOME)
        wait_for_control(page)
        state, output = run_first_cell(page)
        assert state == "done", output
        wasm = base + "pyodide/pyodide.asm.wasm"
        assert answered.get(wasm) is True, f"the service worker did not answer for {wasm}: {answered}"
    finally:
        context.close()


def test_a_new_lock_file_makes_a_new_cache_and_the_old_one_is_deleted(
    own_server: Served, browser: Any
) -> None:
    base = own_server.origin + site_subpath()
    script = own_server.root / site_subpath().strip("/") / livecells.SERVICE_WORKER
    text = script.read_text()
    old = re.search(r'^const CACHE_NAME = "([^"]+)";$', text, re.MULTILINE)
    assert old and old.group(1).startswith(f"{livecells.CACHE_PREFIX}{PYODIDE_VERSION}-")
    lock = base + "pyodide/pyodide-lock.json"
    context = browser.new_context(proxy=OFFLINE)
    try:
        page = open_page(context, base + "concepts/")
        wait_for_control(page)
        page.evaluate("(url) => fetch(url)", lock)
        assert cache_names(page) == [old.group(1)]
        # What a build with another lock file writes: the same script, another cache name.
        new_name = livecells.service_worker(PYODIDE_VERSION, "f" * 64, "pyodide/").splitlines()[0]
        script.write_text(text.replace(text.splitlines()[0], new_name, 1))
        # Later than the first fetch for certain: within the same second, the server's
        # Last-Modified would answer the browser's update check with 304, "unchanged".
        later = script.stat().st_mtime + 10
        os.utime(script, (later, later))
        new = re.search(r'"([^"]+)"', new_name)
        assert new and new.group(1) != old.group(1)
        # The new service worker takes over (the page's controller changes), then its
        # "activate" deletes the old cache.
        page.evaluate(
            """async () => {
              const registration = await navigator.serviceWorker.getRegistration();
              await registration.update();
              const worker = registration.installing || registration.waiting || registration.active;
              while (worker.state !== "activated") {
                await new Promise((resolve) => worker.addEventListener("statechange", resolve, { once: true }));
              }
            }"""
        )
        assert cache_names(page) == []
        page.evaluate("(url) => fetch(url)", lock)
        assert cache_names(page) == [new.group(1)]
        cached = page.evaluate(
            "async ([name, url]) => (await (await caches.open(name)).match(url))?.status", [new.group(1), lock]
        )
        assert cached == 200
    finally:
        context.close()


# -- loading ahead of need -----------------------------------------------------------------------
def test_matplotlib_is_fetched_and_imported_ahead_without_delaying_the_first_number(
    server: Server, browser: Any
) -> None:
    """matplotlib's wheels are requested only once the boot's downloads are over, and
    pyplot is imported only once the first cell has run and Python is idle; then a figure
    is rehearsed (kernel.rehearse: text laid out, though no cell drew), and nothing of it
    stays in pyplot. (Python starts the ordinary way here: the reader declined images.)"""
    context = browser.new_context(proxy=OFFLINE)
    use_no_images(context)
    try:
        since = len(server.requests)
        page = open_page(context, server.base + HOME)
        assert run_first_cell(page)[0] == "done"
        # At once after the first number: nothing of matplotlib imported yet.
        assert python_value(page, "import sys; 'matplotlib' in sys.modules") is False
        deadline = time.monotonic() + 60
        while not python_value(page, "import sys; 'matplotlib.pyplot' in sys.modules"):
            assert time.monotonic() < deadline, "matplotlib.pyplot was not imported ahead"
            page.wait_for_timeout(300)
        assert python_value(page, "import matplotlib; matplotlib.get_backend()") == "agg"
        laid_out = "import matplotlib.text as t; t._get_text_metrics_with_cache_impl.cache_info().currsize"
        while not python_value(page, laid_out):
            assert time.monotonic() < deadline, "no figure was rehearsed"
            page.wait_for_timeout(500)
        assert python_value(page, "import matplotlib.pyplot as plt; plt.get_fignums()") == []
    finally:
        context.close()
    order = [p.rsplit("/", 1)[-1] for p, _ in server.requests[since:]]
    assert not [p for p, _ in server.requests[since:] if "/pyodide/image/" in p], "an image was asked for"
    boot = [i for i, n in enumerate(order) if n in CORE_FILES or n.startswith(("numpy-", "activations-"))]
    ahead = [i for i, n in enumerate(order) if n.startswith(("matplotlib-", "pillow-", "fonttools-"))]
    assert len(ahead) == 3 and boot and min(ahead) > max(boot), order

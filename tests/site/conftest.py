"""Fixtures of the site tests: one strict build per session, served from a sub-path.

``built_site`` runs ``mkdocs build --strict`` once into a temporary directory.
``site_url`` serves that directory at ``http://127.0.0.1:<free port>/activations/``
(the sub-path of ``site_url`` in mkdocs.yml, as on GitHub Pages) with a tiny threaded
HTTP server that records every request. ``browser`` is Debian's Chromium driven by
Playwright; the browser tests skip, saying why, only when Chromium is not installed.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from .livepage import Live

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DRAFT_VARIABLE = "ACTIVATIONS_SITE_DRAFT"


def site_subpath() -> str:
    """The path of site_url in mkdocs.yml, e.g. "/activations/"."""
    match = re.search(r"^site_url:.*?(https?://[^\s\"\]]+)", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)
    assert match, "mkdocs.yml has no site_url"
    path = urlsplit(match.group(1)).path
    return path if path.endswith("/") else path + "/"


def mkdocs_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    log: str
    seconds: float
    draft: bool

    def html_pages(self) -> list[Path]:
        return sorted(self.path.rglob("*.html"))

    def page(self, url_path: str) -> Path:
        """The HTML file of a site path such as "functions/step/"."""
        return self.path / url_path / "index.html" if not url_path.endswith(".html") else self.path / url_path


def run_build(site_dir: Path, cwd: Path = ROOT, config: str = "mkdocs.yml") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "--site-dir", str(site_dir)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=mkdocs_env(),
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    site_dir = tmp_path_factory.mktemp("build") / "site"
    started = time.perf_counter()
    result = run_build(site_dir)
    seconds = time.perf_counter() - started
    log = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed ({result.returncode}):\n{log}", pytrace=False)
    return BuiltSite(site_dir, log, seconds, os.environ.get(DRAFT_VARIABLE) == "1")


# -- serving ---------------------------------------------------------------------------
@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT/activations/
    origin: str  # http://127.0.0.1:PORT
    requests: list[tuple[str, int]] = field(default_factory=list)


class _Handler(http.server.SimpleHTTPRequestHandler):
    record: list[tuple[str, int]]

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.record.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """A download the browser gives up (the worker cancels the Python image over a slow
    connection) breaks the pipe mid-file: the usual end of a request, not an error."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def server(built_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The built site at its sub-path on 127.0.0.1, a free port (never a fixed one)."""
    root = tmp_path_factory.mktemp("www")
    subpath = site_subpath().strip("/")
    mount = root / subpath
    mount.parent.mkdir(parents=True, exist_ok=True)
    mount.symlink_to(built_site.path, target_is_directory=True)
    requests: list[tuple[str, int]] = []
    handler = type("Handler", (_Handler,), {"record": requests})
    httpd = _QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield Server(base=f"{origin}/{subpath}/", origin=origin, requests=requests)
    finally:
        httpd.shutdown()
        httpd.server_close()


# -- the browser -------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed: apt-get install -y chromium (scripts/test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() starts from a fresh, temporary user-data directory every time.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


# -- a page in the browser ----------------------------------------------------------------
@pytest.fixture
def live(server: Server, browser: Any) -> Iterator[Live]:
    """A fresh browser context (desktop size) on the served site; see livepage.py."""
    from .livepage import Live

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    session = Live(server, context, context.new_page())

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if urlsplit(url).hostname != "127.0.0.1":
            session.blocked.append(url)
            request_route.abort()
        elif urlsplit(url).path.endswith("/sitemap.xml"):
            # Material's instant navigation follows the links its sitemap lists, with the
            # host of site_url: here, that is the test server.
            response = request_route.fetch()
            body = re.sub(r"<loc>https?://[^/<]+", f"<loc>{server.origin}", response.text())
            request_route.fulfill(response=response, body=body)
        else:
            request_route.fallback()

    context.route("**/*", route)
    # The requests of the page and its workers; the service worker's own fetches (it
    # fills its cache from the network) would count every download twice.
    context.on(
        "request",
        lambda request: request.service_worker is None and session.requests.append(request.url),
    )

    def dialog(opened: Any) -> None:
        session.dialogs.append(opened.message)
        opened.dismiss()

    session.page.on("dialog", dialog)
    try:
        yield session
        offsite = [
            u
            for u in session.requests
            if urlsplit(u).scheme in ("http", "https") and urlsplit(u).hostname != "127.0.0.1"
        ]
        assert not session.blocked and not offsite, (
            f"requests to other hosts: {session.blocked + offsite}"
        )
        assert not session.dialogs, f"a script ran: {session.dialogs}"
    finally:
        context.close()

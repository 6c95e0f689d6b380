"""How fast the site builds and how light and fast its pages are.

    .venv/bin/python -m benchmarks.site_report            # everything
    .venv/bin/python -m benchmarks.site_report --no-lighthouse

Prints:

* the time of a full ``mkdocs build --strict`` (cold: a fresh output directory);
* the bytes a function page transfers before any interaction, in a fresh browser
  profile, served like GitHub Pages serves it (gzip for text), and the same uncompressed;
  the goal is at most 300 KB;
* Lighthouse 12.2.3 (desktop preset) performance and accessibility scores of the home
  page and one function page. Lighthouse is installed on first use, with npm, into
  ``.cache/lighthouse`` (git-ignored); it drives Debian's ``/usr/bin/chromium``.

The site is served from its sub-path (``/activations/``) on 127.0.0.1 by a small
threaded server in this script. Numbers are measurements, not checks: nothing fails.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
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
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = ROOT / ".cache" / "lighthouse"
BUDGET = 300 * 1024
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def site_subpath() -> str:
    text = (ROOT / "mkdocs.yml").read_text()
    match = re.search(r"^site_url:.*?https?://[^/\s\"]+(/[^\s\"\]]*)", text, re.MULTILINE)
    path = match.group(1) if match else "/"
    return path if path.endswith("/") else path + "/"


# -- build -------------------------------------------------------------------------------
def build(site_dir: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"site_report: the strict build failed:\n{result.stdout}{result.stderr}")
    return seconds


# -- serving like GitHub Pages -------------------------------------------------------------
class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types when the client accepts it."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the base class redirects to the slash
            path = path / "index.html"
        kind = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and wants_gzip and kind.startswith(_COMPRESSIBLE)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as root:
        mount = Path(root) / site_subpath().strip("/")
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(site_dir, target_is_directory=True)
        httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_GzipHandler, directory=root)
        )
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}{site_subpath()}"
        finally:
            httpd.shutdown()
            httpd.server_close()


# -- page weight ---------------------------------------------------------------------------
def page_weight(url: str) -> tuple[int, int, list[tuple[str, int, int]]]:
    """(bytes on the wire, bytes decoded, [(path, wire, decoded)]) of a cold page load.

    Counts every HTTP request of the page and of its workers (Material's search worker),
    headers included, until the network has been idle and 1.5 s more have passed.
    """
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, int, int]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            finished = []
            context.on("requestfinished", lambda request: finished.append(request))
            page = context.new_page()
            page.goto(url, wait_until="networkidle")
            page.wait_for_timeout(1500)  # late requests (the search index) included
            for request in finished:
                if urlsplit(request.url).scheme not in ("http", "https"):
                    continue  # data: URIs travel inside the stylesheet already counted
                sizes = request.sizes()
                response = request.response()
                body = len(response.body()) if response else 0
                # Chromium reports no body size for worker requests; this server always
                # sends Content-Length (of the gzip body when compressed), so use that.
                length = response.headers.get("content-length") if response else None
                wire = sizes["responseHeadersSize"] + (int(length) if length else sizes["responseBodySize"])
                rows.append((urlsplit(request.url).path, wire, body))
            context.close()
        finally:
            browser.close()
    rows.sort(key=lambda row: -row[1])
    return sum(r[1] for r in rows), sum(r[2] for r in rows), rows


# -- Lighthouse ----------------------------------------------------------------------------
def lighthouse_binary() -> Path:
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    package = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    installed = json.loads(package.read_text())["version"] if package.is_file() else None
    if installed != LIGHTHOUSE_VERSION:
        print(f"site_report: installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR}", flush=True)
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund",
             "--loglevel=error", "-E", f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
        )
    return binary


def lighthouse(url: str, out_dir: Path) -> dict[str, float]:
    out_dir.mkdir(parents=True, exist_ok=True)  # Lighthouse needs it to exist
    report = out_dir / (re.sub(r"\W+", "_", urlsplit(url).path).strip("_") or "home")
    report = report.with_suffix(".json")
    result = subprocess.run(
        [
            str(lighthouse_binary()),
            url,
            "--preset=desktop",
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not report.is_file():
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    data = json.loads(report.read_text())
    scores = {name: round(100 * category["score"]) for name, category in data["categories"].items()}
    for audit in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"):
        scores[audit] = data["audits"][audit]["displayValue"]
    return scores


def function_page() -> str:
    import activations

    names = activations.names()
    return f"functions/{'relu' if 'relu' in names else names[0]}/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = Path(tmp) / "site"
        seconds = build(site_dir)
        pages = len(list(site_dir.rglob("*.html")))
        print(f"full build (mkdocs build --strict): {seconds:.1f} s, {pages} HTML pages")
        with serve(site_dir) as base:
            page = function_page()
            on_wire, decoded, rows = page_weight(base + page)
            verdict = "within" if on_wire <= BUDGET else "OVER"
            print(
                f"{page}: {on_wire / 1024:.0f} KB transferred before any interaction"
                f" ({decoded / 1024:.0f} KB uncompressed, {len(rows)} requests);"
                f" {verdict} the {BUDGET // 1024} KB goal"
            )
            for path, wire, raw in rows:
                print(f"    {wire / 1024:7.1f} KB  ({raw / 1024:6.1f} KB raw)  {path}")
            if not args.no_lighthouse:
                if shutil.which("npm") is None:
                    sys.exit("site_report: npm is needed for Lighthouse")
                out_dir = ROOT / ".cache" / "lighthouse-reports"
                for label, path in (("home", ""), ("function page", page)):
                    scores = lighthouse(base + path, out_dir)
                    print(
                        f"Lighthouse {LIGHTHOUSE_VERSION} desktop, {label} ({path or '/'}):"
                        f" performance {scores['performance']}, accessibility {scores['accessibility']}"
                        f" (FCP {scores['first-contentful-paint']}, LCP {scores['largest-contentful-paint']},"
                        f" TBT {scores['total-blocking-time']}, CLS {scores['cumulative-layout-shift']})"
                    )
                print(f"Lighthouse reports: {out_dir}")


if __name__ == "__main__":
    main()

"""The built site, served from its sub-path, is complete and self-contained.

Crawl every page from the home page: each internal link, image, stylesheet, script and
font must answer 200 below the sub-path, and each link's #anchor must exist. Then scan
the built files for resources on other hosts: hyperlinks to papers are fine, anything
the browser would fetch to show a page is not. (test_browser.py checks the same thing
from the browser's side, by logging its requests.)
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from .conftest import BuiltSite, Server, site_subpath
from .sitepages import css_urls, parse_html

# URLs inside the JavaScript Material ships that the site never fetches, and why.
# Anything else absolute in a loaded script fails test_no_external_resources.
_INERT_SCRIPT_URLS = {
    "https://unpkg.com/resize-observer-polyfill": "loaded only by browsers without ResizeObserver",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "loaded only on pages with Mermaid diagrams (none)",
    "https://api.github.com/users/": "repository facts, only with repo_url set (it is not)",
    "https://api.github.com/repos/": "repository facts, only with repo_url set (it is not)",
    "https://${e}/api/v4/projects/": "GitLab repository facts, only with repo_url set (it is not)",
    "https://clipboardjs.com/": "a licence comment",
    "https://bit.ly/2s3ChXG": "a comment in the search worker",
    "http://tartarus.org/~martin/PorterStemmer/js.txt": "a comment in the search worker",
    "http://lunrjs.com": "a licence comment",
}
_NAMESPACES = ("http://www.w3.org/",)


def _fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def test_every_internal_reference_answers_200(server: Server) -> None:
    queue = deque([server.base])
    seen: set[str] = {server.base}
    ids: dict[str, set[str]] = {}
    anchors: list[tuple[str, str, str]] = []  # (page, target, fragment)
    broken: list[str] = []
    while queue:
        url = queue.popleft()
        status, body, kind = _fetch(url)
        if status != 200:
            broken.append(f"{url} answered {status}")
            continue
        found: list[str] = []
        if kind == "text/html":
            parsed = parse_html(body.decode("utf-8"))
            ids[url] = parsed.ids
            for reference in parsed.references:
                found.append(reference.url)
            for style in parsed.inline_styles:
                found += css_urls(style)
        elif kind == "text/css":
            found += css_urls(body.decode("utf-8"))
        for raw in found:
            absolute = urljoin(url, raw)
            if urlsplit(absolute).scheme not in ("http", "https"):
                continue  # mailto:, data:, javascript: never load from the server
            if not absolute.startswith(server.origin + "/"):
                continue  # other hosts: see test_no_external_resources
            target, fragment = urldefrag(absolute)
            if not target.startswith(server.base):
                broken.append(f"{url} refers to {raw!r}, outside the site's sub-path")
                continue
            if fragment:
                anchors.append((url, target, fragment))
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for page, target, fragment in anchors:
        if target in ids and fragment not in ids[target]:
            broken.append(f"{page} links to {target}#{fragment}: no such anchor")
    pages = [u for u in seen if u in ids]
    assert len(pages) > 10, f"the crawl found only {len(pages)} pages"
    for needed in ("functions/", "comparison/", "accuracy/", "api/", "concepts/dead-units/"):
        assert server.base + needed in seen, f"the crawl never reached {needed}"
    fonts = [u for u in seen if u.endswith(".woff2")]
    assert fonts, "the crawl found no font files (KaTeX's)"
    assert not broken, "\n".join(sorted(set(broken)))


def _site_files(built_site: BuiltSite, suffix: str) -> list[Path]:
    return sorted(p for p in built_site.path.rglob(f"*{suffix}") if p.is_file())


def test_no_external_resources(built_site: BuiltSite) -> None:
    problems: list[str] = []
    loaded_scripts: set[Path] = set()
    for page in _site_files(built_site, ".html"):
        parsed = parse_html(page.read_text(encoding="utf-8"))
        where = page.relative_to(built_site.path)
        for reference in parsed.references:
            external = urlsplit(reference.url).scheme in ("http", "https") or reference.url.startswith("//")
            if reference.loads and external:
                problems.append(f"{where}: <{reference.tag} {reference.attribute}> loads {reference.url}")
            if reference.tag == "script" and not external:
                loaded_scripts.add(_local_file(built_site, page, reference.url))
        for style in parsed.inline_styles:
            problems += [f"{where}: a style loads {u}" for u in css_urls(style) if _is_external(u)]
    for stylesheet in _site_files(built_site, ".css"):
        where = stylesheet.relative_to(built_site.path)
        problems += [f"{where} loads {u}" for u in css_urls(stylesheet.read_text()) if _is_external(u)]
    worker = next((built_site.path / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    for script in sorted(loaded_scripts | {worker.resolve()}):
        text = script.read_text(encoding="utf-8")
        for url in re.findall(r"""https?://[^\s"'`)\\]+""", text):
            if url.startswith(_NAMESPACES) or any(url.startswith(inert) for inert in _INERT_SCRIPT_URLS):
                continue
            problems.append(f"{script.name} refers to {url}")
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_exceptions_above_stay_inert(built_site: BuiltSite) -> None:
    """The scripts' external URLs are inert only while the site has no Mermaid and no repo."""
    for page in _site_files(built_site, ".html"):
        text = page.read_text(encoding="utf-8")
        assert 'class="mermaid"' not in text, f"{page}: Mermaid would load from unpkg.com"
        assert "md-source" not in text, f"{page}: repo_url makes the page call api.github.com"


def _local_file(built_site: BuiltSite, page: Path, url: str) -> Path:
    path = url.split("?")[0].split("#")[0]
    subpath = site_subpath()
    if path.startswith(subpath):  # 404.html uses absolute URLs: it is served at any path
        return (built_site.path / path[len(subpath):]).resolve()
    return (page.parent / path).resolve()


def _is_external(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") or url.startswith("//")

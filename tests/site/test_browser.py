"""The site in a real browser (Debian's Chromium through Playwright), served from its
sub-path: readable without JavaScript, no request leaves 127.0.0.1, no serious or
critical accessibility violation (axe-core), KaTeX's fonts load, and search finds a
function by any of its names."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

import activations

from .conftest import ROOT, Server
from .sitepages import PAGE_TYPES, function_paths

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def no_js_page(browser: object) -> Iterator[object]:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def test_function_pages_without_javascript(server: Server, no_js_page: object) -> None:
    """Formula, derivative and plot are in the HTML, rendered: no script is needed."""
    page = no_js_page
    for path in function_paths():
        page.goto(server.base + path)
        for selector in (".act-formula .katex-html", ".act-derivative .katex-html", "figure.act-plot svg"):
            element = page.locator(selector).first
            assert element.count() == 1, f"{path}: no {selector}"
            box = element.bounding_box()
            assert box and box["width"] > 10 and box["height"] > 10, f"{path}: {selector} is {box}"
        assert page.locator("figure.act-plot svg path").count() > 5, f"{path}: an empty plot"


def _visit(browser: object, url: str, scheme: str = "light") -> tuple[object, object, list[str]]:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    return context, page, requests


def test_pages_request_nothing_from_other_hosts(server: Server, browser: object) -> None:
    offenders: list[str] = []
    for kind, path in PAGE_TYPES.items():
        context, page, requests = _visit(browser, server.base + path)
        try:
            page.wait_for_timeout(300)
            for url in requests:
                host = urlsplit(url).hostname
                if urlsplit(url).scheme in ("http", "https") and host != "127.0.0.1":
                    offenders.append(f"{kind} ({path}) requested {url}")
            assert any(u.endswith(".woff2") for u in requests) or kind == "api", f"{kind}: no font loaded"
        finally:
            context.close()
    assert not offenders, "\n".join(offenders)


def test_katex_fonts_load(server: Server, browser: object) -> None:
    context, page, _ = _visit(browser, server.base + function_paths()[0])
    try:
        page.evaluate("document.fonts.ready")
        loaded = page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))"
        )
        assert "KaTeX_Main" in loaded and "KaTeX_Math" in loaded, loaded
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_accessibility(server: Server, browser: object, kind: str, scheme: str) -> None:
    context, page, _ = _visit(browser, server.base + PAGE_TYPES[kind], scheme)
    try:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, json.dumps(serious, indent=1)
    finally:
        context.close()


def test_search_finds_a_function_by_its_alias(server: Server, browser: object) -> None:
    """Searching "swish" finds SiLU (or, before that record exists, another alias)."""
    if "silu" in activations.names():
        alias, name = "swish", "silu"
    else:
        name = next(n for n in activations.names() if activations.get(n).aliases)
        alias = activations.get(name).aliases[0]
    context, page, _ = _visit(browser, server.base)
    try:
        page.locator("input.md-search__input").click()
        page.keyboard.type(alias)  # Material searches on key events, not on fill()
        # Results come as the letters are typed: wait for those of the whole word.
        page.locator(f'.md-search-result__item a[href*="?h={alias}"]').first.wait_for(timeout=15000)
        href = page.locator(".md-search-result__item a").first.get_attribute("href")
        assert f"functions/{name}/" in href, f"searching {alias!r}: first hit {href}"
    finally:
        context.close()


_CONTRAST = """
(element) => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const background = rgb(getComputedStyle(document.body).backgroundColor);
  const svg = element;
  const text = svg.querySelector("text");
  const lines = [...svg.querySelectorAll("path")].map((p) => getComputedStyle(p).stroke).filter((s) => s.startsWith("rgb"));
  return {
    text: ratio(rgb(getComputedStyle(text).fill), background),
    lines: [...new Set(lines)].map((s) => [s, ratio(rgb(s), background)]),
  };
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_plots_are_legible_in_both_palettes(server: Server, browser: object, scheme: str) -> None:
    """Plot colours are CSS variables: text 4.5:1, the curves 3:1 against the page."""
    context, page, _ = _visit(browser, server.base + function_paths()[0], scheme)
    try:
        result = page.locator("figure.act-plot svg").first.evaluate(_CONTRAST)
        assert result["text"] >= 4.5, f"{scheme}: plot text contrast {result['text']:.2f}"
        curves = [(colour, ratio) for colour, ratio in result["lines"] if ratio >= 3.0]
        assert len(curves) >= 2, f"{scheme}: f and f' need 3:1 against the page, got {result['lines']}"
    finally:
        context.close()


def test_comparison_table_sorts(server: Server, browser: object) -> None:
    context, page, _ = _visit(browser, server.base + "comparison/")
    try:
        table = page.locator(".act-comparison table")
        header = table.locator("th", has_text="Function").locator("button")
        names = lambda: table.locator("tbody tr td:first-child").all_inner_texts()  # noqa: E731
        original = names()
        header.click()
        assert names() == sorted(original, key=str.lower)
        assert table.locator("th", has_text="Function").get_attribute("aria-sort") == "ascending"
        header.click()
        assert names() == sorted(original, key=str.lower, reverse=True)
    finally:
        context.close()

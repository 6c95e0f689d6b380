"""The PyScript page of ``benchmarks/pyscript_compare.py`` works, so that the benchmark
cannot break silently: PyScript is the release it names and pairs with the site's Pyodide,
the page holds the site's plotting cell, and in Chromium, with every other host refused, it
boots PyScript on the site's ``pyodide/`` folder and draws the figure.

This is a smoke test of the benchmark's machinery, not a timing: nothing here is measured
against a goal (benchmarks are scripts, never timed tests).
"""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from benchmarks import pyscript_compare

from .conftest import BuiltSite
from .livepage import BOOT_MS


def test_pyscript_is_the_pinned_release_and_pairs_with_the_sites_pyodide(
    built_site: BuiltSite,
) -> None:
    their_default = pyscript_compare.pyscript_pyodide_version()
    assert their_default == pyscript_compare.site_pyodide_version(built_site.path) == "0.27.7"


def test_the_pyscript_page_holds_the_sites_plotting_cell(built_site: BuiltSite) -> None:
    code = pyscript_compare.plotting_cell(built_site.path)
    assert code.startswith("import numpy as np\nimport matplotlib.pyplot as plt\n"), code
    assert 'activations.get("gelu")' in code and "plt.plot(" in code
    page = pyscript_compare.pyscript_page(pyscript_compare.pyscript_cell(code))
    assert f"\n{code}\n" in page, "the cell's code is not in the page as it is on the site"
    assert 'display(plt.gcf(), target="figure", append=False)' in page
    assert "&quot;interpreter&quot;: &quot;pyodide/pyodide.mjs&quot;" in page  # an attribute


def test_a_page_without_a_plotting_cell_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "functions" / "gelu" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<div class="act-cell" data-act-cell="1"><pre><code>x = 1</code></pre></div>')
    with pytest.raises(SystemExit, match="cell 1 of functions/gelu/ does not plot: 'x = 1'"):
        pyscript_compare.plotting_cell(tmp_path)


def test_code_that_would_end_the_script_element_is_refused() -> None:
    with pytest.raises(ValueError, match="</script"):
        pyscript_compare.pyscript_page('print("</script>")')


def test_both_are_served_alike_and_only_pyscript_is_isolated(built_site: BuiltSite) -> None:
    with pyscript_compare.serve(built_site.path) as served:
        headers, bodies = {}, {}
        for peer, url in (("ours", served.ours), ("PyScript", served.pyscript)):
            with urllib.request.urlopen(url) as response:
                headers[peer], bodies[peer] = response.headers, response.read().decode()
    assert 'data-act-cell="1"' in bodies["ours"] and 'type="py-editor"' in bodies["PyScript"]
    for peer in ("ours", "PyScript"):
        assert headers[peer]["Cache-Control"] == "max-age=600", peer
    assert headers["PyScript"]["Cross-Origin-Embedder-Policy"] == "require-corp"
    assert headers["PyScript"]["Cross-Origin-Opener-Policy"] == "same-origin"
    isolation = {"Cross-Origin-Embedder-Policy", "Cross-Origin-Opener-Policy"}
    assert not isolation & set(headers["ours"]), "GitHub Pages cannot isolate the site"


def test_a_bandwidth_given_paces_what_both_pages_are_sent(built_site: BuiltSite) -> None:
    wheels = (built_site.path / "pyodide").glob("*.whl")
    wheel = min(wheels, key=lambda path: abs(path.stat().st_size - 500_000))
    size = wheel.stat().st_size
    mbps = size * 8 / 1e6 / 0.25  # a quarter of a second for the wheel
    with pyscript_compare.serve(built_site.path, mbps) as served:
        site_root = served.ours.removesuffix(pyscript_compare.PLOT_PAGE)
        for folder in (site_root + "pyodide/", served.pyscript + "pyodide/"):
            wheel_url = folder + wheel.name
            before, started = served.sent[0], time.perf_counter()
            with urllib.request.urlopen(wheel_url) as response:
                assert len(response.read()) == size
            assert time.perf_counter() - started >= 0.24, f"{wheel_url} was not paced at {mbps:g}"
            counted = time.perf_counter() + 5  # the server counts a chunk once it is written
            while served.sent[0] - before < size and time.perf_counter() < counted:
                time.sleep(0.01)
            assert served.sent[0] - before == size


def test_a_bandwidth_below_zero_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        pyscript_compare.main(["--mbps", "-5"])
    assert "--mbps must be 0 (unlimited) or more, not -5" in capsys.readouterr().err


def test_the_pyscript_page_runs_the_cell_offline(built_site: BuiltSite, browser: Any) -> None:
    with pyscript_compare.serve(built_site.path) as served:
        # The browser of the fixture gives the BrowserType; the profile is a fresh one.
        with pyscript_compare.fresh_profile(browser.browser_type, served) as browsing:
            requested: list[str] = []
            browsing.page.context.on("request", lambda request: requested.append(request.url))
            shown = pyscript_compare.press_run(
                browsing, "PyScript", served.sent, served.pyscript, timeout_ms=BOOT_MS
            )
            assert browsing.page.evaluate("crossOriginIsolated")
            image = browsing.page.locator(f"#{pyscript_compare.FIGURE_ID} img")
            assert image.count() == 1
            assert image.evaluate("(img) => img.complete && img.naturalWidth") > 100
        assert not browsing.elsewhere, f"requests to other hosts: {browsing.elsewhere}"
    pyodide = f"{pyscript_compare.PYSCRIPT_PATH}pyodide/"
    for name in ("pyodide.asm.wasm", "pyodide-lock.json", "activations-"):
        assert any(pyodide in url and name in url for url in requested), (name, requested)
    assert 0 < shown.after_click <= shown.seconds


def test_a_pyscript_page_that_cannot_boot_fails_saying_so(
    built_site: BuiltSite, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = pyscript_compare.pyscript_page

    def without_pyodide(code: str) -> str:
        return page(code).replace("pyodide/pyodide.mjs", "pyodide/missing.mjs")

    monkeypatch.setattr(pyscript_compare, "pyscript_page", without_pyodide)
    with pyscript_compare.serve(built_site.path) as served:
        with pyscript_compare.fresh_profile(browser.browser_type, served) as browsing:
            failure = "PyScript: .*timed out: the figure"
            with pytest.raises(pyscript_compare.RunFailed, match=failure):
                pyscript_compare.press_run(
                    browsing, "PyScript", served.sent, served.pyscript, timeout_ms=10_000
                )

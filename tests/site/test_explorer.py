"""The explorer of the function pages and the compare view, in Chromium.

What the page plots and reads out must be exactly what the package computes: the
expected values come from CPython's ``activations.lab.curves`` in this process, and the
page's come from the same module in Pyodide. The drawn data is the chart's
``actData`` (site_src/live/chart.mjs); the readout is compared after parsing its text.
"""

from __future__ import annotations

import math
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from activations.lab.curves import curves, overlay

from .conftest import Server
from .livepage import BOOT_MS, Live, follow_link, serious_violations

POINTS = 601  # site_src/live/explorer.mjs POINTS
PAGE = "functions/elu/"
COMPARE = "explore/compare/"
WIDGET = "[data-act-widget]"


# -- helpers -------------------------------------------------------------------------------
def draws(live: Live) -> int:
    return int(live.page.locator(WIDGET).first.get_attribute("data-act-draws") or 0)


def reach_for(live: Live) -> None:
    """Point at the page's demo, as a reader reaching for it: on a function page, that is
    what starts Python (reading the page alone downloads nothing)."""
    live.page.locator(f"{WIDGET} :is(.act-explorer-live, .act-compare)").first.wait_for(timeout=30_000)
    live.page.locator(WIDGET).first.hover()


def wait_for_draws(live: Live, count: int, timeout: int = BOOT_MS) -> None:
    live.page.wait_for_function(
        "(count) => Number(document.querySelector('[data-act-widget]')?.dataset.actDraws || 0) >= count",
        arg=count,
        timeout=timeout,
    )


def wait_for_params(live: Live, params: dict[str, Any]) -> None:
    """Until a drawing made with ``params`` is on screen (and no call is pending for later ones)."""
    live.page.wait_for_function(
        """(params) => {
          const plot = document.querySelector('[data-act-widget] .act-chart-plot');
          return plot?.actParams && JSON.stringify(plot.actParams) === JSON.stringify(params);
        }""",
        arg=params,
        timeout=30_000,
    )


def drawn(live: Live) -> dict[str, Any]:
    """The data of the chart: {x, range, series: {key: {y, gaps}}} and the path's d of each."""
    return live.page.evaluate(
        """() => {
          const root = document.querySelector('[data-act-widget]');
          const data = root.querySelector('.act-chart-plot').actData;
          const series = {};
          for (const s of data.series) {
            series[s.key] = { y: s.y, gaps: s.gaps ?? [], d: root.querySelector(`[data-series="${s.key}"] path`).getAttribute('d') };
          }
          return { x: data.x, range: data.range, series };
        }"""
    )


def assert_close(actual: list[float], expected: list[float]) -> None:
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        if math.isnan(e):
            assert math.isnan(a)
        else:
            assert a == pytest.approx(e, rel=1e-12, abs=1e-300), (a, e)


def assert_draws_curves(live: Live, name: str, params: dict[str, Any], lo: float, hi: float) -> dict[str, Any]:
    expected = curves(name, params, lo, hi, POINTS)
    data = drawn(live)
    assert data["range"] == [lo, hi]
    assert_close(data["x"], expected["x"])
    assert_close(data["series"]["f"]["y"], expected["f"])
    assert_close(data["series"]["df"]["y"], expected["df"])
    assert data["series"]["f"]["gaps"] == expected["f_gaps"]
    assert data["series"]["df"]["d"].count("L") > POINTS // 2, "the path is drawn"
    return data


def readout(live: Live) -> dict[str, float]:
    """The readout's "label = value" pairs, values parsed (true minus signs allowed)."""
    text = live.page.locator(f"{WIDGET} .act-chart-readout").inner_text()
    pairs = re.findall(r"([^,=]+?) = ([^,]+)", text)
    assert pairs, text
    return {label.strip(): float(value.replace("−", "-")) for label, value in pairs}


def formatted(value: float) -> float:
    """A value as the readout rounds it (6 significant digits)."""
    return float(f"{value:.6g}")


def query(live: Live, expected: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """The page's query, parsed; with ``expected``, once it has that value (the page writes
    its URL at most every 250 ms)."""
    deadline = time.monotonic() + 5
    while True:
        parsed = parse_qs(urlsplit(live.page.url).query)
        if expected is None or parsed == expected or time.monotonic() > deadline:
            return parsed
        live.page.wait_for_timeout(50)


# -- the explorer ----------------------------------------------------------------------------
def test_the_static_plot_stays_without_javascript(server: Server, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(server.base + PAGE)
        explorer = page.locator('[data-act-widget="explorer"]')
        assert explorer.count() == 1
        assert explorer.locator("figure.act-plot svg").is_visible()
        assert explorer.locator("input, .act-chart-plot").count() == 0
    finally:
        context.close()


def test_the_static_plot_stands_in_until_python_is_ready(live: Live) -> None:
    """With Python unable to start, the page keeps its static plot and says why."""
    live.context.route("**/pyodide.asm.wasm", lambda route: route.abort())
    live.goto(PAGE)
    explorer = live.page.locator('[data-act-widget="explorer"]')
    slider = explorer.locator('input[type="range"][name="alpha"]')
    slider.wait_for(timeout=30_000)
    assert explorer.locator("figure.act-plot svg").is_visible()
    reach_for(live)
    alert = explorer.locator(".act-explorer-status[role=alert]")
    alert.wait_for(timeout=BOOT_MS)
    assert "Python did not start" in alert.inner_text()
    assert explorer.locator("figure.act-plot svg").is_visible()
    assert not explorer.locator(".act-explorer-chart").is_visible()
    assert draws(live) == 0


def test_reading_a_function_page_downloads_no_python_until_the_reader_reaches_for_the_explorer(
    live: Live,
) -> None:
    live.goto(PAGE)
    explorer = live.page.locator('[data-act-widget="explorer"]')
    explorer.locator('input[type="range"][name="alpha"]').wait_for(timeout=30_000)
    live.page.wait_for_timeout(3000)
    assert not [u for u in live.requests if "/pyodide/" in u], "Python loaded before the reader asked"
    assert "to start Python" in explorer.locator(".act-explorer-status").inner_text()
    live.page.keyboard.press("Tab")  # into the page; Tab until the focus is in the explorer
    for _ in range(200):
        if live.page.evaluate("document.querySelector('[data-act-widget]').contains(document.activeElement)"):
            break
        live.page.keyboard.press("Tab")
    wait_for_draws(live, 1)
    assert_draws_curves(live, "elu", {"alpha": 1.0}, -5.0, 5.0)


def test_moving_a_slider_redraws_with_the_packages_values(live: Live) -> None:
    live.goto(PAGE)
    reach_for(live)
    wait_for_draws(live, 1)
    explorer = live.page.locator('[data-act-widget="explorer"]')
    assert not explorer.locator("figure.act-plot").is_visible(), "the live chart replaced the static plot"
    before = assert_draws_curves(live, "elu", {"alpha": 1.0}, -5.0, 5.0)

    slider = explorer.locator('input[type="range"][name="alpha"]')
    slider.focus()
    for _ in range(3):
        live.page.keyboard.press("ArrowLeft")
    alpha = float(slider.input_value())
    assert 0.9 < alpha < 1.0
    assert explorer.locator('output[data-act-param="alpha"]').inner_text() == slider.input_value()
    wait_for_params(live, {"alpha": alpha})
    after = assert_draws_curves(live, "elu", {"alpha": alpha}, -5.0, 5.0)
    assert after["series"]["f"]["d"] != before["series"]["f"]["d"]
    assert query(live, {"alpha": [slider.input_value()]}) == {"alpha": [slider.input_value()]}

    # The readout, at the sample the keyboard moves to, gives the package's values.
    plot = explorer.locator(".act-chart-plot")
    plot.focus()
    for _ in range(3):
        live.page.keyboard.press("ArrowLeft")  # the first press shows the middle sample
    expected = curves("elu", {"alpha": alpha}, -5.0, 5.0, POINTS)
    index = int(explorer.locator(".act-chart-readout").get_attribute("data-act-index"))
    assert expected["x"][index] < 0, "on the negative side, where alpha matters"
    values = readout(live)
    assert values == {
        "x": formatted(expected["x"][index]),
        "f(x)": formatted(expected["f"][index]),
        "f′(x)": formatted(expected["df"][index]),
    }


def test_a_link_restores_the_parameters_and_range(live: Live) -> None:
    live.goto(PAGE + "?alpha=0.3&xmin=-2&xmax=1.5")
    reach_for(live)
    wait_for_draws(live, 1)
    explorer = live.page.locator('[data-act-widget="explorer"]')
    assert explorer.locator('output[data-act-param="alpha"]').inner_text() == "0.3"
    assert float(explorer.locator('input[name="alpha"]').input_value()) == pytest.approx(0.3, abs=0.015)
    assert_draws_curves(live, "elu", {"alpha": 0.3}, -2.0, 1.5)
    assert explorer.locator(".act-explorer-note").is_hidden()


def test_bad_values_in_a_link_are_ignored_with_a_note(live: Live) -> None:
    live.goto(PAGE + "?alpha=99&xmin=3&xmax=1")
    reach_for(live)
    wait_for_draws(live, 1)
    note = live.page.locator('[data-act-widget="explorer"] .act-explorer-note')
    assert "Ignored from the link: alpha=99" in note.inner_text() and "xmin=3" in note.inner_text()
    assert_draws_curves(live, "elu", {"alpha": 1.0}, -5.0, 5.0)


def test_the_keyboard_zooms_and_pans_and_the_url_follows(live: Live) -> None:
    live.goto("functions/relu/")
    reach_for(live)
    wait_for_draws(live, 1)
    plot = live.page.locator('[data-act-widget="explorer"] .act-chart-plot')
    plot.focus()
    live.page.keyboard.press("+")
    wait_for_range(live, [-4.0, 4.0])
    assert_draws_curves(live, "relu", {}, -4.0, 4.0)
    assert query(live, {"xmin": ["-4"], "xmax": ["4"]}) == {"xmin": ["-4"], "xmax": ["4"]}
    live.page.keyboard.press("Shift+ArrowRight")
    wait_for_range(live, [-3.2, 4.8])
    live.page.keyboard.press("0")
    wait_for_range(live, [-5.0, 5.0])
    assert query(live, {}) == {}


def wait_for_range(live: Live, expected: list[float]) -> None:
    live.page.wait_for_function(
        """(expected) => {
          const data = document.querySelector('[data-act-widget] .act-chart-plot').actData;
          return data.range.every((v, i) => Math.abs(v - expected[i]) < 1e-9);
        }""",
        arg=expected,
        timeout=30_000,
    )


def test_a_choice_parameter_and_a_jump(live: Live) -> None:
    live.goto("functions/gelu/?approximate=tanh")
    reach_for(live)
    wait_for_draws(live, 1)
    select = live.page.locator('[data-act-widget="explorer"] select[name="approximate"]')
    assert select.input_value() == "tanh"
    assert_draws_curves(live, "gelu", {"approximate": "tanh"}, -5.0, 5.0)
    live.goto("functions/step/")
    reach_for(live)
    wait_for_draws(live, 1)
    data = assert_draws_curves(live, "step", {}, -5.0, 5.0)
    assert data["series"]["f"]["gaps"], "the step's jump breaks its line"
    assert live.page.locator('[data-series="f"] circle').count() == 1, "the value at the jump is a dot"


def test_a_vector_function_shows_its_slice(live: Live) -> None:
    live.goto("functions/softmax/")
    reach_for(live)
    wait_for_draws(live, 1)
    explorer = live.page.locator('[data-act-widget="explorer"]')
    assert "first output y₀ for the input (x, 0)" in explorer.locator(".act-explorer-about").inner_text()
    assert explorer.locator("input, select").count() == 0
    assert_draws_curves(live, "softmax", {}, -5.0, 5.0)


def assert_axe_passes_in_both_palettes(live: Live) -> None:
    """axe on the whole page in the light palette, and on the demo in the dark one (switched
    by hand here, which Material's own switch does more thoroughly for the rest of the page;
    test_browser.py checks the whole page in a dark browser)."""
    for scheme, where in (("default", "document"), ("slate", "document.querySelector('[data-act-widget]')")):
        live.page.evaluate("(scheme) => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
        serious = serious_violations(live.page, where)
        assert not serious, (scheme, serious)


def test_the_explorer_passes_axe_and_fits_a_narrow_screen(live: Live) -> None:
    live.goto(PAGE)
    reach_for(live)
    wait_for_draws(live, 1)
    live.page.locator('[data-act-widget] .act-chart-plot').focus()
    live.page.keyboard.press("ArrowRight")  # the readout and its crosshair shown
    assert_axe_passes_in_both_palettes(live)

    live.page.set_viewport_size({"width": 360, "height": 740})
    live.page.wait_for_timeout(300)
    assert live.page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    box = live.page.locator('[data-act-widget="explorer"] .act-chart-svg').bounding_box()
    assert box and 200 < box["width"] <= 360


def test_dark_palette_colours_the_chart(live: Live) -> None:
    live.goto(PAGE)
    reach_for(live)
    wait_for_draws(live, 1)
    stroke = 'getComputedStyle(document.querySelector(\'[data-act-widget] [data-series="f"] path\')).stroke'
    light = live.page.evaluate(stroke)
    live.page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark = live.page.evaluate(stroke)
    assert light != dark and "rgb" in dark


# -- the compare view ---------------------------------------------------------------------------
def compare_keys(live: Live) -> list[str]:
    return live.page.evaluate(
        "() => document.querySelector('[data-act-widget] .act-chart-plot').actData.series.map((s) => s.key)"
    )


def test_compare_starts_with_the_seeds_four_and_presets_change_it(live: Live) -> None:
    live.goto(COMPARE)
    reach_for(live)
    wait_for_draws(live, 1)
    assert compare_keys(live) == ["f:step", "f:sigmoid", "f:relu", "f:tanh"]
    expected = overlay(["step", "sigmoid", "relu", "tanh"], -5.0, 5.0, POINTS)
    data = drawn(live)
    assert_close(data["x"], expected["x"])
    for curve in expected["curves"]:
        assert_close(data["series"][f"f:{curve['name']}"]["y"], curve["f"])

    count = draws(live)
    live.page.get_by_role("button", name="Smooth gates").click()
    wait_for_draws(live, count + 1)
    # In the package's order (activations.names()), whatever the preset's.
    gates = ["f:softplus", "f:gelu", "f:silu", "f:mish"]
    live.page.wait_for_function(
        "(keys) => JSON.stringify(document.querySelector('[data-act-widget] .act-chart-plot')"
        ".actData.series.map((s) => s.key)) === JSON.stringify(keys)",
        arg=gates,
    )
    assert query(live, {"f": ["softplus,gelu,silu,mish"]}) == {"f": ["softplus,gelu,silu,mish"]}
    assert live.page.locator(".act-chart-legend li").count() == 4


def test_compare_restores_a_link_with_derivatives(live: Live) -> None:
    live.goto(COMPARE + "?f=relu,gelu&d=relu,bogus&xmin=-3&xmax=3")
    reach_for(live)
    wait_for_draws(live, 1)
    assert compare_keys(live) == ["f:relu", "d:relu", "f:gelu"]
    expected = overlay(["relu", "gelu"], -3.0, 3.0, POINTS)
    data = drawn(live)
    assert data["range"] == [-3, 3]
    assert_close(data["series"]["d:relu"]["y"], expected["curves"][0]["df"])
    assert_close(data["series"]["f:gelu"]["y"], expected["curves"][1]["f"])
    assert live.page.get_by_label("ReLU f′", exact=True).is_checked()
    assert not live.page.get_by_label("GELU f′", exact=True).is_checked()
    assert "d=bogus" in live.page.locator(".act-explorer-note").inner_text()

    # Ticking a box with the keyboard adds a curve, and the readout lists it.
    live.page.get_by_label("GELU f′", exact=True).focus()
    count = draws(live)
    live.page.keyboard.press("Space")
    wait_for_draws(live, count + 1)
    assert compare_keys(live) == ["f:relu", "d:relu", "f:gelu", "d:gelu"]
    wanted = {"f": ["relu,gelu"], "d": ["relu,gelu"], "xmin": ["-3"], "xmax": ["3"]}
    assert query(live, wanted) == wanted
    live.page.locator("[data-act-widget] .act-chart-plot").focus()
    live.page.keyboard.press("End")
    values = readout(live)
    last = len(expected["x"]) - 1
    assert values["x"] == 3.0
    assert values["GELU f′"] == formatted(expected["curves"][1]["df"][last])


def test_compare_passes_axe_and_fits_a_narrow_screen(live: Live) -> None:
    live.page.set_viewport_size({"width": 360, "height": 740})
    live.goto(COMPARE + "?d=relu")
    reach_for(live)
    wait_for_draws(live, 1)
    assert_axe_passes_in_both_palettes(live)
    assert live.page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_fast_drag_is_coalesced_and_the_latest_value_wins(live: Live) -> None:
    live.goto(PAGE)
    reach_for(live)
    wait_for_draws(live, 1)
    before = draws(live)
    last = live.page.evaluate(
        """() => {
          const slider = document.querySelector('[data-act-widget] input[name="alpha"]');
          for (let i = 0; i <= 50; i++) {
            slider.value = String(i * 0.03);
            slider.dispatchEvent(new Event('input', { bubbles: true }));
          }
          return Number(slider.value);
        }"""
    )
    wait_for_params(live, {"alpha": last})
    assert draws(live) - before < 10, "one call in flight at a time: 51 events, a few redraws"
    assert_draws_curves(live, "elu", {"alpha": last}, -5.0, 5.0)


def test_instant_navigation_mounts_the_next_pages_explorer_and_leaves_its_url_alone(live: Live) -> None:
    """Material's instant navigation (a link followed without a page load): the old
    explorer unmounts, its pending URL write is cancelled, the new page's explorer draws."""
    live.goto(PAGE)
    reach_for(live)
    wait_for_draws(live, 1)
    live.page.locator('[data-act-widget] input[name="alpha"]').focus()
    live.page.keyboard.press("ArrowLeft")  # schedules a URL write for the ELU page
    url = live.server.base + "functions/celu/"
    follow_link(live.page, url, "[data-act-widget]")
    live.page.wait_for_function(
        "(url) => location.href === url && !document.querySelector('[data-act-widget]').actLeft",
        arg=url,
        timeout=30_000,
    )
    wait_for_draws(live, 1, timeout=60_000)
    live.page.wait_for_timeout(400)  # longer than the URL throttle
    assert live.page.url == url, "the ELU explorer wrote its state into the CELU page's URL"
    assert live.page.locator(".act-explorer-live").count() == 1
    assert_draws_curves(live, "celu", {"alpha": 1.0}, -5.0, 5.0)


def test_a_value_the_record_refuses_is_reported_and_the_last_curves_stay(live: Live) -> None:
    live.goto("functions/rrelu/")
    reach_for(live)
    wait_for_draws(live, 1)
    explorer = live.page.locator('[data-act-widget="explorer"]')
    assert "training and rng keep their defaults" in explorer.locator(".act-explorer-about").inner_text()
    explorer.locator('input[name="lower"]').focus()
    live.page.keyboard.press("End")  # lower = 1 > upper = 1/3
    note = explorer.locator(".act-explorer-note")
    note.wait_for(state="visible", timeout=30_000)
    assert "lower must be at most upper" in note.inner_text()
    assert explorer.locator(".act-explorer-status[role=alert]").inner_text() == "The last change could not be drawn."
    assert_draws_curves(live, "rrelu", {}, -5.0, 5.0)  # still the defaults' curves
    live.page.keyboard.press("Home")  # lower = 0: allowed again
    wait_for_params(live, {"lower": 0.0, "upper": 1 / 3})
    assert note.is_hidden()
    assert explorer.locator(".act-explorer-status").get_attribute("role") == "status"


def test_a_link_the_record_refuses_keeps_the_static_plot_and_says_why(live: Live) -> None:
    live.goto("functions/rrelu/?lower=0.9")  # within the slider, but above upper = 1/3
    explorer = live.page.locator('[data-act-widget="explorer"]')
    explorer.locator(".act-explorer-note").wait_for(state="visible", timeout=BOOT_MS)
    assert "lower must be at most upper" in explorer.locator(".act-explorer-note").inner_text()
    assert explorer.locator(".act-explorer-status").inner_text() == "The last change could not be drawn."
    assert explorer.locator("figure.act-plot svg").is_visible()

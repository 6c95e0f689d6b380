"""``benchmarks/image_gate.py`` works, so that the sweep that sets the runtime's imageMinRate
cannot break silently: each of its visits starts Python as the rate it sets says (the
script checks that itself, from the wheels downloaded), and its report names the speeds at
which the image came first.

A smoke test of the benchmark's machinery, not a timing: nothing is measured against a goal.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from benchmarks import image_gate, live_cells

from .conftest import BuiltSite


def test_each_visit_starts_python_as_the_rate_it_sets_says(built_site: BuiltSite, browser: Any) -> None:
    """At 200 Mbit/s the image (20 MB) takes 0.8 s, longer than the gate's probe:
    forced shut, the gate gives it up; forced open, it is used. (The tests' browser: a
    second Playwright cannot start in the process of the first.)"""
    with live_cells.serve(built_site.path, 200) as (base, sent):
        for min_rate in (0.0, math.inf):
            seconds, sent_bytes = image_gate.first_visit(
                browser, base + live_cells.HOME, sent, False, min_rate
            )
            assert seconds > 0 and sent_bytes > 10e6, (min_rate, seconds, sent_bytes)


def test_the_report_names_the_speeds_at_which_the_image_came_first() -> None:
    medians = {
        (20.0, "first number", "image"): (9.0, 42.0),
        (20.0, "first number", "no image"): (8.0, 30.0),
        (20.0, "first figure", "image"): (9.5, 42.0),
        (20.0, "first figure", "no image"): (9.9, 30.0),
        (60.0, "first number", "image"): (5.0, 42.0),
        (60.0, "first number", "no image"): (6.0, 30.0),
        (60.0, "first figure", "image"): (5.5, 42.0),
        (60.0, "first figure", "no image"): (7.0, 30.0),
    }
    text = image_gate.report(medians, [20.0, 60.0], 2)
    assert "first number: the image came first at 60 Mbit/s" in text, text
    assert "first figure: the image came first at 20, 60 Mbit/s" in text, text
    assert re.search(r"^20 +first number +9\.00 +8\.00 +1\.12 +42\.0, 30\.0$", text, re.M), text


def test_a_speed_of_zero_is_refused() -> None:
    with pytest.raises(SystemExit):
        image_gate.main(["--site", "site", "--mbps", "30", "0"])

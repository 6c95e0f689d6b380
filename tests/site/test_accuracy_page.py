"""The accuracy page's contract with benchmarks/accuracy_report.py: the JSON schema
documented in site_src/accuracy.py is read, and anything else fails clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

import activations
from site_src import accuracy


def _report(**changes: object) -> dict[str, object]:
    name = activations.names()[0]
    results = [
        {"function": name, "dtype": dtype, "quantity": quantity, "implementation": implementation,
         "max_ulp": ulps, "x": 36.75, "computed": 0.0, "exact": "1.1e-16", "within_1ulp": 0.99, "points": 3645}
        for dtype in ("float64", "float32")
        for quantity in ("value", "derivative")
        for implementation, ulps in (("activations", 0.5), ("torch", float("inf")))
    ]
    report: dict[str, object] = {
        "schema": 1,
        "generated": "2025-11-28T21:40:00+00:00",
        "command": "python -m benchmarks.accuracy_report --json docs/data/accuracy.json",
        "reference": "mpmath, 60 significant digits",
        "versions": {"activations": "0.1.0", "torch": "2.13.0"},
        "implementations": ["activations", "torch"],
        "results": results,
    }
    report.update(changes)
    return report


def _write(tmp_path: Path, report: object) -> Path:
    path = tmp_path / accuracy.REPORT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report))  # Python writes inf as Infinity, as the producer will
    return tmp_path


def _link(name: str) -> str:
    return f"[{name}](functions/{name}.md)"


def test_a_valid_report_renders(tmp_path: Path) -> None:
    markdown = accuracy.render(_write(tmp_path, _report()), "accuracy.md", _link)
    assert "## float64" in markdown and "## float32" in markdown
    assert "f: torch" in markdown and "f′: activations" in markdown
    assert "∞" in markdown  # an infinite error
    assert "results above 1 ulp" in markdown
    assert "(data/accuracy.json)" in markdown


def test_a_missing_report_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match="missing.*benchmarks.accuracy_report"):
        accuracy.render(tmp_path, "accuracy.md", _link)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schema": 2}, '"schema" must be 1'),
        ({"implementations": ["torch"]}, "starting with \"activations\""),
        ({"results": []}, "non-empty"),
        ({"generated": None}, '"generated" must be a string'),
    ],
)
def test_a_report_off_schema_fails_clearly(tmp_path: Path, change: dict[str, object], message: str) -> None:
    with pytest.raises(PluginError, match=message):
        accuracy.load(_write(tmp_path, _report(**change)))


def test_a_stale_report_fails(tmp_path: Path) -> None:
    report = _report()
    report["results"][0]["function"] = "no_such_function"  # type: ignore[index]
    with pytest.raises(PluginError, match="no_such_function.*stale"):
        accuracy.load(_write(tmp_path, report))

"""Smoke tests of the reports in benchmarks/: they run, print numbers, and the accuracy
report writes JSON the site reads. Tiny sizes: the figures themselves are not checked,
except that this package stays within 1 ulp where the test-suite says it does."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import activations
from activations import VectorActivation
from benchmarks import accuracy_report, speed
from benchmarks._peers import load_torch
from site_src import accuracy as site_accuracy

NUMBER = r"\d+\.\d+"


def test_speed_prints_a_table_with_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    assert speed.main(["--n", "2000", "--repeat", "1", "--only", "relu"]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.startswith("relu ")]
    assert sorted((r[1], r[2]) for r in rows) == [
        ("float32", "f"),
        ("float32", "f′"),
        ("float64", "f"),
        ("float64", "f′"),
    ], out
    torch_cell = NUMBER if load_torch() is not None else "n/a"
    for row in rows:
        ours, torch, naive, vs_torch, vs_naive = row[3:]
        assert (
            re.fullmatch(NUMBER, ours)
            and re.fullmatch(NUMBER, naive)
            and re.fullmatch(NUMBER, vs_naive)
        ), row
        assert re.fullmatch(torch_cell, torch) and re.fullmatch(torch_cell, vs_torch), row
    assert re.search(r"within 1\.2x torch: \d+ of 4 rows" if load_torch() else "torch: n/a", out), (
        out
    )
    assert re.search(rf"ours float32/float64 time: median {NUMBER}", out), out


@pytest.mark.parametrize("name", activations.names())
def test_each_naive_formula_is_the_function_in_its_dtype(name: str) -> None:
    """The naive column times the right function: same values as ours on moderate
    inputs (off the kinks), in the input's dtype. GELU and GEGLU have none (no erf)."""
    formulas = speed.NAIVE[name]
    if formulas is None:
        assert name in ("gelu", "geglu")
        return
    value, slope = formulas
    record = activations.get(name)
    for dtype, rtol in ((np.float64, 1e-9), (np.float32, 1e-5)):
        x = (np.linspace(-5.0, 5.0, 100) + 0.013).astype(dtype)
        if isinstance(record, VectorActivation):
            x = x.reshape(10, 10)
            v = (
                np.linspace(-1.0, 1.0, np.size(record(x)))
                .astype(dtype)
                .reshape(np.shape(record(x)))
            )
            pairs = [(value(x), record(x)), (slope(x, v), record.vjp(x, v))]
        else:
            pairs = [(value(x), record(x)), (slope(x), record.derivative(x))]
        for naive, ours in pairs:
            assert naive.dtype == dtype, f"{name}: naive gives {naive.dtype} for {np.dtype(dtype)}"
            np.testing.assert_allclose(naive, ours, rtol=rtol, atol=rtol, err_msg=name)


def test_accuracy_report_writes_json_the_site_reads(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    path = docs / site_accuracy.REPORT
    assert (
        accuracy_report.main(["--points", "60", "--only", "relu", "sigmoid", "--json", str(path)])
        == 0
    )
    report = site_accuracy.load(docs)
    expected_columns = ["activations"] + (["torch"] if load_torch() is not None else [])
    assert report.implementations[: len(expected_columns)] == expected_columns
    ours = [r for r in report.results if r.implementation == "activations"]
    assert {(r.function, r.dtype, r.quantity) for r in ours} == {
        (f, d, q)
        for f in ("relu", "sigmoid")
        for d in ("float64", "float32")
        for q in ("value", "derivative")
    }
    for result in ours:
        assert result.max_ulp is not None and result.max_ulp <= 1.0, result
        assert result.within_1ulp == 1.0, result


def test_accuracy_report_measures_a_vector_function_by_its_values() -> None:
    entries = [
        accuracy_report.measure("softmax", dtype, "value", "activations", 40)
        for dtype in ("float64", "float32")
    ]
    for entry in entries:
        assert entry["max_ulp"] <= 1.0 and entry["points"] >= 36, entry
        assert entry["note"].startswith("worst in row ["), entry
    assert accuracy_report.quantities("softmax") == ("value",)

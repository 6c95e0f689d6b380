"""Every elementwise activation and derivative against its exact mpmath reference.

Over the whole float64 line (dense grids, tails, subnormals, ±1e308, ±inf) the value
must be within 4 ulp (the target is 1: the share within 1 ulp is printed) and the
derivative within 8 ulp (target 2); float32 and float16 results must be within one
ulp of their format. Parameters: the defaults and each record's ``test_params``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import activations
from activations import Activation, VectorActivation

from .accuracy import (
    check_stable,
    exact_values,
    float32_grid,
    float64_grid,
    reference_params,
    ulp_errors,
    worst,
)
from .references import Reference, all_references

REFERENCES = all_references()
ELEMENTWISE = [a for a in map(activations.get, activations.names()) if not isinstance(a, VectorActivation)]

VALUE_MAX_ULP = 4.0
DERIVATIVE_MAX_ULP = 8.0


def _cases() -> list[Any]:
    cases = []
    for record in ELEMENTWISE:
        for params in ({}, *record.test_params):
            label = record.name + "".join(f"-{k}={v}" for k, v in params.items())
            cases.append(pytest.param(record, dict(params), id=label))
    return cases


def _grid(record: Activation, reference: Reference, params: dict[str, Any]) -> np.ndarray:
    resolved = record.resolve_params(params)
    kinks = [x for kink in record.kinks for x in kink.points(resolved)]
    extra = np.array([*reference.extra_points, *kinks], dtype=np.float64)
    near = np.concatenate([extra, np.nextafter(extra, np.inf), np.nextafter(extra, -np.inf)])
    return np.unique(np.concatenate([float64_grid(), near]))


def test_every_elementwise_activation_has_a_reference() -> None:
    missing = [a.name for a in ELEMENTWISE if a.name not in REFERENCES]
    assert not missing, f"add an mpmath reference in tests/references/ for: {missing}"


@pytest.mark.parametrize(("record", "params"), _cases())
def test_value_float64(record: Activation, params: dict[str, Any]) -> None:
    reference = REFERENCES[record.name]
    xs = _grid(record, reference, params)
    ref_params = reference_params(record, params)
    check_stable(reference.f, xs, ref_params)
    exact = exact_values(reference.f, xs, ref_params)
    computed = record(xs, **params)
    errors = ulp_errors(computed, exact)
    summary = worst(xs, computed, exact, errors)
    print(f"{record.name}{params}: {summary}")
    assert summary.ulps <= VALUE_MAX_ULP, f"{record.name}{params}: {summary}"


@pytest.mark.parametrize(("record", "params"), _cases())
def test_derivative_float64(record: Activation, params: dict[str, Any]) -> None:
    reference = REFERENCES[record.name]
    resolved = record.resolve_params(params)
    kink_points = {x for kink in record.kinks for x in kink.points(resolved)}
    xs = _grid(record, reference, params)
    xs = xs[~np.isin(xs, list(kink_points))]  # the kink values are checked in test_records
    ref_params = reference_params(record, params)
    check_stable(reference.df, xs, ref_params)
    exact = exact_values(reference.df, xs, ref_params)
    computed = record.derivative(xs, **params)
    windows = reference.cancellation if not params else ()

    def scale(i: int) -> float:
        return max((s for c, w, s in windows if abs(xs[i] - c) <= w), default=0.0)

    errors = ulp_errors(computed, exact, scale=scale if windows else None)
    summary = worst(xs, computed, exact, errors)
    print(f"{record.name}'{params}: {summary}")
    assert summary.ulps <= DERIVATIVE_MAX_ULP, f"{record.name}'{params}: {summary}"


@pytest.mark.parametrize("record", ELEMENTWISE, ids=lambda r: r.name)
@pytest.mark.parametrize("dtype", [np.float32, np.float16], ids=["float32", "float16"])
def test_low_precision_is_correctly_rounded(record: Activation, dtype: type) -> None:
    reference = REFERENCES[record.name]
    xs = float32_grid().astype(dtype) if dtype is np.float32 else _float16_grid()
    params = reference_params(record, {})
    for function, name in ((reference.f, "value"), (reference.df, "derivative")):
        computed = record(xs) if name == "value" else record.derivative(xs)
        assert computed.dtype == dtype
        kinks = {x for kink in record.kinks for x in kink.points(record.resolve_params({}))}
        keep = ~np.isin(xs.astype(np.float64), list(kinks)) if name == "derivative" else slice(None)
        exact = exact_values(function, xs[keep], params)
        errors = ulp_errors(computed[keep], exact, dtype=dtype)
        summary = worst(xs[keep], computed[keep], exact, errors)
        assert summary.ulps <= 1.0, f"{record.name} {name} in {np.dtype(dtype)}: {summary}"


def _float16_grid() -> np.ndarray:
    every = np.arange(0, 2**16, 7, dtype=np.uint16).view(np.float16)
    return np.unique(every[~np.isnan(every)])

"""Every record's claims checked against its implementation, and the shared input contract.

A record says what its function is (range, monotonic, continuity, zero-centred,
saturating, self-gated, the derivative at its kinks); the site prints those claims, so
each one is tested here against the numbers, and a wrong claim fails.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest

import activations
from activations import Activation, VectorActivation
from activations._core import BLOCK, DISCONTINUOUS, SMOOTH

from .accuracy import exact_values, reference_params
from .references import all_references

RECORDS = [activations.get(n) for n in activations.names()]
ELEMENTWISE = [r for r in RECORDS if not isinstance(r, VectorActivation)]
VECTOR = [r for r in RECORDS if isinstance(r, VectorActivation)]

by_name = pytest.mark.parametrize("record", ELEMENTWISE, ids=lambda r: r.name)
every_record = pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)

#: Moderate inputs, where no output has rounded onto an asymptote yet.
MODERATE = np.linspace(-8.0, 8.0, 16001)
#: Inputs reaching far into both tails.
WIDE = np.concatenate([-np.logspace(300, -300, 601), [0.0], np.logspace(-300, 300, 601)])


def _kink_points(record: Activation, params: dict[str, Any] | None = None) -> list[float]:
    resolved = record.resolve_params(params or {})
    return sorted({x for kink in record.kinks for x in kink.points(resolved)})


# -- the record is complete --------------------------------------------------------------
@every_record
def test_record_is_filled_in(record: Activation) -> None:
    assert record.display_name and record.summary and record.family and record.cost
    assert record.latex.startswith("f(") or record.latex.startswith(r"\operatorname")
    assert record.derivative_latex
    frameworks = [f.framework for f in record.frameworks]
    assert frameworks == ["PyTorch", "JAX", "Keras 3", "TensorFlow"], frameworks
    for framework in record.frameworks:
        assert framework.name or framework.notes, f"{framework.framework}: say what to use"
    for param in record.params:
        assert param.description and (param.latex or param.kind != "float"), param.name
        if param.kind == "float":
            assert param.slider is not None, f"{param.name}: give the explorer a slider range"
    if record.origin is not None:
        assert record.origin.url.startswith("https://"), record.origin


# -- the claimed properties hold ------------------------------------------------------
def _refined_extremes(record: Activation, xs: np.ndarray) -> tuple[float, float]:
    """The least and greatest outputs, each refined around the best grid point.

    A smooth minimum (GELU's, SiLU's) or maximum (sin's) falls between grid points;
    zooming in twice to a 1e-9-wide grid makes the sampled extreme equal the true
    one to about 1e-16, so "the range is tight" can be checked to 1e-12.
    """
    extremes = []
    for pick in (np.nanargmin, np.nanargmax):
        ys = record(xs)
        best = xs[pick(ys)]
        width = xs[1] - xs[0]
        for _ in range(2):
            zoom = np.linspace(best - width, best + width, 20001)
            best = zoom[pick(record(zoom))]
            width = zoom[1] - zoom[0]
        extremes.append(float(record(best)))
    return extremes[0], extremes[1]


def _rounds_onto(record: Activation, xs: np.ndarray, end: float) -> None:
    """Outputs equal to an open end are the exact value rounded there, never the end itself."""
    reference = all_references()[record.name]
    exact = exact_values(reference.f, xs[:5], reference_params(record, {}))
    for x, value in zip(xs[:5], exact, strict=True):
        assert value != end, f"f({x}) is exactly {end}, an end the range calls open"
        assert float(value) == end, f"f({x}) = {end} but the exact value {value} does not round there"


@by_name
def test_range_contains_every_output_and_is_tight(record: Activation) -> None:
    interval = record.properties.range
    ys = record(np.concatenate([MODERATE, WIDE]))
    ys = ys[~np.isnan(ys)]
    if interval.values:
        assert set(np.unique(ys)) <= set(interval.values)
        return
    tolerance = 1e-12
    assert ys.min() >= interval.low - tolerance * max(1.0, abs(interval.low)), ys.min()
    assert ys.max() <= interval.high + tolerance * max(1.0, abs(interval.high)), ys.max()
    limits = record(np.array([-np.inf, np.inf]))
    low_moderate, high_moderate = _refined_extremes(record, MODERATE)
    low_reached = np.nanmin(np.concatenate([ys, limits, [low_moderate]]))
    high_reached = np.nanmax(np.concatenate([ys, limits, [high_moderate]]))
    assert math.isclose(low_reached, interval.low, rel_tol=1e-12, abs_tol=1e-12) or (
        interval.low == -math.inf and low_reached < -1e300
    ), f"range claims low end {interval.low}, outputs reach only {low_reached}"
    assert math.isclose(high_reached, interval.high, rel_tol=1e-12, abs_tol=1e-12) or (
        interval.high == math.inf and high_reached > 1e300
    ), f"range claims high end {interval.high}, outputs reach only {high_reached}"
    moderate = record(MODERATE)
    if interval.low_closed:
        assert math.isclose(low_moderate, interval.low, rel_tol=1e-12, abs_tol=1e-300), (
            f"closed low end {interval.low} not attained on [-8, 8]: {low_moderate}"
        )
    elif interval.low != -math.inf:
        _rounds_onto(record, MODERATE[moderate <= interval.low], interval.low)
    if interval.high_closed:
        assert math.isclose(high_moderate, interval.high, rel_tol=1e-12, abs_tol=1e-300), (
            f"closed high end {interval.high} not attained on [-8, 8]: {high_moderate}"
        )
    elif interval.high != math.inf:
        _rounds_onto(record, MODERATE[moderate >= interval.high], interval.high)


@by_name
def test_monotonic_claim(record: Activation) -> None:
    ys = record(MODERATE)
    steps = np.diff(ys)
    slack = 4 * np.spacing(np.maximum(np.abs(ys[1:]), np.abs(ys[:-1])))
    decreasing = steps < -slack
    increasing = steps > slack
    monotonic = not (decreasing.any() and increasing.any())
    assert monotonic == record.properties.monotonic, (
        f"claimed monotonic={record.properties.monotonic}; "
        f"rises {increasing.sum()} times and falls {decreasing.sum()} times on [-8, 8]"
    )


@by_name
def test_zero_centred_claim(record: Activation) -> None:
    ys = record(MODERATE)
    centred = record(0.0) == 0 and ys.min() < 0 < ys.max()
    assert centred == record.properties.zero_centred


def _jump(values_left: float, values_right: float) -> float:
    return abs(values_right - values_left)


def _second_derivative_jump(record: Activation, candidates: list[float]) -> float:
    """The largest jump of f'' near the candidates or anywhere on [-8, 8].

    f'' is taken from differences of f' on each side of each candidate, and on a grid
    of step 1e-3 across [-8, 8]: a smooth f'' changes by about (third derivative) * 1e-3
    from one grid cell to the next, a jump of f'' by at least half its size. The scan
    catches breaks of f'' that are not kinks (sparse_plus's at x = -1 and 1).
    """
    d2_left = [(record.derivative(c - 1e-4) - record.derivative(c - 2e-4)) / 1e-4 for c in candidates]
    d2_right = [(record.derivative(c + 2e-4) - record.derivative(c + 1e-4)) / 1e-4 for c in candidates]
    at_candidates = max(_jump(a, b) for a, b in zip(d2_left, d2_right, strict=True))
    step = 1e-3
    grid = np.arange(-8.0, 8.0, step)
    d2 = np.diff(record.derivative(grid)) / step
    return max(at_candidates, float(np.abs(np.diff(d2)).max()))


@by_name
def test_continuity_claim(record: Activation) -> None:
    order = record.properties.continuity
    candidates = sorted({0.0, *_kink_points(record)})
    h = 1e-7
    f_jumps = [_jump(record(c - h), record(c + h)) for c in candidates]
    df_jumps = [_jump(record.derivative(c - h), record.derivative(c + h)) for c in candidates]
    if order == DISCONTINUOUS:
        assert max(f_jumps) > 1e-3, "claims a jump, but f is continuous at its kinks"
        return
    assert max(f_jumps) < 1e-5, "claims continuity, but f jumps"
    if order == 0:
        assert max(df_jumps) > 1e-3, "claims C^0 only, but f' does not jump"
        return
    assert max(df_jumps) < 1e-4, f"claims C^{order}, but f' jumps"
    d2_jump = _second_derivative_jump(record, candidates)
    if order == 1:
        assert d2_jump > 1e-2, "claims C^1 only, but f'' does not jump"
    elif order == SMOOTH:
        assert d2_jump < 1e-2, f"claims C^inf, but f'' jumps by {d2_jump}"


@by_name
def test_saturating_claim(record: Activation) -> None:
    far = np.array([1e6, 1e8, 1e12])
    left = np.abs(record.derivative(-far))
    right = np.abs(record.derivative(far))
    sides = {"left": bool(np.all(left < 1e-5)), "right": bool(np.all(right < 1e-5))}
    claim = record.properties.saturating
    assert sides["left"] == (claim in ("both", "left")), f"claimed {claim}; |f'| far left: {left}"
    assert sides["right"] == (claim in ("both", "right")), f"claimed {claim}; |f'| far right: {right}"


@pytest.mark.parametrize(
    "record", [r for r in ELEMENTWISE if r.properties.self_gated], ids=lambda r: r.name
)
def test_self_gated_claim(record: Activation) -> None:
    """A self-gated function is x times a gate in [0, 1] computed from x itself."""
    xs = MODERATE[MODERATE != 0]
    gate = record(xs) / xs
    assert np.all((gate >= 0) & (gate <= 1))


@by_name
def test_identity_near_origin_claim(record: Activation) -> None:
    claim = record(0.0) == 0 and record.derivative(0.0) == 1 and 0.0 not in _kink_points(record)
    assert claim == record.properties.identity_near_origin


@by_name
def test_bounds_follow_the_range(record: Activation) -> None:
    """Bounded below/above as the outputs show, the limits at -inf and inf included."""
    ys = record(np.concatenate([WIDE, [-np.inf, np.inf, -np.finfo(float).max, np.finfo(float).max]]))
    assert record.properties.bounded_below == bool(np.nanmin(ys) > -1e300)
    assert record.properties.bounded_above == bool(np.nanmax(ys) < 1e300)


@by_name
def test_kink_derivative_is_the_documented_value(record: Activation) -> None:
    for params in ({}, *record.test_params):
        resolved = record.resolve_params(params)
        for kink in record.kinks:
            for x in kink.points(resolved):
                got = record.derivative(x, **params)
                assert got == kink.value(resolved), f"f'({x}) with {params}: {got}"


# -- the input contract --------------------------------------------------------------------
#: The gated linear units split their axis in two halves and return one half's size.
HALVING = ("glu", "swiglu", "geglu", "reglu")


def _call(record: Activation, x: Any) -> Any:
    if record.name in HALVING and np.ndim(x) and np.shape(x)[-1] % 2:
        x = np.concatenate([np.asarray(x), np.asarray(x)], axis=-1)
    return record(x)


def _expected_shape(record: Activation, shape: tuple[int, ...]) -> tuple[int, ...]:
    if record.name in HALVING:
        return (*shape[:-1], shape[-1] // 2)
    return shape


@every_record
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtype_in_is_dtype_out(record: Activation, dtype: type) -> None:
    x = np.linspace(-3, 3, 8).astype(dtype)
    assert _call(record, x).dtype == dtype


@every_record
@pytest.mark.parametrize("values", [[1, -2, 0, 3], [True, False, True, False]], ids=["int", "bool"])
def test_integers_and_booleans_give_float64(record: Activation, values: list[Any]) -> None:
    out = _call(record, np.array(values))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, _call(record, np.array(values, dtype=np.float64)))


@every_record
def test_shapes_are_kept(record: Activation) -> None:
    rng = np.random.default_rng(0)
    for shape in [(0,), (2, 0), (4,), (3, 4), (2, 3, 4)]:
        assert _call(record, rng.normal(size=shape)).shape == _expected_shape(record, shape)
    if not isinstance(record, VectorActivation):
        scalar = record(0.5)
        assert np.shape(scalar) == () and isinstance(scalar, np.float64)
        assert isinstance(record(np.float32(0.5)), np.float32)
        np.testing.assert_array_equal(record([0.5, -1.0]), record(np.array([0.5, -1.0])))
        np.testing.assert_array_equal(record((0.5, -1.0)), record(np.array([0.5, -1.0])))


@every_record
def test_input_is_never_modified(record: Activation) -> None:
    x = np.array([[-np.inf, -2.0, -0.0, 0.0, 1.5, np.inf], [np.nan, 3.0, -1.0, 2.0, 0.25, -5.0]])
    kept = x.copy()
    _call(record, x)
    if not isinstance(record, VectorActivation):
        record.derivative(x)
    np.testing.assert_array_equal(x, kept)


@by_name
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_no_warning_on_any_special_value(record: Activation, dtype: type) -> None:
    info = np.finfo(dtype)
    specials = np.array(
        [0, -0.0, np.inf, -np.inf, np.nan, info.max, -info.max, info.tiny, -info.tiny,
         info.smallest_subnormal, -info.smallest_subnormal, 1, -1, 100, -100],
        dtype=dtype,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for params in ({}, *record.test_params):
            record(specials, **params)
            record.derivative(specials, **params)


@by_name
def test_nan_propagates(record: Activation) -> None:
    for params in ({}, *record.test_params):
        assert np.isnan(record(np.nan, **params))
        assert np.isnan(record.derivative(np.nan, **params))


@every_record
@pytest.mark.parametrize(
    "bad",
    [np.array([1 + 2j]), "1.0", np.array(["a"]), np.array([object()]), None, [1, "a"]],
    ids=["complex", "str", "str-array", "object", "None", "mixed-list"],
)
def test_non_real_input_raises_typeerror_naming_the_function(record: Activation, bad: Any) -> None:
    with pytest.raises(TypeError, match=record.name):
        record(bad)


@every_record
def test_unknown_parameter_is_a_typeerror_listing_the_real_ones(record: Activation) -> None:
    with pytest.raises(TypeError, match="unexpected parameter"):
        record(np.zeros(4), no_such_parameter=1.0)


@pytest.mark.parametrize(
    ("name", "params", "match"),
    [
        ("softplus", {"beta": 0.0}, "beta"),
        ("softplus", {"beta": -1.0}, "beta"),
        ("squareplus", {"b": -1.0}, r"\[0, inf\]"),
        ("gelu", {"approximate": "fast"}, "'none', 'tanh'"),
        ("hard_tanh", {"min_val": 2.0, "max_val": 1.0}, "min_val"),
        ("rrelu", {"lower": 0.5, "upper": 0.1}, "lower"),
        ("softmax", {"axis": 3}, "axis"),
        ("celu", {"alpha": 0.0}, "alpha"),
        ("leaky_relu", {"negative_slope": float("nan")}, "negative_slope"),
    ],
)
def test_bad_parameter_is_a_valueerror_naming_the_allowed_values(
    name: str, params: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        activations.get(name)(np.ones((2, 4)), **params)


def test_parameter_of_the_wrong_type_is_a_typeerror() -> None:
    with pytest.raises(TypeError, match="negative_slope"):
        activations.leaky_relu(np.ones(3), negative_slope="0.1")


@by_name
def test_large_arrays_evaluated_in_blocks_give_the_same_numbers(record: Activation) -> None:
    """Arrays over BLOCK elements go through the kernel block by block: same results,
    same dtype and shape as one call per element would give."""
    x = np.random.default_rng(1).normal(scale=5.0, size=(3, BLOCK + 7))
    for dtype in (np.float64, np.float32):
        xd = x.astype(dtype)
        whole = record(xd)
        assert whole.shape == x.shape and whole.dtype == dtype
        tail = record(xd[:, -7:])
        np.testing.assert_array_equal(whole[:, -7:], tail)
        np.testing.assert_array_equal(record.derivative(xd)[:, :5], record.derivative(xd[:, :5]))

"""``activations._special`` against mpmath: erf, erfc, Φ, φ, and the exact products and sums.

Each function is swept over a dense grid of its interesting range, magnitudes from
1e-300 to 1e308 of both signs, the branch thresholds of the implementation and their
neighbours, subnormals, ±0, ±max, ±inf and NaN. The exact values come from mpmath at 50
digits; the error is measured in ulps of the exact value (``tests/accuracy.py``: the
spacing of float64 at the correctly rounded exact value, at least the smallest
subnormal, so that a 0 returned where the exact value underflows is judged fairly).
Every call under test runs with every floating-point condition raising (underflow
included) and warnings as errors.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import pytest

import activations
from activations import _gated, _special
from activations._special import erf, erfc, ndtr, npdf, two_product, two_sum

from .accuracy import check_stable, ulp_errors, worst

REFERENCE_DPS = 50
TINY = float(np.finfo(np.float64).tiny)
MAX = float(np.finfo(np.float64).max)
SMALLEST = 5e-324

#: Largest error allowed, in ulps, for each of the four functions. fdlibm states < 1 ulp
#: for erf and erfc (glibc's erfc, the same code, measures 3.1); the compensated
#: evaluation in the module measures at most 0.90 ulp (0.81 on these grids).
MAX_ULP = 1.0


def strict(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` with every floating-point condition raising, underflow
    included (the module silences underflow itself, only where it is the right answer),
    and any warning an error."""
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        return function(*args)


# --- references ---------------------------------------------------------------------------


def _erfc_reference(x: mpmath.mpf) -> mpmath.mpf:
    # mpmath's erfc fails on huge arguments (1e308); far beyond x = 27.3 the value is
    # below 2**-1075, and the leading asymptotic term is as good as exact for judging
    # a result of 0. Likewise for Φ far beyond x = -38.5.
    if x > 1000:
        return mpmath.exp(-x * x) / (x * mpmath.sqrt(mpmath.pi))
    return mpmath.erfc(x)


def _ncdf_reference(x: mpmath.mpf) -> mpmath.mpf:
    if x < -1000:
        return mpmath.npdf(x) / -x
    return mpmath.ncdf(x)


FUNCTIONS: dict[str, tuple[Callable[..., np.ndarray], Callable[[mpmath.mpf], mpmath.mpf]]] = {
    "erf": (erf, mpmath.erf),
    "erfc": (erfc, _erfc_reference),
    "ndtr": (ndtr, _ncdf_reference),
    "npdf": (npdf, mpmath.npdf),
}

#: The dense part of each grid, and the thresholds where the implementation changes
#: formula (each is tested with its neighbours).
RANGES = {
    "erf": (-7.0, 7.0),
    "erfc": (-7.0, 28.5),
    "ndtr": (-39.0, 9.0),
    "npdf": (-39.0, 39.0),
}
_SQRT2 = float(np.sqrt(2.0))
THRESHOLDS = {
    "erf": [2.0**-1015, 2.0**-28, 0.84375, 1.25, 1 / 0.35, 6.0],
    "erfc": [2.0**-56, 0.25, 0.84375, 1.25, 1 / 0.35, 6.0, 26.55, 27.23, 28.0],
    "ndtr": [2.0**-54, 0.84375 * _SQRT2, 1.25 * _SQRT2, _SQRT2 / 0.35, 8.5, 37.5, 38.485, 38.5],
    "npdf": [2.0**-29, 37.5, 38.58, 38.6],
}


def _grid(name: str) -> np.ndarray:
    lo, hi = RANGES[name]
    magnitudes = np.logspace(-300, 308, 1500)
    thresholds = np.array(THRESHOLDS[name])
    neighbours = np.concatenate(
        [thresholds, np.nextafter(thresholds, 0.0), np.nextafter(thresholds, np.inf)]
    )
    specials = np.array([0.0, SMALLEST, 1e-310, TINY, 2.0**-30, 1e-8, MAX, np.inf])
    points = np.concatenate(
        [
            np.linspace(lo, hi, 20_001),
            magnitudes,
            -magnitudes,
            neighbours,
            -neighbours,
            specials,
            -specials,
            [np.nan],
        ]
    )
    return points


def _exact(name: str, xs: np.ndarray) -> list[mpmath.mpf]:
    reference = FUNCTIONS[name][1]
    with mpmath.workdps(REFERENCE_DPS):
        return [
            mpmath.mpf("nan") if np.isnan(x) else reference(mpmath.mpf(float(x))) for x in xs
        ]


# --- accuracy -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_accuracy_against_mpmath(name: str) -> None:
    function = FUNCTIONS[name][0]
    xs = _grid(name)
    computed = strict(function, xs)
    exact = _exact(name, xs)
    errors = ulp_errors(computed, exact)
    summary = worst(xs, computed, exact, errors)
    print(f"{name}: {summary}")
    assert summary.ulps <= MAX_ULP, f"{name}: {summary}"


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_references_are_stable(name: str) -> None:
    """The 50-digit references agree with 130-digit ones (on every 40th grid point)."""
    reference = FUNCTIONS[name][1]
    xs = _grid(name)
    check_stable(reference, xs[~np.isnan(xs)], {}, every=40)


# --- special values, symmetry, shapes ------------------------------------------------------


def test_limits_at_infinity_and_zero() -> None:
    inf = np.array([-np.inf, np.inf])
    assert strict(erf, inf).tolist() == [-1.0, 1.0]
    assert strict(erfc, inf).tolist() == [2.0, 0.0]
    assert strict(ndtr, inf).tolist() == [0.0, 1.0]
    assert strict(npdf, inf).tolist() == [0.0, 0.0]
    zeros = np.array([-0.0, 0.0])
    assert np.signbit(strict(erf, zeros)).tolist() == [True, False]
    assert strict(erf, zeros).tolist() == [0.0, 0.0]
    assert strict(erfc, zeros).tolist() == [1.0, 1.0]
    assert strict(ndtr, zeros).tolist() == [0.5, 0.5]
    assert strict(npdf, zeros).tolist() == [_special._INV_SQRT_2PI_HI] * 2


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_nan_propagates(name: str) -> None:
    function = FUNCTIONS[name][0]
    out = strict(function, np.array([np.nan, 1.0, -np.nan]))
    assert np.isnan(out[0]) and np.isnan(out[2]) and not np.isnan(out[1])


def test_symmetries_are_exact() -> None:
    xs = _grid("npdf")
    xs = xs[~np.isnan(xs)]
    np.testing.assert_array_equal(strict(erf, -xs), -strict(erf, xs))
    np.testing.assert_array_equal(strict(npdf, -xs), strict(npdf, xs))


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_shapes_and_dtypes(name: str) -> None:
    function = FUNCTIONS[name][0]
    block = np.linspace(-40.0, 40.0, 24).reshape(2, 3, 4)
    out = strict(function, block)
    assert out.shape == (2, 3, 4) and out.dtype == np.float64
    np.testing.assert_array_equal(out.ravel(), strict(function, block.ravel()))
    np.testing.assert_array_equal(strict(function, block.T), out.T)  # non-contiguous
    scalar = strict(function, 1.5)
    assert scalar.shape == () and scalar.dtype == np.float64
    assert float(scalar) == float(strict(function, np.array([1.5]))[0])
    assert strict(function, np.empty((0, 3))).shape == (0, 3)
    assert strict(function, [1, 2]).dtype == np.float64


# --- constants -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hi", "lo", "exact"),
    [
        (_special._SQRT1_2_HI, _special._SQRT1_2_LO, lambda: mpmath.sqrt(0.5)),
        (
            _special._INV_SQRT_2PI_HI,
            _special._INV_SQRT_2PI_LO,
            lambda: 1 / mpmath.sqrt(2 * mpmath.pi),
        ),
        (_special._K_HI, _special._K_LO, lambda: mpmath.exp(-0.5625) / mpmath.sqrt(2)),
    ],
)
def test_double_double_constants(hi: float, lo: float, exact: Callable[[], mpmath.mpf]) -> None:
    with mpmath.workdps(REFERENCE_DPS):
        value = exact()
        assert abs(mpmath.mpf(hi) - value) <= mpmath.mpf(np.spacing(hi)) / 2
        assert abs(mpmath.mpf(hi) + mpmath.mpf(lo) - value) < abs(value) * mpmath.mpf(2) ** -100


def test_fdlibm_ln2_split() -> None:
    """ln2_hi has 32 significant bits (so k * ln2_hi is exact for |k| < 2**21), and
    ln2_hi + ln2_lo is ln 2 to 2**-85."""
    assert np.frombuffer(np.float64(_special._LN2_HI).tobytes(), np.uint64)[0] % 2**21 == 0
    with mpmath.workdps(REFERENCE_DPS):
        error = mpmath.mpf(_special._LN2_HI) + mpmath.mpf(_special._LN2_LO) - mpmath.log(2)
        assert abs(error) < mpmath.mpf(2) ** -85


def test_double_constants() -> None:
    with mpmath.workdps(REFERENCE_DPS):
        assert _special._TWO_OVER_SQRT_PI == float(2 / mpmath.sqrt(mpmath.pi))
        assert _special._INV_LN2 == float(1 / mpmath.log(2))


# --- error-free transformations --------------------------------------------------------------


def _operands(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs across the whole range: random significands and exponents, both signs,
    plus extremes (subnormals, ±max, powers of two at the overflow edge)."""
    rng = np.random.default_rng(seed)
    n = 20_000
    a = np.ldexp(rng.uniform(0.5, 1, n), rng.integers(-1073, 1025, n))
    b = np.ldexp(rng.uniform(0.5, 1, n), rng.integers(-1073, 1025, n))
    a *= rng.choice([-1.0, 1.0], n)
    b *= rng.choice([-1.0, 1.0], n)
    edge = np.array([0.0, -0.0, SMALLEST, TINY, 1.0, 2.0**511, 2.0**1023, MAX, 2.0**996, 1e300])
    ea, eb = np.meshgrid(np.concatenate([edge, -edge]), np.concatenate([edge, -edge]))
    return np.concatenate([a, ea.ravel()]), np.concatenate([b, eb.ravel()])


def test_two_product_is_exact() -> None:
    a, b = _operands(1)
    with np.errstate(over="ignore", under="ignore"):
        rounded = a * b
    p, e = strict(two_product, a, b)
    np.testing.assert_array_equal(p, rounded)
    representable = np.isfinite(rounded) & (np.abs(rounded) >= 2.0**-969)
    assert representable.sum() > 10_000
    for x, y, hi, lo in zip(a[representable], b[representable], p[representable], e[representable]):
        assert Fraction(hi) + Fraction(lo) == Fraction(x) * Fraction(y), (x, y)
    assert (e[~np.isfinite(rounded)] == 0.0).all()


def test_two_sum_is_exact() -> None:
    a, b = _operands(2)
    # Same-magnitude pairs too, where the interesting cancellations happen.
    rng = np.random.default_rng(3)
    with np.errstate(over="ignore"):  # a few of these round up to ±inf: fine, also tested
        near = a * (1 + rng.uniform(-1e-10, 1e-10, a.shape))
    a, b = np.concatenate([a, a, near]), np.concatenate([b, -near, -a])
    with np.errstate(over="ignore"):
        rounded = a + b
    s, e = strict(two_sum, a, b)
    np.testing.assert_array_equal(s, rounded)
    finite = np.isfinite(rounded)
    for x, y, hi, lo in zip(a[finite], b[finite], s[finite], e[finite]):
        assert Fraction(hi) + Fraction(lo) == Fraction(x) + Fraction(y), (x, y)
    assert (e[~finite] == 0.0).all()


def test_moderate_operands_are_exact_on_the_short_path() -> None:
    """Arrays whose every element is moderate skip the guards (factors 0 or in
    [2^-450, 2^500), addends below 2^1022): exact there too, edges included."""
    rng = np.random.default_rng(4)
    n = 20_000
    a = np.ldexp(rng.uniform(0.5, 1, n), rng.integers(-449, 500, n)) * rng.choice([-1.0, 1.0], n)
    b = np.ldexp(rng.uniform(0.5, 1, n), rng.integers(-449, 500, n)) * rng.choice([-1.0, 1.0], n)
    below_500 = np.nextafter(2.0**500, 0)
    edge = np.array([0.0, -0.0, 2.0**-450, below_500, 1.0, 1 + 2.0**-52])
    ea, eb = np.meshgrid(np.concatenate([edge, -edge]), np.concatenate([edge, -edge]))
    a, b = np.concatenate([a, ea.ravel()]), np.concatenate([b, eb.ravel()])
    p, e = strict(two_product, a, b)
    np.testing.assert_array_equal(p, a * b)
    np.testing.assert_array_equal(np.signbit(p), np.signbit(a * b))
    for x, y, hi, lo in zip(a, b, p, e):
        assert Fraction(hi) + Fraction(lo) == Fraction(x) * Fraction(y), (x, y)
    # One pair per call, so that each takes its own path: either side of every bound.
    sides = [2.0**-451, 2.0**-450, float(below_500), 2.0**500, 2.0**-1074, 2.0**1000, 1.5]
    sides += [1.1 * 2.0**-600, 1.1 * 2.0**-451, 1.1 * 2.0**499, 1.1 * 2.0**600]
    for x in sides + [-v for v in sides]:
        for y in sides:
            hi, lo = strict(two_product, x, y)
            exact = Fraction(x) * Fraction(y)
            if Fraction(2) ** -969 <= abs(exact) <= MAX:
                assert Fraction(float(hi)) + Fraction(float(lo)) == exact, (x, y)
    big = np.nextafter(2.0**1022, 0) * np.array([1.0, -1.0, 1.0])
    a, b = np.concatenate([a, big]), np.concatenate([b, big])
    s, f = strict(two_sum, a, b)
    np.testing.assert_array_equal(s, a + b)
    for x, y, hi, lo in zip(a, b, s, f):
        assert Fraction(hi) + Fraction(lo) == Fraction(x) + Fraction(y), (x, y)


def test_overflow_edges() -> None:
    a = [MAX, MAX, 2.0**1023, -(2.0**1023)]
    p, e = strict(two_product, a, [1.0, 1 + 2.0**-52, 2.0, 2.0])
    assert p.tolist() == [MAX, np.inf, np.inf, -np.inf] and e.tolist() == [0.0] * 4
    ulp = 2.0**971  # spacing just below MAX
    a = [MAX, MAX, MAX, -MAX, MAX]
    s, e = strict(two_sum, a, [ulp / 2, ulp / 2 - 2.0**917, MAX, -ulp / 2, -MAX])
    assert s.tolist() == [np.inf, MAX, np.inf, -np.inf, 0.0]
    assert e.tolist() == [0.0, ulp / 2 - 2.0**917, 0.0, 0.0, 0.0]


def test_ieee_results_for_non_finite_inputs() -> None:
    values = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, MAX])
    a, b = (v.ravel() for v in np.meshgrid(values, values))
    with np.errstate(all="ignore"):
        product, total = a * b, a + b
    p, e = strict(two_product, a, b)
    s, f = strict(two_sum, a, b)
    np.testing.assert_array_equal(p, product)
    np.testing.assert_array_equal(s, total)
    np.testing.assert_array_equal(np.signbit(p[p == 0]), np.signbit(product[product == 0]))
    assert (e[~np.isfinite(product)] == 0.0).all() and (f[~np.isfinite(total)] == 0.0).all()


def test_helpers_broadcast() -> None:
    p, e = strict(two_product, np.arange(6.0).reshape(2, 3), 0.1)
    assert p.shape == e.shape == (2, 3)
    s, f = strict(two_sum, np.ones((3, 1)), np.full(4, 1e-20))
    assert s.shape == f.shape == (3, 4) and (f == 1e-20).all()


# --- Φ as a double-double, and the exact GELU built on it ------------------------------------

#: Largest relative error allowed for Φ as an unrounded double-double: 2^-55 keeps any
#: product with it, rounded once, within 0.5 + 0.25 ulp (measured: 0.14 × 2^-53).
CDF_PAIR_MAX_REL = 2.0**-55


def _cdf_sweep() -> np.ndarray:
    rng = np.random.default_rng(7)
    return np.unique(
        np.concatenate(
            [
                np.linspace(-38.5, 9.0, 4_001),
                rng.uniform(-2.0, 0.0, 2_000),  # the central fits and the Taylor band
                np.array([-1.83, -_gated._CDF_MID_FROM, -_special._NDTR_CENTRAL]),
                np.nextafter(-_special._NDTR_CENTRAL, [-np.inf, np.inf]),
                np.nextafter(_gated._CDF_MID_FROM, [-np.inf, np.inf]),
                [2.0**-54, -(2.0**-54), 1e-300, -1e-300, 0.0, _gated._CDF_ONE],
            ]
        )
    )


def test_normal_cdf_pair_is_accurate() -> None:
    """``_gated._normal_cdf_scaled``: Φ(x) = 2^k (h + l) to a relative error below 2^-55
    before any rounding, from x = -38.5 (Φ ≈ 1e-324 · 2^k) to 9."""
    xs = _cdf_sweep()
    (h, l), k = strict(_gated._normal_cdf_scaled, xs)
    with mpmath.workdps(REFERENCE_DPS):
        worst_rel, at = mpmath.mpf(0), None
        for x, hi, lo, e in zip(xs, h, l, k):
            pair = (mpmath.mpf(float(hi)) + mpmath.mpf(float(lo))) * mpmath.mpf(2) ** int(e)
            rel = abs(pair / mpmath.ncdf(mpmath.mpf(float(x))) - 1)
            if rel > worst_rel:
                worst_rel, at = rel, x
    print(f"Φ pair: worst relative error 2^{float(mpmath.log(worst_rel, 2)):.2f} at x={at!r}")
    assert worst_rel <= CDF_PAIR_MAX_REL, (float(worst_rel), at)


def _gelu_sweep() -> np.ndarray:
    rng = np.random.default_rng(11)
    dense = np.linspace(-12.0, 0.0, 12_001)[:-1]
    return np.unique(np.concatenate([dense, rng.uniform(-12.0, 0.0, 3_000), [-1.83]]))


def test_gelu_within_an_ulp_on_the_negative_axis() -> None:
    """The exact GELU ``x Φ(x)`` and GEGLU's ``gelu(a) b`` on a dense sweep of
    [-12, 0), where Φ comes from erfc's fits, its Taylor band and the exponential tail:
    within 1 ulp of mpmath (before Φ was a double-double, 1.54 ulp at x = -1.83)."""
    xs = _gelu_sweep()
    b = np.random.default_rng(12).uniform(0.5, 2.0, xs.shape)
    with mpmath.workdps(REFERENCE_DPS):
        gelu_exact = [mpmath.mpf(float(x)) * mpmath.ncdf(mpmath.mpf(float(x))) for x in xs]
        geglu_exact = [g * mpmath.mpf(float(w)) for g, w in zip(gelu_exact, b)]
    gelu_values = strict(activations.gelu, xs)
    geglu_values = strict(activations.geglu, np.stack([xs, b], axis=-1))[:, 0]
    for name, computed, exact in (
        ("gelu", gelu_values, gelu_exact),
        ("geglu", geglu_values, geglu_exact),
    ):
        summary = worst(xs, computed, exact, ulp_errors(computed, exact))
        print(f"{name} on [-12, 0): {summary}")
        assert summary.ulps <= MAX_ULP, f"{name}: {summary}"

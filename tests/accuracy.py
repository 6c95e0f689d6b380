"""Measuring error in ulps against mpmath: the grids and the measure.

Used by the test-suite (``tests/test_accuracy.py``) and by the accuracy report
(``benchmarks/accuracy_report.py``), so both judge every implementation the same way.

The error of a computed value ``y`` against the exact ``e`` is ``|y - e| / ulp(e)``,
where ``ulp(e)`` is the spacing of the output format at ``e`` rounded to that format
(the smallest subnormal at 0). A correctly rounded result has error ≤ 0.5. Both
infinite, or both NaN, is error 0; one infinite and not the other is error ``inf``
unless the exact value is beyond the format's largest number (then ``inf`` is the
correctly rounded answer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
from numpy.typing import NDArray

from activations import Activation

from .references import MpFunction

#: Working precision of the references (decimal digits).
DPS = 60
#: A second, higher precision used on a sample of points to prove the references stable.
CHECK_DPS = 130


def float64_grid() -> NDArray[np.float64]:
    """Inputs covering the whole float64 line: dense near 0, tails, extremes, specials."""
    tiny = np.finfo(np.float64).tiny
    magnitudes = np.concatenate(
        [
            np.logspace(-323, 308, 700),
            np.array([5e-324, 1e-320, tiny, 2 * tiny, 1e-200, 1e-16, 1e-8, 1e300]),
            np.array([np.finfo(np.float64).max]),
        ]
    )
    dense = np.concatenate(
        [
            np.linspace(-8.0, 8.0, 1601),
            np.linspace(-40.0, 40.0, 801),
            np.linspace(-750.0, 750.0, 301),
            np.arange(-6.0, 6.01, 0.25),  # exact quarter points: kinks of many functions
        ]
    )
    points = np.concatenate([dense, magnitudes, -magnitudes, [0.0, -0.0, np.inf, -np.inf]])
    return np.unique(points)


def float32_grid() -> NDArray[np.float32]:
    """float32 inputs: dense near 0, the tails and the extremes of float32."""
    info = np.finfo(np.float32)
    magnitudes = np.concatenate(
        [np.logspace(-45, 38, 250), [float(info.max), float(info.tiny), 1.4e-45]]
    )
    dense = np.concatenate([np.linspace(-10.0, 10.0, 801), np.linspace(-100.0, 100.0, 201)])
    points = np.concatenate([dense, magnitudes, -magnitudes, [0.0, np.inf, -np.inf]])
    with np.errstate(over="ignore"):
        return np.unique(points.astype(np.float32))


def exact_values(
    function: MpFunction, xs: Iterable[float], params: dict[str, Any], dps: int = DPS
) -> list[mpmath.mpf]:
    """The reference at each float input (exactly converted), NaN inputs giving NaN."""
    values = []
    with mpmath.workdps(dps):
        for x in xs:
            if np.isnan(x):
                values.append(mpmath.mpf("nan"))
            else:
                values.append(function(mpmath.mpf(float(x)), **params))
    return values


def check_stable(
    function: MpFunction, xs: NDArray[Any], params: dict[str, Any], every: int = 9
) -> None:
    """Raise if the reference changes between ``DPS`` and ``CHECK_DPS`` digits."""
    sample = xs[::every]
    low = exact_values(function, sample, params, DPS)
    high = exact_values(function, sample, params, CHECK_DPS)
    with mpmath.workdps(CHECK_DPS):
        for x, a, b in zip(sample, low, high, strict=True):
            if mpmath.isnan(a) and mpmath.isnan(b):
                continue
            if mpmath.isinf(a) or mpmath.isinf(b):
                if a != b:
                    raise AssertionError(f"reference unstable at x={x!r}: {a} vs {b}")
                continue
            if abs(a - b) > abs(b) * mpmath.mpf(10) ** (-(DPS - 15)):
                raise AssertionError(f"reference unstable at x={float(x)!r}: {a} vs {b}")


def ulp_errors(
    computed: NDArray[Any],
    exact: list[mpmath.mpf],
    dtype: type[np.floating[Any]] = np.float64,
    scale: Callable[[int], float] | None = None,
) -> NDArray[np.float64]:
    """Error of each computed value in ulps of its exact value in ``dtype``.

    ``scale(i)``, when given, is a magnitude for point ``i`` (or 0): the ulp is then
    taken at ``max(|exact|, scale)``, for the declared cancellation windows.
    """
    info = np.finfo(dtype)
    smallest = float(np.nextafter(dtype(0), dtype(1)))
    largest = float(info.max)
    errors = np.empty(len(exact))
    with mpmath.workdps(DPS):
        for i, (y, e) in enumerate(zip(np.asarray(computed, dtype=np.float64).ravel(), exact)):
            if mpmath.isnan(e) or np.isnan(y):
                errors[i] = 0.0 if (mpmath.isnan(e) and np.isnan(y)) else np.inf
                continue
            # Beyond largest + half its ulp the correctly rounded value is inf (a tie
            # too: largest has an odd significand). Computed in mpmath: the same bound
            # in floats rounds back to largest itself.
            if mpmath.isinf(e) or abs(e) >= largest + mpmath.mpf(2) ** (info.maxexp - info.nmant - 2):
                errors[i] = 0.0 if (np.isinf(y) and (y > 0) == (e > 0)) else np.inf
                continue
            if np.isinf(y):
                errors[i] = np.inf
                continue
            magnitude = abs(float(e))
            if scale is not None:
                magnitude = max(magnitude, scale(i))
            with np.errstate(over="ignore"):
                rounded = dtype(magnitude)
            top = float(dtype(largest) - np.nextafter(dtype(largest), dtype(0)))
            if not np.isfinite(rounded) or rounded == dtype(largest):
                ulp = top  # the spacing just below the largest number (above it is inf)
            else:
                ulp = max(float(np.spacing(rounded)), smallest)
            errors[i] = float(abs(mpmath.mpf(float(y)) - e) / ulp)
    return errors


@dataclass(frozen=True)
class Worst:
    """The largest error found on a sweep and where."""

    ulps: float
    x: float
    computed: float
    exact: str
    share_within_1ulp: float

    def __str__(self) -> str:
        return (
            f"{self.ulps:.3g} ulp at x={self.x!r} (got {self.computed!r}, exact {self.exact});"
            f" {100 * self.share_within_1ulp:.2f}% of points within 1 ulp"
        )


def worst(xs: NDArray[Any], computed: NDArray[Any], exact: list[mpmath.mpf], errors: NDArray[Any]) -> Worst:
    """Summarise a sweep by its worst point."""
    i = int(np.argmax(errors))
    with mpmath.workdps(20):
        shown = mpmath.nstr(exact[i], 17)
    return Worst(
        ulps=float(errors[i]),
        x=float(np.ravel(xs)[i]),
        computed=float(np.ravel(computed)[i]),
        exact=shown,
        share_within_1ulp=float(np.mean(errors <= 1.0)),
    )


def reference_params(record: Activation, params: dict[str, Any]) -> dict[str, Any]:
    """Every parameter of ``record`` resolved to a value, as the mpmath references take
    them: all of them, the random generator (rrelu's ``rng``) excepted."""
    resolved = record.resolve_params(params)
    return {k: v for k, v in resolved.items() if not isinstance(v, np.random.Generator)}

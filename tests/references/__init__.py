"""Exact references for every activation, computed with mpmath.

Each family module here defines ``REFERENCES: dict[str, Reference]`` keyed by canonical
name. A reference takes one ``mpmath.mpf`` (which may be ``±inf``; NaN never reaches it)
and the activation's parameters as keyword arguments, and returns the exact value as an
``mpf`` (or an ``mpf`` infinity). The caller sets the working precision; a reference
must be exact at that precision for every float64 input, so write cancellation-prone
formulas in a stable form (a series near 0, ``mp.expm1``, ...) or raise the precision
locally with ``mp.workdps``.

``ALL`` merges the families; the test-suite fails if an activation has no reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import mpmath

MpFunction = Callable[..., mpmath.mpf]


@dataclass(frozen=True)
class Reference:
    """mpmath versions of an elementwise activation and its derivative.

    ``extra_points`` are inputs worth checking for the default parameters beyond the
    common grid (kinks, minima, the point where a formula switches branch).
    ``cancellation`` lists windows ``(centre, half_width, scale)`` around an interior
    zero of the derivative that the kernel reaches by subtracting nearly equal terms of
    size about ``scale``: inside a window the derivative's error is measured in ulps of
    ``max(|exact|, scale)`` instead of ulps of the exact value (see
    ``tests/accuracy.py``). The site's accuracy page lists these windows; keep them
    honest and narrow.
    """

    f: MpFunction
    df: MpFunction
    extra_points: tuple[float, ...] = ()
    cancellation: tuple[tuple[float, float, float], ...] = field(default=())


def _merge() -> dict[str, Reference]:
    from . import gated, periodic, rectifiers, shrink, sigmoidal, smooth_rectifiers, threshold

    merged: dict[str, Reference] = {}
    for module in (threshold, sigmoidal, rectifiers, smooth_rectifiers, gated, shrink, periodic):
        for name, ref in module.REFERENCES.items():
            if name in merged:
                raise RuntimeError(f"two references for {name!r}")
            merged[name] = ref
    return merged


def all_references() -> dict[str, Reference]:
    """Every elementwise reference, by canonical activation name."""
    return _merge()


Params = dict[str, Any]

"""References for the shrinkage family (softshrink, hardshrink, tanhshrink)."""

from __future__ import annotations

import mpmath as mp

from . import Reference


def _softshrink(x: mp.mpf, lambd: float) -> mp.mpf:
    if x > lambd:
        return x - lambd
    if x < -lambd:
        return x + lambd
    return mp.mpf(0)


def _hardshrink(x: mp.mpf, lambd: float) -> mp.mpf:
    return x if abs(x) > lambd else mp.mpf(0)


def _outside_band(x: mp.mpf, lambd: float) -> mp.mpf:
    return mp.mpf(1) if abs(x) > lambd else mp.mpf(0)


def _tanhshrink(x: mp.mpf) -> mp.mpf:
    if mp.isinf(x) or x == 0:
        return x
    # x - tanh(x) ~ x³/3 cancels 2·log2(1/|x|) bits: carry that many more.
    with mp.workprec(mp.mp.prec + 2 * max(0, -int(mp.mag(x))) + 30):
        return x - mp.tanh(x)


REFERENCES = {
    "softshrink": Reference(f=_softshrink, df=_outside_band),
    "hardshrink": Reference(f=_hardshrink, df=_outside_band),
    "tanhshrink": Reference(
        f=_tanhshrink,
        df=lambda x: mp.tanh(x) ** 2,
        extra_points=(2.0, 40.0, 1.0, 1e-13, 0.5),
    ),
}

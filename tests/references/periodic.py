"""References for the periodic and radial family (gaussian, sin, cos, sinc, snake)."""

from __future__ import annotations

import mpmath as mp

from . import Reference


def _extra_bits(x: mp.mpf) -> int:
    """Bits lost to cancellation of terms of size |x| in a result of size |x|³."""
    return 2 * max(0, -int(mp.mag(x)))


def _gaussian(x: mp.mpf) -> mp.mpf:
    return mp.mpf(0) if mp.isinf(x) else mp.exp(-x * x)


def _gaussian_derivative(x: mp.mpf) -> mp.mpf:
    return mp.mpf(0) if mp.isinf(x) else -2 * x * mp.exp(-x * x)


def _periodic(function: mp.mpf) -> object:
    # sin and cos have no limit at ±inf: NaN, as for every periodic function here.
    return lambda x: mp.nan if mp.isinf(x) else function(x)


def _sinc(x: mp.mpf) -> mp.mpf:
    if mp.isinf(x):
        return mp.mpf(0)
    if x == 0:
        return mp.mpf(1)
    return mp.sin(x) / x


def _sinc_derivative(x: mp.mpf) -> mp.mpf:
    if mp.isinf(x) or x == 0:
        return mp.mpf(0)
    # cos x - sin(x)/x cancels near 0 (like x²/3) and near the roots of tan x = x
    # (no double comes within 2**-70 relative of one): carry enough extra bits.
    with mp.workprec(mp.mp.prec + _extra_bits(x) + 100):
        return (mp.cos(x) - mp.sin(x) / x) / x


def _snake(x: mp.mpf, a: float) -> mp.mpf:
    if mp.isinf(x):
        return x
    with mp.workprec(mp.mp.prec + 20):
        return x + mp.sin(a * x) ** 2 / a


def _snake_derivative(x: mp.mpf, a: float) -> mp.mpf:
    if mp.isinf(x):
        return mp.nan
    # 1 + sin(2ax) near its zeros is about t²/2 for a distance t from the zero: extra bits.
    with mp.workprec(mp.mp.prec + 150):
        return 1 + mp.sin(2 * a * x)


REFERENCES = {
    "gaussian": Reference(
        f=_gaussian,
        df=_gaussian_derivative,
        extra_points=(27.3, 27.5, 26.6, 27.2972, 27.37, 1e-154, 0.7071067811865476),
    ),
    "sin": Reference(
        f=_periodic(mp.sin),
        df=_periodic(mp.cos),
        extra_points=(3.141592653589793, 1.5707963267948966, 6.283185307179586, 1e22, 5.0e15),
    ),
    "cos": Reference(
        f=_periodic(mp.cos),
        df=_periodic(lambda x: -mp.sin(x)),
        extra_points=(3.141592653589793, 1.5707963267948966, 4.71238898038469, 1e22, 5.0e15),
    ),
    "sinc": Reference(
        f=_sinc,
        df=_sinc_derivative,
        extra_points=(
            0.7853981633974483,  # π/4, where the series hands over
            3.141592653589793,
            4.493409457909064,  # roots of tan x = x: sinc' = 0, sinc minimal
            7.725251836937707,
            10.904121659428899,
            -14.066193912831473,
            1e22,
        ),
    ),
    "snake": Reference(
        f=_snake,
        df=_snake_derivative,
        extra_points=(
            -0.7853981633974483,  # sin(2x) = -1: the derivative touches 0
            2.356194490192345,
            -1.1655611852072112,  # x + sin²x is smallest relative to x here
            1e22,
            2.0**60,
        ),
    ),
}

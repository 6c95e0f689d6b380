"""References for the sigmoidal family.

Every formula is written so that nothing cancels: exponentials only of ``-|x|`` (never
an overflow-sized intermediate that later divides out), ``expm1``/``log1p`` where a
result is close to 0 or 1, and the derivatives as products of positive terms.
"""

from __future__ import annotations

import mpmath as mp

from . import Reference


def _sigmoid(x: mp.mpf) -> mp.mpf:
    t = mp.exp(-abs(x))
    return 1 / (1 + t) if x >= 0 else t / (1 + t)


def _sigmoid_derivative(x: mp.mpf) -> mp.mpf:
    t = mp.exp(-abs(x))
    return t / (1 + t) ** 2


def _tanh(x: mp.mpf) -> mp.mpf:
    if mp.isinf(x):
        return mp.sign(x)
    # -expm1(-2|x|)/(2 + expm1(-2|x|)): relative accuracy for tiny x, no overflow.
    m = mp.expm1(-2 * abs(x))
    return mp.sign(x) * (-m / (2 + m))


def _sech2(x: mp.mpf) -> mp.mpf:
    t = mp.exp(-2 * abs(x))
    return 4 * t / (1 + t) ** 2


def _hard_sigmoid(x: mp.mpf) -> mp.mpf:
    if x <= -3:
        return mp.mpf(0)
    if x >= 3:
        return mp.mpf(1)
    return (x + 3) / 6


def _hard_tanh(x: mp.mpf, min_val: float, max_val: float) -> mp.mpf:
    return min(max(x, mp.mpf(min_val)), mp.mpf(max_val))


def _hard_tanh_derivative(x: mp.mpf, min_val: float, max_val: float) -> mp.mpf:
    return mp.mpf(1) if min_val < x < max_val else mp.mpf(0)


def _softsign(x: mp.mpf) -> mp.mpf:
    return mp.sign(x) if mp.isinf(x) else x / (1 + abs(x))


def _log_sigmoid(x: mp.mpf) -> mp.mpf:
    # min(x, 0) - log1p(e^{-|x|}): exact limits -inf and 0, no overflow.
    return min(x, mp.mpf(0)) - mp.log1p(mp.exp(-abs(x)))


def _lecun_tanh(x: mp.mpf) -> mp.mpf:
    return mp.mpf("1.7159") * _tanh(2 * x / 3)


def _lecun_tanh_derivative(x: mp.mpf) -> mp.mpf:
    if mp.isinf(x):
        return mp.mpf(0)
    # e^{-4|x|/3} needs 4|x|/3 to an absolute accuracy far below 1: carry mag(x) more bits.
    extra = max(0, int(mp.mag(x))) if x != 0 else 0
    with mp.workprec(mp.mp.prec + extra + 20):
        value = mp.mpf("1.7159") * 2 / 3 * _sech2(2 * x / 3)
    return +value


def _cloglog(x: mp.mpf) -> mp.mpf:
    if x > 10:
        # exp(-e^x) < 10^-9565: 1 at any working precision.
        return mp.mpf(1)
    return -mp.expm1(-mp.exp(x))


def _cloglog_derivative(x: mp.mpf) -> mp.mpf:
    if mp.isinf(x) or x > 20:
        # Beyond x = 20 the exact value is below 10^(-10^8): 0 in every float format,
        # and e^{e^x} itself is out of reach of any working precision for large x.
        return mp.mpf(0)
    return mp.exp(x - mp.exp(x))


REFERENCES = {
    "sigmoid": Reference(
        f=_sigmoid,
        df=_sigmoid_derivative,
        extra_points=(36.75, 37.43, 40.0, -36.75, -745.0, -745.13, -745.2, 745.5, 709.8, -709.8),
    ),
    "tanh": Reference(
        f=_tanh,
        df=_sech2,
        extra_points=(2.0**-28, 0.5326153249183587, 19.06, 19.1, 20.0, 373.26, 373.3, -1e-9),
    ),
    "hard_sigmoid": Reference(
        f=_hard_sigmoid,
        df=lambda x: mp.mpf(1) / 6 if abs(x) < 3 else mp.mpf(0),
        extra_points=(-2.5, 2.5, 1e-300, -1e-17, 2.9999999999999996),
    ),
    "hard_tanh": Reference(f=_hard_tanh, df=_hard_tanh_derivative),
    "softsign": Reference(
        f=_softsign,
        df=lambda x: 1 / (1 + abs(x)) ** 2,
        extra_points=(1.0, 2.0, 0.5, 2.0**53, 1e154, 2.0**1023, 3e-308),
    ),
    "log_sigmoid": Reference(
        f=_log_sigmoid,
        df=lambda x: _sigmoid(-x),
        extra_points=(80.0, -80.0, 745.5, 746.0, -37.0, 36.75, 1e-300, -1e-300),
    ),
    "arctan": Reference(
        f=mp.atan,
        df=lambda x: 1 / (1 + x * x),
        extra_points=(1.0, 1e154, 2.0**537, 2.0**538, 1e-160),
    ),
    "lecun_tanh": Reference(
        f=_lecun_tanh,
        df=_lecun_tanh_derivative,
        extra_points=(2.0**-30, 2.0**-28, 1.0, -1.0, 26.7, 40.0, 559.99, 560.0, 561.0, 5e-324),
    ),
    "symmetric_sigmoid": Reference(
        f=lambda x: _tanh(x / 2),
        df=lambda x: _sech2(x / 2) / 2,
        extra_points=(2.0**-1021, 3 * 2.0**-1074, 2.0**-27, 38.2, 40.0, 745.2, 746.0),
    ),
    "cloglog": Reference(
        f=_cloglog,
        df=_cloglog_derivative,
        extra_points=(-36.0, -3.47, 0.0, 3.62, 4.0, 6.62, 6.63, 6.7, -708.5, -745.13, -745.2),
    ),
}

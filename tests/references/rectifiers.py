"""References for the rectifier family (ReLU and its piecewise relatives).

Every piece is a polynomial of degree at most 2 in x, evaluated exactly by mpmath at the
working precision; the only formula that needs care is bent identity, whose
``√(x² + 1) - 1`` is written as ``x²/(√(x² + 1) + 1)`` so that nothing cancels near 0.
"""

from __future__ import annotations

import mpmath as mp

from . import Reference

ZERO = mp.mpf(0)
ONE = mp.mpf(1)


def _times(slope: float, x: mp.mpf) -> mp.mpf:
    """``slope·x``, with the limit 0 (not NaN) for a zero slope at x = ±inf."""
    if slope == 0:
        return ZERO
    return mp.mpf(slope) * x


def _leaky(x: mp.mpf, slope: float) -> mp.mpf:
    return x if x >= 0 else _times(slope, x)


def _leaky_derivative(x: mp.mpf, slope: float) -> mp.mpf:
    return ONE if x > 0 else mp.mpf(slope)


def _mean(lower: float, upper: float) -> mp.mpf:
    return (mp.mpf(lower) + mp.mpf(upper)) / 2


def _rrelu(x: mp.mpf, lower: float, upper: float, training: bool, rng: None) -> mp.mpf:
    if training:
        raise ValueError("random slopes have no reference: test rrelu with training=False")
    slope = _mean(lower, upper)
    if x >= 0:
        return x
    return ZERO if slope == 0 else slope * x


def _rrelu_derivative(
    x: mp.mpf, lower: float, upper: float, training: bool, rng: None
) -> mp.mpf:
    if training:
        raise ValueError("random slopes have no reference: test rrelu with training=False")
    return ONE if x > 0 else _mean(lower, upper)


def _srelu(x: mp.mpf, t_left: float, a_left: float, t_right: float, a_right: float) -> mp.mpf:
    def line(t: float, a: float) -> mp.mpf:
        if mp.isinf(x):
            return mp.mpf(t) if a == 0 else mp.mpf(a) * x
        return mp.mpf(t) + mp.mpf(a) * (x - mp.mpf(t))

    if x >= t_right:
        return line(t_right, a_right)
    if x <= t_left:
        return line(t_left, a_left)
    return x


def _srelu_derivative(
    x: mp.mpf, t_left: float, a_left: float, t_right: float, a_right: float
) -> mp.mpf:
    if x >= t_right:
        return mp.mpf(a_right)
    if x <= t_left:
        return mp.mpf(a_left)
    return ONE


def _sparse_plus(x: mp.mpf) -> mp.mpf:
    if x <= -1:
        return ZERO
    if x >= 1:
        return x
    return (x + 1) ** 2 / 4


def _sparse_plus_derivative(x: mp.mpf) -> mp.mpf:
    if x <= -1:
        return ZERO
    if x >= 1:
        return ONE
    return (x + 1) / 2


def _bent_identity(x: mp.mpf) -> mp.mpf:
    if mp.isinf(x):
        return x
    # √(x² + 1) - 1 = x²/(√(x² + 1) + 1): no cancellation for small x. For x < 0 the sum
    # x + (|x| - 1)/2 + ... loses one bit at most.
    return x + x**2 / (2 * (mp.sqrt(x**2 + 1) + 1))


def _bent_identity_derivative(x: mp.mpf) -> mp.mpf:
    if mp.isinf(x):
        return mp.mpf(1.5) if x > 0 else mp.mpf(0.5)
    return 1 + x / (2 * mp.sqrt(x**2 + 1))


REFERENCES = {
    "relu": Reference(
        f=lambda x: x if x > 0 else ZERO,
        df=lambda x: ONE if x > 0 else ZERO,
    ),
    "relu6": Reference(
        f=lambda x: min(max(x, ZERO), mp.mpf(6)),
        df=lambda x: ONE if 0 < x < 6 else ZERO,
    ),
    "leaky_relu": Reference(
        f=lambda x, negative_slope: _leaky(x, negative_slope),
        df=lambda x, negative_slope: _leaky_derivative(x, negative_slope),
    ),
    "prelu": Reference(
        f=lambda x, weight: _leaky(x, weight),
        df=lambda x, weight: _leaky_derivative(x, weight),
    ),
    "rrelu": Reference(f=_rrelu, df=_rrelu_derivative),
    "srelu": Reference(f=_srelu, df=_srelu_derivative, extra_points=(-1.0, 1.0)),
    "squared_relu": Reference(
        f=lambda x: x**2 if x > 0 else ZERO,
        df=lambda x: 2 * x if x > 0 else ZERO,
    ),
    "sparse_plus": Reference(
        f=_sparse_plus,
        df=_sparse_plus_derivative,
        extra_points=(-1.0, 1.0, -0.5, 2.0**-52, -(2.0**-53), 1.0 - 2.0**-53),
    ),
    "absolute": Reference(f=lambda x: abs(x), df=lambda x: mp.mpf(mp.sign(x))),
    "bent_identity": Reference(
        f=_bent_identity,
        df=_bent_identity_derivative,
        extra_points=(
            2.0**-60,
            -(2.0**-60),
            2.0**60,
            -(2.0**60),
            1.0e154,
            -1.0e154,
        ),
    ),
}

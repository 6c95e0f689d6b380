"""Sigmoidal units: S-shaped squashing functions, smooth and piecewise linear.

A *sigmoid* maps the real line onto a bounded interval, rising monotonically from
one horizontal asymptote to the other. The logistic sigmoid ``σ(x) = 1/(1 + e^{-x})``
squashes onto ``(0, 1)`` and reads as a probability; the hyperbolic tangent squashes
onto ``(-1, 1)`` and is the same curve recentred and stretched, ``tanh x = 2σ(2x) - 1``.
They were the standard hidden units of the 1980s and 1990s, and they remain at work
inside gates (LSTM, GRU, GLU) and wherever an output must be a probability.

Their weakness is *saturation*: far from the origin the curve is flat, the derivative
is nearly zero, and the gradient flowing back through many such layers vanishes. That
is why ReLU replaced them in deep feed-forward networks. Zero-centred outputs help
(``tanh`` over ``σ``, as LeCun et al. argued in "Efficient BackProp"), and so do
cheaper shapes: piecewise linear versions (:data:`hard_sigmoid`, :data:`hard_tanh`),
a version with polynomial rather than exponential tails (:data:`softsign`), the
logarithm of the sigmoid (:data:`log_sigmoid`, which is what a loss needs) and an
asymmetric one from statistics (:data:`cloglog`).

Numerically the sigmoids are harder than they look. The textbook ``1/(1 + exp(-x))``
rounds three times (the exponential, the sum, the quotient) and is off by up to 2 ulp
in float64 (measured with numpy on x86-64); for x above 36.74 the sum ``1 + e^{-x}``
is exactly 1, and the derivative written as ``σ(1 - σ)`` from that rounded output is
exactly 0, long before the true value (about ``e^{-x}``) leaves the floating-point
range. Here every function is written in terms of ``t = e^{-|x|}``, which never
overflows, and the derivatives use forms such as ``t/(1 + t)²`` with no subtraction.
The exponential itself is evaluated in double-double arithmetic (:func:`_exp_core`: a
reduction by multiples of ln 2 and of 1/16 and a short Taylor series, about 2^-64
relative error, independent of the platform's libm), the sums and quotients that
follow carry twice the precision (TwoSum and TwoProduct from ``_special``), and the
result is rounded once, subnormal results included (:func:`_scale`). On random inputs
across the whole range every function here and every derivative is correctly rounded
(error at most 0.5 ulp); the exact answers come from mpmath.

Four of these (ArcTan, LeCun tanh, the symmetrical sigmoid and LogLog, our
:data:`cloglog`) are in D. Sheehan's visualiser of activation functions (2017), as
``arctan x``, ``1.7159 tanh(2x/3)``, ``tanh(x/2)`` and ``1 - exp(-e^x)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._core import (
    SMOOTH,
    Activation,
    FrameworkName,
    Interval,
    Kink,
    Origin,
    Param,
    Properties,
    zero_slope,
)
from ._special import DD, _add, _div, _mul, _pair, two_product, two_sum
from ._util import F64, piecewise

#: Integer powers of two, as returned by ``np.frexp`` and the exponential's reduction.
Exponent = NDArray[np.integer[Any]]


def _neg(a: DD) -> DD:
    return -a[0], -a[1]


def _const(value: float, like: F64) -> DD:
    return np.full(like.shape, value), np.zeros(like.shape)


# --- the exponential in double-double ---------------------------------------------------
# ln 2 split as in fdlibm's e_exp.c: the high part has 32 significant bits, so k ln2_hi
# is exact for |k| < 2**21 and a - k ln2_hi is exact (Sterbenz).
_INV_LN2 = 1.44269504088896338700e00
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10

#: exp(j/16) for j = -6..6 as double-doubles (hi, lo), from mpmath at 50 digits.
_EXP_SIXTEENTHS = np.array(
    [
        (0.6872892787909722, -3.7088003061371396e-17),
        (0.7316156289466418, 8.35576468031604e-18),
        (0.7788007830714049, -1.0231869534531498e-17),
        (0.8290291181804004, -2.7604408719539223e-17),
        (0.8824969025845955, -5.224526916735663e-17),
        (0.9394130628134758, -2.152447043447057e-17),
        (1.0, 0.0),
        (1.0644944589178593, 1.0872888143211957e-16),
        (1.1331484530668263, -5.370737708558031e-18),
        (1.2062302494209807, 3.9295715071105525e-17),
        (1.2840254166877414, 8.968972781793724e-17),
        (1.3668379411737963, 5.1449446596411544e-17),
        (1.4549914146182013, 8.517923078996071e-17),
    ]
)

#: 1/3!, 1/4!, ..., 1/9!: expm1(r) = r + r²/2 + r³ Σ r^n/(n+3)!; for |r| <= 1/32 the
#: first term left out, r^10/10!, is below 2^-71.
_EXPM1_TAIL = tuple(1.0 / math.factorial(n) for n in range(3, 10))


def _exp_core(a_hi: F64, a_lo: F64) -> tuple[DD, DD, Exponent]:
    r"""Split ``e^{a_hi + a_lo} = 2^k · E · (1 + w)`` for ``|a| < 1100``.

    ``a = k ln2 + j/16 + s`` with integers ``k`` and ``j`` (``|j| <= 6``) and ``s`` a
    double-double with ``|s| <= 1/32 + 2^-22``; ``E = e^{j/16}`` comes from a table and
    ``w = expm1(s) = m + (1 + m) s_err`` with ``m = s + s²/2 + s³ Q(s)``, where ``s²/2``
    is exact (TwoProduct) and only the small ``s³ Q(s)`` is rounded. ``E`` is good to
    2^-106 and ``w`` to about 2^-64 relative (2^-68 of ``1 + w``); no libm function is
    used, so the result does not depend on the platform's exp.
    """
    # k = 0 below |a| = 1/4 anyway; zeroing a there first keeps a tiny a_hi/ln2 from
    # underflowing.
    k = np.rint(np.where(np.abs(a_hi) < 0.25, 0.0, a_hi) * _INV_LN2)
    r_hi = a_hi - k * _LN2_HI
    j = np.rint(16.0 * r_hi)
    # r_hi - j/16 is exact (the same grid as r_hi, and smaller); k ln2_lo (up to 2e-7)
    # and a_lo join it as a double-double s + s_err.
    s, s_err = two_sum(r_hi - j / 16.0, a_lo - k * _LN2_LO)
    # Below 2^-300 the terms s²/2 + ... are far below an ulp of s; dropping them there
    # keeps s³ clear of the subnormal range.
    rs = np.where(np.abs(s) < 2.0**-300, 0.0, s)
    sq, sq_err = two_product(rs, rs)
    tail = np.full(s.shape, _EXPM1_TAIL[-1])
    for c in reversed(_EXPM1_TAIL[:-1]):
        tail = tail * rs + c
    m_hi, m_lo = two_sum(s, 0.5 * sq)
    m_hi, m_lo = two_sum(m_hi, m_lo + (0.5 * sq_err + rs * sq * tail))
    # expm1(s + s_err) = m + (1 + m) s_err to first order (s_err is an ulp of s).
    w = two_sum(m_hi, m_lo + s_err * (1.0 + m_hi))
    row = _EXP_SIXTEENTHS[(j + 6).astype(np.intp)]
    return (row[..., 0], row[..., 1]), w, k.astype(np.int32)


def _exp_dd(a_hi: F64, a_lo: F64) -> tuple[DD, Exponent]:
    """``e^{a_hi + a_lo} = 2^k (h + l)`` with ``h + l`` in [0.68, 1.46], ``|a| < 1100``."""
    e, w, k = _exp_core(a_hi, a_lo)
    return _add(e, _mul(e, w)), k


def _expm1_dd(a_hi: F64, a_lo: F64) -> DD:
    """``e^a - 1`` as a double-double for ``-60 < a < 60``, relative error near 2^-64.

    With ``A = 2^k E`` it is ``(A - 1) + A w``: ``A - 1`` is exact in double-double, and
    for ``|a| < 1/32`` (``k = j = 0``, ``A = 1``) it is ``w`` itself, so nothing cancels.
    """
    e, w, k = _exp_core(a_hi, a_lo)
    big = (np.ldexp(e[0], k), np.ldexp(e[1], k))
    return _add(_add(big, _const(-1.0, a_hi)), _mul(big, w))


def _real(v: DD, k: Exponent, floor: int = -200) -> DD:
    """The value ``2^k (hi + lo)`` as a double-double, or 0 where ``k < floor``: there it
    is below 2^-199 and only ever added to numbers near 1."""
    small = k < floor
    kk = np.maximum(k, floor)
    return np.where(small, 0.0, np.ldexp(v[0], kk)), np.where(small, 0.0, np.ldexp(v[1], kk))


def _scale(v: DD, k: Exponent | int) -> F64:
    """``2^k (hi + lo)`` correctly rounded (ties aside).

    ``hi`` is already the pair rounded to 53 bits, and ``ldexp`` is exact unless the
    result is subnormal. There it rounds ``hi`` again, to a grid of spacing ``g`` (one
    subnormal, scaled back by ``2^-k``), which can go the wrong way when ``hi`` sits
    near the middle of a step: the part of ``hi + lo`` that the rounding dropped,
    ``(hi - r) + lo`` with ``hi - r`` exact, says whether ``hi + lo`` itself was past
    the middle, and the result moves by one subnormal if it was.
    """
    power = np.asarray(k)
    # A subnormal or zero result is the correctly rounded answer here, so the underflow
    # that signals it is not an error.
    with np.errstate(under="ignore"):
        r = np.ldexp(v[0], power)
        # Half a subnormal step in the units of hi; it only matters where r is subnormal.
        half_step = np.ldexp(0.5, np.maximum(-1074 - power, -1000))
    dropped = (v[0] - np.ldexp(r, -power)) + v[1]
    step = np.where(np.abs(r) < 2.0**-1022, 2.0**-1074, 0.0)
    result: F64 = r + step * np.where(np.abs(dropped) > half_step, np.sign(dropped), 0.0)
    return result


def _logistic_slope(y_hi: F64, y_lo: F64, shift: int, factor: DD | None = None) -> F64:
    """``factor · 2^shift · t/(1 + t)²`` with ``t = e^{-y}``, ``0 <= y < 1100``.

    This is σ'(y) (shift 0), sech²(y/2) (shift 2) and their scaled forms. No subtraction
    occurs, so the result keeps its full relative accuracy out to the subnormal range,
    where σ(1 - σ) computed from a rounded σ has long become 0.
    """
    t_scaled, k = _exp_dd(-y_hi, -y_lo)
    d = _add(_const(1.0, y_hi), _real(t_scaled, k))
    numerator = t_scaled if factor is None else _mul(factor, t_scaled)
    return _scale(_div(numerator, _mul(d, d)), k + shift)


def _tanh_dd(y_hi: F64, y_lo: F64) -> DD:
    """``tanh y`` as a double-double for ``2^-300 < y < 30``: with ``M = e^{-2y} - 1``,
    ``tanh y = -M/(2 + M)``; ``M`` keeps its relative accuracy for small y, and for
    large y the numerator is ``1 - e^{-2y}`` to double-double precision."""
    m = _expm1_dd(-2.0 * y_hi, -2.0 * y_lo)
    return _div(_neg(m), _add(_const(2.0, y_hi), m))


# -- sigmoid --------------------------------------------------------------------------
#: Beyond this |x| the logistic function is 0 or 1 and its derivative 0 after rounding
#: (e^-746 < 2^-1076, half the smallest subnormal).
_SIGMOID_FLAT = 746.0
#: Below this |x|, σ(x) rounds to 1/2, log σ(x) to -log 2, softsign(x) to x.
_SIGMOID_TINY = 2.0**-60


def _sigmoid(x: F64) -> F64:
    r"""``σ(x) = 1/(1 + t)`` for ``x >= 0`` and ``t/(1 + t)`` for ``x < 0``, with
    ``t = e^{-|x|} = 2^k (h + l)`` in double-double: the exponential never overflows,
    and for ``x < 0`` the quotient ``(h + l)/(1 + t)`` is scaled by ``2^k`` only at
    the end, so results deep in the subnormal range are still rounded once."""

    def moderate(v: F64) -> F64:
        t_scaled, k = _exp_dd(-np.abs(v), np.zeros(v.shape))
        d = _add(_const(1.0, v), _real(t_scaled, k))
        positive = v >= 0
        numerator = (np.where(positive, 1.0, t_scaled[0]), np.where(positive, 0.0, t_scaled[1]))
        return _scale(_div(numerator, d), np.where(positive, 0, k))

    # Below 2^-60, σ(x) = 1/2 + x/4 rounds to 1/2.
    a = np.abs(x)
    return piecewise(
        x,
        [a < _SIGMOID_TINY, a <= _SIGMOID_FLAT, x > _SIGMOID_FLAT, x < -_SIGMOID_FLAT],
        [0.5, moderate, 1.0, 0.0],
    )


def _sigmoid_derivative(x: F64) -> F64:
    r"""``σ'(x) = σ(x) σ(-x) = t/(1 + t)²`` with ``t = e^{-|x|}``: even in x, and never
    computed as ``σ(1 - σ)``, whose ``1 - σ`` is exactly 0 once σ has rounded to 1."""
    # Below 2^-30, σ'(x) = 1/4 - x²/16 rounds to 1/4.
    a = np.abs(x)
    return piecewise(
        x,
        [a < 2.0**-30, a <= _SIGMOID_FLAT, a > _SIGMOID_FLAT],
        [0.25, lambda v: _logistic_slope(np.abs(v), np.zeros(v.shape), 0), 0.0],
    )


sigmoid = Activation(
    name="sigmoid",
    display_name="Sigmoid",
    summary="The logistic function 1/(1 + e^-x): squashes any input into (0, 1).",
    family="sigmoidal",
    kernel=_sigmoid,
    derivative_kernel=_sigmoid_derivative,
    latex=r"f(x) = \sigma(x) = \frac{1}{1 + e^{-x}}",
    derivative_latex=r"f'(x) = \sigma(x)\,\sigma(-x) = \sigma(x)\bigl(1 - \sigma(x)\bigr)",
    properties=Properties(
        range=Interval(0.0, 1.0),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=False,
        saturating="both",
    ),
    origin=Origin(
        authors="D. E. Rumelhart, G. E. Hinton and R. J. Williams",
        year=1986,
        title="Learning representations by back-propagating errors",
        venue="Nature 323",
        url="https://doi.org/10.1038/323533a0",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.sigmoid",
            notes=(
                "Also torch.nn.functional.sigmoid and torch.nn.Sigmoid. The backward pass"
                " computes σ(1 - σ) from the rounded output, which in float64 is exactly 1"
                " from x ≈ 36.74 on (1 + e^-x rounds to 1), so the gradient there is 0"
                " although the exact derivative is about e^-x (pytorch/pytorch#195681)."
            ),
        ),
        FrameworkName("JAX", "jax.nn.sigmoid", notes="Also jax.nn.log_sigmoid for its log."),
        FrameworkName("Keras 3", "keras.activations.sigmoid", notes="Also keras.ops.sigmoid."),
        FrameworkName("TensorFlow", "tf.math.sigmoid", notes="Also tf.nn.sigmoid."),
    ),
    aliases=("logistic",),
    cost="1 exp",
)


# -- tanh -----------------------------------------------------------------------------
#: Below this |x|, tanh x rounds to x (the relative correction x²/3 is under 2^-57).
_TANH_TINY = 2.0**-28
#: Beyond this |x|, tanh x rounds to ±1 (2e^{-2|x|} < 2^-54 from |x| = 19.07 on).
_TANH_FLAT = 20.0
#: Beyond this |x|, sech² x < 4e^{-2|x|} is below half the smallest subnormal (from 373.3).
_SECH2_FLAT = 374.0


def _tanh(x: F64) -> F64:
    r"""``tanh|x| = -M/(2 + M)`` with ``M = expm1(-2|x|)`` in double-double (see
    :func:`_tanh_dd`), sign restored; ``x`` itself below 2^-28 and ±1 beyond 20."""

    def moderate(v: F64) -> F64:
        return np.copysign(_tanh_dd(np.abs(v), np.zeros(v.shape))[0], v)

    a = np.abs(x)
    return piecewise(
        x,
        [a < _TANH_TINY, a <= _TANH_FLAT, a > _TANH_FLAT],
        [lambda v: v.copy(), moderate, np.sign],
    )


def _tanh_derivative(x: F64) -> F64:
    r"""``sech² x = 4t/(1 + t)²`` with ``t = e^{-2|x|}``: the same form as σ'(2x)·4, with
    no ``1 - tanh²x`` to cancel (that is exactly 0 once tanh x rounds to 1, at |x| ≈ 19)."""
    a = np.abs(x)
    return piecewise(
        x,
        [a < _TANH_TINY, a <= _SECH2_FLAT, a > _SECH2_FLAT],
        [1.0, lambda v: _logistic_slope(2.0 * np.abs(v), np.zeros(v.shape), 2), 0.0],
    )


tanh = Activation(
    name="tanh",
    display_name="Tanh",
    summary="The hyperbolic tangent: a zero-centred sigmoid onto (-1, 1), equal to 2σ(2x) - 1.",
    family="sigmoidal",
    kernel=_tanh,
    derivative_kernel=_tanh_derivative,
    latex=r"f(x) = \tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    derivative_latex=r"f'(x) = 1 - \tanh^2 x = \operatorname{sech}^2 x",
    properties=Properties(
        range=Interval(-1.0, 1.0),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="both",
        identity_near_origin=True,
    ),
    origin=Origin(
        authors="Y. LeCun, L. Bottou, G. B. Orr and K.-R. Müller",
        year=1998,
        title="Efficient BackProp",
        venue="Neural Networks: Tricks of the Trade, LNCS 1524, Springer",
        url="https://doi.org/10.1007/3-540-49430-8_2",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.tanh",
            notes=(
                "Also torch.nn.Tanh. The backward pass computes 1 - t² from the rounded"
                " output t, which is exactly 1 in float64 from |x| ≈ 19.06 on, so the"
                " gradient is 0 there although sech² x ≈ 4e^{-2|x|} is still far from"
                " underflowing."
            ),
        ),
        FrameworkName("JAX", "jax.numpy.tanh", notes="Also exported as jax.nn.tanh."),
        FrameworkName("Keras 3", "keras.activations.tanh", notes="Also keras.ops.tanh."),
        FrameworkName("TensorFlow", "tf.math.tanh", notes="Also tf.nn.tanh."),
    ),
    cost="1 exp",
)


# -- hard sigmoid ---------------------------------------------------------------------
def _hard_sigmoid(x: F64) -> F64:
    r"""``(x + 3)/6`` on (-3, 3), rounded once: ``x + 3`` is kept exact by TwoSum and the
    division is corrected by its exact remainder, so ``(x + 3)/6`` is not rounded twice
    as ``relu6(x + 3)/6`` is. 0 at and below -3, 1 at and above 3."""

    def ramp(v: F64) -> F64:
        s, e = two_sum(v, 3.0)
        q = s / 6.0
        p, pe = two_product(q, 6.0)
        return q + (((s - p) - pe) + e) / 6.0

    # Below 2^-60, (x + 3)/6 = 1/2 + x/6 rounds to 1/2.
    return piecewise(
        x,
        [x <= -3.0, x >= 3.0, np.abs(x) < 2.0**-60, np.abs(x) < 3.0],
        [0.0, 1.0, 0.5, ramp],
    )


def _hard_sigmoid_derivative(x: F64) -> F64:
    # 1/6 strictly inside (-3, 3), 0 outside and at ±3 (PyTorch's backward).
    return np.where(np.isnan(x), np.nan, np.where(np.abs(x) < 3.0, 1.0 / 6.0, 0.0))


hard_sigmoid = Activation(
    name="hard_sigmoid",
    display_name="Hard sigmoid",
    summary="A piecewise linear sigmoid: 0 up to -3, the line x/6 + 1/2, then 1 from 3 on.",
    family="sigmoidal",
    kernel=_hard_sigmoid,
    derivative_kernel=_hard_sigmoid_derivative,
    latex=(
        r"f(x) = \frac{\operatorname{ReLU6}(x + 3)}{6} = \begin{cases} 0, & x \le -3 \\"
        r" \frac{x}{6} + \frac{1}{2}, & -3 < x < 3 \\ 1, & x \ge 3 \end{cases}"
    ),
    derivative_latex=r"f'(x) = \begin{cases} \frac{1}{6}, & |x| < 3 \\ 0, & |x| > 3 \end{cases}",
    properties=Properties(
        range=Interval(0.0, 1.0, low_closed=True, high_closed=True),
        monotonic=True,
        continuity=0,
        zero_centred=False,
        saturating="both",
    ),
    kinks=(
        Kink(
            points=lambda p: [-3.0, 3.0],
            value=zero_slope,
            point_latex=r"x = \pm 3",
            value_latex="0",
            note=(
                "PyTorch's backward passes the gradient (times 1/6) only strictly inside"
                " (-3, 3), so it is 0 at both corners. JAX builds the function from relu6,"
                " whose gradient at 0 and 6 has been 0 since jax-ml/jax#14840 (it was 0.5),"
                " so it agrees."
            ),
        ),
    ),
    origin=Origin(
        authors="A. Howard, M. Sandler, G. Chu, L.-C. Chen, B. Chen, M. Tan, W. Wang, Y. Zhu,"
        " R. Pang, V. Vasudevan, Q. V. Le and H. Adam",
        year=2019,
        title="Searching for MobileNetV3",
        venue="ICCV 2019",
        url="https://arxiv.org/abs/1905.02244",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.hardsigmoid",
            notes="Also torch.nn.Hardsigmoid. x + 3 is rounded before the division by 6.",
        ),
        FrameworkName("JAX", "jax.nn.hard_sigmoid", notes="Computed as relu6(x + 3)/6."),
        FrameworkName(
            "Keras 3",
            "keras.activations.hard_sigmoid",
            notes=(
                "Also keras.ops.hard_sigmoid; the same function as here. Until"
                " keras-team/keras#19477 its docstring still described the Keras 2 formula"
                " 0.2x + 0.5 with corners at ±2.5 (reported as tensorflow/tensorflow#65381)."
            ),
        ),
        FrameworkName(
            "TensorFlow",
            "tf.keras.activations.hard_sigmoid",
            notes=(
                "A different function up to TensorFlow 2.15 (Keras 2): clip(0.2x + 0.5, 0, 1),"
                " slope 1/5 with corners at ±2.5. From 2.16, tf.keras is Keras 3 and"
                " computes relu6(x + 3)/6. There is no tf.nn version."
            ),
        ),
    ),
    aliases=("h_sigmoid",),
    cost="1 addition, 1 division, 2 comparisons",
)


# -- hard tanh ------------------------------------------------------------------------
def _hard_tanh(x: F64, min_val: float, max_val: float) -> F64:
    # Clipping returns either x or a bound: exact. NaN stays NaN.
    return np.clip(x, min_val, max_val)


def _hard_tanh_derivative(x: F64, min_val: float, max_val: float) -> F64:
    # 1 strictly between the bounds, 0 outside and at the bounds (PyTorch's backward).
    inside = (x > min_val) & (x < max_val)
    return np.where(np.isnan(x), np.nan, inside.astype(np.float64))


def _check_hard_tanh(params: Mapping[str, Any]) -> None:
    if params["min_val"] > params["max_val"]:
        raise ValueError(
            f"hard_tanh(): min_val must be at most max_val; got min_val={params['min_val']!r}"
            f" and max_val={params['max_val']!r}"
        )


hard_tanh = Activation(
    name="hard_tanh",
    display_name="Hard tanh",
    summary="Clips the input to [min_val, max_val]: the identity in between, flat outside.",
    family="sigmoidal",
    kernel=_hard_tanh,
    derivative_kernel=_hard_tanh_derivative,
    latex=r"f(x) = \begin{cases} a, & x < a \\ x, & a \le x \le b \\ b, & x > b \end{cases}",
    derivative_latex=(
        r"f'(x) = \begin{cases} 1, & a < x < b \\ 0, & x < a \text{ or } x > b \end{cases}"
    ),
    params=(
        Param(
            "min_val",
            -1.0,
            "Lower end of the linear region; smaller inputs give min_val.",
            latex="a",
            slider=(-3.0, 0.0),
        ),
        Param(
            "max_val",
            1.0,
            "Upper end of the linear region; larger inputs give max_val.",
            latex="b",
            slider=(0.0, 6.0),
        ),
    ),
    check_params=_check_hard_tanh,
    properties=Properties(
        range=Interval(-1.0, 1.0, low_closed=True, high_closed=True, low_latex="a", high_latex="b"),
        monotonic=True,
        continuity=0,
        zero_centred=True,
        saturating="both",
        identity_near_origin=True,
    ),
    kinks=(
        Kink(
            points=lambda p: [p["min_val"], p["max_val"]],
            value=zero_slope,
            point_latex=r"x = a,\ x = b",
            value_latex="0",
            note=(
                "PyTorch's backward is 0 at min_val and max_val (the gradient passes only"
                " strictly between them). jax.nn.hard_tanh is written as"
                " where(x > 1, 1, where(x < -1, -1, x)), so JAX's gradient at ±1 is 1."
            ),
        ),
    ),
    origin=Origin(
        authors="R. Collobert, J. Weston, L. Bottou, M. Karlen, K. Kavukcuoglu and P. Kuksa",
        year=2011,
        title="Natural Language Processing (Almost) from Scratch",
        venue="Journal of Machine Learning Research 12",
        url="https://jmlr.org/papers/v12/collobert11a.html",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.hardtanh",
            defaults="min_val=-1.0, max_val=1.0",
            notes="Also torch.nn.Hardtanh, which requires max_val > min_val.",
        ),
        FrameworkName(
            "JAX", "jax.nn.hard_tanh", notes="Bounds fixed at -1 and 1; gradient 1 at ±1."
        ),
        FrameworkName("Keras 3", "keras.activations.hard_tanh", notes="Bounds fixed at -1 and 1."),
        FrameworkName(
            "TensorFlow", "", notes="No built-in; tf.clip_by_value(x, min_val, max_val)."
        ),
    ),
    cost="2 comparisons",
    test_params=({"min_val": -2.0, "max_val": 0.5}, {"min_val": 0.0, "max_val": 6.0}),
)


# -- softsign -------------------------------------------------------------------------
def _one_plus_abs(y: F64) -> tuple[DD, Exponent]:
    """``(1 + y)/2^e`` exactly as a double-double, with ``e = max(0, exponent of y)``:
    for ``y >= 1`` both terms are scaled into [0, 1] first (exact), so that neither the
    sum nor its square can overflow, whatever y."""
    e = np.maximum(np.frexp(y)[1], 0)
    # Past 2^1000 the 1 is below 2^-1000 of the sum: 2^-1000 stands in for it there.
    return two_sum(np.ldexp(1.0, -np.minimum(e, 1000)), np.ldexp(y, -e)), e


def _softsign(x: F64) -> F64:
    r"""``x/(1 + |x|)`` with the denominator exact (TwoSum) and the quotient corrected
    by its remainder: rounded once, even where ``1 + |x|`` is not a double."""

    def finite(v: F64) -> F64:
        d, e = _one_plus_abs(np.abs(v))
        return _div((np.ldexp(v, -e), np.zeros(v.shape)), d)[0]

    # Below 2^-60, x/(1 + |x|) = x(1 - |x| + ...) rounds to x.
    a = np.abs(x)
    return piecewise(
        x, [a < _SIGMOID_TINY, np.isfinite(x), np.isinf(x)], [lambda v: v.copy(), finite, np.sign]
    )


def _softsign_derivative(x: F64) -> F64:
    r"""``1/(1 + |x|)²``: the square and the reciprocal in double-double on the scaled
    denominator, then scaled back by ``2^{-2e}`` (:func:`_scale`), so that even the
    subnormal results of huge |x| are rounded once."""

    def finite(v: F64) -> F64:
        d, e = _one_plus_abs(np.abs(v))
        return _scale(_div(_const(1.0, v), _mul(d, d)), -2 * e)

    # Below 2^-60, 1/(1 + |x|)² = 1 - 2|x| + ... rounds to 1.
    return piecewise(
        x, [np.abs(x) < _SIGMOID_TINY, np.isfinite(x), np.isinf(x)], [1.0, finite, 0.0]
    )


softsign = Activation(
    name="softsign",
    display_name="Softsign",
    summary="x/(1 + |x|): a tanh-like curve onto (-1, 1) whose tails are polynomial, not exponential.",
    family="sigmoidal",
    kernel=_softsign,
    derivative_kernel=_softsign_derivative,
    latex=r"f(x) = \frac{x}{1 + |x|}",
    derivative_latex=r"f'(x) = \frac{1}{(1 + |x|)^2}",
    properties=Properties(
        range=Interval(-1.0, 1.0),
        monotonic=True,
        continuity=1,
        zero_centred=True,
        saturating="both",
        identity_near_origin=True,
    ),
    origin=Origin(
        authors="X. Glorot and Y. Bengio",
        year=2010,
        title="Understanding the difficulty of training deep feedforward neural networks",
        venue="AISTATS 2010, PMLR 9",
        url="https://proceedings.mlr.press/v9/glorot10a.html",
    ),
    frameworks=(
        FrameworkName("PyTorch", "torch.nn.functional.softsign", notes="Also torch.nn.Softsign."),
        FrameworkName("JAX", "jax.nn.soft_sign"),
        FrameworkName("Keras 3", "keras.activations.softsign", notes="Also keras.ops.softsign."),
        FrameworkName("TensorFlow", "tf.nn.softsign"),
    ),
    cost="1 division",
)


# -- log-sigmoid ----------------------------------------------------------------------
#: Beyond this |x|, log σ(x) is x (left) or -e^{-x} (right) to far below an ulp.
_LOG_SIGMOID_TAIL = 80.0


def _log1p_dd(t: DD) -> DD:
    """``log(1 + t)`` as a double-double for ``0 <= t <= 1`` (``t`` normal or 0).

    ``np.log1p`` gives ``v`` within an ulp; one Newton step on ``expm1(v) = t``,
    ``v + (t - expm1 v)/(1 + expm1 v)`` with :func:`_expm1_dd`, squares that error away.
    ``t - expm1 v`` is exact in double-double, and both terms keep their relative
    accuracy for small t, so the result does too.
    """
    v = np.log1p(t[0])
    m = _expm1_dd(v, np.zeros(v.shape))
    step = _div(_add(t, _neg(m)), _add(_const(1.0, v), m))
    return _add((v, np.zeros(v.shape)), step)


def _log_sigmoid(x: F64) -> F64:
    r"""``log σ(x) = min(x, 0) - log(1 + e^{-|x|})``: ``t = e^{-|x|}`` never overflows,
    ``log1p`` keeps the right tail (where the result is about ``-e^{-x}``) accurate, and
    for ``x < 0`` the sum ``x - log1p(t)`` is formed in double-double and rounded once.
    Exact limits: ``-inf`` at ``-inf`` (pytorch/pytorch#20972 reported NaN there) and
    ``-0`` at ``+inf``."""

    def moderate(v: F64) -> F64:
        t_scaled, k = _exp_dd(-np.abs(v), np.zeros(v.shape))
        log1p_t = _log1p_dd(_real(t_scaled, k))
        left = _add((np.minimum(v, 0.0), np.zeros(v.shape)), _neg(log1p_t))
        return left[0]

    def right_tail(v: F64) -> F64:
        # log(1 + t) = t(1 - t/2 + ...) with t < 2^-115: t alone, scaled by 2^k once.
        t_scaled, k = _exp_dd(-v, np.zeros(v.shape))
        return -_scale(t_scaled, k)

    return piecewise(
        x,
        [
            # Below 2^-60, -log 2 + x/2 rounds to -log 2 (whose double is 0.29 ulp
            # away from a rounding boundary).
            np.abs(x) < _SIGMOID_TINY,
            np.abs(x) <= _LOG_SIGMOID_TAIL,
            (x > _LOG_SIGMOID_TAIL) & (x <= _SIGMOID_FLAT),
            x > _SIGMOID_FLAT,
            x < -_LOG_SIGMOID_TAIL,
        ],
        [-math.log(2.0), moderate, right_tail, -0.0, lambda v: v.copy()],
    )


def _log_sigmoid_derivative(x: F64) -> F64:
    # d/dx log σ(x) = σ(-x): 1 at -inf, 0 at +inf.
    return _sigmoid(-x)


log_sigmoid = Activation(
    name="log_sigmoid",
    display_name="Log-sigmoid",
    summary="The logarithm of the sigmoid, -log(1 + e^-x): negative, near x on the left, near 0 on the right.",
    family="sigmoidal",
    kernel=_log_sigmoid,
    derivative_kernel=_log_sigmoid_derivative,
    latex=r"f(x) = \log \sigma(x) = -\log\left(1 + e^{-x}\right)",
    derivative_latex=r"f'(x) = \sigma(-x) = 1 - \sigma(x)",
    properties=Properties(
        range=Interval(-math.inf, 0.0),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=False,
        saturating="right",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.logsigmoid",
            notes=(
                "Also torch.nn.LogSigmoid. Returned NaN (value and gradient) at -inf, where"
                " the answers are -inf and 1 (pytorch/pytorch#20972); an earlier"
                " log(1/(1 + e^-x)) gave -inf already at x = -300 (pytorch/pytorch#2211)."
            ),
        ),
        FrameworkName("JAX", "jax.nn.log_sigmoid", notes="Computed as -softplus(-x)."),
        FrameworkName(
            "Keras 3", "keras.activations.log_sigmoid", notes="Also keras.ops.log_sigmoid."
        ),
        FrameworkName("TensorFlow", "tf.math.log_sigmoid"),
    ),
    cost="1 exp + 1 log",
)


# -- arctan ---------------------------------------------------------------------------
#: atan(j/8) for j = 0..8 as double-doubles (hi, lo), from mpmath at 50 digits.
_ATAN_EIGHTHS = np.array(
    [
        (0.0, 0.0),
        (0.12435499454676144, -3.1253241424539383e-18),
        (0.24497866312686414, 1.0698755618734451e-17),
        (0.35877067027057225, -2.4623815582638635e-17),
        (0.4636476090008061, 2.2698777452961687e-17),
        (0.5585993153435624, -5.4556305485916264e-18),
        (0.6435011087932844, 1.5834785051444286e-17),
        (0.7188299996216245, -2.1478388444456983e-17),
        (0.7853981633974483, 3.061616997868383e-17),
    ]
)
#: π/2 as a double-double.
_HALF_PI = _pair(1.5707963267948966, 6.123233995736766e-17)
#: -1/3, 1/5, -1/7, ...: atan t = t + t³ Σ (-1)^n t^{2n-2}/(2n+1); for |t| <= 1/16 the
#: first term left out, t^19/19, is below 2^-68 of t.
_ATAN_TAIL = tuple((-1.0) ** n / (2 * n + 1) for n in range(1, 9))
#: Beyond this |x|, π/2 - 1/x rounds to the double nearest π/2.
_ARCTAN_FLAT = 2.0**60


def _arctan(x: F64) -> F64:
    r"""``arctan x`` in double-double, rounded once (not libm's ``atan``, which is off
    by up to about 0.53 ulp on x86-64 numpy).

    For ``|x| > 1``, ``arctan|x| = π/2 - arctan(1/|x|)`` with ``1/|x|`` as a
    double-double, so the argument ``z`` is in [0, 1]. Then
    ``arctan z = arctan c + arctan t`` with ``c = j/8`` the nearest eighth and
    ``t = (z - c)/(1 + zc)``, ``|t| <= 1/16``, both parts of ``t`` exact or in
    double-double; ``arctan t = t + t³ P(t²)`` where only the small ``t³ P`` is rounded.
    """

    def moderate(v: F64) -> F64:
        y = np.abs(v)
        zeros = np.zeros(v.shape)
        big = y > 1.0
        w = np.where(big, y, 1.0)
        inv = _div(_const(1.0, v), (w, zeros))
        z = (np.where(big, inv[0], y), np.where(big, inv[1], 0.0))
        c = np.rint(8.0 * z[0]) / 8.0
        numerator = _add(two_sum(z[0], -c), (z[1], zeros))  # z - c, exact by Sterbenz
        denominator = _add(_const(1.0, v), _mul(z, (c, zeros)))
        t = _div(numerator, denominator)
        t2 = t[0] * t[0]
        tail = np.full(v.shape, _ATAN_TAIL[-1])
        for coefficient in reversed(_ATAN_TAIL[:-1]):
            tail = tail * t2 + coefficient
        row = _ATAN_EIGHTHS[(8.0 * c).astype(np.intp)]
        atan_z = _add((row[..., 0], row[..., 1]), _add(t, (t[0] * t2 * tail, zeros)))
        result = np.where(big, _add(_HALF_PI, _neg(atan_z))[0], atan_z[0])
        return np.copysign(result, v)

    a = np.abs(x)
    return piecewise(
        x,
        [a < 2.0**-30, a <= _ARCTAN_FLAT, a > _ARCTAN_FLAT],
        # Below 2^-30, arctan x = x(1 - x²/3) rounds to x.
        [lambda v: v.copy(), moderate, lambda v: np.copysign(_HALF_PI[0], v)],
    )


def _arctan_derivative(x: F64) -> F64:
    r"""``1/(1 + x²)`` with ``x²`` exact (TwoProduct) on ``x`` scaled by ``2^{-e}`` into
    [0.5, 1), so nothing overflows; the reciprocal in double-double, scaled back by
    ``2^{-2e}`` (:func:`_scale`): one rounding, subnormal results included."""

    def finite(v: F64) -> F64:
        y = np.abs(v)
        e = np.maximum(np.frexp(y)[1], 0)
        m = np.ldexp(y, -e)
        # Past 2^500 the 1 is below 2^-1000 of m²: 2^-1000 stands in for it there.
        one = np.ldexp(1.0, -2 * np.minimum(e, 500))
        d = _add(two_product(m, m), (one, np.zeros(v.shape)))
        return _scale(_div(_const(1.0, v), d), -2 * e)

    return piecewise(x, [np.isfinite(x), np.isinf(x)], [finite, 0.0])


arctan = Activation(
    name="arctan",
    display_name="ArcTan",
    summary="The inverse tangent: a sigmoid onto (-π/2, π/2) with slowly (1/x²) flattening tails.",
    family="sigmoidal",
    kernel=_arctan,
    derivative_kernel=_arctan_derivative,
    latex=r"f(x) = \arctan x",
    derivative_latex=r"f'(x) = \frac{1}{1 + x^2}",
    properties=Properties(
        range=Interval(
            -math.pi / 2, math.pi / 2, low_latex=r"-\frac{\pi}{2}", high_latex=r"\frac{\pi}{2}"
        ),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="both",
        identity_near_origin=True,
    ),
    origin=Origin(
        authors="D. Sheehan",
        year=2017,
        title="Visualising Activation Functions in Neural Networks",
        venue="Blog post with an interactive visualiser of 27 activations",
        url="https://dashee87.github.io/deep%20learning/visualising-activation-functions-in-neural-networks/",
    ),
    frameworks=(
        FrameworkName("PyTorch", "torch.atan", notes="Also torch.arctan; not an nn module."),
        FrameworkName("JAX", "jax.numpy.arctan"),
        FrameworkName("Keras 3", "keras.ops.arctan", notes="Not in keras.activations."),
        FrameworkName("TensorFlow", "tf.math.atan"),
    ),
    aliases=("atan",),
    cost="1 arctan",
)


# -- LeCun's scaled tanh -----------------------------------------------------------------
#: 1.7159 and 1.7159·2/3 as double-doubles (hi, lo), from mpmath: the decimal constant of
#: the paper exactly, not its nearest double.
_LECUN_SCALE = _pair(1.7159, 1.9184653865522706e-17)
_LECUN_SLOPE = _pair(1.1439333333333332, 8.680463755202558e-17)
#: Below this |x|, f(x) = 1.7159·(2/3)·x to within 2^-62 relative.
_LECUN_TINY = 2.0**-30
#: Beyond this |x|, tanh(2x/3) differs from 1 by under 2^-75: f(x) is ±1.7159 rounded.
_LECUN_FLAT = 40.0
#: Beyond this |x|, f'(x) = 4.58 e^{-4|x|/3}(...) is below half the smallest subnormal.
_LECUN_SLOPE_FLAT = 561.0


def _two_thirds(v: F64) -> DD:
    """``2v/3`` as a double-double: ``2v`` is exact, and the remainder of the division by
    3 is exact by TwoProduct (and Sterbenz's lemma)."""
    d = 2.0 * v
    hi = d / 3.0
    p, pe = two_product(hi, 3.0)
    return two_sum(hi, ((d - p) - pe) / 3.0)


def _lecun_tanh(x: F64) -> F64:
    r"""``1.7159·tanh(2x/3)`` with ``2x/3`` as a double-double (rounding it first adds up
    to half an ulp: near 0 tanh passes a relative error of its argument straight
    through), tanh from :func:`_tanh_dd`, and the product with the decimal constant
    1.7159 (not its nearest double) in double-double: one rounding in all."""

    def tiny(v: F64) -> F64:
        # 1.7159·(2/3)·x, on x scaled by 2^600 so that a subnormal x loses nothing.
        scaled = np.ldexp(v, 600)
        return np.copysign(_scale(_mul(_LECUN_SLOPE, (scaled, np.zeros(v.shape))), -600), v)

    def moderate(v: F64) -> F64:
        a_hi, a_lo = _two_thirds(np.abs(v))
        return np.copysign(_mul(_LECUN_SCALE, _tanh_dd(a_hi, a_lo))[0], v)

    a = np.abs(x)
    return piecewise(
        x,
        [a < _LECUN_TINY, a <= _LECUN_FLAT, a > _LECUN_FLAT],
        [tiny, moderate, lambda v: np.copysign(_LECUN_SCALE[0], v)],
    )


def _lecun_tanh_derivative(x: F64) -> F64:
    r"""``1.7159·(2/3)·sech²(2x/3) = 1.7159·(2/3)·4t/(1 + t)²`` with ``t = e^{-4|x|/3}``
    and no ``1 - tanh²`` to cancel in the tails. ``4|x|/3`` is a double-double: sech²
    multiplies a relative error of its argument ``a`` by ``2a tanh a``, so a rounded
    ``4|x|/3`` would cost about |x|/2 ulps or more far out (hundreds at x = 500)."""

    def moderate(v: F64) -> F64:
        b_hi, b_lo = _two_thirds(2.0 * np.abs(v))
        return _logistic_slope(b_hi, b_lo, 2, _LECUN_SLOPE)

    a = np.abs(x)
    return piecewise(
        x,
        [a < _TANH_TINY, a <= _LECUN_SLOPE_FLAT, a > _LECUN_SLOPE_FLAT],
        [float(_LECUN_SLOPE[0]), moderate, 0.0],
    )


lecun_tanh = Activation(
    name="lecun_tanh",
    display_name="LeCun tanh",
    summary="1.7159·tanh(2x/3): tanh scaled so that f(±1) ≈ ±1, LeCun et al.'s recommended unit.",
    family="sigmoidal",
    kernel=_lecun_tanh,
    derivative_kernel=_lecun_tanh_derivative,
    latex=r"f(x) = 1.7159 \tanh\left(\tfrac{2}{3} x\right)",
    derivative_latex=(
        r"f'(x) = 1.7159 \cdot \tfrac{2}{3} \operatorname{sech}^2\left(\tfrac{2}{3} x\right)"
    ),
    properties=Properties(
        range=Interval(-1.7159, 1.7159),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="both",
    ),
    origin=Origin(
        authors="Y. LeCun, L. Bottou, G. B. Orr and K.-R. Müller",
        year=1998,
        title="Efficient BackProp",
        venue="Neural Networks: Tricks of the Trade, LNCS 1524, Springer",
        url="https://doi.org/10.1007/3-540-49430-8_2",
    ),
    frameworks=(
        FrameworkName("PyTorch", "", notes="No built-in; 1.7159 * torch.tanh(2 * x / 3)."),
        FrameworkName("JAX", "", notes="No built-in; 1.7159 * jnp.tanh(2 * x / 3)."),
        FrameworkName("Keras 3", "", notes="No built-in; 1.7159 * keras.ops.tanh(2 * x / 3)."),
        FrameworkName("TensorFlow", "", notes="No built-in; 1.7159 * tf.math.tanh(2 * x / 3)."),
    ),
    cost="1 exp",
)


# -- symmetric sigmoid ------------------------------------------------------------------
#: Below this |x|, tanh(x/2) rounds to x/2 (the relative correction x²/12 is under 2^-57).
_SYMMETRIC_TINY = 2.0**-27
#: Beyond this |x|, tanh(x/2) rounds to ±1 (from |x| = 38.2 on).
_SYMMETRIC_FLAT = 40.0


def _half_toward_zero(v: F64) -> F64:
    """``v/2`` rounded toward zero, for ``|v| < 2^-1021``, where ``v/2`` is subnormal.

    There ``|v|`` is its bit pattern times 2^-1074, so halving is a right shift of the
    pattern. ``tanh(v/2)`` lies just inside ``v/2``, so when ``v/2`` falls halfway
    between two subnormals the correct result is the one toward zero, which a plain
    ``v/2`` (ties to even) gets wrong half the time.
    """
    halved = (np.abs(v).view(np.int64) >> 1).view(np.float64)
    return np.copysign(halved, v)


def _symmetric_sigmoid(x: F64) -> F64:
    r"""``tanh(x/2)``: ``x/2`` is exact for normal x, so this is :func:`_tanh_dd` at
    ``|x|/2``; not ``2σ(x) - 1``, which cancels near 0."""

    def moderate(v: F64) -> F64:
        return np.copysign(_tanh_dd(0.5 * np.abs(v), np.zeros(v.shape))[0], v)

    a = np.abs(x)
    return piecewise(
        x,
        [a < 2.0**-1021, a < _SYMMETRIC_TINY, a <= _SYMMETRIC_FLAT, a > _SYMMETRIC_FLAT],
        [_half_toward_zero, lambda v: 0.5 * v, moderate, np.sign],
    )


def _symmetric_sigmoid_derivative(x: F64) -> F64:
    r"""``½ sech²(x/2) = 2σ(x)σ(-x) = 2t/(1 + t)²`` with ``t = e^{-|x|}``."""
    a = np.abs(x)
    return piecewise(
        x,
        [a < _SYMMETRIC_TINY, a <= _SIGMOID_FLAT, a > _SIGMOID_FLAT],
        [0.5, lambda v: _logistic_slope(np.abs(v), np.zeros(v.shape), 1), 0.0],
    )


symmetric_sigmoid = Activation(
    name="symmetric_sigmoid",
    display_name="Symmetric sigmoid",
    summary="The logistic sigmoid rescaled onto (-1, 1): 2σ(x) - 1, which equals tanh(x/2).",
    family="sigmoidal",
    kernel=_symmetric_sigmoid,
    derivative_kernel=_symmetric_sigmoid_derivative,
    latex=r"f(x) = 2\sigma(x) - 1 = \frac{1 - e^{-x}}{1 + e^{-x}} = \tanh\frac{x}{2}",
    derivative_latex=r"f'(x) = 2\sigma(x)\,\sigma(-x) = \tfrac{1}{2}\left(1 - f(x)^2\right)",
    properties=Properties(
        range=Interval(-1.0, 1.0),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="both",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "",
            notes="No built-in; torch.tanh(x / 2). 2 * torch.sigmoid(x) - 1 cancels near 0.",
        ),
        FrameworkName("JAX", "", notes="No built-in; jnp.tanh(x / 2)."),
        FrameworkName("Keras 3", "", notes="No built-in; keras.ops.tanh(x / 2)."),
        FrameworkName("TensorFlow", "", notes="No built-in; tf.math.tanh(x / 2)."),
    ),
    aliases=("bipolar_sigmoid", "symmetrical_sigmoid"),
    cost="1 exp",
)


# -- complementary log-log ----------------------------------------------------------------
# 1 - exp(-e^x) is the distribution function of the Gumbel law of minima. Statistics
# uses it as the inverse link of the complementary log-log model for binary outcomes;
# unlike σ it is not symmetric: it leaves 0 like e^x and reaches 1 doubly
# exponentially fast.
#: Below this x, 1 - exp(-e^x) = e^x(1 - e^x/2) to 2^-104 relative.
_CLOGLOG_LEFT = -36.0
#: Beyond this x, exp(-e^x) < 2^-55: the value rounds to 1 (from x = 3.62 on).
_CLOGLOG_FLAT = 4.0
#: Beyond this x, the derivative e^{x - e^x} is below half the smallest subnormal (6.63).
_CLOGLOG_SLOPE_FLAT = 6.7


def _cloglog(x: F64) -> F64:
    r"""``1 - exp(-e^x) = -expm1(-u)`` with ``u = e^x`` and both exponentials in
    double-double; far left, ``u(1 - u/2)`` scaled by ``2^k`` only at the end so that
    subnormal results are rounded once."""

    def left(v: F64) -> F64:
        u_scaled, k = _exp_dd(v, np.zeros(v.shape))
        u = _real(u_scaled, k)[0]
        return _scale(_mul(u_scaled, two_sum(1.0, -0.5 * u)), k)

    def moderate(v: F64) -> F64:
        u_scaled, k = _exp_dd(v, np.zeros(v.shape))
        u = _real(u_scaled, k)
        return -_expm1_dd(-u[0], -u[1])[0]

    return piecewise(
        x,
        [x < -_SIGMOID_FLAT, x < _CLOGLOG_LEFT, x <= _CLOGLOG_FLAT, x > _CLOGLOG_FLAT],
        [0.0, left, moderate, 1.0],
    )


def _cloglog_derivative(x: F64) -> F64:
    r"""``e^{x - e^x}`` with the exponent ``x - u`` formed in double-double from
    ``u = e^x`` good to 2^-68: at x = 6.6, where u ≈ 735, an error of u's last bit
    would otherwise move the result by hundreds of ulps."""

    def moderate(v: F64) -> F64:
        u_scaled, k = _exp_dd(v, np.zeros(v.shape))
        a = _add((v, np.zeros(v.shape)), _neg(_real(u_scaled, k)))
        result, k2 = _exp_dd(*a)
        return _scale(result, k2)

    return piecewise(
        x,
        [x < -_SIGMOID_FLAT, x <= _CLOGLOG_SLOPE_FLAT, x > _CLOGLOG_SLOPE_FLAT],
        [0.0, moderate, 0.0],
    )


cloglog = Activation(
    name="cloglog",
    display_name="Complementary log-log",
    summary="1 - exp(-e^x): an asymmetric sigmoid onto (0, 1), slow on the left and abrupt on the right.",
    family="sigmoidal",
    kernel=_cloglog,
    derivative_kernel=_cloglog_derivative,
    latex=r"f(x) = 1 - e^{-e^{x}}",
    derivative_latex=r"f'(x) = e^{x - e^{x}}",
    properties=Properties(
        range=Interval(0.0, 1.0),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=False,
        saturating="both",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "",
            notes=(
                "No built-in; -torch.expm1(-torch.exp(x)). Written as 1 - exp(-exp(x)) it"
                " returns 0 for x below about -37.4 and loses digits well before."
            ),
        ),
        FrameworkName("JAX", "", notes="No built-in; -jnp.expm1(-jnp.exp(x))."),
        FrameworkName("Keras 3", "", notes="No built-in; -keras.ops.expm1(-keras.ops.exp(x))."),
        FrameworkName("TensorFlow", "", notes="No built-in; -tf.math.expm1(-tf.math.exp(x))."),
    ),
    aliases=("complementary_log_log", "loglog"),
    cost="2 exp",
)


#: The records of this module, in teaching order.
RECORDS = (
    sigmoid,
    tanh,
    hard_sigmoid,
    hard_tanh,
    softsign,
    log_sigmoid,
    arctan,
    lecun_tanh,
    symmetric_sigmoid,
    cloglog,
)

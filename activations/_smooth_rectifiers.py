r"""Smooth rectifiers: ReLU's shape with the corner rounded off or the left side bent.

ReLU passes positive inputs unchanged and zeroes the rest. That makes it cheap and
keeps gradients alive on the right, but it has two well-known defects: a unit whose
input stays negative receives no gradient at all (a "dead" unit), and every output is
non-negative, so the mean activation drifts away from zero. The functions here keep
the identity (or something close to it) for large positive inputs and change the left
side:

* :data:`elu` replaces the flat left half by ``α(e^x - 1)``, which saturates smoothly
  at ``-α``: negative outputs pull the mean towards zero and the gradient never
  vanishes exactly. With ``α = 1`` the two halves meet with the same slope (C¹).
* :data:`selu` scales ELU by fixed constants ``λ`` and ``α``, chosen so that
  activations of a suitably initialised deep network keep zero mean and unit variance
  by themselves ("self-normalising").
* :data:`celu` rescales the exponential to ``α(e^{x/α} - 1)`` so that the slope at 0
  is 1 for every ``α``: continuously differentiable whatever ``α``.
* :data:`softplus` is ``log(1 + e^x)``: a C^∞ curve that is positive everywhere,
  approaches ReLU on both sides, and whose derivative is the logistic sigmoid.
* :data:`squareplus` is an algebraic version of softplus, ``(x + √(x² + b))/2``: one
  square root instead of an exponential and a logarithm, with polynomial tails.

Numerically these are harder than they look, for three reasons, each handled here.

1. *Cancellation.* ``e^x - 1`` for small ``x`` loses all its digits if computed as
   written, and so does ``x + √(x² + b)`` for very negative ``x``. The first is an
   ``expm1``; the second is rewritten as ``b / (2(√(x² + b) - x))``, where nothing
   cancels.
2. *Products that round before an exponential.* A parameter that scales the input
   (``βx`` in softplus, ``x/α`` in CELU) is a rounded product, and ``e^{βx}`` turns an
   absolute error δ of the argument into a relative error δ of the result: since δ
   can be half an ulp of ``βx``, that is hundreds of ulp at ``βx ≈ -700``. Here such
   products and quotients are carried as double-doubles (an unevaluated sum of two
   doubles, 106 bits), and the exponential, ``expm1`` and ``log1p`` are evaluated in
   double-double too (the helpers shared with the sigmoidal family in
   ``_sigmoidal``), so the result is rounded once, at the end. Constants such as
   SELU's ``λα`` are double-doubles for the same reason.
3. *Overflow in intermediate steps.* ``e^{βx}`` overflows long before
   ``log(1 + e^{βx})/β`` does, and ``x²`` overflows from ``|x| ≈ 1.3e154`` on. Softplus
   is evaluated as ``max(x, 0) + log1p(e^{-|βx|})/β``; squareplus scales ``x`` and ``b``
   by a power of two first, as ``hypot`` does; every final scaling by a power of two
   decides overflow to ±inf and underflow to subnormals or 0 exactly
   (:func:`_finish`).

Measured against mpmath over the whole float64 line (``tests/test_accuracy.py``, and
random inputs from 1e-320 to 1.8e308 of both signs) every function and derivative here
is correctly rounded, except for the rare result that lies extremely close to the
midpoint between two doubles: no error above 0.5 ulp has been seen. That holds for
extreme parameters too: α = ±1e300 or ±1e-300, β from the smallest subnormal to
1.7e308, b from 5e-324 to 1.7e308.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from ._core import (
    SMOOTH,
    Activation,
    FrameworkName,
    Interval,
    Kink,
    Origin,
    Param,
    Properties,
)
from ._sigmoidal import Exponent, _exp_dd, _expm1_dd, _log1p_dd, _real, _scale
from ._special import DD, _add, _div, _mul, _pair, two_product, two_sum
from ._util import F64, piecewise

# --- shared helpers -----------------------------------------------------------------------

#: Where the x <= 0 half of the ELUs switches from expm1 to its limit: ``e^{-59}`` is
#: below 2^-85, so ``α(e^x - 1)`` rounds to ``-α``; and ``_expm1_dd`` needs |a| < 60.
_EXPM1_REACH = 59.0
#: Below |x| = 2^-60 · scale, ``α expm1(x/α)`` rounds to x and ``e^{x/α}`` to 1.
_TINY = 2.0**-60
#: ``_exp_parts`` takes |u| up to this; beyond it ``c·e^u`` is 0 or ±inf for every
#: double c (``e^2200 = 2^3174`` outweighs any double's exponent).
_EXP_REACH = 2200.0


def _zeros(like: F64) -> F64:
    return np.zeros(like.shape)


def _finish(v: DD, power: Exponent | int) -> F64:
    """``2^power · (hi + lo)`` rounded once, for any integer ``power``.

    ``_scale`` rounds a double-double times a power of two once, subnormal results
    included, as long as the result exists; here overflow and total underflow are read
    off the exponents first, so no multiplication by ``2^power`` ever overflows:
    ``|hi| < 2^e`` (``np.frexp``), so the result is ±inf when ``e + power > 1024`` and
    below half the smallest subnormal (±0) when ``e + power <= -1075``.
    """
    top = np.frexp(v[0])[1] + power
    over = (top > 1024) & (v[0] != 0)
    under = top <= -1075
    inside = _scale(v, np.where(over | under, 0, power))
    limit = np.where(over, np.inf, 0.0)
    return np.where(over | under, np.copysign(limit, v[0]), inside)


def _exp_parts(u_hi: F64, u_lo: F64) -> tuple[DD, Exponent]:
    """``e^{u_hi + u_lo} = 2^p (h + l)`` for ``|u| <= 2200``, with ``h + l`` in [0.46, 2.2].

    ``_exp_dd`` reaches |u| < 1100; squaring ``e^{u/2}`` doubles that, enough for any
    product ``c·e^u`` with c a double (``c = 1e300`` and ``u = -1400`` still give a
    subnormal, not 0). Halving is exact, and squaring in double-double keeps the
    relative error near 2^-63.
    """
    half, k = _exp_dd(0.5 * u_hi, 0.5 * u_lo)
    return _mul(half, half), 2 * k


def _times_exp(c_hi: float, c_lo: float, u_hi: F64, u_lo: F64) -> F64:
    """``(c_hi + c_lo) · e^{u_hi + u_lo}`` rounded once, for any u but NaN.

    The constant is split as ``m · 2^e`` (``math.frexp``) so that its size never meets
    the exponential's before the final scaling: ``c = 1e300`` times ``e^{-1000}`` is a
    normal number although ``e^{-1000}`` underflows.
    """
    if c_hi == 0.0:
        return _zeros(u_hi)
    m, e = math.frexp(c_hi)
    inside = np.abs(u_hi) <= _EXP_REACH
    v, p = _exp_parts(np.where(inside, u_hi, 0.0), np.where(inside, u_lo, 0.0))
    near = _finish(_mul(_pair(m, math.ldexp(c_lo, -e)), v), p + e)
    far = np.where(u_hi > 0, math.copysign(math.inf, c_hi), math.copysign(0.0, c_hi))
    return np.where(inside, near, far)


def _quotient(x: F64, m: float, e: int) -> DD:
    """``x / (m · 2^e)`` as a double-double, for ``2^-61 <= |x/(m 2^e)| <= 2201``.

    ``x · 2^-e`` is exact there (its magnitude lies between 2^-62 and 2201, so it is a
    normal number), and ``_div`` corrects the rounded quotient by its exact remainder.
    """
    return _div((np.ldexp(x, -e), _zeros(x)), _pair(m, 0.0))


def _split(value: Fraction) -> tuple[float, float]:
    """A rational number as the double-double ``hi + lo`` nearest to it."""
    hi = float(value)
    return hi, float(value - Fraction(hi))


# -- ELU ------------------------------------------------------------------------------
def _elu(x: F64, alpha: float) -> F64:
    r"""``x`` for ``x > 0``; ``α·expm1(x)`` below, with ``expm1`` in double-double and the
    product rounded once (``α = m·2^e`` so that no size of α can spoil the rounding);
    ``α·x`` for tiny x; ``-α`` from ``x < -59`` on, where ``α e^x`` is below 2^-85 of
    ``α``."""
    m, e = math.frexp(alpha)

    def negative(v: F64) -> F64:
        return _finish(_mul(_pair(m, 0.0), _expm1_dd(v, _zeros(v))), e)

    # Below |x| = 2^-60, α(x + x²/2 + ...) rounds as α·x does: one IEEE product, which
    # also rounds subnormal results once (m·expm1(x) could fall below the normal range
    # before the scaling by 2^e).
    return piecewise(
        x,
        [x > 0, x > -_TINY, x >= -_EXPM1_REACH, x < -_EXPM1_REACH],
        [lambda v: v.copy(), lambda v: alpha * v, negative, -alpha],
    )


def _elu_derivative(x: F64, alpha: float) -> F64:
    r"""1 for ``x > 0``; ``α e^x`` for ``x <= 0`` (so α at 0, PyTorch's choice), computed
    from x itself and not from the output: ``f(x) + α`` is exactly 0 once ``f(x)`` has
    rounded to ``-α``, while ``α e^x`` stays accurate down to the subnormals."""
    return piecewise(
        x, [x > 0, x <= 0], [1.0, lambda v: _times_exp(alpha, 0.0, v, _zeros(v))]
    )


def _alpha(params: Mapping[str, Any]) -> float:
    return float(params["alpha"])


elu = Activation(
    name="elu",
    display_name="ELU",
    summary="Exponential linear unit: x for x > 0, α(e^x - 1) below, saturating at -α.",
    family="smooth rectifiers",
    kernel=_elu,
    derivative_kernel=_elu_derivative,
    latex=(
        r"f(x) = \begin{cases} x, & x > 0 \\ \alpha\left(e^{x} - 1\right), & x \le 0"
        r" \end{cases}"
    ),
    derivative_latex=r"f'(x) = \begin{cases} 1, & x > 0 \\ \alpha e^{x}, & x \le 0 \end{cases}",
    params=(
        Param(
            "alpha",
            1.0,
            "The level -α at which the negative half saturates (and its slope at 0).",
            latex=r"\alpha",
            slider=(0.0, 3.0),
        ),
    ),
    properties=Properties(
        range=Interval(-1.0, math.inf, low_latex=r"-\alpha"),
        monotonic=True,
        continuity=1,
        zero_centred=True,
        saturating="left",
        identity_near_origin=True,
    ),
    kinks=(
        Kink(
            points=lambda p: [0.0] if p["alpha"] != 1.0 else [],
            value=_alpha,
            point_latex=r"x = 0 \ (\alpha \ne 1)",
            value_latex=r"\alpha",
            note=(
                "Unless α = 1 the slope jumps from α to 1 at 0. PyTorch's backward takes"
                " the x ≤ 0 branch there (α), and so do JAX (jnp.where on x > 0) and Keras"
                " on TensorFlow (α times tf.nn.elu, whose gradient at 0 is 1). In"
                " tensorflow/tensorflow#62434, tf.test.compute_gradient reports 14.5 for"
                " α = 14.5 against a numerical 7.75: the central difference straddles the"
                " kink and averages the two slopes, (α + 1)/2."
            ),
        ),
    ),
    origin=Origin(
        authors="D.-A. Clevert, T. Unterthiner and S. Hochreiter",
        year=2016,
        title="Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)",
        venue="ICLR 2016",
        url="https://arxiv.org/abs/1511.07289",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.elu",
            defaults="alpha=1.0",
            notes=(
                "Also torch.nn.ELU. Any real α is accepted. With α < 0 the backward was"
                " wrong (pytorch/pytorch#47671: it told the branches apart by the sign of"
                " the output, which a negative α flips); pytorch/pytorch#49272 fixed it and"
                " made the in-place elu_ refuse a negative α in the backward pass."
            ),
        ),
        FrameworkName("JAX", "jax.nn.elu", defaults="alpha=1.0"),
        FrameworkName(
            "Keras 3", "keras.activations.elu", defaults="alpha=1.0", notes="Also keras.ops.elu."
        ),
        FrameworkName(
            "TensorFlow",
            "tf.nn.elu",
            defaults="no α (always 1)",
            notes=(
                "The gradient is computed from the output as f(x) + 1, which is exactly 0"
                " once f(x) has rounded to -1 (from x ≈ -37.4 in float64) although e^x is"
                " still far from underflowing (tensorflow/tensorflow#124833)."
            ),
        ),
    ),
    cost="1 expm1",
    test_params=({"alpha": 0.5}, {"alpha": 2.0}),
)


# -- SELU -----------------------------------------------------------------------------
#: SELU's constants exactly as published (Klambauer et al. 2017) and as PyTorch, JAX,
#: Keras and TensorFlow write them, to 32 significant digits (as doubles they round to
#: 1.6732632423543772 and 1.0507009873554805).
_SELU_ALPHA = Fraction("1.6732632423543772848170429916717")
_SELU_SCALE = Fraction("1.0507009873554804934193349852946")
#: λ and the product λα = 1.75809934084737685994021752081... as double-doubles (106
#: bits, the precision of the digits): λα taken from the two doubles would be rounded.
_SCALE = _split(_SELU_SCALE)
_SCALE_ALPHA = _split(_SELU_SCALE * _SELU_ALPHA)


def _selu(x: F64) -> F64:
    r"""``λx`` for ``x > 0`` and ``λα·expm1(x)`` below, with

    .. math::
      \lambda = 1.0507009873554804934193349852946, \quad
      \alpha = 1.6732632423543772848170429916717.

    Each is a double-double product rounded once (``λ`` and ``λα`` are double-doubles);
    ``-λα`` from ``x < -59`` on. ``λx`` overflows to inf only where the exact value
    rounds to it."""

    def positive(v: F64) -> F64:
        return _mul(_pair(*_SCALE), (v, _zeros(v)))[0]

    def negative(v: F64) -> F64:
        return _mul(_pair(*_SCALE_ALPHA), _expm1_dd(v, _zeros(v)))[0]

    def tiny(v: F64) -> F64:
        # |x| < 2^-60: λx, or λα·x (expm1(x) = x(1 + x/2 + ...) rounds as x does). The
        # low part of the product would be subnormal for x near 2^-1000; scaling x by
        # 2^600 first (exact) keeps it, and _finish scales back with one rounding.
        right = v > 0
        c = (
            np.where(right, _SCALE[0], _SCALE_ALPHA[0]),
            np.where(right, _SCALE[1], _SCALE_ALPHA[1]),
        )
        return _finish(_mul(c, (np.ldexp(v, 600), _zeros(v))), -600)

    return piecewise(
        x,
        [x == np.inf, np.abs(x) < _TINY, x > 0, x >= -_EXPM1_REACH, x < -_EXPM1_REACH],
        [np.inf, tiny, positive, negative, -_SCALE_ALPHA[0]],
    )


def _selu_derivative(x: F64) -> F64:
    r"""``λ`` for ``x > 0``; ``λα e^x`` for ``x <= 0`` (λα at 0, PyTorch's choice),
    from x itself: accurate down to the subnormals."""
    return piecewise(
        x, [x > 0, x <= 0], [_SCALE[0], lambda v: _times_exp(*_SCALE_ALPHA, v, _zeros(v))]
    )


selu = Activation(
    name="selu",
    display_name="SELU",
    summary="Scaled ELU, λ·ELU_α(x) with fixed λ ≈ 1.0507 and α ≈ 1.6733: self-normalising.",
    family="smooth rectifiers",
    kernel=_selu,
    derivative_kernel=_selu_derivative,
    latex=(
        r"f(x) = \lambda \begin{cases} x, & x > 0 \\ \alpha\left(e^{x} - 1\right), & x \le 0"
        r" \end{cases}, \quad \lambda \approx 1.0507, \ \alpha \approx 1.6733"
    ),
    derivative_latex=(
        r"f'(x) = \begin{cases} \lambda, & x > 0 \\ \lambda \alpha e^{x}, & x \le 0 \end{cases}"
    ),
    properties=Properties(
        range=Interval(-_SCALE_ALPHA[0], math.inf, low_latex=r"-\lambda\alpha"),
        monotonic=True,
        continuity=0,
        zero_centred=True,
        saturating="left",
    ),
    kinks=(
        Kink(
            points=lambda p: [0.0],
            value=lambda p: _SCALE_ALPHA[0],
            point_latex="x = 0",
            value_latex=r"\lambda\alpha \approx 1.7581",
            note=(
                "The slope jumps from λα ≈ 1.7581 to λ ≈ 1.0507. PyTorch's backward and"
                " JAX take the x ≤ 0 branch (λα); TensorFlow's tf.nn.selu decides by"
                " the sign of the output, which is 0 there, and returns λ."
            ),
        ),
    ),
    origin=Origin(
        authors="G. Klambauer, T. Unterthiner, A. Mayr and S. Hochreiter",
        year=2017,
        title="Self-Normalizing Neural Networks",
        venue="NeurIPS 2017",
        url="https://arxiv.org/abs/1706.02515",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.selu",
            notes="Also torch.nn.SELU. The same two constants, to 32 digits.",
        ),
        FrameworkName("JAX", "jax.nn.selu", notes="Computed as λ·elu(x, α)."),
        FrameworkName("Keras 3", "keras.activations.selu", notes="Also keras.ops.selu."),
        FrameworkName(
            "TensorFlow",
            "tf.nn.selu",
            notes=(
                "The gradient for x < 0 is computed from the output as f(x) + λα, which is"
                " exactly 0 once f(x) has rounded to -λα; at x = 0 it returns λ (see the"
                " kink)."
            ),
        ),
    ),
    cost="1 expm1",
)


# -- CELU -----------------------------------------------------------------------------
def _celu(x: F64, alpha: float) -> F64:
    r"""``x`` for ``x > 0``; ``α·expm1(x/α)`` below, with ``x/α`` a double-double (the
    rounding of ``x/α`` would otherwise be amplified by ``expm1``'s slope, up to 59×
    for α < 0) and the product rounded once. For ``|x| < 2^-60 |α|`` that is x to
    within far less than an ulp. Beyond ``|x/α| = 59``: ``-α`` for ``α > 0``; for
    ``α < 0`` the curve falls exponentially, ``α e^{x/α}`` (overflowing to -inf from
    ``|x/α| ≈ 709`` on)."""
    m, e = math.frexp(alpha)
    scale = abs(alpha)

    def moderate(v: F64) -> F64:
        return _finish(_mul(_pair(m, 0.0), _expm1_dd(*_quotient(v, m, e))), e)

    def steep(v: F64) -> F64:  # alpha < 0 and 59 < x/alpha <= 2200: the -1 is below 2^-85
        return _times_exp(alpha, 0.0, *_quotient(v, m, e))

    a = np.abs(x)
    limit = -alpha if alpha > 0 else -math.inf
    return piecewise(
        x,
        [
            x > 0,
            x == -np.inf,
            a < _TINY * scale,
            a <= _EXPM1_REACH * scale,
            (a <= _EXP_REACH * scale) & (alpha < 0),
            x < 0,
        ],
        [lambda v: v.copy(), limit, lambda v: v.copy(), moderate, steep, limit],
    )


def _celu_derivative(x: F64, alpha: float) -> F64:
    r"""1 for ``x > 0``; ``e^{x/α}`` for ``x <= 0`` from the double-double quotient, so
    that deep in the tail (``x/α ≈ -700``) the result is not hundreds of ulp off; 1 at 0
    from both sides."""
    m, e = math.frexp(alpha)
    scale = abs(alpha)
    limit = 0.0 if alpha > 0 else math.inf
    a = np.abs(x)
    return piecewise(
        x,
        [x > 0, x == -np.inf, a < _TINY * scale, a <= _EXP_REACH * scale, x < 0],
        [
            1.0,
            limit,
            1.0,
            lambda v: _times_exp(1.0, 0.0, *_quotient(v, m, e)),
            limit,
        ],
    )


def _check_celu(params: Mapping[str, Any]) -> None:
    if params["alpha"] == 0:
        raise ValueError(
            "celu(): parameter 'alpha' must be a nonzero finite real number (it divides x);"
            f" got {params['alpha']!r}"
        )


celu = Activation(
    name="celu",
    display_name="CELU",
    summary="Continuously differentiable ELU: α(e^{x/α} - 1) for x ≤ 0, slope 1 at 0 for any α.",
    family="smooth rectifiers",
    kernel=_celu,
    derivative_kernel=_celu_derivative,
    latex=r"f(x) = \max(0, x) + \min\bigl(0, \alpha\left(e^{x/\alpha} - 1\right)\bigr)",
    derivative_latex=(
        r"f'(x) = \begin{cases} 1, & x > 0 \\ e^{x/\alpha}, & x \le 0 \end{cases}"
    ),
    params=(
        Param(
            "alpha",
            1.0,
            "The level -α at which the negative half saturates; any nonzero real.",
            latex=r"\alpha",
            slider=(0.1, 3.0),
        ),
    ),
    properties=Properties(
        range=Interval(-1.0, math.inf, low_latex=r"-\alpha"),
        monotonic=True,
        continuity=1,
        zero_centred=True,
        saturating="left",
        identity_near_origin=True,
    ),
    origin=Origin(
        authors="J. T. Barron",
        year=2017,
        title="Continuously Differentiable Exponential Linear Units",
        venue="arXiv preprint",
        url="https://arxiv.org/abs/1704.07483",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.celu",
            defaults="alpha=1.0",
            notes=(
                "Also torch.nn.CELU; α = 0 raises. Computed as elu with the input scaled by"
                " the rounded 1/α, so x/α is rounded twice, and the slope at 0 is"
                " (1/α)·α, one ulp below 1 for some α (α = 49, for one)."
            ),
        ),
        FrameworkName("JAX", "jax.nn.celu", defaults="alpha=1.0"),
        FrameworkName(
            "Keras 3", "keras.activations.celu", defaults="alpha=1.0", notes="Also keras.ops.celu."
        ),
        FrameworkName(
            "TensorFlow",
            "",
            notes="No tf.nn version; tf.keras.activations.celu (Keras 3) has it.",
        ),
    ),
    cost="1 division + 1 expm1",
    check_params=_check_celu,
    test_params=({"alpha": 0.5}, {"alpha": 2.0}),
)


# -- softplus -------------------------------------------------------------------------
#: From βx = 37 on, log1p(e^{-βx})/β is below 2^-54 of x: softplus rounds to x.
_SOFTPLUS_LINEAR = 37.0
#: Below βx = -80, log1p(t) = t(1 - t/2 + ...) with t < 2^-115: just t = e^{βx}.
_SOFTPLUS_TAIL = -80.0


def _log1p_exp(y_hi: F64, y_lo: F64) -> DD:
    """``log(1 + e^{-y})`` as a double-double for ``0 <= y <= 80``."""
    t, k = _exp_dd(-y_hi, -y_lo)
    return _log1p_dd(_real(t, k))


def _softplus(x: F64, beta: float) -> F64:
    r"""``max(x, 0) + log1p(e^{-|βx|})/β``, never forming ``e^{βx}`` for ``βx > 0``.

    ``βx`` is kept exactly as a double-double (TwoProduct), so the exponential sees the
    true argument; with ``β = m·2^e`` the division by β is a division by ``m`` in
    double-double and an exact scaling by ``2^-e`` at the end (:func:`_finish`), so no
    β, huge or tiny, overflows an intermediate step: the result is inf only when the
    exact value exceeds the largest double.

    * ``βx >= 37``: x (the correction is below 2^-54 of x);
    * ``0 < βx < 37``: ``(βx + log1p(e^{-βx}))/β``, the sum in double-double;
    * ``-80 <= βx <= 0``: ``log1p(e^{βx})/β``;
    * ``βx < -80``: ``e^{βx}/β``, subnormal results rounded once; 0 at -inf.
    """
    m, e = math.frexp(beta)
    y = two_product(beta, x)[0]

    def middle_right(v: F64) -> F64:
        y_hi, y_lo = two_product(beta, v)
        total = _add((y_hi, y_lo), _log1p_exp(y_hi, y_lo))
        return _finish(_div(total, _pair(m, 0.0)), -e)

    def middle_left(v: F64) -> F64:
        y_hi, y_lo = two_product(beta, v)
        return _finish(_div(_log1p_exp(-y_hi, -y_lo), _pair(m, 0.0)), -e)

    def left_tail(v: F64) -> F64:
        t, p = _exp_parts(*two_product(beta, v))
        return _finish(_div(t, _pair(m, 0.0)), p - e)

    return piecewise(
        x,
        [y >= _SOFTPLUS_LINEAR, x > 0, y >= _SOFTPLUS_TAIL, y >= -_EXP_REACH, y < -_EXP_REACH],
        [lambda v: v.copy(), middle_right, middle_left, left_tail, 0.0],
    )


#: From βx = 37.5 on, σ(βx) = 1/(1 + e^{-βx}) rounds to 1 (e^{-37.5} < 2^-54).
_SIGMOID_ONE = 37.5
#: Below βx = -746, σ(βx) < e^{-746} is under half the smallest subnormal.
_SIGMOID_ZERO = -746.0


def _softplus_derivative(x: F64, beta: float) -> F64:
    r"""``σ(βx)`` with ``βx`` exact (double-double): ``1/(1 + t)`` for ``βx >= 0`` and
    ``t/(1 + t)`` below, ``t = e^{-|βx|}``. Nothing is subtracted, so the left tail keeps
    its relative accuracy into the subnormals (an output-based ``1 - 1/(1 + e^{βx})``
    would be 0 from ``βx ≈ -37``), and the right side rounds to 1 only where σ does."""
    y = two_product(beta, x)[0]

    def right(v: F64) -> F64:
        y_hi, y_lo = two_product(beta, v)
        t, k = _exp_dd(-y_hi, -y_lo)
        return _div(_pair(1.0, 0.0), _add(_pair(1.0, 0.0), _real(t, k)))[0]

    def left(v: F64) -> F64:
        t, k = _exp_dd(*two_product(beta, v))
        return _scale(_div(t, _add(_pair(1.0, 0.0), _real(t, k))), k)

    # Below |βx| = 2^-60, σ(βx) = 1/2 + βx/4 rounds to 1/2.
    return piecewise(
        x,
        [y >= _SIGMOID_ONE, np.abs(y) < _TINY, y >= 0, y >= _SIGMOID_ZERO, y < _SIGMOID_ZERO],
        [1.0, 0.5, right, left, 0.0],
    )


softplus = Activation(
    name="softplus",
    display_name="Softplus",
    summary="log(1 + e^{βx})/β: a smooth, positive ReLU whose derivative is the sigmoid σ(βx).",
    family="smooth rectifiers",
    kernel=_softplus,
    derivative_kernel=_softplus_derivative,
    latex=r"f(x) = \frac{1}{\beta} \log\left(1 + e^{\beta x}\right)",
    derivative_latex=r"f'(x) = \sigma(\beta x) = \frac{1}{1 + e^{-\beta x}}",
    params=(
        Param(
            "beta",
            1.0,
            "Sharpness: larger β bends the curve closer to ReLU (the gap at 0 is log 2/β).",
            latex=r"\beta",
            minimum=0.0,
            minimum_exclusive=True,
            slider=(0.1, 5.0),
        ),
    ),
    properties=Properties(
        range=Interval(0.0, math.inf),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=False,
        saturating="left",
    ),
    origin=Origin(
        authors="C. Dugas, Y. Bengio, F. Bélisle, C. Nadeau and R. Garcia",
        year=2001,
        title="Incorporating Second-Order Functional Knowledge for Better Option Pricing",
        venue="Advances in Neural Information Processing Systems 13 (NIPS 2000)",
        url=(
            "https://papers.nips.cc/paper/"
            "1920-incorporating-second-order-functional-knowledge-for-better-option-pricing"
        ),
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.softplus",
            defaults="beta=1.0, threshold=20.0",
            notes=(
                "Also torch.nn.Softplus. Where βx > threshold it returns x itself and a"
                " gradient of exactly 1: at x = 20 (β = 1) the value is short by"
                " log1p(e^-20) ≈ 2.1e-9, about 580 000 float64 ulp, and σ(20) is"
                " 1 - 2.1e-9. There is no threshold here: every x is exact. Raising the"
                " threshold instead makes e^{βx} overflow: with β = 1e30,"
                " softplus(0.5) is inf (pytorch/pytorch#171249)."
            ),
        ),
        FrameworkName(
            "JAX", "jax.nn.softplus", defaults="no β", notes="Computed as jnp.logaddexp(x, 0)."
        ),
        FrameworkName(
            "Keras 3",
            "keras.activations.softplus",
            defaults="no β",
            notes="Also keras.ops.softplus.",
        ),
        FrameworkName(
            "TensorFlow", "tf.math.softplus", defaults="no β", notes="Also tf.nn.softplus."
        ),
    ),
    aliases=("soft_relu",),
    cost="1 exp + 1 log1p",
    test_params=({"beta": 0.5}, {"beta": 2.0}, {"beta": 10.0}),
)


# -- squareplus -----------------------------------------------------------------------
def _below_noise(v: F64, n: Exponent | int) -> F64:
    """``v · 2^n``, or 0 where that is below 2^-1000: such a term is added to numbers of
    order 1 and cannot matter, and zeroing it avoids an underflow."""
    tiny = np.frexp(v)[1] + n < -1000
    return np.where(tiny, 0.0, np.ldexp(v, np.where(tiny, 0, n)))


def _squareplus_parts(v: F64, b: float) -> tuple[F64, DD, DD, F64]:
    """The scaled pieces of squareplus at finite ``v`` for ``b > 0``.

    With ``2^s`` the power of two just above ``max(|v|, √b)``, ``x' = v/2^s`` and
    ``b' = b/4^s`` are exact (or negligible) and at most 1, so ``x'² + b'`` can neither
    overflow nor underflow: this is the scaling ``hypot`` uses. Returns ``x'``,
    ``r' = √(x'² + b')`` and ``D = r' + |x'|`` as double-doubles (the square root
    corrected by one Newton step from the exact remainder), and ``s``.
    """
    s = np.frexp(np.maximum(np.abs(v), math.sqrt(b)))[1]
    xs = _below_noise(v, -s)
    mb, eb = math.frexp(b)
    bs = _below_noise(np.full(v.shape, mb), eb - 2 * s)
    q = _add(two_product(xs, xs), (bs, _zeros(v)))
    root = np.sqrt(q[0])
    p, p_err = two_product(root, root)
    r = two_sum(root, (((q[0] - p) - p_err) + q[1]) / (2.0 * root))
    return xs, r, _add(r, (np.abs(xs), _zeros(v))), s


def _squareplus(x: F64, b: float) -> F64:
    r"""``(x + √(x² + b))/2`` for ``x >= 0``; ``b/(2(√(x² + b) + |x|))`` for ``x < 0``,
    where the textbook form cancels (it is 0 in float64 from x ≈ -1.4e8 with b = 4, and
    inf once x² overflows). Both in double-double on the scaled pieces of
    :func:`_squareplus_parts`, scaled back once. ``b = 0`` is ReLU."""
    if b == 0.0:
        return np.maximum(x, 0.0)
    mb, eb = math.frexp(b)

    def finite(v: F64) -> F64:
        xs, r, d, s = _squareplus_parts(v, b)
        right = _finish(_mul(_pair(0.5, 0.0), _add((xs, _zeros(v)), r)), s)
        left = _finish(_div(_pair(mb, 0.0), _mul(_pair(2.0, 0.0), d)), eb - s)
        return np.where(v >= 0, right, left)

    return piecewise(x, [x == np.inf, x == -np.inf, ~np.isnan(x)], [np.inf, 0.0, finite])


def _squareplus_derivative(x: F64, b: float) -> F64:
    r"""``(1 + x/√(x² + b))/2`` for ``x >= 0``; ``b/(2√(x² + b)(√(x² + b) + |x|))`` for
    ``x < 0``, where ``1 + x/r`` would cancel (the exact left tail is about
    ``b/(4x²)``). For ``b = 0`` (ReLU): 1, 0, and 1/2 at 0."""
    if b == 0.0:
        return piecewise(x, [x > 0, x < 0, x == 0], [1.0, 0.0, 0.5])
    mb, eb = math.frexp(b)

    def finite(v: F64) -> F64:
        xs, r, d, s = _squareplus_parts(v, b)
        ratio = _div((xs, _zeros(v)), r)
        right = 0.5 * _add(_pair(1.0, 0.0), ratio)[0]
        left = _finish(_div(_pair(mb, 0.0), _mul(_pair(2.0, 0.0), _mul(r, d))), eb - 2 * s)
        return np.where(v >= 0, right, left)

    return piecewise(x, [x == np.inf, x == -np.inf, ~np.isnan(x)], [1.0, 0.0, finite])


squareplus = Activation(
    name="squareplus",
    display_name="Squareplus",
    summary="(x + √(x² + b))/2: a softplus-like smooth ReLU from one square root.",
    family="smooth rectifiers",
    kernel=_squareplus,
    derivative_kernel=_squareplus_derivative,
    latex=r"f(x) = \frac{x + \sqrt{x^2 + b}}{2}",
    derivative_latex=r"f'(x) = \frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2 + b}}\right)",
    params=(
        Param(
            "b",
            4.0,
            "Width of the curved region around 0 (f(0) = √b/2); b = 0 gives ReLU.",
            latex="b",
            minimum=0.0,
            slider=(0.0, 10.0),
        ),
    ),
    properties=Properties(
        range=Interval(0.0, math.inf),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=False,
        saturating="left",
    ),
    kinks=(
        Kink(
            points=lambda p: [0.0] if p["b"] == 0 else [],
            value=lambda p: 0.5,
            point_latex=r"x = 0 \ (b = 0)",
            value_latex=r"\tfrac{1}{2}",
            note=(
                "Only b = 0 has a kink (the function is then ReLU). 1/2 is f'(0) for every"
                " b > 0, so the derivative at 0 does not jump as b reaches 0. JAX and"
                " Keras differentiate √(x² + b) as written and get ∞·0 = NaN there."
            ),
        ),
    ),
    origin=Origin(
        authors="J. T. Barron",
        year=2021,
        title="Squareplus: A Softplus-Like Algebraic Rectifier",
        venue="arXiv preprint",
        url="https://arxiv.org/abs/2112.11687",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "",
            notes="No built-in; (x + torch.sqrt(x * x + b)) / 2 is the textbook form.",
        ),
        FrameworkName(
            "JAX",
            "jax.nn.squareplus",
            defaults="b=4",
            notes=(
                "Computed as written, (x + √(x² + b))/2. For very negative x, where the"
                " exact value is about b/(4|x|), that cancels: in float64 with b = 4 it is"
                " 25% low at x = -1e8 and exactly 0 from about x = -1.4e8; and once x²"
                " overflows (|x| > 1.3e154) it is inf, for negative x as well."
            ),
        ),
        FrameworkName(
            "Keras 3",
            "keras.activations.squareplus",
            defaults="b=4",
            notes="Also keras.ops.squareplus. Computed as written, like JAX.",
        ),
        FrameworkName(
            "TensorFlow",
            "",
            notes="No tf.nn version; tf.keras.activations.squareplus (Keras 3) has it.",
        ),
    ),
    cost="1 sqrt",
    test_params=({"b": 0.0}, {"b": 1.0}),
)


#: The records of this module, in teaching order.
RECORDS = (elu, selu, celu, softplus, squareplus)

"""Shrinkage: functions that pull small inputs to (or towards) zero.

Shrinkage comes from signal processing. To remove noise from a signal, one transforms
it (into wavelet coefficients, say), sets the small coefficients, which are mostly
noise, to zero, and keeps the large ones, which carry the signal. Donoho and Johnstone
analysed the two classic rules in the 1990s:

* *hard thresholding* keeps a coefficient unchanged when its magnitude exceeds the
  threshold ``λ`` and zeroes it otherwise (:data:`hardshrink`): it jumps at ``±λ``;
* *soft thresholding* zeroes the same band but also moves every surviving coefficient
  ``λ`` towards zero (:data:`softshrink`): it is continuous, and it is the proximal
  operator of ``λ|x|``, which is why it appears in every L1-regularised (lasso, sparse
  coding) solver.

As activations they give sparse outputs: a whole band of inputs around zero maps to
exactly zero, and the gradient there is zero too. PyTorch and Keras 3 ship both, plus
:data:`tanhshrink`, ``x - tanh(x)``, a smooth relative that is flat near zero
(``≈ x³/3``) instead of exactly zero.

Numerically the first two are trivial: ``x - λ`` is a single correctly rounded
subtraction. ``tanhshrink`` is not: near zero ``x`` and ``tanh(x)`` agree in almost
all their digits, so ``x - tanh(x)`` computed as written cancels. At ``x = 1e-5`` the
naive formula keeps about 5 correct digits, and below about ``1.4e-8`` it returns
exactly 0 (at ``x = 1e-13``, where the answer is ``3.3e-40``, not one digit is right).
Here it is computed from Lambert's continued fraction for ``tanh``, which gives the
difference directly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ._core import (
    DISCONTINUOUS,
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
from ._special import two_product, two_sum
from ._util import F64, piecewise


def _plus_minus_lambd(params: Mapping[str, Any]) -> list[float]:
    return [-params["lambd"], params["lambd"]]


def _lambd_param() -> Param:
    return Param(
        "lambd",
        0.5,
        "Half-width of the band of inputs set to zero (PyTorch's name; Keras calls it"
        " threshold).",
        latex=r"\lambda",
        minimum=0.0,
        slider=(0.0, 2.0),
    )


def _outside_band_derivative(x: F64, lambd: float) -> F64:
    # 1 outside [-λ, λ], 0 inside and at ±λ themselves (PyTorch's backward); NaN stays NaN.
    return np.where(np.isnan(x), np.nan, (np.abs(x) > lambd).astype(np.float64))


# -- softshrink -----------------------------------------------------------------------
def _softshrink(x: F64, lambd: float) -> F64:
    r"""x - λ above the band, x + λ below it, 0 inside: each one rounding, so exact to
    half an ulp (``x - λ`` near ``λ`` is even exact, by Sterbenz's lemma)."""
    return piecewise(
        x,
        [x > lambd, x < -lambd, np.abs(x) <= lambd],
        [lambda v: v - lambd, lambda v: v + lambd, 0.0],
    )


softshrink = Activation(
    name="softshrink",
    display_name="Softshrink",
    summary="Soft thresholding: zero on [-λ, λ], and the input moved λ towards zero outside.",
    family="shrinkage",
    kernel=_softshrink,
    derivative_kernel=_outside_band_derivative,
    latex=(
        r"f(x) = \begin{cases} x - \lambda, & x > \lambda \\ 0, & |x| \le \lambda \\"
        r" x + \lambda, & x < -\lambda \end{cases}"
    ),
    derivative_latex=r"f'(x) = \begin{cases} 1, & |x| > \lambda \\ 0, & |x| < \lambda \end{cases}",
    params=(_lambd_param(),),
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=True,
        continuity=0,
        zero_centred=True,
        saturating="no",
    ),
    kinks=(
        Kink(
            points=_plus_minus_lambd,
            value=zero_slope,
            point_latex=r"x = \pm\lambda",
            value_latex="0",
            note=(
                "PyTorch's backward passes the gradient only where |x| > λ, so it is 0 at"
                " ±λ. Keras builds the function from comparisons and where(), whose"
                " gradient at ±λ is also 0."
            ),
        ),
    ),
    origin=Origin(
        authors="D. L. Donoho",
        year=1995,
        title="De-noising by soft-thresholding",
        venue="IEEE Transactions on Information Theory 41(3)",
        url="https://doi.org/10.1109/18.382009",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.softshrink",
            defaults="lambd=0.5",
            notes="Raises for lambd < 0, as this package does.",
        ),
        FrameworkName(
            "JAX", "", notes="Not in jax.nn; jnp.sign(x) * jnp.maximum(jnp.abs(x) - lambd, 0)."
        ),
        FrameworkName(
            "Keras 3",
            "keras.activations.soft_shrink",
            defaults="threshold=0.5",
            notes="Also keras.ops.soft_shrink; the parameter is called threshold.",
        ),
        FrameworkName(
            "TensorFlow",
            "",
            notes=(
                "Not in core TensorFlow. The discontinued TensorFlow Addons had"
                " tfa.activations.softshrink(x, lower=-0.5, upper=0.5), which allows an"
                " asymmetric band."
            ),
        ),
    ),
    aliases=("soft_thresholding",),
    cost="2 comparisons + 1 addition",
    test_params=({"lambd": 0.0}, {"lambd": 1.5}),
)


# -- hardshrink -----------------------------------------------------------------------
def _hardshrink(x: F64, lambd: float) -> F64:
    return piecewise(x, [np.abs(x) > lambd, np.abs(x) <= lambd], [lambda v: v.copy(), 0.0])


hardshrink = Activation(
    name="hardshrink",
    display_name="Hardshrink",
    summary="Hard thresholding: the input where |x| > λ, and 0 on [-λ, λ].",
    family="shrinkage",
    kernel=_hardshrink,
    derivative_kernel=_outside_band_derivative,
    latex=r"f(x) = \begin{cases} x, & |x| > \lambda \\ 0, & |x| \le \lambda \end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} 1, & |x| > \lambda \\ 0, & |x| < \lambda \end{cases}",
    params=(_lambd_param(),),
    # Every real number is not an output (values in (-λ, 0) and (0, λ) are skipped by
    # the jumps), but the outputs are unbounded both ways; the jumps go upwards, so the
    # function never decreases.
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=True,
        continuity=DISCONTINUOUS,
        zero_centred=True,
        saturating="no",
    ),
    kinks=(
        Kink(
            points=_plus_minus_lambd,
            value=zero_slope,
            point_latex=r"x = \pm\lambda",
            value_latex="0",
            note=(
                "The function jumps by λ at ±λ, so it has no derivative there. PyTorch's"
                " backward returns 0 for -λ <= x <= λ; Keras' where()-based version"
                " agrees."
            ),
        ),
    ),
    origin=Origin(
        authors="D. L. Donoho and I. M. Johnstone",
        year=1994,
        title="Ideal spatial adaptation by wavelet shrinkage",
        venue="Biometrika 81(3)",
        url="https://doi.org/10.1093/biomet/81.3.425",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.hardshrink",
            defaults="lambd=0.5",
            notes="Accepts lambd < 0 (then it is the identity); this package requires lambd >= 0.",
        ),
        FrameworkName("JAX", "", notes="Not in jax.nn; jnp.where(jnp.abs(x) > lambd, x, 0)."),
        FrameworkName(
            "Keras 3",
            "keras.activations.hard_shrink",
            defaults="threshold=0.5",
            notes="Also keras.ops.hard_shrink; the parameter is called threshold.",
        ),
        FrameworkName(
            "TensorFlow",
            "",
            notes=(
                "Not in core TensorFlow. The discontinued TensorFlow Addons had"
                " tfa.activations.hardshrink(x, lower=-0.5, upper=0.5)."
            ),
        ),
    ),
    aliases=("hard_thresholding",),
    cost="1 comparison",
    test_params=({"lambd": 0.0}, {"lambd": 1.5}),
)


# -- tanhshrink -----------------------------------------------------------------------
#: Below this |x| the continued fraction is used, above it the exponential form.
_TANHSHRINK_SWITCH = 2.0
#: Depth of the continued fraction: its truncation error at |x| = 2 is 6e-21.
_TANHSHRINK_DEPTH = 12
#: Beyond this |x|, 2/(exp(2|x|) + 1) < 1.1e-34 no longer changes a rounded result.
_TANHSHRINK_FLAT = 40.0


def _fast_two_sum(a: F64, b: F64) -> tuple[F64, F64]:
    # Dekker's FastTwoSum: a + b as s + err exactly, given |a| >= |b|.
    s = a + b
    return s, b - (s - a)


def _tanhshrink_ratio(x: F64) -> tuple[F64, F64]:
    r"""``q = x²/(3 + x² + d)`` in double-double, for |x| < 2, where ``d`` is the tail
    ``x²/(5 + x²/(7 + x²/(9 + ...)))`` of Lambert's continued fraction

    .. math:: \tanh x = \cfrac{x}{1 + \cfrac{x^2}{3 + \cfrac{x^2}{5 + \dotsb}}}

    so that ``x - tanh x = x·q`` and ``tanh x = x·(1 - q)`` with no cancellation.
    ``x²`` is exact (TwoProduct) and the sums and the quotient carry twice the
    precision; only ``d``, at most a fifth of the denominator, is in plain double.
    """
    h, l = two_product(x, x)
    d = np.zeros_like(x)
    for k in range(_TANHSHRINK_DEPTH, 1, -1):
        d = h / ((2 * k + 1) + d)
    s1, e1 = two_sum(3.0, h)
    s2, e2 = two_sum(s1, d)
    den_hi, den_lo = _fast_two_sum(s2, e1 + e2 + l)
    # (h + l) / (den_hi + den_lo) in double-double: one correction step of the quotient.
    q0 = h / den_hi
    p, pe = two_product(q0, den_hi)
    q1 = (((h - p) - pe) + l - q0 * den_lo) / den_hi
    return _fast_two_sum(q0, q1)


def _tanhshrink_tail(x: F64) -> F64:
    # 2/(exp(2x) + 1) = 1 - tanh x for x >= 2; 2x is exact and exp cannot overflow here.
    return 2.0 / (np.exp(2.0 * x) + 1.0)


def _tanhshrink(x: F64) -> F64:
    r"""``x - tanh x``, odd, so computed on |x|:

    * ``|x| < 2``: ``x·q`` from :func:`_tanhshrink_ratio`, the product also in
      double-double, so the result is rounded once;
    * ``|x| >= 2``: ``(|x| - 1) + 2/(e^{2|x|} + 1)``, with ``|x| - 1`` kept exact by
      TwoSum; the exponential term is at most 3.5% of the result, so its own rounding
      hardly shows.
    """

    def small(v: F64) -> F64:
        q_hi, q_lo = _tanhshrink_ratio(v)
        p, pe = two_product(v, q_hi)
        return p + (pe + v * q_lo)

    def large(v: F64) -> F64:
        a = np.abs(v)
        s, e = two_sum(a, -1.0)
        t = piecewise(a, [a <= _TANHSHRINK_FLAT, a > _TANHSHRINK_FLAT], [_tanhshrink_tail, 0.0])
        return np.copysign(s + (e + t), v)

    a = np.abs(x)
    return piecewise(x, [a < _TANHSHRINK_SWITCH, a >= _TANHSHRINK_SWITCH], [small, large])


def _tanhshrink_derivative(x: F64) -> F64:
    r"""``tanh² x``: from ``tanh x = x(1 - q)`` in double-double below |x| = 2, and as
    ``1 - t(2 - t)`` with ``t = 1 - tanh|x| = 2/(e^{2|x|} + 1)`` above, so the tails
    approach 1 without first rounding ``tanh x`` to 1."""

    def small(v: F64) -> F64:
        q_hi, q_lo = _tanhshrink_ratio(v)
        u_hi, u_lo = two_sum(1.0, -q_hi)
        u_lo = u_lo - q_lo
        t_hi, t_lo = two_product(v, u_hi)
        t_lo = t_lo + v * u_lo
        sq, sq_e = two_product(t_hi, t_hi)
        return sq + (sq_e + 2.0 * t_hi * t_lo)

    def large(v: F64) -> F64:
        a = np.abs(v)
        t = _tanhshrink_tail(a)
        return 1.0 - t * (2.0 - t)

    a = np.abs(x)
    return piecewise(
        x,
        [a < _TANHSHRINK_SWITCH, a <= _TANHSHRINK_FLAT, a > _TANHSHRINK_FLAT],
        [small, large, 1.0],
    )


tanhshrink = Activation(
    name="tanhshrink",
    display_name="Tanhshrink",
    summary="x minus tanh x: flat (about x³/3) near zero and parallel to x - sign(x) far out.",
    family="shrinkage",
    kernel=_tanhshrink,
    derivative_kernel=_tanhshrink_derivative,
    latex=r"f(x) = x - \tanh x",
    derivative_latex=r"f'(x) = \tanh^2 x",
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="no",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.tanhshrink",
            notes=(
                "Computed as x - tanh(x): returns 0 for |x| below about 1.4e-8, and loses"
                " digits well above that."
            ),
        ),
        FrameworkName(
            "JAX", "", notes="Not in jax.nn; x - jnp.tanh(x), with the same cancellation."
        ),
        FrameworkName(
            "Keras 3",
            "keras.activations.tanh_shrink",
            notes="Also keras.ops.tanh_shrink; computed as x - tanh(x).",
        ),
        FrameworkName(
            "TensorFlow",
            "",
            notes=(
                "Not in core TensorFlow; the discontinued TensorFlow Addons had"
                " tfa.activations.tanhshrink."
            ),
        ),
    ),
    cost="1 exp (|x| >= 2) or 12 divisions (|x| < 2)",
)


#: The records of this module, in teaching order.
RECORDS = (hardshrink, softshrink, tanhshrink)

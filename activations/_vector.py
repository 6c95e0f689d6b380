r"""Vector-valued activations: softmax, log-softmax and the gated linear units.

Every other family maps each number on its own. These functions read a whole vector:
the entries of ``x`` along one ``axis`` (the last by default, as in PyTorch's
``dim=-1``) go in together, and every output depends on several inputs.

* **Softmax** turns scores into probabilities, ``e^{x_i} / Σ_j e^{x_j}``: positive,
  summing to 1, keeping the order of the scores. It is the output layer of every
  classifier and the weighting inside attention. **Log-softmax** is its logarithm,
  ``x_i - logsumexp(x)``, what a cross-entropy loss needs.
* A **gated linear unit** splits the axis into two halves ``a`` (the first) and ``b``
  (the second) and multiplies them, one of them passed through a gate: ``a·σ(b)``
  (GLU), ``silu(a)·b`` (SwiGLU), ``gelu(a)·b`` (GEGLU), ``relu(a)·b`` (ReGLU). The
  output has half the length of the input along the axis. In a network the two halves
  are two linear projections of the same input (``xW`` and ``xV``), computed as one
  matrix product and split; these records are the activation applied after it.

**Which half is gated.** PyTorch, JAX and Keras follow Dauphin et al. (2017) for GLU:
``a ⊗ σ(b)``, the *second* half gated. Shazeer's variants (2020) write the activated
projection first, ``Swish(xW) ⊗ xV``; so SwiGLU, GEGLU and ReGLU here gate the *first*
half: ``f(x) = g(a) ⊙ b`` with ``a = x[..., :n/2]`` and ``b = x[..., n/2:]`` (along
``axis``), which is also PaddlePaddle's ``swiglu`` and vLLM's fused ``SiluAndMul``;
some code gates the second half instead (diffusers' ``GEGLU``): swapping the halves of
the input swaps the conventions. An axis of odd length cannot be split:
:class:`ValueError` naming the length. GEGLU's GELU is the exact one, ``a Φ(a)``, as in
Shazeer's paper (PyTorch's ``gelu`` default); T5 v1.1's "gated-gelu" uses the tanh
approximation, which this record does not offer.

**Shapes.** ``axis`` follows PyTorch's ``dim`` (default -1, negative counts from the
end; out of range: :class:`ValueError` naming the allowed range). A 0-d input has no
axis to work along and raises :class:`ValueError` (PyTorch returns softmax 1 for it;
here a scalar is refused rather than given a meaning). Empty inputs give empty outputs
of the right shape; a slice of length 1 has softmax 1 and log-softmax 0.

**Derivatives are matrices.** ``f.derivative`` raises; ``f.jacobian(x, axis=...)``
returns ``J`` of shape ``out.shape + (n,)``, ``n = x.shape[axis]``, with
``J[..., i, ..., j] = ∂ out[..., i, ...] / ∂ x[..., j, ...]``: the output index ``i``
stays where ``axis`` is, the input index ``j`` is the new last axis. ``out.shape`` is
``x.shape`` for softmax and log-softmax and ``x.shape`` with ``n/2`` along ``axis`` for
the gated units. ``f.vjp(x, v, axis=...)`` returns ``vᵀJ``, the gradient of
``sum(v * f(x))`` with respect to ``x`` (shape of ``x``), without forming ``J``; the
cotangent ``v`` must have the output's shape.

**Accuracy.** Softmax subtracts the maximum first (so no exponential overflows) and
carries ``x_j - max`` exactly as a double-double, since rounding it would cost ``|x_j -
max|`` times 2**-53 of relative error after the exponential. Log-softmax computes
``logsumexp(x) = max + log1p(Σ_{j≠k} e^{x_j - max})`` (``k`` one maximum), the
accurate form of Blanchard, Higham & Higham (2021): no cancellation, and
``log_softmax`` of the largest entry keeps its digits when it is close to 0. The
gated units evaluate their gate and the product as a double-double with a separate
binary exponent, so results are accurate across the whole float64 range, subnormal
ones included, and an intermediate never overflows or underflows early. Values and
Jacobian entries are within about two ulps of the exact result; a VJP is a sum whose
terms may cancel, so its error is bounded by a few ulps of ``Σ_i |v_i J_ij|``, the
error of the exact product rounded once (the test-suite checks both against mpmath).
PyTorch's softmax backward, ``s ⊙ (v - s·v)``, returns 0 for ``x = [0, -100]``,
``v = [1, 2]`` where the answer is ``-3.7e-44``; here it is exact.

**Infinities and NaN.** An infinite input is read as a limit, the finite inputs held
fixed; where the limit does not exist the output is NaN:

* softmax with one ``+inf`` entry gives 1 there and 0 elsewhere (PyTorch, JAX and
  SciPy give NaN everywhere); with two or more ``+inf`` entries their share depends
  on how they tend to infinity, so those entries are NaN and the rest 0.
* a slice of two or more entries, all ``-inf`` (a fully masked row of attention
  scores) has no limit either: its values are NaN, as in PyTorch. Its Jacobian and
  vector-Jacobian product are **0, not NaN**: a masked input receives no gradient
  in any row that has a finite entry, and the convention extends that to fully masked
  rows, so that a NaN row dropped later (by ``where``) does not fill the gradients of
  the whole batch with NaN (PyTorch returns NaN there, the failure reported in
  pytorch/pytorch#41508). A single entry is always 1 (log-softmax: 0), ``-inf``
  included.
* ``NaN`` anywhere in a slice makes the whole slice NaN (value, Jacobian, VJP);
  a NaN or infinite cotangent makes its slice's VJP NaN.
* gated units: ``g(a)·b`` is the product of the limits, ``±inf`` where a factor is
  infinite and the other is not 0; ``inf·0`` is 0 when the zero is exact (``b = 0``,
  ``relu(a)`` for ``a ≤ 0``), and NaN when it is only a limit (``σ(-inf)``,
  ``silu(-inf)``, ``gelu(-inf)``), as for GLU at ``(a, b) = (inf, -inf)``.

**Properties.** The records' properties describe one output as a function of its own
inputs: the range is the set of values an output takes (softmax's 1 and log-softmax's
0 are reached only on an axis of length 1, where they are constant). Softmax and
log-softmax are called monotonic because each output increases with its own input and
decreases with the others, so the outputs keep the order of the inputs; a gated unit
is not (its output falls or rises with the gate depending on the sign of the other
half). Softmax saturates on both sides of its own input (∂f_i/∂x_i = f_i(1 - f_i) → 0);
log-softmax on the right only (∂f_i/∂x_i = 1 - softmax_i → 1 on the left). The gated
units do not saturate: the gradient through the linear half does not fade as that half
grows, which is why Dauphin et al. introduced them (it does vanish when the gate closes).
No gated unit is self-gated here: the gate is computed from the other half.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._core import (
    SMOOTH,
    FrameworkName,
    Interval,
    Kink,
    Origin,
    Param,
    Properties,
    VectorActivation,
    zero_slope,
)
from ._gated import (
    _SILU_SERIES,
    _gelu_exact_derivative,
    _normal_cdf_scaled,
    _silu_derivative,
)
from ._special import _div, two_product, two_sum
from ._util import F64

Bool = NDArray[np.bool_]
Exponent = NDArray[np.int64]
#: ``(hi, lo, k)`` stands for ``(hi + lo) * 2**k``: a double-double mantissa with
#: ``0.5 <= |hi| < 1`` (or 0) and a binary exponent beyond the range of a double.
Scaled = tuple[F64, F64, Exponent]

# fdlibm's split of ln 2: _LN2_HI has 32 significant bits, so k * _LN2_HI is exact for
# |k| < 2**21, and _LN2_HI + _LN2_LO is ln 2 to about 2**-85.
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
# 1/sqrt(2 pi) as a double-double.
_INV_SQRT_2PI_HI = 0.3989422804014327
_INV_SQRT_2PI_LO = -2.49232720227773e-17
# Beyond |t| = 3000 an exponential gate is below e^-3000 < 2**-4328: times at most
# three doubles (each below 2**1024) it stays below half the smallest subnormal, so the
# gate is taken as 0 there and the product rounds to 0, as the exact value does.
_FAR = 3000.0
# The same for GELU's gate: below a = -80, |a| φ(a) < 2**-4600.
_GELU_FAR = 80.0
# Φ(a) comes from its double-double form down to a = -37 (Φ(-37) ≈ 5.7e-300 is a
# normal number) and from its asymptotic series below.
_GELU_TAIL = 37.0

_AXIS = Param(
    "axis",
    -1,
    "The axis holding the vectors; the function works along it (PyTorch's dim).",
    kind="int",
)


# -- double-double arithmetic with a separate exponent -----------------------------------
def _ldexp(mantissa: F64, k: Exponent | NDArray[np.int32] | int) -> F64:
    """``mantissa * 2**k``, exact unless the result leaves the normal range."""
    # A result beyond the largest double is inf and one below the subnormals is 0 (or is
    # rounded to the subnormal grid): the correctly rounded values, not faults.
    with np.errstate(over="ignore", under="ignore"):
        return np.ldexp(mantissa, k)


def _scaled(hi: F64, lo: F64, k: Exponent | int = 0) -> Scaled:
    """``(hi + lo) * 2**k`` with the mantissa brought into ``[0.5, 1)``, exactly."""
    mantissa, e = np.frexp(hi)
    return mantissa, _ldexp(lo, -e), e + np.asarray(k, dtype=np.int64)


def _times(x: Scaled, y: Scaled) -> Scaled:
    """The product of two scaled numbers."""
    p, e = two_product(x[0], y[0])
    return _scaled(p, e + (x[0] * y[1] + x[1] * y[0]), x[2] + y[2])


def _negative(x: Scaled) -> Scaled:
    return -x[0], -x[1], x[2]


def _pick(where: Bool, x: Scaled, y: Scaled) -> Scaled:
    """``x`` where ``where`` holds, else ``y``."""
    return np.where(where, x[0], y[0]), np.where(where, x[1], y[1]), np.where(where, x[2], y[2])


def _zero(like: F64) -> Scaled:
    return np.zeros(like.shape), np.zeros(like.shape), np.zeros(like.shape, dtype=np.int64)


def _one(like: F64) -> Scaled:
    return np.full(like.shape, 0.5), np.zeros(like.shape), np.ones(like.shape, dtype=np.int64)


def _to_float(x: Scaled) -> F64:
    """Round a scaled number to a double: once (twice if the result is subnormal)."""
    return _ldexp(x[0] + x[1], x[2])


def _exp_scaled(hi: F64, lo: F64) -> Scaled:
    """``exp(hi + lo)`` for ``-4500 <= hi <= 0``, to about 2**-60 and with no underflow.

    Tang's table method: ``hi + lo = (32m + j) ln2/32 + r`` with ``|r| <= ln2/64``, so
    ``exp(hi + lo) = 2**m · 2**(j/32) · (1 + expm1(r))``. The reduction is exact
    (``k * _LN2_HI/32`` is exact and Sterbenz's lemma makes the difference exact), the
    table holds ``2**(j/32)`` as double-doubles, and ``expm1`` of so small an ``r`` is
    within 2**-60 of the truth; the product is formed as a double-double. np.exp alone
    would err by up to 0.66 ulp.
    """
    k = np.rint(hi * (32.0 * _INV_LN2))
    r_hi, r_err = two_sum(hi - k * (_LN2_HI / 32.0), -k * (_LN2_LO / 32.0))
    steps = k.astype(np.int64)
    table_hi, table_lo = _EXP2_TABLE[0][steps % 32], _EXP2_TABLE[1][steps % 32]
    p = np.expm1(r_hi)
    one_hi, one_err = two_sum(1.0, p)
    one_lo = one_err + (r_err + lo) * (1.0 + p)  # e^(r_hi + δ) = e^r_hi (1 + δ)
    product, product_err = two_product(table_hi, one_hi)
    return _scaled(product, product_err + table_hi * one_lo + table_lo * one_hi, steps // 32)


#: 2**(j/32) for j = 0..31 as double-doubles (hi, lo), from mpmath at 50 digits.
_EXP2_TABLE = tuple(
    np.array(column)
    for column in zip(
        (1.0, 0.0),
        (1.0218971486541166, 5.109225028973444e-17),
        (1.0442737824274138, 8.551889705537965e-17),
        (1.0671404006768237, -7.899853966841582e-17),
        (1.0905077326652577, -3.046782079812471e-17),
        (1.1143867425958924, 1.0410278456845571e-16),
        (1.1387886347566916, 8.912812676025408e-17),
        (1.1637248587775775, 3.8292048369240935e-17),
        (1.189207115002721, 3.982015231465646e-17),
        (1.215247359980469, -7.712630692681488e-17),
        (1.241857812073484, 4.658027591836937e-17),
        (1.2690509571917332, 2.667932131342186e-18),
        (1.2968395546510096, 2.5382502794888315e-17),
        (1.3252366431597413, -2.8587312100388614e-17),
        (1.3542555469368927, 7.70094837980299e-17),
        (1.383909881963832, -6.770511658794786e-17),
        (1.4142135623730951, -9.667293313452913e-17),
        (1.4451808069770467, -3.0237581349939873e-17),
        (1.4768261459394993, -3.483994556892796e-17),
        (1.5091644275934228, -1.016455327754295e-16),
        (1.5422108254079407, 7.949834809697621e-17),
        (1.5759808451078865, -1.0136916471278304e-17),
        (1.6104903319492543, 2.4707192569797888e-17),
        (1.645755478153965, -1.0125679913674773e-16),
        (1.681792830507429, 8.199010020581497e-17),
        (1.718619298122478, -1.851380418263111e-17),
        (1.7562521603732995, 2.960140695448873e-17),
        (1.7947090750031072, 1.8227458427912087e-17),
        (1.8340080864093424, 3.283107224245627e-17),
        (1.8741676341103, -6.122763413004143e-17),
        (1.9152065613971474, -1.0619946056195963e-16),
        (1.9571441241754002, 8.960767791036668e-17),
        strict=True,
    )
)


def _sigmoid_scaled(t: F64) -> Scaled:
    """The logistic sigmoid ``σ(t)`` of finite ``t``, as a scaled number.

    With ``u = e^{-|t|} <= 1`` (so nothing overflows), ``σ(t) = 1/(1+u)`` for
    ``t >= 0`` and ``u/(1+u)`` for ``t < 0``; ``u`` keeps its own exponent, so
    ``σ(-1000) = e^{-1000}(1 - e^{-1000} + ...)`` is as accurate as ``σ(1)``, and
    ``1 + u`` is exact as a double-double.
    """
    u = _exp_scaled(-np.minimum(np.abs(t), _FAR), np.zeros(t.shape))
    u_hi, u_lo = _ldexp(u[0], u[2]), _ldexp(u[1], u[2])  # below 2**-1074: nothing beside 1
    d_hi, d_err = two_sum(1.0, u_hi)
    upper = t >= 0
    numerator = (np.where(upper, 1.0, u[0]), np.where(upper, 0.0, u[1]))
    q_hi, q_lo = _div(numerator, (d_hi, d_err + u_lo))
    return _pick(t < -_FAR, _zero(t), _scaled(q_hi, q_lo, np.where(upper, 0, u[2])))


def _normal_tail(a: F64) -> tuple[Scaled, F64, F64, F64]:
    """For ``a <= -37``: ``φ(a)`` (scaled), ``a² = hi + lo`` exactly, and ``S - 1``.

    ``Φ(a) = φ(a)/|a| · S(1/a²)``, ``S(t) = Σ (-1)^k (2k-1)!! t^k = 1 - t + 3t² - ...``
    (asymptotic; from ``|a| = 37`` on ten terms leave an error below 3e-23), and
    ``φ(a) = exp(-a²/2)/√(2π)`` from the exact square, so its exponent is exact.
    """
    square_hi, square_lo = two_product(a, a)
    t = 1.0 / square_hi
    series = np.zeros(a.shape)
    for k in range(10, 0, -1):  # Horner for Σ_{k=1}^{10} (-1)^k (2k-1)!! t^k
        series = -(2 * k - 1) * t * (1.0 + series)
    constant = _scaled(np.full(a.shape, _INV_SQRT_2PI_HI), np.full(a.shape, _INV_SQRT_2PI_LO))
    density = _times(_exp_scaled(-0.5 * square_hi, -0.5 * square_lo), constant)
    return density, square_hi, square_lo, series


# -- the factors of the gated units ----------------------------------------------------
class _Factor(NamedTuple):
    """One factor of a gated unit's product at every element, infinite inputs included.

    ``value`` is the factor where it is finite; ``infinite`` marks where it is ±inf (a
    limit at an infinite input); ``sign`` is its exact sign (-1, 0 or 1, also where
    ``value`` rounded to 0); ``soft_zero`` marks zeros that are only limits (``σ(-inf)``)
    rather than exact (``relu(-1)``, ``b = 0``).
    """

    value: Scaled
    infinite: Bool
    sign: F64
    soft_zero: Bool


FactorFunction = Callable[[F64], _Factor]


def _finite(x: F64) -> F64:
    """x with NaN at 0 and ±inf at ±3001, where every gate has reached its limit (0 or 1
    to the last bit), so the factors' values at ±inf come out of the finite formulas."""
    return np.where(np.isnan(x), 0.0, np.where(np.isinf(x), np.copysign(_FAR + 1.0, x), x))


def _never(x: F64) -> Bool:
    return np.zeros(x.shape, dtype=bool)


def _identity_factor(x: F64) -> _Factor:
    mantissa, e = np.frexp(np.where(np.isfinite(x), x, 0.0))
    value = (mantissa, np.zeros(x.shape), e.astype(np.int64))
    return _Factor(value, np.isinf(x), np.sign(np.where(np.isnan(x), 0.0, x)), _never(x))


def _one_factor(x: F64) -> _Factor:
    """The constant 1, the derivative of the linear half."""
    return _Factor(_one(x), _never(x), np.ones(x.shape), _never(x))


def _sigmoid_factor(x: F64) -> _Factor:
    down = x == -np.inf
    return _Factor(_sigmoid_scaled(_finite(x)), _never(x), np.where(down, 0.0, 1.0), down)


def _sigmoid_slope_factor(x: F64) -> _Factor:
    """σ'(x) = σ(x) σ(-x): a product, so no cancellation in either tail."""
    t = _finite(x)
    ends = np.isinf(x)
    value = _times(_sigmoid_scaled(t), _sigmoid_scaled(-t))
    return _Factor(value, _never(x), np.where(ends, 0.0, 1.0), ends)


def _silu_factor(x: F64) -> _Factor:
    t = _finite(x)
    value = _times(_identity_factor(t).value, _sigmoid_scaled(t))
    down = x == -np.inf
    return _Factor(value, x == np.inf, np.where(down, 0.0, np.sign(t)), down)


def _silu_slope_factor(x: F64) -> _Factor:
    """silu'(x) = σ(x) (1 + x σ(-x)), the bracket a double-double; it changes sign at
    x ≈ -1.2785 (the minimum of silu), where the elementwise derivative's series is used."""
    t = _finite(x)
    product = _times(_identity_factor(t).value, _sigmoid_scaled(-t))
    b_hi, b_err = two_sum(1.0, _ldexp(product[0], product[2]))
    bracket = _scaled(b_hi, b_err + _ldexp(product[1], product[2]))
    value = _times(_sigmoid_scaled(t), bracket)
    # Near the root the bracket cancels to far below its parts' 2**-60 error: there the
    # elementwise SiLU derivative's Taylor series about the root (within an ulp) is used.
    sign = np.sign(b_hi)
    root: Bool = _SILU_SERIES.near(t).astype(bool)
    if root.any():
        series = _silu_derivative(np.where(root, t, 0.0), 1.0)
        value = _pick(root, _scaled(series, np.zeros(t.shape)), value)
        sign = np.where(root, np.sign(series), sign)
    down = x == -np.inf
    return _Factor(value, _never(x), np.where(down, 0.0, sign), down)


def _gelu_factor(x: F64) -> _Factor:
    """gelu(a) = a Φ(a): down to a = -37 Φ is the elementwise GELU's double-double
    ``2^k (h + l)`` (relative error below 2^-55), so the product with a, and then with
    b, is rounded once; a rounded Φ (``ndtr``, up to 0.9 ulp) would cost up to 1.2 ulp.
    Below, a Φ(a) = -φ(a) S(1/a²)."""
    t = _finite(x)
    near = t >= -_GELU_TAIL
    (cdf_hi, cdf_lo), cdf_k = _normal_cdf_scaled(np.where(near, t, 0.0))
    value = _times(_identity_factor(t).value, _scaled(cdf_hi, cdf_lo, cdf_k))
    tail = ~near & (t >= -_GELU_FAR)
    if tail.any():
        density, _, _, series = _normal_tail(np.where(tail, t, -_GELU_TAIL))
        # S = 1 + series as a normalised pair: _times drops the product of the two low
        # parts, and density's low part is far from an ulp of its high part (up to
        # 2^-44 of it), so a low part of 1 + series as large as series itself (7e-4)
        # would lose 0.37 ulp.
        tail_value = _negative(_times(density, _scaled(*two_sum(1.0, series))))
        value = _pick(tail, tail_value, value)
    value = _pick(t < -_GELU_FAR, _zero(t), value)
    down = x == -np.inf
    return _Factor(value, x == np.inf, np.where(down, 0.0, np.sign(t)), down)


def _gelu_slope_factor(x: F64) -> _Factor:
    """gelu'(a) = Φ(a) + a φ(a): from the elementwise GELU derivative down to a = -37
    (within an ulp; it sums the terms in double-double and uses the Taylor series about
    the root a ≈ -0.7518 where they cancel, and gelu'(-37) ≈ -7e-297 is still a normal
    number); below, ``-φ(a) (a² - S(1/a²)) / |a|``, the same without cancelling terms and
    with an exponent of its own."""
    t = _finite(x)
    near = t >= -_GELU_TAIL
    slope = _gelu_exact_derivative(np.where(near, t, 0.0))
    value = _scaled(slope, np.zeros(t.shape))
    tail = ~near & (t >= -_GELU_FAR)
    if tail.any():
        a = np.where(tail, t, -_GELU_TAIL)
        density, square_hi, square_lo, series = _normal_tail(a)
        n_hi, n_err = two_sum(square_hi, -1.0)
        f_hi, f_lo = _div((n_hi, n_err + square_lo - series), (-a, np.zeros(a.shape)))
        value = _pick(tail, _negative(_times(density, _scaled(f_hi, f_lo))), value)
    value = _pick(t < -_GELU_FAR, _zero(t), value)
    down = x == -np.inf
    return _Factor(
        value, _never(x), np.where(near, np.sign(slope), np.where(down, 0.0, -1.0)), down
    )


def _relu_factor(x: F64) -> _Factor:
    positive = x > 0
    mantissa, e = np.frexp(np.where(positive & np.isfinite(x), x, 0.0))
    value = (mantissa, np.zeros(x.shape), e.astype(np.int64))
    return _Factor(value, x == np.inf, positive.astype(np.float64), _never(x))


def _relu_slope_factor(x: F64) -> _Factor:
    """1 for a > 0 and 0 otherwise, at 0 too (PyTorch's relu backward)."""
    positive = x > 0
    return _Factor(
        _pick(positive, _one(x), _zero(x)), _never(x), positive.astype(np.float64), _never(x)
    )


def _product(*factors: _Factor) -> F64:
    """The product of the factors, correctly rounded up to an ulp or so.

    Where a factor is infinite, the product is the limit: ±inf, or 0 if another factor
    is exactly 0, or NaN where the only zeros are limits themselves (``inf * σ(-inf)``).
    """
    value = factors[0].value
    for factor in factors[1:]:
        value = _times(value, factor.value)
    out = _to_float(value)
    infinite = np.logical_or.reduce([f.infinite for f in factors])
    if not infinite.any():
        return out
    sign = np.prod(np.stack([f.sign for f in factors]), axis=0)
    exact_zero = np.logical_or.reduce([(f.sign == 0) & ~f.soft_zero for f in factors])
    soft_zero = np.logical_or.reduce([f.soft_zero for f in factors])
    limit = np.where(exact_zero, 0.0, np.where(soft_zero, np.nan, np.copysign(np.inf, sign)))
    return np.where(infinite, limit, out)


# -- the gated units -------------------------------------------------------------------
def _halves(name: str, x: F64, axis: int) -> tuple[F64, F64]:
    """The first and second halves of ``x`` along ``axis``, that axis moved last."""
    n = x.shape[axis]
    if n % 2:
        raise ValueError(
            f"{name}(): the input has length {n} along axis {axis}; it must be even,"
            " to be split into two halves"
        )
    first, second = np.split(np.moveaxis(x, axis, -1), 2, axis=-1)
    return first, second


def _cotangent(name: str, v: F64, shape: tuple[int, ...]) -> None:
    if v.shape != shape:
        raise ValueError(
            f"{name}.vjp(): the cotangent has shape {v.shape}; it must have the output's"
            f" shape {shape}"
        )


def _gated_kernels(
    name: str,
    first: FactorFunction,
    first_slope: FactorFunction,
    second: FactorFunction,
    second_slope: FactorFunction,
) -> tuple[Callable[..., F64], Callable[..., F64], Callable[..., F64]]:
    """The value, Jacobian and VJP kernels of ``f(x) = first(a) * second(b)``.

    Output ``i`` depends on ``a_i`` and ``b_i`` only, so the Jacobian has two nonzero
    entries per row: ``first'(a_i) second(b_i)`` at ``j = i`` and
    ``first(a_i) second'(b_i)`` at ``j = n/2 + i``. NaN in ``a_i`` or ``b_i`` makes
    output ``i``, its Jacobian row and the two gradients it feeds NaN.
    """

    def value(x: F64, axis: int) -> F64:
        a, b = _halves(name, x, axis)
        out = np.where(np.isnan(a) | np.isnan(b), np.nan, _product(first(a), second(b)))
        return np.moveaxis(out, -1, axis)

    def jacobian(x: F64, axis: int) -> F64:
        a, b = _halves(name, x, axis)
        nan = np.isnan(a) | np.isnan(b)
        m = a.shape[-1]
        rows = np.arange(m)
        matrix = np.zeros(a.shape + (2 * m,))
        matrix[..., rows, rows] = np.where(nan, np.nan, _product(first_slope(a), second(b)))
        matrix[..., rows, m + rows] = np.where(nan, np.nan, _product(first(a), second_slope(b)))
        return np.moveaxis(matrix, -2, axis % x.ndim)

    def vjp(x: F64, v: F64, axis: int) -> F64:
        a, b = _halves(name, x, axis)
        _cotangent(name, v, np.moveaxis(a, -1, axis).shape)
        g = np.moveaxis(v, axis, -1)
        bad = np.isnan(a) | np.isnan(b) | ~np.isfinite(g)
        weight = _identity_factor(np.where(bad, 0.0, g))
        grad_a = _product(weight, first_slope(a), second(b))
        grad_b = _product(weight, first(a), second_slope(b))
        grads = np.concatenate([grad_a, grad_b], axis=-1)
        grads = np.where(np.concatenate([bad, bad], axis=-1), np.nan, grads)
        return np.moveaxis(grads, -1, axis)

    return value, jacobian, vjp


# -- softmax and log-softmax -----------------------------------------------------------
class _Slices(NamedTuple):
    """Softmax along the last axis, with what log-softmax and the derivatives need.

    ``softmax = mantissa * 2**exponent`` (kept apart, so that products such as
    ``softmax_i * softmax_j`` do not underflow early; ``mantissa_lo`` carries the
    mantissa to double-double precision for the VJPs); ``rest = 1 - softmax`` without
    cancellation; ``x - max = shift_hi + shift_lo`` exactly; ``log_rest`` is
    ``logsumexp(x) - max``; ``first`` marks one maximum per slice. ``nan``, ``masked``
    (per slice) and ``ambiguous`` (per entry) mark where the limit does not exist (see
    the module docstring).
    """

    shift_hi: F64
    shift_lo: F64
    mantissa: F64
    mantissa_lo: F64
    exponent: Exponent
    first: Bool
    rest: F64
    log_rest: tuple[F64, F64]
    nan: Bool
    masked: Bool
    ambiguous: Bool


def _slices(x: F64) -> _Slices:
    nan: Bool = np.asarray(np.isnan(x).any(axis=-1, keepdims=True))
    down = (x == -np.inf).all(axis=-1, keepdims=True)
    masked = down & (x.shape[-1] > 1)
    top = x == np.inf
    tops = top.sum(axis=-1, keepdims=True)
    if x.shape[-1] == 0:
        empty = np.zeros(x.shape)
        rim = np.zeros(nan.shape)
        return _Slices(
            empty,
            empty,
            empty,
            empty,
            empty.astype(np.int64),
            top,
            empty,
            (rim, rim),
            nan,
            masked,
            top,
        )
    # The limit as the +inf entries grow: softmax of 0 there and -inf elsewhere.
    work = np.where(tops > 0, np.where(top, 0.0, -np.inf), x)
    # A slice of NaN or all -inf is given finite stand-ins (its result is decided by the
    # masks); a lone -inf is the limit of a lone finite entry, whose softmax is 1.
    work = np.where(nan | down, 0.0, work)
    high = work.max(axis=-1, keepdims=True)
    # x - max exactly (a rounded difference d would put |d| 2**-53 of relative error in
    # e^d); -inf and differences below -3000 give e^d = 0.
    shift_hi, shift_lo = two_sum(work, -high)
    far = shift_hi < -_FAR
    exps = _pick(
        far, _zero(x), _exp_scaled(np.where(far, 0.0, shift_hi), np.where(far, 0.0, shift_lo))
    )
    # The sum of the others beside one maximum, whose term is exactly 1: no cancellation
    # in 1 - softmax_max = others / (1 + others), nor in log1p(others).
    first = np.argmax(work, axis=-1)[..., None]
    is_first = np.zeros(x.shape, dtype=bool)
    np.put_along_axis(is_first, first, True, axis=-1)
    others_hi, others_lo = _sum(
        np.where(is_first, 0.0, _ldexp(exps[0], exps[2])),
        np.where(is_first, 0.0, _ldexp(exps[1], exps[2])),
    )
    total_hi, total_err = two_sum(1.0, others_hi)
    total_lo = total_err + others_lo
    quotient_hi, quotient_lo = _div((exps[0], exps[1]), (total_hi, total_lo))
    mantissa, mantissa_lo = two_sum(quotient_hi, quotient_lo)
    rest_hi, rest_lo = _div((others_hi, others_lo), (total_hi, total_lo))
    log_rest = _log_total(total_hi, total_lo, others_hi, others_lo)
    # Below 2**-60, 1 - s_k = S/(1 + S) and log1p(S) are S itself to the last bit; S may
    # then be subnormal, and the sum above rounds every term to the subnormal grid first
    # (half an ulp each). Summed with their own exponents, the terms are rounded once.
    tiny = others_hi < 2.0**-60
    if tiny.any():
        others = _to_float(
            _scaled_sum(np.where(is_first, 0.0, exps[0]), np.where(is_first, 0.0, exps[1]), exps[2])
        )
        rest_hi, rest_lo = np.where(tiny, others, rest_hi), np.where(tiny, 0.0, rest_lo)
        log_rest = (np.where(tiny, others, log_rest[0]), np.where(tiny, 0.0, log_rest[1]))
    rest = np.where(is_first, rest_hi + rest_lo, 1.0 - _ldexp(mantissa, exps[2]))
    ambiguous = top & (tops > 1)
    return _Slices(
        shift_hi,
        shift_lo,
        mantissa,
        mantissa_lo,
        exps[2],
        is_first,
        rest,
        log_rest,
        nan,
        masked,
        ambiguous,
    )


def _log_total(total_hi: F64, total_lo: F64, others_hi: F64, others_lo: F64) -> tuple[F64, F64]:
    """``log(total) = log1p(others)`` as a double-double, to about 2**-60 relative.

    From ``log1p(others) = 1/64`` on: ``L = log1p(others_hi)`` (within an ulp) and one
    Newton step on ``exp(L) = total`` with the accurate exponential,
    ``L += total · exp(-L) - 1``. Below, that exponential is no more accurate than
    ``L`` itself, and the series ``log1p(t) = 2 atanh(z) = 2z (1 + z²/3 + z⁴/5 + ...)``,
    ``z = t/(2+t) < 1/126``, is summed instead, ``z`` as a double-double (six terms).
    """
    log_hi = np.log1p(others_hi)
    e = _exp_scaled(-log_hi, np.zeros(log_hi.shape))
    e_hi, e_lo = _ldexp(e[0], e[2]), _ldexp(e[1], e[2])
    p, p_err = two_product(total_hi, e_hi)
    # p - 1 is exact (Sterbenz), and log(1 + r) = r for r this small (about 2**-52).
    newton = (p - 1.0) + (p_err + total_hi * e_lo + total_lo * e_hi)
    small = log_hi < 1.0 / 64.0
    d_hi, d_err = two_sum(2.0, others_hi)
    z_hi, z_lo = _div((others_hi, others_lo), (d_hi, d_err + others_lo))
    z2 = z_hi * z_hi
    w = z2 * (1 / 3 + z2 * (1 / 5 + z2 * (1 / 7 + z2 * (1 / 9 + z2 * (1 / 11)))))
    head, head_err = two_sum(2.0 * z_hi, 2.0 * z_hi * w)
    series = head, head_err + 2.0 * z_lo * (1.0 + w)
    # log1p(t) = t (1 - t/2 + ...) is t itself to 2**-61 below t = 2**-60; the shortcut
    # also keeps subnormal t from being rounded again by the division.
    tiny = others_hi < 2.0**-60
    return (
        np.where(tiny, others_hi, np.where(small, series[0], log_hi)),
        np.where(tiny, others_lo, np.where(small, series[1], newton)),
    )


def _sum(hi: F64, lo: F64) -> tuple[F64, F64]:
    """``Σ (hi + lo)`` along the last axis as a double-double.

    A pairwise tree of TwoSums whose rounding errors are added up on the side: as
    accurate as summing in twice the precision, in ``log2(n)`` vectorised steps.
    """
    errors = lo.sum(axis=-1, keepdims=True)
    while hi.shape[-1] > 1:
        if hi.shape[-1] % 2:
            hi = np.concatenate([hi, np.zeros(hi.shape[:-1] + (1,))], axis=-1)
        hi, e = two_sum(hi[..., 0::2], hi[..., 1::2])
        errors = errors + e.sum(axis=-1, keepdims=True)
    return two_sum(hi, errors)


def _undefined(p: _Slices) -> Bool:
    return p.nan | p.masked | p.ambiguous


def _last(x: F64, axis: int) -> F64:
    return np.moveaxis(x, axis, -1)


def _softmax(x: F64, axis: int) -> F64:
    r"""``e^{x_i - m} / Σ_j e^{x_j - m}`` with ``m = max x``: every exponential is at
    most 1, and the largest is exactly 1, so the sum is in ``[1, n]``."""
    p = _slices(_last(x, axis))
    out = np.where(_undefined(p), np.nan, _ldexp(p.mantissa, p.exponent))
    return np.moveaxis(out, -1, axis)


def _log_softmax(x: F64, axis: int) -> F64:
    r"""``(x_i - m) - log1p(Σ_{j≠k} e^{x_j - m})``, ``m = x_k = max x``: the difference
    is exact, both terms are ≤ 0 (no cancellation) and the result is rounded about once."""
    p = _slices(_last(x, axis))
    head, tail = two_sum(p.shift_hi, -p.log_rest[0])
    out = np.where(_undefined(p), np.nan, head + (tail + p.shift_lo - p.log_rest[1]))
    return np.moveaxis(out, -1, axis)


def _square(p: _Slices) -> tuple[Bool, Bool]:
    """Masks of the slices' n × n matrices: NaN slices, and masked ones."""
    return p.nan[..., None], p.masked[..., None]


def _softmax_jacobian(x: F64, axis: int) -> F64:
    r"""``J_ij = s_i (δ_ij - s_j)``: ``-s_i s_j`` off the diagonal, ``s_i (1 - s_i)`` on it,
    with ``1 - s_i`` free of cancellation. 0 for a fully masked slice (a convention)."""
    p = _slices(_last(x, axis))
    m, k = p.mantissa, p.exponent
    matrix = -_ldexp(m[..., :, None] * m[..., None, :], k[..., :, None] + k[..., None, :])
    diagonal = np.arange(x.shape[axis])
    matrix[..., diagonal, diagonal] = _ldexp(m * p.rest, k)
    nan, masked = _square(p)
    both = p.ambiguous[..., :, None] & p.ambiguous[..., None, :]
    matrix = np.where(nan | both, np.nan, np.where(masked, 0.0, matrix))
    return np.moveaxis(matrix, -2, axis % x.ndim)


def _log_softmax_jacobian(x: F64, axis: int) -> F64:
    r"""``J_ij = δ_ij - s_j``; 0 for a fully masked slice (a convention)."""
    p = _slices(_last(x, axis))
    n = x.shape[axis]
    matrix = np.repeat(-_ldexp(p.mantissa, p.exponent)[..., None, :], n, axis=-2)
    diagonal = np.arange(n)
    matrix[..., diagonal, diagonal] = p.rest
    nan, masked = _square(p)
    matrix = np.where(nan | p.ambiguous[..., None, :], np.nan, np.where(masked, 0.0, matrix))
    return np.moveaxis(matrix, -2, axis % x.ndim)


def _scaled_cotangent(
    name: str, x: F64, v: F64, axis: int, p: _Slices
) -> tuple[F64, Bool, Exponent]:
    """The cotangent along the last axis, where it is usable, and its scale.

    A slice whose largest cotangent reaches 2**1000 is scaled by 2**-64 (exactly), so
    that the sums and differences below cannot overflow on the way to a finite result.
    """
    _cotangent(name, v, x.shape)
    g = _last(v, axis)
    bad = p.nan | ~np.isfinite(g).all(axis=-1, keepdims=True)
    g = np.where(bad, 0.0, g)
    large = np.abs(g).max(axis=-1, keepdims=True, initial=0.0) >= 2.0**1000
    shift = np.where(large, -64, 0).astype(np.int64)
    return _ldexp(g, shift), bad, shift


#: The exponent given to a zero term of a scaled sum: below every real one.
_NO_EXPONENT = -(2**20)


def _scaled_sum(hi: F64, lo: F64, e: Exponent) -> Scaled:
    """``Σ (hi + lo) 2**e`` along the last axis (kept), as ``(hi, lo, E)``.

    The terms are brought to the exponent ``E`` of the largest one before they are
    added (as a double-double), so a term far below the double range, ``2**-1100``
    times a cotangent of ``2**1000``, still counts; only terms below ``2**-1074`` of
    the largest are lost, far below its rounding error.
    """
    exponent = np.where(hi != 0, e + np.frexp(hi)[1], _NO_EXPONENT)
    top = exponent.max(axis=-1, keepdims=True, initial=_NO_EXPONENT)
    sum_hi, sum_lo = _sum(_ldexp(hi, e - top), _ldexp(lo, e - top))
    return sum_hi, sum_lo, top


def _times_softmax(p: _Slices, y_hi: F64, y_lo: F64) -> tuple[F64, F64]:
    """``softmax · (y_hi + y_lo)`` as a mantissa pair; its exponent is ``p.exponent``."""
    product, error = two_product(p.mantissa, y_hi)
    return product, error + p.mantissa * y_lo + p.mantissa_lo * y_hi


def _subtract_scaled(x: Scaled, y: Scaled) -> Scaled:
    """``x - y`` for scaled numbers whose mantissas are at most about 2**1000."""
    top = np.maximum(
        np.where(x[0] != 0, x[2] + np.frexp(x[0])[1], _NO_EXPONENT),
        np.where(y[0] != 0, y[2] + np.frexp(y[0])[1], _NO_EXPONENT),
    )
    head, error = two_sum(_ldexp(x[0], x[2] - top), -_ldexp(y[0], y[2] - top))
    return head, error + _ldexp(x[1], x[2] - top) - _ldexp(y[1], y[2] - top), top


def _softmax_vjp(x: F64, v: F64, axis: int) -> F64:
    r"""``(vᵀJ)_j = s_j (v_j - Σ_i s_i v_i)``, evaluated as ``s_j (w_j - Σ_{i≠k} s_i w_i)``
    with ``w = v - v_k`` (exact, as a double-double) and ``k`` a maximum of ``x``.

    The two forms are equal because ``Σ s_i = 1``; the second does not lose the answer
    when ``s_k`` is close to 1: at ``x = [0, -100]``, ``v = [1, 2]`` the first computes
    ``1 - (1 + 3.7e-44) = 0`` instead of ``-3.7e-44``. Every ``s_i w_i`` keeps its own
    exponent, so none underflows against a large cotangent. The error is then a few
    units of ``2**-53 Σ_i |v_i J_ij|`` (the bound of an exact product rounded once).
    A fully masked slice gives 0, not NaN (pytorch/pytorch#41508); a NaN or infinite
    cotangent makes its slice NaN.
    """
    p = _slices(_last(x, axis))
    g, bad, shift = _scaled_cotangent("softmax", x, v, axis, p)
    pivot = np.where(p.first, g, 0.0).sum(axis=-1, keepdims=True)  # v_k: one nonzero term
    w_hi, w_lo = two_sum(g, -pivot)
    centre_hi, centre_lo, centre_e = _scaled_sum(*_times_softmax(p, w_hi, w_lo), p.exponent)
    # |Σ s_i w_i| <= max |w| < 2**962: the centre is an ordinary double-double.
    d_hi, d_err = two_sum(w_hi, -_ldexp(centre_hi, centre_e))
    d_lo = d_err + w_lo - _ldexp(centre_lo, centre_e)
    q_hi, q_lo = _times_softmax(p, d_hi, d_lo)
    grads = _ldexp(q_hi + q_lo, p.exponent - shift)
    grads = np.where(bad | p.ambiguous, np.nan, np.where(p.masked, 0.0, grads))
    return np.moveaxis(grads, -1, axis)


def _log_softmax_vjp(x: F64, v: F64, axis: int) -> F64:
    r"""``(vᵀJ)_j = v_j - s_j Σ_i v_i``; for the maximum ``k``, where ``s_k`` may be 1 to
    the last bit, ``v_k Σ_{i≠k} s_i - s_k Σ_{i≠k} v_i`` (equal, since ``Σ s_i = 1``).

    Both forms keep the error to a few units of ``2**-53 Σ_i |v_i J_ij|``: for ``j ≠ k``
    ``s_j <= 1/2``, and for ``k`` the two terms are the two parts of that sum. The sums
    are double-doubles, ``Σ_{i≠k} s_i`` with its own exponent (``1 - s_k`` can be
    ``e^{-800}``, too small for a double, and still matter next to a large ``v_k``). An
    entry at -inf passes its cotangent through exactly. A fully masked slice gives 0,
    not NaN (pytorch/pytorch#41508).
    """
    p = _slices(_last(x, axis))
    g, bad, shift = _scaled_cotangent("log_softmax", x, v, axis, p)
    total_hi, total_lo = _sum(g, np.zeros(g.shape))
    # j != k: v_j - s_j T, the product formed exactly enough and brought to its exponent.
    p_hi, p_lo = _times_softmax(p, *np.broadcast_arrays(total_hi, total_lo))
    head, error = two_sum(g, -_ldexp(p_hi, p.exponent))
    plain = head + (error - _ldexp(p_lo, p.exponent))
    # j = k: v_k R - s_k U with R = Σ_{i≠k} s_i and U = Σ_{i≠k} v_i = T - v_k.
    others = ~p.first
    rest = _scaled_sum(
        np.where(others, p.mantissa, 0.0), np.where(others, p.mantissa_lo, 0.0), p.exponent
    )
    pivot = np.where(p.first, g, 0.0).sum(axis=-1, keepdims=True)
    r_hi, r_err = two_product(rest[0], pivot)
    u_hi, u_err = two_sum(total_hi, -pivot)
    s_k = tuple(np.where(p.first, part, 0.0).sum(axis=-1, keepdims=True) for part in p[2:4])
    e_k = np.where(p.first, p.exponent, 0).sum(axis=-1, keepdims=True)
    b_hi, b_err = two_product(s_k[0], u_hi)
    top = _subtract_scaled(
        (r_hi, r_err + rest[1] * pivot, rest[2]),
        (b_hi, b_err + s_k[0] * (u_err + total_lo) + s_k[1] * u_hi, e_k),
    )
    grads = np.where(p.first, _ldexp(top[0] + top[1], top[2] - shift), _ldexp(plain, -shift))
    grads = np.where(bad | p.ambiguous, np.nan, np.where(p.masked, 0.0, grads))
    return np.moveaxis(grads, -1, axis)


_PYTORCH_INF = (
    "One +inf entry makes the whole slice NaN (pytorch/pytorch#6864); here it gives 1 there"
    " and 0 elsewhere. A fully masked (all -inf) slice has NaN gradients in PyTorch"
    " (pytorch/pytorch#41508); here they are 0."
)

softmax = VectorActivation(
    name="softmax",
    display_name="Softmax",
    summary=(
        "Turns a vector of scores into probabilities: positive, summing to 1, in the scores' order."
    ),
    family="vector-valued",
    kernel=_softmax,
    derivative_kernel=_softmax_jacobian,
    jacobian_kernel=_softmax_jacobian,
    vjp_kernel=_softmax_vjp,
    latex=r"f(\mathbf{x})_i = \frac{e^{x_i}}{\sum_{j=1}^{n} e^{x_j}}",
    derivative_latex=(
        r"\frac{\partial f_i}{\partial x_j} ="
        r" f_i(\mathbf{x})\,\bigl(\delta_{ij} - f_j(\mathbf{x})\bigr)"
    ),
    params=(_AXIS,),
    properties=Properties(
        range=Interval(0.0, 1.0, high_closed=True),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=False,
        saturating="both",
    ),
    origin=Origin(
        authors="J. S. Bridle",
        year=1990,
        title=(
            "Probabilistic Interpretation of Feedforward Classification Network Outputs,"
            " with Relationships to Statistical Pattern Recognition"
        ),
        venue=(
            "Neurocomputing: Algorithms, Architectures and Applications, Springer"
            " (NATO ASI Series F 68)"
        ),
        url="https://doi.org/10.1007/978-3-642-76153-9_28",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.softmax",
            defaults="dim: give it (choosing it implicitly is deprecated)",
            notes=_PYTORCH_INF,
        ),
        FrameworkName(
            "JAX",
            "jax.nn.softmax",
            defaults="axis=-1",
            notes="Takes where= to leave entries out. Infinite inputs give NaN, as documented.",
        ),
        FrameworkName("Keras 3", "keras.activations.softmax", defaults="axis=-1"),
        FrameworkName(
            "TensorFlow",
            "tf.nn.softmax",
            defaults="axis=None (the last axis)",
            notes="The input is named logits.",
        ),
    ),
    aliases=("softargmax", "normalized_exponential"),
    cost="n exp + n divisions, 2 sums",
    test_params=({"axis": 0},),
)

log_softmax = VectorActivation(
    name="log_softmax",
    display_name="Log-softmax",
    summary=(
        "The logarithm of softmax, x_i − logsumexp(x), computed without forming the probabilities."
    ),
    family="vector-valued",
    kernel=_log_softmax,
    derivative_kernel=_log_softmax_jacobian,
    jacobian_kernel=_log_softmax_jacobian,
    vjp_kernel=_log_softmax_vjp,
    latex=r"f(\mathbf{x})_i = x_i - \log \sum_{j=1}^{n} e^{x_j}",
    derivative_latex=(
        r"\frac{\partial f_i}{\partial x_j} = \delta_{ij} - \operatorname{softmax}(\mathbf{x})_j"
    ),
    params=(_AXIS,),
    properties=Properties(
        range=Interval(-math.inf, 0.0, high_closed=True),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=False,
        saturating="right",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.log_softmax",
            defaults="dim: give it",
            notes=_PYTORCH_INF,
        ),
        FrameworkName(
            "JAX",
            "jax.nn.log_softmax",
            defaults="axis=-1",
            notes="Takes where= to leave entries out.",
        ),
        FrameworkName("Keras 3", "keras.activations.log_softmax", defaults="axis=-1"),
        FrameworkName(
            "TensorFlow",
            "tf.nn.log_softmax",
            defaults="axis=None (the last axis)",
            notes="The input is named logits.",
        ),
    ),
    cost="n exp + 1 log1p, 2 sums",
    test_params=({"axis": 0},),
)


# -- the gated linear units --------------------------------------------------------------
_glu, _glu_jacobian, _glu_vjp = _gated_kernels(
    "glu", _identity_factor, _one_factor, _sigmoid_factor, _sigmoid_slope_factor
)
_swiglu, _swiglu_jacobian, _swiglu_vjp = _gated_kernels(
    "swiglu", _silu_factor, _silu_slope_factor, _identity_factor, _one_factor
)
_geglu, _geglu_jacobian, _geglu_vjp = _gated_kernels(
    "geglu", _gelu_factor, _gelu_slope_factor, _identity_factor, _one_factor
)
_reglu, _reglu_jacobian, _reglu_vjp = _gated_kernels(
    "reglu", _relu_factor, _relu_slope_factor, _identity_factor, _one_factor
)

_SPLIT = r", \quad \mathbf{x} = (\mathbf{a}, \mathbf{b})"
_SHAZEER = Origin(
    authors="N. Shazeer",
    year=2020,
    title="GLU Variants Improve Transformer",
    venue="arXiv preprint 2002.05202",
    url="https://arxiv.org/abs/2002.05202",
)


def _variant_frameworks(
    torch_gate: str, jax_gate: str, keras_gate: str, tf_gate: str
) -> tuple[FrameworkName, ...]:
    return (
        FrameworkName(
            "PyTorch", "", notes=f"No built-in; a, b = x.chunk(2, dim=-1); {torch_gate}(a) * b."
        ),
        FrameworkName(
            "JAX", "", notes=f"No built-in; a, b = jnp.split(x, 2, axis=-1); {jax_gate}(a) * b."
        ),
        FrameworkName("Keras 3", "", notes=f"No built-in; {keras_gate}(a) * b on the two halves."),
        FrameworkName(
            "TensorFlow",
            "",
            notes=f"No built-in; a, b = tf.split(x, 2, axis=-1); {tf_gate}(a) * b.",
        ),
    )


glu = VectorActivation(
    name="glu",
    display_name="GLU",
    summary="Gated linear unit: splits the vector into halves a, b and returns a ⊙ σ(b).",
    family="vector-valued",
    kernel=_glu,
    derivative_kernel=_glu_jacobian,
    jacobian_kernel=_glu_jacobian,
    vjp_kernel=_glu_vjp,
    latex=r"f(\mathbf{x}) = \mathbf{a} \odot \sigma(\mathbf{b})" + _SPLIT,
    derivative_latex=(
        r"\frac{\partial f_i}{\partial a_i} = \sigma(b_i), \quad"
        r" \frac{\partial f_i}{\partial b_i} = a_i\,\sigma(b_i)\,\bigl(1 - \sigma(b_i)\bigr)"
    ),
    params=(_AXIS,),
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=False,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="no",
    ),
    origin=Origin(
        authors="Y. N. Dauphin, A. Fan, M. Auli and D. Grangier",
        year=2017,
        title="Language Modeling with Gated Convolutional Networks",
        venue="ICML 2017 (PMLR 70)",
        url="https://arxiv.org/abs/1612.08083",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.glu",
            defaults="dim=-1",
            notes="The same halves (the second is the gate). Odd lengths raise RuntimeError.",
        ),
        FrameworkName("JAX", "jax.nn.glu", defaults="axis=-1"),
        FrameworkName("Keras 3", "keras.activations.glu", defaults="axis=-1"),
        FrameworkName(
            "TensorFlow",
            "",
            notes="No built-in; a, b = tf.split(x, 2, axis=-1); a * tf.sigmoid(b).",
        ),
    ),
    aliases=("gated_linear_unit",),
    cost="1 exp + 1 division",
    test_params=({"axis": 0},),
)

swiglu = VectorActivation(
    name="swiglu",
    display_name="SwiGLU",
    summary="Gated unit of LLaMA-style transformers: halves a, b, returns silu(a) ⊙ b.",
    family="vector-valued",
    kernel=_swiglu,
    derivative_kernel=_swiglu_jacobian,
    jacobian_kernel=_swiglu_jacobian,
    vjp_kernel=_swiglu_vjp,
    latex=r"f(\mathbf{x}) = \operatorname{silu}(\mathbf{a}) \odot \mathbf{b}"
    r" = \mathbf{a}\,\sigma(\mathbf{a}) \odot \mathbf{b}" + _SPLIT,
    derivative_latex=(
        r"\frac{\partial f_i}{\partial a_i} ="
        r" b_i\,\sigma(a_i)\bigl(1 + a_i\,(1 - \sigma(a_i))\bigr), \quad"
        r" \frac{\partial f_i}{\partial b_i} = a_i\,\sigma(a_i)"
    ),
    params=(_AXIS,),
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=False,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="no",
    ),
    origin=_SHAZEER,
    frameworks=_variant_frameworks(
        "torch.nn.functional.silu", "jax.nn.silu", "keras.activations.silu", "tf.nn.silu"
    ),
    cost="1 exp + 1 division",
    test_params=({"axis": 0},),
)

geglu = VectorActivation(
    name="geglu",
    display_name="GEGLU",
    summary="Gated unit with the exact GELU as gate: halves a, b, returns gelu(a) ⊙ b.",
    family="vector-valued",
    kernel=_geglu,
    derivative_kernel=_geglu_jacobian,
    jacobian_kernel=_geglu_jacobian,
    vjp_kernel=_geglu_vjp,
    latex=r"f(\mathbf{x}) = \operatorname{gelu}(\mathbf{a}) \odot \mathbf{b}"
    r" = \mathbf{a}\,\Phi(\mathbf{a}) \odot \mathbf{b}" + _SPLIT,
    derivative_latex=(
        r"\frac{\partial f_i}{\partial a_i} = b_i\,\bigl(\Phi(a_i) + a_i\,\varphi(a_i)\bigr), \quad"
        r" \frac{\partial f_i}{\partial b_i} = a_i\,\Phi(a_i)"
    ),
    params=(_AXIS,),
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=False,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="no",
    ),
    origin=_SHAZEER,
    frameworks=(
        FrameworkName(
            "PyTorch",
            "",
            notes="No built-in; a, b = x.chunk(2, dim=-1); torch.nn.functional.gelu(a) * b.",
        ),
        FrameworkName(
            "JAX",
            "",
            notes=(
                "No built-in; a, b = jnp.split(x, 2, axis=-1);"
                " jax.nn.gelu(a, approximate=False) * b"
                " (jax.nn.gelu defaults to the tanh approximation)."
            ),
        ),
        FrameworkName(
            "Keras 3", "", notes="No built-in; keras.activations.gelu(a) * b on the two halves."
        ),
        FrameworkName(
            "TensorFlow",
            "",
            notes="No built-in; a, b = tf.split(x, 2, axis=-1); tf.nn.gelu(a) * b.",
        ),
    ),
    cost="1 erfc + 1 exp",
    test_params=({"axis": 0},),
)


reglu = VectorActivation(
    name="reglu",
    display_name="ReGLU",
    summary="Gated unit with a ReLU gate: halves a, b, returns max(a, 0) ⊙ b.",
    family="vector-valued",
    kernel=_reglu,
    derivative_kernel=_reglu_jacobian,
    jacobian_kernel=_reglu_jacobian,
    vjp_kernel=_reglu_vjp,
    latex=r"f(\mathbf{x}) = \max(\mathbf{a}, 0) \odot \mathbf{b}" + _SPLIT,
    derivative_latex=(
        r"\frac{\partial f_i}{\partial a_i} ="
        r" \begin{cases} b_i, & a_i > 0 \\ 0, & a_i < 0 \end{cases}, \quad"
        r" \frac{\partial f_i}{\partial b_i} = \max(a_i, 0)"
    ),
    params=(_AXIS,),
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=False,
        continuity=0,
        zero_centred=True,
        saturating="no",
    ),
    kinks=(
        Kink(
            points=lambda p: [0.0],
            value=zero_slope,
            point_latex="a_i = 0",
            value_latex=r"\partial f_i / \partial a_i = 0",
            note=(
                "The slope with respect to the gated half at a_i = 0 is taken as 0, from"
                " PyTorch's relu backward (JAX and TensorFlow also give 0 there)."
            ),
        ),
    ),
    origin=_SHAZEER,
    frameworks=_variant_frameworks(
        "torch.nn.functional.relu", "jax.nn.relu", "keras.activations.relu", "tf.nn.relu"
    ),
    cost="1 comparison + 1 multiplication",
    test_params=({"axis": 0},),
)


#: The records of this module, in teaching order.
RECORDS = (softmax, log_softmax, glu, swiglu, geglu, reglu)

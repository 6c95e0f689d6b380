"""Special functions in plain numpy: erf, erfc, the normal CDF and PDF, and exact products.

Activations such as GELU need the error function and the standard normal distribution,
and the package may depend on numpy alone (it also runs in Pyodide), so this module
implements them from scratch, vectorised, to within an ulp everywhere:

* :func:`erf` and :func:`erfc` are a port of ``s_erf.c`` from Sun's fdlibm, as kept in
  FreeBSD's msun and in OpenLibm (``src/s_erf.c``), copyright 1993 Sun Microsystems,
  under the notice reproduced below. The coefficients are the source's, digit for digit,
  with their bit patterns alongside; the branch thresholds are the source's comparisons
  of the high 32 bits of ``x``.
* :func:`ndtr` (Φ) and :func:`npdf` (φ) reuse fdlibm's rational approximations but never
  round ``x/√2`` before an exponential: ``exp(-x²/2)`` is evaluated from the exact square
  of ``x``, split into two doubles by Dekker's product.
* Where fdlibm's own rounding errors would exceed an ulp (they reach 3.1 ulp in glibc's
  erfc, the same code), the rational approximations are evaluated with compensated
  (double-double) arithmetic and the exponentials assembled so that the result is
  rounded about once.
* :func:`two_product` and :func:`two_sum` are the error-free transformations of
  double-double arithmetic (Dekker, Knuth), made safe over the whole float64 range.

Every function takes an array of any shape (or a scalar, giving a 0-d array), returns
float64, propagates NaN, gives the exact limits at ±inf, and emits no floating-point
warning for any input: each formula is evaluated only on the elements that use it. The
only floating-point condition ever raised (and silenced, where it is the right answer)
is underflow to a subnormal or zero result.

The accuracies quoted in the docstrings are the largest errors measured against mpmath
(50 digits), in ulps of the exact value, over the grids of ``tests/test_special.py``
(about 23 000 points per function: dense over the interesting range, magnitudes from
1e-300 to 1e308 of both signs, the branch thresholds, subnormals, ±0, ±inf) and over
150 000 further random points per function spread across its branches. Every one is
below 1 ulp: the result is faithfully rounded, and correctly rounded in the vast
majority of cases.
"""

# The erf/erfc algorithm and coefficients below come from fdlibm's s_erf.c, whose
# notice reads:
#
#   @(#)s_erf.c 5.1 93/09/24
#   ====================================================
#   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
#
#   Developed at SunPro, a Sun Microsystems, Inc. business.
#   Permission to use, copy, modify, and distribute this
#   software is freely granted, provided that this notice
#   is preserved.
#   ====================================================

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._util import F64, piecewise

__all__ = ["erf", "erfc", "ndtr", "npdf", "two_product", "two_sum"]

# --- fdlibm's constants, verbatim from s_erf.c --------------------------------------

_ERX = 8.45062911510467529297e-01  # 0x3FEB0AC1, 0x60000000: (float)0.84506291151
_EFX = 1.28379167095512586316e-01  # 0x3FC06EBA, 0x8214DB69: 2/sqrt(pi) - 1
_EFX8 = 1.02703333676410069053e00  # 0x3FF06EBA, 0x8214DB69: 8 * efx

# erf on [0, 0.84375]: erf(x) = x + x * pp(x²)/qq(x²)
_PP = (
    1.28379167095512558561e-01,  # 0x3FC06EBA, 0x8214DB68
    -3.25042107247001499370e-01,  # 0xBFD4CD7D, 0x691CB913
    -2.84817495755985104766e-02,  # 0xBF9D2A51, 0xDBD7194F
    -5.77027029648944159157e-03,  # 0xBF77A291, 0x236668E4
    -2.37630166566501626084e-05,  # 0xBEF8EAD6, 0x120016AC
)
_QQ = (
    1.0,
    3.97917223959155352819e-01,  # 0x3FD97779, 0xCDDADC09
    6.50222499887672944485e-02,  # 0x3FB0A54C, 0x5536CEBA
    5.08130628187576562776e-03,  # 0x3F74D022, 0xC4D36B0F
    1.32494738004321644526e-04,  # 0x3F215DC9, 0x221C1A10
    -3.96022827877536812320e-06,  # 0xBED09C43, 0x42A26120
)
# erf on [0.84375, 1.25]: erf(1 + s) = erx + pa(s)/qa(s)
_PA = (
    -2.36211856075265944077e-03,  # 0xBF6359B8, 0xBEF77538
    4.14856118683748331666e-01,  # 0x3FDA8D00, 0xAD92B34D
    -3.72207876035701323847e-01,  # 0xBFD7D240, 0xFBB8C3F1
    3.18346619901161753674e-01,  # 0x3FD45FCA, 0x805120E4
    -1.10894694282396677476e-01,  # 0xBFBC6398, 0x3D3E28EC
    3.54783043256182359371e-02,  # 0x3FA22A36, 0x599795EB
    -2.16637559486879084300e-03,  # 0xBF61BF38, 0x0A96073F
)
_QA = (
    1.0,
    1.06420880400844228286e-01,  # 0x3FBB3E66, 0x18EEE323
    5.40397917702171048937e-01,  # 0x3FE14AF0, 0x92EB6F33
    7.18286544141962662868e-02,  # 0x3FB2635C, 0xD99FE9A7
    1.26171219808761642112e-01,  # 0x3FC02660, 0xE763351F
    1.36370839120290507362e-02,  # 0x3F8BEDC2, 0x6B51DD1C
    1.19844998467991074170e-02,  # 0x3F888B54, 0x5735151D
)
# erfc on [1.25, 1/0.35]: erfc(x) = exp(-x² - 0.5625 + ra(s)/sa(s)) / x, s = 1/x²
_RA = (
    -9.86494403484714822705e-03,  # 0xBF843412, 0x600D6435
    -6.93858572707181764372e-01,  # 0xBFE63416, 0xE4BA7360
    -1.05586262253232909814e01,  # 0xC0251E04, 0x41B0E726
    -6.23753324503260060396e01,  # 0xC04F300A, 0xE4CBA38D
    -1.62396669462573470355e02,  # 0xC0644CB1, 0x84282266
    -1.84605092906711035994e02,  # 0xC067135C, 0xEBCCABB2
    -8.12874355063065934246e01,  # 0xC0545265, 0x57E4D2F2
    -9.81432934416914548592e00,  # 0xC023A0EF, 0xC69AC25C
)
_SA = (
    1.0,
    1.96512716674392571292e01,  # 0x4033A6B9, 0xBD707687
    1.37657754143519042600e02,  # 0x4061350C, 0x526AE721
    4.34565877475229228821e02,  # 0x407B290D, 0xD58A1A71
    6.45387271733267880336e02,  # 0x40842B19, 0x21EC2868
    4.29008140027567833386e02,  # 0x407AD021, 0x57700314
    1.08635005541779435134e02,  # 0x405B28A3, 0xEE48AE2C
    6.57024977031928170135e00,  # 0x401A47EF, 0x8E484A93
    -6.04244152148580987438e-02,  # 0xBFAEEFF2, 0xEE749A62
)
# erfc on [1/0.35, 28]: the same form with rb(s)/sb(s)
_RB = (
    -9.86494292470009928597e-03,  # 0xBF843412, 0x39E86F4A
    -7.99283237680523006574e-01,  # 0xBFE993BA, 0x70C285DE
    -1.77579549177547519889e01,  # 0xC031C209, 0x555F995A
    -1.60636384855821916062e02,  # 0xC064145D, 0x43C5ED98
    -6.37566443368389627722e02,  # 0xC083EC88, 0x1375F228
    -1.02509513161107724954e03,  # 0xC0900461, 0x6A2E5992
    -4.83519191608651397019e02,  # 0xC07E384E, 0x9BDC383F
)
_SB = (
    1.0,
    3.03380607434824582924e01,  # 0x403E568B, 0x261D5190
    3.25792512996573918826e02,  # 0x40745CAE, 0x221B9F0A
    1.53672958608443695994e03,  # 0x409802EB, 0x189D5118
    3.19985821950859553908e03,  # 0x40A8FFB7, 0x688C246A
    2.55305040643316442583e03,  # 0x40A3F219, 0xCEDF3BE6
    4.74528541206955367215e02,  # 0x407DA874, 0xE79FE763
    -2.24409524465858183362e01,  # 0xC03670E2, 0x42712D62
)

# --- constants of this module, each as a double-double hi + lo (checked against mpmath
# by the tests) -------------------------------------------------------------------------

_SQRT1_2_HI = 0.7071067811865476  # 1/√2
_SQRT1_2_LO = -4.833646656726457e-17
_INV_SQRT_2PI_HI = 0.3989422804014327  # 1/√(2π)
_INV_SQRT_2PI_LO = -2.49232720227773e-17
_K_HI = 0.40289729917086176  # exp(-0.5625)/√2, the constant of Φ's tail (see ndtr)
_K_LO = -1.9707035574073736e-17
_TWO_OVER_SQRT_PI = 1.1283791670955126  # erf'(0); only ever scales an ulp-sized term

# ln 2 as fdlibm's e_exp.c splits it: the high part's low 21 bits are zero.
_INV_LN2 = 1.44269504088896338700e00  # 0x3FF71547, 0x652B82FE
_LN2_HI = 6.93147180369123816490e-01  # 0x3FE62E42, 0xFEE00000
_LN2_LO = 1.90821492927058770002e-10  # 0x3DEA39EF, 0x35793C76

_SPLITTER = 134217729.0  # 2**27 + 1, Veltkamp's constant for a 53-bit significand
_MAX = float(np.finfo(np.float64).max)
_HIGH_BITS = np.int64(-(1 << 32))  # 0xFFFFFFFF00000000: keeps the high word of a double


# --- error-free transformations ---------------------------------------------------------


def _sum_exact(a: F64, b: F64) -> tuple[F64, F64]:
    """Knuth's TwoSum, unguarded: exact unless ``a + b`` overflows."""
    s = a + b
    b_virtual = s - a
    return s, (a - (s - b_virtual)) + (b - b_virtual)


def _split(v: F64) -> tuple[F64, F64]:
    """Veltkamp's split of ``v`` into two halves of 26 bits, ``v == hi + lo``.

    ``134217729 * v`` overflows for ``|v| > 2**996``; callers stay far below.
    """
    c = _SPLITTER * v
    hi = c - (c - v)
    return hi, v - hi


def _product_exact(a: F64, b: F64) -> tuple[F64, F64]:
    """Dekker's TwoProduct, unguarded: exact for moderate magnitudes (|a|, |b| < 2**996,
    no overflow of ``a * b``, and an error term above the subnormal range)."""
    a_hi, a_lo = _split(a)
    b_hi, b_lo = _split(b)
    p = a * b
    return p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo


def two_sum(a: ArrayLike, b: ArrayLike) -> tuple[F64, F64]:
    """Sum of two doubles as an unevaluated pair ``s + e``, exactly (Knuth's TwoSum).

    ``s = fl(a + b)`` is the rounded sum and ``e`` its rounding error, so that
    ``s + e == a + b`` holds exactly in real arithmetic: the building block of
    double-double arithmetic. Six additions, no branch, and no condition on the
    magnitudes of ``a`` and ``b`` (unlike Dekker's FastTwoSum, which needs
    ``|a| >= |b|``).

    Parameters
    ----------
    a, b : array_like
        Addends, broadcast together.

    Returns
    -------
    s, e : ndarray of float64
        The rounded sum and its exact error. Where ``a + b`` overflows, or an input is
        infinite or NaN, ``s`` is the IEEE result (``±inf`` or NaN) and ``e`` is 0.

    Notes
    -----
    Overflow is predicted exactly, without computing it: with ``M`` the largest double,
    same-signed addends overflow if and only if ``|a| + |b| >= M + 2**970`` (half an ulp
    of ``M``, where rounding goes to infinity). That needs ``max(|a|, |b|) >= 2**1023``,
    and then ``M - max(|a|, |b|)`` and the bound are exact, so no warning is ever emitted.

    Examples
    --------
    >>> s, e = two_sum(1.0, 1e-17)
    >>> float(s), float(e)
    (1.0, 1e-17)
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    # The common case first (four array operations instead of twenty): moderate finite
    # addends, whose sum cannot overflow, need no guard. NaN fails the comparisons.
    if np.all(np.abs(a) < 2.0**1022) and np.all(np.abs(b) < 2.0**1022):
        return _sum_exact(a, b)
    a, b = np.broadcast_arrays(a, b)
    larger = np.maximum(np.abs(a), np.abs(b))
    smaller = np.minimum(np.abs(a), np.abs(b))
    # The gap is exact, and a multiple of 2**971 below 2**1023, wherever the test counts.
    gap = _MAX - np.maximum(larger, 2.0**1023)
    overflow = (
        (np.signbit(a) == np.signbit(b)) & (larger >= 2.0**1023) & (smaller >= gap + 2.0**970)
    )
    ok = np.isfinite(a) & np.isfinite(b) & ~overflow
    s, e = _sum_exact(np.where(ok, a, 0.0), np.where(ok, b, 0.0))
    if not ok.all():
        invalid = np.isnan(a) | np.isnan(b) | (np.isinf(a) & np.isinf(b) & (a != b))
        # The infinite operand, or either one when same-signed finite addends overflow.
        sign_source = np.where(np.isinf(b), b, a)
        s = np.where(ok, s, np.where(invalid, np.nan, np.copysign(np.inf, sign_source)))
    return s, e


def two_product(a: ArrayLike, b: ArrayLike) -> tuple[F64, F64]:
    """Product of two doubles as an unevaluated pair ``p + e``, exactly (Dekker's TwoProduct).

    ``p = fl(a * b)`` is the rounded product and ``e`` its rounding error, so that
    ``p + e == a * b`` in real arithmetic. With a fused multiply-add this is
    ``e = fma(a, b, -p)``; numpy has none, so each factor is split into two halves of 26
    bits (Veltkamp: ``c = 134217729 * v``, ``hi = c - (c - v)``) whose four partial
    products are exact, and ``e`` is collected from them (17 flops).

    Parameters
    ----------
    a, b : array_like
        Factors, broadcast together.

    Returns
    -------
    p, e : ndarray of float64
        The rounded product and its error. ``p + e == a * b`` exactly whenever the error
        is representable, which it is unless ``|a * b|`` is below about ``2**-969``
        (there ``e`` is the error rounded to the subnormal grid, or 0). Where ``a * b``
        overflows, or an input is infinite or NaN, ``p`` is the IEEE result (``±inf``
        or NaN) and ``e`` is 0.

    Notes
    -----
    Splitting ``a`` directly would overflow for ``|a| > 2**996``, and the partial
    products can overflow when ``a * b`` is near the largest double. So the factors are
    first reduced to significands in ``[0.5, 1)`` by ``np.frexp`` (exact, subnormals
    included); the error of the product of significands is exact and is scaled back by
    ``np.ldexp``, and overflow of ``a * b`` is read off the exponents before it happens.
    No input emits a warning.

    Examples
    --------
    >>> p, e = two_product(0.1, 0.1)
    >>> float(p), float(e)
    (0.010000000000000002, -8.326672684688674e-19)
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    # The common case first: factors that are 0 or between 2**-450 and 2**500 (nothing
    # overflows, nor underflows: every partial product is exact) need no scaling.
    if _moderate_factor(a) and _moderate_factor(b):
        return _product_exact(a, b)
    a, b = np.broadcast_arrays(a, b)
    finite = np.isfinite(a) & np.isfinite(b)
    mant_a, exp_a = np.frexp(np.where(finite, a, 0.0))
    mant_b, exp_b = np.frexp(np.where(finite, b, 0.0))
    p_mant, e_mant = _product_exact(mant_a, mant_b)  # p_mant in [0.25, 1), or 0
    scale = exp_a + exp_b
    # fl(a * b) is p_mant * 2**scale (unless subnormal), which rounds to inf iff its
    # binary exponent reaches 1025.
    overflow = finite & (scale - (np.abs(p_mant) < 0.5) >= 1025)
    ok = finite & ~overflow
    # Products below the normal range round to subnormals: p is then still the correctly
    # rounded product and e the nearest subnormal to the error, so their underflow is
    # the right answer, not a fault.
    with np.errstate(under="ignore"):
        p = np.where(ok, a, 0.0) * np.where(ok, b, 0.0)
        e = np.ldexp(np.where(ok, e_mant, 0.0), np.where(ok, scale, 0))
    if not ok.all():
        invalid = (
            np.isnan(a)
            | np.isnan(b)
            | (np.isinf(a) & (b == 0.0))
            | (np.isinf(b) & (a == 0.0))
        )
        signed_inf = np.where(np.signbit(a) ^ np.signbit(b), -np.inf, np.inf)
        p = np.where(ok, p, np.where(invalid, np.nan, signed_inf))
    return p, e


#: A double-double: the unevaluated sum ``hi + lo`` with ``|lo| <= ulp(hi)/2``.
DD = tuple[F64, F64]
#: The helpers' second operand: a double-double, or plain floats (a constant's pair, or a
#: double ``v`` as ``(v, 0.0)``).
Operand = DD | tuple[F64 | float, F64 | float]


def _pair(hi: float, lo: float) -> DD:
    """A double-double constant (0-d arrays, broadcasting against any shape)."""
    return np.array(hi), np.array(lo)


# --- double-double arithmetic ---------------------------------------------------------
# The one set of helpers of the package. Each returns a normalised pair (TwoSum, not the
# cheaper FastTwoSum, whose |a| >= |b| fails where a sum cancels), so ``hi`` is the
# double-double rounded once.


def _add(a: DD, b: Operand) -> DD:
    s, e = two_sum(a[0], b[0])
    return two_sum(s, e + (a[1] + b[1]))


def _mul(a: DD, b: Operand) -> DD:
    p, e = two_product(a[0], b[0])
    return two_sum(p, e + (a[0] * b[1] + a[1] * b[0]))


def _div(a: DD, b: Operand) -> DD:
    # q = a_hi/b_hi, then the exact remainder a_hi - q b_hi (TwoProduct, and Sterbenz's
    # lemma for the subtraction) and the low parts correct q to first order.
    q = a[0] / b[0]
    p, e = two_product(q, b[0])
    return two_sum(q, (((a[0] - p) - e) + a[1] - q * b[1]) / b[0])


def _moderate_factor(v: F64) -> bool:
    """Whether every element of ``v`` is 0 or has a magnitude in ``[2**-450, 2**500)``."""
    magnitude = np.abs(v)
    return bool(np.all((magnitude < 2.0**500) & ((magnitude >= 2.0**-450) | (magnitude == 0.0))))


# --- double-double arithmetic on moderate magnitudes ------------------------------------
#
# fdlibm evaluates its rational approximations in plain double, and where erfc is
# small the rounding errors of the polynomials survive a cancellation: glibc's erfc (the
# same code) measures up to 3.1 ulp on [0.84375, 1.25]. The helpers below carry twice
# the precision through those steps, so that each result is rounded essentially once.
# A pair (hi, lo) stands for hi + lo with |lo| at most about an ulp of hi.


def _sum_terms(*terms: F64 | float) -> tuple[F64, F64]:
    """``sum(terms)`` as ``s + err``: cascaded TwoSum (Ogita, Rump and Oishi's Sum2), as
    accurate as summing in twice the precision."""
    s = terms[0]
    err: F64 | float = 0.0
    for term in terms[1:]:
        s, e = _sum_exact(s, term)
        err = err + e
    return s, err


def _quotient(
    c_hi: F64 | float, c_lo: F64 | float, t_hi: F64, t_lo: F64 | float
) -> tuple[F64, F64]:
    """``(c_hi + c_lo) / (t_hi + t_lo)`` as a double-double.

    ``q = fl(c_hi / t_hi)``; the remainder ``c_hi - q t_hi`` is exact by
    :func:`_product_exact` (and Sterbenz's lemma for the subtraction), and the rest of the
    numerator and denominator enter to first order.
    """
    q = c_hi / t_hi
    qt, qt_err = _product_exact(q, t_hi)
    return q, (((c_hi - qt) - qt_err) + (c_lo - q * t_lo)) / t_hi


def _horner(t_hi: F64, t_lo: F64 | float, coefficients: Sequence[float]) -> tuple[F64, F64]:
    """``c0 + t*(c1 + t*(c2 + ...))`` at ``t = t_hi + t_lo``, compensated.

    fdlibm's evaluation order, with the rounding error of every step collected by
    TwoProduct and TwoSum and carried along (Graillat, Langlois and Louvet's CompHorner),
    and ``t_lo`` to first order: as accurate as Horner's rule in twice the precision.
    """
    hi = np.full(t_hi.shape, coefficients[-1])
    lo = np.zeros(t_hi.shape)
    for c in reversed(coefficients[:-1]):
        p, p_err = _product_exact(hi, t_hi)
        step, s_err = _sum_exact(p, c)
        lo = lo * t_hi + (hi * t_lo + (p_err + s_err))
        hi = step
    return hi, lo


def _rational(
    t_hi: F64, t_lo: F64 | float, numerator: Sequence[float], denominator: Sequence[float]
) -> tuple[F64, F64]:
    """One of fdlibm's rational approximations ``P(t)/Q(t)``, as a double-double."""
    p_hi, p_lo = _horner(t_hi, t_lo, numerator)
    q_hi, q_lo = _horner(t_hi, t_lo, denominator)
    return _quotient(p_hi, p_lo, q_hi, q_lo)


def _times_one_plus(h: F64 | float, l: F64 | float, m: F64) -> tuple[F64, F64]:
    """``(h + l)(1 + m)`` as a double-double: ``h + h m + l (1 + m)``, the first two exact."""
    p, p_err = _product_exact(h, m)
    s, s_err = _sum_exact(h, p)
    return s, s_err + (p_err + l * (1.0 + m))


def _exp_mul(a: F64, b_hi: F64, b_lo: F64, g_hi: F64 | float, g_lo: F64 | float) -> F64:
    """``exp(a + b_hi + b_lo) * (g_hi + g_lo)`` with about one rounding, for the tails.

    ``a`` (``-800 < a <= 0``) is the exactly known bulk of the exponent, ``b_hi + b_lo``
    (``|b_hi| < 0.25``) a small remainder as a double-double, and ``g_hi + g_lo`` a
    double-double factor of normal magnitude. ``np.exp(a)`` alone would be off by up to
    0.65 ulp, and that error doubles in ulps of a product landing lower in its binade;
    instead, as in fdlibm's own exp, ``a = k ln2 + r`` with ``k`` an integer and
    ``r = a - k ln2_hi`` exact (``ln2_hi`` has 32 significant bits and ``k`` at most 11,
    and Sterbenz's lemma applies), so that

        exp(a + b) = 2**k (1 + expm1(r)) (1 + expm1(b_hi)) (1 + expm1(b_lo - k ln2_lo))

    where every ``expm1`` rounds only a small quantity. The factors multiply ``g`` in
    double-double (:func:`_times_one_plus`), the sum is rounded once, and ``2**k`` scales
    it exactly (or rounds it once more onto the subnormal grid: an absolute error below
    one subnormal ulp).
    """
    k = np.rint(a * _INV_LN2)
    r = a - k * _LN2_HI
    h, l = _times_one_plus(g_hi, g_lo, np.expm1(b_lo - k * _LN2_LO))
    h, l = _times_one_plus(h, l, np.expm1(b_hi))
    h, l = _times_one_plus(h, l, np.expm1(r))
    # 2**k (h + l) is subnormal or 0 where the true result is: the underflow is the
    # correctly rounded answer.
    with np.errstate(under="ignore"):
        return np.ldexp(h + l, k.astype(np.int32))


# --- fdlibm's pieces --------------------------------------------------------------------


def _high_word(x: F64) -> NDArray[np.int64]:
    """fdlibm's ``ix``: the high 32 bits of ``|x|``, for the source's exact thresholds."""
    return (x.view(np.int64) >> 32) & 0x7FFFFFFF


def _clear_low_word(x: F64) -> F64:
    """``x`` with the low 32 bits of its significand zeroed (fdlibm's ``SET_LOW_WORD(z, 0)``)."""
    return (x.view(np.int64) & _HIGH_BITS).view(np.float64)


def _erf_small_ratio(x: F64) -> tuple[F64, F64]:
    """``(erf(x) - x)/x`` for ``2**-56 <= |x| < 0.84375``: pp(x²)/qq(x²), fit error
    < 2**-57.9, evaluated at the exact ``x²``."""
    z_hi, z_lo = _product_exact(x, x)
    return _rational(z_hi, z_lo, _PP, _QQ)


def _erf_mid(ax: F64) -> tuple[F64, F64]:
    """``erf(ax) - erx`` for ``0.84375 <= ax < 1.25``: pa(s)/qa(s) at the exact
    ``s = ax - 1``; fit error < 2**-59.06."""
    return _rational(ax - 1.0, 0.0, _PA, _QA)


def _erfc_tail_log(
    s_hi: F64, s_lo: F64, ix: NDArray[np.int64], cutoff: int
) -> tuple[F64, F64]:
    """``log(x erfc(x)) + x² + 0.5625`` at ``s = 1/x² = s_hi + s_lo``, ``1.25 <= x < 28``.

    fdlibm's rational fits: ra/sa below ``1/0.35`` (fit error < 2**-62.57), rb/sb above
    (< 2**-61.52); ``ix < cutoff`` (a high word of ``x``) picks the first.
    """
    hi = np.empty(s_hi.shape)
    lo = np.empty(s_hi.shape)
    for part, (numerator, denominator) in (
        (ix < cutoff, (_RA, _SA)),
        (ix >= cutoff, (_RB, _SB)),
    ):
        hi[part], lo[part] = _rational(s_hi[part], s_lo[part], numerator, denominator)
    return hi, lo


def _erfc_tail(ax: F64, cutoff: int) -> F64:
    """``erfc(ax)`` for ``1.25 <= ax < 28``: ``exp(-ax² - 0.5625 + R/S) / ax``.

    ``ax²`` is not a double, so fdlibm writes ``ax = z + (ax - z)`` with ``z`` the first
    21 bits of ``ax``: ``z*z`` is exact, so ``-z*z - 0.5625`` is an exact exponent, and
    ``-ax² = -z*z + (z - ax)(z + ax)``, the last term being below ``2**-20 ax²`` so
    that its rounding is negligible. fdlibm then rounds four times,
    ``exp(A) * exp(B) / ax``, which costs up to 2.6 ulp; here the exponents and ``1/ax``
    go to :func:`_exp_mul` in double-double.
    """
    x2_hi, x2_lo = _product_exact(ax, ax)
    s_hi, s_lo = _quotient(1.0, 0.0, x2_hi, x2_lo)
    r_hi, r_lo = _erfc_tail_log(s_hi, s_lo, _high_word(ax), cutoff)
    z = _clear_low_word(ax)
    b_hi, b_err = _sum_exact(r_hi, (z - ax) * (z + ax))
    q_hi, q_lo = _quotient(1.0, 0.0, ax, 0.0)
    return _exp_mul(-z * z - 0.5625, b_hi, b_err + r_lo, q_hi, q_lo)


def _erfc_near(x: F64, shift: F64 | float) -> tuple[F64, F64]:
    """``erfc(x) - shift`` for ``2**-56 <= |x| < 0.84375``: ``1 - x - x R(x²) - shift``,
    as an unrounded double-double ``s + err``.

    fdlibm rounds this in three places (and splits it at ``x = 1/4`` to limit the
    damage); here the four terms are summed in double-double, to be rounded once by the
    caller. ``shift`` is a correction of the size of an ulp (see :func:`ndtr`), 0 for erfc.
    """
    y_hi, y_lo = _erf_small_ratio(x)
    p, p_err = _product_exact(x, y_hi)
    return _sum_terms(1.0, -x, -p, -(p_err + (x * y_lo + shift)))


def _erfc_mid(x: F64, shift: F64 | float) -> tuple[F64, F64]:
    """``erfc(x) - shift`` for ``0.84375 <= |x| < 1.25``: ``1 ∓ (erx + P/Q) - shift``,
    summed in double-double (``1 - erx`` is exact, and is fdlibm's form for ``x > 0``)
    and left unrounded, ``s + err``."""
    q_hi, q_lo = _erf_mid(np.abs(x))
    sign = np.copysign(1.0, x)
    return _sum_terms(1.0, -sign * _ERX, -sign * q_hi, -(sign * q_lo + shift))


def _rounded(pair: tuple[F64, F64]) -> F64:
    """A double-double ``(s, err)`` rounded to the nearest double."""
    return pair[0] + pair[1]


# --- erf and erfc -----------------------------------------------------------------------


def _erf_tiny(x: F64) -> F64:
    # fdlibm's form for |x| < 2**-1015, scaled by 8 to keep the intermediate terms normal
    # as long as possible. For subnormal x the result is subnormal, and its underflow is
    # the correctly rounded answer (within 0.6 ulp measured).
    with np.errstate(under="ignore"):
        return 0.125 * (8.0 * x + _EFX8 * x)


def _erf_near(x: F64) -> F64:
    y_hi, y_lo = _erf_small_ratio(x)
    p, p_err = _product_exact(x, y_hi)
    s, err = _sum_terms(x, p, p_err + x * y_lo)
    return s + err


def _erf_mid_signed(x: F64) -> F64:
    q_hi, q_lo = _erf_mid(np.abs(x))
    s, err = _sum_terms(_ERX, q_hi, q_lo)
    return np.copysign(s + err, x)


def _erf_far(x: F64) -> F64:
    return np.copysign(1.0 - _erfc_tail(np.abs(x), 0x4006DB6E), x)


def erf(x: ArrayLike) -> F64:
    """The error function, ``erf(x) = 2/√π ∫₀ˣ exp(-t²) dt``, elementwise.

    An odd sigmoid from -1 to 1 with ``erf'(0) = 2/√π``; the standard normal CDF is
    ``Φ(x) = (1 + erf(x/√2)) / 2``.

    Parameters
    ----------
    x : array_like
        Input, any shape.

    Returns
    -------
    ndarray of float64
        ``erf(x)``, same shape. ``erf(±inf) = ±1``, ``erf(±0) = ±0``, NaN gives NaN.

    Notes
    -----
    fdlibm's algorithm (``s_erf.c``), by ranges of ``|x|``:

    * ``|x| < 2**-28``: ``x + (2/√π - 1) x``.
    * ``|x| < 0.84375``: ``x + x R(x²)`` with ``R`` a rational fit of
      ``(erf(x) - x)/x`` of degree 8/10 (writing erf as ``x`` plus a correction keeps
      the leading term exact; 0.84375 lies past erf's fixed point 0.6174).
    * ``|x| < 1.25``: ``erx + P(s)/Q(s)`` with ``s = |x| - 1`` and ``erx`` the 24-bit
      rounding of erf(1), so that the fit only supplies the small remainder.
    * ``|x| < 6``: ``1 - erfc(|x|)``, with erfc from its asymptotic form
      ``exp(-x² - 0.5625 + R(1/x²)/S(1/x²)) / x`` (see :func:`erfc`).
    * beyond: ``±1`` (``1 - erf(6) < 2**-53``).

    The approximations, coefficients and ranges are fdlibm's; the rational functions
    are evaluated with compensated (double-double) arithmetic and the final sums rounded
    once, which brings the error down from fdlibm's 1.05 ulp (glibc, same code).

    Accuracy: at most 0.64 ulp measured (see the module docstring).
    """
    x = np.asarray(x, dtype=np.float64)
    ix = _high_word(x)
    return piecewise(
        x,
        [
            ix < 0x00800000,  # |x| < 2**-1015
            ix < 0x3E300000,  # |x| < 2**-28
            ix < 0x3FEB0000,  # |x| < 0.84375
            ix < 0x3FF40000,  # |x| < 1.25
            ix < 0x40180000,  # |x| < 6
            ~np.isnan(x),  # 6 <= |x| <= inf
        ],
        [
            _erf_tiny,
            lambda v: v + _EFX * v,
            _erf_near,
            _erf_mid_signed,
            _erf_far,
            lambda v: np.copysign(1.0, v),
        ],
    )


def _erfc_far(x: F64) -> F64:
    tail = _erfc_tail(np.abs(x), 0x4006DB6D)
    return np.where(x > 0, tail, 2.0 - tail)


def erfc(x: ArrayLike) -> F64:
    """The complementary error function, ``erfc(x) = 1 - erf(x)``, elementwise.

    Decreases from 2 to 0; for large ``x`` it is ``exp(-x²) / (x√π)`` times a slowly
    varying factor, so it is computed directly, never as ``1 - erf(x)`` (which would
    lose every digit once ``erf(x)`` rounds to 1, near ``x = 6``).

    Parameters
    ----------
    x : array_like
        Input, any shape.

    Returns
    -------
    ndarray of float64
        ``erfc(x)``, same shape. ``erfc(-inf) = 2``, ``erfc(inf) = 0``; the result is
        subnormal beyond ``x ≈ 26.55`` and 0 beyond ``x ≈ 27.23``. NaN gives NaN.

    Notes
    -----
    fdlibm's algorithm (``s_erf.c``), by ranges of ``|x|``:

    * ``|x| < 2**-56``: ``1 - x``.
    * ``|x| < 0.84375``: ``1 - x - x R(x²)``, ``R`` as in :func:`erf`.
    * ``|x| < 1.25``: ``(1 - erx) - P(s)/Q(s)`` or ``1 + erx + P(s)/Q(s)``,
      ``s = |x| - 1``.
    * ``|x| < 28``: ``exp(-x² - 0.5625 + R(s)/S(s)) / |x|`` with ``s = 1/x²`` (two fits,
      split at ``|x| = 1/0.35``), or 2 minus it for negative ``x``; 2 for ``x <= -6``.
      ``x²`` is never rounded inside the exponential: with ``z`` equal to ``|x|``
      truncated to 21 significant bits, ``z*z`` is exact and
      ``exp(-x²) = exp(-z*z) exp((z - |x|)(z + |x|))``.
    * beyond: 0, or 2 for negative ``x``.

    fdlibm states an error below 1 ulp, but where erfc is small its rounding errors
    add up and survive cancellations: glibc's erfc (the same code) measures up to
    3.1 ulp on ``[0.84375, 1.25]``, 2.1 ulp on ``[0.25, 0.84375]`` and 2.6 ulp in the
    tail. Here the same approximations are
    evaluated with compensated (double-double) arithmetic and the tail's exponential
    product is assembled in double-double (see ``_exp_mul``), so that the result is
    rounded about once.

    Accuracy: at most 0.86 ulp measured (see the module docstring), subnormal results
    included.
    """
    x = np.asarray(x, dtype=np.float64)
    ix = _high_word(x)
    return piecewise(
        x,
        [
            ix < 0x3C700000,  # |x| < 2**-56
            ix < 0x3FEB0000,  # |x| < 0.84375
            ix < 0x3FF40000,  # |x| < 1.25
            x <= -6.0,
            ix < 0x403C0000,  # |x| < 28
            x > 0,  # 28 <= x <= inf
            x < 0,  # -inf <= x <= -28
        ],
        [
            lambda v: 1.0 - v,
            lambda v: _rounded(_erfc_near(v, 0.0)),
            lambda v: _rounded(_erfc_mid(v, 0.0)),
            2.0,
            _erfc_far,
            0.0,
            2.0,
        ],
    )


# --- the standard normal distribution ---------------------------------------------------


#: ``fl(1.25 √2)``: below this ``|x|``, ``|x/√2| < 1.25`` and Φ(x) comes from erfc's
#: central fits; from it on, from the tail's exponential form.
_NDTR_CENTRAL = 1.7677669529663689


def _ndtr_central(x: F64) -> tuple[F64, F64]:
    """Φ(x) for ``2**-54 <= |x| < 1.25√2`` as an unrounded double-double ``hi + lo``.

    ``Φ(x) = erfc(z)/2`` at ``z = -x/√2``, which is not a double: ``z + dz`` carries it
    exactly to first order (TwoProduct with the double-double ``1/√2``), and since
    ``erfc(z + dz) = erfc(z) - erf'(z) dz + O(dz²)``, the ulp-sized ``erf'(z) dz`` joins
    erfc's compensated sum as a shift (its own rounding is far below an ulp of it).
    Relative error about 2**-57 (fdlibm's fits: 2**-57.9 absolute on ``R(z²)`` near 0,
    2**-59 on ``P/Q`` further out), so a single rounding of ``hi + lo`` is within about
    0.6 ulp, and a product formed from the pair is as accurate as Φ itself.
    """
    p, p_err = _product_exact(x, _SQRT1_2_HI)
    z, dz = -p, -(p_err + x * _SQRT1_2_LO)
    shift = _TWO_OVER_SQRT_PI * np.exp(-z * z) * dz
    hi = np.empty(x.shape)
    lo = np.empty(x.shape)
    near = np.abs(z) < 0.84375
    for part, erfc_minus in ((near, _erfc_near), (~near, _erfc_mid)):
        hi[part], lo[part] = erfc_minus(z[part], shift[part])
    # Halving is exact: hi + lo stays well above the subnormals (Φ(x) > 0.03 here).
    return 0.5 * hi, 0.5 * lo


def _normal_tail_exponent(t: F64) -> tuple[F64, F64, F64, F64, F64]:
    """``Φ(-t) = exp(a + b_hi + b_lo) · (g_hi + g_lo)`` for ``1.25√2 <= t <= 38.5``.

    ``Φ(-t) = erfc(t/√2)/2 = exp(-t²/2 + R(s)/S(s)) · K / t`` with fdlibm's tail fits
    ``R/S`` at ``s = 2/t²`` (fit error below 2**-61.5, absolute in the exponent, so
    relative in Φ) and ``K = exp(-0.5625)/√2``. ``t² = hi + lo`` exactly (TwoProduct), so
    the bulk ``a = -hi/2`` of the exponent is exact and the rest, ``b = R/S - lo/2``, is
    a small double-double; ``g = K/t`` is a double-double quotient. Nothing is rounded
    to a double yet: the caller evaluates the exponential (:func:`_exp_mul` here, an
    exponential in double-double for GELU) and the product.
    """
    hi, lo = _product_exact(t, t)
    s_hi, s_lo = _quotient(2.0, 0.0, hi, lo)
    # fdlibm picks its fit by the high word of the erfc argument fl(t/√2).
    r_hi, r_lo = _erfc_tail_log(s_hi, s_lo, _high_word(t * _SQRT1_2_HI), 0x4006DB6D)
    q_hi, q_lo = _quotient(_K_HI, _K_LO, t, 0.0)
    return -0.5 * hi, r_hi, r_lo - 0.5 * lo, q_hi, q_lo


def _normal_tail(t: F64) -> F64:
    """``Φ(-t)`` for ``1.25√2 <= t <= 38.5``: the form of :func:`_normal_tail_exponent`,
    the exponential and the product assembled by :func:`_exp_mul` (rounded about once)."""
    return _exp_mul(*_normal_tail_exponent(t))


def _ndtr_finite(x: F64) -> F64:
    out = np.empty(x.shape)
    central = np.abs(x) < _NDTR_CENTRAL
    lower = ~central & (x < 0)
    upper = ~central & (x > 0)
    out[central] = _rounded(_ndtr_central(x[central]))
    out[lower] = _normal_tail(-x[lower])
    out[upper] = 1.0 - _normal_tail(x[upper])
    return out


def ndtr(x: ArrayLike) -> F64:
    """The standard normal CDF, ``Φ(x) = P(N(0,1) <= x) = erfc(-x/√2)/2``, elementwise.

    Parameters
    ----------
    x : array_like
        Input, any shape.

    Returns
    -------
    ndarray of float64
        ``Φ(x)``, same shape, with small relative error for every ``x``: the lower tail
        is accurate down to the subnormals (``Φ(-37.5) ≈ 4.6e-308``) and rounds to 0
        only below ``x ≈ -38.49``. ``Φ(-inf) = 0``, ``Φ(inf) = 1``, NaN gives NaN.

    Notes
    -----
    The naive ``erfc(-x/√2)/2`` is not accurate: ``-x/√2`` is rounded, and erfc
    magnifies a relative error in its argument ``z`` by ``2z²`` and more (×3.8 at
    ``z = 1.25``, ×1500 at ``z = 27``). So:

    * ``z = -x/√2`` is carried as ``z + dz``, exactly to first order.
    * ``|z| < 1.25``: erfc at ``z`` as in :func:`erfc`, with the first-order
      correction ``-erf'(z) dz`` added to its terms before the single rounding.
    * ``|z| >= 1.25``, ``x < 0``: ``exp(-x²/2 + R(2/x²)/S(2/x²)) · K / |x|`` with
      fdlibm's tail fits ``R/S`` and ``K = exp(-0.5625)/√2``; the exponential is
      computed from the exact ``x² = hi + lo`` (see ``_normal_tail`` and ``_exp_mul``).
    * ``x > 0`` in that range: ``1 - Φ(-x)``; 1 from ``x = 8.5`` (``Φ(-8.5) < 2**-54``).
    * ``|x| < 2**-54``: 0.5 (the correctly rounded value); 0 below ``x = -38.5``.

    Accuracy: at most 0.90 ulp measured (see the module docstring), subnormal results
    included.
    """
    x = np.asarray(x, dtype=np.float64)
    return piecewise(
        x,
        [np.abs(x) < 2.0**-54, x < -38.5, x >= 8.5, ~np.isnan(x)],
        [0.5, 0.0, 1.0, _ndtr_finite],
    )


def _npdf_finite(x: F64) -> F64:
    hi, lo = _product_exact(x, x)
    return _exp_mul(-0.5 * hi, -0.5 * lo, 0.0, _INV_SQRT_2PI_HI, _INV_SQRT_2PI_LO)


def npdf(x: ArrayLike) -> F64:
    """The standard normal density, ``φ(x) = exp(-x²/2) / √(2π)``, elementwise.

    Parameters
    ----------
    x : array_like
        Input, any shape.

    Returns
    -------
    ndarray of float64
        ``φ(x)``, same shape: ``1/√(2π)`` at 0, subnormal beyond ``|x| ≈ 37.5``, 0
        beyond ``|x| ≈ 38.58`` and at ±inf. NaN gives NaN.

    Notes
    -----
    ``np.exp(-x*x/2)`` is not accurate for large ``|x|``: ``x*x`` is rounded, and an
    absolute error ``δ`` in the argument of exp is a relative error ``δ`` in the result,
    up to 2**-45 (about 180 ulp) at ``|x| = 38``. Here ``x² = hi + lo`` exactly
    (Dekker's product), ``-hi/2`` is an exact exponent, and
    ``φ(x) = exp(-hi/2 - lo/2) (c_hi + c_lo)`` with ``1/√(2π) = c_hi + c_lo`` is
    evaluated by ``_exp_mul``: ``exp`` split as ``2**k (1 + expm1(r))`` so that its
    rounding falls on a small quantity, the product in double-double, one final
    rounding. For ``|x| < 2**-29``, ``1/√(2π)`` rounded is the correctly rounded value.

    Accuracy: at most 0.81 ulp measured (see the module docstring), subnormal results
    included.
    """
    x = np.asarray(x, dtype=np.float64)
    ax = np.abs(x)
    return piecewise(
        x,
        [ax < 2.0**-29, ax >= 38.6, ~np.isnan(x)],
        [_INV_SQRT_2PI_HI, 0.0, _npdf_finite],
    )

"""Self-gated units: the input times a gate in [0, 1] computed from the input itself.

ReLU multiplies x by a hard 0-or-1 gate, ``1[x > 0]``. The functions here replace that
gate by a smooth (or piecewise linear) one that rises from 0 to 1, ``f(x) = x · g(x)``:

* :data:`gelu` gates by Φ(x), the probability that a standard normal variable is below
  x (Hendrycks and Gimpel's Gaussian Error Linear Unit, the default of BERT and GPT);
  its tanh approximation replaces Φ by a logistic curve in a cubic of x;
* :data:`silu` gates by the logistic sigmoid σ(βx) (SiLU, also called Swish);
* :data:`hard_swish` gates by the piecewise linear ``relu6(x + 3)/6`` (MobileNetV3);
* :data:`mish` gates by ``tanh(softplus(x))``.

Because the gate is still well above 0 for small negative x, these functions dip below
zero before returning to it: none is monotonic, each has a single minimum, and their
derivative is *not* bounded by 1: it overshoots to the right of 0 (to 1.129 for GELU at
x = √2, 1.100 for SiLU, 1.088 for Mish, and towards 1.5 just below 3 for hard swish).

Numerically, every value and derivative here is evaluated in double-double arithmetic
(the exponential, sums, products and quotients from ``_sigmoidal``, TwoSum and
TwoProduct from ``_special``) and rounded once, with three recurring points:

* *The negative tail.* ``x · g(x)`` with ``g(x) ≈ e^x`` must not be computed as
  ``x(1 + tanh(...))/2`` or ``x(1 + erf(...))/2``: ``1 + tanh u`` and ``1 + erf z`` lose
  every digit as ``u, z → -∞``. The gate is written so that it is a product of positive
  terms (``σ(y) = e^y/(1 + e^y)``, ``1 + tanh u = 2σ(2u)``), and the power of two of
  ``e^y`` is applied only at the end, so subnormal results are still rounded once.
* *The interior zero of the derivative.* At the minimum, ``f'(x) = g(x) + x g'(x)`` is a
  difference of two terms of size 0.2 to 0.3 that cancel; near it even double-double is
  not enough. There ``f'`` is evaluated from its Taylor series about the root, with the
  root stored to about 160 bits and the coefficients computed with mpmath
  (``mpmath.taylor`` at 70 digits), so the result keeps its relative accuracy right
  down to the double nearest the root.
* *Exact Φ.* The exact GELU needs Φ to better than an ulp, since ``x Φ(x)`` rounds
  once more: a rounded Φ (``ndtr``, within 0.9 ulp) gave up to 1.54 ulp. So Φ is a
  double-double ``2^k (h + l)`` with relative error below 2^-55 (``_normal_cdf_scaled``):
  fdlibm's erfc fits from ``_special`` left unrounded, a Taylor series on the band
  ``[-1.77, -1.19]`` where the fit ``erx + P/Q`` is too coarse for Φ ≈ 0.04, and the
  tail's exponential in double-double; φ is a double-double too. From ``x < -12`` on,
  where Φ(x) heads for the subnormals, GELU uses the Mills-ratio series
  ``x Φ(x) = -φ(x)(1 - 1/x² + 3/x⁴ - ...)`` instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
    unit_slope,
    zero_slope,
)
from ._sigmoidal import Exponent, _exp_dd, _real, _scale
from ._special import (
    DD,
    _NDTR_CENTRAL,
    _add,
    _div,
    _mul,
    _ndtr_central,
    _normal_tail,
    _normal_tail_exponent,
    _pair,
    two_product,
    two_sum,
)
from ._util import F64, piecewise

# --- shared helpers -----------------------------------------------------------------------

_ONE = _pair(1.0, 0.0)
_TWO = _pair(2.0, 0.0)
#: 1/√(2π) as a double-double (mpmath, 50 digits).
_INV_SQRT_2PI = _pair(0.3989422804014327, -2.49232720227773e-17)
#: Below this |argument| every gate here is its value at 0 to far below an ulp.
_TINY = 2.0**-60


def _dd(v: F64) -> DD:
    """A float64 array as an exact double-double."""
    return v, np.zeros(v.shape)


def _scale_or_zero(v: DD, power: Exponent) -> F64:
    """``2^power (hi + lo)`` rounded once (``_scale``), where ``|hi| < 4``; ±0 where
    ``power < -1100``, whose result is below half the smallest subnormal (``_scale``
    itself takes powers down to about -2000)."""
    gone = power < -1100
    return np.where(gone, 0.0 * v[0], _scale(v, np.where(gone, 0, power)))


def _exp_wide(a_hi: F64, a_lo: F64) -> tuple[DD, Exponent]:
    """``e^{a_hi + a_lo} = 2^k (h + l)`` for ``|a| <= 2200``: ``_exp_dd`` reaches 1100,
    and squaring ``e^{a/2}`` (halving is exact) doubles that, for products ``x · e^a``
    where x itself is huge (SiLU with a tiny β)."""
    half, k = _exp_dd(0.5 * a_hi, 0.5 * a_lo)
    return _mul(half, half), 2 * k


@dataclass(frozen=True)
class _RootSeries:
    """The Taylor series of a derivative about its interior root ``r``.

    ``root`` is ``r`` as a sum of three doubles (about 160 bits), so that ``t = y - r``
    is exact to far below an ulp of ``t`` even for the double nearest ``r``;
    ``leading`` are the first Taylor coefficients ``c_1, c_2, ...`` as double-doubles and
    ``rest`` the remaining ones, for ``|t| <= half_width``, where the first term left
    out is below 2^-64 of the result. The value is
    ``t (c_1 + t (c_2 + ...))``: the high-order terms by Horner in double, the leading
    ones in double-double, so only the final rounding matters.
    """

    root: tuple[float, float, float]
    half_width: float
    leading: tuple[tuple[float, float], ...]
    rest: tuple[float, ...]

    def near(self, y: F64) -> F64:
        """Where the series is used: ``|y - r| <= half_width``."""
        return np.abs(y - self.root[0]) <= self.half_width

    def __call__(self, y_hi: F64, y_lo: F64 | float = 0.0) -> F64:
        s, e = two_sum(y_hi, -self.root[0])  # exact
        a, b = two_sum(s, -self.root[1])
        t = two_sum(a, b + ((e + y_lo) - self.root[2]))
        tail = np.zeros(s.shape)
        for c in reversed(self.rest):
            tail = tail * t[0] + c
        p = _dd(tail)
        for hi, lo in reversed(self.leading):
            p = _add(_mul(p, t), _pair(hi, lo))
        return _mul(p, t)[0]


# -- GELU -----------------------------------------------------------------------------
# The exact GELU's derivative Φ(x) + xφ(x) about its root x ≈ -0.75179 (the minimiser).
# Outside about [-1.25, -0.25] the two terms cancel by less than a factor of 2 and the
# direct sum is accurate; inside, Φ's own rounding would be amplified, so the series
# covers a wide interval: degree 24 for |t| <= 0.5.
_GELU_SERIES = _RootSeries(
    root=(-0.7517915246935645, 1.4956759177009883e-17, 5.384040947833005e-34),
    half_width=0.5,
    leading=(
        (0.4314939923140469, 2.7308688141129613e-17),
        (0.388284982990552, 2.3344842362524718e-17),
        (-0.018199676398671087, 6.243663267436504e-20),
        (-0.1140082332972217, -2.4817360568307065e-18),
    ),
    rest=(
        -0.014771522148244337,
        0.019421679838189067,
        0.004539228379125415,
        -0.002239538068073497,
        -0.0007448268386746817,
        0.00018633974623233514,
        8.615947861116571e-05,
        -1.121438018842664e-05,
        -7.74846130700372e-06,
        4.3284506257392273e-07,
        5.702764979242107e-07,
        -1.6044265494246427e-09,
        -3.5459866461783865e-08,
        -1.396942086426202e-09,
        1.90319840501314e-09,
        1.4506418938779426e-10,
        -8.950037692726255e-11,
        -9.950340824808053e-12,
        3.725967039270119e-12,
        5.482292964742324e-13,
    ),
)
# The tanh form's derivative about its root x ≈ -0.75246. Its terms are double-double
# (no Φ is involved), so only a narrow band needs the series.
_GELU_TANH_SERIES = _RootSeries(
    root=(-0.7524614220710163, 3.635560509207687e-17, -2.5415595389660457e-33),
    half_width=0.03,
    leading=(
        (0.4304000910248585, 2.028254970529195e-17),
        (0.38751844613578895, -2.562359819429644e-17),
        (-0.01578285352184803, 1.190220487294302e-18),
        (-0.11394448308095899, 1.5859868624132521e-18),
    ),
    rest=(
        -0.01661932834305256,
        0.019682309459833118,
        0.005261059254921912,
        -0.0024227318458750974,
        -0.0009274420230205449,
        0.00026392764052681053,
        0.00012425227802639782,
    ),
)

#: From x = 9 on, Φ(x) > 1 - 2^-62 and xφ(x) < 2^-56: GELU is x and its slope 1.
_GELU_FLAT = 9.0
#: Below this, Φ is taken from its Mills-ratio series rather than from its
#: double-double form.
_GELU_TAIL = -12.0
#: Below this, |x|φ(x) < 2^-1100: both the value and the derivative round to -0.
_GELU_ZERO = -40.0
#: The tanh form: y = 2u reaches 87 at x = 10, where σ(y) is 1 to 2^-125.
_GELU_TANH_FLAT = 10.0
#: ... and -848 at x = -22.5, where |x| e^y and |x y'| e^y are below 2^-1200.
_GELU_TANH_ZERO = -22.5

#: √(2/π) doubled, and the tanh form's cubic coefficient 0.044715 (the decimal number
#: of the paper, not its nearest double) and three times it, as double-doubles.
_TWO_SQRT_2_OVER_PI = _pair(1.5957691216057308, -9.96930880911092e-17)
_GELU_A = _pair(0.044715, 2.1960211427085595e-18)
_GELU_3A = _pair(0.134145, 1.3526957332032908e-17)


def _phi(x: F64) -> tuple[DD, Exponent]:
    """``φ(x) = 2^k (h + l)`` for ``|x| <= 46``: ``x² = hi + lo`` exactly (TwoProduct),
    so the exponential sees the true ``-x²/2`` and not a rounded square."""
    sq_hi, sq_lo = two_product(x, x)
    e, k = _exp_dd(-0.5 * sq_hi, -0.5 * sq_lo)
    return _mul(e, _INV_SQRT_2PI), k


#: Φ(-9) < 2^-62.9: from x = 9 on, Φ(x) is 1 to far below an ulp of it.
_CDF_ONE = 9.0


def _normal_tail_dd(t: F64) -> tuple[DD, Exponent]:
    """``Φ(-t) = 2^k (h + l)`` for ``1.25√2 <= t <= 38.5``, relative error below 2^-58.

    ``_special`` gives ``Φ(-t) = exp(a + b) · g`` with the exponent ``a + b`` (``a`` the
    exact ``-t²/2``) and ``g = K/t`` as double-doubles; its own ``ndtr`` rounds
    ``expm1`` of reduced arguments up to 0.35 in plain double there, which costs up to
    0.4 ulp before the final rounding. Here the exponential is ``_exp_dd`` (table and
    polynomial in double-double, relative error near 2^-64), and the product with ``g``
    a double-double one, so the only errors left are fdlibm's fit (2^-61.5) and the last
    bits of the double-double steps (2^-58.3 measured at worst, near t = 1.77).
    """
    a, b_hi, b_lo, g_hi, g_lo = _normal_tail_exponent(t)
    e_hi, e_err = two_sum(a, b_hi)  # exact
    e, k = _exp_dd(e_hi, e_err + b_lo)
    return _mul(e, (g_hi, g_lo)), k


#: Φ about x = -1.478, ``Φ(-1.478 + t) = Σ_n c_n t^n`` (``c_n = Φ^(n)(-1.478)/n!``,
#: ``mpmath.taylor`` at 70 digits), for the band ``-1.25√2 < x <= -1.1875``
#: (``|t| <= 0.2905``), where erfc's central fit ``erx + P/Q`` is off by up to 2^-59
#: absolute, a third of an ulp of Φ(x) ≈ 0.04. The terms c_0..c_4 are double-doubles;
#: from c_5 on each term is below 2^-11.6 of Φ(x), so the rest is summed in double, and
#: the first term left out, ``c_20 t^20``, is below 2^-69 of Φ(x).
_CDF_MID_CENTER = -1.478
_CDF_MID_FROM = -1.1875
_CDF_MID_LEADING = (
    (0.06970388912141516, -5.634654766323005e-18),
    (0.1338305899198157, 4.427070039963712e-18),
    (0.0989008059507438, 3.490641557905082e-18),
    (0.026420032078430494, 1.040847531862948e-18),
    (-0.006721265805477232, 8.083998286591117e-20),
)
_CDF_MID_REST = (
    -0.005949810983863644,
    -0.00056946799829478,
    0.000588071731200955,
    0.00016966068072810287,
    -2.931158652052218e-05,
    -1.9413201885786766e-05,
    -2.1020768352026173e-07,
    1.4448065328726914e-06,
    1.7908572554969828e-07,
    -7.63556333173648e-08,
    -1.8609834270233285e-08,
    2.7349951694668134e-09,
    1.264061322871509e-09,
    -3.9212803637253186e-11,
    -6.588380092626064e-11,
)


def _normal_cdf_mid(x: F64) -> DD:
    """Φ(x) for ``-1.25√2 < x <= -1.1875`` as a double-double, relative error about
    2^-62, from its Taylor series about -1.478 (see ``_CDF_MID_LEADING``).

    ``t = x + 1.478`` is exact (Sterbenz's lemma: x is within a factor of 2 of the
    centre). Horner's rule runs in double over the small high-order terms and in
    double-double over the leading five, so that only the last bits of the pair are
    rounded.
    """
    t = x - _CDF_MID_CENTER
    tail = np.zeros(t.shape)
    for c in reversed(_CDF_MID_REST):
        tail = tail * t + c
    p = _dd(tail)
    for hi, lo in reversed(_CDF_MID_LEADING):
        p = _add(_mul(p, _dd(t)), _pair(hi, lo))
    return p


def _normal_cdf_scaled(x: F64) -> tuple[DD, Exponent]:
    """``Φ(x) = 2^k (h + l)`` for finite ``x >= -38.5``, to a relative error below 2^-55
    (2^-55.85 measured, in the range of fdlibm's fit ``R(z²)`` near 0), so that a
    product with Φ rounded once is within 0.5 + 0.25 ulp (0.57 measured for GELU).

    * ``|x| < 2^-54``: ``(1/2, 0)``; the next term, ``x/√(2π)``, is below a quarter ulp
      of ``x/2`` in any product ``x Φ(x)``, and leaving it out keeps ``x²`` (subnormal
      for tiny x) out of the arithmetic.
    * ``|x| < 1.25√2``: the double-double from erfc's central fits (``_ndtr_central``),
      ``k = 0``, except on ``[-1.25√2, -1.1875]``, where ``erx + P/Q`` is off by up to
      0.34 × 2^-53 of Φ ≈ 0.04: there the Taylor series :func:`_normal_cdf_mid`.
    * ``x <= -1.25√2``: the tail form (:func:`_normal_tail_dd`), its power of two kept
      apart so that Φ(-38) ≈ 3e-316 keeps its full precision.
    * ``x >= 1.25√2``: ``1 - Φ(-x)`` in double-double, exact up to the error of the much
      smaller ``Φ(-x)``, for which ``ndtr``'s tail (0.9 ulp of ``Φ(-x) < 0.039``) is
      accurate enough; ``(1, 0)`` from x = 9 on.
    """
    h = np.empty(x.shape)
    l = np.empty(x.shape)
    k = np.zeros(x.shape, dtype=np.int32)
    ax = np.abs(x)
    tiny = ax < 2.0**-54
    inner = ax < _NDTR_CENTRAL
    mid = inner & (x <= _CDF_MID_FROM)
    central = inner & ~tiny & ~mid
    one = x >= _CDF_ONE
    lower = ~inner & (x < 0)
    upper = ~inner & (x > 0) & (x < _CDF_ONE)
    h[tiny], l[tiny] = 0.5, 0.0
    h[one], l[one] = 1.0, 0.0
    h[central], l[central] = _ndtr_central(x[central])
    h[mid], l[mid] = _normal_cdf_mid(x[mid])
    (h[lower], l[lower]), k[lower] = _normal_tail_dd(-x[lower])
    # 1 - Φ(-x) is exact in double-double, and Φ(-x) < 2^-4.7 needs no more than its
    # rounded value from ndtr's cheaper exponential: 0.9 of its ulp (2^-57) is below
    # 2^-57 of Φ(x) > 0.96.
    h[upper], l[upper] = two_sum(1.0, -_normal_tail(x[upper]))
    return (h, l), k


def _normal_cdf(x: F64) -> DD:
    """Φ(x) as a double-double (relative error below 2^-55) for ``-12 <= x < 9``, where
    ``Φ(x) > 1e-33`` and both parts of the pair are normal numbers."""
    (h, l), k = _normal_cdf_scaled(x)
    return np.ldexp(h, k), np.ldexp(l, k)


#: ``(-1)^m (2m+1)!!`` for m = 0..19: the Mills series ``S = 1 - z Σ_m c_m z^m``.
_MILLS = tuple(float((-1) ** m * math.prod(range(1, 2 * m + 2, 2))) for m in range(20))


def _mills_tail(x: F64) -> F64:
    """``w = z Σ_m (-1)^m (2m+1)!! z^m`` at ``z = 1/x²``, so that the (divergent but
    enveloping) Mills series is ``S(x) = |x| Φ(-|x|)/φ(x) = 1 - w``. For ``|x| >= 12``
    the first term left out, ``39!! z^21``, is below 2^-67 of S, and it bounds the error."""
    z = 1.0 / (x * x)
    p = np.zeros(x.shape)
    for c in reversed(_MILLS):
        p = p * z + c
    return z * p


def _gelu_exact(x: F64) -> F64:
    r"""``x Φ(x)``: x itself from 9 on; down to -12, ``x Φ(x)`` with Φ a double-double
    (:func:`_normal_cdf_scaled`, relative error below 2^-55) and the product in
    double-double, rounded once (within 0.57 ulp measured: a rounded Φ times x would
    round twice, and ``ndtr``'s own error of up to 0.9 ulp came on top, 1.54 ulp at
    x = -1.83); below, the Mills series, ``-φ(x) S(x)`` with φ in double-double, rounded
    once, subnormal results included; -0 below -40."""

    def middle(v: F64) -> F64:
        cdf, k = _normal_cdf_scaled(v)
        # Φ(-12) ≈ 2^-109, so 2^k x Φ(x) is a normal number: _scale rounds it once.
        return _scale(_mul(_dd(v), cdf), k)

    def tail(v: F64) -> F64:
        phi, k = _phi(v)
        return -_scale(_mul(phi, two_sum(1.0, -_mills_tail(v))), k)

    return piecewise(
        x,
        [x >= _GELU_FLAT, x >= _GELU_TAIL, x >= _GELU_ZERO, x < _GELU_ZERO],
        [lambda v: v.copy(), middle, tail, -0.0],
    )


def _gelu_exact_derivative(x: F64) -> F64:
    r"""``Φ(x) + xφ(x)``, with ``xφ(x)`` in double-double and one rounding of the sum.

    Near the root (the series above) the sum cancels; below -12 it is
    ``-|x| φ(x) (1 - S(x)/x²)``, where nothing cancels (``S/x² < 2^-9``)."""

    def middle(v: F64) -> F64:
        phi, k = _phi(v)
        x_phi = _mul(_dd(v), phi)
        # φ(x) > 1e-32 here, so 2^k times either part is a normal number.
        return _add(_normal_cdf(v), (np.ldexp(x_phi[0], k), np.ldexp(x_phi[1], k)))[0]

    def tail(v: F64) -> F64:
        phi, k = _phi(v)
        # S/x² = z(1 - w) with z = 1/x² and w = z P(z): 1 - S/x² = 1 + z(w - 1).
        z = 1.0 / (v * v)
        one_minus = two_sum(1.0, z * (_mills_tail(v) - 1.0))
        return -_scale(_mul(_mul(phi, _dd(-v)), one_minus), k)

    return piecewise(
        x,
        [
            x >= _GELU_FLAT,
            _GELU_SERIES.near(x),
            x >= _GELU_TAIL,
            x >= _GELU_ZERO,
            x < _GELU_ZERO,
        ],
        [1.0, _GELU_SERIES, middle, tail, -0.0],
    )


def _tanh_gelu_arguments(x: F64) -> tuple[DD, DD]:
    """``y = 2u = 2√(2/π) x (1 + a x²)`` and ``q = x y' = 2√(2/π) x (1 + 3a x²)`` in
    double-double (|x| <= 22.5, so nothing overflows)."""
    sq = two_product(x, x)
    cx = _mul(_TWO_SQRT_2_OVER_PI, _dd(x))
    return _mul(cx, _add(_ONE, _mul(_GELU_A, sq))), _mul(cx, _add(_ONE, _mul(_GELU_3A, sq)))


def _gelu_tanh(x: F64) -> F64:
    r"""``½x(1 + tanh u) = x σ(2u)``: ``x/(1 + e^{-y})`` for ``x >= 0`` and
    ``x e^y/(1 + e^y)`` below, with ``y = 2u`` in double-double. No ``1 + tanh u`` that
    cancels as u → -∞, and no ``x³`` that overflows: from x = 10 the value is x, below
    -22.5 it is -0 (fairseq#2235: in float16 the cubic overflows and gives NaN)."""

    def right(v: F64) -> F64:
        y, _ = _tanh_gelu_arguments(v)
        t, k = _exp_dd(-y[0], -y[1])
        return _div(_dd(v), _add(_ONE, _real(t, k)))[0]

    def left(v: F64) -> F64:
        y, _ = _tanh_gelu_arguments(v)
        s, k = _exp_dd(y[0], y[1])
        return _scale(_div(_mul(_dd(v), s), _add(_ONE, _real(s, k))), k)

    return piecewise(
        x,
        [
            x >= _GELU_TANH_FLAT,
            np.abs(x) < _TINY,  # x(1/2 + y/4) rounds to x/2
            x >= 0,
            x >= _GELU_TANH_ZERO,
            x < _GELU_TANH_ZERO,
        ],
        [lambda v: v.copy(), lambda v: 0.5 * v, right, left, -0.0],
    )


def _gelu_tanh_derivative(x: F64) -> F64:
    r"""``σ(y) + x y' σ(y) σ(-y)``: ``(1 + t(1 + q))/(1 + t)²`` with ``t = e^{-y}`` for
    ``x >= 0``, ``s(1 + s + q)/(1 + s)²`` with ``s = e^y`` below (``q = x y'``); the
    series near the root, where ``1 + s + q`` cancels."""

    def right(v: F64) -> F64:
        y, q = _tanh_gelu_arguments(v)
        t, k = _exp_dd(-y[0], -y[1])
        t = _real(t, k)
        d = _add(_ONE, t)
        return _div(_add(_ONE, _mul(t, _add(_ONE, q))), _mul(d, d))[0]

    def left(v: F64) -> F64:
        y, q = _tanh_gelu_arguments(v)
        s, k = _exp_dd(y[0], y[1])
        s_real = _real(s, k)
        d = _add(_ONE, s_real)
        return _scale(_div(_mul(s, _add(_add(_ONE, q), s_real)), _mul(d, d)), k)

    return piecewise(
        x,
        [
            x >= _GELU_TANH_FLAT,
            np.abs(x) < _TINY,  # 1/2 + (y + q)/4 rounds to 1/2
            _GELU_TANH_SERIES.near(x),
            x >= 0,
            x >= _GELU_TANH_ZERO,
            x < _GELU_TANH_ZERO,
        ],
        [1.0, 0.5, _GELU_TANH_SERIES, right, left, -0.0],
    )


def _gelu(x: F64, approximate: str) -> F64:
    return _gelu_tanh(x) if approximate == "tanh" else _gelu_exact(x)


def _gelu_derivative(x: F64, approximate: str) -> F64:
    return _gelu_tanh_derivative(x) if approximate == "tanh" else _gelu_exact_derivative(x)


gelu = Activation(
    name="gelu",
    display_name="GELU",
    summary="x·Φ(x): the input weighted by the probability that a standard normal is below it.",
    family="self-gated",
    kernel=_gelu,
    derivative_kernel=_gelu_derivative,
    latex=(
        r"f(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt 2}\right)"
        r" \quad\text{or, approximately,}\quad \frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}"
        r"\,(x + 0.044715\,x^3)\right)\right)"
    ),
    derivative_latex=(
        r"f'(x) = \Phi(x) + x\,\varphi(x), \quad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}"
        r" \quad\text{or, for the tanh form,}\quad \sigma(y) + x\,y'\,\sigma(y)\,\sigma(-y),"
        r" \; y = 2\sqrt{2/\pi}\,(x + 0.044715\,x^3)"
    ),
    params=(
        Param(
            "approximate",
            "none",
            "'none' computes x·Φ(x); 'tanh' computes the tanh approximation (at most"
            " 4.8e-4 away from it) as a function in its own right, just as exactly.",
            kind="choice",
            choices=("none", "tanh"),
        ),
    ),
    properties=Properties(
        range=Interval(-0.16997120747990366, math.inf, low_closed=True),
        monotonic=False,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="left",
        self_gated=True,
    ),
    origin=Origin(
        authors="D. Hendrycks and K. Gimpel",
        year=2016,
        title="Gaussian Error Linear Units (GELUs)",
        venue="arXiv:1606.08415",
        url="https://arxiv.org/abs/1606.08415",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.gelu",
            defaults="approximate='none'",
            notes=(
                "Also torch.nn.GELU. The exact form is computed as x/2·(1 + erf(x/√2)), and"
                " 1 + erf cancels in the left tail: in float64 GELU(-8) comes out as"
                " -4.88e-15 instead of -4.98e-15, and from about x = -8.4 on the result is"
                " exactly 0 (GELU(-9) is -1.0e-18). With approximate='tanh' the cubic"
                " overflows for huge |x| and the float64 gradient at x = 1e200 is NaN."
            ),
        ),
        FrameworkName(
            "JAX",
            "jax.nn.gelu",
            defaults="approximate=True",
            notes=(
                "The default is the tanh approximation, unlike PyTorch and TensorFlow:"
                " a model ported between them changes silently (jax-ml/jax#4428; for"
                " example google/gemma_pytorch#33). Pass approximate=False for x·Φ(x)."
            ),
        ),
        FrameworkName(
            "Keras 3",
            "keras.activations.gelu",
            defaults="approximate=False",
            notes="keras.ops.gelu is the same function with the opposite default,"
            " approximate=True.",
        ),
        FrameworkName(
            "TensorFlow",
            "tf.nn.gelu",
            defaults="approximate=False",
            notes="Same as here: the exact form unless approximate=True.",
        ),
    ),
    cost="1 erfc + 1 exp (exact); 1 exp (tanh)",
    test_params=({"approximate": "tanh"},),
)


# -- SiLU / Swish -----------------------------------------------------------------------
# SiLU's derivative depends on x only through y = βx: σ(y)(1 + y σ(-y)). Its root
# y ≈ -1.27846 is where 1 + y + e^y cancels; double-double keeps the error there near
# 2^-64 of the terms, so only a narrow band needs the series.
_SILU_SERIES = _RootSeries(
    root=(-1.2784645427610737, -1.0946994183093437e-16, -3.907766676128665e-33),
    half_width=0.03,
    leading=(
        (0.2178117057198001, -3.974332795880862e-18),
        (0.1466487969969469, -1.1662011480926915e-17),
        (0.018874814223782312, 1.106970621401302e-18),
        (-0.015222655223188032, 4.69839224577196e-19),
    ),
    rest=(
        -0.006606589138356696,
        0.000126627410081122,
        0.0007985218818397998,
        0.00018570724361186496,
        -4.090534237428612e-05,
        -2.9733542213263917e-05,
    ),
)
#: From y = βx = 40 on, x σ(y) rounds to x (e^-40 < 2^-57).
_SILU_FLAT = 40.0
#: From y = 48 on, f' = 1 + (y - 1)e^{-y} + ... rounds to 1.
_SILU_SLOPE_FLAT = 48.0
#: Below y = -2200, |x| e^y < 2^1024 e^-2200: the value rounds to -0 for every double x.
_SILU_ZERO = -2200.0
#: Below y = -1100, |y| e^y is far below the subnormals: the derivative rounds to -0.
_SILU_SLOPE_ZERO = -1100.0


def _silu(x: F64, beta: float) -> F64:
    r"""``x σ(βx)`` with ``y = βx`` exact in double-double (TwoProduct): ``x/(1 + e^{-y})``
    for ``y >= 0``; for ``y < 0``, ``x e^y/(1 + e^y)`` with ``x = m 2^e`` and
    ``e^y = 2^k (h + l)`` kept apart until the final scaling by ``2^{e+k}``, so a huge x
    (small β) times a tiny ``e^y`` is still a normal number, and a subnormal result is
    rounded once. The exponential never sees a rounded βx, whose error it would amplify
    by |βx|."""
    y = two_product(beta, x)[0]

    def right(v: F64) -> F64:
        y_hi, y_lo = two_product(beta, v)
        t, k = _exp_dd(-y_hi, -y_lo)
        return _div(_dd(v), _add(_ONE, _real(t, k)))[0]

    def left(v: F64) -> F64:
        s, k = _exp_wide(*two_product(beta, v))
        m, e = np.frexp(v)
        return _scale_or_zero(_div(_mul(_dd(m), s), _add(_ONE, _real(s, k))), k + e)

    return piecewise(
        x,
        [np.abs(y) < _TINY, y >= _SILU_FLAT, y >= 0, y > _SILU_ZERO, y <= _SILU_ZERO],
        [lambda v: 0.5 * v, lambda v: v.copy(), right, left, -0.0],
    )


def _silu_derivative(x: F64, beta: float) -> F64:
    r"""``σ(y)(1 + y σ(-y))`` at ``y = βx`` (exact): ``(1 + t(1 + y))/(1 + t)²`` with
    ``t = e^{-y}`` for ``y >= 0`` (all terms positive) and ``s(1 + s + y)/(1 + s)²`` with
    ``s = e^y`` below, scaled by the power of two of ``e^y`` only at the end, so the tail
    ``≈ y e^y`` keeps its relative accuracy into the subnormals; the Taylor series about
    the root where ``1 + s + y`` cancels."""
    y = two_product(beta, x)[0]

    def series(v: F64) -> F64:
        return _SILU_SERIES(*two_product(beta, v))

    def right(v: F64) -> F64:
        y_dd = two_product(beta, v)
        t, k = _exp_dd(-y_dd[0], -y_dd[1])
        t = _real(t, k)
        d = _add(_ONE, t)
        return _div(_add(_ONE, _mul(t, _add(_ONE, y_dd))), _mul(d, d))[0]

    def left(v: F64) -> F64:
        y_dd = two_product(beta, v)
        s, k = _exp_dd(*y_dd)
        s_real = _real(s, k)
        d = _add(_ONE, s_real)
        return _scale(_div(_mul(s, _add(_add(_ONE, y_dd), s_real)), _mul(d, d)), k)

    return piecewise(
        x,
        [
            np.abs(y) < _TINY,  # 1/2 + y/2 rounds to 1/2
            y >= _SILU_SLOPE_FLAT,
            _SILU_SERIES.near(y),
            y >= 0,
            y > _SILU_SLOPE_ZERO,
            y <= _SILU_SLOPE_ZERO,
        ],
        [0.5, 1.0, series, right, left, -0.0],
    )


silu = Activation(
    name="silu",
    display_name="SiLU (Swish)",
    summary="x·σ(βx): the input gated by its own sigmoid (SiLU at β = 1, Swish in general).",
    family="self-gated",
    kernel=_silu,
    derivative_kernel=_silu_derivative,
    latex=r"f(x) = x\,\sigma(\beta x) = \frac{x}{1 + e^{-\beta x}}",
    derivative_latex=(
        r"f'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\bigl(1 - \sigma(\beta x)\bigr)"
    ),
    params=(
        Param(
            "beta",
            1.0,
            "Sharpness of the gate: β → ∞ approaches ReLU, β → 0 the line x/2.",
            latex=r"\beta",
            minimum=0.0,
            minimum_exclusive=True,
            slider=(0.1, 5.0),
        ),
    ),
    properties=Properties(
        range=Interval(
            -0.2784645427610738, math.inf, low_closed=True, low_latex=r"-0.278465/\beta"
        ),
        monotonic=False,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="left",
        self_gated=True,
    ),
    origin=Origin(
        authors="D. Hendrycks and K. Gimpel",
        year=2016,
        title="Gaussian Error Linear Units (GELUs)",
        venue="arXiv:1606.08415, which introduced x·σ(x) as the SiLU; also S. Elfwing,"
        " E. Uchibe and K. Doya, arXiv:1702.03118 (2017), and, as Swish with β,"
        " P. Ramachandran, B. Zoph and Q. V. Le, arXiv:1710.05941 (2017)",
        url="https://arxiv.org/abs/1606.08415",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.silu",
            defaults="no β (β = 1)",
            notes="Also torch.nn.SiLU.",
        ),
        FrameworkName(
            "JAX", "jax.nn.silu", defaults="no β (β = 1)", notes="jax.nn.swish is an alias."
        ),
        FrameworkName(
            "Keras 3",
            "keras.activations.silu",
            defaults="no β (β = 1)",
            notes="keras.activations.swish is an alias; also keras.ops.silu.",
        ),
        FrameworkName(
            "TensorFlow",
            "tf.nn.silu",
            defaults="beta=1.0",
            notes="tf.nn.swish is an alias; the only one of the four with a β parameter.",
        ),
    ),
    aliases=("swish",),
    cost="1 exp",
    test_params=({"beta": 0.5}, {"beta": 2.0}),
)


# -- hard swish -----------------------------------------------------------------------
def _hard_swish(x: F64) -> F64:
    r"""``x (x + 3)/6`` on (-3, 3), rounded once: ``x + 3`` exact by TwoSum, the product
    in double-double, the division by 6 corrected by its remainder. 0 up to -3, x from
    3 on."""

    def middle(v: F64) -> F64:
        return _div(_mul(_dd(v), two_sum(v, 3.0)), _pair(6.0, 0.0))[0]

    return piecewise(
        x,
        [x <= -3.0, x >= 3.0, np.abs(x) < 3.0],
        [0.0, lambda v: v.copy(), middle],
    )


def _hard_swish_derivative(x: F64) -> F64:
    r"""``(2x + 3)/6`` on (-3, 3), rounded once (``2x + 3`` exact by TwoSum); 0 at and
    below -3, 1 at and above 3 (PyTorch's backward since 2025)."""

    def middle(v: F64) -> F64:
        return _div(two_sum(2.0 * v, 3.0), _pair(6.0, 0.0))[0]

    return piecewise(x, [x <= -3.0, x >= 3.0, np.abs(x) < 3.0], [0.0, 1.0, middle])


_HARD_SWISH_HISTORY = (
    " Until 2025 PyTorch's backward returned the inner formula's values there, x/3 + 1/2,"
    " that is -0.5 at -3 and 1.5 at 3 (pytorch/pytorch#87778, #136345, #147801; changed"
    " by PRs #143899 and #148049)."
)

hard_swish = Activation(
    name="hard_swish",
    display_name="Hard swish",
    summary="x·relu6(x + 3)/6: SiLU with the sigmoid replaced by a piecewise linear ramp.",
    family="self-gated",
    kernel=_hard_swish,
    derivative_kernel=_hard_swish_derivative,
    latex=(
        r"f(x) = x\,\frac{\operatorname{ReLU6}(x + 3)}{6} = \begin{cases} 0, & x \le -3 \\"
        r" \frac{x(x + 3)}{6}, & -3 < x < 3 \\ x, & x \ge 3 \end{cases}"
    ),
    derivative_latex=(
        r"f'(x) = \begin{cases} 0, & x < -3 \\ \frac{2x + 3}{6}, & -3 < x < 3 \\"
        r" 1, & x > 3 \end{cases}"
    ),
    properties=Properties(
        range=Interval(-0.375, math.inf, low_closed=True),
        monotonic=False,
        continuity=0,
        zero_centred=True,
        saturating="left",
        self_gated=True,
    ),
    kinks=(
        Kink(
            points=lambda p: [-3.0],
            value=zero_slope,
            point_latex="x = -3",
            value_latex="0",
            note=(
                "The slope from the left (0), as PyTorch now returns. JAX builds the"
                " function as x · relu6(x + 3)/6, and relu6's gradient is 0 at its corners,"
                " so it agrees." + _HARD_SWISH_HISTORY
            ),
        ),
        Kink(
            points=lambda p: [3.0],
            value=unit_slope,
            point_latex="x = 3",
            value_latex="1",
            note=(
                "The slope from the right (1), as PyTorch now returns. JAX agrees: the gate"
                " relu6(x + 3)/6 has gradient 0 at its corner." + _HARD_SWISH_HISTORY
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
            "torch.nn.functional.hardswish",
            notes="Also torch.nn.Hardswish.",
        ),
        FrameworkName(
            "JAX",
            "jax.nn.hard_silu",
            notes="jax.nn.hard_swish is an alias; computed as x · relu6(x + 3)/6.",
        ),
        FrameworkName(
            "Keras 3",
            "keras.activations.hard_silu",
            notes="keras.activations.hard_swish is an alias; also keras.ops.hard_silu.",
        ),
        FrameworkName(
            "TensorFlow",
            "",
            notes=(
                "No tf.nn version; from TensorFlow 2.16, tf.keras is Keras 3 and has"
                " tf.keras.activations.hard_silu."
            ),
        ),
    ),
    aliases=("hard_silu", "h_swish"),
    cost="1 addition, 1 multiplication, 1 division, 2 comparisons",
)


# -- Mish -----------------------------------------------------------------------------
# Mish's derivative about its root x ≈ -1.19243; as for SiLU, a narrow band.
_MISH_SERIES = _RootSeries(
    root=(-1.1924312145154952, -4.8484829848031044e-17, -1.898915114090381e-33),
    half_width=0.03,
    leading=(
        (0.2669479140495345, 1.5332816617135587e-17),
        (0.20473126408010586, 3.823755128643401e-18),
        (0.04190782104360987, 2.543705233722094e-18),
        (-0.020271822716684245, -1.0865826138465654e-18),
    ),
    rest=(
        -0.01582112656173338,
        -0.0033606849270232685,
        0.0010924055409445854,
        0.0009898181021289196,
        0.00025412936386191073,
        -4.1961496031696126e-05,
        -5.582891567360688e-05,
    ),
)
#: From x = 20 on, tanh(softplus x) > 1 - 2^-56: Mish rounds to x.
_MISH_FLAT = 20.0
#: From x = 24 on, f' = 1 + (4x - 2)e^{-2x} + ... rounds to 1.
_MISH_SLOPE_FLAT = 24.0
#: Below x = -760, |x| e^x < 2^-1085: value and derivative round to -0.
_MISH_ZERO = -760.0


def _three_fifths(x: F64) -> F64:
    """``3x/5`` rounded once: ``3x`` exact by TwoProduct, the division corrected."""
    return _div(two_product(x, 3.0), _pair(5.0, 0.0))[0]


def _mish(x: F64) -> F64:
    r"""``x tanh(softplus x)`` without tanh or log: with ``w = 1 + e^x``,
    ``tanh(log w) = (w² - 1)/(w² + 1)``, which is ``(1 + 2t)/(1 + 2t + 2t²)`` with
    ``t = e^{-x}`` for ``x >= 0`` and ``s(s + 2)/(s(s + 2) + 2)`` with ``s = e^x`` below:
    sums of positive terms only, in double-double, the power of two of ``s`` applied at
    the end. ``3x/5`` rounded once for tiny x (``tanh(log 2) = 3/5``)."""

    def right(v: F64) -> F64:
        t, k = _exp_dd(-v, np.zeros(v.shape))
        t = _real(t, k)
        num = _add(_ONE, _add(t, t))
        return _mul(_dd(v), _div(num, _add(num, _add(_mul(t, t), _mul(t, t)))))[0]

    def left(v: F64) -> F64:
        s, k = _exp_dd(v, np.zeros(v.shape))
        s_plus_2 = _add(_real(s, k), _TWO)
        n = _mul(_real(s, k), s_plus_2)  # (1 + s)² - 1
        return _scale(_mul(_dd(v), _div(_mul(s, s_plus_2), _add(n, _TWO))), k)

    return piecewise(
        x,
        [x >= _MISH_FLAT, np.abs(x) < _TINY, x >= 0, x >= _MISH_ZERO, x < _MISH_ZERO],
        [lambda v: v.copy(), _three_fifths, right, left, -0.0],
    )


def _mish_derivative(x: F64) -> F64:
    r"""``tanh(sp) + x σ(x) sech²(sp)`` (``sp = softplus x``) as one fraction in
    ``s = e^x``, with ``n = s(s + 2)``: ``s((s + 2)(n + 2) + 4x(1 + s))/(n + 2)²``; for
    ``x >= 0`` the same divided through by ``s⁴``, in ``t = e^{-x}``:
    ``((1 + 2t)(1 + 2t + 2t²) + 4x t²(1 + t))/(1 + 2t + 2t²)²``, all terms positive.
    The series about the root, where ``(s + 2)(n + 2) + 4x(1 + s)`` cancels."""

    def right(v: F64) -> F64:
        t, k = _exp_dd(-v, np.zeros(v.shape))
        t = _real(t, k)
        a = _add(_ONE, _add(t, t))
        t2 = _mul(t, t)
        b = _add(a, _add(t2, t2))
        four_x = _dd(4.0 * v)
        num = _add(_mul(a, b), _mul(_mul(four_x, t2), _add(_ONE, t)))
        return _div(num, _mul(b, b))[0]

    def left(v: F64) -> F64:
        s, k = _exp_dd(v, np.zeros(v.shape))
        s_real = _real(s, k)
        s_plus_2 = _add(s_real, _TWO)
        n_plus_2 = _add(_mul(s_real, s_plus_2), _TWO)
        bracket = _add(_mul(s_plus_2, n_plus_2), _mul(_dd(4.0 * v), _add(_ONE, s_real)))
        return _scale(_div(_mul(s, bracket), _mul(n_plus_2, n_plus_2)), k)

    return piecewise(
        x,
        [
            x >= _MISH_SLOPE_FLAT,
            np.abs(x) < _TINY,  # 3/5 + 16x/25 rounds to 3/5
            _MISH_SERIES.near(x),
            x >= 0,
            x >= _MISH_ZERO,
            x < _MISH_ZERO,
        ],
        [1.0, 0.6, _MISH_SERIES, right, left, -0.0],
    )


mish = Activation(
    name="mish",
    display_name="Mish",
    summary="x·tanh(softplus(x)): a smooth self-gated unit close to SiLU, with a deeper dip.",
    family="self-gated",
    kernel=_mish,
    derivative_kernel=_mish_derivative,
    latex=(
        r"f(x) = x \tanh\bigl(\operatorname{softplus}(x)\bigr)"
        r" = x \tanh\bigl(\log(1 + e^{x})\bigr)"
    ),
    derivative_latex=(
        r"f'(x) = \tanh\bigl(\operatorname{softplus}(x)\bigr) + x\,\sigma(x)"
        r"\operatorname{sech}^2\bigl(\operatorname{softplus}(x)\bigr)"
    ),
    properties=Properties(
        range=Interval(-0.30884341301725043, math.inf, low_closed=True),
        monotonic=False,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="left",
        self_gated=True,
    ),
    origin=Origin(
        authors="D. Misra",
        year=2019,
        title="Mish: A Self Regularized Non-Monotonic Activation Function",
        venue="arXiv:1908.08681; BMVC 2020",
        url="https://arxiv.org/abs/1908.08681",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.mish",
            notes=(
                "Also torch.nn.Mish. In float16 its results have been reported to differ"
                " markedly from a NumPy reference (pytorch/pytorch#174775)."
            ),
        ),
        FrameworkName("JAX", "jax.nn.mish"),
        FrameworkName("Keras 3", "keras.activations.mish"),
        FrameworkName(
            "TensorFlow",
            "tf.keras.activations.mish",
            notes="No tf.nn version; the Keras activation, as tf.keras.activations.mish.",
        ),
    ),
    cost="1 exp",
)


#: The records of this module, in teaching order.
RECORDS = (gelu, silu, hard_swish, mish)

r"""Periodic and radial activations: the Gaussian bump, sine, cosine, sinc and Snake.

These functions do not saturate into a rectifier-like shape; they respond to *where*
the input is rather than to how large it is.

* The **Gaussian** :math:`e^{-x^2}` is the radial basis function: a unit fires for
  inputs near its centre and is silent far from it. Radial-basis-function networks are
  built from it, and D. Sheehan's visual catalogue of activations lists it beside sine,
  cosine and sinc.
* **Sine** and **cosine** make a unit periodic; networks with sine activations
  represent oscillating signals and fine detail that ReLU networks blur. They are
  the basis of sinusoidal representation networks and of Fourier features.
* **Sinc**, :math:`\sin(x)/x`, is a decaying oscillation with a peak of 1 at 0, the
  ideal low-pass filter's impulse response.
* **Snake**, :math:`x + \sin^2(ax)/a`, adds a periodic ripple to the identity. It
  never decreases, keeps ReLU-like growth for extrapolation and, unlike a network of
  tanh or ReLU units, can extrapolate a periodic signal. It is used in audio models
  (neural vocoders) for that reason.

Exactness needs care in four places, all handled here in double-double arithmetic
(two doubles carrying about 106 bits):

1. ``x²`` rounds, and ``exp(-x²)`` multiplies that relative error by ``x²`` (about
   750 at the bottom of the normal range). The square is therefore kept exactly as
   ``h + l`` (TwoProduct) and the exponential assembled from ``expm1`` of the reduced
   argument.
2. ``sin(x)`` and ``cos(x)`` need ``x mod π/2`` to full relative precision, and
   sinc's derivative and Snake need it to twice that (NumPy's ``sin``/``cos`` are 8 ulp
   off at the double closest to a multiple of π/2). The remainder is computed in
   double-double: by Cody and Waite's three-piece subtraction below 2**19, and above by
   exact integer arithmetic on the bits of ``2/π`` (the Payne–Hanek reduction, the
   method of fdlibm's ``__kernel_rem_pio2``). Sine and cosine of the remainder come
   from their Taylor series in double-double.
3. Sinc's derivative ``(x cos x - sin x)/x²`` vanishes at 0 and wherever ``tan x = x``
   (``x ≈ 4.4934, 7.7253, …``): there the two terms cancel, which plain double
   arithmetic turns into large relative errors. In double-double the cancellation
   costs nothing visible.
4. Snake's derivative ``1 + sin(2ax)`` touches 0 whenever ``sin(2ax) = -1``; again only
   a doubly precise ``sin`` gives its small values correctly. And ``ax`` rounds: the
   exact product is kept as ``p + e`` and both parts are reduced.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from ._core import SMOOTH, Activation, FrameworkName, Interval, Origin, Param, Properties
from ._special import DD, two_product, two_sum
from ._util import F64, piecewise

Int64 = NDArray[np.int64]


# -- double-double arithmetic ------------------------------------------------------------
# Cheaper than the package's helpers (_special: _add, _mul, _div), which renormalise with
# the checked TwoSum: here every operand is finite, and with FastTwoSum's 3 flops sin,
# cos, sinc and snake take 1/1.2 of the time they take with those helpers (1e5 float64
# inputs, both ways in one run).
def _fast_two_sum(a: F64, b: F64) -> DD:
    # Dekker's FastTwoSum: a + b as s + err exactly, given |a| >= |b|.
    s = a + b
    return s, b - (s - a)


def _dd_add(a: DD, b: DD | tuple[float, float]) -> DD:
    s, e = two_sum(a[0], b[0])
    return _fast_two_sum(s, e + (a[1] + b[1]))


def _dd_mul(a: DD, b: DD | tuple[float, float]) -> DD:
    p, e = two_product(a[0], b[0])
    return _fast_two_sum(p, e + (a[0] * b[1] + a[1] * b[0]))


def _dd_div(a: DD, b: F64 | float) -> DD:
    # One correction step: q0 = a/b, then the remainder a - q0·b is formed exactly
    # (TwoProduct; a_hi - p is exact since p is within an ulp of a_hi).
    q0 = a[0] / b
    p, e = two_product(q0, b)
    return _fast_two_sum(q0, (((a[0] - p) - e) + a[1]) / b)


def _dd_poly(u: DD, coefficients: Sequence[tuple[float, float]], exact_terms: int) -> DD:
    """Horner's rule for ``sum(c[k] * u**k)``: the first ``exact_terms`` terms in
    double-double, the rest (each below 2**-55 of the sum) in plain double."""
    tail = np.full_like(u[0], coefficients[-1][0])
    for c in reversed(coefficients[exact_terms:-1]):
        tail = tail * u[0] + c[0]
    p: DD = (tail, np.zeros_like(tail))
    for c in reversed(coefficients[:exact_terms]):
        p = _dd_add(_dd_mul(p, u), c)
    return p


def _dd_constant(value: Fraction) -> tuple[float, float]:
    hi = float(value)
    return hi, float(value - Fraction(hi))


def _round(a: DD) -> F64:
    return a[0] + a[1]


# Taylor coefficients, exact to double-double. With u = y² <= (π/4)² they reach 1e-33
# relative to the sum: sin y = y·Σ (-1)^k u^k/(2k+1)!, cos y = Σ (-1)^k u^k/(2k)!.
_SIN_SERIES = tuple(_dd_constant(Fraction((-1) ** k, math.factorial(2 * k + 1))) for k in range(15))
_COS_SERIES = tuple(_dd_constant(Fraction((-1) ** k, math.factorial(2 * k))) for k in range(16))
# sinc'(x) = x·Σ_{k>=1} (-1)^k 2k u^(k-1)/(2k+1)!, u = x².
_SINC_DERIVATIVE_SERIES = tuple(
    _dd_constant(Fraction((-1) ** k * 2 * k, math.factorial(2 * k + 1))) for k in range(1, 17)
)

_PIO2 = (1.5707963267948966, 6.123233995736766e-17)  # π/2 as a double-double
_PIO4 = math.pi / 4


# -- argument reduction ------------------------------------------------------------------
# Below 2**19: Cody and Waite's method with fdlibm's split of π/2 (__ieee754_rem_pio2):
# three pieces of 33 bits and a tail, so n·piece is exact for n < 2**20.
_PIO2_PIECES = (
    1.57079632673412561417e00,
    6.07710050630396597660e-11,
    2.02226624871116645580e-21,
    8.47842766036889956997e-32,
)
_MEDIUM = 2.0**19

# Above: floor(2/π · 2**2368), 2368 bits of 2/π (fdlibm's ipio2 table starts the same
# way, a2f983 6e4e44 1529fc ...). Enough for arguments up to 2**2000, which covers a·x
# for any double a and x.
_TWO_OVER_PI = int(
    "a2f9836e4e441529fc2757d1f534ddc0db6295993c439041fe5163abdebbc561b7246e3a"
    "424dd2e006492eea09d1921cfe1deb1cb129a73ee88235f52ebb4484e99c7026b45f7e41"
    "3991d639835339f49c845f8bbdf9283b1ff897ffde05980fef2f118b5a0a6d1f6d367ecf"
    "27cb09b74f463f669e5fea2d7527bac7ebe5f17b3d0739f78a5292ea6bfb5fb11f8d5d08"
    "56033046fc7b6babf0cfbc209af4361da9e391615ee61b086599855f14a068408dffd880"
    "4d73273106061556ca73a8c960e27bc08c6b47c419c367cddce8092a8359c4768b961ca6"
    "ddaf44d15719053ea5ff07053f7e33e832c2de4f98327dbbc33d26ef6b1e5ef89f3a1f35"
    "caf27f1d87f121907c7c246afa6ed5772d30433b15c614b59d19c3c2c4ad414d2c5d000c"
    "467d862d71e39ac6",
    16,
)
_TWO_OVER_PI_BITS = 2368
#: A large argument is M·2**e with M a 53-bit integer; windows exist for these e.
_E_MIN, _E_MAX = -34, 2000
_LIMB = 0xFFFFFFFF


@functools.cache
def _two_over_pi_windows() -> NDArray[np.uint64]:
    """For each exponent e, the 288 bits of 2/π that matter for M·2**e, as 9 limbs of 32
    bits (shape 9 × number of exponents, least significant limb first).

    Scaled so that M·W·2**-256 ≡ M·2**e·(2/π) (mod 4): the bits above the window only
    add multiples of 4 (they change no quadrant), those below add less than 2**-200.
    Built on first use, from Python integers.
    """
    rows = []
    for e in range(_E_MIN, _E_MAX + 1):
        window = _TWO_OVER_PI >> (_TWO_OVER_PI_BITS - e - 256)  # the shift is >= 112
        rows.append([(window >> (32 * j)) & _LIMB for j in range(9)])
    return np.array(rows, dtype=np.uint64).T.copy()


def _reduce_medium(z: F64) -> tuple[Int64, F64, F64]:
    """Cody–Waite for |z| < 2**19: z - n·π/2 with the pieces of π/2 subtracted in turn.

    ``z - n·piece1`` is exact (Sterbenz), the next two products are exact and are
    subtracted by TwoSum, so the remainder keeps about 2**-106 relative precision even
    when it is tiny.
    """
    n = np.rint(z * (2 / math.pi))
    r = z - n * _PIO2_PIECES[0]
    s1, e1 = two_sum(r, -n * _PIO2_PIECES[1])
    s2, e2 = two_sum(s1, -n * _PIO2_PIECES[2])
    y_hi, y_lo = _fast_two_sum(s2, (e1 + e2) - n * _PIO2_PIECES[3])
    return n.astype(np.int64) & 3, y_hi, y_lo


def _reduce_large(mantissa: F64, exponent: Int64) -> tuple[Int64, F64, F64]:
    """Payne–Hanek for v = mantissa·2**exponent >= 2**19: (n mod 4, y) with
    v = n·π/2 + y, |y| <= π/4, y as a double-double, by exact integer arithmetic.

    The 53-bit significand M is multiplied by a 288-bit window of 2/π in 32-bit limbs
    (each partial product fits in 64 bits), which gives v·2/π mod 4 with 256 fraction
    bits; the fraction, rounded to the nearest integer n, becomes y = (v·2/π - n)·π/2.
    """
    m = np.ldexp(mantissa, 53).astype(np.uint64)  # exact: the integer significand
    windows = _two_over_pi_windows()[:, exponent - 53 - _E_MIN]
    halves = (m & _LIMB, m >> 32)
    acc = [np.zeros(m.shape, dtype=np.uint64) for _ in range(11)]
    for j in range(9):
        for shift, half in enumerate(halves):
            product = half * windows[j]  # < 2**64
            acc[j + shift] += product & _LIMB
            acc[j + shift + 1] += product >> 32
    for j in range(10):  # carries: each accumulator holds at most four 32-bit parts
        acc[j + 1] += acc[j] >> 32
        acc[j] &= _LIMB
    # Limb 8 holds the units (mod 4 is all that matters), limbs 7..0 the fraction.
    round_up = acc[7] >= 2**31
    n = ((acc[8] + round_up) & 3).astype(np.int64)
    # Magnitude of the signed fraction: f, or 1 - f (two's complement) when rounding up.
    carry = round_up.astype(np.uint64)
    limbs = []
    for j in range(8):
        total = np.where(round_up, _LIMB - acc[j], acc[j]) + carry
        limbs.append(total & _LIMB)
        carry = total >> 32
    # Sum the limbs (each exact in a double) into a double-double, largest first.
    hi = np.ldexp(limbs[7].astype(np.float64), -32)
    lo = np.zeros_like(hi)
    for j in range(6, -1, -1):
        hi, e = two_sum(hi, np.ldexp(limbs[j].astype(np.float64), 32 * (j - 8)))
        lo = lo + e
    y_hi, y_lo = _dd_mul(_fast_two_sum(hi, lo), _PIO2)
    sign = np.where(round_up, -1.0, 1.0)
    return n, sign * y_hi, sign * y_lo


def _reduce_pio2(v: F64, shift: Int64 | int = 0) -> tuple[Int64, F64, F64]:
    """Write ``v·2**shift = n·π/2 + y`` with |y| <= π/4: returns (n mod 4, y_hi, y_lo).

    ``y`` is accurate to about 2**-106 relative, also when ``v`` is within 2**-60 of a
    multiple of π/2 (the closest any double comes).
    """
    shift = np.broadcast_to(np.asarray(shift, dtype=np.int64), v.shape)
    mantissa, exponent = np.frexp(np.abs(v))
    exponent = exponent.astype(np.int64) + shift
    large = exponent > 19  # |v·2**shift| >= 2**19
    # The scaling is exact, or underflows to the subnormal (or 0) nearest v·2**shift,
    # whose remainder is itself: that underflow is the right answer.
    with np.errstate(under="ignore"):
        z = np.ldexp(np.where(large, 0.0, v), np.where(large, 0, shift).astype(np.int32))
    n, y_hi, y_lo = _reduce_medium(z)
    if large.any():
        n_large, hi, lo = _reduce_large(mantissa[large], exponent[large])
        negative = v[large] < 0
        n[large] = np.where(negative, -n_large, n_large) & 3
        y_hi[large] = np.where(negative, -hi, hi)
        y_lo[large] = np.where(negative, -lo, lo)
    return n, y_hi, y_lo


def _sin_cos(hi: F64, lo: F64 | None = None, shift: Int64 | int = 0) -> tuple[DD, DD]:
    """sin and cos of ``(hi + lo)·2**shift`` in double-double, for finite inputs."""
    n, y_hi, y_lo = _reduce_pio2(hi, shift)
    y: DD = (y_hi, y_lo)
    if lo is not None:
        n_lo, z_hi, z_lo = _reduce_pio2(lo, shift)
        y = _dd_add(y, (z_hi, z_lo))
        # The two remainders add up to at most π/2 in magnitude: fold back to π/4.
        up, down = y[0] > _PIO4, y[0] < -_PIO4
        step = np.where(up, -1.0, np.where(down, 1.0, 0.0))
        y = _dd_add(y, (step * _PIO2[0], step * _PIO2[1]))
        n = n + n_lo + up - down
    u = _dd_mul(y, y)
    s = _dd_mul(y, _dd_poly(u, _SIN_SERIES, 9))
    c = _dd_poly(u, _COS_SERIES, 9)
    quadrant = (n & 3).astype(np.intp)  # np.choose takes intp: int32 in Pyodide (wasm32)
    # sin(y + nπ/2) and cos(y + nπ/2) for n = 0, 1, 2, 3.
    sin_parts = [np.choose(quadrant, [s[i], c[i], -s[i], -c[i]]) for i in (0, 1)]
    cos_parts = [np.choose(quadrant, [c[i], -s[i], -c[i], s[i]]) for i in (0, 1)]
    return (sin_parts[0], sin_parts[1]), (cos_parts[0], cos_parts[1])


# -- Gaussian -----------------------------------------------------------------------------
_LN2_HI = 6.93147180369123816490e-01  # fdlibm's ln2_hi: 32 significant bits
_LN2_LO = 1.90821492927058770002e-10  # ln 2 - ln2_hi
#: exp(-x²) < 2**-1075 (rounds to 0) for |x| > 27.2972; 27.3 is past that.
_GAUSSIAN_ZERO = 27.3
#: 2|x|·exp(-x²) < 2**-1075 for |x| > 27.37.
_GAUSSIAN_DERIVATIVE_ZERO = 27.5


def _exp_minus_square(v: F64) -> tuple[DD, NDArray[np.int32]]:
    """``exp(-v²) = (E_hi + E_lo)·2**k`` with E in [0.7, 1.5], for |v| <= 27.5.

    ``v² = h + l`` exactly (TwoProduct). With ``k = round(-h/ln 2)`` the reduced
    argument ``r = -h - k·ln2_hi`` is exact (k has 11 bits, ln2_hi 32, and r is a
    multiple of ulp(h) below 0.35); ``-l - k·ln2_lo`` is added in double-double. Then
    ``exp(r) = 1 + expm1(r)``, formed exactly, times ``1 + r_lo``.
    """
    h, l = two_product(v, v)
    k = -np.rint(h * (1 / math.log(2)))
    r, r_lo = two_sum(-h - k * _LN2_HI, -l - k * _LN2_LO)
    s, t = two_sum(1.0, np.expm1(r))
    return _fast_two_sum(s, t + s * r_lo), k.astype(np.int32)


def _gaussian(x: F64) -> F64:
    def near(v: F64) -> F64:
        e, k = _exp_minus_square(v)
        # The scaling by 2**k is exact unless the result is subnormal; then it rounds
        # once more, to the correctly rounded subnormal (underflow is the right answer).
        with np.errstate(under="ignore"):
            return np.ldexp(_round(e), k)

    return piecewise(x, [np.abs(x) <= _GAUSSIAN_ZERO, np.abs(x) > _GAUSSIAN_ZERO], [near, 0.0])


def _gaussian_derivative(x: F64) -> F64:
    def near(v: F64) -> F64:
        e, k = _exp_minus_square(v)
        p, pe = two_product(v, e[0])
        with np.errstate(under="ignore"):  # a subnormal result, correctly rounded
            return -np.ldexp(p + (pe + v * e[1]), k + 1)

    a = np.abs(x)
    return piecewise(
        x, [a <= _GAUSSIAN_DERIVATIVE_ZERO, a > _GAUSSIAN_DERIVATIVE_ZERO], [near, 0.0]
    )


gaussian = Activation(
    name="gaussian",
    display_name="Gaussian",
    summary="The bell curve exp(-x²): 1 at the centre, vanishing on both sides.",
    family="periodic and radial",
    kernel=_gaussian,
    derivative_kernel=_gaussian_derivative,
    latex=r"f(x) = e^{-x^2}",
    derivative_latex=r"f'(x) = -2x\,e^{-x^2}",
    properties=Properties(
        range=Interval(0.0, 1.0, low_closed=False, high_closed=True),
        monotonic=False,
        continuity=SMOOTH,
        zero_centred=False,
        saturating="both",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch", "", notes="No built-in; torch.exp(-x**2), which rounds x² first."
        ),
        FrameworkName("JAX", "", notes="No built-in; jnp.exp(-x**2)."),
        FrameworkName("Keras 3", "", notes="No built-in; keras.ops.exp(-keras.ops.square(x))."),
        FrameworkName("TensorFlow", "", notes="No built-in; tf.exp(-tf.square(x))."),
    ),
    aliases=("gaussian_rbf", "rbf"),
    cost="1 expm1 + an exact square",
)


# -- sine and cosine ----------------------------------------------------------------------
# NumPy's sin and cos (the C library's) are within 0.51 ulp almost everywhere, but not at
# the doubles closest to a multiple of π/2: at x = 6381956970095103·2**797, the closest
# of all, cos(x) = -4.6871659242546276e-19 and they are 8 ulp off. The double-double
# reduction gets these right too. At ±inf there is no limit: NaN (from piecewise).
def _sin(x: F64) -> F64:
    return piecewise(x, [np.isfinite(x)], [lambda v: _round(_sin_cos(v)[0])])


def _cos(x: F64) -> F64:
    return piecewise(x, [np.isfinite(x)], [lambda v: _round(_sin_cos(v)[1])])


def _minus_sin(x: F64) -> F64:
    return piecewise(x, [np.isfinite(x)], [lambda v: -_round(_sin_cos(v)[0])])


sin = Activation(
    name="sin",
    display_name="Sine",
    summary="The sine: periodic, odd, and the identity near zero.",
    family="periodic and radial",
    kernel=_sin,
    derivative_kernel=_cos,
    latex=r"f(x) = \sin x",
    derivative_latex=r"f'(x) = \cos x",
    properties=Properties(
        range=Interval(-1.0, 1.0, low_closed=True, high_closed=True),
        monotonic=False,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="no",
        identity_near_origin=True,
    ),
    frameworks=(
        FrameworkName("PyTorch", "torch.sin"),
        FrameworkName("JAX", "jax.numpy.sin"),
        FrameworkName("Keras 3", "keras.ops.sin"),
        FrameworkName("TensorFlow", "tf.math.sin"),
    ),
    aliases=("sine",),
    cost="1 sin (double-double)",
)

cos = Activation(
    name="cos",
    display_name="Cosine",
    summary="The cosine: periodic, even, 1 at zero.",
    family="periodic and radial",
    kernel=_cos,
    derivative_kernel=_minus_sin,
    latex=r"f(x) = \cos x",
    derivative_latex=r"f'(x) = -\sin x",
    properties=Properties(
        range=Interval(-1.0, 1.0, low_closed=True, high_closed=True),
        monotonic=False,
        continuity=SMOOTH,
        zero_centred=False,
        saturating="no",
    ),
    frameworks=(
        FrameworkName("PyTorch", "torch.cos"),
        FrameworkName("JAX", "jax.numpy.cos"),
        FrameworkName("Keras 3", "keras.ops.cos"),
        FrameworkName("TensorFlow", "tf.math.cos"),
    ),
    aliases=("cosine",),
    cost="1 cos (double-double)",
)


# -- sinc ---------------------------------------------------------------------------------
#: sinc's minimum, at the first positive root r = 4.4934094579090642 of tan r = r (where
#: sinc' = 0), is sin(r)/r = cos(r) = -1/sqrt(1 + r²) = -0.21723362821122166.
_SINC_MINIMUM = -0.21723362821122166


def _sinc(x: F64) -> F64:
    r"""``sin(x)/x``, 1 at 0: by its Maclaurin series below π/4 (no division, exact at
    0 and for subnormal x), else the double-double sine divided in double-double.

    This is the *unnormalised* sinc of mathematics and of Sheehan's catalogue.
    ``numpy.sinc`` (like ``torch.sinc``, ``jax.numpy.sinc`` and ``keras.ops.sinc``) is
    the *normalised* ``sin(πx)/(πx)``, whose zeros are the integers: this function is
    ``numpy.sinc(x / numpy.pi)``, up to the rounding of ``x/π``.
    """

    def near(v: F64) -> F64:
        return _round(_dd_poly(two_product(v, v), _SIN_SERIES, 9))

    def far(v: F64) -> F64:
        s, _ = _sin_cos(v)
        return _round(_dd_div(s, v))

    a = np.abs(x)
    return piecewise(x, [a < _PIO4, np.isfinite(x), np.isinf(x)], [near, far, 0.0])


def _sinc_derivative(x: F64) -> F64:
    r"""``(x cos x - sin x)/x²``, evaluated as ``(cos x - sin(x)/x)/x`` (no overflow of
    ``x²``) in double-double, so the cancellation at the roots of ``tan x = x`` is
    harmless; by its Maclaurin series ``-x/3 + x³/30 - …`` below π/4."""

    def near(v: F64) -> F64:
        d = _dd_poly(two_product(v, v), _SINC_DERIVATIVE_SERIES, 8)
        p, pe = two_product(v, d[0])
        return p + (pe + v * d[1])

    def far(v: F64) -> F64:
        s, c = _sin_cos(v)
        q = _dd_div(s, v)
        return _round(_dd_div(_dd_add(c, (-q[0], -q[1])), v))

    a = np.abs(x)
    return piecewise(x, [a < _PIO4, np.isfinite(x), np.isinf(x)], [near, far, 0.0])


sinc = Activation(
    name="sinc",
    display_name="Sinc",
    summary="The unnormalised cardinal sine sin(x)/x, with the value 1 at x = 0.",
    family="periodic and radial",
    kernel=_sinc,
    derivative_kernel=_sinc_derivative,
    latex=r"f(x) = \begin{cases} \dfrac{\sin x}{x}, & x \ne 0 \\ 1, & x = 0 \end{cases}",
    derivative_latex=(
        r"f'(x) = \begin{cases} \dfrac{x\cos x - \sin x}{x^2}, & x \ne 0 \\ 0, & x = 0 \end{cases}"
    ),
    properties=Properties(
        range=Interval(
            _SINC_MINIMUM,
            1.0,
            low_closed=True,
            high_closed=True,
            low_latex="-0.2172336",
        ),
        monotonic=False,
        continuity=SMOOTH,
        zero_centred=False,
        saturating="both",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "",
            notes=(
                "torch.sinc is the normalised sin(πx)/(πx); this function is"
                " torch.sinc(x / torch.pi)."
            ),
        ),
        FrameworkName(
            "JAX",
            "",
            notes="jax.numpy.sinc is the normalised sin(πx)/(πx); use jnp.sinc(x / jnp.pi).",
        ),
        FrameworkName(
            "Keras 3",
            "",
            notes=(
                "keras.ops.sinc is the normalised sin(πx)/(πx); use keras.ops.sinc(x / math.pi)."
            ),
        ),
        FrameworkName(
            "TensorFlow",
            "",
            notes=(
                "tf.experimental.numpy.sinc is the normalised sin(πx)/(πx); divide x by π first."
            ),
        ),
    ),
    aliases=("cardinal_sine",),
    cost="1 sin and 1 division (double-double)",
)


# -- Snake -------------------------------------------------------------------------------
def _snake(x: F64, a: float) -> F64:
    r"""``x + sin²(ax)/a``. ``sin(ax)`` comes from the exact product ``ax = p + e``
    reduced in double-double, and the sum is formed in double-double too: for x < 0 the
    two terms have opposite signs and the result can be 3.6 times smaller than the
    ripple term. Once ``|ax| >= 2**60`` the ripple (at most ``1/a``) is below half an
    ulp of x and the answer is x itself."""
    limit = 2.0**60 / a  # a Python float: inf for tiny a, without a warning

    def moderate(v: F64) -> F64:
        p, e = two_product(a, v)
        s, _ = _sin_cos(p, e)
        ripple = _dd_div(_dd_mul(s, s), a)
        return _round(_dd_add((v, np.zeros_like(v)), ripple))

    return piecewise(x, [np.abs(x) < limit, ~np.isnan(x)], [moderate, lambda v: v.copy()])


def _snake_derivative(x: F64, a: float) -> F64:
    r"""``1 + sin(2ax)``, which is 0 wherever ``sin(2ax) = -1``: computed in
    double-double from the exact product. Both factors are first reduced to their
    significands, so ``2ax = (p + e)·2**(exponents + 1)`` can neither overflow nor
    underflow. At ±inf there is no limit: NaN."""
    a_mantissa, a_exponent = math.frexp(a)

    def finite(v: F64) -> F64:
        v_mantissa, v_exponent = np.frexp(v)
        p, e = two_product(v_mantissa, a_mantissa)  # exact, in [0.25, 1)
        s, _ = _sin_cos(p, e, v_exponent.astype(np.int64) + (a_exponent + 1))
        return _round(_dd_add((np.ones_like(v), np.zeros_like(v)), s))

    return piecewise(x, [np.isfinite(x)], [finite])


snake = Activation(
    name="snake",
    display_name="Snake",
    summary=(
        "x plus a periodic ripple sin²(ax)/a: monotonic, unbounded, and able to"
        " extrapolate periodic signals."
    ),
    family="periodic and radial",
    kernel=_snake,
    derivative_kernel=_snake_derivative,
    latex=r"f(x) = x + \frac{\sin^2(a x)}{a}",
    derivative_latex=r"f'(x) = 1 + \sin(2 a x)",
    params=(
        Param(
            "a",
            1.0,
            "Frequency of the ripple; its height is 1/a. Must be positive.",
            latex="a",
            minimum=0.0,
            minimum_exclusive=True,
            slider=(0.1, 5.0),
        ),
    ),
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="no",
        identity_near_origin=True,
    ),
    origin=Origin(
        authors="L. Ziyin, T. Hartwig and M. Ueda",
        year=2020,
        title="Neural networks fail to learn periodic functions and how to fix it",
        venue="NeurIPS 2020",
        url="https://arxiv.org/abs/2006.08195",
    ),
    frameworks=(
        FrameworkName("PyTorch", "", notes="Not built in; x + torch.sin(a * x) ** 2 / a."),
        FrameworkName("JAX", "", notes="Not built in; x + jnp.sin(a * x) ** 2 / a."),
        FrameworkName("Keras 3", "", notes="Not built in; x + keras.ops.sin(a * x) ** 2 / a."),
        FrameworkName("TensorFlow", "", notes="Not built in; x + tf.sin(a * x) ** 2 / a."),
    ),
    cost="1 sin (double-double)",
    test_params=({"a": 0.5}, {"a": 2.0}),
)


#: The records of this module, in teaching order.
RECORDS = (gaussian, sin, cos, sinc, snake)

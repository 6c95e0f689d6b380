"""References for the self-gated family (GELU, SiLU, hard swish, Mish).

Each value is ``x`` times a gate in ``[0, 1]``, written so that nothing cancels:

* the sigmoid as ``1/(1 + e^{-y})``, so a very negative ``y`` gives ``e^{y}``-sized
  results with full relative accuracy (never ``1 + tanh u`` for the tanh form of GELU);
* Φ from ``erfc`` with guard bits for its argument ``-x/√2``, and for ``|x| >= 50`` (where
  mpmath's ``erfc`` cannot take ``|x|`` up to 1e308) from the Mills-ratio series
  ``Φ(-|x|) = φ(x)/|x| · Σ (-1)^n (2n-1)!! / x^{2n}``, summed until a term is below the
  working precision: the series is alternating and enveloping, so the first term left
  out bounds the error;
* the arguments of exponentials (``βx``, ``u = √(2/π)(x + 0.044715x³)``) formed with
  enough extra bits that their absolute error stays far below 1 even at ``|x| = 1e308``.

The derivatives of GELU, SiLU and Mish vanish at an interior point (their minimum),
where two terms of the formula cancel; they are evaluated with 40 extra digits, which
covers the loss at any double near the root (at most about 17 digits). Parameters
default to the records' defaults, so a reference can also be called with none.
"""

from __future__ import annotations

import mpmath as mp

from . import Reference

#: The cubic coefficient of the tanh form of GELU, as Hendrycks and Gimpel write it.
_GELU_A = "0.044715"
#: From this |x| on Φ is summed from its asymptotic series (erfc needs |x| < ~1e100).
_SERIES_FROM = 50
#: Extra decimal digits where two terms of a derivative cancel near its root.
_CANCEL_DIGITS = 40

_IMPORTANT = (
    -0.7517915246935645,  # GELU's minimiser, the root of its derivative
    -0.7524614220710163,  # the same for the tanh form
    -1.2784645427610737,  # SiLU's minimiser (β = 1)
    -1.1924312145154952,  # Mish's minimiser
)


def _guard_bits(x: mp.mpf, power: int) -> int:
    """Bits to add so that a polynomial of degree ``power`` in x keeps its absolute
    accuracy (it then feeds an exponential, which turns absolute into relative error)."""
    return 40 if x == 0 else 40 + power * max(0, int(mp.mag(x)))


def _mills_series(x: mp.mpf) -> mp.mpf:
    """``Σ_n (-1)^n (2n-1)!! / x^{2n}`` for ``|x| >= 50``: ``|x| Φ(-|x|) / φ(x)``."""
    z = 1 / (x * x)
    total, term, n = mp.mpf(0), mp.mpf(1), 0
    while abs(term) > mp.eps / 2**20:
        total += term
        n += 1
        term *= -(2 * n - 1) * z
    return total


def _npdf(x: mp.mpf) -> mp.mpf:
    # x² is exact at the working precision (x has 53 bits), so exp sees the true argument.
    return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def _ncdf(x: mp.mpf) -> mp.mpf:
    if mp.isinf(x):
        return mp.mpf(1) if x > 0 else mp.mpf(0)
    if abs(x) >= _SERIES_FROM:
        lower = _npdf(x) / abs(x) * _mills_series(x)
        return lower if x < 0 else 1 - lower
    with mp.workprec(mp.mp.prec + _guard_bits(x, 2)):
        return +(mp.erfc(-x / mp.sqrt(2)) / 2)


# -- GELU -------------------------------------------------------------------------------
def _tanh_gelu_arguments(x: mp.mpf) -> tuple[mp.mpf, mp.mpf]:
    """``y = 2u = 2√(2/π)(x + a x³)`` and ``q = x y' = 2√(2/π) x (1 + 3a x²)``."""
    c = 2 * mp.sqrt(2 / mp.pi)
    a = mp.mpf(_GELU_A)
    return c * (x + a * x**3), c * x * (1 + 3 * a * x * x)


def _gelu(x: mp.mpf, approximate: str = "none") -> mp.mpf:
    if mp.isinf(x):
        return x if x > 0 else mp.mpf(0)
    if approximate == "tanh":
        # ½x(1 + tanh u) = x σ(2u): no 1 + tanh u to cancel when u is very negative.
        with mp.workprec(mp.mp.prec + _guard_bits(x, 3)):
            y, _ = _tanh_gelu_arguments(x)
            return +(x / (1 + mp.exp(-y)))
    return x * _ncdf(x)


def _gelu_derivative(x: mp.mpf, approximate: str = "none") -> mp.mpf:
    if mp.isinf(x):
        return mp.mpf(1) if x > 0 else mp.mpf(0)
    if approximate == "tanh":
        # σ(y) + x y' σ(y) σ(-y) = σ(y) (1 + q σ(-y)).
        with mp.workprec(mp.mp.prec + _guard_bits(x, 3) + 4 * _CANCEL_DIGITS):
            y, q = _tanh_gelu_arguments(x)
            return +((1 + q / (1 + mp.exp(y))) / (1 + mp.exp(-y)))
    if x <= -_SERIES_FROM:
        # Φ + xφ = -|x| φ (1 - S/x²) with S the Mills series: nothing cancels.
        return -abs(x) * _npdf(x) * (1 - _mills_series(x) / (x * x))
    with mp.workdps(mp.mp.dps + _CANCEL_DIGITS):
        return +(_ncdf(x) + x * _npdf(x))


# -- SiLU -------------------------------------------------------------------------------
def _silu(x: mp.mpf, beta: float = 1.0) -> mp.mpf:
    if mp.isinf(x):
        return x if x > 0 else mp.mpf(0)
    # βx is exact: two doubles' product has at most 106 bits.
    return x / (1 + mp.exp(-beta * x))


def _silu_derivative(x: mp.mpf, beta: float = 1.0) -> mp.mpf:
    if mp.isinf(x):
        return mp.mpf(1) if x > 0 else mp.mpf(0)
    with mp.workdps(mp.mp.dps + _CANCEL_DIGITS):
        y = beta * x
        # σ(y) + y σ(y) σ(-y) = σ(y) (1 + y σ(-y)).
        return +((1 + y / (1 + mp.exp(y))) / (1 + mp.exp(-y)))


# -- hard swish -------------------------------------------------------------------------
def _hard_swish(x: mp.mpf) -> mp.mpf:
    if x <= -3:
        return mp.mpf(0)
    if x >= 3:
        return x
    return x * (x + 3) / 6


def _hard_swish_derivative(x: mp.mpf) -> mp.mpf:
    # At the kinks: 0 at -3 and 1 at 3, PyTorch's backward since 2025.
    if x <= -3:
        return mp.mpf(0)
    if x >= 3:
        return mp.mpf(1)
    return (2 * x + 3) / 6


# -- Mish -------------------------------------------------------------------------------
def _mish(x: mp.mpf) -> mp.mpf:
    if mp.isinf(x):
        return x if x > 0 else mp.mpf(0)
    return x * mp.tanh(mp.log1p(mp.exp(x)))


def _mish_derivative(x: mp.mpf) -> mp.mpf:
    if mp.isinf(x):
        return mp.mpf(1) if x > 0 else mp.mpf(0)
    with mp.workdps(mp.mp.dps + _CANCEL_DIGITS):
        softplus = mp.log1p(mp.exp(x))
        sigmoid = 1 / (1 + mp.exp(-x))
        return +(mp.tanh(softplus) + x * sigmoid / mp.cosh(softplus) ** 2)


REFERENCES = {
    "gelu": Reference(
        f=_gelu,
        df=_gelu_derivative,
        extra_points=(*_IMPORTANT, -1.2517915246935645, -0.2517915246935645, 9.0, -12.0, -40.0),
    ),
    "silu": Reference(
        f=_silu,
        df=_silu_derivative,
        extra_points=(*_IMPORTANT, -1.3084645427610737, -1.2484645427610737, 40.0, 48.0),
    ),
    "hard_swish": Reference(
        f=_hard_swish, df=_hard_swish_derivative, extra_points=(-3.0, -1.5, 3.0)
    ),
    "mish": Reference(
        f=_mish,
        df=_mish_derivative,
        extra_points=(*_IMPORTANT, -1.2224312145154952, -1.1624312145154952, 20.0, 24.0, -760.0),
    ),
}

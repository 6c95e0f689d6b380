"""References for the smooth rectifiers (ELU, SELU, CELU, softplus, squareplus).

Written so that nothing cancels: ``expm1`` for ``e^x - 1``, softplus as
``max(x, 0) + log1p(e^{-|βx|})/β`` (no overflow-sized exponential), and squareplus's
left half as ``b/(2(√(x² + b) + |x|))``. Products of a parameter and x that feed an
exponential are formed with extra bits, so their rounding cannot be amplified.
"""

from __future__ import annotations

import mpmath as mp

from . import Reference

#: SELU's constants, exactly as the frameworks write them.
_SELU_ALPHA = "1.6732632423543772848170429916717"
_SELU_SCALE = "1.0507009873554804934193349852946"


def _extra_bits(*values: mp.mpf) -> int:
    """Bits to add so that a product of these, fed to exp, keeps its absolute accuracy."""
    return 20 + sum(max(0, int(mp.mag(v))) for v in values if v != 0 and mp.isfinite(v))


def _elu(x: mp.mpf, alpha: float) -> mp.mpf:
    return x if x > 0 else alpha * mp.expm1(x)


def _elu_derivative(x: mp.mpf, alpha: float) -> mp.mpf:
    return mp.mpf(1) if x > 0 else alpha * mp.exp(x)


def _selu(x: mp.mpf) -> mp.mpf:
    scale, alpha = mp.mpf(_SELU_SCALE), mp.mpf(_SELU_ALPHA)
    return scale * (x if x > 0 else alpha * mp.expm1(x))


def _selu_derivative(x: mp.mpf) -> mp.mpf:
    scale, alpha = mp.mpf(_SELU_SCALE), mp.mpf(_SELU_ALPHA)
    return scale if x > 0 else scale * alpha * mp.exp(x)


def _celu_exponent(x: mp.mpf, alpha: float) -> mp.mpf:
    with mp.workprec(mp.mp.prec + _extra_bits(x, 1 / mp.mpf(alpha))):
        return x / alpha


def _celu(x: mp.mpf, alpha: float) -> mp.mpf:
    if x > 0:
        return x
    with mp.workprec(mp.mp.prec + 20):
        value = alpha * mp.expm1(_celu_exponent(x, alpha))
    return +value


def _celu_derivative(x: mp.mpf, alpha: float) -> mp.mpf:
    if x > 0:
        return mp.mpf(1)
    with mp.workprec(mp.mp.prec + 20):
        value = mp.exp(_celu_exponent(x, alpha))
    return +value


def _scaled(x: mp.mpf, beta: float) -> mp.mpf:
    """βx with enough bits that e^{±βx} is exact at the working precision."""
    with mp.workprec(mp.mp.prec + _extra_bits(x, mp.mpf(beta))):
        return beta * x


def _softplus(x: mp.mpf, beta: float) -> mp.mpf:
    if mp.isinf(x):
        return x if x > 0 else mp.mpf(0)
    with mp.workprec(mp.mp.prec + 20):
        y = _scaled(x, beta)
        value = max(x, mp.mpf(0)) + mp.log1p(mp.exp(-abs(y))) / beta
    return +value


def _softplus_derivative(x: mp.mpf, beta: float) -> mp.mpf:
    if mp.isinf(x):
        return mp.mpf(1) if x > 0 else mp.mpf(0)
    with mp.workprec(mp.mp.prec + 20):
        y = _scaled(x, beta)
        t = mp.exp(-abs(y))
        value = 1 / (1 + t) if y >= 0 else t / (1 + t)
    return +value


def _squareplus(x: mp.mpf, b: float) -> mp.mpf:
    if mp.isinf(x):
        return x if x > 0 else mp.mpf(0)
    r = mp.sqrt(x * x + b)
    return (x + r) / 2 if x >= 0 else b / (2 * (r - x))


def _squareplus_derivative(x: mp.mpf, b: float) -> mp.mpf:
    if mp.isinf(x):
        return mp.mpf(1) if x > 0 else mp.mpf(0)
    r = mp.sqrt(x * x + b)
    if r == 0:  # x = 0 with b = 0: the value the kernel documents
        return mp.mpf(0.5)
    return (1 + x / r) / 2 if x >= 0 else b / (2 * r * (r - x))


#: Where the kernels switch formulas: softplus at βx = 37, 37.5, -80, -746, -2200;
#: the ELUs at x = -59 (expm1 to its limit).
_SWITCHES = (37.0, 37.5, -80.0, -746.0, -2200.0, -59.0, 59.0)

REFERENCES = {
    "elu": Reference(f=_elu, df=_elu_derivative, extra_points=_SWITCHES),
    "selu": Reference(f=_selu, df=_selu_derivative, extra_points=_SWITCHES),
    "celu": Reference(f=_celu, df=_celu_derivative, extra_points=_SWITCHES),
    "softplus": Reference(f=_softplus, df=_softplus_derivative, extra_points=_SWITCHES),
    "squareplus": Reference(
        f=_squareplus, df=_squareplus_derivative, extra_points=(1e154, -1e154, 1e8, -1e8)
    ),
}

"""mpmath references for the vector-valued activations (softmax, log-softmax, GLUs).

These take a whole vector (a sequence of floats, all finite), unlike the elementwise
references of the other modules, so they are not merged into ``all_references()``;
``tests/test_vector.py`` uses them directly. The caller sets the working precision.

* Softmax and log-softmax shift by the maximum ``m = x_k`` first. ``x_j - m`` is a
  difference of two doubles, computed at the working precision (about 200 bits at 60
  digits): its relative error is far below what a double can show, and the exponential
  of a difference below -1e5 is 0 to any precision that matters. ``logsumexp(x) - m`` is
  ``log1p(S)`` with ``S = Σ_{j≠k} e^{x_j - m}``, never ``log(1 + S)``: for ``S`` below
  the working precision (``x = [0, -700]``) ``1 + S`` would round to 1 and lose the whole
  answer ``-S``.
* The gated units are ``first(a_i) * second(b_i)``; the factors come from the
  elementwise references of sigmoid, SiLU, GELU (exact, ``x Φ(x)``) and ReLU, which are
  exact for every double.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import mpmath as mp
from numpy.typing import NDArray

from . import all_references

#: A vector of floats: a list or a 1-d numpy array.
Floats = Sequence[float] | NDArray[Any]
Vector = list[mp.mpf]
Matrix = list[list[mp.mpf]]


def _shifted(xs: Floats) -> tuple[Vector, mp.mpf]:
    """``x_j - max`` (exact to the working precision) and ``S = Σ_{j≠k} e^{x_j - max}``."""
    values = [mp.mpf(float(x)) for x in xs]
    k = max(range(len(values)), key=lambda j: values[j])
    shifts = [v - values[k] for v in values]
    others = mp.fsum(mp.exp(d) for j, d in enumerate(shifts) if j != k)
    return shifts, others


def softmax(xs: Floats) -> Vector:
    """``e^{x_i - m} / (1 + S)``."""
    shifts, others = _shifted(xs)
    return [mp.exp(d) / (1 + others) for d in shifts]


def log_softmax(xs: Floats) -> Vector:
    """``(x_i - m) - log1p(S)``: two terms ≤ 0, nothing cancels."""
    shifts, others = _shifted(xs)
    log_total = mp.log1p(others)
    return [d - log_total for d in shifts]


def softmax_jacobian(xs: Floats) -> Matrix:
    """``J_ij = s_i (δ_ij - s_j)``; ``1 - s_i`` taken as ``Σ_{j≠i} s_j`` (no cancellation)."""
    s = softmax(xs)
    n = len(s)
    rest = [mp.fsum(s[j] for j in range(n) if j != i) for i in range(n)]
    return [[s[i] * rest[i] if i == j else -s[i] * s[j] for j in range(n)] for i in range(n)]


def log_softmax_jacobian(xs: Floats) -> Matrix:
    """``J_ij = δ_ij - s_j``, the diagonal as ``Σ_{j≠i} s_j``."""
    s = softmax(xs)
    n = len(s)
    rest = [mp.fsum(s[j] for j in range(n) if j != i) for i in range(n)]
    return [[rest[i] if i == j else -s[j] for j in range(n)] for i in range(n)]


def vjp(jacobian: Matrix, cotangent: Floats) -> Vector:
    """``(vᵀJ)_j = Σ_i v_i J_ij``, summed exactly enough (``fsum``)."""
    n = len(jacobian[0]) if jacobian else 0
    return [
        mp.fsum(mp.mpf(float(v)) * row[j] for v, row in zip(cotangent, jacobian, strict=True))
        for j in range(n)
    ]


# -- the gated linear units: f_i = first(a_i) * second(b_i) --------------------------------
def _identity(x: mp.mpf) -> mp.mpf:
    return x


def _one(x: mp.mpf) -> mp.mpf:
    return mp.mpf(1)


def _factors() -> dict[str, tuple[object, object, object, object]]:
    """``(first, first', second, second')`` for each gated unit."""
    refs = all_references()
    sigmoid, silu, gelu, relu = refs["sigmoid"], refs["silu"], refs["gelu"], refs["relu"]
    return {
        # Dauphin et al.: the second half is the gate, a ⊙ σ(b).
        "glu": (_identity, _one, sigmoid.f, sigmoid.df),
        # Shazeer 2020: the activated projection first, g(a) ⊙ b (GELU exact, x Φ(x)).
        "swiglu": (silu.f, silu.df, _identity, _one),
        "geglu": (gelu.f, gelu.df, _identity, _one),
        "reglu": (relu.f, relu.df, _identity, _one),
    }


def gated(name: str, xs: Floats) -> Vector:
    """The gated unit ``name`` of the vector ``xs`` = (a, b), halves of equal length."""
    first, _, second, _ = _factors()[name]
    half = len(xs) // 2
    a = [mp.mpf(float(x)) for x in xs[:half]]
    b = [mp.mpf(float(x)) for x in xs[half:]]
    return [first(p) * second(q) for p, q in zip(a, b, strict=True)]  # type: ignore[operator]


def gated_jacobian(name: str, xs: Floats) -> Matrix:
    """The ``n/2 × n`` Jacobian: ``first'(a_i) second(b_i)`` at ``(i, i)``,
    ``first(a_i) second'(b_i)`` at ``(i, n/2 + i)``, 0 elsewhere."""
    first, first_slope, second, second_slope = _factors()[name]
    half = len(xs) // 2
    a = [mp.mpf(float(x)) for x in xs[:half]]
    b = [mp.mpf(float(x)) for x in xs[half:]]
    matrix = [[mp.mpf(0)] * len(xs) for _ in range(half)]
    for i in range(half):
        matrix[i][i] = first_slope(a[i]) * second(b[i])  # type: ignore[operator]
        matrix[i][half + i] = first(a[i]) * second_slope(b[i])  # type: ignore[operator]
    return matrix

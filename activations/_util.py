"""Small numerical building blocks shared by the kernels.

The rule every kernel follows: never evaluate a formula where its result is thrown
away. ``np.where(x > 0, x, np.expm1(x))`` computes ``expm1`` of huge positive x as
well, overflows and warns, even though that branch is discarded. ``piecewise``
evaluates each branch only on the elements that take it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]


def piecewise(
    x: F64,
    conditions: Sequence[NDArray[np.bool_]],
    branches: Sequence[Callable[[F64], F64] | float],
) -> F64:
    """Evaluate ``branches[i]`` on the elements where ``conditions[i]`` holds.

    Conditions are tried in order (the first that holds wins); elements for which none
    holds are NaN, which is also what NaN inputs give when every condition is a
    comparison. A branch may be a constant. Each branch sees only its own elements, so
    a branch never overflows on values it would not be used for.
    """
    out = np.full(x.shape, np.nan)
    taken = np.zeros(x.shape, dtype=bool)
    for condition, branch in zip(conditions, branches, strict=True):
        mask = condition & ~taken
        taken |= mask
        if callable(branch):
            if mask.any():
                out[mask] = branch(x[mask])
        else:
            out[mask] = branch
    return out

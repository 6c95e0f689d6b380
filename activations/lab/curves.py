"""Sampled curves of f and f′ for the site's explorers, computed by the records.

The explorer on every function page and the compare view draw what :func:`curves`
returns: the page's JavaScript only draws, every number comes from here (in the
browser, from this module running in Pyodide). The result is a plain dict of lists of
floats, so it crosses into JavaScript as it is; values that are not finite stay floats
(``nan``, ``inf``) and the chart leaves them out of its lines.

Where a function or its derivative jumps (a kink of a record whose ``continuity`` says
so), the x-values include the kink and the floats just beside it, and ``f_gaps`` /
``df_gaps`` list the indices ``i`` whose point is not joined to point ``i + 1``: the
chart breaks the line there and shows the value at the kink itself (the package's
convention) as a dot, as the static plots do.

:func:`overlay` samples several functions at their defaults on one shared x (the
compare view).

Vector activations (softmax, the GLU family) have no elementwise f′; their curves are
the slice the static plot shows: the first output for the input vectors ``(x, 0)`` and
its partial derivative with respect to the first input (the Jacobian's top-left entry).

>>> c = curves("softplus", {"beta": 2.0}, -1.0, 1.0, 3)
>>> c["x"], c["params"]
([-1.0, 0.0, 1.0], {'beta': 2.0})
>>> c["f"][2] == float(activations.softplus(1.0, beta=2.0))
True
>>> step = curves("step", {}, -1.0, 1.0, 3)  # f jumps at 0: 0 and its neighbours added
>>> step["x"], step["f"], step["f_gaps"]
([-1.0, -5e-324, 0.0, 5e-324, 1.0], [0.0, 0.0, 1.0, 1.0, 1.0], [1, 2])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

import activations
from activations import Activation, VectorActivation

#: The most points one call may ask for (the explorer asks for about 600).
MAX_POINTS = 20_001
#: The widest x-range (and the largest |x| at either end) one call may ask for.
MAX_ABS_X = 1e6
#: The most functions :func:`overlay` draws at once.
MAX_OVERLAY = 60
#: Parameters the explorer can set: real numbers and named choices. The others (RReLU's
#: ``training`` and ``rng``, the vector functions' ``axis``) keep their defaults.
EXPLORABLE_KINDS = ("float", "choice")


def curves(
    name: str,
    params: Mapping[str, Any] | None = None,
    lo: float = -5.0,
    hi: float = 5.0,
    n: int = 601,
) -> dict[str, Any]:
    """f and f′ of activation ``name`` at ``params``, sampled at ``n`` points on [lo, hi].

    Returns ``{"name", "params", "vector", "x", "f", "df", "f_gaps", "df_gaps"}``:
    ``params`` are the values used (every explorable parameter, defaults filled in and
    normalised by the record's checks), ``x`` has the ``n`` evenly spaced points plus,
    inside the range, the kinks where f or f′ jumps and their neighbouring floats.

    Raises ``ValueError`` naming the problem for an unknown function or parameter, a
    parameter the explorer cannot set, a value the record does not allow, or a bad range
    (``TypeError`` from the record's check for a parameter value of the wrong type).
    """
    record = _record(name)
    values = _params(record, params or {})
    x = _grid(lo, hi, n)
    f_jumps, df_jumps = _jump_points(record, values, x[0], x[-1])
    x = np.union1d(x, _with_neighbours(f_jumps + df_jumps))
    return {"name": record.name, "params": values, "x": x.tolist(), **_sample(record, values, x, f_jumps, df_jumps)}


def overlay(names: Sequence[str], lo: float = -5.0, hi: float = 5.0, n: int = 601) -> dict[str, Any]:
    """f and f′ of several activations at their defaults, on one shared x, for the compare view.

    Returns ``{"x", "curves"}``: ``x`` is the grid of :func:`curves` with the jump points
    of every function added, and ``curves`` has, per name in order, ``{"name",
    "display", "params", "vector", "f", "df", "f_gaps", "df_gaps"}`` sampled at that ``x``.
    """
    if isinstance(names, str) or not all(isinstance(name, str) for name in names):
        raise ValueError(f"overlay(): names is a list of function names; got {names!r}")
    if len(names) > MAX_OVERLAY:
        raise ValueError(f"overlay(): at most {MAX_OVERLAY} functions at once; got {len(names)}")
    records = [_record(name) for name in names]
    grid = _grid(lo, hi, n)
    chosen = [(record, _params(record, {})) for record in records]
    jumps = [_jump_points(record, values, grid[0], grid[-1]) for record, values in chosen]
    x = np.union1d(grid, _with_neighbours(sorted({p for f, df in jumps for p in f + df})))
    return {
        "x": x.tolist(),
        "curves": [
            {"name": record.name, "display": record.display_name, "params": values, **_sample(record, values, x, *jump)}
            for (record, values), jump in zip(chosen, jumps)
        ],
    }


def _sample(
    record: Activation, values: Mapping[str, Any], x: np.ndarray, f_jumps: list[float], df_jumps: list[float]
) -> dict[str, Any]:
    """f and f′ at ``x`` (which holds the jump points and their neighbours), and the gaps."""
    if isinstance(record, VectorActivation):
        vectors = np.stack([x, np.zeros_like(x)], axis=-1)  # the inputs (x, 0)
        f = np.asarray(record(vectors, axis=-1, **values))[:, 0]
        df = np.asarray(record.jacobian(vectors, axis=-1, **values))[:, 0, 0]
    else:
        f = np.asarray(record(x, **values), dtype=np.float64)
        df = np.asarray(record.derivative(x, **values), dtype=np.float64)
    return {
        "vector": isinstance(record, VectorActivation),
        "f": f.tolist(),
        "df": df.tolist(),
        "f_gaps": _gaps(x, f_jumps),
        "df_gaps": _gaps(x, df_jumps),
    }


def _record(name: str) -> Activation:
    if not isinstance(name, str):
        raise ValueError(f"curves(): the function is named by a string; got {name!r}")
    try:
        return activations.get(name)
    except activations.UnknownActivationError as error:
        raise ValueError(f"curves(): {error}") from None


def _params(record: Activation, given: Mapping[str, Any]) -> dict[str, Any]:
    """The explorable parameters: ``given`` checked by the record, defaults for the rest."""
    known = {p.name: p for p in record.params}
    values = {}
    for key, value in given.items():
        param = known.get(key)
        if param is None:
            offered = [p.name for p in record.params if p.kind in EXPLORABLE_KINDS]
            raise ValueError(
                f"curves(): {record.name} has no parameter {key!r}"
                f" (its explorable parameters: {', '.join(offered) or 'none'})"
            )
        if param.kind not in EXPLORABLE_KINDS:
            raise ValueError(
                f"curves(): {record.name}'s parameter {key!r} ({param.allowed()}) is not set by"
                " the explorer: only real numbers and choices are"
            )
        values[key] = param.check(record.name, value)
    for param in record.params:
        if param.kind in EXPLORABLE_KINDS and param.name not in values:
            values[param.name] = param.default
    return values


def _grid(lo: float, hi: float, n: int) -> np.ndarray:
    for label, end in (("lo", lo), ("hi", hi)):
        if isinstance(end, bool) or not isinstance(end, (int, float)) or not math.isfinite(end):
            raise ValueError(f"curves(): {label} must be a finite number; got {end!r}")
        if abs(end) > MAX_ABS_X:
            raise ValueError(f"curves(): {label} must be within ±{MAX_ABS_X:g}; got {end!r}")
    if not lo < hi:
        raise ValueError(f"curves(): the range needs lo < hi; got lo={lo!r}, hi={hi!r}")
    if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= MAX_POINTS:
        raise ValueError(f"curves(): n must be an integer from 2 to {MAX_POINTS}; got {n!r}")
    return np.linspace(float(lo), float(hi), n)


def _jump_points(record: Activation, values: Mapping[str, Any], lo: float, hi: float) -> tuple[list[float], list[float]]:
    """The kinks strictly inside (lo, hi) where f jumps, and where f′ jumps."""
    if isinstance(record, VectorActivation):
        return [], []  # the (x, 0) slice: its kinks are not the record's (declared for x)
    params = {**record.defaults, **values}
    inside = sorted({float(p) for kink in record.kinks for p in kink.points(params) if lo < p < hi})
    continuity = record.properties.continuity
    return (inside if continuity < 0 else []), (inside if continuity < 1 else [])


def _with_neighbours(points: list[float]) -> np.ndarray:
    return np.array([v for p in points for v in (np.nextafter(p, -np.inf), p, np.nextafter(p, np.inf))])


def _gaps(x: np.ndarray, jumps: list[float]) -> list[int]:
    """Indices i where the line from x[i] to x[i+1] crosses a jump: on both sides of it."""
    gaps = []
    for point in jumps:
        at = int(np.searchsorted(x, point))  # x[at] == point: it was inserted
        gaps += [at - 1, at]
    return sorted(set(gaps))

"""How accurate each function is: worst error in ulps, this package beside its peers.

    .venv/bin/python -m benchmarks.accuracy_report --json docs/data/accuracy.json
    .venv/bin/python -m benchmarks.accuracy_report --points 500 --only gelu silu

Every implementation is judged the way the test-suite judges this package
(``tests/accuracy.py``): on the same inputs, against the same exact values (the mpmath
references of ``tests/references/`` at 60 digits), with the same measure of error.

* **Grids.** float64: ``float64_grid()`` (the whole line: dense near 0, the tails,
  subnormals, ±1e308, ±inf) plus each function's extra points and kinks and their
  neighbours, as in ``tests/test_accuracy.py``; float32: ``float32_grid()``.
  ``--points N`` thins each grid to about N points, evenly through its sorted values
  (±inf stay). Derivatives skip the kinks, where f′ is a convention, not a value.
* **Implementations.** ``activations`` (this package); ``torch`` (the function the
  record names, at the default parameters; f′ by autograd) when PyTorch is installed;
  ``scipy`` (``scipy.special.expit``, ``log_expit``, GELU from ``erf``, ``softmax``,
  ``log_softmax``; values only) when SciPy is installed. Where an implementation lacks
  the function its entry has ``max_ulp`` null and a note.
* **Vector functions** (softmax, log-softmax and the GLUs): values only, on rows made
  from the finite grid points shuffled (seed 0): rows of 4 scores for softmax and
  log-softmax, rows ``(a, b)`` for the gated units, so every grid point is used. The
  reference is ``tests/references/vector.py``; the worst entry's row is in the note.
  Their Jacobians and VJPs are checked by ``tests/test_vector.py``, not reported here.

Exact values are computed once per (function, dtype, quantity) and shared by every
implementation. The report prints a table per dtype and a summary, and with ``--json``
writes the schema documented in ``site_src/accuracy.py`` (the site's accuracy page).
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
from numpy.typing import NDArray

import activations
from activations import Activation, VectorActivation
from tests.accuracy import (
    DPS,
    exact_values,
    float32_grid,
    float64_grid,
    reference_params,
    ulp_errors,
    worst,
)
from tests.references import all_references
from tests.references import vector as vector_reference

from ._peers import load_scipy_special, load_torch, scipy_function, torch_function
from ._table import aligned

Array = NDArray[Any]
DTYPES = ("float64", "float32")
QUANTITIES = ("value", "derivative")
SOFTMAX_ROW = 4
SCHEMA = 1


@dataclass(frozen=True)
class Sweep:
    """The inputs of one (function, dtype, quantity) and their exact values.

    ``inputs`` is what the implementations are called with (a 1-d grid, or rows for a
    vector function); ``xs`` has one input per output entry (for a vector function the
    entry of its row that the output stands for); ``rows`` is each output entry's row.
    """

    inputs: Array
    xs: Array
    exact: list[mpmath.mpf]
    scale: Callable[[int], float] | None
    rows: Array | None = None


#: A computed result (flattened) and a note, or None and why it is missing.
Outcome = tuple[Array | None, str]


# -- the sweeps -------------------------------------------------------------------------------
def thin(xs: Array, points: int | None) -> Array:
    """About ``points`` of the sorted grid ``xs``, evenly spaced through it, ends kept."""
    if points is None or len(xs) <= points:
        return xs
    return xs[np.unique(np.linspace(0, len(xs) - 1, max(points, 2)).round().astype(int))]


def _kinks(record: Activation) -> Array:
    resolved = record.resolve_params({})
    return np.array([x for kink in record.kinks for x in kink.points(resolved)], dtype=np.float64)


def elementwise_grid(record: Activation, dtype: str, quantity: str, points: int | None) -> Array:
    """The inputs of ``record`` in ``dtype`` (see the module docstring)."""
    kinks = _kinks(record)
    if dtype == "float64":
        extra = np.array([*all_references()[record.name].extra_points, *kinks], dtype=np.float64)
        near = np.concatenate([extra, np.nextafter(extra, np.inf), np.nextafter(extra, -np.inf)])
        xs: Array = np.unique(np.concatenate([float64_grid(), near]))
    else:
        xs = float32_grid()
    xs = thin(xs, points)
    if quantity == "derivative":
        xs = xs[~np.isin(xs.astype(np.float64), kinks)]
    return xs


@functools.cache
def sweep(name: str, dtype: str, quantity: str, points: int | None) -> Sweep:
    """The sweep of ``name``, its exact values computed once (mpmath is slow)."""
    record = activations.get(name)
    if isinstance(record, VectorActivation):
        return _vector_sweep(record, dtype, points)
    reference = all_references()[name]
    xs = elementwise_grid(record, dtype, quantity, points)
    function = reference.f if quantity == "value" else reference.df
    exact = exact_values(function, xs, reference_params(record, {}))
    windows = reference.cancellation if (quantity == "derivative" and dtype == "float64") else ()

    def scale(i: int) -> float:
        return max((s for c, w, s in windows if abs(xs[i] - c) <= w), default=0.0)

    return Sweep(inputs=xs, xs=xs, exact=exact, scale=scale if windows else None)


def _vector_sweep(record: VectorActivation, dtype: str, points: int | None) -> Sweep:
    grid = float64_grid() if dtype == "float64" else float32_grid()
    finite = thin(grid, points)
    finite = finite[np.isfinite(finite)]
    gated = record.name not in ("softmax", "log_softmax")
    width = 2 if gated else SOFTMAX_ROW
    shuffled = np.random.default_rng(0).permutation(finite)
    rows = shuffled[: len(shuffled) // width * width].reshape(-1, width)
    exact: list[mpmath.mpf] = []
    with mpmath.workdps(DPS):
        for row in rows:
            if gated:
                exact += vector_reference.gated(record.name, row)
            elif record.name == "softmax":
                exact += vector_reference.softmax(row)
            else:
                exact += vector_reference.log_softmax(row)
    out_width = width // 2 if gated else width
    xs = rows[:, :out_width].ravel()
    return Sweep(
        inputs=rows, xs=xs, exact=exact, scale=None, rows=np.repeat(rows, out_width, axis=0)
    )


# -- the implementations ----------------------------------------------------------------------
def ours(record: Activation, quantity: str, inputs: Array) -> Outcome:
    """This package."""
    computed = record(inputs) if quantity == "value" else record.derivative(inputs)
    return np.ravel(computed), ""


def torch_outcome(record: Activation, quantity: str, inputs: Array) -> Outcome:
    """PyTorch at the default parameters; f′ by autograd."""
    torch = load_torch()
    assert torch is not None
    t = torch.from_numpy(inputs.copy())
    function = torch_function(record, t.dtype)
    if function is None:
        return None, f"PyTorch has no {record.name}"
    if quantity == "value":
        with torch.no_grad():
            return function(t).numpy().ravel(), ""
    t.requires_grad_(True)
    y = function(t)
    (grad,) = torch.autograd.grad(y, t, grad_outputs=torch.ones_like(y))
    return grad.numpy().ravel(), ""


def scipy_outcome(record: Activation, quantity: str, inputs: Array) -> Outcome:
    """scipy.special where it has the function: values only."""
    found = scipy_function(record.name)
    if found is None:
        return None, f"scipy.special has no {record.name}"
    if quantity == "derivative":
        return None, f"scipy.special has no derivative of {record.name}"
    function, what = found
    with np.errstate(all="ignore"):
        return np.ravel(function(inputs)), what


def implementations() -> dict[str, Callable[[Activation, str, Array], Outcome]]:
    """The columns, this package first; peers only where installed."""
    columns: dict[str, Callable[[Activation, str, Array], Outcome]] = {"activations": ours}
    if load_torch() is not None:
        columns["torch"] = torch_outcome
    if load_scipy_special() is not None:
        columns["scipy"] = scipy_outcome
    return columns


# -- measuring --------------------------------------------------------------------------------
def measure(
    name: str, dtype: str, quantity: str, implementation: str, points: int | None
) -> dict[str, Any]:
    """One entry of the report's ``results`` (schema: site_src/accuracy.py)."""
    record = activations.get(name)
    data = sweep(name, dtype, quantity, points)
    computed, note = implementations()[implementation](record, quantity, data.inputs)
    entry: dict[str, Any] = {
        "function": name,
        "dtype": dtype,
        "quantity": quantity,
        "implementation": implementation,
        "points": len(data.exact),
    }
    if computed is None:
        return entry | {
            "max_ulp": None,
            "x": None,
            "computed": None,
            "exact": None,
            "within_1ulp": None,
            "note": note,
        }
    errors = ulp_errors(computed, data.exact, dtype=np.dtype(dtype).type, scale=data.scale)
    found = worst(data.xs, computed, data.exact, errors)
    if data.rows is not None:
        row = data.rows[int(np.argmax(errors))]
        note = "; ".join(filter(None, [note, f"worst in row {[float(v) for v in row]}"]))
    return entry | {
        "max_ulp": found.ulps,
        "x": found.x,
        "computed": found.computed,
        "exact": found.exact,
        "within_1ulp": found.share_within_1ulp,
        "note": note,
    }


def quantities(name: str) -> tuple[str, ...]:
    """What is measured of ``name``: values only for a vector function."""
    return ("value",) if isinstance(activations.get(name), VectorActivation) else QUANTITIES


def versions() -> dict[str, str]:
    """Versions of everything that took part."""
    found = {
        "activations": importlib.metadata.version("activations"),
        "numpy": np.__version__,
        "mpmath": mpmath.__version__,
        "python": platform.python_version(),
    }
    torch = load_torch()
    if torch is not None:
        found["torch"] = torch.__version__
    if load_scipy_special() is not None:
        found["scipy"] = importlib.metadata.version("scipy")
    return found


# -- printing ---------------------------------------------------------------------------------
def _cell(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "—"
    if entry["max_ulp"] is None:
        return "n/a"
    ulps = entry["max_ulp"]
    return f"{ulps:.3g}" if np.isfinite(ulps) else "inf"


def _symbol(quantity: str) -> str:
    return "f" if quantity == "value" else "f′"


def table(results: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Worst ulps per function, one block per dtype: f then f′ for each implementation."""
    by_key = {(r["function"], r["dtype"], r["quantity"], r["implementation"]): r for r in results}
    names = list(dict.fromkeys(r["function"] for r in results))
    header = ["function"] + [f"{_symbol(q)} {i}" for q in QUANTITIES for i in columns]
    blocks = []
    for dtype in DTYPES:
        rows = [
            [name] + [_cell(by_key.get((name, dtype, q, i))) for q in QUANTITIES for i in columns]
            for name in names
        ]
        blocks.append(
            f"{dtype}: worst error in ulps (n/a: lacks it; —: not measured)\n"
            + aligned([header, *rows])
        )
    return "\n\n".join(blocks)


def summary(results: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Per implementation, dtype and quantity: how many functions stay within 1 ulp."""
    lines = []
    for key in ((i, d, q) for i in columns for d in DTYPES for q in QUANTITIES):
        measured = [
            r
            for r in results
            if (r["implementation"], r["dtype"], r["quantity"]) == key and r["max_ulp"] is not None
        ]
        if not measured:
            continue
        within = sum(r["max_ulp"] <= 1.0 for r in measured)
        bad = max(measured, key=lambda r: r["max_ulp"])
        implementation, dtype, quantity = key
        lines.append(
            f"{implementation} {dtype} {_symbol(quantity)}: {within} of {len(measured)} functions"
            f" within 1 ulp; worst {_cell(bad)} ulp ({bad['function']} at x={bad['x']!r})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the table and summary, and write the JSON if asked."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.accuracy_report", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--json",
        type=Path,
        metavar="PATH",
        help="write the report here (e.g. docs/data/accuracy.json)",
    )
    parser.add_argument(
        "--points", type=int, help="thin each grid to about this many points (default: all)"
    )
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="these functions only (any alias)"
    )
    args = parser.parse_args(argv)
    if args.points is not None and args.points < 2:
        parser.error("--points must be at least 2")
    names = (
        list(dict.fromkeys(activations.get(n).name for n in args.only))
        if args.only
        else activations.names()
    )
    columns = list(implementations())
    started = time.perf_counter()
    results = [
        measure(name, dtype, quantity, implementation, args.points)
        for name in names
        for dtype in DTYPES
        for quantity in quantities(name)
        for implementation in columns
    ]
    elapsed = time.perf_counter() - started
    print(f"exact values: mpmath, {DPS} significant digits; implementations: {', '.join(columns)}")
    print()
    print(table(results, columns))
    print()
    print(summary(results, columns))
    print(f"{len(names)} functions in {elapsed:.0f} s")
    if args.json is not None:
        report = {
            "schema": SCHEMA,
            "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "command": " ".join(
                [
                    "python -m benchmarks.accuracy_report",
                    *(argv if argv is not None else sys.argv[1:]),
                ]
            ),
            "reference": f"mpmath, {DPS} significant digits",
            "versions": versions(),
            "implementations": columns,
            "results": results,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

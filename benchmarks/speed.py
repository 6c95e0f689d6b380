"""How fast each function is: this package against PyTorch and against naive NumPy.

    .venv/bin/python -m benchmarks.speed                       # every function, 1e6 elements
    .venv/bin/python -m benchmarks.speed --n 100000 --repeat 9 --only gelu silu

For each function, on ``n`` inputs drawn uniformly from [-10, 10] in float64 and the
same inputs rounded to float32, times (median of ``--repeat`` runs after one warm-up):

* **f**: the value. Ours is ``f(x)``; PyTorch's is its function (the one named in the
  record) on a tensor sharing the array's memory, under ``torch.no_grad()``, with
  ``torch.set_num_threads(1)`` (this package uses one core); naive is the textbook
  NumPy one-liner in :data:`NAIVE`.
* **f′**: the derivative. Ours is ``f.derivative(x)``; PyTorch's is what autograd
  costs to get it: the forward pass with ``requires_grad`` plus the backward pass
  (``torch.autograd.grad`` with a cotangent of ones), since PyTorch has no public
  derivative function; naive is the textbook formula of f′.
* **vjp** (vector functions: softmax, log-softmax and the GLUs, on rows of 1000 along
  the last axis): ours is ``f.vjp(x, v)``; PyTorch's is forward plus backward with
  ``grad_outputs=v``; naive is the textbook formula. ``v`` is a fixed random cotangent.

All three run in the same process, one after the other, so each ratio compares
timings taken under the same conditions. "n/a" marks a peer without the function
(PyTorch has no ``lecun_tanh``; NumPy has no ``erf`` for a naive GELU) or PyTorch not
installed. Numbers are measurements, not checks: nothing fails.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

import activations
from activations import Activation, VectorActivation

from ._peers import load_torch, torch_function
from ._table import aligned

Array = NDArray[np.floating[Any]]
#: The PyTorch-vs-this-package goal: at most this many times PyTorch's time.
GOAL = 1.2
#: Length of the rows a vector function works along.
ROW = 1000
DTYPES = (np.float64, np.float32)


# -- the naive NumPy formulas (default parameters) ----------------------------------------
def _where(condition: NDArray[np.bool_], a: float, b: float, x: Array) -> Array:
    """``a`` where ``condition`` holds, else ``b``, in the dtype of ``x``."""
    kind = x.dtype.type
    return np.where(condition, kind(a), kind(b))


def _sigmoid(x: Array) -> Array:
    return 1 / (1 + np.exp(-x))


def _sigmoid_slope(x: Array) -> Array:
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)


def _silu_slope(x: Array) -> Array:
    s = 1 / (1 + np.exp(-x))
    return s + x * s * (1 - s)


def _mish_slope(x: Array) -> Array:
    t = np.tanh(np.log(1 + np.exp(x)))
    return t + x * _sigmoid(x) * (1 - t * t)


def _halves(x: Array) -> tuple[Array, Array]:
    a, b = np.split(x, 2, axis=-1)
    return a, b


def _softmax(x: Array) -> Array:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_vjp(x: Array, v: Array) -> Array:
    s = _softmax(x)
    return s * (v - (s * v).sum(axis=-1, keepdims=True))


def _log_softmax(x: Array) -> Array:
    z = x - x.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def _log_softmax_vjp(x: Array, v: Array) -> Array:
    return v - _softmax(x) * v.sum(axis=-1, keepdims=True)


def _glu(x: Array) -> Array:
    a, b = _halves(x)
    return a / (1 + np.exp(-b))


def _glu_vjp(x: Array, v: Array) -> Array:
    a, b = _halves(x)
    s = _sigmoid(b)
    return np.concatenate([v * s, v * a * s * (1 - s)], axis=-1)


def _swiglu(x: Array) -> Array:
    a, b = _halves(x)
    return a / (1 + np.exp(-a)) * b


def _swiglu_vjp(x: Array, v: Array) -> Array:
    a, b = _halves(x)
    s = _sigmoid(a)
    return np.concatenate([v * b * (s + a * s * (1 - s)), v * a * s], axis=-1)


def _reglu(x: Array) -> Array:
    a, b = _halves(x)
    return np.maximum(a, 0) * b


def _reglu_vjp(x: Array, v: Array) -> Array:
    a, b = _halves(x)
    return np.concatenate([v * b * (a > 0), v * np.maximum(a, 0)], axis=-1)


_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805

#: name -> (f, f′) as one would write them from the formulas, at the default parameters;
#: None where NumPy lacks a piece (GELU needs erf). Vector functions: (f, vjp(x, v)).
NAIVE: dict[str, tuple[Callable[..., Array], Callable[..., Array]] | None] = {
    "step": (lambda x: (x >= 0).astype(x.dtype), np.zeros_like),
    "sigmoid": (_sigmoid, _sigmoid_slope),
    "relu": (lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(x.dtype)),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "threshold": (lambda x: np.where(x > 0, x, 0), lambda x: (x > 0).astype(x.dtype)),
    "sign": (np.sign, np.zeros_like),
    "identity": (np.copy, np.ones_like),
    "hard_sigmoid": (
        lambda x: np.clip(x / 6 + 0.5, 0, 1),
        lambda x: _where(np.abs(x) < 3, 1 / 6, 0, x),
    ),
    "hard_tanh": (lambda x: np.clip(x, -1, 1), lambda x: (np.abs(x) < 1).astype(x.dtype)),
    "softsign": (lambda x: x / (1 + np.abs(x)), lambda x: 1 / (1 + np.abs(x)) ** 2),
    "log_sigmoid": (lambda x: -np.log(1 + np.exp(-x)), lambda x: 1 / (1 + np.exp(x))),
    "arctan": (np.arctan, lambda x: 1 / (1 + x * x)),
    "lecun_tanh": (
        lambda x: 1.7159 * np.tanh(2 * x / 3),
        lambda x: 1.7159 * 2 / 3 * (1 - np.tanh(2 * x / 3) ** 2),
    ),
    "symmetric_sigmoid": (lambda x: 2 / (1 + np.exp(-x)) - 1, lambda x: 2 * _sigmoid_slope(x)),
    "cloglog": (lambda x: 1 - np.exp(-np.exp(x)), lambda x: np.exp(x - np.exp(x))),
    "relu6": (lambda x: np.clip(x, 0, 6), lambda x: ((x > 0) & (x < 6)).astype(x.dtype)),
    "leaky_relu": (lambda x: np.where(x >= 0, x, 0.01 * x), lambda x: _where(x > 0, 1, 0.01, x)),
    "prelu": (lambda x: np.where(x >= 0, x, 0.25 * x), lambda x: _where(x > 0, 1, 0.25, x)),
    "rrelu": (lambda x: np.where(x >= 0, x, 11 / 48 * x), lambda x: _where(x > 0, 1, 11 / 48, x)),
    "srelu": (
        lambda x: np.where(x >= 1, 1 + 0.1 * (x - 1), np.where(x <= -1, -1 + 0.1 * (x + 1), x)),
        lambda x: _where(np.abs(x) < 1, 1, 0.1, x),
    ),
    "squared_relu": (lambda x: np.maximum(x, 0) ** 2, lambda x: 2 * np.maximum(x, 0)),
    "sparse_plus": (
        lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
        lambda x: np.clip((x + 1) / 2, 0, 1),
    ),
    "absolute": (np.abs, np.sign),
    "bent_identity": (
        lambda x: (np.sqrt(x * x + 1) - 1) / 2 + x,
        lambda x: x / (2 * np.sqrt(x * x + 1)) + 1,
    ),
    "elu": (lambda x: np.where(x > 0, x, np.exp(x) - 1), lambda x: np.where(x > 0, 1, np.exp(x))),
    "selu": (
        lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * (np.exp(x) - 1)),
        lambda x: _SELU_SCALE * np.where(x > 0, 1, _SELU_ALPHA * np.exp(x)),
    ),
    "celu": (
        lambda x: np.maximum(x, 0) + np.minimum(0, np.exp(x) - 1),
        lambda x: np.where(x > 0, 1, np.exp(x)),
    ),
    "softplus": (lambda x: np.log(1 + np.exp(x)), _sigmoid),
    "squareplus": (
        lambda x: (x + np.sqrt(x * x + 4)) / 2,
        lambda x: (1 + x / np.sqrt(x * x + 4)) / 2,
    ),
    "gelu": None,
    "silu": (lambda x: x / (1 + np.exp(-x)), _silu_slope),
    "hard_swish": (
        lambda x: x * np.clip(x + 3, 0, 6) / 6,
        lambda x: np.where(x < -3, 0, np.where(x > 3, 1, (2 * x + 3) / 6)),
    ),
    "mish": (lambda x: x * np.tanh(np.log(1 + np.exp(x))), _mish_slope),
    "hardshrink": (
        lambda x: np.where(np.abs(x) > 0.5, x, 0),
        lambda x: (np.abs(x) > 0.5).astype(x.dtype),
    ),
    "softshrink": (
        lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0),
        lambda x: (np.abs(x) > 0.5).astype(x.dtype),
    ),
    "tanhshrink": (lambda x: x - np.tanh(x), lambda x: np.tanh(x) ** 2),
    "gaussian": (lambda x: np.exp(-x * x), lambda x: -2 * x * np.exp(-x * x)),
    "sin": (np.sin, np.cos),
    "cos": (np.cos, lambda x: -np.sin(x)),
    "sinc": (lambda x: np.sinc(x / math.pi), lambda x: (x * np.cos(x) - np.sin(x)) / (x * x)),
    "snake": (lambda x: x + np.sin(x) ** 2, lambda x: 1 + np.sin(2 * x)),
    "softmax": (_softmax, _softmax_vjp),
    "log_softmax": (_log_softmax, _log_softmax_vjp),
    "glu": (_glu, _glu_vjp),
    "swiglu": (_swiglu, _swiglu_vjp),
    "geglu": None,
    "reglu": (_reglu, _reglu_vjp),
}


# -- timing ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """The timings of one function, dtype and quantity, in milliseconds (None: n/a)."""

    name: str
    dtype: str
    quantity: str
    ours: float
    torch: float | None
    naive: float | None

    @property
    def vs_torch(self) -> float | None:
        return None if self.torch is None else self.ours / self.torch

    @property
    def vs_naive(self) -> float | None:
        return None if self.naive is None else self.ours / self.naive


def median_ms(call: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``call()`` in ms over ``repeat`` runs, after one warm-up."""
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def row_length(n: int) -> int:
    """The length of a vector function's rows for ``n`` inputs: :data:`ROW`, fewer if
    ``n`` is small; always even (the GLUs split each row in halves)."""
    return max(2, min(ROW, n) // 2 * 2)


def inputs(n: int, vector: bool) -> dict[str, Array]:
    """The inputs per dtype name: ``n`` values uniform on [-10, 10] (seed 0); for a
    vector function as rows of :func:`row_length` (a remainder is dropped)."""
    x = np.random.default_rng(0).uniform(-10.0, 10.0, n)
    if vector:
        row = row_length(n)
        x = x[: n // row * row].reshape(-1, row)
    return {np.dtype(d).name: x.astype(d) for d in DTYPES}


def time_function(record: Activation, n: int, repeat: int) -> list[Row]:
    """Rows for ``record``: f and f′ (vjp for a vector function) in float64 and float32.

    A vector function's cotangent ``v`` has the output's shape, uniform on [-1, 1]."""
    torch = load_torch()
    rows = []
    for dtype, x in inputs(n, isinstance(record, VectorActivation)).items():
        v = np.random.default_rng(1).uniform(-1.0, 1.0, np.shape(record(x))).astype(x.dtype)
        ours = _our_calls(record, x, v)
        peers = _torch_calls(record, x, v, torch) if torch is not None else {}
        naive = _naive_calls(record, x, v)
        for quantity, call in ours.items():
            with np.errstate(all="ignore"):  # the naive formulas overflow where they overflow
                naive_ms = median_ms(naive[quantity], repeat) if naive else None
            rows.append(
                Row(
                    name=record.name,
                    dtype=dtype,
                    quantity=quantity,
                    ours=median_ms(call, repeat),
                    torch=median_ms(peers[quantity], repeat) if peers else None,
                    naive=naive_ms,
                )
            )
    return rows


def _our_calls(record: Activation, x: Array, v: Array) -> dict[str, Callable[[], object]]:
    """This package's f and f′ (or vjp)."""
    if isinstance(record, VectorActivation):
        return {"f": lambda: record(x), "vjp": lambda: record.vjp(x, v)}
    return {"f": lambda: record(x), "f′": lambda: record.derivative(x)}


def _naive_calls(record: Activation, x: Array, v: Array) -> dict[str, Callable[[], object]]:
    """The naive f and f′ (or vjp), or none where NumPy lacks a piece."""
    formulas = NAIVE[record.name]
    if formulas is None:
        return {}
    value, slope = formulas
    if isinstance(record, VectorActivation):
        return {"f": lambda: value(x), "vjp": lambda: slope(x, v)}
    return {"f": lambda: value(x), "f′": lambda: slope(x)}


def _torch_calls(
    record: Activation, x: Array, v: Array, torch: Any
) -> dict[str, Callable[[], object]]:
    """PyTorch's f (no grad) and f′ or vjp (forward + autograd backward), or none."""
    t = torch.from_numpy(x)
    function = torch_function(record, t.dtype)
    if function is None:
        return {}
    t_grad = torch.from_numpy(x.copy()).requires_grad_(True)
    cotangent = torch.from_numpy(v) if isinstance(record, VectorActivation) else torch.ones_like(t)

    def value() -> object:
        with torch.no_grad():
            return function(t)

    def slope() -> object:
        return torch.autograd.grad(function(t_grad), t_grad, grad_outputs=cotangent)

    return {"f": value, "vjp" if isinstance(record, VectorActivation) else "f′": slope}


# -- the report -------------------------------------------------------------------------------
def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def table(rows: Sequence[Row]) -> str:
    """The rows as an aligned text table."""
    header = ["function", "dtype", "what", "ours ms", "torch ms", "naive ms"]
    return aligned(
        [[*header, "ours/torch", "ours/naive"]]
        + [
            [r.name, r.dtype, r.quantity]
            + [_number(t) for t in (r.ours, r.torch, r.naive, r.vs_torch, r.vs_naive)]
            for r in rows
        ],
        left=3,
    )


def summary(rows: Sequence[Row]) -> str:
    """How many rows meet the goal against PyTorch, and what float32 costs against float64."""
    compared = {r: r.vs_torch for r in rows if r.vs_torch is not None}
    lines = []
    if compared:
        within = [r for r, ratio in compared.items() if ratio <= GOAL]
        per_quantity = "".join(
            f"; {q}: {sum(r.quantity == q for r in within)} of"
            f" {sum(r.quantity == q for r in compared)}"
            for q in dict.fromkeys(r.quantity for r in compared)
        )
        lines.append(
            f"within {GOAL}x torch: {len(within)} of {len(compared)} rows{per_quantity}"
            f" (median ours/torch {statistics.median(compared.values()):.2f})"
        )
        slowest = sorted(compared, key=compared.__getitem__, reverse=True)[:5]
        lines.append(
            "slowest against torch: "
            + ", ".join(f"{r.name} {r.quantity} {r.dtype} {compared[r]:.1f}x" for r in slowest)
        )
    else:
        lines.append("torch: n/a (not installed, or none of these functions)")
    by_key = {(r.name, r.quantity, r.dtype): r.ours for r in rows}
    pairs = [
        by_key[(name, quantity, "float32")] / by_key[(name, quantity, "float64")]
        for name, quantity, dtype in by_key
        if dtype == "float64" and (name, quantity, "float32") in by_key
    ]
    if pairs:
        lines.append(
            f"ours float32/float64 time: median {statistics.median(pairs):.2f}"
            f" (min {min(pairs):.2f}, max {max(pairs):.2f})"
        )
    naive = [r.vs_naive for r in rows if r.vs_naive is not None]
    if naive:
        lines.append(f"ours/naive NumPy: median {statistics.median(naive):.2f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Time the functions and print the table and its summary."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.speed", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--n", type=int, default=1_000_000, help="elements per input (default 1e6)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (median)")
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="these functions only (any alias)"
    )
    args = parser.parse_args(argv)
    if args.n < 2 or args.repeat < 1:
        parser.error("--n must be at least 2 and --repeat at least 1")
    names = [activations.get(name).name for name in args.only] if args.only else activations.names()
    torch = load_torch()
    peer = f"torch {torch.__version__}, 1 thread" if torch else "torch not installed"
    print(
        f"{args.n} elements uniform on [-10, 10]; median of {args.repeat} runs after a warm-up;"
        f" numpy {np.__version__}, {peer}\n"
        "torch f′ and vjp: forward + autograd backward; vector functions on rows of"
        f" {row_length(args.n)}"
    )
    rows: list[Row] = []
    for name in dict.fromkeys(names):
        rows += time_function(activations.get(name), args.n, args.repeat)
    print(table(rows))
    print(summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

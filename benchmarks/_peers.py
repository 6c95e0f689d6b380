"""The other implementations the benchmarks compare with: PyTorch and SciPy.

Both are optional: :func:`load_torch` and :func:`load_scipy_special` return ``None``
when they are not installed, and the reports then say "n/a" or leave the columns out.

The PyTorch callable of an activation is the one named in its record's ``PyTorch``
entry in ``frameworks`` (the single source of that fact; ``tests/test_torch.py`` uses
the same functions). Parameters have PyTorch's names by design, except the vector
functions' ``axis``, which is PyTorch's ``dim``.
"""

from __future__ import annotations

import functools
import importlib
import math
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

from activations import Activation, VectorActivation

#: A function of one array (tensor for torch) with the parameters bound.
Unary = Callable[[Any], Any]


@functools.cache
def load_torch() -> ModuleType | None:
    """PyTorch limited to one thread (the package is single-threaded), or None."""
    try:
        torch = importlib.import_module("torch")
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


@functools.cache
def load_scipy_special() -> ModuleType | None:
    """``scipy.special``, or None when SciPy is not installed."""
    try:
        return importlib.import_module("scipy.special")
    except ImportError:
        return None


def torch_callable(record: Activation) -> Callable[..., Any] | None:
    """The PyTorch function named by ``record``, or None where PyTorch has none.

    A module class (``torch.nn.Identity``) becomes a function that builds it with the
    parameters and applies it. Requires PyTorch.
    """
    entry = next((f for f in record.frameworks if f.framework == "PyTorch"), None)
    if entry is None or not entry.name.startswith("torch."):
        return None
    module_name, _, attribute = entry.name.rpartition(".")
    target = getattr(importlib.import_module(module_name), attribute)
    if isinstance(target, type):
        return lambda t, **params: target(**params)(t)
    return target


def torch_params(
    record: Activation, params: dict[str, Any], dtype: Any = None
) -> dict[str, Any] | None:
    """Our parameters as PyTorch takes them, or None where PyTorch cannot express them.

    A parameter PyTorch's function does not have (silu's ``beta``, rrelu's ``rng``) is
    dropped at its default value; any other value of it has no PyTorch counterpart, and
    neither has rrelu's random ``training=True`` mode. PReLU's weight becomes a tensor
    of ``dtype`` (float64 by default), the dtype of the input it will be applied to.
    """
    torch = _require_torch()
    dtype = torch.float64 if dtype is None else dtype
    accepted = accepted_parameters(record)
    resolved = record.resolve_params(params)
    converted: dict[str, Any] = {}
    for param in record.params:
        value = resolved[param.name]
        if param.name not in accepted or param.kind == "generator":
            if value != param.default:
                return None
            continue
        if record.name == "rrelu" and param.name == "training" and value:
            return None
        if record.name == "prelu" and param.name == "weight":
            value = torch.tensor([value], dtype=dtype)
        converted[param.name] = value
    return converted


def accepted_parameters(record: Activation) -> frozenset[str]:
    """Our parameters that PyTorch's function takes: call it with all of them at their
    defaults and drop each one it calls unexpected (many torch functions are builtins
    without an inspectable signature)."""
    torch = _require_torch()
    function = torch_callable(record)
    if function is None:
        raise ValueError(f"PyTorch has no {record.name}")
    trial = {p.name: p.default for p in record.params}
    if record.name == "prelu":
        trial["weight"] = torch.tensor([trial["weight"]], dtype=torch.float64)
    while True:
        try:
            function(torch.zeros(2, dtype=torch.float64), **trial)
        except TypeError as error:
            unexpected = re.search(r"unexpected keyword argument '(\w+)'", str(error))
            if not unexpected or unexpected.group(1) not in trial:
                raise
            del trial[unexpected.group(1)]
            continue
        return frozenset(trial)


def torch_function(record: Activation, dtype: Any) -> Unary | None:
    """PyTorch's version of ``record`` at its default parameters, for tensors of
    ``dtype``; None where PyTorch has no such function or cannot express the defaults.
    A vector function works along the last dimension, as this package's default
    ``axis=-1`` does."""
    function = torch_callable(record)
    if function is None:
        return None
    if isinstance(record, VectorActivation):
        return lambda t: function(t, dim=record.defaults["axis"])
    params = torch_params(record, {}, dtype)
    if params is None:
        return None
    return lambda t: function(t, **params)


def scipy_function(name: str) -> tuple[Unary, str] | None:
    """SciPy's version of the activation ``name`` (values only: SciPy has no
    derivatives of these) with a note saying what it is, or None."""
    special = load_scipy_special()
    if special is None:
        return None
    root_half = 1 / math.sqrt(2.0)  # a Python float: float32 input stays float32
    functions: dict[str, tuple[Unary, str]] = {
        "sigmoid": (special.expit, "scipy.special.expit"),
        "log_sigmoid": (special.log_expit, "scipy.special.log_expit"),
        "gelu": (
            lambda x: 0.5 * x * (1 + special.erf(x * root_half)),
            "x/2 (1 + scipy.special.erf(x/√2))",
        ),
        "softmax": (lambda x: special.softmax(x, axis=-1), "scipy.special.softmax"),
        "log_softmax": (lambda x: special.log_softmax(x, axis=-1), "scipy.special.log_softmax"),
    }
    return functions.get(name)


def _require_torch() -> ModuleType:
    torch = load_torch()
    if torch is None:
        raise ModuleNotFoundError("PyTorch is not installed: pip install torch==2.13.0")
    return torch

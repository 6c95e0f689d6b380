"""The activation record and the input handling every activation shares.

An :class:`Activation` is one record per function: the numerical kernel, its exact
derivative, the LaTeX of both, the parameters with their defaults, the mathematical
properties, the derivative convention at non-differentiable points, the paper it comes
from and what the big frameworks call it. The registry, the site's pages and plots and
the test-suite are all generated from these records, so each fact is written once.

Kernels are plain functions on ``float64`` arrays. The record's ``__call__`` does the
rest, identically for every function:

* reject what is not a real number (complex, strings, objects, ``None``) with a
  :class:`TypeError` that names the function and what it got;
* check parameters (unknown names, wrong types, values out of range) and raise a
  :class:`ValueError` that names the allowed values;
* compute in ``float64`` and round once to the input's floating dtype
  (``float32 -> float32``, ``float16 -> float16``; integers and booleans give
  ``float64``), so a float32 result is within one float32 ulp of the exact value;
* keep the shape (0-d, empty and N-d arrays; lists, tuples and Python scalars are
  accepted) and never modify the input.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Activation",
    "FrameworkName",
    "Interval",
    "Kink",
    "Origin",
    "Param",
    "Properties",
    "VectorActivation",
    "SMOOTH",
    "DISCONTINUOUS",
]

F64 = NDArray[np.float64]
Kernel = Callable[..., F64]

#: Elementwise functions evaluate arrays larger than this in blocks of this many elements.
BLOCK = 1 << 14

#: Continuity order of an infinitely differentiable function (C^∞).
SMOOTH = math.inf
#: Continuity order of a function with jumps (written C^-1).
DISCONTINUOUS = -1

_OUTPUT_DTYPES = {np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)}


@dataclass(frozen=True)
class Param:
    """One parameter of an activation: its name, default, meaning and allowed values.

    ``kind`` says how a value is checked: ``"float"`` (a finite real number within
    ``[minimum, maximum]``, ends excluded where ``*_exclusive`` is set), ``"int"``,
    ``"bool"``, ``"choice"`` (one of ``choices``) or ``"generator"`` (a
    :class:`numpy.random.Generator` or ``None``). ``slider`` is the range an
    interactive explorer offers for a float parameter.
    """

    name: str
    default: Any
    description: str
    latex: str = ""
    kind: Literal["float", "int", "bool", "choice", "generator"] = "float"
    minimum: float = -math.inf
    maximum: float = math.inf
    minimum_exclusive: bool = False
    maximum_exclusive: bool = False
    choices: tuple[str, ...] = ()
    slider: tuple[float, float] | None = None

    def allowed(self) -> str:
        """Describe the allowed values in words, for error messages and the docs."""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "bool":
            return "True or False"
        if self.kind == "generator":
            return "a numpy.random.Generator or None"
        if self.kind == "int":
            return "an integer"
        low = "(" if self.minimum_exclusive else "["
        high = ")" if self.maximum_exclusive else "]"
        if self.minimum == -math.inf and self.maximum == math.inf:
            return "a finite real number"
        return f"a real number in {low}{_fmt(self.minimum)}, {_fmt(self.maximum)}{high}"

    def check(self, function: str, value: Any) -> Any:
        """Return ``value`` normalised (floats as ``float``), or raise naming the problem."""
        where = f"{function}(): parameter {self.name!r}"
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise ValueError(f"{where} must be {self.allowed()}; got {value!r}")
            return value
        if self.kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"{where} must be {self.allowed()}; got {value!r}")
            return bool(value)
        if self.kind == "generator":
            if value is not None and not isinstance(value, np.random.Generator):
                raise TypeError(f"{where} must be {self.allowed()}; got {type(value).__name__}")
            return value
        if self.kind == "int":
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
                raise TypeError(f"{where} must be {self.allowed()}; got {value!r}")
            return int(value)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"{where} must be {self.allowed()}; got {value!r}")
        number = float(value)
        too_low = number <= self.minimum if self.minimum_exclusive else number < self.minimum
        too_high = number >= self.maximum if self.maximum_exclusive else number > self.maximum
        if not math.isfinite(number) or too_low or too_high:
            raise ValueError(f"{where} must be {self.allowed()}; got {value!r}")
        return number


@dataclass(frozen=True)
class Interval:
    """A set of real numbers such as the range of an activation.

    The ends are numbers for the default parameters; ``low_latex``/``high_latex``
    give the general form when an end depends on a parameter (ELU's ``-\\alpha``).
    ``values`` lists the members of a finite range such as the step's ``{0, 1}``.
    """

    low: float
    high: float
    low_closed: bool = False
    high_closed: bool = False
    low_latex: str = ""
    high_latex: str = ""
    values: tuple[float, ...] = ()

    def latex(self) -> str:
        """The interval in LaTeX, e.g. ``(-1, 1)``, ``[0, \\infty)`` or ``\\{0, 1\\}``."""
        if self.values:
            return r"\{" + ", ".join(_fmt(v) for v in self.values) + r"\}"
        if self.low == -math.inf and self.high == math.inf:
            return r"\mathbb{R}"
        low = self.low_latex or _latex_number(self.low)
        high = self.high_latex or _latex_number(self.high)
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{low}, {high}{right}"


@dataclass(frozen=True)
class Properties:
    """Mathematical facts about an activation at its default parameters.

    Every field is checked against the implementation by the test-suite, so a wrong
    claim fails a test. ``continuity`` is the order k of C^k: ``SMOOTH`` (C^∞),
    ``DISCONTINUOUS`` (-1, the function jumps) or an integer.
    """

    range: Interval
    monotonic: bool
    continuity: float
    zero_centred: bool
    saturating: Literal["no", "both", "left", "right"]
    self_gated: bool = False
    identity_near_origin: bool = False

    @property
    def bounded_below(self) -> bool:
        """Whether some finite number is below every output."""
        return self.range.low != -math.inf

    @property
    def bounded_above(self) -> bool:
        """Whether some finite number is above every output."""
        return self.range.high != math.inf

    def continuity_latex(self) -> str:
        """The continuity class in LaTeX: ``C^\\infty``, ``C^{1}`` or ``C^{-1}``."""
        return r"C^\infty" if self.continuity == SMOOTH else f"C^{{{int(self.continuity)}}}"


@dataclass(frozen=True)
class Kink:
    """A point where the activation is not differentiable, and the derivative used there.

    ``points`` gives the x-values for given parameters; ``value`` the derivative this
    package returns there (PyTorch's backward value); the LaTeX fields say the same for
    the docs, and ``note`` explains the choice and what other frameworks do.
    """

    points: Callable[[Mapping[str, Any]], Sequence[float]]
    value: Callable[[Mapping[str, Any]], float]
    point_latex: str
    value_latex: str
    note: str = ""


def zero_slope(params: Mapping[str, Any]) -> float:
    """A :class:`Kink` ``value`` for a derivative taken as 0 there, whatever the parameters."""
    return 0.0


def unit_slope(params: Mapping[str, Any]) -> float:
    """A :class:`Kink` ``value`` for a derivative taken as 1 there, whatever the parameters."""
    return 1.0


@dataclass(frozen=True)
class Origin:
    """Where an activation was introduced (or popularised)."""

    authors: str
    year: int
    title: str
    venue: str
    url: str = ""


@dataclass(frozen=True)
class FrameworkName:
    """What one framework calls the activation, its defaults and how it differs.

    ``framework`` is one of ``"PyTorch"``, ``"JAX"``, ``"Keras 3"``, ``"TensorFlow"``;
    ``name`` is the public callable (``torch.nn.functional.elu``); an empty name means
    the framework has no built-in version, and ``notes`` says what to use instead.
    """

    framework: Literal["PyTorch", "JAX", "Keras 3", "TensorFlow"]
    name: str
    defaults: str = ""
    notes: str = ""


@dataclass(frozen=True, eq=False)
class Activation:
    """One activation function: callable like the function, with its facts attached.

    Call it as ``f(x, **params)``; ``f.derivative(x, **params)`` returns df/dx
    elementwise. Both accept anything array-like and return an array of the same
    shape (a NumPy scalar for 0-d input) in the input's floating dtype.
    """

    name: str
    display_name: str
    summary: str
    family: str
    kernel: Kernel = field(repr=False)
    derivative_kernel: Kernel = field(repr=False)
    latex: str
    derivative_latex: str
    properties: Properties
    params: tuple[Param, ...] = ()
    kinks: tuple[Kink, ...] = ()
    origin: Origin | None = None
    frameworks: tuple[FrameworkName, ...] = ()
    aliases: tuple[str, ...] = ()
    cost: str = ""
    check_params: Callable[[Mapping[str, Any]], None] | None = field(default=None, repr=False)
    test_params: tuple[Mapping[str, Any], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "__doc__", f"{self.display_name}: {self.summary}")
        object.__setattr__(self, "__name__", self.name)

    def __repr__(self) -> str:
        return f"<activation {self.name}: {self.display_name}>"

    # -- evaluation -------------------------------------------------------------
    def __call__(self, x: ArrayLike, /, **params: Any) -> Any:
        """Evaluate the activation elementwise."""
        return self._evaluate(self.kernel, x, params)

    def derivative(self, x: ArrayLike, /, **params: Any) -> Any:
        """Evaluate df/dx elementwise (at kinks: the value documented in ``kinks``)."""
        return self._evaluate(self.derivative_kernel, x, params)

    def resolve_params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Fill in defaults and check every parameter; raise naming what is wrong."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(params) - set(known))
        if unknown:
            allowed = ", ".join(known) if known else "none"
            raise TypeError(
                f"{self.name}() got unexpected parameter(s) {', '.join(map(repr, unknown))};"
                f" its parameters are: {allowed}"
            )
        resolved = {
            name: p.check(self.name, params.get(name, p.default)) for name, p in known.items()
        }
        if self.check_params is not None:
            self.check_params(resolved)
        return resolved

    @property
    def defaults(self) -> dict[str, Any]:
        """The default value of every parameter."""
        return {p.name: p.default for p in self.params}

    def _evaluate(self, kernel: Kernel, x: ArrayLike, params: Mapping[str, Any]) -> Any:
        resolved = self.resolve_params(params)
        values, out_dtype = as_float64(self.name, x)
        if values.size <= BLOCK:
            return round_to(kernel(values, **resolved), out_dtype)
        # Block by block: an exact kernel makes dozens of temporaries the size of its
        # input; on BLOCK elements they stay in the CPU cache (about twice as fast on a
        # million elements) and memory use stays bounded. Assigning into ``out``
        # rounds each float64 result once to the output dtype, as round_to does.
        flat = values.reshape(-1)
        out = np.empty(flat.shape, dtype=out_dtype)
        with np.errstate(over="ignore"):  # float64 -> float16/32 overflow is correct rounding
            for start in range(0, flat.size, BLOCK):
                out[start : start + BLOCK] = kernel(flat[start : start + BLOCK], **resolved)
        return out.reshape(values.shape)


@dataclass(frozen=True, eq=False)
class VectorActivation(Activation):
    """An activation that maps a vector to a vector along ``axis`` (softmax, GLU, ...).

    Its derivative is a matrix, not a number per element: use :meth:`jacobian` for the
    full Jacobian or :meth:`vjp` for a vector-Jacobian product (what backpropagation
    needs, without forming the matrix).
    """

    jacobian_kernel: Kernel = field(default=None, repr=False)  # type: ignore[assignment]
    vjp_kernel: Kernel = field(default=None, repr=False)  # type: ignore[assignment]

    def derivative(self, x: ArrayLike, /, **params: Any) -> Any:
        """Not defined elementwise: raises, pointing to :meth:`jacobian` and :meth:`vjp`."""
        raise TypeError(
            f"{self.name} is vector-valued, so it has no elementwise derivative: use "
            f"{self.name}.jacobian(x, axis=...) or {self.name}.vjp(x, cotangent, axis=...)"
        )

    def jacobian(self, x: ArrayLike, /, **params: Any) -> Any:
        """The Jacobian along ``axis``: shape ``out.shape + (n,)``, where ``n`` is the
        length of ``x`` along ``axis``; the output index sits where ``axis`` is and the
        input index comes last: ``J[..., i, ..., j] = d out_i / d x_j`` (torch's layout;
        GLU on shape (4,) gives (2, 4))."""
        resolved = self.resolve_params(params)
        values, out_dtype = as_float64(self.name, x)
        _check_axis(self.name, values, resolved)
        return round_to(self.jacobian_kernel(values, **resolved), out_dtype)

    def vjp(self, x: ArrayLike, cotangent: ArrayLike, /, **params: Any) -> Any:
        """The vector-Jacobian product ``v^T J`` along ``axis``: the gradient with
        respect to ``x`` of ``sum(cotangent * f(x))``; it has the shape of ``x``."""
        resolved = self.resolve_params(params)
        values, out_dtype = as_float64(self.name, x)
        _check_axis(self.name, values, resolved)
        v, _ = as_float64(self.name, cotangent)
        return round_to(self.vjp_kernel(values, v, **resolved), out_dtype)

    def _evaluate(self, kernel: Kernel, x: ArrayLike, params: Mapping[str, Any]) -> Any:
        resolved = self.resolve_params(params)
        values, out_dtype = as_float64(self.name, x)
        _check_axis(self.name, values, resolved)
        return round_to(kernel(values, **resolved), out_dtype)


def as_float64(function: str, x: ArrayLike) -> tuple[F64, np.dtype[Any]]:
    """Convert ``x`` to a float64 array and return it with the dtype to give back.

    Raises :class:`TypeError` naming ``function`` for anything that is not a real
    number: complex values, strings, ``None``, arbitrary objects, dates.
    """
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{function}() expects real numbers, got {type(x).__name__}: {x!r}")
    try:
        array = np.asarray(x)
    except (TypeError, ValueError) as error:  # ragged nested lists and the like
        raise TypeError(f"{function}() expects real numbers, could not read {x!r}: {error}")
    kind = array.dtype.kind
    if kind not in "biuf":
        what = {"c": "complex numbers", "U": "strings", "S": "bytes", "O": "Python objects"}
        got = what.get(kind, f"dtype {array.dtype}")
        raise TypeError(f"{function}() expects real numbers, got {got} (dtype {array.dtype})")
    out_dtype = array.dtype if array.dtype in _OUTPUT_DTYPES else np.dtype(np.float64)
    return array.astype(np.float64, copy=False), out_dtype


def round_to(result: F64, dtype: np.dtype[Any]) -> Any:
    """Round a float64 result once to ``dtype``; a 0-d result becomes a NumPy scalar."""
    if result.dtype != dtype:
        # Rounding a huge float64 to float16/float32 gives inf: the correctly rounded
        # result, not an error, so the cast's overflow flag is deliberately ignored.
        with np.errstate(over="ignore"):
            result = result.astype(dtype)
    return result[()] if result.ndim == 0 else result


def _check_axis(function: str, values: F64, params: Mapping[str, Any]) -> None:
    axis = params.get("axis")
    if axis is None:
        return
    if values.ndim == 0:
        raise ValueError(f"{function}() needs at least a 1-d input to work along an axis")
    if not -values.ndim <= axis < values.ndim:
        raise ValueError(
            f"{function}(): axis {axis} is out of range for a {values.ndim}-d input;"
            f" allowed: {-values.ndim} to {values.ndim - 1}"
        )


def _fmt(value: float) -> str:
    if value == math.inf:
        return "inf"
    if value == -math.inf:
        return "-inf"
    return f"{value:g}"


def _latex_number(value: float) -> str:
    if value == math.inf:
        return r"\infty"
    if value == -math.inf:
        return r"-\infty"
    return f"{value:.6g}"

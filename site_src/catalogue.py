"""The package's records, arranged for the site: families, words for facts, examples.

Nothing here restates a fact: every value shown comes from an :class:`Activation` record
or from calling it. This module only decides how a fact is worded (``"both sides"`` for
``saturating="both"``) and in what order things appear.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from mkdocs.exceptions import PluginError

import activations
from activations import Activation, VectorActivation

#: Page of an activation, relative to docs/.
FUNCTION_DIR = "functions"

#: The frameworks every page lists, in this order (FrameworkName.framework values).
FRAMEWORKS = ("PyTorch", "JAX", "Keras 3", "TensorFlow")

_SATURATING = {
    "no": "no",
    "both": "both sides",
    "left": "for x → −∞",
    "right": "for x → +∞",
}


@dataclass(frozen=True)
class Family:
    key: str
    title: str
    blurb: str
    records: tuple[Activation, ...]

    @property
    def anchor(self) -> str:
        """``"periodic and radial"`` -> ``"periodic-and-radial"``: its id on the pages."""
        return family_anchor(self.key)


def records() -> list[Activation]:
    """Every activation, in the package's teaching order."""
    return [activations.get(name) for name in activations.names()]


def records_names() -> list[str]:
    """Canonical names, in the package's teaching order."""
    return list(activations.names())


def record(name: str, where: str) -> Activation:
    """The record called ``name`` (canonical names only), or fail naming ``where``."""
    if name not in activations.names():
        raise PluginError(
            f"{where}: no activation is named {name!r}; known: {', '.join(activations.names())}"
        )
    return activations.get(name)


def page_path(name: str) -> str:
    return f"{FUNCTION_DIR}/{name}.md"


def families() -> list[Family]:
    """Families in order of first appearance in the teaching order, members likewise."""
    grouped: dict[str, list[Activation]] = {}
    for r in records():
        grouped.setdefault(r.family, []).append(r)
    return [
        Family(key, family_title(key), family_blurb(members), tuple(members))
        for key, members in grouped.items()
    ]


def family_anchor(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def family_title(key: str) -> str:
    """``"smooth_rectifiers"`` -> ``"Smooth rectifiers"``."""
    return key.replace("_", " ").capitalize()


def family_blurb(members: list[Activation]) -> str:
    """The first line of the docstring of the module that defines the family."""
    module_name = _defining_module(members[0])
    if module_name is None:
        return ""
    doc = inspect.getdoc(importlib.import_module(module_name)) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ")


def _defining_module(r: Activation) -> str | None:
    kernel: Callable[..., object] = r.kernel
    while hasattr(kernel, "func"):  # functools.partial
        kernel = kernel.func  # type: ignore[assignment]
    module = getattr(kernel, "__module__", None)
    return module if module and module.startswith("activations.") else None


# -- facts in words ------------------------------------------------------------------
def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def saturating(r: Activation) -> str:
    try:
        return _SATURATING[r.properties.saturating]
    except KeyError:
        raise PluginError(f"{r.name}: unknown saturating value {r.properties.saturating!r}") from None


def continuity_words(r: Activation) -> str:
    c = r.properties.continuity
    if c == math.inf:
        return "smooth"
    if c < 0:
        return "jumps"
    if c == 0:
        return "continuous, with kinks"
    return f"{int(c)} times continuously differentiable"


def derivative_at_zero(r: Activation) -> float | None:
    """f′(0) at the default parameters, as the package computes it (None: vector-valued)."""
    if isinstance(r, VectorActivation):
        return None
    return float(r.derivative(0.0))


def kink_at_zero(r: Activation) -> bool:
    defaults = r.defaults
    return any(0.0 in [float(p) for p in k.points(defaults)] for k in r.kinks)


def number(value: float) -> str:
    """A short, exact-enough decimal for tables (``0.25``, ``1``, ``−0.5``, ``nan``)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"  # -0.0 (Gaussian's f′(0)) reads as a typo in a table
    text = f"{value:.6g}"
    return text.replace("-", "−")


def default_text(value: object) -> str:
    if value is None:
        return "None"
    if isinstance(value, float):
        return repr(value)
    return repr(value)


def framework_rows(r: Activation) -> list[tuple[str, str, str, str]]:
    """(framework, name, defaults, notes) for each framework, in FRAMEWORKS order."""
    by_framework = {f.framework: f for f in r.frameworks}
    unknown = set(by_framework) - set(FRAMEWORKS)
    if unknown:
        raise PluginError(f"{r.name}: unknown framework(s) {sorted(unknown)}")
    rows = []
    for framework in FRAMEWORKS:
        entry = by_framework.get(framework)
        if entry is None:
            rows.append((framework, "", "", "Not recorded."))
        else:
            rows.append((framework, entry.name, entry.defaults, entry.notes))
    return rows


# -- examples ------------------------------------------------------------------------
EXAMPLE_INPUT = "np.array([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0])"


def example_code(r: Activation) -> str:
    """A runnable example for ``r``, using only the package's public API."""
    lines = ["import numpy as np", "import activations", "", f"x = {EXAMPLE_INPUT}"]
    call = f"activations.{r.name}" if r.name.isidentifier() else f'activations.get("{r.name}")'
    if isinstance(r, VectorActivation):
        lines += [
            f"y = {call}(x)",
            "print(y)",
            "v = np.zeros_like(y)",
            "v[0] = 1.0  # backpropagate from the first output only",
            f"print({call}.vjp(x, v))",
        ]
    else:
        lines += [f"print({call}(x))", f"print({call}.derivative(x))"]
    plain = [p for p in r.test_params if all(isinstance(v, (int, float, str, bool)) for v in p.values())]
    if plain:  # the record's own test parameters show a non-default call
        params = ", ".join(f"{k}={v!r}" for k, v in plain[0].items())
        lines.append(f"print({call}(x, {params}))")
    return "\n".join(lines)


def run_example(code: str, where: str) -> str:
    """Run an example and return what it prints (shown on the page, checked by the tests)."""
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output), np.printoptions(legacy=False):
            exec(compile(code, f"<example on {where}>", "exec"), {"__name__": "__example__"})
    except Exception as error:  # the build must name the failing example
        raise PluginError(f"{where}: the example raised {type(error).__name__}: {error}\n{code}") from error
    return output.getvalue()


def markdown_text(text: str) -> str:
    """Plain text from a record, made safe inside Markdown (tables included)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", text)

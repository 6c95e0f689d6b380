"""Plots drawn at build time by matplotlib from the package itself, as inline SVG.

Each plot is computed by calling the record (``f(x)`` and ``f.derivative(x)``), never
from a copied formula. Colours are drawn as sentinel values and then replaced by CSS
custom properties (``var(--act-plot-f)`` ...), defined for the light and the dark palette
in ``site_src/assets/site.css``, so one SVG is legible in both. f is solid and f′ dashed,
so the two are told apart without colour too.

The SVG is cleaned for inlining: no XML prolog, metadata or global ``<style>``; ids only
where something refers to them, prefixed per plot so several plots share a page; text
inherits the page's font; coordinates rounded to 0.1 pt (far below a pixel).

Kinks: where the record declares non-differentiable points, the lines break there and
a filled dot marks the value the package returns (its derivative convention); open dots
mark the one-sided limits where they differ.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

from activations import Activation, VectorActivation  # noqa: E402

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Sentinel colours drawn by matplotlib -> the CSS custom property that replaces them.
_F, _DF, _FG, _GRID, _BG = "#010101", "#020202", "#030303", "#040404", "#050505"
_SERIES = [f"#0a0a{i:02x}" for i in range(1, 9)]
_COLOUR_VARS = {
    _F: "var(--act-plot-f)",
    _DF: "var(--act-plot-df)",
    _FG: "var(--act-plot-fg)",
    _GRID: "var(--act-plot-grid)",
    _BG: "var(--act-plot-bg)",
    **{colour: f"var(--act-series-{i + 1})" for i, colour in enumerate(_SERIES)},
}
_LINESTYLES = ["-", "--", "-.", ":"]

_RC = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, the page's font
    "svg.hashsalt": "activations",  # reproducible ids, so identical builds give identical pages
    "font.size": 10,
    "text.color": _FG,
    "axes.labelcolor": _FG,
    "axes.edgecolor": _FG,
    "xtick.color": _FG,
    "ytick.color": _FG,
    "grid.color": _GRID,
    "grid.linewidth": 0.6,
    "legend.facecolor": _BG,
    "legend.edgecolor": _GRID,
    "legend.framealpha": 0.9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": True,
    "path.simplify_threshold": 0.2,
}

DEFAULT_SPAN = 5.0
N_POINTS = 801


@dataclass(frozen=True)
class Curve:
    """Sampled values with NaN gaps where the line breaks, and marks at the kinks."""

    x: np.ndarray
    y: np.ndarray
    filled: list[tuple[float, float]]  # the value at a kink (the convention)
    hollow: list[tuple[float, float]]  # one-sided limits that differ from it


def x_span(record: Activation) -> tuple[float, float]:
    """[-5, 5], widened to show every kink with a margin (ReLU6 needs 6)."""
    low, high = -DEFAULT_SPAN, DEFAULT_SPAN
    for point in kink_points(record):
        low, high = min(low, point - 1.0), max(high, point + 1.0)
    return low, high


def kink_points(record: Activation) -> list[float]:
    defaults = record.defaults
    return sorted({float(p) for kink in record.kinks for p in kink.points(defaults)})


def _evaluate(record: Activation, x: np.ndarray, derivative: bool) -> np.ndarray:
    if isinstance(record, VectorActivation):
        # The first output for the input vector (x, 0): softmax gives the sigmoid, etc.
        vectors = np.stack([x, np.zeros_like(x)], axis=-1)
        if derivative:
            return np.asarray(record.jacobian(vectors, axis=-1))[..., 0, 0]
        return np.asarray(record(vectors, axis=-1))[..., 0]
    function = record.derivative if derivative else record
    return np.asarray(function(x), dtype=np.float64)


def sample(record: Activation, derivative: bool, span: tuple[float, float]) -> Curve:
    """Sample f (or f′) on ``span``, broken at the kinks where it jumps."""
    kinks = [k for k in kink_points(record) if span[0] < k < span[1]]
    continuity = record.properties.continuity
    jumps = derivative and continuity < 1 or (not derivative and continuity < 0)
    grid = np.linspace(span[0], span[1], N_POINTS)
    if not jumps or not kinks:
        x = np.union1d(grid, kinks)
        return Curve(x, _evaluate(record, x, derivative), [], [])
    xs, ys, filled, hollow = [], [], [], []
    edges = [span[0], *kinks, span[1]]
    for left, right in zip(edges[:-1], edges[1:]):
        inside = grid[(grid > left) & (grid < right)]
        a = left if left == span[0] else np.nextafter(left, np.inf)
        b = right if right == span[1] else np.nextafter(right, -np.inf)
        x = np.concatenate([[a], inside, [b]])
        xs += [x, [np.nan]]
        ys += [_evaluate(record, x, derivative), [np.nan]]
    for k in kinks:
        at_and_around = np.array([k, np.nextafter(k, -np.inf), np.nextafter(k, np.inf)])
        value, *limits = _evaluate(record, at_and_around, derivative)
        filled.append((k, float(value)))
        for limit in limits:
            if abs(limit - value) > 1e-6 * max(1.0, abs(value)):
                hollow.append((k, float(limit)))
    return Curve(np.concatenate(xs), np.concatenate(ys), filled, sorted(set(hollow)))


def _y_limits(curves: Sequence[Curve]) -> tuple[float, float]:
    values = np.concatenate([c.y[np.isfinite(c.y)] for c in curves])
    low, high = float(values.min()), float(values.max())
    low, high = max(low, -6.0), min(high, 8.0)  # keep steep curves from flattening the rest
    if high - low < 1.0:
        middle = (high + low) / 2
        low, high = middle - 0.75, middle + 0.75
    pad = 0.08 * (high - low)
    return low - pad, high + pad


def activation_svg(record: Activation, label: str) -> tuple[str, bool]:
    """f and f′ of ``record`` at its default parameters, as inline SVG, and whether the
    plot marks kinks with dots (only where f or f′ jumps at the default parameters)."""
    span = x_span(record)
    f = sample(record, False, span)
    df = sample(record, True, span)
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(6.0, 3.4))
        _axes_style(ax)
        ax.plot(f.x, f.y, color=_F, linewidth=2.0, label="f(x)")
        ax.plot(df.x, df.y, color=_DF, linewidth=2.0, linestyle=(0, (5, 3)), label="f′(x)")
        # f′'s dots first and larger, so f's dot stays visible where both sit at one point.
        for curve, colour, size in ((df, _DF, 8.0), (f, _F, 5.5)):
            if curve.hollow:
                hx, hy = zip(*curve.hollow)
                ax.plot(hx, hy, "o", markersize=size, markerfacecolor=_BG, markeredgecolor=colour, markeredgewidth=1.5)
            if curve.filled:
                fx, fy = zip(*curve.filled)
                ax.plot(fx, fy, "o", markersize=size, color=colour)
        ax.set_xlim(*span)
        ax.set_ylim(*_y_limits([f, df]))
        ax.set_xlabel("x")
        ax.legend(loc="best")
        what = "first output for the input (x, 0)" if isinstance(record, VectorActivation) else "f(x)"
        title = (
            f"Plot of {label}: {what} as a solid line and its derivative as a dashed line,"
            f" for x from {_num(span[0])} to {_num(span[1])}."
        )
        marked = any(curve.filled or curve.hollow for curve in (f, df))
        return _to_svg(fig, f"act-{record.name}", title), marked


def family_svg(records: Sequence[Activation], family: str, label: str) -> str:
    """Every elementwise activation of a family on one axes (f only)."""
    elementwise = [r for r in records if not isinstance(r, VectorActivation)]
    if not elementwise:
        raise PluginError(f"family {family!r} has no elementwise activation to plot")
    span = (-DEFAULT_SPAN, DEFAULT_SPAN)
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(6.0, 3.8))
        _axes_style(ax)
        curves = []
        for i, record in enumerate(elementwise):
            curve = sample(record, False, span)
            curves.append(curve)
            ax.plot(
                curve.x,
                curve.y,
                color=_SERIES[i % len(_SERIES)],
                linestyle=_LINESTYLES[(i // len(_SERIES) + i) % len(_LINESTYLES)],
                linewidth=1.8,
                label=record.display_name,
            )
        ax.set_xlim(*span)
        ax.set_ylim(*_y_limits(curves))
        ax.set_xlabel("x")
        ax.legend(loc="best", fontsize=8, ncols=2 if len(elementwise) > 5 else 1)
        names = ", ".join(r.display_name for r in elementwise)
        title = f"The {label} family on one plot, x from −5 to 5: {names}."
        return _to_svg(fig, f"act-family-{family}", title)


def _axes_style(ax: plt.Axes) -> None:
    ax.set_facecolor("none")
    ax.grid(True)
    ax.axhline(0.0, color=_GRID, linewidth=1.0, zorder=0.5)
    ax.axvline(0.0, color=_GRID, linewidth=1.0, zorder=0.5)


def _num(value: float) -> str:
    return f"{value:g}".replace("-", "−")


# -- SVG clean-up -----------------------------------------------------------------------
_NUMBER = re.compile(r"-?\d+\.\d+")
_REF = re.compile(r"url\(#([^)]+)\)")


def _to_svg(fig: Figure, prefix: str, title: str) -> str:
    buffer = io.StringIO()
    fig.patch.set_alpha(0.0)
    metadata = {"Creator": None, "Date": None, "Format": None, "Type": None}
    fig.savefig(buffer, format="svg", metadata=metadata, bbox_inches="tight", pad_inches=0.05)
    plt.close(fig)
    return clean_svg(buffer.getvalue(), prefix, title)


def clean_svg(source: str, prefix: str, title: str) -> str:
    """Make matplotlib's SVG fit for inlining (see the module docstring)."""
    root = ET.fromstring(source)
    href = f"{{{XLINK_NS}}}href"
    referenced: set[str] = set()
    for element in root.iter():
        if element.get(href, "").startswith("#"):
            referenced.add(element.get(href)[1:])
        for value in element.attrib.values():
            referenced.update(_REF.findall(value))

    def clean(parent: ET.Element) -> None:
        children = list(parent)
        new_children: list[ET.Element] = []
        for child in children:
            tag = child.tag.split("}")[-1]
            if tag in ("metadata", "style"):
                continue
            clean(child)
            if tag == "defs" and len(child) == 0:
                continue
            element_id = child.attrib.pop("id", None)
            if element_id in referenced:
                child.set("id", f"{prefix}-{element_id}")
            if href in child.attrib:
                # xlink:href, not href: Material's instant navigation assigns .href of
                # every [href] element, which throws for SVG's read-only <use>.href.
                child.set(href, f"#{prefix}-{child.attrib.pop(href)[1:]}")
            for name, value in list(child.attrib.items()):
                child.set(name, _clean_attribute(name, value, prefix))
            if child.get("transform", "").startswith("rotate(-0 "):
                del child.attrib["transform"]
            if tag == "g" and not child.attrib:
                new_children.extend(list(child))  # flatten anonymous groups
            else:
                new_children.append(child)
        for child in children:
            parent.remove(child)
        parent.extend(new_children)

    clean(root)
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    viewbox = " ".join(_round(float(v)) for v in root.get("viewBox", "").split())
    root.attrib.clear()
    title_id = f"{prefix}-title"
    root.attrib.update(
        {
            "viewBox": viewbox,
            "role": "img",
            "aria-labelledby": title_id,
            "class": "act-plot-svg",
            "style": "stroke-linejoin: round; stroke-linecap: butt",
        }
    )
    title_element = ET.Element(f"{{{SVG_NS}}}title", {"id": title_id})
    title_element.text = title
    root.insert(0, title_element)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    text = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    text = re.sub(r"\s*\n\s*", " ", text)  # one line: Markdown never sees blank lines in it
    leftover = [c for c in re.findall(r"#0[1-5a]0[1-9a][0-9a-f]{2}", text) if c in _COLOUR_VARS]
    if leftover or " href=" in text:
        raise PluginError(f"{prefix}: SVG clean-up left {leftover or 'href'} behind")
    return text


def _clean_attribute(name: str, value: str, prefix: str) -> str:
    if name in ("d", "x", "y", "transform", "points", "x1", "x2", "y1", "y2", "width", "height"):
        value = _NUMBER.sub(lambda m: _round(float(m.group())), value)
        value = re.sub(r"\s+", " ", value).strip()
    if name == "style":
        declarations = []
        for declaration in value.split(";"):
            key, _, val = (part.strip() for part in declaration.partition(":"))
            if not key or key == "font-family":
                continue  # text inherits the page's font
            val = _COLOUR_VARS.get(val, val)
            declarations.append(f"{key}:{val}")
        value = ";".join(declarations)
    if "url(#" in value:
        value = _REF.sub(lambda m: f"url(#{prefix}-{m.group(1)})", value)
    return value


def _round(value: float) -> str:
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text

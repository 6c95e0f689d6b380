"""Run the code of a live cell in its page's namespace, and report what it did as messages.

The same file runs in two places, so that a cell shows the same kind of output before
and after the reader presses Run:

* in CPython during the site build (``site_src/livecells.py``), which puts each cell's
  output into the page for readers without JavaScript;
* in Pyodide inside the browser's Web Worker (``site_src/live/worker.mjs`` bundles this
  file as text and writes it into Pyodide's file system).

It needs only the standard library; matplotlib is configured when a cell mentions it.

A :class:`Session` is one page: its cells share one namespace, like a notebook's.
:meth:`Session.run` sends these messages, in order, through its ``emit`` callback:

``{"type": "stream", "name": "stdout" | "stderr", "text": str}``
    what the cell printed, in pieces (consecutive writes joined, at most
    :data:`STREAM_LIMIT` characters per run, then one "output truncated" note);
``{"type": "result", "text": str}``
    the ``repr`` of a last expression, as Jupyter shows it (not for ``None``, nor for the
    matplotlib objects that plotting calls return: the figure shows instead);
``{"type": "display", "svg": str, "alt": str}``
    each figure the cell left open, as SVG whose colours are the site's CSS variables
    (so one drawing follows the light and the dark palette), with a text description;
``{"type": "error", "ename": str, "evalue": str, "traceback": str}``
    an exception, with only the frames of the reader's cells in its traceback.
"""

from __future__ import annotations

import ast
import builtins
import html
import io
import json
import linecache
import logging
import re
import sys
import time
import traceback
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

Message = dict[str, str]
Emit = Callable[[Message], None]

#: Characters a cell may print per run; beyond that its output is cut, with a note.
STREAM_LIMIT = 200_000
#: Printed text is sent once this much has accumulated, or this many seconds have passed.
FLUSH_CHARS = 8192
FLUSH_SECONDS = 0.1

CELL_FILENAME = "<cell {}>"

# Figures are drawn in sentinel colours, which the SVG then names as the site's CSS
# custom properties (defined for both palettes in site_src/assets/site.css).
_FG, _GRID, _BG = "#030303", "#040404", "#050505"
_SERIES = [f"#0a0a{i:02x}" for i in range(1, 9)]
_COLOUR_VARIABLES = {
    _FG: "var(--act-plot-fg)",
    _GRID: "var(--act-plot-grid)",
    _BG: "var(--act-plot-bg)",
    **{colour: f"var(--act-series-{i})" for i, colour in enumerate(_SERIES, start=1)},
}
_THEME = {
    "figure.figsize": (6.0, 3.6),
    "font.size": 10,
    "svg.fonttype": "none",  # text stays text, in the page's font
    "svg.hashsalt": "activations",  # the same ids for the same figure: reproducible pages
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.transparent": True,
    "text.color": _FG,
    "axes.labelcolor": _FG,
    "axes.edgecolor": _FG,
    "xtick.color": _FG,
    "ytick.color": _FG,
    "patch.edgecolor": _FG,
    "grid.color": _GRID,
    "legend.facecolor": _BG,
    "legend.edgecolor": _GRID,
    "axes.spines.top": False,
    "axes.spines.right": False,
    # The title at a fixed height (matplotlib's default, None, places it above whatever
    # tick labels are on top, which measures the x axis a second time: about a tenth of
    # the drawing of a small figure in Pyodide). A cell that puts ticks on top sets it.
    "axes.titley": 1.0,
}

NO_INPUT = (
    "input() cannot read from the keyboard in a live cell: write the value into the code"
    " instead, for example  name = 'Ada'"
)


def _no_input(prompt: object = "") -> str:
    """Stands in for ``input`` in every namespace: there is no keyboard to read from."""
    raise RuntimeError(NO_INPUT)


class Session:
    """The namespace of one page, shared by its cells in the order they run."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {
            "__name__": "__main__",
            "__builtins__": builtins,
            "input": _no_input,
        }
        self.styled = False

    def run(self, source: str, cell: int, emit: Emit) -> bool:
        """Run ``source`` as cell number ``cell`` (from 1); True unless it raised."""
        filename = CELL_FILENAME.format(cell)
        # Tracebacks quote the reader's lines from here.
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        if not self.styled and ("matplotlib" in source or "matplotlib" in sys.modules):
            _configure_matplotlib()  # once per page, before its first drawing
            self.styled = True
        output = _Output(emit)
        ok = True
        try:
            with (
                redirect_stdout(_Stream("stdout", output)),
                redirect_stderr(_Stream("stderr", output)),
            ):
                value = self._execute(source, filename)
                text = None if value is None or _is_plotting_object(value) else repr(value)
        except BaseException as error:  # noqa: BLE001 - the reader's errors, SystemExit included
            output.close()
            emit(_error_message(error))
            ok = False
        else:
            output.close()
            if text is not None:
                emit({"type": "result", "text": text})
        _emit_figures(cell, emit)
        return ok

    def run_json(self, source: str, cell: int, send: Callable[[str], None]) -> bool:
        """:meth:`run`, each message sent as JSON text (what the worker posts on)."""
        return self.run(source, cell, lambda message: send(json.dumps(message)))

    def _execute(self, source: str, filename: str) -> object:
        """Run the statements; evaluate a last expression and return its value."""
        tree = ast.parse(source, filename, "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body[-1].value)
            del tree.body[-1]
        exec(compile(tree, filename, "exec"), self.namespace)  # noqa: S102 - running it is the point
        return None if last is None else eval(compile(last, filename, "eval"), self.namespace)


# -- printed output --------------------------------------------------------------------
class _Output:
    """Joins consecutive writes to one stream and sends them in few, capped messages."""

    def __init__(self, emit: Emit) -> None:
        self.emit = emit
        self.name = "stdout"
        self.pending: list[str] = []
        self.pending_chars = 0
        self.sent_chars = 0
        self.dropped_chars = 0
        self.last_flush = time.monotonic()

    def write(self, name: str, text: str) -> None:
        if name != self.name:
            self.flush()
            self.name = name
        room = STREAM_LIMIT - self.sent_chars - self.pending_chars
        if room < len(text):
            self.dropped_chars += len(text) - max(room, 0)
            text = text[: max(room, 0)]
        if text:
            self.pending.append(text)
            self.pending_chars += len(text)
        if self.pending_chars >= FLUSH_CHARS or time.monotonic() - self.last_flush >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.emit({"type": "stream", "name": self.name, "text": "".join(self.pending)})
            self.sent_chars += self.pending_chars
            self.pending, self.pending_chars = [], 0
        self.last_flush = time.monotonic()

    def close(self) -> None:
        """Send the rest, and say how much was cut."""
        self.flush()
        if self.dropped_chars:
            note = f"\n[output truncated: {self.dropped_chars:,} more characters not shown]\n"
            self.emit({"type": "stream", "name": "stderr", "text": note})


class _Stream(io.TextIOBase):
    """``sys.stdout`` or ``sys.stderr`` while a cell runs."""

    def __init__(self, name: str, output: _Output) -> None:
        super().__init__()
        self._name = name
        self._output = output

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._output.write(self._name, str(text))
        return len(text)

    def flush(self) -> None:
        """``print(..., flush=True)``: what was printed is sent now (a long cell's progress)."""
        self._output.flush()


# -- errors ----------------------------------------------------------------------------
def _error_message(error: BaseException) -> Message:
    """The exception with the frames of the reader's cells only (not this module's)."""
    frames = [
        f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<cell ")
    ]
    lines = (
        ["Traceback (most recent call last):\n", *traceback.format_list(frames)] if frames else []
    )
    lines += traceback.format_exception_only(type(error), error)
    return {
        "type": "error",
        "ename": type(error).__name__,
        "evalue": str(error),
        "traceback": "".join(lines),
    }


# -- figures ---------------------------------------------------------------------------
def _configure_matplotlib() -> None:
    """Agg (no display: this may be a worker) and the site's style, before any drawing.

    A fresh Pyodide builds matplotlib's font cache on first use and says so on stderr:
    that note is not the reader's output.
    """
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    import matplotlib
    from cycler import cycler

    matplotlib.use("Agg")
    matplotlib.rcdefaults()
    matplotlib.rcParams.update(_THEME)
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=_SERIES)


def _is_plotting_object(value: object) -> bool:
    """What ``plt.plot(...)`` and friends return: shown as the figure, not as a repr."""
    items = value if isinstance(value, (list, tuple)) and value else [value]
    return all(type(item).__module__.split(".")[0] == "matplotlib" for item in items)


def _emit_figures(cell: int, emit: Emit) -> None:
    """Send every figure the cell left open as SVG, and close them."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return
    for index, number in enumerate(pyplot.get_fignums(), start=1):
        figure = pyplot.figure(number)
        alt = describe(figure)
        emit({"type": "display", "svg": figure_svg(figure, f"act-c{cell}-f{index}", alt), "alt": alt})
    pyplot.close("all")


def figure_svg(figure: Any, prefix: str, alt: str) -> str:
    """A figure as the SVG a page shows (see :func:`clean_svg`)."""
    buffer = io.StringIO()
    metadata = {"Creator": None, "Date": None, "Format": None, "Type": None}
    # Not bbox_inches="tight": it draws the figure twice (130 ms instead of 50 in Pyodide).
    figure.savefig(buffer, format="svg", metadata=metadata)
    return clean_svg(buffer.getvalue(), prefix, alt)


def rehearse() -> str:
    """Draw a figure like a function page's cell, in the site's style, and return its SVG.

    The worker calls this a few times when Python is idle after a first cell, and throws
    the drawing away. The first drawings in a Python are slow: the fonts are read, and the
    browser's WebAssembly engine compiles the drawing code's hot paths to fast machine code
    only once they have run a few times (in Pyodide, a figure's second drawing takes about
    160 ms, its fifth 80). Rehearsed, a reader's re-run of a plotting cell is as quick as
    it will get. pyplot's figures, the rcParams and the reader's namespace are left as
    they were.
    """
    import matplotlib
    import numpy as np
    from cycler import cycler
    from matplotlib.figure import Figure

    with matplotlib.rc_context({**_THEME, "axes.prop_cycle": cycler(color=_SERIES)}):
        x = np.linspace(-7, 7, 281)
        figure = Figure()
        axes = figure.add_subplot()
        axes.plot(x, np.tanh(x), label="f(x)")
        axes.plot(x, 1 - np.tanh(x) ** 2, "--", label="f′(x)")
        axes.set_title("tanh")
        axes.set_xlabel("x")
        axes.legend()
        return figure_svg(figure, "act-rehearsal", describe(figure))


def describe(figure: Any) -> str:
    """A text description of a figure from its titles, axis labels and legends."""
    parts = []
    suptitle = figure.get_suptitle() if hasattr(figure, "get_suptitle") else ""
    for axes in figure.axes:
        bits = [axes.get_title()] if axes.get_title() else []
        if axes.get_xlabel():
            bits.append(f"x axis: {axes.get_xlabel()}")
        if axes.get_ylabel():
            bits.append(f"y axis: {axes.get_ylabel()}")
        legend = axes.get_legend()
        if legend is not None:
            bits.append("legend: " + ", ".join(t.get_text() for t in legend.get_texts()))
        if bits:
            parts.append("; ".join(bits))
    what = f"Figure: {suptitle}" if suptitle else "Figure drawn by the cell"
    return what + (": " + ". ".join(parts) if parts else "") + "."


_ID = re.compile(r'\sid="([^"]+)"')
_REFERENCE = re.compile(r'url\(#([^)]+)\)|xlink:href="#([^"]+)"')
_GEOMETRY = re.compile(r'(\s(?:d|x|y|x1|x2|y1|y2|width|height|points|transform)=")([^"]*)"')
_NUMBER = re.compile(r"-?\d+\.\d{2,}")


def clean_svg(source: str, prefix: str, title: str) -> str:
    """matplotlib's SVG made fit to sit inside a page.

    No prolog, metadata or ``<style>`` (which would style the whole page); ids only where
    something refers to them, prefixed so that several figures share a page; colours as
    the site's CSS variables; the page's font; coordinates to 0.1 pt; a ``<title>``.
    """
    svg = source[source.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>|<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<defs>\s*</defs>", "", svg)
    referenced = {a or b for a, b in _REFERENCE.findall(svg)}
    svg = _ID.sub(lambda m: f' id="{prefix}-{m.group(1)}"' if m.group(1) in referenced else "", svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    # xlink:href stays: Material's instant navigation assigns .href of every [href]
    # element, which throws for SVG's read-only <use>.href.
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', svg)
    svg = re.sub(r"font-family:[^;\"]*;?\s*", "", svg)
    for colour, variable in _COLOUR_VARIABLES.items():
        svg = svg.replace(colour, variable)
    svg = _GEOMETRY.sub(lambda m: m.group(1) + _short(m.group(2)) + '"', svg)
    root = re.match(r"<svg[^>]*>", svg)
    assert root is not None
    width = re.search(r'\swidth="([\d.]+)pt"', root.group(0))
    viewbox = re.search(r'viewBox="([^"]*)"', root.group(0))
    assert width is not None and viewbox is not None
    opening = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' viewBox="{viewbox.group(1)}"'
        f' class="act-cell-svg" role="img" aria-labelledby="{prefix}-title"'
        f' style="max-width: {float(width.group(1)):.0f}pt; stroke-linejoin: round; stroke-linecap: butt">'
        f'<title id="{prefix}-title">{html.escape(title)}</title>'
    )
    svg = opening + svg[root.end() :]
    return re.sub(r">\s+<", "><", svg).strip()


def _short(value: str) -> str:
    """Geometry on one line, numbers to 0.1 pt (far below a pixel)."""
    return " ".join(_NUMBER.sub(_rounded, value).split())


def _rounded(match: re.Match[str]) -> str:
    text = f"{float(match.group()):.1f}".removesuffix(".0")
    return "0" if text == "-0" else text

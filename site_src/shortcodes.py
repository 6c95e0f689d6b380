"""Shortcodes: ``<!-- act:TYPE ARGS -->`` comments that hand-written pages use for facts.

A shortcode is an HTML comment, so without the hook it is invisible, never wrong text;
an unknown type or wrong arguments fail the build naming the page (as in
mkdocs-material's own shortcode hook), and so does a name that is no activation, except
in draft mode (``ACTIVATIONS_SITE_DRAFT=1``), where the slot says the record is missing.

Types (those marked "line" must be alone on their line):

* ``<!-- act:formula relu -->`` (line): the definition f(x) = ..., display math;
* ``<!-- act:derivative relu -->`` (line): the derivative f′(x) = ..., display math;
* ``<!-- act:definition relu -->`` (line): both, side by side, as on the function pages;
* ``<!-- act:plot relu -->`` (line): the plot of f and f′;
* ``<!-- act:link relu -->``: a link to the function's page, titled with its name;
* ``<!-- act:list saturating both -->``: links to every activation whose property
  (a field of ``Properties``, or ``family``) has that value (``yes``/``no`` for booleans);
* ``<!-- act:count -->``: the number of activations;
* ``<!-- act:comparison -->`` (line): the table of every activation's properties;
* ``<!-- act:family-plots -->`` (line): one content tab per family, with its overlay plot;
* ``<!-- act:accuracy -->`` (line): the accuracy report (``docs/data/accuracy.json``).
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

from activations import Activation, VectorActivation

from . import accuracy, catalogue
from .mathrender import MathRegistry
from .pages import family_plot_placeholder, plot_placeholder

log = logging.getLogger("mkdocs.hooks.activations")

SHORTCODE = re.compile(r"<!--\s*act:(?P<type>\S+?)(?P<args>(?:\s+[^\s-][^\s]*)*)\s*-->")

@dataclass(frozen=True)
class Context:
    """What a shortcode may use: the page it is on, the math registry, docs/."""

    page_src: str
    math: MathRegistry
    docs_dir: Path
    draft: bool = False

    def link(self, name: str) -> str:
        record = catalogue.record(name, self.page_src)
        target = posixpath.relpath(catalogue.page_path(name), posixpath.dirname(self.page_src) or ".")
        return f"[{record.display_name}]({target})"


Expander = Callable[[Context, list[str]], str]


def expand(markdown: str, context: Context) -> str:
    """Expand every shortcode of a page's Markdown, or fail naming the page."""

    def replace(match: re.Match[str]) -> str:
        kind = match.group("type")
        args = match.group("args").split()
        spec = _SHORTCODES.get(kind)
        if spec is None:
            raise PluginError(
                f"{context.page_src}: unknown shortcode {match.group(0)!r};"
                f" known: {', '.join(sorted(_SHORTCODES))}"
            )
        expander, arity, block = spec
        if len(args) != arity:
            raise PluginError(
                f"{context.page_src}: {match.group(0)!r} takes {arity} argument(s), got {len(args)}"
            )
        if block and not _alone_on_line(markdown, match):
            raise PluginError(f"{context.page_src}: {match.group(0)!r} must be alone on its line")
        return expander(context, args)

    expanded = SHORTCODE.sub(replace, markdown)
    stray = re.search(r"<!--\s*act:.*?-->", expanded, re.DOTALL)
    if stray:
        raise PluginError(f"{context.page_src}: malformed shortcode {stray.group(0)!r}")
    return expanded


def _alone_on_line(text: str, match: re.Match[str]) -> bool:
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    line = text[start : end if end != -1 else len(text)]
    return line.strip() == match.group(0)


# -- the shortcodes ------------------------------------------------------------------
def _record_or_pending(context: Context, name: str) -> Activation | None:
    """The record, or None in draft mode while it is not written (else: fail)."""
    if context.draft and name not in catalogue.records_names():
        if (context.page_src, name) not in _reported:
            _reported.add((context.page_src, name))
            log.info("activations: DRAFT: %s names %r, which has no record yet", context.page_src, name)
        return None
    return catalogue.record(name, context.page_src)


_reported: set[tuple[str, str]] = set()


def _pending(name: str) -> str:
    return f'\n!!! warning "Draft"\n    `{name}` has no record yet; a normal build fails until it has.\n'


def _formula(context: Context, args: list[str]) -> str:
    record = _record_or_pending(context, args[0])
    if record is None:
        return _pending(args[0])
    return f'<div class="act-formula">{context.math.display(record.latex, context.page_src)}</div>'


def _derivative(context: Context, args: list[str]) -> str:
    record = _record_or_pending(context, args[0])
    if record is None:
        return _pending(args[0])
    return f'<div class="act-derivative">{context.math.display(record.derivative_latex, context.page_src)}</div>'


def _definition(context: Context, args: list[str]) -> str:
    record = _record_or_pending(context, args[0])
    if record is None:
        return _pending(args[0])
    return (
        '<div class="act-formulas">'
        f'<div class="act-formula">{context.math.display(record.latex, context.page_src)}</div>'
        f'<div class="act-derivative">{context.math.display(record.derivative_latex, context.page_src)}</div>'
        "</div>"
    )


def _plot(context: Context, args: list[str]) -> str:
    record = _record_or_pending(context, args[0])
    if record is None:
        return _pending(args[0])
    return plot_placeholder(record.name)


def _link(context: Context, args: list[str]) -> str:
    if _record_or_pending(context, args[0]) is None:
        return f"`{args[0]}`"
    return context.link(args[0])


def _list(context: Context, args: list[str]) -> str:
    field, wanted = args
    value: object = {"yes": True, "no": False}.get(wanted, wanted)
    matches = []
    for record in catalogue.records():
        if field == "family":
            actual: object = catalogue.family_anchor(record.family)
        elif hasattr(record.properties, field):
            actual = getattr(record.properties, field)
        else:
            raise PluginError(f"{context.page_src}: act:list knows no property {field!r}")
        if actual == value:
            matches.append(context.link(record.name))
    return ", ".join(matches) if matches else "none so far"


def _count(context: Context, args: list[str]) -> str:
    return str(len(catalogue.records_names()))


def _comparison(context: Context, args: list[str]) -> str:
    math = context.math
    where = context.page_src
    header = [
        "Function",
        "Family",
        "Range",
        "Monotonic",
        "Continuity",
        "Zero-centred",
        "Saturating",
        "Self-gated",
        "f′(0)",
        "Cost",
    ]
    lines = [
        '<div class="act-comparison" markdown>',
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for record in catalogue.records():
        props = record.properties
        slope = catalogue.derivative_at_zero(record)
        if slope is None:
            slope_text = "matrix"
        else:
            slope_text = catalogue.number(slope) + ("\\*" if catalogue.kink_at_zero(record) else "")
        cells = [
            context.link(record.name),
            catalogue.family_title(record.family),
            math.inline(props.range.latex(), where),
            catalogue.yes_no(props.monotonic),
            math.inline(props.continuity_latex(), where),
            catalogue.yes_no(props.zero_centred),
            catalogue.saturating(record),
            catalogue.yes_no(props.self_gated),
            slope_text,
            catalogue.markdown_text(record.cost or "—"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "</div>",
        "",
        "\\* A kink at 0: the value is the package's convention there (see the function's page).",
        "Vector-valued functions have a Jacobian matrix instead.",
    ]
    return "\n".join(lines)


def _family_plots(context: Context, args: list[str]) -> str:
    """One content tab per family: its members, then all of them on one plot."""
    parts = []
    index = posixpath.relpath(f"{catalogue.FUNCTION_DIR}/index.md", posixpath.dirname(context.page_src) or ".")
    for family in catalogue.families():
        members = ", ".join(context.link(r.name) for r in family.records)
        parts += [
            f'=== "{family.title}"',
            "",
            f"    {members}. [About the family]({index}#{family.anchor}).",
            "",
        ]
        if any(not isinstance(r, VectorActivation) for r in family.records):
            parts += [f"    {family_plot_placeholder(family.anchor)}", ""]
        else:
            parts += ["    Vector-valued functions: see each page for a plot of one output.", ""]
    return "\n".join(parts)


def _accuracy(context: Context, args: list[str]) -> str:
    if context.draft and not (context.docs_dir / accuracy.REPORT).is_file():
        return (
            f'!!! warning "Draft"\n    docs/{accuracy.REPORT} is not made yet;'
            " a normal build fails until it is."
        )
    return accuracy.render(context.docs_dir, context.page_src, context.link)


_SHORTCODES: dict[str, tuple[Expander, int, bool]] = {
    "formula": (_formula, 1, True),
    "derivative": (_derivative, 1, True),
    "definition": (_definition, 1, True),
    "plot": (_plot, 1, True),
    "link": (_link, 1, False),
    "list": (_list, 2, False),
    "count": (_count, 0, False),
    "comparison": (_comparison, 0, True),
    "family-plots": (_family_plots, 0, True),
    "accuracy": (_accuracy, 0, True),
}

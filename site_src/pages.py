"""The generated pages: one per activation from one template, and the Functions overview.

Adding an activation takes one record in ``activations/`` and one prose file
``docs/prose/<name>.md``; the build fails, naming the file, when a record has no prose
or a prose file has no record. A prose file has exactly the sections
:data:`PROSE_SECTIONS`, as ``##`` headings in that order (see ``docs/prose/_template.md``).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError

from activations import Activation, VectorActivation
from activations.lab.curves import EXPLORABLE_KINDS

from . import catalogue, plots
from .mathrender import MathRegistry

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: The hand-written sections of every function page, in order.
PROSE_SECTIONS = ("Intuition", "When to use it", "Pitfalls")
#: Files in docs/prose/ starting with this are not prose of a function (the template).
PRIVATE_PREFIX = "_"

_COMMENT = re.compile(r"<!--(?!\s*act:).*?-->", re.DOTALL)
_H2 = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # the templates write Markdown; facts go through t()/tt()
    )


def plot_placeholder(name: str) -> str:
    return f"<!--act/plot:{name}-->"


def family_plot_placeholder(family: str) -> str:
    return f"<!--act/family-plot:{family}-->"


#: An explorer's slider crosses its range in this many steps.
EXPLORER_STEPS = 200


def explorer_spec(record: Activation) -> str:
    """What the explorer of a function page needs (site_src/live/explorer.mjs), as JSON
    made safe for an HTML attribute: the name, the static plot's x-range, and each
    explorable parameter with its default and slider range. The values themselves are
    computed in the browser by activations.lab.curves.

    Explorable parameters (``EXPLORABLE_KINDS``): real numbers get a slider over their
    ``Param.slider`` range, choices a list; the others (RReLU's ``training`` and ``rng``,
    the vector functions' ``axis``) keep their defaults and are listed as ``fixed``."""
    params = []
    for p in record.params:
        if p.kind not in EXPLORABLE_KINDS:
            continue
        entry = {"name": p.name, "kind": p.kind, "default": p.default, "description": p.description}
        if p.kind == "choice":
            entry["choices"] = list(p.choices)
        else:
            if p.slider is None:
                raise PluginError(f"{record.name}: parameter {p.name!r} has no slider range (Param.slider)")
            low, high = (float(v) for v in p.slider)
            entry.update(min=low, max=high, step=(high - low) / EXPLORER_STEPS)
        params.append(entry)
    spec = {
        "name": record.name,
        "display": record.display_name,
        "vector": isinstance(record, VectorActivation),
        "span": list(plots.x_span(record)),
        "params": params,
        "fixed": [p.name for p in record.params if p.kind not in EXPLORABLE_KINDS],
    }
    return html.escape(json.dumps(spec, ensure_ascii=False, allow_nan=False), quote=True)


# -- prose ---------------------------------------------------------------------------
def prose_files(docs_dir: Path) -> dict[str, Path]:
    """The prose file of each function, by name (the template and friends excluded)."""
    directory = docs_dir / "prose"
    if not directory.is_dir():
        raise PluginError(f"{directory} is missing: it holds the hand-written text of each function")
    return {
        path.stem: path
        for path in sorted(directory.glob("*.md"))
        if not path.name.startswith(PRIVATE_PREFIX)
    }


def check_prose(docs_dir: Path, names: list[str], draft: bool = False) -> dict[str, Path]:
    """Fail unless every activation has exactly one prose file and vice versa.

    With ``draft`` (``ACTIVATIONS_SITE_DRAFT=1``, for previews while records are being
    written) a missing prose file is allowed; :func:`draft_prose` stands in for it.
    """
    files = prose_files(docs_dir)
    missing = [name for name in names if name not in files and not draft]
    orphans = [str(files[name]) for name in files if name not in names]
    problems = []
    if missing:
        problems.append(
            "these activations have no prose file: "
            + ", ".join(f"docs/prose/{name}.md" for name in missing)
            + " (copy docs/prose/_template.md)"
        )
    if orphans:
        problems.append(
            "these prose files name no activation (activations.names()): " + ", ".join(orphans)
        )
    if problems:
        raise PluginError("; ".join(problems))
    return files


def draft_prose(name: str) -> dict[str, str]:
    """What a page shows in draft mode when docs/prose/<name>.md does not exist yet."""
    note = (
        f'!!! warning "Draft"\n    docs/prose/{name}.md is not written yet;'
        " a normal build fails until it is."
    )
    return {section: note for section in PROSE_SECTIONS}


def load_prose(path: Path) -> dict[str, str]:
    """Split a prose file into its sections, checking it has exactly PROSE_SECTIONS."""
    text = _COMMENT.sub("", path.read_text(encoding="utf-8"))  # e.g. the template's guidance
    headings = list(_H2.finditer(text))
    before = text[: headings[0].start()] if headings else text
    if before.strip():
        raise PluginError(f"{path}: text before the first section; start with '## {PROSE_SECTIONS[0]}'")
    titles = tuple(h.group(1) for h in headings)
    if titles != PROSE_SECTIONS:
        raise PluginError(
            f"{path}: its sections are {list(titles)}; a prose file has exactly these "
            f"'##' sections, in order: {list(PROSE_SECTIONS)}"
        )
    if re.search(r"^#[ \t]", text, re.MULTILINE):
        raise PluginError(f"{path}: no '#' title: the page's title comes from the record")
    sections = {}
    for heading, following in zip(headings, [*headings[1:], None]):
        body = text[heading.end() : following.start() if following else len(text)].strip()
        if not body:
            raise PluginError(f"{path}: section '{heading.group(1)}' is empty")
        sections[heading.group(1)] = body
    return sections


# -- pages ---------------------------------------------------------------------------
def function_page(record: Activation, prose: dict[str, str], math: MathRegistry) -> str:
    """The Markdown of one function page."""
    where = catalogue.page_path(record.name)
    example = catalogue.example_code(record)
    return _environment().get_template("activation.md.j2").render(
        r=record,
        prose=prose,
        vector=isinstance(record, VectorActivation),
        facts=catalogue,
        m=lambda tex: math.inline(tex, where),
        dm=lambda tex: math.display(tex, where),
        t=catalogue.markdown_text,
        tt=_table_text,
        plot=plot_placeholder(record.name),
        explorer=explorer_spec(record),
        derivative_at_zero=catalogue.derivative_at_zero(record),
        example=example,
        example_output=catalogue.run_example(example, where),
    )


def functions_index(math: MathRegistry) -> str:
    """The Markdown of functions/index.md: the families and their members."""
    where = f"{catalogue.FUNCTION_DIR}/index.md"
    return _environment().get_template("functions_index.md.j2").render(
        families=catalogue.families(),
        count=len(catalogue.records()),
        m=lambda tex: math.inline(tex, where),
        t=catalogue.markdown_text,
        tt=_table_text,
    )


def _table_text(text: str) -> str:
    return catalogue.markdown_text(text).replace("\n", " ")

"""A griffe extension for the API page: the package's reST-flavoured docstrings in Markdown.

The package writes docstrings as NumPy and Sphinx do (``:class:`Activation```, ``>>>``
examples, double-backquoted code); mkdocstrings renders Markdown. Loaded by mkdocs.yml
(``extensions:`` of the python handler), it rewrites each docstring on load:

* ``:class:`X``` / ``:func:`X``` / ``:meth:`X``` / ... become ```X``` (code);
* a run of ``>>>`` lines with their output becomes a ``pycon`` code block, which
  tests/site/test_examples.py runs as a doctest;
* ````code```` stays as it is: it is already valid Markdown.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|attr|mod|obj|data|exc|ref):`~?([^`]+)`")


def to_markdown(text: str) -> str:
    text = _ROLE.sub(lambda m: f"`{m.group(1)}`", text)
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(">>> "):
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while i < len(lines) and lines[i].strip() and lines[i].startswith(indent):
                block.append(lines[i][len(indent):])
                i += 1
            out += [f"{indent}```pycon", *(indent + b for b in block), f"{indent}```"]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


class RstToMarkdown(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value)

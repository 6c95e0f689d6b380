"""The accuracy page: the package's accuracy report beside torch's, read from JSON.

``benchmarks/accuracy_report.py`` measures, for every function, the worst error in ulps
of this package and of its peers against exact values (mpmath), and writes
``docs/data/accuracy.json``. The build reads that file; it fails, saying how to make it,
when the file is missing or does not follow this schema (version 1)::

    {
      "schema": 1,                                  # this description
      "generated": "2025-11-28T21:40:00+00:00",     # when the report ran, ISO 8601
      "command": "python -m benchmarks.accuracy_report --json docs/data/accuracy.json",
      "reference": "mpmath, 60 significant digits", # what 'exact' means
      "versions": {"activations": "0.1.0", "numpy": "2.4.6", "torch": "2.13.0", ...},
      "implementations": ["activations", "torch"],  # the columns, in order; this package first
      "results": [                                  # one entry per measured combination
        {
          "function": "relu",          # canonical name: one of activations.names()
          "dtype": "float64",          # "float64" or "float32"
          "quantity": "value",         # "value" (f) or "derivative" (f′; torch: autograd)
          "implementation": "torch",   # one of "implementations"
          "max_ulp": 0.0,              # worst error in ulps (a number; Infinity allowed);
                                       #   null when the implementation lacks the function
          "x": 1.0,                    # input of the worst error (null with max_ulp null)
          "computed": 1.0,             # what the implementation returned there
          "exact": "1.0",              # the exact value there, as a decimal string
          "within_1ulp": 1.0,          # share of the grid within 1 ulp, 0..1
          "points": 3645,              # size of the grid
          "note": ""                   # optional: e.g. "torch has no float32 kernel"
        }
      ]
    }

Python's ``json`` writes an infinite error as ``Infinity``, which is read back as such.
Functions in the package but not in the report are listed as not measured; a function
in the report that the package does not have fails the build (the report is stale).
"""

from __future__ import annotations

import json
import math
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from . import catalogue

#: Where the report lives, relative to docs/ (the page links to it too).
REPORT = "data/accuracy.json"
SCHEMA = 1
DTYPES = ("float64", "float32")
QUANTITIES = ("value", "derivative")
_REQUIRED = {
    "function": str,
    "dtype": str,
    "quantity": str,
    "implementation": str,
}
_HOW = "make it with: .venv/bin/python -m benchmarks.accuracy_report --json docs/data/accuracy.json"


@dataclass(frozen=True)
class Result:
    function: str
    dtype: str
    quantity: str
    implementation: str
    max_ulp: float | None
    x: float | None
    computed: float | None
    exact: str | None
    within_1ulp: float | None
    note: str


@dataclass(frozen=True)
class Report:
    generated: str
    command: str
    reference: str
    versions: dict[str, str]
    implementations: list[str]
    results: list[Result]


def load(docs_dir: Path) -> Report:
    """Read and check docs/data/accuracy.json (see the module docstring for the schema)."""
    path = docs_dir / REPORT
    if not path.is_file():
        raise PluginError(f"the accuracy page needs {path}, which is missing; {_HOW}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise PluginError(f"{path} is not valid JSON: {error}") from None
    where = str(path)
    _expect(isinstance(data, dict), where, "the top level must be an object")
    _expect(data.get("schema") == SCHEMA, where, f'"schema" must be {SCHEMA}, got {data.get("schema")!r}')
    for key in ("generated", "reference"):
        _expect(isinstance(data.get(key), str), where, f'"{key}" must be a string')
    versions = data.get("versions")
    _expect(isinstance(versions, dict), where, '"versions" must be an object')
    implementations = data.get("implementations")
    _expect(
        isinstance(implementations, list)
        and implementations
        and all(isinstance(i, str) for i in implementations)
        and implementations[0] == "activations",
        where,
        '"implementations" must be a list of names starting with "activations"',
    )
    raw = data.get("results")
    _expect(isinstance(raw, list) and raw, where, '"results" must be a non-empty list')
    known = set(catalogue.records_names())
    results = []
    for i, entry in enumerate(raw):
        at = f"{where}: results[{i}]"
        _expect(isinstance(entry, dict), at, "must be an object")
        for key, kind in _REQUIRED.items():
            _expect(isinstance(entry.get(key), kind), at, f'"{key}" must be a {kind.__name__}')
        _expect(entry["function"] in known, at, f'function {entry["function"]!r} is not in the package: the report is stale; {_HOW}')
        _expect(entry["dtype"] in DTYPES, at, f'"dtype" must be one of {DTYPES}')
        _expect(entry["quantity"] in QUANTITIES, at, f'"quantity" must be one of {QUANTITIES}')
        _expect(entry["implementation"] in implementations, at, '"implementation" must be listed in "implementations"')
        max_ulp = entry.get("max_ulp")
        _expect(max_ulp is None or _is_number(max_ulp), at, '"max_ulp" must be a number or null')
        results.append(
            Result(
                function=entry["function"],
                dtype=entry["dtype"],
                quantity=entry["quantity"],
                implementation=entry["implementation"],
                max_ulp=None if max_ulp is None else float(max_ulp),
                x=_optional_number(entry.get("x"), at, "x"),
                computed=_optional_number(entry.get("computed"), at, "computed"),
                exact=None if entry.get("exact") is None else str(entry["exact"]),
                within_1ulp=_optional_number(entry.get("within_1ulp"), at, "within_1ulp"),
                note=str(entry.get("note") or ""),
            )
        )
    return Report(
        generated=data["generated"],
        command=str(data.get("command") or ""),
        reference=data["reference"],
        versions={str(k): str(v) for k, v in versions.items()},
        implementations=implementations,
        results=results,
    )


def render(docs_dir: Path, page_src: str, link) -> str:
    """The Markdown of the report: a table per dtype, then where the big errors are."""
    report = load(docs_dir)
    by_key = {(r.function, r.dtype, r.quantity, r.implementation): r for r in report.results}
    measured = {r.function for r in report.results}
    names = [name for name in catalogue.records_names() if name in measured]
    not_measured = [name for name in catalogue.records_names() if name not in measured]
    relative_report = _relative(REPORT, page_src)
    lines = [
        f"Report of {report.generated}, exact values from {catalogue.markdown_text(report.reference)}. "
        + "Versions: "
        + ", ".join(f"{catalogue.markdown_text(k)} {catalogue.markdown_text(v)}" for k, v in report.versions.items())
        + f". The numbers: [{REPORT}]({relative_report}).",
        "",
    ]
    if report.command:
        lines += [f"Made with `{report.command}`.", ""]
    columns = [(q, i) for q in QUANTITIES for i in report.implementations]
    for dtype in DTYPES:
        if not any(r.dtype == dtype for r in report.results):
            continue
        lines += [f"## {dtype}", ""]
        header = ["Function"] + [
            f"{'f' if q == 'value' else 'f′'}: {catalogue.markdown_text(i)}" for q, i in columns
        ]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for name in names:
            cells = [link(name)]
            for quantity, implementation in columns:
                result = by_key.get((name, dtype, quantity, implementation))
                cells.append(_cell(result))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    worst = [r for r in report.results if r.max_ulp is not None and r.max_ulp > 1.0]
    lines += ["## Where the errors above 1 ulp are", ""]
    if worst:
        worst.sort(key=lambda r: (-r.max_ulp, catalogue.records_names().index(r.function), r.dtype))
        table = [
            "| Function | dtype | Quantity | Implementation | Error (ulp) | at x | Returned | Exact |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in worst:
            table.append(
                f"| {link(r.function)} | {r.dtype} | {r.quantity} | {catalogue.markdown_text(r.implementation)} "
                f"| {_ulps(r.max_ulp)} | `{r.x!r}` | `{r.computed!r}` | `{r.exact}` |"
            )
        # Collapsed (a native <details>, no script needed): it can be long.
        lines += [f'??? note "{len(worst)} results above 1 ulp, largest first"', ""]
        lines += ["    " + row for row in table]
    else:
        lines.append("None: every implementation is within 1 ulp everywhere on the grids.")
    lines.append("")
    if not_measured:
        lines += [
            "Not in this report yet: " + ", ".join(link(n) for n in not_measured) + ".",
            "",
        ]
    return "\n".join(lines)


def _cell(result: Result | None) -> str:
    if result is None:
        return "—"
    if result.max_ulp is None:
        return "not available"
    return _ulps(result.max_ulp)


def _ulps(value: float) -> str:
    if math.isinf(value):
        return "∞"
    if value <= 1.0:
        return f"{value:.2g}"
    return f"**{value:.3g}**"


def _relative(target: str, page_src: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page_src) or ".")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _optional_number(value: Any, at: str, key: str) -> float | None:
    if value is None:
        return None
    _expect(_is_number(value), at, f'"{key}" must be a number or null')
    return float(value)


def _expect(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise PluginError(f"{where}: {message} (schema: site_src/accuracy.py)")

"""Live cells: Python code on a page that the reader can edit and run in the browser.

In Markdown a live cell is a Python fence with the option ``live``::

    ```python live
    import activations
    activations.relu(-1.0)
    ```

A plain ```` ```python ```` fence stays an ordinary code block. Any other option on a live
fence, or ``live`` on another language, fails the build, naming the page.

The build (driven by :mod:`site_src.build`):

1. :meth:`LiveCells.start_page` notes the line of each live fence of a page's Markdown;
2. the ``pymdownx.superfences`` custom fence (:meth:`LiveCells.custom_fence`) writes each
   cell as its highlighted code followed by an output placeholder;
3. :meth:`LiveCells.finish_page` runs the page's cells in CPython, in order, in one
   namespace (the kernel the browser runs too: ``site_src/live/kernel.py``), and puts
   what they printed, returned and drew into the page. A cell that raises fails the build
   with the page, the line of its fence and the traceback.

So a reader without JavaScript sees each cell's code and its output; with JavaScript,
``site_src/live/cells.mjs`` turns the cell into an editor with Run, Stop and Reset, and
the output shown is the build's until the reader runs the cell.

Running the site's cells takes seconds (drawing the figures, mostly), so the outputs of
a page are kept in a cache directory, keyed by everything they depend on
(:func:`outputs_key`): the page's cells, the kernel, the ``activations`` package and the
versions of Python, NumPy and matplotlib. :func:`prune` empties the caches of what no
build used for a week.

:func:`bundle` builds those scripts with esbuild; :func:`service_worker` writes the service
worker that keeps the ``pyodide/`` folder in the reader's browser between visits.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesException

import activations

from .live import kernel

log = logging.getLogger("mkdocs.hooks.activations")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LIVE_SOURCES = HERE / "live"

#: The fence option that makes a Python fence a live cell.
OPTION = "live"
#: Where the bundled scripts go in the site.
BUNDLE_DIR = "assets/live"
#: The scripts esbuild starts from; each becomes ``BUNDLE_DIR/<name>.js``.
ENTRY_POINTS = ("cells.mjs", "worker.mjs", "unzstd.mjs")
#: The service worker: its source, and its path in the site (the root: its scope is
#: the folder it is served from, and must hold every page).
SERVICE_WORKER_SOURCE = LIVE_SOURCES / "service-worker.js"
SERVICE_WORKER = "service-worker.js"
#: The start of its caches' names; the rest names the Pyodide version and the lock file.
CACHE_PREFIX = "activations-pyodide-"

_FENCE_LINE = re.compile(rf"^[ \t>]*(?:`{{3,}}|~{{3,}})[ \t]*python[ \t]+{OPTION}\b", re.MULTILINE)
_OTHER_LIVE_FENCE = re.compile(
    rf"^[ \t>]*(?:`{{3,}}|~{{3,}})[ \t]*(?!python\b)([\w#.+-]+)[ \t]+{OPTION}\b", re.MULTILINE
)
_OUTPUT_SLOT = re.compile(r"<!--act/cell-output:(\d+)-->")


@dataclass
class _Page:
    where: str  # e.g. "docs/index.md", for messages
    fence_lines: list[int]
    sources: list[str] = field(default_factory=list)


class LiveCells:
    """The live cells of one build, page by page (pages are rendered one at a time).

    ``cache``: the directory of the pages' outputs (None: run every cell every build).
    """

    def __init__(self, cache: Path | None) -> None:
        self._page: _Page | None = None
        self.cache = cache
        self.count = 0
        self.ran = 0
        self.seconds = 0.0

    def custom_fence(self) -> dict[str, Any]:
        """The ``custom_fences`` entry of ``pymdownx.superfences`` for ```` ```python live ````."""
        return {
            "name": "python",
            "class": "act-cell",
            "format": self.format,
            "validator": self.validate,
        }

    # 1 ---------------------------------------------------------------------------------
    def start_page(self, src_uri: str, markdown: str, generated: bool) -> None:
        where = f"{src_uri} (generated)" if generated else f"docs/{src_uri}"
        other = _OTHER_LIVE_FENCE.search(markdown)
        if other:
            raise PluginError(
                f"{where}: only Python runs live, not a ```{other.group(1)} {OPTION} fence"
            )
        lines = [markdown.count("\n", 0, m.start()) + 1 for m in _FENCE_LINE.finditer(markdown)]
        self._page = _Page(where, lines)

    # 2 ---------------------------------------------------------------------------------
    def validate(
        self,
        language: str,
        inputs: dict[str, str],
        options: dict[str, Any],
        attrs: dict[str, str],
        md: Any,
    ) -> bool:
        """Claim Python fences marked ``live``; leave the others to the highlighter."""
        if OPTION not in inputs:
            return False
        unknown = sorted(set(inputs) - {OPTION})
        if unknown:
            # superfences swallows other exceptions and would show the fence as text.
            where = self._page.where if self._page else "a page"
            raise SuperFencesException(
                f"{where}: a live cell takes no option {unknown}: write ```python live"
            )
        return True

    def format(
        self,
        src: str,
        language: str,
        class_name: str,
        options: dict[str, Any],
        md: Any,
        **kwargs: Any,
    ) -> str:
        """A cell: its highlighted code (as any Python block), then its output's slot."""
        if self._page is None:
            raise SuperFencesException("a live cell outside a page")
        self._page.sources.append(src)
        number = len(self._page.sources)
        code = md.preprocessors["fenced_code_block"].highlight(
            src=src, language="python", options={}, md=md, classes=[], id_value="", attrs={}
        )
        return f'<div class="{class_name}" data-act-cell="{number}">\n{code}\n<!--act/cell-output:{number}-->\n</div>'

    # 3 ---------------------------------------------------------------------------------
    def finish_page(self, content: str) -> str:
        """Run the page's cells and put their output into the HTML."""
        page, self._page = self._page, None
        if page is None:
            raise PluginError("site_src/livecells.py: finish_page without start_page")
        if len(page.sources) != len(page.fence_lines):
            raise PluginError(
                f"{page.where}: {len(page.fence_lines)} ```python {OPTION} fence(s) in the Markdown"
                f" but {len(page.sources)} cell(s) in the page: is one inside another code block?"
            )
        if not page.sources:
            return content
        outputs = self._outputs(page)
        filled: list[int] = []

        def fill(match: re.Match[str]) -> str:
            number = int(match.group(1))
            filled.append(number)
            return output_html(outputs[number - 1], source="build")

        content = _OUTPUT_SLOT.sub(fill, content)
        if sorted(filled) != list(range(1, len(outputs) + 1)):
            raise PluginError(f"{page.where}: the output slots of its live cells are {filled}")
        return content

    def _outputs(self, page: _Page) -> list[list[kernel.Message]]:
        self.count += len(page.sources)
        stored = self.cache / f"{outputs_key(page.sources)}.json" if self.cache else None
        if stored:
            try:
                outputs: list[list[kernel.Message]] = json.loads(stored.read_text(encoding="utf-8"))
                os.utime(stored)  # used: kept by prune()
                return outputs
            except FileNotFoundError:
                pass
        started = time.perf_counter()
        outputs = run_cells(page.where, page.sources, page.fence_lines)
        self.seconds += time.perf_counter() - started
        self.ran += len(outputs)
        if stored:
            _write_atomically(stored, json.dumps(outputs))
        return outputs


def _write_atomically(path: Path, text: str) -> None:
    """Builds may run side by side (the tests do): a reader sees all of a file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".partial", delete=False) as file:
        file.write(text)
    os.replace(file.name, path)


def prune(cache: Path, days: float = 7) -> None:
    """Remove what no build has used for ``days`` from a cache directory of this module."""
    if not cache.is_dir():
        return
    limit = time.time() - days * 86400
    for entry in cache.iterdir():
        if entry.stat().st_mtime < limit:
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def outputs_key(sources: Sequence[str]) -> str:
    """What the outputs of a page's cells depend on, hashed."""
    digest = hashlib.sha256()
    versions = [sys.version, np.__version__, matplotlib.__version__]
    for part in [
        *versions,
        Path(kernel.__file__).read_text(encoding="utf-8"),
        _package_digest(),
        *sources,
    ]:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


@functools.cache
def _package_digest() -> str:
    """The ``activations`` package's sources, hashed (once per build: hooks re-import this module)."""
    package = Path(activations.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run_cells(
    where: str, sources: Sequence[str], lines: Sequence[int]
) -> list[list[kernel.Message]]:
    """Run a page's cells in order in one namespace; fail on the first that raises."""
    session = kernel.Session()
    outputs = []
    with matplotlib.rc_context():  # the cells' style never leaks into the site's own plots
        for number, (source, line) in enumerate(zip(sources, lines), start=1):
            messages: list[kernel.Message] = []
            if not session.run(source, number, messages.append):
                error = messages[-1]
                raise PluginError(
                    f"{where}, line {line}: live cell {number} raised {error['ename']}:\n"
                    f"{error['traceback']}"
                )
            outputs.append(messages)
    return outputs


def output_html(messages: Sequence[kernel.Message], source: str) -> str:
    """The output region of a cell, as ``site_src/live/cells.mjs`` also writes it.

    Consecutive pieces of one stream join into one block; text is escaped (a cell that
    prints HTML shows that HTML as text); figures are the kernel's cleaned SVG.
    """
    parts: list[str] = []
    stream: tuple[str, list[str]] | None = None
    for message in [*messages, {"type": "end"}]:
        if stream and (message["type"] != "stream" or message["name"] != stream[0]):
            parts.append(_text_block(f"act-cell-{stream[0]}", "".join(stream[1])))
            stream = None
        kind = message["type"]
        if kind == "stream":
            stream = stream or (message["name"], [])
            stream[1].append(message["text"])
        elif kind == "result":
            parts.append(_text_block("act-cell-result", message["text"]))
        elif kind == "error":
            parts.append(_text_block("act-cell-error", message["traceback"]))
        elif kind == "display":
            parts.append(f'<figure class="act-cell-figure">{message["svg"]}</figure>')
        elif kind != "end":
            raise PluginError(f"site_src/livecells.py: unknown kernel message {kind!r}")
    return (
        f'<div class="act-cell-output" data-act-output="{source}" aria-live="polite">'
        + "".join(parts)
        + "</div>"
    )


def _text_block(css_class: str, text: str) -> str:
    return f'<pre class="{css_class}"><code>{html.escape(text, quote=False)}</code></pre>'


# -- the scripts -----------------------------------------------------------------------
def bundle(
    cache: Path, pyodide_url: str, service_worker_url: str, *, cdn: bool = False
) -> dict[str, Path]:
    """The live cells' scripts, bundled by esbuild: site path -> file.

    ``pyodide_url`` is the site's Pyodide folder and ``service_worker_url`` the service
    worker, both relative to ``BUNDLE_DIR``. ``cdn``: the folder holds only the lock file,
    the activations wheel and ``pyodide-cdn.json``, which says where the rest is
    (:mod:`site_src.pyodide_dist`). The bundle is rebuilt only when a source, the npm
    packages or the arguments change; a bundle is a directory in ``cache`` named by the
    hash of all three.
    """
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        raise PluginError(f"{esbuild} is missing: run `npm ci` (scripts/setup does)")
    arguments = [
        "--bundle",
        "--format=esm",
        "--splitting",
        "--minify",
        "--target=es2022",
        "--loader:.py=text",
        "--chunk-names=[name]-[hash]",
        f"--define:ACT_PYODIDE_URL={json.dumps(pyodide_url)}",
        f"--define:ACT_PYODIDE_CDN={json.dumps(cdn)}",
        f"--define:ACT_SERVICE_WORKER_URL={json.dumps(service_worker_url)}",
    ]
    digest = hashlib.sha256("\0".join(arguments).encode())
    for path in sorted(LIVE_SOURCES.iterdir()):
        if path.suffix in (".mjs", ".py"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update((ROOT / "package-lock.json").read_bytes())
    out = cache / digest.hexdigest()[:16]
    if out.is_dir():
        os.utime(out)  # used: kept by prune()
    else:
        started = time.perf_counter()
        cache.mkdir(parents=True, exist_ok=True)
        partial = Path(
            tempfile.mkdtemp(dir=cache, suffix=".partial")
        )  # builds may run side by side
        entries = [str(LIVE_SOURCES / name) for name in ENTRY_POINTS]
        result = subprocess.run(
            [str(esbuild), *entries, *arguments, f"--outdir={partial}", "--log-level=warning"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or result.stderr.strip():
            raise PluginError(f"esbuild failed to bundle site_src/live/:\n{result.stderr}")
        try:
            partial.rename(out)
        except OSError:  # another build made the same bundle meanwhile
            shutil.rmtree(partial)
        log.info("activations: live-cell scripts bundled in %.2f s", time.perf_counter() - started)
    return {f"{BUNDLE_DIR}/{path.name}": path for path in sorted(out.iterdir())}


def service_worker(version: str, contents_sha256: str, pyodide_path: str) -> str:
    """The text of :data:`SERVICE_WORKER`: its source after the two constants it needs.

    Its cache is named by the Pyodide ``version`` and the hash of the folder's lock file
    and image (``pyodide_dist.contents_key``), so a build that changes a wheel or the image
    makes a new service worker, which deletes the older caches.
    ``pyodide_path``: the Pyodide folder relative to the site's root, ending with "/".
    """
    if not pyodide_path.endswith("/") or pyodide_path.startswith(("/", ".")):
        raise PluginError(f"site_src/livecells.py: {pyodide_path!r} is not a folder below the root")
    cache_name = f"{CACHE_PREFIX}{version}-{contents_sha256[:16]}"
    source = SERVICE_WORKER_SOURCE.read_text(encoding="utf-8")
    if f'const CACHE_PREFIX = "{CACHE_PREFIX}";' not in source:
        raise PluginError(f"{SERVICE_WORKER_SOURCE}: its CACHE_PREFIX must be {CACHE_PREFIX!r}")
    return (
        f"const CACHE_NAME = {json.dumps(cache_name)};\n"
        f"const PYODIDE_PATH = {json.dumps(pyodide_path)};\n{source}"
    )

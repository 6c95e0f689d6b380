"""Math rendered at build time: KaTeX, one node call per build, no JavaScript in the browser.

Pages never contain LaTeX for the browser to typeset. During the build every formula is
collected into a :class:`MathRegistry` and replaced by a placeholder comment
``<!--act/math:i:HASH-->`` (inline) or ``<!--act/math:d:HASH-->`` (display):

* formulas written in Markdown as ``$...$`` / ``$$...$$`` (pymdownx.arithmatex in
  generic mode) are collected from each page's HTML by :meth:`MathRegistry.collect_arithmatex`;
* generated pages register their formulas directly with :meth:`MathRegistry.inline` and
  :meth:`MathRegistry.display`, which return the placeholders.

Once every page has been converted (MkDocs' ``on_env``), :meth:`MathRegistry.render_all`
sends all distinct formulas to ``site_src/katex_render.mjs`` in a single ``node`` call;
``on_post_page`` then swaps the placeholders for KaTeX's HTML. The search index, built from
the page content before that swap, stays free of LaTeX and KaTeX markup.

A formula KaTeX cannot parse fails the build, naming the page(s) and the LaTeX.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import PluginError

HERE = Path(__file__).resolve().parent
RENDERER = HERE / "katex_render.mjs"
ROOT = HERE.parent
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"

PLACEHOLDER = re.compile(r"<!--act/math:([id]):([0-9a-f]{16})-->")
_ARITHMATEX = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<display>.*?)\\\]</div>',
    re.DOTALL,
)


@dataclass
class MathRegistry:
    """Every formula of one build: LaTeX by key, where each is used, and its HTML."""

    formulas: dict[str, tuple[str, bool]] = field(default_factory=dict)
    used_on: dict[str, set[str]] = field(default_factory=dict)
    rendered: dict[str, str] = field(default_factory=dict)

    def register(self, tex: str, display: bool, where: str) -> str:
        """Remember ``tex`` and return its placeholder comment."""
        tex = tex.strip()
        if not tex:
            raise PluginError(f"{where}: empty formula")
        kind = "d" if display else "i"
        key = hashlib.sha1(f"{kind}\0{tex}".encode()).hexdigest()[:16]
        self.formulas[key] = (tex, display)
        self.used_on.setdefault(key, set()).add(where)
        return f"<!--act/math:{kind}:{key}-->"

    def inline(self, tex: str, where: str) -> str:
        return self.register(tex, False, where)

    def display(self, tex: str, where: str) -> str:
        return self.register(tex, True, where)

    def collect_arithmatex(self, page_html: str, where: str) -> str:
        """Replace arithmatex's generic output in ``page_html`` by placeholders."""

        def replace(match: re.Match[str]) -> str:
            if match.group("display") is not None:
                return self.display(html.unescape(match.group("display")), where)
            return self.inline(html.unescape(match.group("inline")), where)

        converted = _ARITHMATEX.sub(replace, page_html)
        if "arithmatex" in converted:
            start = converted.index("arithmatex")
            raise PluginError(
                f"{where}: math markup the site cannot render near "
                f"{converted[max(0, start - 80):start + 120]!r}"
            )
        return converted

    def render_all(self) -> None:
        """Render every formula not rendered yet, in one node call."""
        pending = [key for key in self.formulas if key not in self.rendered]
        if not pending:
            return
        request = {
            "formulas": [
                {"tex": self.formulas[k][0], "display": self.formulas[k][1]} for k in pending
            ]
        }
        reply = _run_katex(request)
        if reply["errors"]:
            problems = []
            for index, message in reply["errors"]:
                key = pending[index]
                pages = ", ".join(sorted(self.used_on[key]))
                problems.append(f"  {self.formulas[key][0]!r} on {pages}: {message}")
            raise PluginError("KaTeX cannot render these formulas:\n" + "\n".join(problems))
        for key, rendered in zip(pending, reply["html"], strict=True):
            self.rendered[key] = rendered

    def substitute(self, output: str, where: str) -> str:
        """Swap the placeholders in a page's final HTML for the rendered formulas."""

        def replace(match: re.Match[str]) -> str:
            kind, key = match.groups()
            try:
                rendered = self.rendered[key]
            except KeyError:
                raise PluginError(f"{where}: formula {key} was never rendered") from None
            if kind == "d":
                return f'<div class="act-math-display">{rendered}</div>'
            return rendered

        return PLACEHOLDER.sub(replace, output)


def _run_katex(request: dict[str, object]) -> dict[str, list]:
    node = shutil.which("node")
    if node is None:
        raise PluginError("node is not installed: the site renders its math with KaTeX (Node.js >= 20)")
    if not (ROOT / "node_modules" / "katex").is_dir():
        raise PluginError("node_modules/katex is missing: run scripts/setup (it runs `npm ci`)")
    result = subprocess.run(
        [node, str(RENDERER)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise PluginError(f"{RENDERER.name} failed ({result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)


# -- KaTeX's stylesheet and fonts ---------------------------------------------------------
_FONT_SRC = re.compile(r"src:url\((fonts/[\w-]+\.woff2)\) format\(\"woff2\"\)(?:,url\([^)]*\) format\(\"[\w]+\"\))*")


def katex_assets() -> dict[str, bytes | Path]:
    """The files the site serves for KaTeX: its stylesheet and the woff2 fonts it names.

    The stylesheet is KaTeX's ``katex-swap.min.css`` (``font-display: swap``, so text is
    never invisible while a font loads) with each ``@font-face`` reduced to its woff2
    source: every browser the site supports reads woff2, and the site then never links a
    file it does not ship. Returns site paths mapped to content (bytes) or a source file.
    """
    css_path = KATEX_DIST / "katex-swap.min.css"
    if not css_path.is_file():
        raise PluginError(f"{css_path} is missing: run scripts/setup (it runs `npm ci`)")
    css = css_path.read_text(encoding="utf-8")
    fonts: list[str] = []

    def woff2_only(match: re.Match[str]) -> str:
        fonts.append(match.group(1))
        return f'src:url({match.group(1)}) format("woff2")'

    css, count = _FONT_SRC.subn(woff2_only, css)
    urls = re.findall(r"url\(([^)]*)\)", css)
    if count == 0 or urls != fonts:
        raise PluginError(f"unexpected url()s in {css_path}: update katex_assets()")
    assets: dict[str, bytes | Path] = {"assets/katex/katex.min.css": css.encode()}
    for font in sorted(set(fonts)):
        source = KATEX_DIST / font
        if not source.is_file():
            raise PluginError(f"{source} is missing (named by {css_path.name})")
        assets[f"assets/katex/{font}"] = source
    return assets

"""One build of the site: the state the hooks share between MkDocs events.

``site_src/hooks.py`` creates a :class:`SiteBuild` in ``on_config`` and forwards each event
to it. In order:

1. :meth:`SiteBuild.configure` expands the "Functions" entry of the nav into a section
   per family;
2. :meth:`SiteBuild.add_files` checks the prose files against the records, then adds
   virtual files (MkDocs 1.6 ``File.generated``: nothing is written into docs/, so
   ``mkdocs serve`` never sees its own output and never rebuilds in a loop): a page per
   activation, the Functions overview, KaTeX's stylesheet and fonts, the site's CSS/JS;
3. :meth:`SiteBuild.page_markdown` expands the shortcodes of each page;
4. :meth:`SiteBuild.page_content` runs the page's live cells and collects its formulas;
5. :meth:`SiteBuild.render_math` renders all formulas in one node call;
6. :meth:`SiteBuild.post_page` puts formulas and plots into each page's HTML;
7. :meth:`SiteBuild.post_build` assembles the ``pyodide/`` folder the live cells run in,
   and writes the service worker that keeps it in the reader's browser.

Where Pyodide comes from is chosen by the environment (:func:`pyodide_source`): the site
itself (the default), or the official CDN with ``ACTIVATIONS_PYODIDE=cdn``.

Live cells (```` ```python live ```` fences, :mod:`site_src.livecells`) take part in 1
(their fence), 2 (their scripts), 3 and 4 (markup and build-time run) and 7.
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
import re
import time
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import catalogue, livecells, pages, plots, pyodide_dist, shortcodes
from .mathrender import PLACEHOLDER, MathRegistry, katex_assets

log = logging.getLogger("mkdocs.hooks.activations")

HERE = Path(__file__).resolve().parent
#: Material's search worker, held back while Python starts (site_src/assets/search-worker.js);
#: in the folder of Material's own, which it loads.
SEARCH_WORKER = "assets/javascripts/workers/act-search.js"
#: The site's own stylesheets and scripts: site path -> source.
SITE_ASSETS = {
    SEARCH_WORKER: HERE / "assets" / "search-worker.js",
    "assets/site.css": HERE / "assets" / "site.css",
    "assets/demos.css": HERE / "assets" / "demos.css",
    "assets/explorer.css": HERE / "assets" / "explorer.css",
    "assets/site.js": HERE / "assets" / "site.js",
}
#: Set to 1 to preview the site while some functions have no prose yet (never in CI).
DRAFT_VARIABLE = "ACTIVATIONS_SITE_DRAFT"
#: Kept between builds (.cache/ is gitignored): the bundled live-cell scripts, and the
#: outputs of the live cells (see site_src/livecells.py); what no build used for a week
#: is removed.
BUNDLE_CACHE = HERE.parent / ".cache" / "live-bundle"
OUTPUTS_CACHE = HERE.parent / ".cache" / "live-outputs"
#: Where the live cells' Pyodide is, in the site (site_src/pyodide_dist.py fills it).
PYODIDE_DIR = "pyodide"
#: "self" (default: Pyodide and its wheels in PYODIDE_DIR) or "cdn" (only the lock file
#: and the activations wheel there; the rest from the official CDN, integrity-checked).
PYODIDE_VARIABLE = "ACTIVATIONS_PYODIDE"
#: With "cdn": another URL laid out like the official one (a mirror; the tests' fake CDN).
CDN_URL_VARIABLE = "ACTIVATIONS_PYODIDE_CDN_URL"


def pyodide_source() -> str | None:
    """The CDN URL the live cells load Pyodide from, or None for the site itself."""
    mode = os.environ.get(PYODIDE_VARIABLE, "self") or "self"
    if mode not in ("self", "cdn"):
        raise PluginError(f"{PYODIDE_VARIABLE}={mode!r}: use 'self' (the default) or 'cdn'")
    url = os.environ.get(CDN_URL_VARIABLE) or pyodide_dist.CDN_URL
    if mode == "self":
        if os.environ.get(CDN_URL_VARIABLE):
            raise PluginError(f"{CDN_URL_VARIABLE} is set but {PYODIDE_VARIABLE} is not 'cdn'")
        return None
    try:
        pyodide_dist.check_cdn_url(url)
    except pyodide_dist.AssemblyError as error:
        raise PluginError(f"{CDN_URL_VARIABLE}: {error}") from error
    return url
#: The nav entry that the Functions section replaces (mkdocs.yml).
FUNCTIONS_NAV = {"Functions": f"{catalogue.FUNCTION_DIR}/index.md"}

#: Where Material's configuration (its script #__config) names its search worker.
_SEARCH_CONFIG = re.compile(
    r'"search": "((?:\.\./)*)assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)"'
)
# A placeholder inside indented Markdown (a content tab) ends up wrapped in a paragraph.
_PLOT = re.compile(r"<p><!--act/(plot|family-plot):([\w-]+)--></p>|<!--act/(plot|family-plot):([\w-]+)-->")

#: Fixes to the theme's HTML that CSS cannot make: (what Material writes, what we want).
#: The build fails if Material stops writing the first, so a theme upgrade is noticed.
THEME_FIXES = (
    # The search overlay is a dialog; axe-core requires dialogs to have a name.
    (
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
    ),
)


class SiteBuild:
    def __init__(self) -> None:
        self.math = MathRegistry()
        self.svgs: dict[tuple[str, str], str] = {}
        self.docs_dir = Path()
        self.draft = False
        self.cells = livecells.LiveCells(OUTPUTS_CACHE)
        self.cdn_url: str | None = None  # where Pyodide comes from; None: the site

    # 1 ---------------------------------------------------------------------------------
    def configure(self, config: MkDocsConfig) -> MkDocsConfig:
        self.docs_dir = Path(config.docs_dir)
        self.draft = os.environ.get(DRAFT_VARIABLE) == "1"
        self.cdn_url = pyodide_source()
        nav = config.nav
        if not isinstance(nav, list) or FUNCTIONS_NAV not in nav:
            raise PluginError(f"mkdocs.yml: the nav must contain the entry {FUNCTIONS_NAV}")
        section: list[Any] = [FUNCTIONS_NAV["Functions"]]
        for family in catalogue.families():
            section.append({family.title: [catalogue.page_path(r.name) for r in family.records]})
        nav[nav.index(FUNCTIONS_NAV)] = {"Functions": section}
        if "pymdownx.superfences" not in config.markdown_extensions:
            raise PluginError("mkdocs.yml: live cells need the markdown extension pymdownx.superfences")
        superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
        superfences.setdefault("custom_fences", []).append(self.cells.custom_fence())
        return config

    # 2 ---------------------------------------------------------------------------------
    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        names = catalogue.records_names()
        prose = pages.check_prose(self.docs_dir, names, draft=self.draft)
        generated: dict[str, str | bytes | Path] = {}
        for name in names:
            record = catalogue.record(name, "the registry")
            if name in prose:
                text = pages.load_prose(prose[name])
            else:
                log.info("activations: DRAFT: docs/prose/%s.md is missing", name)
                text = pages.draft_prose(name)
            generated[catalogue.page_path(name)] = pages.function_page(record, text, self.math)
        generated[f"{catalogue.FUNCTION_DIR}/index.md"] = pages.functions_index(self.math)
        generated.update(katex_assets())
        generated.update(SITE_ASSETS)
        # The scripts find Pyodide and the service worker relative to themselves
        # (assets/live/ -> pyodide/, service-worker.js).
        pyodide_url = posixpath.relpath(PYODIDE_DIR, livecells.BUNDLE_DIR) + "/"
        service_worker_url = posixpath.relpath(livecells.SERVICE_WORKER, livecells.BUNDLE_DIR)
        cdn = self.cdn_url is not None
        generated.update(livecells.bundle(BUNDLE_CACHE, pyodide_url, service_worker_url, cdn=cdn))
        # GitHub Pages must serve the site as it is, without Jekyll (which would hide
        # files starting with "_"): scripts/publish's gh-deploy adds this file as well.
        generated[".nojekyll"] = b""
        for src_uri, content in generated.items():
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"docs/{src_uri} exists, but the build generates that file: remove it")
            # Explicitly included: ".nojekyll" would otherwise match MkDocs' ".*" exclusion.
            inclusion = InclusionLevel.INCLUDED
            if isinstance(content, Path):
                files.append(File.generated(config, src_uri, abs_src_path=str(content), inclusion=inclusion))
            else:
                files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
        log.info("activations: %d function pages generated", len(names))
        return files

    # 3 ---------------------------------------------------------------------------------
    def page_markdown(self, markdown: str, page: Page) -> str:
        self.cells.start_page(page.file.src_uri, markdown, generated=page.file.generated_by is not None)
        context = shortcodes.Context(page.file.src_uri, self.math, self.docs_dir, self.draft)
        return shortcodes.expand(markdown, context)

    # 4 ---------------------------------------------------------------------------------
    def page_content(self, content: str, page: Page) -> str:
        content = self.cells.finish_page(content)
        content = self.math.collect_arithmatex(content, page.file.src_uri)
        # Read by site_src/overrides/main.html: preload KaTeX's fonts where they are used.
        page.meta["act_math"] = PLACEHOLDER.search(content) is not None
        return content

    # 5 ---------------------------------------------------------------------------------
    def render_math(self) -> None:
        started = time.perf_counter()
        self.math.render_all()
        log.info(
            "activations: %d formulas rendered by KaTeX in %.2f s",
            len(self.math.formulas),
            time.perf_counter() - started,
        )

    # 6 ---------------------------------------------------------------------------------
    def post_page(self, output: str, page: Page) -> str:
        where = page.file.src_uri
        output = self.math.substitute(output, where)
        output = _PLOT.sub(
            lambda m: self._figure(m.group(1) or m.group(3), m.group(2) or m.group(4), where), output
        )
        for old, new in THEME_FIXES:
            if output.count(old) != 1:
                raise PluginError(f"{where}: expected Material to write {old!r} once: update THEME_FIXES")
            output = output.replace(old, new)
        output, found = _SEARCH_CONFIG.subn(
            lambda m: f'"search": "{m.group(1)}{SEARCH_WORKER}?material={m.group(2)}"', output
        )
        if found != 1:
            raise PluginError(f"{where}: expected Material's configuration to name its search worker once")
        leftover = re.search(r"<!--act[:/].*?-->", output)
        if leftover:
            raise PluginError(f"{where}: unknown site markup {leftover.group(0)!r} in the output")
        return output

    # 7 ---------------------------------------------------------------------------------
    def post_build(self, site_dir: Path) -> None:
        for cache in (OUTPUTS_CACHE, BUNDLE_CACHE):
            livecells.prune(cache)
        log.info(
            "activations: %d live cells: %d run in %.2f s, %d from the cache",
            self.cells.count,
            self.cells.ran,
            self.cells.seconds,
            self.cells.count - self.cells.ran,
        )
        try:
            folder = site_dir / PYODIDE_DIR
            if self.cdn_url is None:
                assembly = pyodide_dist.assemble(folder)
                image = pyodide_dist.place_image(assembly)
            else:
                assembly = pyodide_dist.assemble(folder, cdn=True, cdn_url=self.cdn_url)
                image = ()
        except pyodide_dist.AssemblyError as error:
            raise PluginError(f"the live cells' Pyodide: {error}") from error
        log.info(
            "activations: %s/ holds %d files, %.1f MB%s%s",
            PYODIDE_DIR,
            len(assembly.files),
            assembly.total_bytes / 1e6,
            f" (the rest from {self.cdn_url})" if self.cdn_url else "",
            f", and the Python image, {sum(f.size for f in image) / 1e6:.1f} MB" if image else "",
        )
        # Written after the folder: its cache is named by the folder's lock file and image.
        contents = pyodide_dist.contents_key(assembly.lock_sha256, image)
        worker = livecells.service_worker(assembly.version, contents, f"{PYODIDE_DIR}/")
        (site_dir / livecells.SERVICE_WORKER).write_text(worker, encoding="utf-8")

    def _figure(self, kind: str, key: str, where: str) -> str:
        if (kind, key) not in self.svgs:
            if kind == "plot":
                record = catalogue.record(key, where)
                svg, marked = plots.activation_svg(record, record.display_name)
                caption = f"{html.escape(record.display_name)}: f solid, its derivative f′ dashed"
                if marked:
                    caption += "; filled dot: the value used at a kink, open dots: the limits beside it"
                caption += "."
            else:
                family = next((f for f in catalogue.families() if f.anchor == key), None)
                if family is None:
                    raise PluginError(f"{where}: no family {key!r}")
                svg = plots.family_svg(family.records, family.anchor, family.title)
                caption = f"The {html.escape(family.title.lower())} family at default parameters."
            self.svgs[(kind, key)] = (
                f'<figure class="act-plot">{svg}<figcaption>{caption}</figcaption></figure>'
            )
        return self.svgs[(kind, key)]

"""MkDocs hooks of the activations site (``hooks:`` in mkdocs.yml).

Each hook is one line: it forwards the event to the :class:`site_src.build.SiteBuild` of
the current build, where the work and its documentation live. ``on_config`` imports the
package and the machinery afresh, so under ``mkdocs serve`` an edited record, template
or helper shows on the next rebuild without restarting the server.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from site_src.build import SiteBuild

_build: SiteBuild | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = _fresh_machinery().SiteBuild()
    return _build.configure(config)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    return _current().add_files(files, config)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _current().page_markdown(markdown, page)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _current().page_content(html, page)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    _current().render_math()
    return env


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _current().post_page(output, page)


def on_post_build(config: MkDocsConfig) -> None:
    _current().post_build(Path(config.site_dir))


def _current() -> SiteBuild:
    if _build is None:
        raise RuntimeError("site_src/hooks.py: on_config has not run")
    return _build


def _fresh_machinery():
    """Import site_src.build and the activations package anew (see the module docstring)."""
    for name in list(sys.modules):
        if name.split(".")[0] in ("activations", "site_src") and name != "site_src.hooks":
            del sys.modules[name]
    return importlib.import_module("site_src.build")

"""Material's search index waits while Python starts (site_src/assets/search-worker.js and
site_src/live/search.mjs): it is built once Python is idle, at once when the reader turns
to search, and anyway when the page says nothing (its scripts missing).

Material's search box says "Initializing search" until its worker has built the index,
then "Type to start searching": what a reader sees, and what these tests watch.
"""

from __future__ import annotations

import re

from .conftest import BuiltSite
from .livepage import RUNTIME_MODULE, Live

PLOT_PAGE = "functions/relu/"  # its cell is below the fold: Python starts when it is run
READY = "Type to start searching"
META = ".md-search-result__meta"

# Notes, in the page, the runtime's state when the search box first says READY.
WATCH_READY = f"""async (ready) => {{
  const {{ runtime }} = await {RUNTIME_MODULE};
  const meta = document.querySelector("{META}");
  window.actSearchReady = null;
  const note = () => {{
    if (window.actSearchReady || meta.textContent !== ready) return;
    window.actSearchReady = {{ started: runtime.started, busy: runtime.busy }};
  }};
  new MutationObserver(note).observe(meta, {{ childList: true, characterData: true, subtree: true }});
  note();
}}"""


def test_every_page_points_material_at_the_holding_worker(built_site: BuiltSite) -> None:
    workers = built_site.path / "assets" / "javascripts" / "workers"
    named = re.compile(r'"search": "(?:\.\./)*assets/javascripts/workers/act-search\.js\?material=([^"]+)"')
    for path in built_site.html_pages():
        if path.name == "404.html":
            continue  # rendered outside the pages' hooks: Material's worker itself
        found = named.findall(path.read_text(encoding="utf-8"))
        assert len(found) == 1, f"{path}: {found}"
        assert (workers / found[0]).is_file(), f"{path}: {found[0]} is not Material's worker"
    assert (workers / "act-search.js").is_file()


def test_the_index_is_built_once_python_has_started_and_run(live: Live) -> None:
    live.goto(PLOT_PAGE)
    live.page.evaluate(WATCH_READY, READY)
    assert live.run(1) == "done"
    live.page.wait_for_function("window.actSearchReady", timeout=20_000)
    state = live.page.evaluate("window.actSearchReady")
    assert state == {"started": True, "busy": False}, f"the index was built while Python was {state}"


def test_the_index_is_built_at_once_when_the_reader_turns_to_search(live: Live) -> None:
    live.context.route("**/pyodide/**", lambda route: None)  # Python never gets its files
    live.goto(PLOT_PAGE)
    live.page.evaluate(WATCH_READY, READY)
    live.cell(1).get_by_role("button", name="Run", exact=True).click()
    live.page.wait_for_function(f"async () => (await {RUNTIME_MODULE}).runtime.busy")
    live.page.wait_for_timeout(3000)
    assert live.page.evaluate("window.actSearchReady") is None, "built while Python started"
    live.page.locator("input.md-search__input").click()
    live.page.wait_for_function("window.actSearchReady", timeout=10_000)
    assert live.page.evaluate("window.actSearchReady") == {"started": True, "busy": True}


def test_a_page_whose_scripts_say_nothing_gets_its_index_anyway(live: Live) -> None:
    """The holding worker's deadline (search-worker.js, ANSWER_MS: 2 s)."""
    live.context.route("**/assets/live/cells.js", lambda route: route.abort())
    live.page.goto(live.server.base + PLOT_PAGE)
    live.page.locator(META).filter(has_text=READY).wait_for(timeout=10_000)

"""Live cells without a browser: the kernel that runs a cell (the same file runs in
Pyodide), the Markdown that makes a cell, the build-time run that fills its output, and
what the built site ships for them."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import markdown
import matplotlib
import pytest
from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesException

import activations
from site_src import livecells, pyodide_dist
from site_src.live import kernel

from .conftest import BuiltSite


def run(session: kernel.Session, source: str, cell: int = 1) -> tuple[bool, list[kernel.Message]]:
    messages: list[kernel.Message] = []
    ok = session.run(source, cell, messages.append)
    return ok, messages


# -- the kernel ----------------------------------------------------------------------
def test_a_last_expression_shows_its_repr_after_what_was_printed() -> None:
    ok, messages = run(kernel.Session(), "print('a')\nprint('b')\n[1, 2]")
    assert ok
    assert messages == [
        {"type": "stream", "name": "stdout", "text": "a\nb\n"},
        {"type": "result", "text": "[1, 2]"},
    ]


def test_none_and_assignments_show_nothing() -> None:
    assert run(kernel.Session(), "x = 1\nNone") == (True, [])


def test_cells_of_a_page_share_a_namespace_and_pages_do_not() -> None:
    page = kernel.Session()
    run(page, "x = 41", 1)
    assert run(page, "x + 1", 2)[1] == [{"type": "result", "text": "42"}]
    ok, messages = run(kernel.Session(), "x")
    assert not ok and messages[0]["ename"] == "NameError"


def test_a_traceback_shows_the_readers_frames_only() -> None:
    page = kernel.Session()
    run(page, "def f(y):\n    return 1 / y", 1)
    ok, messages = run(page, "import activations\nf(0)", 2)
    assert not ok
    error = messages[-1]
    assert (error["type"], error["ename"], error["evalue"]) == (
        "error",
        "ZeroDivisionError",
        "division by zero",
    )
    assert error["traceback"].startswith("Traceback (most recent call last):\n")
    assert 'File "<cell 2>", line 2, in <module>\n    f(0)' in error["traceback"]
    assert 'File "<cell 1>", line 2, in f\n    return 1 / y' in error["traceback"]
    assert "kernel.py" not in error["traceback"]


def test_an_error_inside_the_package_shows_the_readers_call_and_the_message() -> None:
    ok, messages = run(kernel.Session(), "import activations\nactivations.elu(1.0, alpha='x')")
    assert not ok
    frames = re.findall(r'File "([^"]+)"', messages[-1]["traceback"])
    assert frames == ["<cell 1>"], messages[-1]["traceback"]


def test_a_syntax_error_points_at_the_line() -> None:
    ok, messages = run(kernel.Session(), "x = 1\nfor i in range(3)\n    pass", 3)
    assert not ok
    assert messages[-1]["ename"] == "SyntaxError"
    assert 'File "<cell 3>", line 2' in messages[-1]["traceback"]


def test_input_says_why_it_cannot_read() -> None:
    ok, messages = run(kernel.Session(), "name = input('Your name? ')")
    assert not ok
    assert messages[-1]["evalue"] == kernel.NO_INPUT
    assert "input() cannot read from the keyboard" in messages[-1]["traceback"]


def test_printed_output_is_capped_with_a_note() -> None:
    ok, messages = run(kernel.Session(), f"print('x' * {kernel.STREAM_LIMIT + 1234})")
    assert ok
    text = "".join(m["text"] for m in messages if m["name"] == "stdout")
    assert text == "x" * kernel.STREAM_LIMIT
    notes = [m["text"] for m in messages if m["name"] == "stderr"]
    assert notes == ["\n[output truncated: 1,235 more characters not shown]\n"]


def test_stdout_and_stderr_keep_their_order() -> None:
    _, messages = run(kernel.Session(), "import sys\nprint(1)\nprint(2, file=sys.stderr)\nprint(3)")
    assert [(m["name"], m["text"]) for m in messages] == [
        ("stdout", "1\n"),
        ("stderr", "2\n"),
        ("stdout", "3\n"),
    ]


def test_a_figure_is_inline_svg_in_the_sites_colours() -> None:
    source = (
        "import matplotlib.pyplot as plt\n"
        "plt.plot([0, 1], [0, 1], label='f <x>')\n"
        "plt.title('T')\nplt.xlabel('x')\nplt.legend()"
    )
    with matplotlib.rc_context():
        ok, messages = run(kernel.Session(), source, 4)
    assert ok
    assert [m["type"] for m in messages] == ["display"], "plt.legend()'s return value is not shown"
    svg, alt = messages[0]["svg"], messages[0]["alt"]
    assert alt == "Figure drawn by the cell: T; x axis: x; legend: f <x>."
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert (
        '<title id="act-c4-f1-title">Figure drawn by the cell: T; x axis: x; legend: f &lt;x&gt;.</title>'
        in svg
    )
    assert "var(--act-series-1)" in svg and "var(--act-plot-fg)" in svg
    for absent in ("<style", "<metadata", "<?xml", "font-family", " href=", "<script"):
        assert absent not in svg, absent
    ids = re.findall(r'\sid="([^"]+)"', svg)
    assert ids and all(i.startswith("act-c4-f1-") for i in ids), ids
    references = re.findall(r'url\(#([^)]+)\)|xlink:href="#([^"]+)"', svg)
    assert {a or b for a, b in references} <= set(ids)


def test_figures_are_closed_after_the_cell() -> None:
    page = kernel.Session()
    with matplotlib.rc_context():
        run(page, "import matplotlib.pyplot as plt\nplt.plot([1, 2])", 1)
        assert run(page, "print('no figure')", 2)[1] == [
            {"type": "stream", "name": "stdout", "text": "no figure\n"}
        ]


def test_a_rehearsal_draws_in_the_sites_style_and_leaves_the_readers_state_alone() -> None:
    """kernel.rehearse (run by the worker when idle, to warm the drawing code) draws a
    figure like a cell's, but touches neither pyplot's figures, nor the rcParams a reader
    set, nor the page's namespace."""
    import matplotlib.pyplot as plt

    page = kernel.Session()
    with matplotlib.rc_context():
        assert run(page, "import matplotlib.pyplot as plt\nplt.rcParams['lines.linewidth'] = 7\nx = 1")[0]
        reader_figure = plt.figure()
        before = dict(matplotlib.rcParams)
        svg = kernel.rehearse()
        assert plt.get_fignums() == [reader_figure.number]
        assert dict(matplotlib.rcParams) == before
        plt.close("all")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "var(--act-series-1)" in svg and "var(--act-series-2)" in svg
    assert 'stroke-width: 7' in svg, "drawn with the reader's line width"
    assert "<title id=\"act-rehearsal-title\">Figure drawn by the cell: tanh; x axis: x; legend: f(x), f′(x).</title>" in svg
    assert set(page.namespace) == {"__name__", "__builtins__", "input", "plt", "x"}


def test_run_json_sends_each_message_as_json() -> None:
    sent: list[str] = []
    assert kernel.Session().run_json("print(1)\n2", 1, sent.append)
    assert [json.loads(text) for text in sent] == [
        {"type": "stream", "name": "stdout", "text": "1\n"},
        {"type": "result", "text": "2"},
    ]


# -- the Markdown and the build-time run ---------------------------------------------
def convert(text: str, cells: livecells.LiveCells, where: str = "page.md") -> str:
    md = markdown.Markdown(
        extensions=["pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={
            "pymdownx.highlight": {"pygments_lang_class": True},  # as in mkdocs.yml
            "pymdownx.superfences": {"custom_fences": [cells.custom_fence()]},
        },
    )
    cells.start_page(where, text, generated=False)
    return cells.finish_page(md.convert(text))


def test_a_live_fence_becomes_code_and_its_output() -> None:
    text = (
        "Intro.\n\n```python live\nx = 6 * 7\nprint('<b>', x)\n```\n\n```python live\nx + 1\n```\n"
    )
    page = convert(text, livecells.LiveCells(cache=None))
    assert page.count('class="act-cell"') == 2
    assert 'data-act-cell="1"' in page and 'data-act-cell="2"' in page
    assert 'class="language-python highlight"' in page, (
        "the code is highlighted as any Python block"
    )
    assert '<pre class="act-cell-stdout"><code>&lt;b&gt; 42\n</code></pre>' in page
    assert '<pre class="act-cell-result"><code>43</code></pre>' in page
    assert page.count('data-act-output="build"') == 2


def test_a_plain_python_fence_stays_a_code_block() -> None:
    page = convert("```python\nprint(1)\n```\n", livecells.LiveCells(cache=None))
    assert "act-cell" not in page and "highlight" in page


def test_a_failing_cell_fails_the_build_with_page_and_line() -> None:
    text = "# Title\n\nText.\n\n```python live\nx = 1\n```\n\nMore.\n\n```python live\n1 / 0\n```\n"
    with pytest.raises(PluginError) as caught:
        convert(text, livecells.LiveCells(cache=None), "guide.md")
    message = str(caught.value)
    assert message.startswith("docs/guide.md, line 11: live cell 2 raised ZeroDivisionError:")
    assert 'File "<cell 2>", line 1' in message


def test_an_unknown_option_on_a_live_fence_fails() -> None:
    with pytest.raises(
        SuperFencesException, match=r"docs/page\.md: a live cell takes no option \['hidden'\]"
    ):
        convert("```python live hidden\nx = 1\n```\n", livecells.LiveCells(cache=None))


def test_live_on_another_language_fails() -> None:
    with pytest.raises(
        PluginError, match=r"docs/page\.md: only Python runs live, not a ```pycon live"
    ):
        convert(">>> 1 + 1\n\n```pycon live\n>>> 1\n```\n", livecells.LiveCells(cache=None))


def test_a_live_fence_that_makes_no_cell_fails() -> None:
    """Here the live fence is the content of another code block: an example of the markup."""
    text = "````markdown\n```python live\nx = 1\n```\n````\n"
    with pytest.raises(
        PluginError, match=r"1 ```python live fence\(s\) in the Markdown but 0 cell"
    ):
        convert(text, livecells.LiveCells(cache=None))


def test_outputs_are_cached_by_everything_they_depend_on(tmp_path: Path) -> None:
    text = "```python live\nprint(activations_version := 1)\n```\n"
    first = livecells.LiveCells(cache=tmp_path)
    page = convert(text, first)
    second = livecells.LiveCells(cache=tmp_path)
    assert convert(text, second) == page
    assert (first.ran, second.ran, second.count) == (1, 0, 1)
    assert livecells.outputs_key(["a"]) != livecells.outputs_key(["b"])
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_prune_removes_what_no_build_used_for_a_week(tmp_path: Path) -> None:
    old, recent, old_dir = tmp_path / "old.json", tmp_path / "recent.json", tmp_path / "bundle"
    for path in (old, recent):
        path.write_text("[]")
    old_dir.mkdir()
    (old_dir / "cells.js").write_text("")
    week_ago = time.time() - 8 * 86400
    for path in (old, old_dir):
        os.utime(path, (week_ago, week_ago))
    livecells.prune(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["recent.json"]


def test_output_html_escapes_text_and_joins_streams() -> None:
    messages: list[kernel.Message] = [
        {"type": "stream", "name": "stdout", "text": "<img src=x onerror=alert(1)>\n"},
        {"type": "stream", "name": "stdout", "text": "second\n"},
        {"type": "error", "ename": "E", "evalue": "", "traceback": "E: <b>\n"},
    ]
    assert livecells.output_html(messages, source="build") == (
        '<div class="act-cell-output" data-act-output="build" aria-live="polite">'
        '<pre class="act-cell-stdout"><code>&lt;img src=x onerror=alert(1)&gt;\nsecond\n</code></pre>'
        '<pre class="act-cell-error"><code>E: &lt;b&gt;\n</code></pre></div>'
    )


# -- the built site ------------------------------------------------------------------
def test_the_home_page_and_every_function_page_have_cells_with_output(
    built_site: BuiltSite,
) -> None:
    home = built_site.page("").read_text(encoding="utf-8")
    assert home.count('class="act-cell"') >= 1
    assert '<pre class="act-cell-stdout">' in home
    for name in activations.names():
        page = built_site.page(f"functions/{name}/").read_text(encoding="utf-8")
        cell = re.search(
            r'<div class="act-cell" data-act-cell="1">.*?data-act-output="build".*?</div>',
            page,
            re.DOTALL,
        )
        assert cell, f"{name}: no live cell"
        assert '<figure class="act-cell-figure"><svg' in page, f"{name}: the cell drew no figure"
        assert '<pre class="act-cell-result">' in page, f"{name}: the cell shows no value"


def test_the_site_ships_the_scripts_and_pyodide(built_site: BuiltSite) -> None:
    live = built_site.path / livecells.BUNDLE_DIR
    assert {p.name for p in live.iterdir()} >= {"cells.js", "worker.js"}
    assert any(p.name.startswith("editor-") for p in live.iterdir()), (
        "CodeMirror is a chunk of its own"
    )
    assert (live / "cells.js").stat().st_size < 30_000, "CodeMirror must not be in the entry script"
    pyodide = built_site.path / "pyodide"
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
        assert (pyodide / name).is_file(), name
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == pyodide_dist.PYODIDE_VERSION
    assert "activations" in lock["packages"] and "matplotlib" in lock["packages"]
    assert re.search(r"activations: \d+ live cells: \d+ run in [\d.]+ s, \d+ from the cache", built_site.log)

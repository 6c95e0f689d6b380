"""Every Python example on the site runs, and prints what the page says it prints.

The examples are read from the built pages, hand-written (docs/) and generated (the
function pages) alike, exactly as a reader sees them. Each ```python block runs in a
fresh interpreter with warnings as errors; a block followed by a block titled "Output"
must print that. ```pycon blocks (the docstrings' >>> examples on the API page) run as
doctests.
"""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

import activations

from .conftest import ROOT, BuiltSite
from .sitepages import code_blocks

def _pages() -> list[str]:
    """Site paths of every page that can hold examples (one test each)."""
    paths = []
    for source in sorted((ROOT / "docs").rglob("*.md")):
        relative = source.relative_to(ROOT / "docs")
        if relative.parts[0] == "prose":
            continue
        stem = relative.with_suffix("")
        paths.append("" if str(stem) == "index" else (str(stem.parent) + "/" if stem.name == "index" else str(stem) + "/"))
    return paths + ["functions/"] + [f"functions/{name}/" for name in activations.names()]


def _doctest(code: str, name: str) -> None:
    """Run a pycon block as a doctest; fail with its report."""
    test = doctest.DocTestParser().get_doctest(code, dict(vars(activations)), name, None, 0)
    output: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=output.append)
    if runner.failures:
        pytest.fail("".join(output), pytrace=False)


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("path", _pages())
def test_python_examples_run(built_site: BuiltSite, path: str, tmp_path: Path) -> None:
    page = built_site.page(path)
    assert page.is_file(), f"no page {path!r} in the built site"
    blocks = code_blocks(page.read_text(encoding="utf-8"))
    assert all(language for language, _, _ in blocks), f"{path}: a code block has no language"
    python = [(i, code) for i, (language, _, code) in enumerate(blocks) if language == "python"]
    if path.startswith("functions/") and path != "functions/":
        assert python, f"{path}: a function page without its example"
    for index, code in python:
        result = _run(code, tmp_path)
        if result.returncode != 0:
            pytest.fail(f"{path}: example {index + 1} failed:\n{code}\n{result.stderr}", pytrace=False)
        assert result.stderr == "", f"{path}: example {index + 1} wrote to stderr:\n{result.stderr}"
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following and following[1] == "Output":
            assert result.stdout == following[2], (
                f"{path}: example {index + 1} printed\n{result.stdout}\nbut the page shows\n{following[2]}"
            )
    for index, (language, _, code) in enumerate(blocks):
        if language == "pycon":  # docstring examples on the API page: run as doctests
            _doctest(code, f"{path} block {index + 1}")


def test_readme_examples_run(tmp_path: Path) -> None:
    """The README's ```python blocks run, in order, as one script."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) >= 2, "the README shows library use in ```python blocks"
    result = _run("\n".join(blocks), tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr

"""The strict build: no warnings, a page per record, nothing left unrendered, and the
failures the build promises (missing or orphan prose, unknown shortcodes) with messages
that name the culprit."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import activations

from .conftest import DRAFT_VARIABLE, ROOT, BuiltSite, run_build


def test_strict_build_has_no_warnings(built_site: BuiltSite) -> None:
    warnings = [line for line in built_site.log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert not warnings, "the strict build logged:\n" + "\n".join(warnings)
    assert not built_site.draft, (
        f"{DRAFT_VARIABLE}=1 is set: this run checked a draft build, which tolerates missing"
        " prose files, records and docs/data/accuracy.json; unset it for the real check"
    )


def test_math_is_rendered_in_one_node_call(built_site: BuiltSite) -> None:
    calls = built_site.log.count("formulas rendered by KaTeX")
    assert calls == 1, f"KaTeX ran {calls} times in one build"


def test_build_writes_nothing_into_the_sources(tmp_path: Path) -> None:
    """Generated pages are virtual files: `mkdocs serve` never sees its own output."""
    watched = [ROOT / "docs", ROOT / "site_src", ROOT / "activations", ROOT / "mkdocs.yml"]

    def snapshot() -> dict[str, tuple[int, int]]:
        files = [p for w in watched for p in ([w] if w.is_file() else w.rglob("*"))]
        return {
            str(p): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in files
            if p.is_file() and "__pycache__" not in p.parts
        }

    before = snapshot()
    result = run_build(tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    after = snapshot()
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"the build changed files it watches: {changed}"


def test_every_record_has_its_page(built_site: BuiltSite) -> None:
    for name in activations.names():
        record = activations.get(name)
        page = built_site.page(f"functions/{name}/")
        assert page.is_file(), f"no page for {name}"
        text = page.read_text(encoding="utf-8")
        assert "<h1 id=" in text and record.display_name in text
        for section in ("Intuition", "Properties", "Parameters", "Derivative at kinks", "Example",
                        "In the frameworks", "When to use it", "Pitfalls", "History"):
            assert f">{section}<" in text, f"{name}: no section {section!r}"
        for alias in record.aliases:
            assert f"<code>{alias}</code>" in text, f"{name}: alias {alias!r} not on its page"
        for framework in record.frameworks:
            if framework.name:
                assert framework.name in text, f"{name}: {framework.name} not on its page"
        if record.origin and record.origin.url:
            assert record.origin.url in text


def test_aliases_are_searchable(built_site: BuiltSite) -> None:
    """Searching an alias ("swish") finds the function's page (SiLU)."""
    index = json.loads((built_site.path / "search" / "search_index.json").read_text())
    for name in activations.names():
        record = activations.get(name)
        entries = [d for d in index["docs"] if d["location"].startswith(f"functions/{name}/")]
        assert entries, f"{name} is not in the search index"
        words = " ".join(d["text"] + " " + d["title"] + " " + " ".join(d.get("tags", [])) for d in entries)
        for alias in record.aliases:
            assert alias in words, f"searching {alias!r} would not find {name}"


def test_all_math_is_rendered(built_site: BuiltSite) -> None:
    for page in built_site.html_pages():
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(built_site.path)
        assert "arithmatex" not in text, f"{where}: unrendered arithmatex output"
        assert "<!--act" not in text, f"{where}: a placeholder was left in the page"
        assert "katex-error" not in text, f"{where}: KaTeX error box"
        body = re.sub(r"<(code|pre|script|annotation)\b.*?</\1>", "", text, flags=re.DOTALL)
        assert not re.search(r"\$\$|\\\(|\\\[|\\begin\{", body), f"{where}: raw LaTeX in the page"


def test_function_pages_show_formula_derivative_and_plot(built_site: BuiltSite) -> None:
    for name in activations.names():
        text = built_site.page(f"functions/{name}/").read_text(encoding="utf-8")
        assert re.search(r'class="act-formula".*?class="katex', text, re.DOTALL), name
        assert re.search(r'class="act-derivative".*?class="katex', text, re.DOTALL), name
        assert re.search(r'<figure class="act-plot"><svg [^>]*role="img"', text), name


def test_ids_are_unique_on_every_page(built_site: BuiltSite) -> None:
    for page in built_site.html_pages():
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        assert not duplicates, f"{page.relative_to(built_site.path)}: duplicate ids {duplicates}"


def test_katex_ships_only_what_is_needed(built_site: BuiltSite) -> None:
    katex = built_site.path / "assets" / "katex"
    files = sorted(p.relative_to(katex).as_posix() for p in katex.rglob("*") if p.is_file())
    assert "katex.min.css" in files
    extra = [f for f in files if f != "katex.min.css" and not re.fullmatch(r"fonts/KaTeX_[\w-]+\.woff2", f)]
    assert not extra, f"files KaTeX's CSS does not need: {extra}"
    css = (katex / "katex.min.css").read_text()
    for url in re.findall(r"url\(([^)]+)\)", css):
        assert (katex / url).is_file(), f"katex.min.css names {url}, which is not shipped"
    assert not list(built_site.path.rglob("README*")), "a README was copied into the site"


def test_nojekyll_is_in_the_site(built_site: BuiltSite) -> None:
    assert (built_site.path / ".nojekyll").is_file()


def test_home_page_tells_the_four_families(built_site: BuiltSite) -> None:
    text = built_site.page("").read_text(encoding="utf-8")
    for heading in ("Threshold: the unit step", "Sigmoid: the logistic function", "Rectifier: ReLU",
                    "Hyperbolic tangent", "Why non-linearity matters", "Where to go next"):
        assert heading in text
    for name in ("step", "sigmoid", "relu", "tanh"):
        if name in activations.names():
            assert f'aria-labelledby="act-{name}-title"' in text, f"no plot of {name} on the home page"


# -- what the build must refuse ----------------------------------------------------------
def _scratch(tmp_path: Path) -> Path:
    """A copy of the site sources (docs/ copied, the machinery linked) to break on purpose.

    Made complete first, so that each test's breakage is the only one: records still
    without prose get the template's, a missing accuracy report a minimal valid one.
    """
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", scratch / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", scratch / "docs")
    for name in ("site_src", "activations", "node_modules"):
        (scratch / name).symlink_to(ROOT / name, target_is_directory=True)
    prose = scratch / "docs" / "prose"
    for name in activations.names():
        if not (prose / f"{name}.md").exists():
            shutil.copy(prose / "_template.md", prose / f"{name}.md")
    report = scratch / "docs" / "data" / "accuracy.json"
    if not report.exists():
        report.parent.mkdir(parents=True, exist_ok=True)
        name = activations.names()[0]
        result = {"function": name, "dtype": "float64", "quantity": "value",
                  "implementation": "activations", "max_ulp": 0.0}
        report.write_text(json.dumps({
            "schema": 1, "generated": "scratch", "reference": "none", "versions": {},
            "implementations": ["activations"], "results": [result],
        }))
    return scratch


def _failing_build(scratch: Path) -> str:
    result = run_build(scratch / "site", cwd=scratch)
    assert result.returncode != 0, "the build should have failed"
    return result.stdout + result.stderr


# Prose is checked before any page is rendered: these run without draft mode.


def test_missing_prose_fails_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DRAFT_VARIABLE, raising=False)
    scratch = _scratch(tmp_path)
    name = activations.names()[0]
    (scratch / "docs" / "prose" / f"{name}.md").unlink()
    assert f"docs/prose/{name}.md" in _failing_build(scratch)


def test_prose_without_record_fails_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DRAFT_VARIABLE, raising=False)
    scratch = _scratch(tmp_path)
    template = (scratch / "docs" / "prose" / "_template.md").read_text()
    (scratch / "docs" / "prose" / "no_such_activation.md").write_text(template)
    assert "no_such_activation.md" in _failing_build(scratch)


def test_prose_with_wrong_sections_fails_naming_the_file(tmp_path: Path) -> None:
    scratch = _scratch(tmp_path)
    name = activations.names()[0]
    path = scratch / "docs" / "prose" / f"{name}.md"
    path.write_text(path.read_text().replace("## Pitfalls", "## Caveats"))
    log = _failing_build(scratch)
    assert f"{name}.md" in log and "Pitfalls" in log


# Shortcodes and math are checked page by page. Draft mode keeps records that pages name
# but that are not written yet from failing the build first; it changes nothing else.
def test_unknown_shortcode_fails_naming_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DRAFT_VARIABLE, "1")
    scratch = _scratch(tmp_path)
    page = scratch / "docs" / "concepts" / "saturation.md"
    page.write_text(page.read_text() + "\n<!-- act:formular relu -->\n")
    log = _failing_build(scratch)
    assert "concepts/saturation.md" in log and "act:formular" in log


def test_bad_latex_fails_naming_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DRAFT_VARIABLE, "1")
    scratch = _scratch(tmp_path)
    page = scratch / "docs" / "concepts" / "saturation.md"
    page.write_text(page.read_text() + "\nBroken: $\\frac{1}{$ here.\n")
    log = _failing_build(scratch)
    assert "concepts/saturation.md" in log and "KaTeX" in log


def test_unknown_activation_in_a_shortcode_fails() -> None:
    from mkdocs.exceptions import PluginError

    from site_src.mathrender import MathRegistry
    from site_src.shortcodes import Context, expand

    context = Context("concepts/example.md", MathRegistry(), ROOT / "docs", draft=False)
    link = expand("See <!-- act:link " + activations.names()[0] + " -->.", context)
    assert f"](../functions/{activations.names()[0]}.md)" in link
    with pytest.raises(PluginError, match="concepts/example.md.*no_such_function"):
        expand("See <!-- act:link no_such_function -->.", context)
    with pytest.raises(PluginError, match="alone on its line"):
        expand("Inline <!-- act:plot " + activations.names()[0] + " --> here.", context)


def test_the_build_machinery_never_imports_torch() -> None:
    """torch is a test extra: the Pages workflow installs without it (ACTIVATIONS_WITHOUT_TORCH)."""
    modules = sorted(p.stem for p in (ROOT / "site_src").glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module('site_src.' + name)\n"
        "assert 'torch' not in sys.modules, 'the site build imports torch'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    assert 'ACTIVATIONS_WITHOUT_TORCH: "1"' in workflow

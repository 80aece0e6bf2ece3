"""Building sites for tests, serving them on 127.0.0.1, and reading the built HTML."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from build_tools.mkdocs_adapter.build import build_site

ROOT = Path(__file__).resolve().parent.parent
CHILD_ENV = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "SPRO_CACHE_DIR": os.environ.get("SPRO_CACHE_DIR", "")}
"""What a process the tests start gets (nothing of the machine's environment): the project, the system's tools, the
run's page cache (conftest.py)."""


def spro(project: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``spro ARGS`` run in ``project`` as a contributor runs it: its own process, the project alone on PYTHONPATH,
    the system's tools on PATH, an empty standard input (``stdin``: the answers to its questions)."""
    return subprocess.run(
        [sys.executable, "-m", "build_tools.cli", *args],
        cwd=project,
        capture_output=True,
        text=True,
        input=stdin,
        env={**CHILD_ENV, **(env or {})},
    )


def project_copy(target: Path, with_lieux: bool = True) -> Path:
    """A copy of mkdocs.yml, docs/, overrides/ and data/ in ``target``, ready to modify and build.

    Without lieux, the events (which name lieux) are left out too.
    """
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("docs", "overrides", "data"):
        ignore = None if with_lieux or folder != "data" else shutil.ignore_patterns("lieux", "evenements")
        shutil.copytree(ROOT / folder, target / folder, ignore=ignore)
    (target / "data" / "lieux").mkdir(exist_ok=True)
    return target


def build(project: Path, site: Path | None = None) -> Path:
    site = site or project / "site"
    build_site(project / "mkdocs.yml", site)
    return site


class StaticServer:
    """The built site over HTTP on 127.0.0.1 (a random free port), in a background thread."""

    def __init__(self, directory: Path):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# Resolves once nothing is pending in a frame: the finder (when the page has one) has its index and no
# map refresh waiting (finder.js debounces it), no finite animation or transition is running (marker
# clusters fade in), and two frames have been rendered since. Polled inside the page: Playwright's
# string wait_for_function is refused by the pages' Content-Security-Policy.
_SETTLED = """() => new Promise(resolve => {
    const finite = a => a.playState === "running" && a.effect && a.effect.getComputedTiming().endTime !== Infinity;
    const busy = () => {
        const finder = window.sproFinder;
        return Boolean(finder && (!finder.page || finder.page.map.timer)) || document.getAnimations().some(finite);
    };
    (function check() {
        if (busy()) { setTimeout(check, 10); } else { requestAnimationFrame(() => requestAnimationFrame(resolve)); }
    })();
})"""


def settle(page) -> None:
    """Wait until the page has done what it does by itself after loading, on the page's own state (no fixed wait):
    the load event (scripts, images, frames), the finder's results and map, the search page's lieux and pages,
    animations."""
    page.wait_for_load_state("load")
    if page.locator("#spro-trouver").count():
        page.locator("#spro-statut").filter(has_text="trouvé").wait_for()
    if page.locator("#spro-recherche").count() and "q=" in page.url:
        for section in ("#spro-recherche-lieux", "#spro-recherche-pages"):  # each says the query it shows
            page.wait_for_selector(f"{section}[data-recherche]", state="attached")
    for frame in page.frames:
        frame.evaluate(_SETTLED)


class Elements(HTMLParser):
    """Every start tag of a document with its attributes, and the text of each script element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script, self._text = attributes, []

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def resolve(site: Path, page: Path, reference: str, base_path: str = "/annuaire/") -> Path | None:
    """The file a reference from ``page`` points at, or None for external/special links.

    Root-absolute references (Material's 404 page) are read under the site URL's path.
    """
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or reference.startswith("#") or not parts.path:
        return None
    if parts.path.startswith("/"):
        assert parts.path.startswith(base_path), reference
        target = (site / unquote(parts.path.removeprefix(base_path))).resolve()
    else:
        target = (page.parent / unquote(parts.path)).resolve()
    if reference.split("?")[0].split("#")[0].endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@exemple.fr",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@exemple.fr",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(project: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(project.parent), **GIT_IDENTITY},
    )
    return result.stdout


def git_project(target: Path) -> Path:
    """A project copy (with schemas/ and CONTRIBUTING.md) as a git repository: ``main`` committed, also known as
    ``origin/main`` (as in a pull request's checkout), and the branch ``proposition`` checked out, ready to change."""
    project = project_copy(target)
    shutil.copytree(ROOT / "schemas", project / "schemas")
    shutil.copy(ROOT / "CONTRIBUTING.md", project / "CONTRIBUTING.md")
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--message", "Données publiées")
    git(project, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(project, "checkout", "--quiet", "-b", "proposition")
    return project


def commit_all(project: Path, message: str = "Modification proposée") -> None:
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--message", message)

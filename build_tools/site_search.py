"""Site search: Pagefind over the built pages but the lieux', its output taken again when its input is the same.

The search page finds lieux with the finder's own index (``trouver/index.json``, ``assets/spro/recherche.js``):
indexing their pages too took most of Pagefind's time (3 s of 3.3 s at 3,000 lieux, on every build: it has no
incremental mode) and half a gigabyte of memory per 4,000 lieux, for a search that knew neither communes nor typos.

What Pagefind makes depends on its version, its options and the bytes of the pages it reads, nothing else: it runs in
an empty folder (no configuration file found), without ``PAGEFIND_`` variables. Their digest is a key of the page
cache (:class:`SearchReuse`) holding the list of the files Pagefind made then (path, length, SHA-256); a build with
the same key links the previous site's files that still have those bytes (:mod:`build_tools.previous_output`)
instead of running Pagefind: about a second saved when a lieu's hours change (the pages Pagefind reads show no
hours), none when a lieu's name does (its basin's page shows it).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .page_cache import PageCache, digest
from .previous_output import PreviousOutput

SEARCH_DIRECTORY = "pagefind"
UNUSED_SEARCH_FILES = ("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui", "pagefind-highlight")
"""Pagefind's own interfaces: the search page uses its JavaScript API only (assets/spro/recherche.js)."""


class SearchIndexFailed(Exception):
    """Pagefind failed: French message."""


@dataclass
class SearchReuse:
    """Where Pagefind's earlier outputs are listed (``cache``), and the site they are in (``previous``)."""

    cache: PageCache
    previous: PreviousOutput | None

    @classmethod
    def of(cls, project: Path, previous: PreviousOutput | None) -> SearchReuse | None:
        """None where the project has no cache (see :mod:`build_tools.page_cache`)."""
        cache = PageCache.of(project, digest("pagefind: ses sorties"))
        return None if cache is None else cls(cache, previous)


def index_site_search(site_dir: Path, lieu_ids: frozenset[str], reuse: SearchReuse | None = None) -> None:
    """Pagefind's index of ``site_dir`` (every page but the lieux'), in ``site_dir/pagefind``."""
    entries = _indexed_entries(site_dir, lieu_ids)  # (listed once: 3,000 lieu folders)
    options = ["--output-subdir", SEARCH_DIRECTORY, "--silent", "--glob", _glob(entries)]
    if reuse is None:
        _run_pagefind(site_dir, options)
        return
    try:
        key = _key(reuse.cache, options, site_dir, entries)
        if reuse.previous is None or not _linked(reuse.cache.get_bytes(key), reuse.previous, site_dir):
            shutil.rmtree(site_dir / SEARCH_DIRECTORY, ignore_errors=True)  # (a part linked: made again whole)
            _run_pagefind(site_dir, options)
            reuse.cache.put_bytes(key, _listing(site_dir / SEARCH_DIRECTORY))
        reuse.cache.keep_only(reuse.cache.used)
    finally:
        reuse.cache.close()


def _run_pagefind(site_dir: Path, options: list[str]) -> None:
    environment = {name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND")}
    with tempfile.TemporaryDirectory(prefix="spro-pagefind-") as nowhere:  # (no pagefind.yml found there)
        run = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(site_dir.resolve()), *options],
            capture_output=True,
            text=True,
            cwd=nowhere,
            env=environment,
        )
    if run.returncode != 0:
        raise SearchIndexFailed(f"L'indexation Pagefind a échoué : {run.stderr.strip() or run.stdout.strip()}")
    for path in (site_dir / SEARCH_DIRECTORY).iterdir():
        if path.name.startswith(UNUSED_SEARCH_FILES):
            path.unlink()


def _key(cache: PageCache, options: list[str], site_dir: Path, entries: list[tuple[str, bool]]) -> str:
    """What Pagefind's output is made of: its version, its options, the path and bytes of each page it reads."""
    versions = [_version(name) for name in ("pagefind", "pagefind_bin", "pagefind_bin_extended")]
    pages = [
        f"{page}\0{hashlib.sha256((site_dir / page).read_bytes()).hexdigest()}" for page in _pages(site_dir, entries)
    ]
    return cache.key("pagefind", *versions, *options, *UNUSED_SEARCH_FILES, *pages)


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


def _listing(folder: Path) -> bytes:
    """Each file under ``folder``: « SHA-256 length path », one per line, the path relative to the site."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        name = f"{SEARCH_DIRECTORY}/{path.relative_to(folder).as_posix()}"
        lines.append(f"{hashlib.sha256(data).hexdigest()} {len(data)} {name}\n")
    return "".join(lines).encode("utf-8")


def _linked(listing: bytes | None, previous: PreviousOutput, site_dir: Path) -> bool:
    """Whether every file of ``listing`` is now linked from the previous site, which had those very bytes."""
    if not listing:
        return False
    for line in listing.decode("utf-8").splitlines():
        sha256, size, name = line.split(" ", 2)
        if not name.startswith(f"{SEARCH_DIRECTORY}/"):
            return False
        if not previous.link_if_digest(name, int(size), sha256, site_dir / name):
            return False
    return True


def _indexed_entries(site_dir: Path, lieu_ids: frozenset[str]) -> list[tuple[str, bool]]:
    """What Pagefind reads, as entries of the site (path, whether a folder, read whole): every HTML file but the
    lieu pages (``lieux/<id>/``) and Pagefind's own folder."""
    entries = []
    for folder, skipped in (("", {"lieux", SEARCH_DIRECTORY}), ("lieux/", lieu_ids)):
        if not (site_dir / folder).is_dir():
            continue
        for entry in sorted((site_dir / folder).iterdir(), key=lambda e: e.name):
            name = folder + entry.name
            if entry.is_dir() and entry.name not in skipped:
                entries.append((name, True))
            elif entry.is_file() and entry.name.endswith(".html"):
                entries.append((name, False))
    return entries


def indexed_glob(site_dir: Path, lieu_ids: frozenset[str]) -> str:
    """Pagefind's ``--glob`` (relative to the site) for :func:`_indexed_entries`. A page of docs/ may sit beside the
    lieu pages (``docs/lieux/aide.md``); its names hold no glob metacharacter (the docs contract allows ASCII
    letters, digits, « - », « _ » and « . » only)."""
    return _glob(_indexed_entries(site_dir, lieu_ids))


def _glob(entries: list[tuple[str, bool]]) -> str:
    return "{" + ",".join(f"{name}/**/*.html" if folder else name for name, folder in entries) + "}"


def _pages(site_dir: Path, entries: list[tuple[str, bool]]) -> list[str]:
    """The pages (paths in the site) the glob of ``entries`` names, in a stable order: each folder's HTML files at
    any depth, symbolic links not followed (as Pagefind reads them)."""
    pages = []
    for name, folder in entries:
        if not folder:
            pages.append(name)
            continue
        for root, directories, files in os.walk(site_dir / name):
            directories.sort()
            relative = Path(root).relative_to(site_dir).as_posix()
            pages += [f"{relative}/{file}" for file in sorted(files) if file.endswith(".html")]
    return pages

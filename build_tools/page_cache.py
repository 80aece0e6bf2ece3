"""Rendered pages of earlier builds, reused when nothing they are made of has changed (incremental builds).

A generated page (a lieu's, a métier's...) is made of its body, its front matter, its address, and what every page
shares: the navigation, the configuration, the theme's templates and the code that renders them. The renderer
hashes all of it into the page's key (:meth:`PageCache.key`); a page whose key was rendered before is taken from
here, as it was written then, instead of being rendered again. A key names what went into a page, never what came
out: any change in those inputs makes new keys, so an entry is never stale, only unused, and each successful build
removes the entries it did not use (:meth:`PageCache.keep_only`).

Where: in ``$SPRO_CACHE_DIR``, else ``$XDG_CACHE_HOME/spro``, else ``~/.cache/spro``; one folder per project, then
one per site-wide fingerprint (a ``mkdocs serve`` and a ``spro build`` of one project do not evict each other);
project folders unused for :data:`UNUSED_DAYS` days go (deleted clones, temporary copies).

What is published from here is checked as far as a file can be without rendering the page again:
- never inside the project (there is no cache then): a pull request could commit entries, whose HTML no check
  would ever see;
- every folder a real directory (no symbolic link), this user's, writable by nobody else, else no cache: clean-up
  deletes in them, and what they hold is published;
- an entry is a regular file (opened without following a link) that starts with the SHA-256 of its page: an
  entry cut short (a power cut after the rename) or changed is rendered again;
- clean-up deletes only the names the cache writes.
Entries are written whole (a temporary file, then renamed). The cache never fails a build: an entry that cannot be
read is rendered again, one that cannot be written is not kept.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import shutil
import stat
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

KEPT_FINGERPRINTS = 3
"""Site-wide fingerprints kept per project (the most recently used): a build, a preview, one more."""
UNUSED_DAYS = 30
"""A project's folder unused for this long is removed by the next build of any project."""
_SUFFIX = ".html"
_ENTRY = re.compile(r"[0-9a-f]{64}\.html")
_TEMPORARY = re.compile(r"\.[A-Za-z0-9_]+\.tmp")
_FOLDER = re.compile(r"[0-9a-f]{24}|[0-9a-f]{40}")


def cache_root() -> Path:
    """``$SPRO_CACHE_DIR``, else ``$XDG_CACHE_HOME/spro`` (an absolute path, as the XDG specification says), else
    ``~/.cache/spro``."""
    chosen = os.environ.get("SPRO_CACHE_DIR")
    if chosen:
        return Path(chosen).resolve()
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "spro"


def digest(*parts: str) -> str:
    """SHA-256 of the parts, each length-prefixed (no two lists of parts give the same text)."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", errors="surrogatepass")
        hashed.update(len(data).to_bytes(8, "big"))
        hashed.update(data)
    return hashed.hexdigest()


def code_fingerprint(folders: Iterable[Path]) -> str:
    """The code that renders pages: Python's version, every installed distribution's name and version, and the
    content of every file under ``folders`` that is not in this Python's site-packages (this project's code and
    templates, the theme's overrides), which can change without a version. OSError if a file cannot be read."""
    parts = [sys.version]
    parts += sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())
    for folder in sorted({Path(f).resolve() for f in folders}):
        if _installed(folder) or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                parts += [str(path), hashlib.sha256(path.read_bytes()).hexdigest()]
    return digest(*parts)


def _installed(folder: Path) -> bool:
    """In this Python's site-packages, where every file belongs to a distribution whose version is hashed."""
    paths = sysconfig.get_paths()
    return any(folder.is_relative_to(Path(paths[name]).resolve()) for name in ("purelib", "platlib"))


class PageCache:
    """The entries of one project under one site-wide fingerprint."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()
        """Keys this build read or wrote: the entries :meth:`keep_only` keeps."""

    @classmethod
    def of(cls, project: Path, site_fingerprint: str, root: Path | None = None) -> PageCache | None:
        """The project's cache, or None where it would be unsafe (see the module's docstring)."""
        root = (root or cache_root()).resolve()
        project = project.resolve()
        if root.is_relative_to(project):
            return None
        project_folder = root / digest(str(project))[:24]
        folder = project_folder / site_fingerprint[:40]
        try:
            for level in (root, project_folder, folder):
                level.mkdir(mode=0o700, exist_ok=True, parents=level == root)
                if not _private_directory(level):
                    return None
        except OSError:
            return None
        return cls(folder)

    def key(self, *parts: str) -> str:
        return digest(*parts)

    def get(self, key: str) -> str | None:
        """The page of ``key``, if its entry is whole and a regular file."""
        try:
            descriptor = os.open(self.folder / (key + _SUFFIX), os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(descriptor, "rb") as file:
                if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                    return None
                data = file.read()
        except OSError:
            return None
        check, _, page = data.partition(b"\n")
        if not page or hashlib.sha256(page).hexdigest().encode() != check:
            return None
        self.used.add(key)
        return page.decode("utf-8")

    def put(self, key: str, text: str) -> None:
        """Keep ``text`` (the page as MkDocs writes it: characters UTF-8 cannot hold as references) under ``key``."""
        self.used.add(key)
        page = text.encode("utf-8", errors="xmlcharrefreplace")
        try:
            descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(descriptor, "wb") as file:
                    file.write(hashlib.sha256(page).hexdigest().encode() + b"\n" + page)
                os.replace(temporary, self.folder / (key + _SUFFIX))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # (not kept: rendered again next time)

    def keep_only(self, keys: set[str]) -> None:
        """After a successful build: of this folder's entries, only those of ``keys`` stay; of the project's
        fingerprint folders, the :data:`KEPT_FINGERPRINTS` most recently used (this one first); of the projects'
        folders, those used in the last :data:`UNUSED_DAYS` days."""
        kept = {key + _SUFFIX for key in keys}
        for entry in _entries(self.folder):
            if (_ENTRY.fullmatch(entry.name) and entry.name not in kept) or _TEMPORARY.fullmatch(entry.name):
                _remove(entry)
        for folder in (self.folder, self.folder.parent):
            try:
                os.utime(folder)
            except OSError:
                pass
        siblings = [e for e in _entries(self.folder.parent) if _FOLDER.fullmatch(e.name) and e.path != str(self.folder)]
        siblings.sort(key=_modified, reverse=True)
        for stale in siblings[KEPT_FINGERPRINTS - 1 :]:
            _remove(stale)
        too_old = time.time() - UNUSED_DAYS * 86400
        for project in _entries(self.folder.parent.parent):
            if _FOLDER.fullmatch(project.name) and _modified(project) < too_old:
                _remove(project)


def _private_directory(path: Path) -> bool:
    """A real directory (not a link), this user's, that nobody else may write in."""
    info = path.lstat()
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def _modified(entry: os.DirEntry) -> float:
    try:
        return entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0


def _remove(entry: os.DirEntry) -> None:
    """The entry gone, a folder with what it holds (never through a link); each failure on its own."""
    try:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)
    except OSError:
        pass

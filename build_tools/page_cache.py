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
- a pack is a regular file (opened without following a link), this user's, and each of its records carries the
  SHA-256 of its page: a record cut short (a build killed while writing, a power cut) or changed is rendered
  again;
- clean-up deletes only the names the cache writes.
The cache never fails a build: an entry that cannot be read is rendered again, one that cannot be written is not
kept.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import re
import secrets
import shutil
import stat
import sys
import sysconfig
import time
from collections.abc import Iterable
from pathlib import Path

KEPT_FINGERPRINTS = 10
"""Fingerprint folders kept per project (the most recently used): a build's pages, a preview's, the lieu files they
read (:mod:`build_tools.read_cache`), Pagefind's outputs (:mod:`build_tools.site_search`), the pieces of the four
exports (:mod:`build_tools.export_pieces`), the folders of the site replaced last (:mod:`build_tools.site_output`),
one more."""
UNUSED_DAYS = 30
"""A project's folder unused for this long is removed by the next build of any project."""
MOST_PACKS = 6
"""Beyond this many packs in a folder (each build adds one or two), the entries still used are packed into one."""
_PACK = re.compile(r"[0-9a-f]{32}\.pack")
_FOLDER = re.compile(r"[0-9a-f]{24}|[0-9a-f]{40}")
_HEADER_MAX = 200


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
    parts = [sys.version, *_distributions()]
    for folder in sorted({Path(f).resolve() for f in folders}):
        if _installed(folder) or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                parts += [str(path), hashlib.sha256(path.read_bytes()).hexdigest()]
    return digest(*parts)


@functools.cache
def _distributions() -> tuple[str, ...]:
    """Every installed distribution's name and version, read once per process (reading them all took a tenth of a
    second, and a build asks six times): a library installed meanwhile is not the one this process imported."""
    return tuple(sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()))


def _installed(folder: Path) -> bool:
    """In this Python's site-packages, where every file belongs to a distribution whose version is hashed."""
    paths = sysconfig.get_paths()
    return any(folder.is_relative_to(Path(paths[name]).resolve()) for name in ("purelib", "platlib"))


def project_folder(project: Path, name: str, root: Path | None = None) -> Path | None:
    """The folder ``name`` of ``project``'s cache (made, with the folders above it, private), or None where it would
    be unsafe (see the module's docstring)."""
    root = (root or cache_root()).resolve()
    project = project.resolve()
    if root.is_relative_to(project):
        return None
    above = root / digest(str(project))[:24]
    folder = above / name
    try:
        for level in (root, above, folder):
            level.mkdir(mode=0o700, exist_ok=True, parents=level == root)
            if not _private(level.lstat(), stat.S_ISDIR):
                return None
    except OSError:
        return None
    return folder


class PageCache:
    """The entries of one project under one site-wide fingerprint, in pack files: a file per build and process, one
    record after another (``key sha256 length``, a line, then the page). Thousands of small files cost more than
    the rendering they saved (creating a file is slow on many file systems); a pack is written in one go, and
    :meth:`keep_only` packs the entries still used together when the others take too much room."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()
        """Keys this build read or wrote: the entries :meth:`keep_only` keeps."""
        self._index: dict[str, tuple[int, int, int, str]] = {}
        """key -> (descriptor of its pack, offset of the page, its length, its SHA-256)."""
        self._packs: dict[str, tuple[int, int]] = {}
        """The packs read: name -> (descriptor, size)."""
        self._writer: tuple[int, int] | None = None
        """(process, descriptor) of the pack this process writes."""
        for entry in _entries(folder):
            if _PACK.fullmatch(entry.name):
                self._read_pack(entry.name)

    @classmethod
    def of(cls, project: Path, site_fingerprint: str, root: Path | None = None) -> PageCache | None:
        """The project's cache, or None where it would be unsafe (see the module's docstring)."""
        folder = project_folder(project, site_fingerprint[:40], root)
        return None if folder is None else cls(folder)

    def _read_pack(self, name: str) -> None:
        """Index a pack's records (up to the first that is not whole: a build killed while writing it)."""
        try:
            descriptor = os.open(self.folder / name, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return
        info = os.fstat(descriptor)
        if not _private(info, stat.S_ISREG):
            os.close(descriptor)
            return
        self._packs[name] = (descriptor, info.st_size)
        offset = 0
        while offset < info.st_size:
            header = os.pread(descriptor, _HEADER_MAX, offset).split(b"\n", 1)[0]
            fields = header.split(b" ")
            if len(fields) != 3 or not fields[2].isdigit():
                break
            key, check, length = (
                fields[0].decode("ascii", "replace"),
                fields[1].decode("ascii", "replace"),
                int(fields[2]),
            )
            start = offset + len(header) + 1
            if start + length > info.st_size:
                break
            self._index[key] = (descriptor, start, length, check)
            offset = start + length

    def key(self, *parts: str) -> str:
        return digest(*parts)

    def get(self, key: str) -> str | None:
        """The page of ``key``, if its record is whole."""
        page = self.get_bytes(key)
        return None if page is None else page.decode("utf-8")

    def put(self, key: str, text: str) -> None:
        """Keep ``text`` (the page as MkDocs writes it: characters UTF-8 cannot hold as references) under ``key``."""
        self.put_bytes(key, text.encode("utf-8", errors="xmlcharrefreplace"))

    def get_bytes(self, key: str) -> bytes | None:
        """The entry of ``key``, if its record is whole."""
        found = self._index.get(key)
        if found is None:
            return None
        entry = _whole(*found)
        if entry is not None:
            self.used.add(key)
        return entry

    def put_bytes(self, key: str, entry: bytes) -> None:
        self.used.add(key)
        try:
            _write_all(self._pack_of_this_process(), _record(key, hashlib.sha256(entry).hexdigest(), entry))
        except OSError:
            pass  # (not kept: made again next time)

    def _pack_of_this_process(self) -> int:
        """A new pack, made on the first write of each process (a forked process writes a pack of its own)."""
        if self._writer is None or self._writer[0] != os.getpid():
            name = f"{secrets.token_hex(16)}.pack"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_NOFOLLOW
            self._writer = (os.getpid(), os.open(self.folder / name, flags, 0o600))
        return self._writer[1]

    def keep_only(self, keys: set[str]) -> None:
        """After a successful build: the entries of ``keys`` stay (the packs this build read are packed again, with
        those only, once the others take a fifth of them or there are more than :data:`MOST_PACKS`); of the
        project's fingerprint folders, the :data:`KEPT_FINGERPRINTS` most recently used (this one first); of the
        projects' folders, those used in the last :data:`UNUSED_DAYS` days."""
        self._close_writer()
        kept = {key: found for key, found in self._index.items() if key in keys}
        read = sum(size for _, size in self._packs.values())
        live = sum(length for _, _, length, _ in kept.values())
        packs = sum(1 for entry in _entries(self.folder) if _PACK.fullmatch(entry.name))
        if self._packs and (read - live > read // 5 or packs > MOST_PACKS):
            self._pack_again(kept)
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
        self.close()

    def close(self) -> None:
        """The packs' descriptors closed (a preview builds again and again in one process)."""
        self._close_writer()
        for descriptor, _ in self._packs.values():
            os.close(descriptor)
        self._packs, self._index = {}, {}

    def _close_writer(self) -> None:
        if self._writer is not None and self._writer[0] == os.getpid():
            os.close(self._writer[1])
        self._writer = None

    def _pack_again(self, kept: dict[str, tuple[int, int, int, str]]) -> None:
        """The kept entries of the packs this build read into one new pack; those packs then go."""
        try:
            for key, found in kept.items():
                page = _whole(*found)
                if page is not None:
                    _write_all(self._pack_of_this_process(), _record(key, found[3], page))
            self._close_writer()
        except OSError:
            return  # (the packs read stay: nothing is lost)
        finally:
            self._writer = None
        for name in self._packs:
            try:
                os.unlink(self.folder / name)
            except OSError:
                pass


def _record(key: str, check: str, page: bytes) -> bytes:
    return f"{key} {check} {len(page)}\n".encode("ascii") + page


def _whole(descriptor: int, offset: int, length: int, check: str) -> bytes | None:
    """The page at ``offset`` if it is all there and its SHA-256 is ``check``."""
    try:
        page = os.pread(descriptor, length, offset)
    except OSError:
        return None
    return page if len(page) == length and hashlib.sha256(page).hexdigest() == check else None


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _private(info: os.stat_result, kind) -> bool:
    """Of ``kind`` (a real directory or file, not a link), this user's, and nobody else may write in it."""
    return kind(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


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

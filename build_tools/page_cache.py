"""Rendered pages of earlier builds, reused when nothing they are made of has changed (incremental builds).

A generated page (a lieu's, a métier's...) is made of its body, its front matter, its address, and what every page
shares: the navigation, the configuration, the theme's templates and the code that renders them. The renderer
hashes all of it into the page's key (:meth:`PageCache.key`); a page whose key was rendered before is taken from
here, as it was written then, instead of being rendered again. A key names what went into a page, never what came
out: any change in those inputs makes new keys, so an entry is never stale, only unused, and each successful build
removes the entries it did not use (:meth:`PageCache.keep_only`).

Where: outside the project, in ``$SPRO_CACHE_DIR``, else ``$XDG_CACHE_HOME/spro``, else ``~/.cache/spro``; one
folder per project, then one per site-wide fingerprint (a ``mkdocs serve`` and a ``spro build`` of one project do
not evict each other). Never in the project (there is no cache if that folder is in it): a pull request could
commit entries there, whose HTML no check would ever see.

Entries are written whole (a temporary file, then renamed), so a build killed midway leaves complete entries or
none. The cache never fails a build: an entry that cannot be read is rendered again, one that cannot be written is
not kept.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

KEPT_FINGERPRINTS = 3
"""Site-wide fingerprints kept per project (the most recently used): a build, a preview, one more."""
_SUFFIX = ".html"


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
    """The code that renders pages: every installed distribution's name and version, and the content of every file
    under ``folders`` that is not an installed package (this project's code and templates, the theme's overrides),
    which can change without a version."""
    parts = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())
    for folder in sorted({Path(f).resolve() for f in folders}):
        if _installed(folder) or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                parts += [str(path), hashlib.sha256(path.read_bytes()).hexdigest()]
    return digest(*parts)


def _installed(folder: Path) -> bool:
    return any(part in ("site-packages", "dist-packages") for part in folder.parts)


class PageCache:
    """The entries of one project under one site-wide fingerprint."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()
        """Keys this build read or wrote: the entries :meth:`keep_only` keeps."""

    @classmethod
    def of(cls, project: Path, site_fingerprint: str, root: Path | None = None) -> PageCache | None:
        """The project's cache, or None if it would be inside the project (see the module's docstring)."""
        root = (root or cache_root()).resolve()
        if root.is_relative_to(project.resolve()):
            return None
        return cls(root / digest(str(project.resolve()))[:24] / site_fingerprint[:40])

    def key(self, *parts: str) -> str:
        return digest(*parts)

    def get(self, key: str) -> str | None:
        try:
            text = (self.folder / (key + _SUFFIX)).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        self.used.add(key)
        return text

    def put(self, key: str, text: str) -> None:
        self.used.add(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                    file.write(text)
                os.replace(temporary, self.folder / (key + _SUFFIX))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # (not kept: rendered again next time)

    def keep_only(self, keys: set[str]) -> None:
        """After a successful build: only the entries of ``keys`` stay, and only the project's
        :data:`KEPT_FINGERPRINTS` most recently used fingerprint folders (this one first)."""
        try:
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    name = entry.name
                    if name.removesuffix(_SUFFIX) not in keys or not name.endswith(_SUFFIX):
                        Path(entry.path).unlink(missing_ok=True)
            os.utime(self.folder)
            siblings = [p for p in self.folder.parent.iterdir() if p.is_dir() and p != self.folder]
            siblings.sort(key=lambda p: p.stat().st_mtime, reverse=True)
            for stale in siblings[KEPT_FINGERPRINTS - 1 :]:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            pass

"""The previous build's files, taken again where a build makes the same bytes: a hard link instead of a write.

Writing 3,000 pages of 25 KB costs seconds on a slow disk, where after one lieu changed all but a few are the
bytes the previous build wrote. A page is linked only once its bytes, read from the previous build's file (a
regular file, no symbolic link on the way), are exactly the bytes to be written: nothing is trusted from the
previous build but what is compared.

A linked file is shared by two builds until the older one is deleted, so a build never rewrites a file of its own
in place (:func:`rewrite`): the previous site, kept when the build fails, keeps its bytes.

Renderer-neutral: a renderer asks :meth:`PreviousOutput.link_if_same` before writing a page.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path, PurePosixPath


class PreviousOutput:
    """The output folder of the previous build (``root``), whose files may be linked into the new one."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.linked = 0

    def link_if_same(self, dest_uri: str, content: bytes, target: Path) -> bool:
        """Whether ``target`` (a file not written yet) is now a hard link to the previous build's ``dest_uri``,
        whose bytes are ``content``. False whenever anything differs or fails: the caller writes the file then."""
        return self._link_if(dest_uri, len(content), lambda found: found == content, target)

    def link_if_digest(self, dest_uri: str, size: int, sha256: str, target: Path) -> bool:
        """:meth:`link_if_same` for bytes known by their length and SHA-256 only."""
        return self._link_if(dest_uri, size, lambda found: hashlib.sha256(found).hexdigest() == sha256, target)

    def _link_if(self, dest_uri: str, size: int, matches: Callable[[bytes], bool], target: Path) -> bool:
        relative = PurePosixPath(dest_uri)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            return False
        try:
            if any(self.root.joinpath(*relative.parts[:end]).is_symlink() for end in range(1, len(relative.parts))):
                return False
            source = self.root.joinpath(*relative.parts)
            inode = _matching_inode(source, size, matches)
            if inode is None:
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target, follow_symlinks=False)
            if os.stat(target, follow_symlinks=False).st_ino != inode:  # (replaced between the read and the link)
                target.unlink()
                return False
        except (OSError, ValueError):  # (another file system, links refused, a name too long: written instead)
            return False
        self.linked += 1
        return True


def _matching_inode(path: Path, size: int, matches: Callable[[bytes], bool]) -> int | None:
    """The inode of ``path`` if it is a regular file (not a symbolic link) of ``size`` bytes that ``matches``."""
    if not stat.S_ISREG(os.lstat(path).st_mode):  # (opening a FIFO would wait for a writer)
        return None
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size != size:
            return None
        with os.fdopen(os.dup(descriptor), "rb") as stream:
            return status.st_ino if matches(stream.read(size + 1)) else None
    finally:
        os.close(descriptor)


def rewrite(path: Path, text: str) -> None:
    """``path`` replaced by a new file holding ``text``: never written in place, where it may be a link to the
    previous build's file (:class:`PreviousOutput`)."""
    path.unlink()
    path.write_text(text, encoding="utf-8", newline="")

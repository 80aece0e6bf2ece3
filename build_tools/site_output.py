"""The site folder: a build writes into a staging folder beside it, which replaces it only when complete.

Renderer-neutral (MkDocs or Zensical call :func:`atomic_site` with their own build): a failure at any
stage (invalid data, a broken link under --strict, Ctrl-C, a full disk) leaves the previous site untouched
and no staging folder behind; the staging folders a killed build (kill -9) could not remove are removed by
the next build, which is the only one running in that folder (a lock on the parent folder).

The published tree is world-readable whatever the umask and however each file was written:
``tempfile.mkdtemp`` makes the staging directory 0700 and atomic writes make 0600 files, and GitHub Pages
(like any web server running as another user) refuses what it cannot read. So every directory is set to
0755 and every file to 0644 before the swap, which keeps these modes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .preview import make_openable_from_disk
from .site_dir import MARKER, MARKER_TEXT, site_dir_problem


class UnsafeSiteDir(Exception):
    """The output folder would overwrite the project or a folder that is not a site (French message)."""


class SiteNotWritten(Exception):
    """The file system refused the build (disk full, permissions...): French message; the previous site is kept."""


_ERRNO_FRENCH = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EACCES: "droits insuffisants",
    errno.EPERM: "opération non permise",
    errno.EROFS: "disque en lecture seule",
    errno.EBUSY: "dossier occupé",
}


def atomic_site(
    site_dir: Path, project_root: Path, build_into: Callable[[Path], None], openable_from_disk: bool = False
) -> None:
    """``build_into(staging)`` writes the whole site; the staging folder then takes the place of ``site_dir``.
    ``openable_from_disk``: the pull requests' preview, whose links to folders name their index.html
    (:mod:`build_tools.preview`)."""
    problem = site_dir_problem(site_dir, project_root)
    if problem:
        raise UnsafeSiteDir(problem)
    site_dir = site_dir.resolve()
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(site_dir):
            _remove_leftovers(site_dir)
            staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
            try:
                build_into(staging)
                if openable_from_disk:
                    make_openable_from_disk(staging)
                (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
                publishable(staging)
                _swap(staging, site_dir)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except OSError as failed:
        if failed.errno is None:
            raise
        what = _ERRNO_FRENCH.get(failed.errno, failed.strerror or "erreur du système")
        raise SiteNotWritten(
            f"écriture du site impossible : {what} ({failed.filename or site_dir}) ; le site précédent est conservé"
        ) from failed


@contextlib.contextmanager
def _exclusive(site_dir: Path):
    """One build at a time beside ``site_dir`` (a lock on its parent folder, released by the system if the build is
    killed): the staging folders found there are then leftovers of killed builds, never those of a running one."""
    folder = os.open(site_dir.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)  # (closing releases the lock)


def _remove_leftovers(site_dir: Path) -> None:
    """Staging folders of earlier builds killed before their end (kill -9, power cut): ``.site-xxxxxxxx``."""
    for leftover in site_dir.parent.glob(f".{site_dir.name}-*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def publishable(root: Path) -> None:
    """Directories 0755 and files 0644 under ``root`` (included); symbolic links are left alone."""
    directories = [str(root)]
    while directories:
        directory = directories.pop()
        os.chmod(directory, 0o755)
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    directories.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    os.chmod(entry.path, 0o644)


def _swap(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)  # the previous site back in place
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

"""The site folder: a build writes into a staging folder beside it, which replaces it only when complete.

Renderer-neutral (MkDocs or Zensical call :func:`atomic_site` with their own build): a failure at any
stage (invalid data, a broken link under --strict, Ctrl-C, a full disk) leaves the previous site untouched
and no staging folder behind; the staging folders a killed build (kill -9) could not remove are removed by
the next build, which is the only one running in that folder (a lock on the parent folder). The site a build
replaces waits in the cache for the next one, which builds into its folders once it has removed its files
(:func:`_folders_kept_for`).

The published tree is world-readable whatever the umask and however each file was written:
``tempfile.mkdtemp`` makes the staging directory 0700 and atomic writes make 0600 files, and GitHub Pages
(like any web server running as another user) refuses what it cannot read. So every directory is set to
0755 and every file to 0644 before the swap, which keeps these modes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .page_cache import digest, project_folder
from .preview import make_openable_from_disk
from .safe_files import os_error_fr
from .site_dir import MARKER, MARKER_TEXT, site_dir_problem


class UnsafeSiteDir(Exception):
    """The output folder would overwrite the project or a folder that is not a site (French message)."""


class SiteNotWritten(Exception):
    """The file system refused the build (disk full, permissions...): French message; the previous site is kept."""


STAGING_MARKER = ".spro-construction"
STAGING_MARKER_TEXT = "Dossier de travail de spro build : supprimé à la fin de la construction ou par la suivante.\n"


def atomic_site(
    site_dir: Path,
    project_root: Path,
    build_into: Callable[[Path], None],
    openable_from_disk: bool = False,
    into_folders: bool = False,
) -> None:
    """``build_into(staging)`` writes the whole site; the staging folder then takes the place of ``site_dir``.
    ``openable_from_disk``: the pull requests' preview, whose links to folders name their index.html
    (:mod:`build_tools.preview`). ``into_folders``: the staging folder may hold the previous site's folders (no
    file), which ``build_into`` writes into (see :func:`_folders_kept_for`)."""
    problem = site_dir_problem(site_dir, project_root)
    if problem:
        raise UnsafeSiteDir(problem)
    site_dir = site_dir.resolve()
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(site_dir):
            _remove_leftovers(site_dir)
            folders = _folders_kept_for(site_dir, project_root) if into_folders else None
            work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
            try:
                (work / STAGING_MARKER).write_text(STAGING_MARKER_TEXT, encoding="utf-8")
                staging = work / "site"
                _staging_from(folders, staging)
                build_into(staging)
                without_empty_folders(staging)
                if openable_from_disk:
                    make_openable_from_disk(staging)
                (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
                publishable(staging)
                _set_aside(_swap(staging, site_dir), folders)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except OSError as failed:
        if failed.errno is None:
            raise
        what = os_error_fr(failed)
        where = failed.filename or site_dir  # (a copy that fails may name its source: the site folder is meant)
        if not Path(str(where)).resolve().is_relative_to(site_dir.parent):
            where = site_dir
        raise SiteNotWritten(
            f"écriture du site impossible : {what} ({where}) ; le site précédent est conservé"
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
    """Folders of earlier builds killed before their end (kill -9, power cut): ``.site-xxxxxxxx`` holding
    :data:`STAGING_MARKER`, or a previous site set aside (``.site-old-xxxxxxxx``, holding the site's marker). A
    folder named alike without either is someone's, and stays."""
    for leftover in site_dir.parent.glob(f".{site_dir.name}-*"):
        if leftover.is_dir() and not leftover.is_symlink():
            if (leftover / STAGING_MARKER).is_file() or (leftover / MARKER).is_file():
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
                elif (
                    entry.is_file(follow_symlinks=False)
                    and stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode) != 0o644
                ):
                    os.chmod(entry.path, 0o644)  # (not a file already 0644: it may be linked from the previous site)


def _swap(new: Path, target: Path) -> Path | None:
    """``new`` in the place of ``target``: the previous site, set aside (None if there was none)."""
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
    return old


# The previous site's folders are kept for the next build, its files removed: making 3,300 folders (a 3,000-lieu
# site: one per page) and removing as many took a second of a build that changed one lieu, while removing files
# whose pages are linked in the site that replaces them takes a tenth of that. They wait in the project's folder of
# the cache (private: nothing else writes there; never in the project, where a pull request could put a folder).


def _folders_kept_for(site_dir: Path, project_root: Path) -> Path | None:
    """Where the folders of ``site_dir``'s previous site wait for its next build (None: no cache, nowhere safe)."""
    holder = project_folder(project_root, digest("dossiers du site", str(site_dir))[:40])  # (cleaned up as the others)
    return None if holder is None else holder / "site"


def _staging_from(folders: Path | None, staging: Path) -> None:
    """The staging folder made of the folders kept (their files removed), else new."""
    if folders is not None and folders.is_dir() and not folders.is_symlink():
        try:
            folders.rename(staging)
        except OSError:  # (another file system: they are of no use)
            shutil.rmtree(folders, ignore_errors=True)
        else:
            only_folders(staging)
            return
    staging.mkdir()


def only_folders(root: Path) -> None:
    """Every entry under ``root`` that is not a folder removed (links are removed, never followed)."""
    folders = [str(root)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    os.unlink(entry.path)


def without_empty_folders(root: Path) -> bool:
    """The folders under ``root`` left empty by this build (a page gone since the folders were kept) removed: the
    site is then what a build from nothing makes. Whether ``root`` itself is empty."""
    empty = True
    with os.scandir(root) as entries:
        for entry in list(entries):
            if entry.is_dir(follow_symlinks=False) and without_empty_folders(Path(entry.path)):
                os.rmdir(entry.path)
            else:
                empty = False
    return empty


def _set_aside(old: Path | None, folders: Path | None) -> None:
    """The previous site kept where the next build takes its folders (and removes its files), else removed."""
    if old is None:
        return
    if folders is not None:
        shutil.rmtree(folders, ignore_errors=True)  # (none there but after a build that failed to take them)
        try:
            old.rename(folders)
            return
        except OSError:
            pass
    shutil.rmtree(old, ignore_errors=True)

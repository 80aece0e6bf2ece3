"""Reading and writing inside the project's own folders, and nowhere else.

Files under ``data/`` and ``docs/`` come from pull requests: a symbolic link there could make the
build read (and publish) any file of the build machine, a FIFO could hang it, and a crafted name
could make a tool write outside the project. Every read and write of those folders goes through
here: symbolic links and non-regular files are refused, and paths are checked to stay inside
their folder before anything is opened.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path


class UnsafePath(Exception):
    """A path the project refuses to read or write; the message is French, for the contributor."""


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "un lien symbolique"
    if stat.S_ISDIR(mode):
        return "un dossier"
    if stat.S_ISFIFO(mode):
        return "un tube nommé (FIFO)"
    if stat.S_ISSOCK(mode):
        return "une socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "un périphérique"
    return "un fichier spécial"


def inside(root: Path, path: Path) -> Path:
    """``path`` made absolute, after checking it stays inside ``root``.

    Only the names are looked at (``..`` is resolved lexically, links are not followed): checking
    links is :func:`check_no_link`'s job.
    """
    return Path(_inside(os.path.abspath(root), path))


def _inside(root: str, path: Path | str) -> str:
    """:func:`inside` on strings (``root`` absolute): a load checks thousands of paths."""
    candidate = os.path.abspath(path)
    if candidate != root and not candidate.startswith(os.path.join(root, "")):
        raise UnsafePath(f"« {path} » est hors du dossier {os.path.basename(root)}/ : chemin refusé")
    return candidate


def check_no_link(root: Path, path: Path) -> None:
    """Refuse ``path`` when it, or a folder between ``root`` and it, is a symbolic link."""
    _check_no_link(os.path.abspath(root), _inside(os.path.abspath(root), path))


def _check_no_link(root: str, path: str) -> None:
    """:func:`check_no_link` of an absolute ``path`` already known to be inside ``root`` (absolute)."""
    current = root
    for part in os.path.relpath(path, root).split(os.sep) if path != root else ():
        current = os.path.join(current, part)
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return
        if stat.S_ISLNK(mode):
            raise UnsafePath(
                f"{os.path.relpath(current, root).replace(os.sep, '/')} est un lien symbolique : remplacez-le par "
                "le fichier ou le dossier lui-même (les liens ne sont pas suivis)"
            )


def read_regular(root: Path, path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file inside ``root``, never following a link, at most ``max_bytes + 1``.

    Reading one byte more than allowed lets the caller say the file is too large without reading
    all of it.
    """
    root = os.path.abspath(root)
    path = _inside(root, path)
    _check_no_link(root, path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePath("lien symbolique : remplacez-le par le fichier lui-même") from exc
        raise UnsafePath(f"fichier illisible ({exc.strerror})") from exc
    try:
        mode = os.fstat(descriptor).st_mode  # before os.fdopen(), which refuses a directory in English
        if not stat.S_ISREG(mode):
            raise UnsafePath(f"ce n'est pas un fichier ordinaire mais {_kind(mode)}")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnsafePath(f"fichier illisible ({exc.strerror})") from exc
    finally:
        os.close(descriptor)


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
"""Names Windows cannot create: a partner cloning the repository there could not check it out."""


def entry_problem(path: Path, check_name: bool = True) -> str | None:
    """Why a directory entry cannot be a data file or folder (odd name, link, FIFO...), or None.

    ``check_name=False``: data/ or docs/ themselves, whose names are the maintainers' choice, or entries
    whose caller applies a stricter naming rule of its own."""
    problem = name_problem(path.name) if check_name else _reserved_problem(path.name)
    if problem:
        return problem
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return f"illisible ({exc.strerror})"
    if stat.S_ISLNK(mode):
        return "lien symbolique refusé : remplacez-le par le fichier ou le dossier lui-même"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return f"{_kind(mode)} n'a rien à faire ici : retirez-le"
    return None


def name_problem(name: str) -> str | None:
    """Why a name cannot be a file of data/ or docs/, or None.

    Names become file names on every contributor's machine and addresses on the site: letters without
    accents, digits, « - », « _ » and « . », starting with a letter or digit (hidden files are told apart
    by their callers), and none of Windows' reserved names."""
    if not name.startswith(".") and not _NAME.fullmatch(name):
        return (
            "nom de fichier refusé : lettres sans accent, chiffres, « - », « _ » et « . » seulement "
            "(il devient une adresse du site), par exemple « " + (_suggested_name(name) or "page.md") + " »"
        )
    return _reserved_problem(name)


def _reserved_problem(name: str) -> str | None:
    if _RESERVED.fullmatch(name):
        return "nom réservé par Windows (con, prn, aux, nul, com1…, lpt1…) : choisissez-en un autre"
    return None


def _suggested_name(name: str) -> str:
    from .text import slug

    stem, dot, suffix = name.rpartition(".")
    stem, suffix = (stem, suffix) if dot and re.fullmatch(r"[A-Za-z0-9]{1,5}", suffix) else (name, "")
    return slug(stem) + (f".{suffix.lower()}" if suffix else "") if slug(stem) else ""


def is_real_dir(path: Path) -> bool:
    """A directory that is not a symbolic link."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


_ERRNO_FRENCH = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EEXIST: "un fichier de ce nom existe déjà",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier",
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EACCES: "droits insuffisants",
    errno.EPERM: "opération non permise",
    errno.EROFS: "disque en lecture seule",
    errno.EBUSY: "dossier occupé",
    errno.ENAMETOOLONG: "nom trop long",
    errno.ELOOP: "trop de liens symboliques",
    errno.ENOTEMPTY: "dossier non vide",
    errno.EXDEV: "déplacement impossible d'un disque à un autre",
}


def os_error_fr(failed: OSError) -> str:
    """What the system refused, in French (its own message is in English)."""
    return _ERRNO_FRENCH.get(failed.errno, "erreur du système")

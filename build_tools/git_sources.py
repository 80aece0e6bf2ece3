"""What git knows about the sources: the files a change touches, and the data of any revision.

Used by ``spro validate --depuis`` / ``spro format --depuis`` (the files of a pull request) and by
``spro diff`` (each side's data, read with ``git archive`` into a temporary folder: nothing is
checked out). Paths come from ``git … -z``, so names with spaces, accents or newlines arrive as
they are (git's default output quotes them: ``"data/lieux/mission-locale-\\303\\251…"``).

A revision's tree is outside input (a pull request's): only regular files under the asked folders
are written, at most :data:`MAX_FILE_BYTES` each; links, devices and paths leaving the folder are
skipped, so the loader then reports them missing rather than following anything.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Larger than any file the contracts accept (docs/ files: 10 MiB)."""


class GitError(Exception):
    """A git command failed; the message is French and names the command."""


def _git(repo: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git est introuvable : installez-le (https://git-scm.com)") from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GitError(f"« git {' '.join(args[:3])} » a échoué : {detail[-1] if detail else 'erreur inconnue'}")
    return result.stdout


def toplevel(path: Path) -> Path:
    """The root of the git working tree holding ``path``."""
    return Path(_git(path, "rev-parse", "--show-toplevel").decode("utf-8").strip())


def _names(output: bytes) -> list[str]:
    return [name.decode("utf-8", errors="surrogateescape") for name in output.split(b"\0") if name]


def changed_paths(repo: Path, since: str) -> list[str]:
    """Paths (relative to the repository's root) added, modified or deleted since ``since``: from the commit
    where the current branch left it (``git merge-base``) to the working tree, untracked files included."""
    try:
        base = _git(repo, "merge-base", since, "HEAD").decode("ascii").strip()
    except GitError:
        raise GitError(
            f"révision « {since} » inconnue de git, ou sans ancêtre commun avec HEAD (dans un workflow : "
            "actions/checkout avec fetch-depth: 0)"
        ) from None
    changed = _names(_git(repo, "diff", "-z", "--name-only", "--no-renames", base, "--"))
    untracked = _names(_git(repo, "ls-files", "-z", "--others", "--exclude-standard"))
    return sorted(set(changed) | set(untracked))


def uncommitted(repo: Path, folders: list[str]) -> list[str]:
    """Paths under ``folders`` changed in the working tree and not committed (untracked files included)."""
    return _names(_git(repo, "status", "-z", "--porcelain", "--untracked-files=all", "--", *folders))


def export(repo: Path, revision: str, folders: list[str], target: Path) -> None:
    """Write the regular files of ``folders`` (paths relative to the repository's root) at ``revision`` into
    ``target`` (same relative paths). A folder absent from that revision is simply not written."""
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except GitError:
        raise GitError(
            f"révision « {revision} » inconnue de git (nom de branche, étiquette ou commit attendu)"
        ) from None
    present = set(_names(_git(repo, "ls-tree", "-z", "--name-only", revision, "--", *folders)))
    wanted = [folder for folder in folders if folder in present]
    if not wanted:
        return
    archive = _git(repo, "archive", "--format=tar", revision, "--", *wanted)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar:
            name = PurePosixPath(member.name)
            if (
                name.is_absolute()
                or ".." in name.parts
                or not any(name.parts[: len(PurePosixPath(f).parts)] == PurePosixPath(f).parts for f in wanted)
            ):
                continue
            destination = target.joinpath(*name.parts)
            if member.isdir():
                destination.mkdir(parents=True, exist_ok=True)
            elif member.isreg() and member.size <= MAX_FILE_BYTES:
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(tar.extractfile(member).read())

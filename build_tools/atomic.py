"""Atomic file replacement: a reader, or a crash, sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str, within: Path | None = None) -> None:
    """Replace ``path`` with ``text`` all at once: readers see the old file or the new one.

    ``within``: the folder the file must stay in (no ``..`` out of it, no symbolic link on the way).
    """
    path = Path(path)
    if within is not None:
        from .safe_files import check_no_link, inside

        path = inside(within, path)
        check_no_link(within, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

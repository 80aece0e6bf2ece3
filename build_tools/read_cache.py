"""Lieu files read and checked by an earlier build, taken again while nothing their reading depends on has changed.

Reading and checking the lieu files is most of the loader's time on a large directory (0.7 s of a 3,000-lieu build
on two cores, twice that in a preview, which reads on one). What reading one file gives (its values, its
diagnostics and the positions of its fields, the YAML problems) depends on the file's bytes and the path it is
shown under, and on the context: the code that reads (:func:`~build_tools.page_cache.code_fingerprint` of this
package, and the installed libraries' versions), the day (a verification date becomes too old), and the entries
of the reference tables the file's kind refers to, their codes and names (:func:`tables_seen`: an unknown code is
matched against both). The context names the cache's folder, the file its entry: a change anywhere makes other
keys, so an entry is never stale, only unused.

The rules between files (addresses, geography, duplicates) are not cached: they run on every build.

The entries are kept by :class:`~build_tools.page_cache.PageCache`, with its safeguards: never inside the project,
private folders, each record checked against its SHA-256. An entry is a pickle (of plain values: what a
file's reading made of it); only this user can write where it is kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import pickle
from pathlib import Path
from typing import Any

from .contract import NAME_FIELDS, Code, Kind
from .page_cache import PageCache, code_fingerprint, digest

Tables = dict[str, dict[str, dict[str, str | None]] | None]
"""The reference tables a reading sees: each one's codes and their names (None: a table that failed to load, not
checked)."""


def tables_seen(kind: Kind, references: dict[str, Any] | None) -> Tables | None:
    """The references a file of ``kind`` is checked against: the tables its codes name (:class:`~.contract.Code`),
    each entry reduced to what an unknown code is matched against (its names). What a reading is given is exactly
    what its key says."""
    if references is None:
        return None
    named = sorted(_tables_named(kind, set()))
    return {table: _codes_and_names(references.get(table)) for table in named}


def _codes_and_names(table: dict[str, Any] | None) -> dict[str, dict[str, str | None]] | None:
    if table is None:
        return None
    return {code: {name: _name_of(entry, name) for name in NAME_FIELDS} for code, entry in table.items()}


def _name_of(entry: Any, name: str) -> str | None:
    value = entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)
    return value if isinstance(value, str) else None


def _tables_named(value: Any, visited: set[int]) -> set[str]:
    """The tables of every :class:`~.contract.Code` inside ``value`` (a kind, a field, or a tuple of them)."""
    if id(value) in visited:
        return set()
    visited.add(id(value))
    if isinstance(value, Code):
        return {value.table}
    if isinstance(value, (tuple, list)):
        return set().union(*(_tables_named(item, visited) for item in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return set().union(*(_tables_named(getattr(value, f.name), visited) for f in dataclasses.fields(value)))
    return set()


class ReadCache:
    """The readings of one kind of file, under one context."""

    def __init__(self, store: PageCache):
        self.store = store

    @classmethod
    def of(cls, project: Path, kind_name: str, today: dt.date, tables: Tables | None) -> ReadCache | None:
        """The cache of ``project``'s files of ``kind_name`` read on ``today`` against ``tables``, or None where
        :meth:`PageCache.of` refuses one (inside the project, a folder others may write in) or the code cannot be
        read."""
        try:
            code = code_fingerprint([Path(__file__).parent])
        except OSError:
            return None
        listed = [] if tables is None else [f"{name}={entries!r}" for name, entries in tables.items()]
        context = digest("lecture des fichiers", kind_name, code, today.isoformat(), str(tables is None), *listed)
        store = PageCache.of(project, context)
        return None if store is None else cls(store)

    def key(self, shown: str, data: bytes) -> str:
        return digest(shown, hashlib.sha256(data).hexdigest())

    def get(self, key: str) -> Any | None:
        """The reading kept under ``key``, or None (none kept, or an entry that no longer unpickles)."""
        entry = self.store.get_bytes(key)
        if entry is None:
            return None
        try:
            return pickle.loads(entry)
        except Exception:  # (a library's class renamed: read again)
            return None

    def put(self, key: str, entry: bytes) -> None:
        """Keep ``entry``: a reading, pickled."""
        self.store.put_bytes(key, entry)

    def done(self) -> None:
        """The entries this load used stay, the others go."""
        self.store.keep_only(self.store.used)

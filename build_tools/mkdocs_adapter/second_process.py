"""The generated pages rendered on two cores: MkDocs renders one page after another, in one process.

Once MkDocs has read every page (navigation, links and the theme's environment settled), the plugin forks. The
generated pages form one list (:class:`Shares`): the parent renders them from the front, in MkDocs' order, between
the pages of docs/ and the static files it copies; the child renders them from the back with MkDocs' own page
builder, and exits when the two meet, so that neither waits for the other whatever the machine's load. A page the
child took is rendered empty by the parent (MkDocs writes no file for an empty output). A page is the same bytes
whichever process renders it: a test compares with a build in one process.

The child is forked, and dies with its parent, as :mod:`build_tools.two_cores` says; never for ``mkdocs serve``.
"""

from __future__ import annotations

import fcntl
import logging
import mmap
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

from ..pipeline import BuildFailed
from ..two_cores import Child, ChildDied, portable


@dataclass
class Outcome:
    """What the parent needs from the child's pages."""

    secured: set[str] = field(default_factory=set)
    reused: int = 0
    """Pages taken from the cache there."""
    cache_used: set[str] = field(default_factory=set)
    """Keys of the cache read or written there (kept by the parent's :meth:`~build_tools.page_cache.PageCache.keep_only`)."""
    warnings: list[tuple[str, int, str]] = field(default_factory=list)
    """(logger, level, message) of each warning MkDocs or a plugin logged there: logged again by the parent, where
    ``--strict`` counts them."""
    failure: BaseException | None = None
    """What stopped the child: its exception, raised again by the parent (as one process would have raised it)."""


class Shares:
    """Indexes 0..count-1 taken from both ends, each by one process only: counters in shared memory, under a lock
    on a file (``lockf``: the system releases it if its holder dies, where a semaphore would stay taken and hang
    the other process)."""

    def __init__(self, count: int):
        self.memory = mmap.mmap(-1, 16)  # (anonymous and shared: the child sees the parent's writes)
        self.lock_file = tempfile.TemporaryFile()
        self._write(0, count - 1)

    def _read(self) -> tuple[int, int]:
        return struct.unpack_from("qq", self.memory)

    def _write(self, front: int, back: int) -> None:
        struct.pack_into("qq", self.memory, 0, front, back)

    def _locked(self, change: Callable[[int, int], tuple[int, int] | None]) -> bool:
        fcntl.lockf(self.lock_file, fcntl.LOCK_EX)
        try:
            changed = change(*self._read())
            if changed is not None:
                self._write(*changed)
            return changed is not None
        finally:
            fcntl.lockf(self.lock_file, fcntl.LOCK_UN)

    def take_front(self, index: int) -> bool:
        """The parent takes ``index`` (the next from the front), unless the child took it."""
        return self._locked(lambda front, back: (index + 1, back) if index <= back else None)

    def take_back(self, index: int) -> bool:
        """The child takes ``index`` (the next from the back), unless the parent took it."""
        return self._locked(lambda front, back: (front, index - 1) if index >= front else None)


class SecondProcess:
    """The child rendering some pages (a :class:`~build_tools.two_cores.Child` whose MkDocs log is collected);
    :meth:`outcome` waits for it."""

    def __init__(self, child: Child):
        self.child = child

    @property
    def pid(self) -> int | None:
        return self.child.pid

    @classmethod
    def start(cls, render: Callable[[], Outcome]) -> SecondProcess:
        """Fork; the child runs ``render()`` and sends back its :class:`Outcome` (OSError: no fork possible)."""

        def work() -> Outcome:  # pragma: no cover (the child)
            collected: list[tuple[str, int, str]] = []
            mkdocs_log = logging.getLogger("mkdocs")
            mkdocs_log.handlers = [_Collector(collected)]
            mkdocs_log.propagate = False
            try:
                outcome = render()
            except Exception as failure:  # raised again by the parent, which stops the build
                outcome = Outcome(failure=portable(failure))
            outcome.warnings = collected
            return outcome

        return cls(Child.start(work))

    def outcome(self) -> Outcome:
        try:
            return self.child.result()
        except ChildDied as died:
            return Outcome(
                failure=BuildFailed(
                    f"le processus qui rendait une partie des pages s'est arrêté ({died}) : relancez la construction "
                    "(avec « render_processes: 1 » sous « - spro: » dans mkdocs.yml, elle se fait en un seul processus)"
                )
            )

    def stop(self) -> None:
        """Kill the child, if it still runs (the parent's build failed or was interrupted)."""
        self.child.stop()


class _Collector(logging.Handler):
    def __init__(self, collected: list[tuple[str, int, str]]):
        super().__init__(logging.WARNING)
        self.collected = collected

    def emit(self, record: logging.LogRecord) -> None:
        self.collected.append((record.name, record.levelno, record.getMessage()))

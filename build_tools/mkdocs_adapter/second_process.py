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

import logging
import mmap
import multiprocessing
import os
import pickle
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

from ..two_cores import fork_child, kill_child


@dataclass
class Outcome:
    """What the parent needs from the child's pages."""

    secured: set[str] = field(default_factory=set)
    warnings: list[tuple[str, int, str]] = field(default_factory=list)
    """(logger, level, message) of each warning MkDocs or a plugin logged there: logged again by the parent, where
    ``--strict`` counts them."""
    failure: str | None = None
    """What stopped the child (French when it is the pipeline's own message)."""


class Shares:
    """Indexes 0..count-1 taken from both ends, each by one process only (shared memory, a lock across the fork)."""

    def __init__(self, count: int):
        self.memory = mmap.mmap(-1, 16)  # (anonymous and shared: the child sees the parent's writes)
        self.lock = multiprocessing.get_context("fork").Lock()
        self._write(0, count - 1)

    def _read(self) -> tuple[int, int]:
        return struct.unpack_from("qq", self.memory)

    def _write(self, front: int, back: int) -> None:
        struct.pack_into("qq", self.memory, 0, front, back)

    def take_front(self, index: int) -> bool:
        """The parent takes ``index`` (the next from the front), unless the child took it."""
        with self.lock:
            _, back = self._read()
            if index > back:
                return False
            self._write(index + 1, back)
            return True

    def take_back(self, index: int) -> bool:
        """The child takes ``index`` (the next from the back), unless the parent took it."""
        with self.lock:
            front, _ = self._read()
            if index < front:
                return False
            self._write(front, index - 1)
            return True


class SecondProcess:
    """A child process rendering some pages; :meth:`outcome` waits for it."""

    def __init__(self, pid: int, reader: int):
        self.pid, self.reader = pid, reader

    @classmethod
    def start(cls, render: Callable[[], Outcome]) -> SecondProcess:
        """Fork; the child runs ``render()`` and sends back its :class:`Outcome`."""
        reader, writer = os.pipe()
        pid = fork_child()
        if pid == 0:  # pragma: no cover (the child: measured by the parent's tests of what it wrote)
            os.close(reader)
            _run_child(render, writer)
        os.close(writer)
        return cls(pid, reader)

    def outcome(self) -> Outcome:
        with os.fdopen(self.reader, "rb") as answer:
            data = answer.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if not data:
            return Outcome(
                failure=f"le second processus de rendu s'est arrêté (code {os.waitstatus_to_exitcode(status)})"
            )
        return pickle.loads(data)

    def stop(self) -> None:
        """Kill the child, if it still runs (the parent's build failed or was interrupted)."""
        if self.pid is None:
            return
        kill_child(self.pid)
        self.pid = None
        try:
            os.close(self.reader)
        except OSError:
            pass


def _run_child(render: Callable[[], Outcome], writer: int) -> None:  # pragma: no cover
    status = 1
    try:
        collected: list[tuple[str, int, str]] = []
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.handlers = [_Collector(collected)]
        mkdocs_log.propagate = False
        try:
            outcome = render()
        except Exception as failure:  # reported to the parent, which stops the build
            outcome = Outcome(failure=str(failure) or type(failure).__name__)
        outcome.warnings = collected
        with os.fdopen(writer, "wb") as answer:
            pickle.dump(outcome, answer)
        status = 0
    finally:
        os._exit(status)


class _Collector(logging.Handler):
    def __init__(self, collected: list[tuple[str, int, str]]):
        super().__init__(logging.WARNING)
        self.collected = collected

    def emit(self, record: logging.LogRecord) -> None:
        self.collected.append((record.name, record.levelno, record.getMessage()))

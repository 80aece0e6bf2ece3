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
import os
import pickle
import struct
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

from ..pipeline import BuildFailed
from ..two_cores import fork_child, kill_child


@dataclass
class Outcome:
    """What the parent needs from the child's pages."""

    secured: set[str] = field(default_factory=set)
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
    """A child process rendering some pages; :meth:`outcome` waits for it."""

    def __init__(self, pid: int, reader: int):
        self.pid, self.reader = pid, reader

    @classmethod
    def start(cls, render: Callable[[], Outcome]) -> SecondProcess:
        """Fork; the child runs ``render()`` and sends back its :class:`Outcome`."""
        reader, writer = os.pipe()
        try:
            pid = fork_child()
        except OSError:
            os.close(reader)
            os.close(writer)
            raise
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
        code = os.waitstatus_to_exitcode(status)
        if code == 0:
            try:
                return pickle.loads(data)
            except Exception:  # (a child that died while writing: told below)
                pass
        how = f"tué par le signal {-code}" if code < 0 else f"code de sortie {code}"
        return Outcome(
            failure=BuildFailed(
                f"le processus qui rendait une partie des pages s'est arrêté ({how}) : relancez la construction "
                "(avec « render_processes: 1 » sous « - spro: » dans mkdocs.yml, elle se fait en un seul processus)"
            )
        )

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
        except Exception as failure:  # raised again by the parent, which stops the build
            outcome = Outcome(failure=_portable(failure))
        outcome.warnings = collected
        with os.fdopen(writer, "wb") as answer:
            pickle.dump(outcome, answer)
        status = 0
    finally:
        for stream in (sys.stdout, sys.stderr):  # (what a plugin printed here)
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(status)


def _portable(failure: Exception) -> Exception:
    """The exception as the parent can raise it: itself if it survives pickling unchanged, else its type and text."""
    try:
        copy = pickle.loads(pickle.dumps(failure))
        if type(copy) is type(failure) and str(copy) == str(failure):
            return copy
    except Exception:
        pass
    return RuntimeError(f"{type(failure).__name__} : {failure}")


class _Collector(logging.Handler):
    def __init__(self, collected: list[tuple[str, int, str]]):
        super().__init__(logging.WARNING)
        self.collected = collected

    def emit(self, record: logging.LogRecord) -> None:
        self.collected.append((record.name, record.levelno, record.getMessage()))

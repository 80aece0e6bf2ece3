"""The build's pure, independent work shared with a forked child: CI machines and laptops have two cores at least,
and Python uses one.

A child is forked only where that is safe and worth it (:func:`can_fork`); it dies with its parent
(``PR_SET_PDEATHSIG``), so that it never writes anything after its build stopped. :func:`map_in_two` is for lists of
independent items (reading and checking lieu files); the MkDocs adapter renders pages in a child of its own
(:mod:`build_tools.mkdocs_adapter.second_process`).
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_PR_SET_PDEATHSIG = 1
SMALLEST_SHARED_LIST = 200
"""Below this, the fork and the pickling cost more than they save."""


def can_fork() -> bool:
    """Linux (where a child can die with its parent), two cores for this process, and no other Python thread (a fork
    copies only the thread that forks: a lock another thread held would stay locked in the child). A failed fork
    leaves the work to the parent."""
    return sys.platform == "linux" and len(os.sched_getaffinity(0)) >= 2 and threading.active_count() == 1


def fork_child() -> int:
    """``os.fork()``; in the child, which must end with ``os._exit``, death with the parent and Ctrl-C ignored (the
    parent decides, and kills it)."""
    parent = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # (the garbage collector of either process walking the objects they share would copy their memory)
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl
            os._exit(1)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return pid


def kill_child(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


class ChildDied(Exception):
    """The child ended without an answer (killed, or died while writing it)."""

    def __init__(self, code: int):
        self.code = code
        super().__init__(f"tué par le signal {-code}" if code < 0 else f"code de sortie {code}")


class Child:
    """A forked child computing ``work()`` (:func:`fork_child`); :meth:`result` waits for its value, or raises what
    it raised (:class:`ChildDied` if it gave no answer); :meth:`stop` kills it."""

    def __init__(self, pid: int, reader: int, group: bool = False):
        self.pid: int | None = pid
        self.reader = reader
        self.group = group

    @classmethod
    def start(cls, work: Callable[[], Result], group: bool = False) -> Child:
        """Raises OSError when the system refuses the pipe or the fork (the caller then does the work itself).
        ``group``: the child leads a process group of its own, which :meth:`stop` kills whole (the child's own
        children with it, at once: none goes on writing after :meth:`stop`)."""
        reader, writer = os.pipe()
        try:
            pid = fork_child()
        except OSError:
            os.close(reader)
            os.close(writer)
            raise
        if pid == 0:  # pragma: no cover (the child)
            os.close(reader)
            if group:
                os.setpgid(0, 0)
            _answer(work, writer)
        os.close(writer)
        if group:
            try:
                os.setpgid(pid, pid)  # (here too: whichever process runs first, the group exists for stop())
            except OSError:  # (the child made it already, or died)
                pass
        return cls(pid, reader, group)

    def result(self):
        with os.fdopen(self.reader, "rb") as answer:
            data = answer.read()
        _, status = os.waitpid(self.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0 and self.group:  # (its own children, should they outlive it a moment)
            _kill_group(self.pid)
        self.pid = None
        try:
            done, value = pickle.loads(data) if code == 0 else (None, None)
        except Exception:  # (cut short: a child that died while writing)
            done = None
        if done is None:
            raise ChildDied(code)
        if not done:
            raise value
        return value

    def stop(self) -> None:
        """Kill the child if it still runs (the parent failed or was interrupted)."""
        if self.pid is None:
            return
        if self.group:
            _kill_group(self.pid)
        kill_child(self.pid)
        self.pid = None
        try:
            os.close(self.reader)
        except OSError:
            pass


def _kill_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _answer(work: Callable[[], Result], writer: int) -> None:  # pragma: no cover (the child)
    status = 1
    try:
        try:
            answer = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as failure:
            answer = pickle.dumps((False, portable(failure)), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writer, "wb") as out:
            out.write(answer)
        status = 0
    finally:
        for stream in (sys.stdout, sys.stderr):  # (what the work printed)
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(status)


def portable(failure: Exception) -> Exception:
    """The exception as the parent can raise it: itself if it survives pickling unchanged, else its type and text."""
    try:
        copy = pickle.loads(pickle.dumps(failure))
        if type(copy) is type(failure) and str(copy) == str(failure):
            return copy
    except Exception:
        pass
    return RuntimeError(f"{type(failure).__name__} : {failure}")


def map_in_two(function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    """``[function(item) for item in items]``, its second half computed by a forked child when :func:`can_fork`
    (results must pickle). Should the child fail, its half is computed here: the outcome, exceptions included, is
    the one of a single process."""
    if len(items) < SMALLEST_SHARED_LIST or not can_fork():
        return [function(item) for item in items]
    half = len(items) // 2
    try:
        child = Child.start(lambda: [function(item) for item in items[half:]])
    except OSError:  # (too many processes or open files, not enough memory to fork: one process does it all)
        return [function(item) for item in items]
    try:
        first = [function(item) for item in items[:half]]
    except BaseException:
        child.stop()
        raise
    try:
        return first + child.result()
    except Exception:
        return first + [function(item) for item in items[half:]]

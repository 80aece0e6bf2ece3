"""The build's pure, independent work shared with a forked child: CI machines and laptops have two cores at least,
and Python uses one.

A child is forked only where that is safe and worth it (:func:`can_fork`); it dies with its parent
(``PR_SET_PDEATHSIG``), so that it never writes anything after its build stopped. :func:`map_in_two` is for lists of
independent items (reading and checking lieu files); the MkDocs adapter renders pages in a child of its own
(:mod:`build_tools.mkdocs_adapter.second_process`).
"""

from __future__ import annotations

import ctypes
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


def map_in_two(function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    """``[function(item) for item in items]``, its second half computed by a forked child when :func:`can_fork`
    (results must pickle). Should the child fail, its half is computed here: the outcome, exceptions included, is
    the one of a single process."""
    if len(items) < SMALLEST_SHARED_LIST or not can_fork():
        return [function(item) for item in items]
    half = len(items) // 2
    try:
        reader, writer = os.pipe()
    except OSError:  # (too many open files: one process does it all)
        return [function(item) for item in items]
    try:
        pid = fork_child()
    except OSError:  # (too many processes, not enough memory to fork: one process does it all)
        os.close(reader)
        os.close(writer)
        return [function(item) for item in items]
    if pid == 0:  # pragma: no cover (the child)
        status = 1
        try:
            os.close(reader)
            answer = pickle.dumps([function(item) for item in items[half:]], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as out:
                out.write(answer)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as answer:
        try:
            first = [function(item) for item in items[:half]]
            data = answer.read()
        except BaseException:
            kill_child(pid)
            raise
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return first + [function(item) for item in items[half:]]
    return first + pickle.loads(data)

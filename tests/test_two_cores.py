"""map_in_two (build_tools/two_cores.py): the second half of a list computed by a forked child, with the outcome of
one process, failures included."""

from __future__ import annotations

import os
import sys

import pytest

from build_tools import two_cores
from build_tools.two_cores import SMALLEST_SHARED_LIST, can_fork, map_in_two

ITEMS = list(range(SMALLEST_SHARED_LIST * 3))


@pytest.fixture
def forks(monkeypatch):
    """A child is forked even if the test session runs threads (a browser's, a server's): the children here only
    compute and pickle."""
    if sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("un seul cœur, ou pas Linux")
    monkeypatch.setattr(two_cores, "can_fork", lambda: True)


def test_the_child_computes_the_second_half_and_the_order_is_kept(forks):
    parent = os.getpid()
    results = map_in_two(lambda n: (n * n, os.getpid()), ITEMS)
    assert [square for square, _ in results] == [n * n for n in ITEMS]
    workers = [pid for _, pid in results]
    assert set(workers[: len(ITEMS) // 2]) == {parent}
    assert len(set(workers[len(ITEMS) // 2 :]) - {parent}) == 1


def test_an_exception_in_the_childs_half_is_raised_here_as_one_process_raises_it(forks):
    def read(n: int) -> int:
        if n == len(ITEMS) - 1:
            raise ValueError(f"fichier {n} illisible")
        return n

    with pytest.raises(ValueError, match=f"fichier {len(ITEMS) - 1} illisible"):
        map_in_two(read, ITEMS)


def test_a_child_that_dies_leaves_its_half_to_the_parent(forks):
    parent = os.getpid()

    def work(n: int) -> int:
        if os.getpid() != parent:
            os._exit(9)  # the child dies without a word
        return n + 1

    assert map_in_two(work, ITEMS) == [n + 1 for n in ITEMS]


def test_short_lists_stay_in_this_process():
    parent = os.getpid()
    assert map_in_two(lambda n: os.getpid(), ITEMS[:10]) == [parent] * 10


def test_forking_is_refused_where_a_child_could_deadlock_or_outlive_its_parent(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not can_fork()


def test_no_fork_possible_leaves_the_whole_list_to_this_process(forks, monkeypatch):
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(two_cores, "fork_child", refused)
    parent = os.getpid()
    assert map_in_two(lambda n: (n, os.getpid()), ITEMS) == [(n, parent) for n in ITEMS]

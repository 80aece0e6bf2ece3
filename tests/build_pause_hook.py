"""MkDocs hook for interruption tests: the explicit signal that a build is half-way through.

When the build has written some pages into its staging directory (at the page number given by
SPRO_TEST_PAUSE_AT_PAGE), it prints PAUSE_LINE on standard output and waits, reading standard
input, for the test to interrupt it. A test adds this file to a project copy's mkdocs.yml
(``hooks:``), reads the line, then sends SIGINT: no sleep, no guess about the machine's speed.
If the test goes away, standard input closes and the build carries on.
"""

from __future__ import annotations

import os
import sys

PAUSE_LINE = "spro-test: build paused"
_pages = 0


def on_post_page(output, page, config):
    global _pages
    _pages += 1
    if _pages == int(os.environ.get("SPRO_TEST_PAUSE_AT_PAGE", "0")):
        print(PAUSE_LINE, flush=True)
        sys.stdin.readline()
    return output

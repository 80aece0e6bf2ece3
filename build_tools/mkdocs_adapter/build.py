"""``spro build``: build the site into a temporary directory, then swap it into place.

A failure at any stage (invalid data, a broken link under --strict, Ctrl-C) leaves the
previous ``site/`` untouched and no temporary directory behind.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from ..site_dir import MARKER, MARKER_TEXT, site_dir_problem


class UnsafeSiteDir(Exception):
    """The output folder would overwrite the project or a folder that is not a site (French message)."""


def build_site(config_file: Path, site_dir: Path, strict: bool = True) -> None:
    problem = site_dir_problem(site_dir, Path(config_file).resolve().parent)
    if problem:
        raise UnsafeSiteDir(problem)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=strict)
        build(config)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        _swap(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

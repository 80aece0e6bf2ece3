"""What every page MkDocs + Material renders shares, as one fingerprint (:mod:`build_tools.page_cache`).

A generated page's HTML is its body and front matter put into the theme's shell; the shell is made of the
configuration (site name, theme features, palette, extra...), the navigation (each entry's title, address and
front matter: Material shows icons and statuses from it), the theme's templates and the code of every package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path, PurePath

from mkdocs.plugins import BasePlugin
from mkdocs.theme import Theme

from ..page_cache import code_fingerprint, digest

PACKAGE = Path(__file__).resolve().parent.parent
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_NOT_SHARED = {"site_dir"}
"""Configuration that is not part of any page: the output folder (a new staging folder for each build)."""


def site_fingerprint(config, nav, *more: str) -> str:
    """The configuration, the navigation, the code (this package, the theme's folders, every installed package's
    version) and ``more`` (what else the caller adds to every page, e.g. the tiles' origin in its policy)."""
    shared = {key: value for key, value in config.items() if key not in _NOT_SHARED}
    folders = [PACKAGE, *config.theme.dirs]
    return digest(
        json.dumps(_canonical(shared), sort_keys=True, ensure_ascii=False),
        json.dumps(_navigation(nav), ensure_ascii=False),
        code_fingerprint(folders),
        *more,
    )


def theme_reads_build_date(config) -> bool:
    """Whether a template of the theme (Material's or the project's overrides) names MkDocs' build date: pages then
    change with the day. Material's own do not, so a build on another day reuses the pages of the day before."""
    return any(
        b"build_date" in path.read_bytes() for folder in config.theme.dirs for path in Path(folder).rglob("*.html")
    )


def _navigation(nav) -> list:
    def entries(items) -> list:
        return [
            [
                type(item).__name__,
                str(item.title),
                getattr(item, "url", None),
                _canonical(getattr(item, "meta", None)),
                entries(getattr(item, "children", None) or ()),
            ]
            for item in items
        ]

    return [entries(nav.items), getattr(nav.homepage, "url", None)]


def _canonical(value, depth: int = 0):
    """``value`` as JSON-able data that says everything a template can read of it."""
    if depth > 30:
        raise ValueError("configuration trop profonde")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, BasePlugin):
        return {"plugin": _name(type(value)), "config": _canonical(value.config, depth + 1)}
    if isinstance(value, Theme):
        fields = {"vars": dict(value.items()), "dirs": value.dirs, "static": sorted(value.static_templates)}
        return {"theme": value.name, **_canonical(fields, depth + 1)}
    if isinstance(value, Mapping) or callable(getattr(value, "items", None)):
        return {str(key): _canonical(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(item, depth + 1) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(_canonical(item, depth + 1), sort_keys=True) for item in value)
    if callable(value):
        return _name(value)
    return _ADDRESS.sub("", repr(value))


def _name(thing) -> str:
    return f"{getattr(thing, '__module__', '?')}.{getattr(thing, '__qualname__', type(thing).__qualname__)}"

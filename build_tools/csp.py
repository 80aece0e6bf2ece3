"""Content-Security-Policy for the built site: scripts from the site itself only, tiles from one origin.

Static hosts such as GitHub Pages cannot send headers, so each HTML file gets a
``<meta http-equiv="Content-Security-Policy">``. The policy allows no inline script at all: the
project emits none (Material's few inline scripts are replaced by files in ``overrides/``), so a
script smuggled into a page by the data can never run, whatever the page contains. Style
attributes stay allowed (Leaflet positions tiles with them); WebAssembly is allowed for Pagefind;
images may come from the tile server.

:mod:`build_tools.active_content` is the build's tripwire: a script, handler or frame the project
does not emit means something got past validation, and the build stops.
"""

from __future__ import annotations

import html
import re


def policy(tiles_origin: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: {tiles_origin}",
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def with_policy(page: str, tiles_origin: str) -> str:
    """The document with its policy as the first element of <head> (before any script); once only (``mkdocs build
    --dirty`` leaves pages of the previous build that have it)."""
    content = html.escape(policy(tiles_origin), quote=False).replace('"', "&quot;")  # its ' stay readable
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    head = re.search(r"<head[^>]*>", page, re.IGNORECASE)
    if head is None or page.startswith("\n" + meta, head.end()):
        return page
    return page[: head.end()] + "\n" + meta + page[head.end() :]

"""Content-Security-Policy for the built site: only self, the tile server, and hashed inline scripts.

Static hosts such as GitHub Pages cannot send headers, so each HTML file gets a
``<meta http-equiv="Content-Security-Policy">`` allowing exactly the inline scripts it contains
(Material's and folium's, by SHA-256). Style attributes stay allowed (Leaflet positions tiles with
them); WebAssembly is allowed for Pagefind; images may come from the tile server.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


def _is_inline_executable(attrs: str) -> bool:
    if re.search(r"\ssrc\s*=", attrs, re.IGNORECASE):
        return False
    kind = re.search(r"""\stype\s*=\s*["']?([^"'\s>]+)""", attrs, re.IGNORECASE)
    return (kind.group(1).lower() if kind else "") in _EXECUTABLE_TYPES


def inline_script_hashes(html: str) -> list[str]:
    hashes = []
    for match in _SCRIPT.finditer(html):
        if _is_inline_executable(match.group("attrs")):
            digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
            hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(set(hashes))


def policy(html: str, tiles_url: str) -> str:
    tiles = urlsplit(tiles_url.replace("{", "").replace("}", ""))
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *inline_script_hashes(html)])
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: {tiles.scheme}://{tiles.netloc}", "font-src 'self' data:", "connect-src 'self'",
        "frame-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
    ])


def with_policy(html: str, tiles_url: str) -> str:
    """The document with its policy as the first element of <head> (before any script)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, tiles_url)}">'
    head = re.search(r"<head[^>]*>", html, re.IGNORECASE)
    if head is None:
        return html
    return html[: head.end()] + "\n" + meta + html[head.end():]

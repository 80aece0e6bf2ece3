"""The live preview's reload (``mkdocs serve`` only): a script from the site itself instead of MkDocs' inline one.

MkDocs' server adds an inline script to every page it serves, which asks it for the next build and reloads the
page. The pages' Content-Security-Policy refuses every inline script (:mod:`build_tools.csp`): the preview never
reloaded, and a partner fixing a file saw the old problems until reloading by hand. ``live_reload.js`` does what the
inline script would have done, from a file of the site, which the policy allows.
"""

from __future__ import annotations

from importlib import resources
from urllib.parse import urlsplit

from ..generate.assets import PREFIX

SCRIPT_PATH = f"{PREFIX}/apercu-recharge.js"


def reload_script() -> bytes:
    return (resources.files(__package__) / "live_reload.js").read_bytes()


def with_reload_script(page: str, site_url: str | None) -> str:
    """``page`` loading the reload script (by its path from the server's root: the page may be at any depth)."""
    base = urlsplit(site_url or "").path or "/"
    if not base.endswith("/"):
        base += "/"
    tag = f'<script src="{base}{SCRIPT_PATH}"></script>'
    end = page.rfind("</body>")
    return page + tag if end < 0 else page[:end] + tag + page[end:]

"""The page's content as the skip link's target and Pagefind's body, on the pages of Material's blog too.

``overrides/main.html`` wraps each page's content in ``<div data-pagefind-body id="contenu">``: « Aller au
contenu » leads there, and Pagefind indexes what it holds. Material's blog templates (``blog.html``,
``blog-post.html``) replace the block that carries it, so the news were neither searchable nor reachable by the
skip link. Their content element (``md-content__inner``) gets the same attributes here.
"""

from __future__ import annotations

import re

MARKER = 'data-pagefind-body id="contenu"'
"""What main.html writes (docs/ pages cannot: the docs contract refuses ``data-pagefind-*`` attributes)."""
_CONTENT = re.compile(r'<(article|div) class="md-content__inner( md-typeset)?">')


def with_content_target(page: str) -> str:
    """``page`` with its content element marked, if the theme's template did not."""
    if MARKER in page:
        return page
    return _CONTENT.sub(lambda tag: tag[0][:-1] + f' {MARKER} tabindex="-1">', page, count=1)

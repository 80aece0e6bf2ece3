"""The live preview (``mkdocs serve``) of invalid data: every page it can still build says what to fix.

MkDocs' preview server holds every request while the last build failed (« The server will appear stuck until
build errors are resolved », in English, in the terminal only): a partner who saved a broken file saw a browser
tab loading for ever. Under ``mkdocs serve`` only, invalid data no longer fails the build: the pages of docs/ are
built, without the directory's own pages, and each one (the « page not found » included) opens with the
problems, file, line and field, as ``spro validate`` words them. The next save that fixes them brings the whole
site back. ``spro build`` and ``mkdocs build`` still stop.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
from urllib.parse import quote

from mkdocs.structure.nav import Link, Section
from mkdocs.utils import get_relative_url

from .. import pipeline

SHOWN = 30
"""Problems listed on the page; the terminal has them all."""
_CONTENT = re.compile(r'<div\b[^>]*\bid="contenu"[^>]*>')
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')
_BODY = re.compile(r"<body\b[^>]*>")
_TITLE = re.compile(r"<title>.*?</title>", re.S)
PREVIEW_HEADLINE = (
    "Aperçu : données invalides ; seules les pages de docs/ sont construites, et chacune affiche ces problèmes :"
)
BACK_TO_VALID = "Aperçu : données de nouveau valides, l'annuaire est reconstruit."
TITLE = "Aperçu : les données ne sont pas valides, les pages de l'annuaire ne sont pas construites"


def with_invalid_data(page: str, failure: pipeline.InvalidSources | pipeline.BuildFailed) -> str:
    """``page`` (a page of Material's) with the problems of ``failure`` at the top of its content."""
    notice = invalid_data_notice(failure)
    found = _CONTENT.search(page) or _ARTICLE.search(page)  # (inside the skip link's target, if there is one)
    if found is None:  # (a page of another theme: at the top of its body)
        found = _BODY.search(page)
    return page if found is None else page[: found.end()] + notice + page[found.end() :]


def not_built_yet(page: str, failure: pipeline.InvalidSources | pipeline.BuildFailed) -> str:
    """The « page not found » of the preview, which every page of the directory is while the data is invalid (the
    home page included): the problems instead of its content, which would say the page was removed."""
    found = _ARTICLE.search(page)
    end = page.find("</article>", found.end()) if found else -1
    if end < 0:
        return with_invalid_data(page, failure)
    title = "<h1>Aperçu : données à corriger</h1>"
    later = "<p>Cette page sera de nouveau visible une fois les données corrigées.</p>"
    content = f'<div id="contenu" tabindex="-1">{title}{invalid_data_notice(failure)}{later}</div>'  # (skip link)
    page = page[: found.end()] + content + page[end:]
    return _TITLE.sub("<title>Aperçu : données à corriger</title>", page, count=1)


def preview_headline(failure: pipeline.InvalidSources | pipeline.BuildFailed) -> str:
    """What the terminal says: the preview goes on (MkDocs then says « Documentation built »), without the
    directory's pages, and why."""
    return "\n".join([PREVIEW_HEADLINE, *_problems(failure)])


def _problems(failure: pipeline.InvalidSources | pipeline.BuildFailed) -> list[str]:
    """One line per problem, as ``spro validate`` words them (without the build's own headline)."""
    if isinstance(failure, pipeline.InvalidSources):
        return [diagnostic.as_text() for diagnostic in failure.diagnostics]
    return [str(failure)]


def invalid_data_notice(failure: pipeline.InvalidSources | pipeline.BuildFailed) -> str:
    """The problems as a Material « danger » block, every text escaped."""
    lines = _problems(failure)
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines[:SHOWN])
    more = len(lines) - SHOWN
    after = f"<p>… et {more} autre(s) : la liste complète est dans le terminal.</p>" if more > 0 else ""
    return (
        '<div class="admonition danger" role="alert" id="spro-donnees-invalides">'
        f'<p class="admonition-title">{html.escape(TITLE)}</p>'
        "<p>Corrigez ces problèmes et enregistrez : la page se recharge d'elle-même.</p>"
        f"<ul>{items}</ul>{after}</div>"
    )


def unbuilt_pages_linked_by_address(items: list, use_directory_urls: bool) -> list:
    """The navigation without links to .md files: the directory's pages are missing from this preview, and MkDocs
    makes their entries links to their source (« index.md », a 404 even once the data is fixed), untitled when the
    title came from the page (« None » in the menu). Each becomes a link to the page's address, which shows the
    problems now and the page once they are fixed; an untitled one is left out."""
    kept = []
    for item in items:
        if isinstance(item, Section):
            item.children = unbuilt_pages_linked_by_address(item.children, use_directory_urls)
        elif isinstance(item, Link) and _is_source(item.url):
            if not item.title:
                continue
            item.url = _address(item.url, use_directory_urls)
        kept.append(item)
    return kept


_SOURCE_HREF = re.compile(r'href="([^"#:?/][^"#:?]*\.md)([?#][^"]*)?"')


def unbuilt_pages_linked_in(content: str, src_uri: str, page_url: str, use_directory_urls: bool) -> str:
    """The links of a docs/ page to the directory's pages, which MkDocs leaves pointing at their .md source (they
    are missing from this preview): each to the page's address instead, as in the navigation, its query and
    fragment kept."""

    def address(found: re.Match) -> str:
        source = html.unescape(found.group(1))  # (the attribute as MkDocs wrote it: escaped once)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), source))
        url = quote(get_relative_url(_address(target, use_directory_urls), page_url), safe="/%")
        return f'href="{url}{found.group(2) or ""}"'

    return _SOURCE_HREF.sub(address, content)


def _is_source(url: str) -> bool:
    return url.endswith(".md") and "://" not in url and not url.startswith("/")


def _address(source: str, use_directory_urls: bool) -> str:
    """« trouver/index.md » -> « trouver/ » (or « trouver/index.html »), « index.md » -> « ./ »."""
    stem = source.removesuffix(".md")
    if not use_directory_urls:
        return stem + ".html"
    folder = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"
    return folder or "./"


_MISSING_PAGE = ("is not found among documentation files", "which is not found in the documentation files")
_LINK_CHECKERS = ("mkdocs.structure.pages", "mkdocs.structure.nav")


def _links_to_missing_pages_unsaid(record: logging.LogRecord) -> bool:
    """The links of docs/ and the navigation to the directory's pages, all missing from this preview: not worth a
    warning each, which would push the problems to fix out of the terminal."""
    message = record.getMessage()
    return not any(phrase in message for phrase in _MISSING_PAGE)


def quiet_missing_pages(quiet: bool) -> None:
    """MkDocs' warnings of links to missing pages left out (``quiet``) or shown again."""
    for name in _LINK_CHECKERS:
        logger = logging.getLogger(name)
        logger.removeFilter(_links_to_missing_pages_unsaid)
        if quiet:
            logger.addFilter(_links_to_missing_pages_unsaid)

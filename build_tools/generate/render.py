"""HTML rendering for generated pages: an autoescaping Jinja environment and the page wrapper.

MkDocs' own Jinja environment does not autoescape and Material prints ``page.meta.title`` raw,
so generated pages carry an HTML-escaped title, and their body is HTML rendered here with
autoescaping, inside one ``<div>`` that Markdown passes through untouched (no blank line
inside, so Python-Markdown keeps it as a single raw HTML block).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

import jinja2

from ..formats import phone_uri
from ..records import TYPES_EVENEMENT
from ..text import MOIS, date_fr, pluriel
from .hours import days_in_words, heure_fr, periode_fr, unbreakable
from .output import GeneratedPage, page_url, relative

ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("build_tools", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
ENVIRONMENT.filters["date_fr"] = date_fr
ENVIRONMENT.filters["tel"] = phone_uri
ENVIRONMENT.filters["mois_fr"] = lambda day: f"{MOIS[day.month - 1]} {day.year}"
ENVIRONMENT.globals["periode_fr"] = periode_fr
ENVIRONMENT.globals["jours_en_mots"] = days_in_words
ENVIRONMENT.filters["heure"] = lambda hhmm: unbreakable(heure_fr(hhmm))
ENVIRONMENT.filters["insecable"] = unbreakable
ENVIRONMENT.globals["types_evenement"] = TYPES_EVENEMENT


ENVIRONMENT.globals["pluriel"] = pluriel


def render(template: str, url: str, **context) -> str:
    """Render ``template`` for the page whose directory URL is ``url``; ``link(path)`` is relative."""
    text = ENVIRONMENT.get_template(template).render(link=lambda to: relative(url, to), here=url, **context)
    return "\n".join(line for line in text.splitlines() if line.strip())


def page(
    path: str,
    title: str,
    template: str,
    in_nav: bool = False,
    description: str | None = None,
    hide: tuple[str, ...] = (),
    context_of: Callable[[], dict] | None = None,
    inputs: Callable[[], str] | None = None,
    **context,
) -> GeneratedPage:
    """``hide``: parts of the theme's page left out (« navigation », « toc »: the finder takes the whole width);
    ``context_of``: the template's context made when the body is rendered, not kept (one page's at a time);
    ``inputs``: a digest of everything ``context_of`` and ``context`` hold, when the caller can vouch for it
    (:attr:`GeneratedPage.inputs`)."""
    meta: dict = {"title": html.escape(title)}
    if description:
        meta["description"] = html.escape(description)
    if hide:
        meta["hide"] = list(hide)
    front_matter = json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n"  # (JSON is YAML; 30 times faster)

    def body() -> str:
        made = context_of() if context_of is not None else {}
        return f'<div class="spro" markdown="0">\n{render(template, page_url(path), **context, **made)}\n</div>\n'

    if inputs is not None and context:
        raise ValueError("inputs: the whole context comes from context_of")
    return GeneratedPage(path, f"---\n{front_matter}---\n", body, in_nav, inputs)

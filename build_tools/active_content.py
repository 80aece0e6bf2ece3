"""What a built page may run or load: the build's last check, on the HTML as a browser parses it.

Validation refuses scripts, styles and frames in data and in docs/ before anything is built, and
the Content-Security-Policy allows scripts from the site itself only. This module is the tripwire
behind both: every page the build writes is parsed by an HTML5 parser (Lexbor, the same parsing
rules as the browser, so ``<!-->`` or an unclosed tag cannot hide an element from it) and the
build stops if a page contains active content the project does not emit itself:

- a ``<script>`` other than a same-site ``.js`` file or JSON data: an inline script, or a script
  read from another kind of file (a ``.txt`` of docs/ would run, as 'self' allows it);
- an event handler attribute (``onclick``...), a ``javascript:``, ``vbscript:`` or ``data:``
  address (``data:`` images aside), ``srcdoc``;
- ``<meta http-equiv>`` other than a security policy (a refresh redirects every visitor), ``<base>``, ``<style>``, and elements
  that embed other documents or plugins (``object``, ``embed``, ``frame``...); frames and forms
  only towards the site itself;
- elements whose content this parser cannot see as a browser does: ``<noscript>``, ``<template>``, SVG
  animations.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

_DATA_TYPES = {"application/json", "application/ld+json"}
_FORBIDDEN = (
    "base",
    "style",
    "object",
    "embed",
    "frame",
    "frameset",
    "applet",
    "portal",
    "meta[http-equiv]",
    "noscript",
    "template",
    "set",
    "animate",
    "animateMotion",
    "animateTransform",
)
"""``noscript``: this parser reads its content as markup (scripting off) where a browser reads it as text, so
what follows its end differs (a script can hide there); ``template``: its content (a declarative shadow root) is
out of this tree; SVG animations can set an ``href`` or an event handler. The site emits none of them."""
_SAME_SITE = ("iframe", "form")
_LOADED_LINKS = {"stylesheet", "preload", "modulepreload", "prefetch", "import", "manifest", "icon"}
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "xlink:href", "background", "ping")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def _scheme(value: str) -> str:
    """The scheme a browser reads in an address (spaces and control characters are ignored by it)."""
    match = _SCHEME.match(re.sub(r"[\x00-\x20]", "", value).lower())
    return match.group(1) if match else ""


def _is_same_site(value: str) -> bool:
    compact = re.sub(r"[\x00-\x20]", "", value)
    return not _scheme(compact) and not compact.startswith(("//", "\\\\", "/\\", "\\/"))


def _script_problem(attributes: dict[str, str | None], text: str) -> str | None:
    kind = (attributes.get("type") or "").strip().lower()
    if kind in _DATA_TYPES:
        return None if "src" not in attributes else "script de données chargé d'ailleurs"
    source = attributes.get("src")
    if source is None:
        return f"script en ligne ({text.strip()[:60]!r})"
    path = source.split("?", 1)[0].split("#", 1)[0]
    if not _is_same_site(source) or not path.endswith(".js"):
        return f"script « {source[:80]} » (seuls les fichiers .js du site sont permis)"
    return None


def active_content(page: str) -> list[str]:
    """What the page runs or loads beyond the project's own scripts, in French (empty when nothing)."""
    tree = LexborHTMLParser(page)
    problems = []
    for script in tree.css("script"):
        problem = _script_problem(script.attributes, script.text(deep=True))
        if problem:
            problems.append(problem)
    for element in tree.css(", ".join(_FORBIDDEN)):
        if (
            element.attributes.get("http-equiv") or ""
        ).lower() != "content-security-policy":  # (a policy only restricts)
            problems.append(f"élément <{element.tag}> ({element.html[:60]!r})")
    for link in tree.css("link[href]"):
        if _LOADED_LINKS & set((link.attributes.get("rel") or "").lower().split()) and not _is_same_site(
            link.attributes["href"] or ""
        ):
            problems.append(f"<link> chargé d'ailleurs : « {link.attributes['href'][:60]} »")
    for element in tree.root.traverse(include_text=False):
        for name, value in element.attributes.items():
            lowered = name.lower()
            if lowered.startswith("on") or lowered == "srcdoc":
                problems.append(f"attribut « {name} » sur <{element.tag}>")
            elif lowered in _URL_ATTRIBUTES and value:
                scheme = _scheme(value)
                image = scheme == "data" and element.tag in ("img", "source") and lowered == "src"
                if scheme in ("javascript", "vbscript", "data") and not image:
                    problems.append(f"adresse « {value[:60]} » sur <{element.tag}>")
                elif element.tag in _SAME_SITE and lowered in ("src", "action") and not _is_same_site(value):
                    problems.append(f"<{element.tag}> vers « {value[:60]} » (seul le site lui-même est permis)")
    return problems

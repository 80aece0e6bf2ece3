"""The contract of the hand-written pages in ``docs/`` (news, label pages, guides).

Communication officers and partners change these pages by pull request, and the build publishes
them: they are data, and hostile like any other. The contract:

- ``docs/`` holds Markdown pages and images or documents of a few known kinds; no link, no
  special file, no script, style sheet or HTML page of its own;
- a page's front matter has known fields (``title``, ``description``, ``date``...) read like the
  data files (French messages with lines), and its text fields are plain text;
- a page's HTML, as Markdown renders it, uses a fixed set of elements and attributes: no
  ``<script>``, ``<style>``, ``<iframe>``, form or embedded object, no event handler (``onclick``),
  no ``style`` attribute, links only to https, mailto, tel or the site itself, images only from
  the site itself, and no ``id`` that could shadow one of the site's own elements.

The HTML check runs on the rendered page, so raw HTML, ``{: attr_list}`` attributes and Markdown
links are all caught, while code shown in a code block (escaped by Markdown) is not refused.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml

from . import formats
from .contract import Bool, Choice, Date, Field, Kind, ListOf, Reader, Struct, Text, describe_node
from .diagnostics import Diagnostic, Report, display_path
from .safe_files import UnsafePath, entry_problem, read_regular
from .yaml_source import read_yaml

MARKDOWN_EXTENSIONS = ("toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition")
"""The extensions of mkdocs.yml (MkDocs always adds the first three); tests/ check they agree."""
PAGE_SUFFIXES = (".md",)
FILE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".txt", ".csv", ".ics")
MAX_PAGE_BYTES = 256 * 1024
MAX_FILE_BYTES = 10 * 1024 * 1024

ELEMENTS = frozenset("""
a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption figure
h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary sup
table tbody td tfoot th thead time tr u ul
""".split())
ATTRIBUTES = frozenset("""
alt class colspan datetime headers height href id lang open rel reversed rowspan scope src start title type width
""".split())
_URL_ATTRIBUTES = ("href", "src", "cite")
_RESERVED_IDS = re.compile(r"(?:__|md-|spro-|pagefind)", re.IGNORECASE)


def _plain(value: str) -> str | None:
    return "du texte est attendu, sans < ni > (le HTML n'est pas accepté ici)" if "<" in value or ">" in value else None


class _PostDate(Kind):
    """A blog post's ``date``: one date, or ``created`` and ``updated``."""

    _DATES = Struct(title="Dates", fields=(
        Field("created", Date(), "Date de publication.", required=True),
        Field("updated", Date(), "Date de mise à jour."),
    ))

    def read(self, node, reader, path):
        if isinstance(node, yaml.MappingNode):
            return self._DATES.read(node, reader, path)
        if isinstance(node, yaml.ScalarNode):
            return Date().read(node, reader, path)
        return reader.error(node, path, f"une date AAAA-MM-JJ est attendue, pas {describe_node(node)}")

    def json_schema(self):
        return {"oneOf": [Date().json_schema(), self._DATES.json_schema()]}

    def describe(self):
        return "date de publication AAAA-MM-JJ (ou created et updated)"


plain_text = Text(max_length=150, check=_plain)
FRONT_MATTER = Struct(title="En-tête de page", fields=(
    Field("title", plain_text, "Titre de la page (sinon, le premier titre « # » du texte)."),
    Field("description", Text(max_length=300, check=_plain), "Résumé pour les moteurs de recherche et les partages."),
    Field("date", _PostDate(), "Date de publication d'une actualité (AAAA-MM-JJ) ; une date future la programme."),
    Field("categories", ListOf(Text(max_length=60, check=_plain)), "Catégories d'une actualité."),
    Field("draft", Bool(), "Brouillon : l'actualité n'est pas publiée."),
    Field("slug", Text(max_length=80, pattern=formats.IDENTIFIER, pattern_message="lettres minuscules, chiffres et tirets"),
          "Fin de l'adresse de l'actualité."),
    Field("hide", ListOf(Choice(("navigation", "toc", "footer", "path", "feedback"), "élément à masquer")),
          "Éléments de page à masquer."),
    Field("search", Struct(title="Recherche", fields=(Field("exclude", Bool(), "Exclure la page de la recherche."),)),
          "Réglages de la recherche dans le site."),
))


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter or None, body, line number of the body's first line)."""
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return "\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1:]), index + 2
    return None, text, 1


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def html_problems(rendered: str) -> list[tuple[str, str]]:
    """(what to look for in the source, French message) for each element or attribute refused."""
    parser = _Elements()
    parser.feed(rendered)
    parser.close()
    problems = []
    for tag, attrs in parser.found:
        if tag not in ELEMENTS:
            problems.append((f"<{tag}", f"élément HTML <{tag}> non accepté : les pages s'écrivent en Markdown, "
                                        "sans script, style, cadre ni formulaire"))
            continue
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                problems.append((name, f"attribut « {name} » refusé : aucun script n'est accepté dans une page"))
            elif name not in ATTRIBUTES:
                problems.append((name, f"attribut « {name} » non accepté sur <{tag}>"))
            elif name in _URL_ATTRIBUTES:
                message = _url_problem(value, image=tag == "img")
                if message:
                    problems.append((value[:60] or name, message))
            elif name == "id" and _RESERVED_IDS.match(value):
                problems.append((value, f"identifiant « {value[:40]} » réservé au site : choisissez-en un autre"))
    return problems


def _url_problem(value: str, image: bool) -> str | None:
    compact = re.sub(r"[\x00-\x20]", "", value).lower()
    scheme = compact.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.-]*:", compact) else ""
    if image and (scheme or compact.startswith("//")):
        return f"image « {value[:60]} » hébergée ailleurs : déposez le fichier dans docs/ et liez-le par son chemin"
    if compact.startswith("//"):
        return f"lien « {value[:60]} » : écrivez l'adresse complète en https://"
    if scheme in ("", "https", "mailto", "tel"):
        return None
    if scheme == "http":
        return f"lien « {value[:60]} » non sécurisé : utilisez https://"
    return f"lien « {value[:60]} » refusé : seuls https://, mailto:, tel: et les pages du site sont acceptés"


def _line_of(needle: str, lines: list[str], first_line: int) -> int:
    lowered = needle.lower()
    for offset, line in enumerate(lines):
        if lowered in line.lower():
            return first_line + offset
    return 0


def check_page(data: bytes, shown: str, today: dt.date, extensions=MARKDOWN_EXTENSIONS) -> list[Diagnostic]:
    """Every problem of one Markdown page: encoding, front matter, rendered HTML."""
    if len(data) > MAX_PAGE_BYTES:
        return [Diagnostic(shown, 0, 0, "", f"page trop volumineuse (maximum {MAX_PAGE_BYTES // 1024} Kio)")]
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return [Diagnostic(shown, line, 0, "", "la page n'est pas encodée en UTF-8 : enregistrez-la en UTF-8")]
    diagnostics: list[Diagnostic] = []
    front, body, first_line = split_front_matter(text)
    if front is not None and front.strip():
        diagnostics += _check_front_matter(front, shown, today)
    lines = body.split("\n")
    for offset, line in enumerate(lines):
        problem = formats.invisible_character_problem(line)
        if problem:
            diagnostics.append(Diagnostic(shown, first_line + offset, 0, "", problem))
            break
    rendered = markdown.Markdown(extensions=list(extensions)).convert(body)
    for needle, message in html_problems(rendered):
        diagnostics.append(Diagnostic(shown, _line_of(needle, lines, first_line), 0, "", message))
    return diagnostics


def _check_front_matter(front: str, shown: str, today: dt.date) -> list[Diagnostic]:
    source, problems = read_yaml(front.encode("utf-8"), shown)
    # Lines inside the front matter start at line 2 of the file.
    problems = [Diagnostic(d.file, d.line + 1 if d.line else 0, d.column, d.field, d.message) for d in problems]
    if source.root is None:
        return problems
    reader = Reader(shown, today)
    FRONT_MATTER.read(source.root, reader, "")
    return [Diagnostic(d.file, d.line + 1 if d.line else 0, d.column, d.field, d.message, d.severity)
            for d in reader.diagnostics]


def check_docs(docs_root: Path, display_root: Path, today: dt.date) -> Report:
    """Every problem of ``docs/``: unexpected entries, links, file kinds and each page's contract."""
    report = Report()
    if not docs_root.exists():
        return report

    def shown(path: Path) -> str:
        return display_path(path, display_root)

    def walk(directory: Path) -> None:
        for path in sorted(directory.iterdir()):
            problem = entry_problem(path)
            if problem:
                report.add(Diagnostic(shown(path), 0, 0, "", problem))
            elif path.name.startswith("."):
                report.add(Diagnostic(shown(path), 0, 0, "", "fichier caché : il ne serait pas publié, retirez-le"))
            elif path.is_dir():
                walk(path)
            elif path.suffix.lower() in PAGE_SUFFIXES:
                try:
                    data = read_regular(docs_root, path, MAX_PAGE_BYTES)
                except UnsafePath as exc:
                    report.add(Diagnostic(shown(path), 0, 0, "", str(exc)))
                    continue
                report.extend(check_page(data, shown(path), today))
            elif path.suffix.lower() not in FILE_SUFFIXES:
                report.add(Diagnostic(shown(path), 0, 0, "", "type de fichier non accepté dans docs/ (pages .md, images "
                                                             ".png .jpg .gif .webp, documents .pdf .txt .csv .ics)"))
            elif path.stat().st_size > MAX_FILE_BYTES:
                report.add(Diagnostic(shown(path), 0, 0, "", f"fichier trop volumineux (maximum {MAX_FILE_BYTES // 2**20} Mio)"))

    problem = entry_problem(docs_root)
    if problem or not docs_root.is_dir():
        report.add(Diagnostic(shown(docs_root), 0, 0, "", problem or "un dossier est attendu"))
    else:
        walk(docs_root)
    return report


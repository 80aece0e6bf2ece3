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
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import markdown
import yaml
from selectolax.lexbor import LexborHTMLParser

from . import formats
from .contract import INVALID, Bool, Choice, Date, Field, Kind, ListOf, Reader, Struct, Text, closest, describe_node
from .diagnostics import Diagnostic, Report, Severity, display_path
from .safe_files import UnsafePath, entry_problem, read_regular
from .text import date_fr, fold
from .yaml_source import read_yaml

MARKDOWN_EXTENSIONS = ("toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition")
"""The extensions of mkdocs.yml (MkDocs always adds the first three); tests/ check they agree."""
PAGE_SUFFIXES = (".md",)
FILE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".txt", ".csv", ".ics")
NEWS_DIR = "actualites"
"""Material's blog folder (``blog_dir``); its posts are in ``<NEWS_DIR>/posts/``."""
FEED_NAME = "feed.xml"
"""The news feed, written by the adapter beside the news (``actualites/feed.xml``)."""
EXCERPT_SEPARATOR = "<!-- more -->"
"""Where a news post's excerpt ends (Material's blog)."""
_EXCERPT_LINE = re.compile(r"^[ \t]*<!-- more -->[ \t]*$", re.M)
MAX_PAGE_BYTES = 256 * 1024
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DOCS_BYTES = 200 * 1024 * 1024
"""All of docs/: a pull request cannot fill the build machine's disk or the published site."""
MAX_BRACKETS = 1000
"""Python-Markdown's link parsing is quadratic in the number of « [ » (5,000 take 3 s, 20,000 take 45 s):
a page of brackets could stall the build for hours. A page with hundreds of links stays far below."""

ELEMENTS = frozenset(
    """
a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption figure
h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary sup
table tbody td tfoot th thead time tr u ul
""".split()
)
ATTRIBUTES = frozenset(
    """
alt class colspan datetime headers height href id lang open rel reversed rowspan scope src start title type width
""".split()
)
_URL_ATTRIBUTES = ("href", "src", "cite")
_RESERVED_IDS = re.compile(r"(?:__|md-|spro-|pagefind)", re.IGNORECASE)
_MATERIAL_CLASSES = re.compile(r"(?:__|md-|pagefind)", re.IGNORECASE)
"""Classes of the theme's own elements (the site's « spro-bouton » is offered to pages: docs/label/)."""


def _plain(value: str) -> str | None:
    """Plain text: no < or >, written or as a character reference (``&lt;``), which Material's templates decode."""
    if "<" in html.unescape(value) or ">" in html.unescape(value):
        return "du texte est attendu, sans < ni > (le HTML n'est pas accepté ici, même écrit &lt; ou &gt;)"
    return None


class _PostDate(Kind):
    """A blog post's ``date``: one date, or ``created`` and ``updated``."""

    _DATES = Struct(
        title="Dates",
        fields=(
            Field("created", Date(), "Date de publication.", required=True),
            Field("updated", Date(), "Date de mise à jour."),
        ),
    )

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


def _title(value: str) -> str | None:
    """A title is also written « # {title} » in the news index's excerpts: nothing Markdown would read as markup."""
    if re.search(r"[{}\[\]`]", value):
        return "les caractères { } [ ] et ` ne sont pas acceptés dans un titre (ils seraient lus comme de la mise en forme)"
    return _plain(value)


plain_text = Text(max_length=150, check=_title)
FRONT_MATTER = Struct(
    title="En-tête de page",
    fields=(
        Field("title", plain_text, "Titre de la page (sinon, le premier titre « # » du texte)."),
        Field(
            "description", Text(max_length=300, check=_plain), "Résumé pour les moteurs de recherche et les partages."
        ),
        Field("date", _PostDate(), "Date de publication d'une actualité (AAAA-MM-JJ) ; une date future la programme."),
        Field("categories", ListOf(Text(max_length=60, check=_plain)), "Catégories d'une actualité."),
        Field("draft", Bool(), "Brouillon : l'actualité n'est pas publiée."),
        Field(
            "slug",
            Text(max_length=80, pattern=formats.IDENTIFIER, pattern_message="lettres minuscules, chiffres et tirets"),
            "Fin de l'adresse de l'actualité.",
        ),
        Field(
            "hide",
            ListOf(Choice(("navigation", "toc", "footer", "path", "feedback"), "élément à masquer")),
            "Éléments de page à masquer.",
        ),
        Field(
            "search",
            Struct(title="Recherche", fields=(Field("exclude", Bool(), "Exclure la page de la recherche."),)),
            "Réglages de la recherche dans le site.",
        ),
    ),
)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter or None, body, line number of the body's first line)."""
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return "\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1 :]), index + 2
    return None, text, 1


_END = '<p id="spro-fin-de-page"></p>'


def _elements(rendered: str) -> tuple[list[tuple[str, list[tuple[str, str | None]]]], bool, str]:
    """(tag, attributes) of each element of a rendered page, as a browser parses it (HTML5: ``<!-->`` is an empty
    comment), whether the page ends closed (no tag, comment or attribute left open to swallow what follows it),
    and the text of its first <h1> (MkDocs' page title when the front matter has none)."""

    def parse(text: str):
        tree = LexborHTMLParser(f"<body>{text}</body>")
        return tree, [
            (node.tag, list(node.attributes.items()))
            for node in tree.body.traverse(include_text=False)
            if node.tag not in ("body", "-comment")
        ]

    tree, found = parse(rendered + _END)
    closed = bool(found) and found[-1] == ("p", [("id", "spro-fin-de-page")])
    if closed:
        found.pop()
    else:  # the end marker was swallowed: read the elements without it
        tree, found = parse(rendered)
    heading = tree.css_first("h1")
    return found, closed, heading.text() if heading else ""


def html_problems(rendered: str) -> list[tuple[str | tuple[str, ...], str]]:
    """(what to look for in the source, French message) for each element or attribute refused."""
    found, closed, heading = _elements(rendered)
    problems = []
    if not closed:
        problems.append(
            ("<", "balise, attribut ou commentaire HTML non fermé à la fin de la page : fermez-le (> ou -->)")
        )
    if "<" in heading or ">" in heading:
        problems.append(("# ", "titre de la page : du texte est attendu, sans < ni > (même écrits &lt; ou &gt;)"))
    for tag, attrs in found:
        if tag not in ELEMENTS:
            problems.append(
                (
                    f"<{tag}",
                    f"élément HTML <{tag}> non accepté : les pages s'écrivent en Markdown, "
                    "sans script, style, cadre ni formulaire",
                )
            )
            continue
        for name, value in attrs:
            value = value or ""
            if "<" in value or ">" in value:
                problems.append(
                    (
                        f"{name}=",
                        f"attribut « {name} » : les caractères < et > n'y sont pas acceptés (un navigateur et le "
                        "sommaire du site ne les liraient pas de la même façon) ; écrivez-les en toutes lettres",
                    )
                )
            elif name.startswith("on"):
                problems.append((f"{name}=", f"attribut « {name} » refusé : aucun script n'est accepté dans une page"))
            elif name not in ATTRIBUTES:
                problems.append((f"{name}=", f"attribut « {name} » non accepté sur <{tag}>"))
            elif name in _URL_ATTRIBUTES:
                message = _url_problem(value, image=tag == "img")
                if message:
                    problems.append((address_needles(value[:60]) if value else name, message))
            elif name == "id" and _RESERVED_IDS.match(value):
                problems.append((value, f"identifiant « {value[:40]} » réservé au site : choisissez-en un autre"))
            elif name == "class" and any(_MATERIAL_CLASSES.match(token) for token in value.split()):
                token = next(token for token in value.split() if _MATERIAL_CLASSES.match(token))
                problems.append(
                    (
                        token,
                        f"classe « {token[:40]} » réservée au site (elle prendrait l'apparence de ses "
                        "propres éléments) : choisissez-en une autre",
                    )
                )
    return problems


def toc_problems(tokens: list[dict]) -> list[tuple[str, str]]:
    """Each section title as the table of contents shows it (Python-Markdown's ``toc``, printed unescaped by the
    theme in the page's sommaire and the navigation): text only, no markup left in it."""
    problems = []
    for token in tokens:
        if "<" in token.get("name", "") or ">" in token.get("name", ""):
            problems.append(
                (
                    "#",
                    "titre de section : du texte est attendu, sans HTML (il serait recopié tel quel dans le "
                    "sommaire de la page)",
                )
            )
        problems += toc_problems(token.get("children", []))
    return problems


PRINTED_RAW = ("title", "description")
"""Front matter the theme prints raw in attributes (<meta content="…">): see :func:`theme_safe`."""


def theme_safe(value: str) -> str:
    """A title or description as the theme may print it raw: validation refused < and >; the quote that would
    end an attribute is written as a character reference (the theme decodes references elsewhere)."""
    return html.unescape(value).replace('"', "&quot;")


def toc_title(name: str) -> str:
    """A table-of-contents entry as plain, escaped text, whatever its heading held (the adapter's last guard)."""
    tree = LexborHTMLParser(f"<body>{name}</body>")
    return html.escape(tree.body.text() if tree.body else "", quote=False)


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


def address_needles(address: str) -> tuple[str, ...]:
    """Where an address is written in Markdown or HTML, most specific first (« x » alone is in many words)."""
    return (f"]({address}", f'="{address}', f"='{address}", f"<{address}>", address)


def line_of(needle: str | tuple[str, ...], lines: list[str], first_line: int) -> int:
    """The first line holding the most specific of the needles (an attribute's « name= », else its name alone),
    0 when none does."""
    needles = (needle,) if isinstance(needle, str) else needle
    wanted_first = [n.lower() for n in needles] + [n.lower().rstrip("=") for n in needles]
    for wanted in dict.fromkeys(wanted_first):
        for offset, line in enumerate(lines):
            if wanted and wanted in line.lower():
                return first_line + offset
    return 0


@dataclass(frozen=True)
class SiteTargets:
    """What a link in docs/ may point to: the files of docs/ and, when known, the files the build generates.

    Paths are relative to the site's source root, pages by their ``.md`` source (``lieux/x.md``).
    """

    docs: frozenset[str]
    generated: frozenset[str] | None = None
    """None when the data could not be read: links to generated pages are then left unchecked."""

    def exists(self, path: str) -> bool | None:
        if path in self.docs:
            return True
        return None if self.generated is None else path in self.generated

    def page_of(self, directory: str) -> str | None:
        """The Markdown source of the page published at a directory URL (``agenda/`` -> ``agenda/index.md``)."""
        directory = directory.strip("/")
        for candidate in ((f"{directory}/index.md" if directory else "index.md"), f"{directory}.md"):
            if self.exists(candidate):
                return candidate
        return None

    def all(self) -> list[str]:
        return sorted(self.docs | (self.generated or frozenset()))


def link_problem(value: str, source: str, targets: SiteTargets, image: bool = False) -> str | None:
    """Why an internal link of the page ``source`` (path in docs/) leads nowhere, in French; None when fine.

    MkDocs rewrites links to ``.md`` files into the page's address; any other relative link is used as
    written, from the page's *address* (``label/charte/`` for ``label/charte.md``), so a link to a folder
    lands elsewhere than it seems. Links starting with « / » leave the site, which lives under a sub-path.
    """
    written = value.strip()
    if (
        not written
        or written.startswith("#")
        or written.startswith("//")
        or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", written)
    ):
        return None  # same page, or another site (html_problems checks the scheme)
    path = unquote(written.split("#", 1)[0].split("?", 1)[0])
    here = posixpath.dirname(source)
    what = "image" if image else "lien"
    if path.startswith("/"):
        parts = path.strip("/").split("/")
        meant = targets.page_of("/".join(parts)) or (targets.page_of("/".join(parts[1:])) if len(parts) > 1 else None)
        if meant is None and targets.exists(path.strip("/")):
            meant = path.strip("/")
        advice = f" : « {posixpath.relpath(meant, here or '.')} »" if meant else ""
        return (
            f"{what} « {written[:60]} » : un lien qui commence par « / » sort du site (publié sous sa propre adresse, "
            f"par exemple …/annuaire/) ; écrivez un lien relatif vers le fichier de la page{advice}"
        )
    if not path:
        return None
    resolved = posixpath.normpath(posixpath.join(here, path))
    if resolved == ".." or resolved.startswith("../"):
        return f"{what} « {written[:60]} » : il sort du dossier docs/ (trop de « ../ »)"
    resolved = "" if resolved == "." else resolved
    found = targets.exists(resolved)
    if found:
        return None
    page = None if image or path.endswith(".md") else targets.page_of(resolved)
    if page:
        return (
            f"{what} « {written[:60]} » : écrivez le chemin du fichier de la page, « {posixpath.relpath(page, here or '.')} » "
            "(un lien vers un dossier ne mène pas au même endroit depuis toutes les pages)"
        )
    if found is None:
        return None  # perhaps a generated file: unknown while the data cannot be read
    missing = (
        f"la page « {resolved} » n'existe pas"
        if path.endswith(".md")
        else "aucune page ni aucun fichier du site à cette adresse"
    )
    same_kind = [
        p for p in targets.all() if posixpath.splitext(p)[1].lower() == posixpath.splitext(resolved)[1].lower()
    ]
    guess = closest(resolved, same_kind)
    return f"{what} « {written[:60]} » : {missing}" + (
        f". Vouliez-vous dire « {posixpath.relpath(guess, here or '.')} » ?" if guess else ""
    )


def _links(rendered: str) -> list[tuple[str, str]]:
    """(tag, address) of each link and image of rendered HTML."""
    return [
        (tag, value or "")
        for tag, attrs in _elements(rendered)[0]
        for name, value in attrs
        if (tag, name) in (("a", "href"), ("img", "src"))
    ]


@dataclass
class _Post:
    """What the checks across news posts need from one post."""

    shown: str
    categories: list[tuple[str, int]]
    """(category, line)."""


def check_page(
    data: bytes,
    shown: str,
    today: dt.date,
    extensions=MARKDOWN_EXTENSIONS,
    source: str | None = None,
    targets: SiteTargets | None = None,
    post: _Post | None = None,
) -> list[Diagnostic]:
    """Every problem of one Markdown page: encoding, front matter, rendered HTML, and (given its ``source`` path
    in docs/ and the site's ``targets``) its internal links. ``post``: the page is a news post, whose
    categories are collected there."""
    if len(data) > MAX_PAGE_BYTES:
        return [Diagnostic(shown, 0, 0, "", f"page trop volumineuse (maximum {MAX_PAGE_BYTES // 1024} Kio)")]
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return [Diagnostic(shown, line, 0, "", "la page n'est pas encodée en UTF-8 : enregistrez-la en UTF-8")]
    diagnostics: list[Diagnostic] = []
    front, body, first_line = split_front_matter(text)
    header: _FrontMatter | None = _FrontMatter({}, {})
    if front is not None and front.strip():
        header, problems = _read_front_matter(front, shown, today)
        diagnostics += problems
    lines = body.split("\n")
    for offset, line in enumerate(lines):
        problem = formats.invisible_character_problem(line)
        if problem:
            diagnostics.append(Diagnostic(shown, first_line + offset, 0, "", problem))
            break
    if post is not None and header is not None:
        diagnostics += _check_post(header, body, shown, today, post)
    if body.count("[") > MAX_BRACKETS:
        diagnostics.append(
            Diagnostic(
                shown,
                first_line,
                0,
                "",
                f"trop de crochets « [ » ({body.count('[')}, au plus {MAX_BRACKETS} par page) : découpez la page",
            )
        )
        return diagnostics
    converter = markdown.Markdown(extensions=list(extensions))
    rendered = converter.convert(body)
    for needle, message in html_problems(rendered) + toc_problems(getattr(converter, "toc_tokens", [])):
        diagnostics.append(Diagnostic(shown, line_of(needle, lines, first_line), 0, "", message))
    if post is not None and body.count(EXCERPT_SEPARATOR) != len(re.findall(_EXCERPT_LINE, body)):
        diagnostics.append(
            Diagnostic(
                shown,
                line_of(EXCERPT_SEPARATOR, lines, first_line),
                0,
                "",
                f"« {EXCERPT_SEPARATOR} » marque la fin de l'extrait : écrivez-le seul sur sa ligne, hors de tout HTML",
            )
        )
    if source is not None and targets is not None:
        for tag, address in _links(rendered):
            message = link_problem(address, source, targets, image=tag == "img")
            if message:
                diagnostics.append(
                    Diagnostic(shown, line_of(address_needles(address), lines, first_line), 0, "", message)
                )
    return diagnostics


@dataclass(frozen=True)
class _FrontMatter:
    values: dict
    """The fields that passed the contract."""
    lines: dict[str, int]
    """Line in the file of each field written (valid or not)."""


def _read_front_matter(front: str, shown: str, today: dt.date) -> tuple[_FrontMatter | None, list[Diagnostic]]:
    """The front matter (None when unreadable) and its problems, at their lines in the file."""
    source, problems = read_yaml(front.encode("utf-8"), shown)
    problems = [Diagnostic(d.file, d.line + 1 if d.line else 0, d.column, d.field, d.message) for d in problems]
    if source.root is None:
        return None, problems
    reader = Reader(shown, today)
    values = FRONT_MATTER.read(source.root, reader, "")
    header = (
        None
        if values is INVALID
        else _FrontMatter(values, {name: line + 1 for name, (line, _) in reader.positions.items() if name and line})
    )
    return header, [
        Diagnostic(d.file, d.line + 1 if d.line else 0, d.column, d.field, d.message, d.severity)
        for d in reader.diagnostics
    ]


def _check_post(header: _FrontMatter, body: str, shown: str, today: dt.date, post: _Post) -> list[Diagnostic]:
    """A news post has a date and a title; a future date schedules it (Material's ``draft_if_future_date``)."""
    values, lines = header.values, header.lines
    found: list[Diagnostic] = []
    if "date" not in lines:
        found.append(
            Diagnostic(
                shown,
                1,
                0,
                "date",
                "date de publication manquante : commencez l'actualité par un en-tête "
                "« --- », « date: AAAA-MM-JJ », « --- » (voir le guide « Publier »)",
            )
        )
    if "title" not in lines and not re.search(r"^#\s+\S", body, re.M):
        found.append(
            Diagnostic(
                shown,
                1,
                0,
                "title",
                "titre manquant : écrivez le titre sur une ligne « # Titre de l'actualité » sous l'en-tête",
            )
        )
    created = values.get("date")
    created = created.get("created") if isinstance(created, dict) else created
    if isinstance(created, dt.date) and created > today:
        line = lines.get("date", 1)
        if values.get("draft") is True:
            pass  # a draft says so itself
        elif values.get("draft") is False:
            found.append(
                Diagnostic(
                    shown,
                    line,
                    0,
                    "date",
                    f"date future ({date_fr(created)}) mais « draft: false » : "
                    "l'actualité est publiée dès maintenant ; retirez « draft: false » pour la programmer",
                    Severity.WARNING,
                )
            )
        else:
            found.append(
                Diagnostic(
                    shown,
                    line,
                    0,
                    "date",
                    f"actualité programmée pour le {date_fr(created)} : elle sera "
                    "publiée par la première mise à jour du site à partir de cette date (le site est "
                    "reconstruit chaque jour)",
                    Severity.NOTICE,
                )
            )
    line = lines.get("categories", 1)
    post.categories += [(category, line) for category in values.get("categories", ())]
    return found


def _category_warnings(posts: list[_Post]) -> list[Diagnostic]:
    """A category used less than a close one (« Evenements » beside « Événements ») is probably a typo."""
    uses: dict[str, int] = {}
    for post in posts:
        for category, _ in post.categories:
            uses[category] = uses.get(category, 0) + 1
    found = []
    for post in posts:
        for category, line in post.categories:
            others = [c for c in uses if c != category and uses[c] >= uses[category]]
            twin = next((c for c in others if fold(c) == fold(category)), None) or closest(category, others, cutoff=0.8)
            if twin:
                found.append(
                    Diagnostic(
                        post.shown,
                        line,
                        0,
                        "categories",
                        f"catégorie « {category} » : vouliez-vous dire "
                        f"« {twin} », déjà employée ? Chaque catégorie différente a sa propre page",
                        Severity.WARNING,
                    )
                )
    return found


def check_docs(
    docs_root: Path,
    display_root: Path,
    today: dt.date,
    generated: frozenset[str] | None = None,
    news_dir: str = NEWS_DIR,
) -> Report:
    """Every problem of ``docs/``: unexpected entries, links, file kinds, each page's contract, news posts.

    ``generated``: the paths the build adds to the site (:func:`build_tools.generate.generated_paths`);
    without them, links to generated pages are not checked.
    """
    report = Report()
    if not docs_root.exists():
        return report

    def shown(path: Path) -> str:
        return display_path(path, display_root)

    pages: list[Path] = []
    files: list[str] = []
    total = [0]

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
                pages.append(path)
                files.append(path.relative_to(docs_root).as_posix())
            elif path.suffix.lower() not in FILE_SUFFIXES:
                report.add(
                    Diagnostic(
                        shown(path),
                        0,
                        0,
                        "",
                        "type de fichier non accepté dans docs/ (pages .md, images "
                        ".png .jpg .gif .webp, documents .pdf .txt .csv .ics)",
                    )
                )
            elif path.stat().st_size > MAX_FILE_BYTES:
                report.add(
                    Diagnostic(
                        shown(path), 0, 0, "", f"fichier trop volumineux (maximum {MAX_FILE_BYTES // 2**20} Mio)"
                    )
                )
            else:
                files.append(path.relative_to(docs_root).as_posix())
            if path.is_file() and not path.is_symlink():
                total[0] += path.stat().st_size

    problem = entry_problem(docs_root, check_name=False)
    if problem or not docs_root.is_dir():
        report.add(Diagnostic(shown(docs_root), 0, 0, "", problem or "un dossier est attendu"))
        return report
    walk(docs_root)
    if total[0] > MAX_DOCS_BYTES:
        report.add(
            Diagnostic(
                shown(docs_root),
                0,
                0,
                "",
                f"dossier trop volumineux ({total[0] // 2**20} Mio, au plus "
                f"{MAX_DOCS_BYTES // 2**20} Mio) : retirez des fichiers",
            )
        )
    feed = f"{news_dir}/{FEED_NAME}"
    targets = SiteTargets(frozenset(files) | {feed}, None if generated is None else generated | {feed})
    posts: list[_Post] = []
    for path in pages:
        try:
            data = read_regular(docs_root, path, MAX_PAGE_BYTES)
        except UnsafePath as exc:
            report.add(Diagnostic(shown(path), 0, 0, "", str(exc)))
            continue
        relative = path.relative_to(docs_root).as_posix()
        post = _Post(shown(path), []) if relative.startswith(f"{news_dir}/posts/") else None
        report.extend(check_page(data, shown(path), today, source=relative, targets=targets, post=post))
        if post is not None:
            posts.append(post)
    report.extend(_category_warnings(posts))
    return report

"""The build, whatever renders the pages: sources in, generated files out, then one pass over the output.

    prepare(project)      data/ and docs/ validated (InvalidSources otherwise), positions,
                          then generate_site(): every generated page, JSON, export, feed and map file
    <a renderer>          MkDocs + Material (mkdocs_adapter/) or Zensical (zensical_build.py) turns pages into HTML
    finish(site, Finishing.of(prepared, news))
                          Pagefind over the HTML (all but the lieu pages), the Atom feed, then every page checked for
                          active content (the build stops) and given its Content-Security-Policy

Nothing here imports a renderer: a renderer is an adapter that calls these two functions.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from .active_content import active_content
from .csp import with_policy
from .diagnostics import Diagnostic, Severity
from .docs_contract import check_docs
from .export_pieces import MADE, KeptExportPieces
from .generate import SiteOptions, generate_site, generated_paths
from .generate.feed import FeedEntry, atom
from .generate.output import GeneratedFile, GeneratedPage
from .generate.tiles import Tiles
from .loader import DataLoader
from .model import Dataset
from .positions import Geography, locate
from .previous_output import rewrite
from .site_search import SearchIndexFailed, SearchReuse, index_site_search


class InvalidSources(Exception):
    """The data or docs/ break their contract: the build stops, and the diagnostics say where."""

    HEADLINE = "Données invalides, le site n'est pas construit :"

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics), key=lambda d: (d.file, d.line, d.column, d.field, d.message))
        super().__init__(self.HEADLINE + "\n" + "\n".join(d.as_text() for d in self.diagnostics))

    def __reduce__(self):  # (pickled by a second rendering process: made again from its diagnostics)
        return type(self), (self.diagnostics,)


class BuildFailed(Exception):
    """The build could not finish (a tool failed, a page holds active content): French message."""


def build_date() -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            day = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            day = None
        if day is None or not 2000 <= day.year <= 2100:
            raise BuildFailed(
                f"SOURCE_DATE_EPOCH : « {epoch[:40]} » : nombre de secondes depuis le 1er janvier 1970 "
                "attendu, pour une date entre 2000 et 2100 (ex. 1795219200 pour le 21 novembre 2026)"
            )
        return day
    return dt.date.today()


@dataclass
class Prepared:
    dataset: Dataset
    geography: Geography
    options: SiteOptions
    generated: list[GeneratedFile | GeneratedPage]
    notes: list[Diagnostic] = field(default_factory=list)
    """Warnings and notices of the validation (a build never fails on them)."""

    @property
    def pages(self) -> dict[str, GeneratedPage]:
        return {f.path: f for f in self.generated if f.is_page}


def prepare(
    project: Path,
    data_dir: Path,
    docs_dir: Path,
    site_url: str | None,
    news_dir: str,
    reuse_reads: bool = False,
) -> Prepared:
    """Validate ``data_dir`` and ``docs_dir`` (paths of the project), then generate the site's own files.
    ``reuse_reads``: the lieu files read by an earlier build are taken again when unchanged (:mod:`.read_cache`),
    and so are the exports' pieces of the lieux (:mod:`.export_pieces`).

    What this makes lives as long as the build. Python's cyclic garbage collector walked it again each time it had
    grown by a quarter, and found nothing (4 s of a 30,000-lieu build): it is left out, frozen once made (what it
    drops is still freed; a preview, which builds again and again, unfreezes it after each build)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _prepare(project, data_dir, docs_dir, site_url, news_dir, reuse_reads)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _prepare(
    project: Path,
    data_dir: Path,
    docs_dir: Path,
    site_url: str | None,
    news_dir: str,
    reuse_reads: bool,
) -> Prepared:
    loader = DataLoader(data_dir, display_root=project, reuse_reads=reuse_reads)
    dataset = loader.load()
    report = loader.report
    generated = generated_paths(dataset) if dataset is not None else None
    report.extend(check_docs(docs_dir, project, loader.today, generated, news_dir).diagnostics)
    if report.errors or dataset is None:
        raise InvalidSources(report.errors)
    geography = locate(dataset, loader.geocache)
    options = SiteOptions(build_date=build_date(), tiles=Tiles.of(dataset.site), site_url=site_url or None)
    notes = report.warnings + report.notices
    if geography.missing:
        notes.append(Diagnostic("", 0, 0, "", not_geocoded_notice(geography), Severity.NOTICE))
    pieces_of = (lambda path: KeptExportPieces.of(project, path)) if reuse_reads else (lambda path: MADE)
    return Prepared(dataset, geography, options, generate_site(dataset, geography, options, pieces_of), notes)


NAMED_NOT_GEOCODED = 5
"""Lieu files the notice of addresses not geocoded yet names (``spro geocode --offline`` lists them all)."""


def not_geocoded_notice(geography: Geography) -> str:
    """The addresses missing from the geocoding cache, with the files that need them: where those lieux are shown
    until ``spro geocode`` runs."""
    files = sorted({request.used_by for request in geography.missing})
    named = ", ".join(files[:NAMED_NOT_GEOCODED])
    if len(files) > NAMED_NOT_GEOCODED:
        named += f" et {len(files) - NAMED_NOT_GEOCODED} autre(s)"
    return (
        f"{len(geography.missing)} adresse(s) sans géocodage en cache ({named}) : ces lieux sont placés au centre de "
        "leur commune ; lancez « spro geocode » pour les placer à leur adresse"
    )


@dataclass(frozen=True)
class Finishing:
    """What the pass over the built HTML needs, and no more: small and picklable, so that the MkDocs adapter can
    render in a child process and finish in the parent, whose memory is then small beside Pagefind's."""

    lieu_ids: frozenset[str]
    """The lieux, whose pages site search leaves to the finder's index (:func:`index_site_search`)."""
    tiles_origin: str
    site_url: str | None
    build_date: dt.date
    feed: tuple[str, str, tuple[FeedEntry, ...]] | None
    """The news feed: its path in the site, the site's title, the entries."""
    secured: frozenset[str]
    """The pages, by path in the site, that the renderer passed through :func:`secure_page` as it wrote them."""
    reuse: bool = False
    """Whether outputs of earlier builds may be taken again (the renderer's cache is on): Pagefind's."""

    @classmethod
    def of(
        cls,
        prepared: Prepared,
        feed: tuple[str, str, list[FeedEntry]] | None,
        secured: frozenset[str] = frozenset(),
        reuse: bool = False,
    ) -> Finishing:
        entries = None if feed is None else (feed[0], feed[1], tuple(feed[2]))
        options = prepared.options
        return cls(
            frozenset(prepared.dataset.lieux),
            options.tiles.origin,
            options.site_url,
            options.build_date,
            entries,
            secured,
            reuse,
        )


def finish(site_dir: Path, finishing: Finishing, search: SearchReuse | None = None) -> None:
    """The pass over the built HTML: site search, the news feed, then each page's active-content check and security
    policy (but for the pages already secured). ``search``: where Pagefind's output may be taken from."""
    try:
        index_site_search(site_dir, finishing.lieu_ids, search)
    except SearchIndexFailed as failure:
        raise BuildFailed(str(failure)) from None
    if finishing.feed is not None and finishing.site_url:
        path, title, entries = finishing.feed
        site_url = finishing.site_url
        text = atom(f"Actualités – {title}", site_url, urljoin(site_url, path), list(entries), finishing.build_date)
        (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / path).write_text(text, encoding="utf-8")
    secure_pages(site_dir, finishing.tiles_origin, finishing.secured)


def html_files(site_dir: Path) -> list[str]:
    """Every ``*.html`` file under ``site_dir`` (links to folders not followed), by path in the site, in the order of
    their paths' parts. A folder that cannot be listed stops the build: none is left unchecked. (``os.walk``:
    ``Path.rglob``, sorting the paths and making them relative took 2.5 s of a 30,000-lieu build, this 0.8 s.)"""
    root = os.path.join(site_dir, "")
    found = []
    for folder, _, names in os.walk(root, onerror=_unlistable):
        prefix = os.path.join(folder, "")[len(root) :].replace(os.sep, "/")
        found += [prefix + name for name in names if name.endswith(".html")]
    return sorted(found, key=lambda where: where.split("/"))


def _unlistable(error: OSError) -> None:
    raise BuildFailed(f"dossier du site illisible ({error.filename}) : {error.strerror}, construction arrêtée")


def secure_page(page: str, where: str, tiles_origin: str) -> str:
    """One page checked for active content the project does not emit (the build stops) and given its policy."""
    unexpected = active_content(page)
    if unexpected:  # its presence means something got past validation
        raise BuildFailed(f"{where} contient un contenu actif inattendu ({unexpected[0]}) : construction arrêtée")
    return with_policy(page, tiles_origin)


def secure_pages(site_dir: Path, tiles_origin: str, secured: frozenset[str] = frozenset()) -> None:
    """Every HTML file not secured yet (``secured``: paths in the site), read, checked and rewritten. Should one hold
    active content, it and those not checked yet are removed before the build stops: a site folder written in place
    (plain ``mkdocs build``) keeps no page unchecked."""
    unchecked = [(site_dir / where, where) for where in html_files(site_dir) if where not in secured]
    for number, (path, where) in enumerate(unchecked):
        with path.open(encoding="utf-8", newline="") as file:  # (its bytes as they are: no newline translated)
            page = file.read()
        try:
            rewrite(path, secure_page(page, where, tiles_origin))
        except BuildFailed:
            for left, _ in unchecked[number:]:
                left.unlink()
            raise

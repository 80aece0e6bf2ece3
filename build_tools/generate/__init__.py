"""Pure generators: the validated model in, the site's files out (no MkDocs here)."""

from __future__ import annotations

import json
from collections.abc import Callable

from ..export_pieces import MADE, ExportPieces
from ..field_reference import sections as field_sections
from ..field_reference import spreadsheet_columns
from ..finder import finder_index
from ..model import Dataset
from ..places import gazetteer_json
from ..positions import Geography
from . import agenda, exports, maps, pages
from .assets import static_assets
from .output import GeneratedFile, GeneratedPage
from .pages import SiteContext
from .render import page
from .site_view import SiteOptions

__all__ = ["GeneratedFile", "GeneratedPage", "SiteOptions", "generate_site", "generated_paths"]

_FIXED_PAGES = (
    "index.md",
    "plan-du-site.md",
    "trouver/index.md",
    "agenda/index.md",
    "contribuer/champs.md",
    "recherche/index.md",
    "bassins/index.md",
    "services/index.md",
    "reseaux/index.md",
    "metiers/index.md",
    "label/lieux-labellises.md",
    "carte/index.md",
    "donnees/index.md",
)
_FIXED_FILES = (
    "agenda/agenda.ics",
    "trouver/index.json",
    "trouver/communes.json",
    "carte/carte.html",
    "carte/donnees.js",
    "donnees/lieux.csv",
    "donnees/lieux.geojson",
    "donnees/data-inclusion/structures.json",
    "donnees/data-inclusion/services.json",
)


def generated_paths(dataset: Dataset) -> frozenset[str]:
    """The paths :func:`generate_site` writes for this dataset (pages by their ``.md`` source), static assets
    aside, without rendering anything: the links of docs/ pages are checked against them (a test keeps both equal)."""
    paths = [*_FIXED_PAGES, *_FIXED_FILES]
    for folder, codes in (
        ("lieux", dataset.lieux),
        ("bassins", dataset.bassins),
        ("services", dataset.services),
        ("reseaux", dataset.reseaux),
        ("metiers", dataset.metiers),
    ):
        paths += [f"{folder}/{code}.md" for code in codes]
    for code in dataset.bassins:
        paths += [f"bassins/{code}/agenda.ics", f"bassins/{code}/carte.html", f"bassins/{code}/donnees.js"]
    return frozenset(paths)


def generate_site(
    dataset: Dataset,
    geography: Geography,
    options: SiteOptions,
    pieces_of: Callable[[str], ExportPieces] = lambda path: MADE,
) -> list[GeneratedFile | GeneratedPage]:
    """``pieces_of(path)``: where the export at ``path`` takes its lieux's pieces from (:mod:`..export_pieces`)."""
    ctx = SiteContext(dataset, geography, options)
    files = pages.all_pages(ctx)
    files.append(
        page(
            "trouver/index.md",
            "Trouver un lieu",
            "trouver.html",
            in_nav=True,
            ctx=ctx,
            hide=("navigation", "toc"),
            description="Trouver le lieu d'accueil le plus proche pour s'informer sur les métiers, la formation, la VAE.",
        )
    )
    files += [agenda.agenda_page(ctx), *agenda.feeds(ctx)]
    codes = {
        "services": sorted(dataset.services),
        "reseaux": sorted(dataset.reseaux),
        "publics": sorted(dataset.publics),
        "bassins": sorted(dataset.bassins),
    }
    files.append(
        page(
            "contribuer/champs.md",
            "Les champs des fiches",
            "champs.html",
            ctx=ctx,
            sections=field_sections(codes),
            colonnes=spreadsheet_columns(),
            description="Ce que contient chaque champ des fiches de l'annuaire, pour les contributeurs.",
        )
    )
    files.append(page("recherche/index.md", "Rechercher", "recherche.html", ctx=ctx))
    index = finder_index(dataset, geography, options.build_date)
    files.append(GeneratedFile("trouver/index.json", json.dumps(index, ensure_ascii=False, separators=(",", ":"))))
    communes = gazetteer_json(dataset.communes, dataset.communes_deleguees)
    files.append(
        GeneratedFile("trouver/communes.json", json.dumps(communes, ensure_ascii=False, separators=(",", ":")))
    )
    for folder, (document, data) in [("carte", maps.region_map(ctx))] + [
        (f"bassins/{b.code}", maps.basin_map(ctx, b)) for b in dataset.bassins.values()
    ]:
        files += [GeneratedFile(f"{folder}/carte.html", document), GeneratedFile(f"{folder}/donnees.js", data)]
    site, lieux, positions = ctx.view, dataset.lieux.values(), geography.positions
    files += [  # made in pieces as they are written (made whole, a third of the memory of a 30,000-lieu build)
        GeneratedFile(path, lambda make=make, path=path: make(site, lieux, positions, pieces_of(path)))
        for path, make in (
            ("donnees/lieux.csv", exports.lieux_csv),
            ("donnees/lieux.geojson", exports.lieux_geojson),
            ("donnees/data-inclusion/structures.json", exports.data_inclusion_structures),
            ("donnees/data-inclusion/services.json", exports.data_inclusion_services),
        )
    ]
    return files + static_assets()

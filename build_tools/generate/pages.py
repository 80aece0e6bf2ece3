"""Generated Markdown pages: home, lieux, basins, services, networks, job sheets, label, map, data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from .. import records
from ..horaires_tables import schedule
from ..model import Bassin, Dataset, Lieu, Public, Reseau, Service, Site
from ..positions import Geography, Position
from .exports import CSV_COLUMNS
from .hours import weekly_table
from .output import GeneratedPage
from .render import page
from .tiles import Tiles

MODALITES = {code: label[0].lower() + label[1:] for code, label in records.MODALITES.items()}
"""In a sentence: « Accueil : sur place, par téléphone. »"""


@dataclass(frozen=True)
class SiteOptions:
    build_date: dt.date
    tiles: Tiles = Tiles()
    site_url: str | None = None

    @property
    def tiles_url(self) -> str:
        return self.tiles.url

    @property
    def tiles_attribution_html(self) -> str:
        return self.tiles.attribution_html


@dataclass
class SiteContext:
    """The model plus the groupings every page needs, computed once."""

    dataset: Dataset
    geography: Geography
    options: SiteOptions
    by_bassin: dict[str, list[Lieu]] = field(default_factory=dict)
    by_service: dict[str, list[Lieu]] = field(default_factory=dict)
    by_reseau: dict[str, list[Lieu]] = field(default_factory=dict)
    labellises: list[Lieu] = field(default_factory=list)
    modalites: dict[str, str] = field(default_factory=lambda: dict(MODALITES))

    def __post_init__(self):
        data = self.dataset
        self.by_bassin = {code: [] for code in data.bassins}
        self.by_service = {code: [] for code in data.services}
        self.by_reseau = {code: [] for code in data.reseaux}
        for lieu in sorted(data.lieux.values(), key=lambda l: (l.adresse.commune, l.nom, l.id)):
            self.by_bassin[lieu.bassin].append(lieu)
            self.by_reseau[lieu.reseau].append(lieu)
            for service in lieu.services:
                self.by_service[service].append(lieu)
            if lieu.labellise:
                self.labellises.append(lieu)

    @functools.cached_property
    def lieu_site(self) -> LieuSite:
        return LieuSite(
            self.site, self.services, self.reseaux, self.publics, self.bassins, self.modalites, self.options
        )

    def evenements_a_venir(self, bassin: str | None = None) -> list:
        """Events not over at the build date (the weekly rebuild moves the line), by date."""
        today = self.options.build_date
        return [e for e in self.dataset.evenements.values() if e.a_venir(today) and bassin in (None, e.bassin)]

    # shortcuts used by templates
    @property
    def site(self):
        return self.dataset.site

    @property
    def services(self):
        return self.dataset.services

    @property
    def reseaux(self):
        return self.dataset.reseaux

    @property
    def publics(self):
        return self.dataset.publics

    @property
    def bassins(self):
        return self.dataset.bassins


def by_bassin(lieux: list[Lieu]) -> dict[str, list[Lieu]]:
    grouped: dict[str, list[Lieu]] = defaultdict(list)
    for lieu in lieux:
        grouped[lieu.bassin].append(lieu)
    return grouped


def home(ctx: SiteContext) -> GeneratedPage:
    return page(
        "index.md",
        "Accueil",
        "accueil.html",
        in_nav=True,
        ctx=ctx,  # <title>: « Accueil - <site> »
        description=f"Lieux d'accueil du Service public régional de l'orientation en {ctx.site.region}.",
    )


@dataclass(frozen=True)
class LieuSite:
    """All a lieu page may read of the site besides its lieu and that lieu's position: lieu.html and the Python
    making its context get this, never :class:`SiteContext`. A page is taken from an earlier build without being
    rendered when these, its lieu and its position are the same (:meth:`inputs`: the page cache's key), so what is
    not here cannot be read, rather than read and left out of the key: a lieu page showing more of the site (other
    lieux, events) adds it here, where it enters the key, or the template fails on it."""

    site: Site
    services: dict[str, Service]
    reseaux: dict[str, Reseau]
    publics: dict[str, Public]
    bassins: dict[str, Bassin]
    modalites: dict[str, str]
    options: SiteOptions

    @functools.cached_property
    def _digest(self) -> bytes:
        every_field = tuple(getattr(self, field.name) for field in dataclasses.fields(self))  # (none left out)
        return hashlib.sha256(pickle.dumps(every_field, protocol=5)).digest()

    def inputs(self, lieu: Lieu, position: Position | None) -> str:
        """A digest of what the page of ``lieu`` is made of (the code and templates enter the cache's key
        elsewhere: :mod:`build_tools.mkdocs_adapter.page_keys`). Equal objects could pickle differently (a string
        shared or not): a page then is rendered again, never stale."""
        return hashlib.sha256(self._digest + pickle.dumps((lieu, position), protocol=5)).hexdigest()


def lieu_page(ctx: SiteContext, lieu: Lieu) -> GeneratedPage:
    shared, position = ctx.lieu_site, ctx.geography.positions.get(lieu.id)
    return page(
        f"lieux/{lieu.id}.md",
        lieu.nom,
        "lieu.html",
        description=f"{ctx.reseaux[lieu.reseau].nom} à {lieu.adresse.commune} : adresse, horaires, services et contact.",
        context_of=lambda: _lieu_context(shared, lieu, position),
        inputs=lambda: shared.inputs(lieu, position),
    )


def _lieu_context(ctx: LieuSite, lieu: Lieu, position: Position | None) -> dict:
    """What lieu.html shows, computed when the page is written: held for every lieu at once, it was a tenth of
    the build's memory."""
    today = ctx.options.build_date
    site = ctx.site
    fermetures = [f for f in lieu.fermetures if f.au >= today]
    en_cours = next((f for f in fermetures if f.du <= today), None)
    semaine = weekly_table(lieu.horaires, today) if lieu.horaires else None
    horaires_data = (
        {  # for assets/lieu.js: « ouvert maintenant » and today in the table, for any date
            "reference": today.isoformat(),
            "horaires": schedule(lieu.horaires, today).as_json(today),
            "fermetures": [[(f.du - today).days, (f.au - today).days] for f in fermetures],
        }
        if lieu.horaires
        else None
    )
    report = urlencode(
        {"template": "signaler-erreur.yml", "title": f"Erreur sur la fiche « {lieu.nom} »", "fiche": lieu.source}
    )
    page_address = (
        f"{ctx.options.site_url.rstrip('/')}/lieux/{lieu.id}/" if ctx.options.site_url else f"lieux/{lieu.id}/"
    )
    report_mail = (
        f"mailto:{site.courriel_signalement}?"
        + urlencode(
            {
                "subject": f"Erreur sur la fiche « {lieu.nom} » ({lieu.id})",
                "body": f"Fiche : {page_address}\n\nCe qui est faux, et ce qu'il faudrait écrire :\n\n",
            },
            quote_via=quote,
        )
        if site.courriel_signalement
        else None
    )
    return {
        "ctx": ctx,
        "lieu": lieu,
        "position": position,
        "semaine": semaine,
        "horaires_data": horaires_data,
        "fermetures": fermetures,
        "fermeture_en_cours": en_cours,
        "edit_url": f"{site.depot}/edit/{site.branche}/{lieu.source}",
        "report_url": f"{site.depot}/issues/new?{report}",
        "report_mail": report_mail,
        "json_ld": json_ld(ctx, lieu, position, semaine),
    }


_SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def json_ld(ctx: LieuSite, lieu: Lieu, position, semaine) -> dict:
    """schema.org description of the place (escaped for a script block by the template)."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "@id": f"#lieu-{lieu.id}",
        "name": lieu.nom,
        "isAccessibleForFree": True,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(filter(None, (lieu.adresse.voie, lieu.adresse.complement))),
            "postalCode": lieu.adresse.code_postal,
            "addressLocality": lieu.adresse.commune,
            "addressCountry": "FR",
        },
        "parentOrganization": {"@type": "Organization", "name": lieu.structure or ctx.reseaux[lieu.reseau].nom},
        "areaServed": ctx.bassins[lieu.bassin].nom,
        "availableService": [{"@type": "Service", "name": ctx.services[code].nom} for code in lieu.services],
    }
    if lieu.description:
        data["description"] = lieu.description
    if position:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": position.lat, "longitude": position.lon}
    contact = lieu.contact
    if contact.telephone:
        data["telephone"] = contact.telephone
    if contact.courriel:
        data["email"] = contact.courriel
    if contact.site:
        data["url"] = contact.site
    if semaine:
        data["openingHoursSpecification"] = [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": _SCHEMA_DAYS[index], "opens": opens, "closes": closes}
            for index, day in enumerate(semaine.jours)
            for opens, closes in day.plages
        ]
    if lieu.accessibilite.pmr is not None:
        data["amenityFeature"] = {
            "@type": "LocationFeatureSpecification",
            "name": "Accès en fauteuil roulant",
            "value": lieu.accessibilite.pmr,
        }
    return data


def bassin_pages(ctx: SiteContext) -> list[GeneratedPage]:
    files = [page("bassins/index.md", "Les bassins d'emploi", "bassins.html", in_nav=True, ctx=ctx)]
    metiers_by_bassin: dict[str, list] = defaultdict(list)
    for metier in ctx.dataset.metiers.values():
        for code in metier.bassins:
            metiers_by_bassin[code].append(metier)
    for bassin in ctx.bassins.values():
        lieux = ctx.by_bassin[bassin.code]
        par_service = {code: [l for l in lieux if code in l.services] for code in ctx.services}
        files.append(
            page(
                f"bassins/{bassin.code}.md",
                bassin.nom,
                "bassin.html",
                ctx=ctx,
                bassin=bassin,
                lieux=lieux,
                par_service=par_service,
                metiers=sorted(metiers_by_bassin[bassin.code], key=lambda m: m.intitule),
                evenements=ctx.evenements_a_venir(bassin.code),
                description=f"Lieux d'accueil pour l'orientation du {bassin.nom}.",
            )
        )
    return files


def service_pages(ctx: SiteContext) -> list[GeneratedPage]:
    files = [page("services/index.md", "Les services", "services.html", in_nav=True, ctx=ctx)]
    for service in ctx.services.values():
        files.append(
            page(
                f"services/{service.code}.md",
                service.nom,
                "service.html",
                ctx=ctx,
                service=service,
                par_bassin=by_bassin(ctx.by_service[service.code]),
                description=service.resume,
            )
        )
    return files


def reseau_pages(ctx: SiteContext) -> list[GeneratedPage]:
    files = [page("reseaux/index.md", "Les réseaux", "reseaux.html", in_nav=True, ctx=ctx)]
    for reseau in ctx.reseaux.values():
        lieux = ctx.by_reseau[reseau.code]
        files.append(
            page(
                f"reseaux/{reseau.code}.md",
                reseau.nom,
                "reseau.html",
                ctx=ctx,
                reseau=reseau,
                lieux=lieux,
                par_bassin=by_bassin(lieux),
            )
        )
    return files


def metier_pages(ctx: SiteContext) -> list[GeneratedPage]:
    metiers = list(ctx.dataset.metiers.values())
    secteurs: dict[str, list] = defaultdict(list)
    for metier in sorted(metiers, key=lambda m: m.intitule):
        secteurs[metier.secteur].append(metier)
    files = [
        page(
            "metiers/index.md",
            "Les fiches métiers",
            "metiers.html",
            in_nav=True,
            ctx=ctx,
            par_secteur=sorted(secteurs.items()),
        )
    ]
    for metier in metiers:
        bassins = [ctx.bassins[code] for code in metier.bassins]
        reseaux = [ctx.reseaux[code] for code in metier.reseaux]
        proches = []
        for bassin in bassins:
            lieux = [l for l in ctx.by_bassin[bassin.code] if l.reseau in metier.reseaux]
            if lieux:
                proches.append((bassin, lieux))
        files.append(
            page(
                f"metiers/{metier.code}.md",
                metier.intitule,
                "metier.html",
                ctx=ctx,
                metier=metier,
                bassins=bassins,
                reseaux=reseaux,
                proches=proches,
                description=f"Fiche métier {metier.intitule} : accès, formations, où se renseigner.",
            )
        )
    return files


def label_page(ctx: SiteContext) -> GeneratedPage:
    return page(
        "label/lieux-labellises.md",
        "Les lieux labellisés",
        "label_lieux.html",
        ctx=ctx,
        par_bassin=by_bassin(ctx.labellises),
    )


def map_page(ctx: SiteContext) -> GeneratedPage:
    return page(
        "carte/index.md",
        "Carte des lieux d'accueil",
        "carte.html",
        in_nav=True,
        ctx=ctx,
        sans_contour=any(b.outline is None for b in ctx.bassins.values()),
    )


def data_page(ctx: SiteContext) -> GeneratedPage:
    return page("donnees/index.md", "Données ouvertes", "donnees.html", in_nav=True, ctx=ctx, colonnes=CSV_COLUMNS)


def site_map(ctx: SiteContext) -> GeneratedPage:
    """« Plan du site »: every section, and every service, basin, network and job sheet (lieux are reached from them)."""
    return page(
        "plan-du-site.md",
        "Plan du site",
        "plan_du_site.html",
        ctx=ctx,
        description="Toutes les rubriques de l'annuaire, et chaque service, bassin, réseau et fiche métier.",
    )


def all_pages(ctx: SiteContext) -> list[GeneratedPage]:
    files = [home(ctx), map_page(ctx), label_page(ctx), data_page(ctx), site_map(ctx)]
    files += bassin_pages(ctx) + service_pages(ctx) + reseau_pages(ctx) + metier_pages(ctx)
    files += [lieu_page(ctx, lieu) for lieu in ctx.dataset.lieux.values()]
    return files

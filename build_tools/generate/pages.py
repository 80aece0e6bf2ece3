"""Generated Markdown pages: home, lieux, basins, services, networks, job sheets, label, map, data."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from .. import records
from ..horaires_tables import schedule
from ..model import Dataset, Evenement, Lieu
from ..positions import Geography, Position
from .exports import CSV_COLUMNS
from .hours import weekly_table
from .output import GeneratedPage
from .render import page
from .site_view import Carte, SiteOptions, SiteView

MODALITES = {code: label[0].lower() + label[1:] for code, label in records.MODALITES.items()}
"""In a sentence: « Accueil : sur place, par téléphone. »"""


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
    def view(self) -> SiteView:
        return SiteView(
            self.site, self.services, self.reseaux, self.publics, self.bassins, self.modalites, self.options
        )

    @functools.cached_property
    def cartes(self) -> dict[str, Carte]:
        return {code: Carte.of(lieu) for code, lieu in self.dataset.lieux.items()}

    def cartes_of(self, lieux: list[Lieu]) -> list[Carte]:
        return [self.cartes[lieu.id] for lieu in lieux]

    def lieux_cites(self, evenements: list[Evenement]) -> dict[str, tuple[str, str]]:
        """The name and address of the lieux where ``evenements`` take place, by code (all an event list shows of
        them)."""
        lieux = self.dataset.lieux
        return {e.lieu: (lieux[e.lieu].nom, lieux[e.lieu].adresse.une_ligne()) for e in evenements if e.lieu}

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


def by_bassin(lieux: list[Carte]) -> dict[str, list[Carte]]:
    """The basins' codes with their lieux, for none other (templates read them with ``.get``)."""
    grouped: dict[str, list[Carte]] = defaultdict(list)
    for lieu in lieux:
        grouped[lieu.bassin].append(lieu)
    return dict(grouped)


def home(ctx: SiteContext) -> GeneratedPage:
    return page(
        "index.md",
        "Accueil",
        "accueil.html",
        in_nav=True,
        ctx=ctx,  # <title>: « Accueil - <site> »
        description=f"Lieux d'accueil du Service public régional de l'orientation en {ctx.site.region}.",
    )


def with_inputs(ctx: SiteContext, path: str, title: str, template: str, context: dict, **options) -> GeneratedPage:
    """A page made of the site's :class:`SiteView` (``ctx`` in its template) and ``context``, which are its inputs:
    taken from an earlier build without being rendered when they are the same."""
    view = ctx.view
    return page(
        path,
        title,
        template,
        context_of=lambda: {"ctx": view, **context},
        inputs=lambda: view.inputs(template, context),
        **options,
    )


def lieu_page(ctx: SiteContext, lieu: Lieu) -> GeneratedPage:
    shared, position = ctx.view, ctx.geography.positions.get(lieu.id)
    return page(
        f"lieux/{lieu.id}.md",
        lieu.nom,
        "lieu.html",
        description=f"{ctx.reseaux[lieu.reseau].nom} à {lieu.adresse.commune} : adresse, horaires, services et contact.",
        context_of=lambda: _lieu_context(shared, lieu, position),
        inputs=lambda: shared.lieu_inputs(lieu, position),
    )


def _lieu_context(ctx: SiteView, lieu: Lieu, position: Position | None) -> dict:
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


def json_ld(ctx: SiteView, lieu: Lieu, position, semaine) -> dict:
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
        lieux = ctx.cartes_of(ctx.by_bassin[bassin.code])
        evenements = ctx.evenements_a_venir(bassin.code)
        context = {
            "bassin": bassin,
            "lieux": lieux,
            "par_service": {code: [l for l in lieux if code in l.services] for code in ctx.services},
            "metiers": sorted(metiers_by_bassin[bassin.code], key=lambda m: m.intitule),
            "evenements": evenements,
            "lieux_cites": ctx.lieux_cites(evenements),
        }
        description = f"Lieux d'accueil pour l'orientation du {bassin.nom}."
        files.append(
            with_inputs(ctx, f"bassins/{bassin.code}.md", bassin.nom, "bassin.html", context, description=description)
        )
    return files


def service_pages(ctx: SiteContext) -> list[GeneratedPage]:
    files = [page("services/index.md", "Les services", "services.html", in_nav=True, ctx=ctx)]
    for service in ctx.services.values():
        context = {"service": service, "par_bassin": by_bassin(ctx.cartes_of(ctx.by_service[service.code]))}
        files.append(
            with_inputs(
                ctx, f"services/{service.code}.md", service.nom, "service.html", context, description=service.resume
            )
        )
    return files


def reseau_pages(ctx: SiteContext) -> list[GeneratedPage]:
    files = [page("reseaux/index.md", "Les réseaux", "reseaux.html", in_nav=True, ctx=ctx)]
    for reseau in ctx.reseaux.values():
        lieux = ctx.cartes_of(ctx.by_reseau[reseau.code])
        context = {"reseau": reseau, "lieux": lieux, "par_bassin": by_bassin(lieux)}
        files.append(with_inputs(ctx, f"reseaux/{reseau.code}.md", reseau.nom, "reseau.html", context))
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
            lieux = [l for l in ctx.cartes_of(ctx.by_bassin[bassin.code]) if l.reseau in metier.reseaux]
            if lieux:
                proches.append((bassin, lieux))
        context = {"metier": metier, "bassins": bassins, "reseaux": reseaux, "proches": proches}
        description = f"Fiche métier {metier.intitule} : accès, formations, où se renseigner."
        files.append(
            with_inputs(
                ctx, f"metiers/{metier.code}.md", metier.intitule, "metier.html", context, description=description
            )
        )
    return files


def label_page(ctx: SiteContext) -> GeneratedPage:
    labellises = ctx.cartes_of(ctx.labellises)
    context = {"labellises": labellises, "par_bassin": by_bassin(labellises)}
    return with_inputs(ctx, "label/lieux-labellises.md", "Les lieux labellisés", "label_lieux.html", context)


def map_page(ctx: SiteContext) -> GeneratedPage:
    context = {
        "par_bassin": {code: ctx.cartes_of(lieux) for code, lieux in ctx.by_bassin.items()},
        "sans_contour": any(b.outline is None for b in ctx.bassins.values()),
    }
    return with_inputs(ctx, "carte/index.md", "Carte des lieux d'accueil", "carte.html", context, in_nav=True)


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

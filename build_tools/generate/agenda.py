"""Events: the agenda page, the basin pages' « Prochains événements », and the iCalendar feeds."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlsplit

from ..model import Evenement
from . import ics
from .output import GeneratedFile, GeneratedPage
from .pages import SiteContext, with_inputs


def place(ctx: SiteContext, event: Evenement) -> str:
    """Where it happens, in one line of plain text."""
    if event.lieu:
        lieu = ctx.dataset.lieux[event.lieu]
        return f"{lieu.nom}, {lieu.adresse.une_ligne()}"
    if event.emplacement:
        return event.emplacement.une_ligne()
    return "En ligne"


def agenda_page(ctx: SiteContext) -> GeneratedPage:
    events = ctx.evenements_a_venir()
    by_month = [(month, list(items)) for month, items in groupby(events, key=lambda e: (e.date.year, e.date.month))]
    context = {"par_mois": by_month, "lieux_cites": ctx.lieux_cites(events)}
    description = f"Salons, forums, job datings et réunions d'information sur l'orientation en {ctx.site.region}."
    return with_inputs(ctx, "agenda/index.md", "Agenda", "agenda.html", context, in_nav=True, description=description)


def feeds(ctx: SiteContext) -> list[GeneratedFile]:
    """``agenda/agenda.ics`` (every event of the data) and one feed per basin."""
    site_url = ctx.options.site_url
    domain = urlsplit(site_url).hostname if site_url else "spro.invalid"

    def url(event: Evenement) -> str | None:
        return f"{site_url.rstrip('/')}/agenda/#evenement-{event.id}" if site_url else None

    def feed(events, name):
        return ics.calendar(ctx.dataset, events, name, ctx.options.build_date, domain, url, lambda e: place(ctx, e))

    events = list(ctx.dataset.evenements.values())
    files = [GeneratedFile("agenda/agenda.ics", feed(events, f"Agenda de l'orientation – {ctx.site.region}"))]
    for bassin in ctx.bassins.values():
        files.append(
            GeneratedFile(
                f"bassins/{bassin.code}/agenda.ics",
                feed([e for e in events if e.bassin == bassin.code], f"Agenda de l'orientation – {bassin.nom}"),
            )
        )
    return files

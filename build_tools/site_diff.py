"""« Ce qui change sur le site »: what a change of the sources does for the public, in French.

Two versions of the sources (each read into its own folder) are loaded like the build loads them,
then compared record by record as the public sees them: names rather than codes, addresses on one
line, opening hours in words (the lieu page's weekly table), dates in French. The result lists the
lieux, events, basins, reference entries, job sheets and hand-written pages added, removed or
changed (each field before → after), and the site pages they appear on. ``spro diff`` prints it as
Markdown (the pull request's job summary) and writes it as the preview's ``apercu.html``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import records
from .diagnostics import printable
from .generate.hours import hours_in_words, periode_fr
from .generate.output import page_url
from .generate.pages import MODALITES
from .model import Dataset, Evenement, Lieu
from .records import TYPES_EVENEMENT
from .text import date_fr, slug

EMPTY = "(vide)"
MAX_TEXT = 300
"""Long texts (descriptions) are shown up to this many characters."""
MAX_LISTED = 200
"""Changes listed per section in Markdown (a job summary holds at most 1 MiB); apercu.html lists them all."""


@dataclass(frozen=True)
class Page:
    address: str
    """Directory URL inside the site (``lieux/cio-poitiers/``; ``""`` for the home page)."""
    title: str


@dataclass
class Change:
    what: str
    """« ajouté », « supprimé », « modifié » or « invalide »."""
    title: str
    page: Page | None
    fields: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    """(label, before, after); for an added record, its fields with before None."""


@dataclass
class Section:
    title: str
    changes: list[Change]


@dataclass
class SiteChanges:
    sections: list[Section]
    pages: list[Page]
    """The site's pages that change, in address order."""

    @property
    def empty(self) -> bool:
        return not any(section.changes for section in self.sections)


@dataclass(frozen=True)
class Side:
    """One version of the sources: the loaded dataset (None when unreadable), and the files present."""

    dataset: Dataset | None
    data_files: frozenset[str]
    """Paths under data/ (``lieux/x.yaml``)."""
    docs: dict[str, bytes]
    """Pages of docs/ by path (``label/charte.md``) and their bytes."""
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Where each lieu is on the maps (manual, geocoded or its commune's centre), by id."""


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("oui" if value else "non")


def lieu_fields(
    lieu: Lieu, data: Dataset, today: dt.date, position: tuple[float, float] | None = None
) -> dict[str, str | None]:
    """What the public reads about a lieu, field by field, in French (its map position to about 10 m)."""
    return {
        "Nom": lieu.nom,
        "Réseau": data.reseaux[lieu.reseau].nom,
        "Structure": lieu.structure,
        "SIRET": lieu.siret,
        "Adresse": lieu.adresse.une_ligne(),
        "Bassin": data.bassins[lieu.bassin].nom,
        "Position sur les cartes": f"{position[0]:.4f}, {position[1]:.4f}" if position else None,
        "Services": ", ".join(data.services[code].nom for code in lieu.services),
        "Publics": ", ".join(data.publics[code].nom for code in lieu.publics),
        "Modalités": ", ".join(MODALITES[code] for code in lieu.modalites) or None,
        "Sur rendez-vous": "oui" if lieu.sur_rendez_vous else "non",
        "Horaires": hours_in_words(lieu.horaires, today) if lieu.horaires else None,
        "Fermetures": " ; ".join(
            f"du {date_fr(f.du)} au {date_fr(f.au)}" + (f" ({f.motif})" if f.motif else "") for f in lieu.fermetures
        )
        or None,
        "Téléphone": lieu.contact.telephone,
        "Courriel": lieu.contact.courriel,
        "Site web": lieu.contact.site,
        "Accessible en fauteuil roulant": _yes_no(lieu.accessibilite.pmr),
        "Accessibilité (précisions)": lieu.accessibilite.details and _clip(lieu.accessibilite.details),
        "Fiche acceslibre": lieu.accessibilite.acceslibre,
        "Label": f"depuis le {date_fr(lieu.label_depuis)}" if lieu.label_depuis else None,
        "Description": lieu.description and _clip(lieu.description),
        "Vérifiée le": date_fr(lieu.verifie_le),
    } | _other_fields(lieu)


_SHOWN_ABOVE = {
    "id",
    "nom",
    "reseau",
    "structure",
    "siret",
    "adresse.voie",
    "adresse.complement",
    "adresse.code_postal",
    "adresse.commune",
    "adresse.code_insee",
    "bassin",
    "coordonnees",
    "services",
    "publics",
    "modalites",
    "sur_rendez_vous",
    "horaires",
    "fermetures",
    "contact.telephone",
    "contact.courriel",
    "contact.site",
    "accessibilite.pmr",
    "accessibilite.details",
    "accessibilite.acceslibre",
    "label",
    "description",
    "verifie_le",
}
"""The fields lieu_fields() shows under its own labels (dotted paths)."""


def _other_fields(lieu: Lieu, struct=records.LIEU, prefix: str = "", value=None) -> dict[str, str | None]:
    """A field added to the contract since lieu_fields() was written shows too, under its column's label (or its
    name), at any depth of the record."""
    shown: dict[str, str | None] = {}
    record = lieu if value is None else value
    for spec in struct.fields:
        path = prefix + spec.name
        if path in _SHOWN_ABOVE:
            continue
        field_value = getattr(record, spec.name, None)
        if isinstance(spec.kind, records.Struct) and any(p.startswith(path + ".") for p in _SHOWN_ABOVE):
            shown |= _other_fields(lieu, spec.kind, path + ".", field_value) if field_value is not None else {}
            continue
        label = re.split(r"[,(]", spec.column.label)[0].strip() if spec.column else path
        if isinstance(field_value, tuple):
            field_value = ", ".join(str(item) for item in field_value) or None
        elif isinstance(field_value, bool):
            field_value = _yes_no(field_value)
        elif isinstance(field_value, dt.date):
            field_value = date_fr(field_value)
        shown[label[:1].upper() + label[1:]] = None if field_value is None else _clip(str(field_value))
    return shown


def _place(event: Evenement, data: Dataset) -> str:
    if event.lieu:
        lieu = data.lieux[event.lieu]
        return f"{lieu.nom}, {lieu.adresse.une_ligne()}"
    if event.emplacement:
        return event.emplacement.une_ligne()
    return "en ligne"


def event_fields(event: Evenement, data: Dataset) -> dict[str, str | None]:
    return {
        "Titre": event.titre,
        "Type": TYPES_EVENEMENT[event.type],
        "Date": periode_fr(event.date, event.date_fin, event.heures),
        "Où": _place(event, data) + (" (et en ligne)" if event.en_ligne and (event.lieu or event.emplacement) else ""),
        "Bassin": data.bassins[event.bassin].nom,
        "Publics": ", ".join(data.publics[code].nom for code in event.publics),
        "Organisateur": event.organisateur,
        "Lien": event.lien,
        "Description": event.description and _clip(event.description),
    }


def _differences(before: dict, after: dict) -> list[tuple[str, str | None, str | None]]:
    return [(label, before.get(label), after.get(label)) for label in after if before.get(label) != after.get(label)]


def _added(fields: dict) -> list[tuple[str, str | None, str | None]]:
    return [(label, None, value) for label, value in fields.items() if value is not None]


class _Pages:
    """The pages a change appears on, collected once each."""

    def __init__(self):
        self.found: dict[str, str] = {}

    def add(self, address: str, title: str) -> Page:
        self.found.setdefault(address, title)
        return Page(address, self.found[address])

    def lieu(self, lieu: Lieu, data: Dataset) -> None:
        self.add(f"bassins/{lieu.bassin}/", data.bassins[lieu.bassin].nom)
        self.add(f"reseaux/{lieu.reseau}/", data.reseaux[lieu.reseau].nom)
        for code in lieu.services:
            self.add(f"services/{code}/", data.services[code].nom)
        if lieu.label_depuis:
            self.add("label/lieux-labellises/", "Les lieux labellisés")
        self.add("trouver/", "Trouver un lieu")
        self.add("carte/", "Carte des lieux d'accueil")

    def all(self) -> list[Page]:
        return [Page(address, title) for address, title in sorted(self.found.items())]


def _compare_records(
    before: dict, after: dict, old: Dataset, new: Dataset, fields, page, pages: _Pages, invalid: list[str]
) -> list[Change]:
    changes = []
    for identifier in sorted(before.keys() | after.keys() | set(invalid)):
        if identifier in invalid:
            changes.append(Change("invalide", identifier, None))
            continue
        if identifier not in after:
            record = before[identifier]
            changes.append(Change("supprimé", next(iter(fields(record, old).values())), page(record, old, pages)))
            continue
        record = after[identifier]
        now = fields(record, new)
        title = next(iter(now.values()))
        if identifier not in before:
            changes.append(Change("ajouté", title, page(record, new, pages), _added(now)[1:]))  # (the title is shown)
            continue
        different = _differences(fields(before[identifier], old), now)
        if different:
            page(before[identifier], old, pages)
            changes.append(Change("modifié", title, page(record, new, pages), different))
    return changes


def compare(old: Side, new: Side, today: dt.date) -> SiteChanges:
    """What changes for the public from ``old`` to ``new`` (both loaded with the same reference date)."""
    pages = _Pages()
    sections: list[Section] = []
    a, b = old.dataset, new.dataset
    if a is not None and b is not None:

        def lieu_page(lieu: Lieu, data: Dataset, found: _Pages) -> Page:
            found.lieu(lieu, data)
            return found.add(f"lieux/{lieu.id}/", lieu.nom)

        def event_page(event: Evenement, data: Dataset, found: _Pages) -> Page:
            found.add(f"bassins/{event.bassin}/", data.bassins[event.bassin].nom)
            return found.add("agenda/", "Agenda")

        invalid_lieux = sorted(
            p.removeprefix("lieux/").removesuffix(".yaml")
            for p in new.data_files
            if p.startswith("lieux/") and p.endswith(".yaml") and p[6:-5] not in b.lieux
        )
        invalid_events = sorted(
            p.removeprefix("evenements/").removesuffix(".yaml")
            for p in new.data_files
            if p.startswith("evenements/") and p.endswith(".yaml") and p[11:-5] not in b.evenements
        )

        def fields(lieu: Lieu, data: Dataset) -> dict[str, str | None]:
            side = old if data is a else new
            return lieu_fields(lieu, data, today, side.positions.get(lieu.id))

        lieux = _compare_records(a.lieux, b.lieux, a, b, fields, lieu_page, pages, invalid_lieux)
        events = _compare_records(a.evenements, b.evenements, a, b, event_fields, event_page, pages, invalid_events)
        sections += _split("Lieux", lieux) + _split("Événements", events)
        sections += _split("Bassins", _basins(a, b, pages))
        sections += _split("Services, réseaux et publics", _tables(a, b, pages))
        sections += _split("Fiches métiers", _metiers(a, b, pages))
    elif b is None:
        sections.append(Section("Données illisibles", [Change("invalide", "data/", None)]))
    sections += _split("Pages rédigées", _docs(old.docs, new.docs, pages))
    return SiteChanges([s for s in sections if s.changes], pages.all())


_TITLES = {"ajouté": "ajoutés", "supprimé": "supprimés", "modifié": "modifiés", "invalide": "invalides"}


def _split(title: str, changes: list[Change]) -> list[Section]:
    """One section per kind of change: « Lieux modifiés (2) »."""
    feminine = title.startswith(("Fiches", "Pages"))
    sections = []
    for what in ("modifié", "ajouté", "supprimé", "invalide"):
        chosen = [c for c in changes if c.what == what]
        if chosen:
            adjective = _TITLES[what].replace("és", "ées") if feminine else _TITLES[what]
            sections.append(Section(f"{title} {adjective}", chosen))
    return sections


def _basins(a: Dataset, b: Dataset, pages: _Pages) -> list[Change]:
    changes = []
    for code in sorted(a.bassins.keys() | b.bassins.keys()):
        old, new = a.bassins.get(code), b.bassins.get(code)
        if new is None:
            changes.append(Change("supprimé", old.nom, pages.add(f"bassins/{code}/", old.nom)))
            continue
        fields = {
            "Nom": new.nom,
            "Départements": ", ".join(new.departements),
            "Description": new.description and _clip(new.description),
        }
        if old is None:
            changes.append(Change("ajouté", new.nom, pages.add(f"bassins/{code}/", new.nom), _added(fields)))
            continue
        different = _differences(
            {
                "Nom": old.nom,
                "Départements": ", ".join(old.departements),
                "Description": old.description and _clip(old.description),
            },
            fields,
        )
        before = {c.code_insee: c.nom for c in old.communes}
        after = {c.code_insee: c.nom for c in new.communes}
        joined = sorted(after[c] for c in after.keys() - before.keys())
        left = sorted(before[c] for c in before.keys() - after.keys())
        if joined or left:
            moved = " ; ".join(
                part for part in (joined and "+ " + ", ".join(joined), left and "− " + ", ".join(left)) if part
            )
            different.append(("Communes", f"{len(before)} communes", f"{len(after)} communes ({moved})"))
        if old.outline != new.outline:
            different.append(("Contour", "ancien", "nouveau"))
        if different:
            changes.append(Change("modifié", new.nom, pages.add(f"bassins/{code}/", new.nom), different))
    return changes


def _tables(a: Dataset, b: Dataset, pages: _Pages) -> list[Change]:
    changes = []
    for folder, label, old_table, new_table in (
        ("services", "service", a.services, b.services),
        ("reseaux", "réseau", a.reseaux, b.reseaux),
        ("publics", "public", a.publics, b.publics),
    ):
        for code in sorted(old_table.keys() | new_table.keys()):
            old, new = old_table.get(code), new_table.get(code)
            if old == new:
                continue
            page = pages.add(f"{folder}/{code}/", (new or old).nom) if folder != "publics" else None
            if new is None:
                changes.append(Change("supprimé", f"{old.nom} ({label})", page))
            elif old is None:
                changes.append(Change("ajouté", f"{new.nom} ({label})", page))
            else:
                fields = [
                    (name, str(getattr(old, name)), str(getattr(new, name)))
                    for name in vars(new)
                    if getattr(old, name) != getattr(new, name)
                ]
                changes.append(Change("modifié", f"{new.nom} ({label})", page, fields))
    return changes


def _metiers(a: Dataset, b: Dataset, pages: _Pages) -> list[Change]:
    changes = []
    for code in sorted(a.metiers.keys() | b.metiers.keys()):
        old, new = a.metiers.get(code), b.metiers.get(code)
        if old == new:
            continue
        title = (new or old).intitule
        page = pages.add(f"metiers/{code}/", title)
        if new is None:
            changes.append(Change("supprimé", title, page))
        elif old is None:
            changes.append(Change("ajouté", title, page))
        else:
            fields = [
                (name.capitalize(), _clip(str(getattr(old, name))), _clip(str(getattr(new, name))))
                for name in ("intitule", "secteur", "description", "acces", "bassins", "reseaux", "liens")
                if getattr(old, name) != getattr(new, name)
            ]
            changes.append(Change("modifié", title, page, fields))
    return changes


def _page_of(path: str, data: bytes) -> Page:
    """A page of docs/: its title (``# …`` line or front matter) and its address (posts: by date and title)."""
    from .docs_contract import NEWS_DIR, split_front_matter

    text = data.decode("utf-8", errors="replace")
    front, body, _ = split_front_matter(text)
    heading = re.search(r"^#\s+(.+?)\s*$", body, re.M)
    title = heading.group(1) if heading else path
    named = re.search(r"^title:\s*['\"]?(.+?)['\"]?\s*$", front or "", re.M)
    if named:
        title = named.group(1)
    if path.startswith(f"{NEWS_DIR}/posts/"):
        day = re.search(r"^date:\s*(?:\n\s+created:\s*)?['\"]?(\d{4})-(\d{2})-(\d{2})", front or "", re.M)
        custom = re.search(r"^slug:\s*['\"]?([a-z0-9-]+)", front or "", re.M)
        if day:
            return Page(
                f"{NEWS_DIR}/{day.group(1)}/{day.group(2)}/{day.group(3)}/"
                f"{custom.group(1) if custom else slug(title)}/",
                title,
            )
        return Page(f"{NEWS_DIR}/", title)
    return Page(page_url(path), title)


def _docs(before: dict[str, bytes], after: dict[str, bytes], pages: _Pages) -> list[Change]:
    changes = []
    for path in sorted(before.keys() | after.keys()):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        page = _page_of(path, new if new is not None else old)
        pages.add(page.address, page.title)
        if path.startswith("actualites/posts/"):
            pages.add("actualites/", "Actualités")
        what = "supprimé" if new is None else "ajouté" if old is None else "modifié"
        changes.append(Change(what, page.title, page, [("Fichier", None, f"docs/{path}")]))
    return changes


# -- output --------------------------------------------------------------------------------------

_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~])")


def md(text: str) -> str:
    """Data shown in Markdown as written, never as markup (a name with « * » or « < »), on one line (a file name
    with a line break in it)."""
    return _MARKDOWN.sub(r"\\\1", printable(text))


def code(text: str) -> str:
    """A revision in a code span: shown as written (no escape is read there), backticks aside."""
    return "`" + printable(text.replace("`", "'")) + "`"


def markdown(changes: SiteChanges, base: str, head: str) -> str:
    lines = ["## Ce qui change sur le site", "", f"De {code(base)} à {code(head)}.", ""]
    if changes.empty:
        lines.append(
            "Aucun changement visible sur le site (mise en forme, commentaires ou fichiers techniques seulement)."
        )
        return "\n".join(lines) + "\n"
    for section in changes.sections:
        lines += [f"### {section.title} ({len(section.changes)})", ""]
        for change in section.changes[:MAX_LISTED]:
            where = f" (`{change.page.address or '/'}`)" if change.page else ""
            if change.what == "invalide":
                lines.append(
                    f"- **{md(change.title)}** : fiche invalide, non publiée tant que ses erreurs ne sont pas "
                    "corrigées (voir la validation)"
                )
                continue
            lines.append(f"- **{md(change.title)}**{where}")
            for label, before, after in change.fields:
                if change.what == "modifié":
                    lines.append(f"  - {label} : {md(before or EMPTY)} → {md(after or EMPTY)}")
                else:
                    lines.append(f"  - {label} : {md(after or EMPTY)}")
        if len(section.changes) > MAX_LISTED:
            lines.append(
                f"- … et {len(section.changes) - MAX_LISTED} de plus (liste complète : apercu.html de l'aperçu)"
            )
        lines.append("")
    lines += [f"### Pages du site concernées ({len(changes.pages)})", ""]
    lines += [f"- `{page.address or '/'}` {md(page.title)}" for page in changes.pages[:MAX_LISTED]]
    if len(changes.pages) > MAX_LISTED:
        lines.append(f"- … et {len(changes.pages) - MAX_LISTED} de plus")
    return "\n".join(lines) + "\n"


def preview_page(changes: SiteChanges, site: Path) -> str:
    """The preview's « apercu.html »: the same list, with links to the pages that exist in the built ``site``."""
    from .generate.render import ENVIRONMENT

    def link(page: Page) -> str | None:
        target = site / page.address / "index.html"
        return f"{page.address}index.html" if target.is_file() else None

    return ENVIRONMENT.get_template("apercu.html").render(changes=changes, link=link, vide=EMPTY)

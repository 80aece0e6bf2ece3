"""« Fiches à vérifier »: records not verified by a person for 12 months, as GitHub issues, one per network.

One issue per network, mentioning that network's team (from ``.github/CODEOWNERS``), so that the
people who can fix the records are told; a network with too many records for one issue body
(GitHub refuses more than 65,536 characters) gets several numbered issues. The job that writes
issues runs no project code: it reads the files written here (first line: the title; then the body).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .model import Dataset, Lieu
from .records import is_stale

MAX_BODY = 60_000
"""GitHub's limit is 65,536 characters per issue body; this leaves room for what GitHub adds."""
TITLE = "Fiches à vérifier : {reseau}"


@dataclass(frozen=True)
class Ticket:
    name: str
    """File name of the ticket (``mission-locale.md``, ``mission-locale-2.md``)."""
    title: str
    body: str


def stale_lieux(dataset: Dataset, today: dt.date) -> list[Lieu]:
    return [lieu for lieu in dataset.lieux.values() if is_stale(lieu.verifie_le, today)]


def escaped(text: str) -> str:
    """Markdown-inert text for an issue body."""
    return re.sub(r"([\\\[\]()*_`<>#|~@])", r"\\\1", text)


def _item(lieu: Lieu, dataset: Dataset) -> str:
    site = dataset.site
    return (
        f"- [ ] [{escaped(lieu.nom)}]({site.depot}/edit/{site.branche}/{lieu.source}) — vérifiée le "
        f"{lieu.verifie_le.isoformat()}"
    )


def _count(count: int) -> str:
    return f"{count} fiche n’a pas été vérifiée" if count == 1 else f"{count} fiches n’ont pas été vérifiées"


def report(dataset: Dataset, today: dt.date) -> str:
    """Every stale record, grouped by network (``spro fraicheur``)."""
    stale = stale_lieux(dataset, today)
    lines = [f"{_count(len(stale))} depuis plus de 12 mois (au {today.isoformat()}).", ""]
    if stale:
        lines += [
            "Pour chacune : vérifiez les informations auprès du lieu, corrigez-les si besoin et mettez "
            "`verifie_le` à la date du jour.",
            "",
        ]
    for reseau in dataset.reseaux.values():
        fiches = sorted((l for l in stale if l.reseau == reseau.code), key=lambda l: l.verifie_le)
        if fiches:
            lines += [f"## {reseau.nom} ({len(fiches)})", "", *(_item(lieu, dataset) for lieu in fiches), ""]
    return "\n".join(lines).rstrip() + "\n"


def network_teams(codeowners: str) -> dict[str, list[str]]:
    """Network code -> the owners of its lieu files (``/data/lieux/<code>-*.yaml``) who do not own everything."""
    everyone: list[str] = []
    teams: dict[str, list[str]] = {}
    for line in codeowners.splitlines():
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if words[0] == "*":
            everyone = words[1:]
        match = re.fullmatch(r"/?data/lieux/([a-z0-9-]+)-\*\.yaml", words[0])
        if match:
            teams[match.group(1)] = [owner for owner in words[1:] if owner not in everyone]
    return teams


def tickets(dataset: Dataset, today: dt.date, teams: dict[str, list[str]]) -> list[Ticket]:
    """One issue per network with stale records (several when one body would be too long)."""
    stale = stale_lieux(dataset, today)
    found = []
    for reseau in dataset.reseaux.values():
        fiches = sorted((l for l in stale if l.reseau == reseau.code), key=lambda l: (l.verifie_le, l.id))
        if not fiches:
            continue
        owners = teams.get(reseau.code)
        team = (
            f"Équipe du réseau : {' '.join(owners)}"
            if owners
            else f"Aucune équipe n’est désignée pour ce réseau dans `.github/CODEOWNERS` (ligne `/data/lieux/{reseau.code}-*.yaml`)."
        )
        head = [
            f"{_count(len(fiches))} depuis plus de 12 mois dans le réseau « {escaped(reseau.nom)} » "
            f"(au {today.isoformat()}).",
            "",
            team,
            "",
            "Pour chacune : vérifiez les informations auprès du lieu, corrigez-les si besoin (lien « Modifier ») et "
            "mettez `verifie_le` à la date du jour. Le ticket est mis à jour chaque lundi et fermé quand toutes "
            "les fiches sont vérifiées.",
            "",
        ]
        budget = MAX_BODY - len("\n".join(head)) - 200  # (the « Fiches 1 à 450 » line)
        chunks: list[list[str]] = []
        current: list[str] = []
        length = 0
        for lieu in fiches:
            item = _item(lieu, dataset)
            if current and length + len(item) + 1 > budget:
                chunks.append(current)
                current, length = [], 0
            current.append(item)
            length += len(item) + 1
        chunks.append(current)
        first = 1
        for number, items in enumerate(chunks, start=1):
            several = len(chunks) > 1
            intro = [f"Fiches {first} à {first + len(items) - 1} sur {len(fiches)} :", ""] if several else []
            found.append(
                Ticket(
                    f"{reseau.code}{'' if number == 1 else f'-{number}'}.md",
                    TITLE.format(reseau=reseau.nom) + (f" ({number}/{len(chunks)})" if several else ""),
                    "\n".join(head + intro + items) + "\n",
                )
            )
            first += len(items)
    return found


INDEX = "tickets.txt"
"""Written even when empty (no stale record), so that the job writing issues can close them all."""


def tickets_folder_problem(folder: Path, project: Path) -> str | None:
    """Why ``folder`` cannot receive the tickets (French), or None: it must be new, empty, or hold earlier tickets
    (their :data:`INDEX`), and be outside docs/ and data/ (published or validated)."""
    resolved = folder.resolve()
    for inside in ("docs", "data"):
        if resolved.is_relative_to((project / inside).resolve()):
            return f"« {folder} » est dans {inside}/ : choisissez un dossier hors de docs/ et de data/"
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return f"« {folder} » n'est pas un dossier : indiquez un dossier nouveau, ou celui de tickets précédents"
    if folder.is_dir() and any(folder.iterdir()) and not (folder / INDEX).is_file():
        return (
            f"le dossier « {folder} » n'est pas vide et ne contient pas de tickets précédents ({INDEX}) : "
            "indiquez un dossier nouveau (rien n'y est écrasé)"
        )
    return None


def write_tickets(found: list[Ticket], folder: Path) -> None:
    """One file per issue (its title on the first line, then its body), and their names in :data:`INDEX`; the
    earlier tickets listed there that are not written again are removed (the folder is checked beforehand by
    :func:`tickets_folder_problem`)."""
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / INDEX
    earlier = index.read_text(encoding="utf-8").split() if index.is_file() else []
    for name in set(earlier) - {ticket.name for ticket in found}:
        if re.fullmatch(r"[a-z0-9-]+\.md", name) and (folder / name).is_file():
            (folder / name).unlink()
    for ticket in found:
        (folder / ticket.name).write_text(f"{ticket.title}\n{ticket.body}", encoding="utf-8")
    index.write_text("".join(f"{ticket.name}\n" for ticket in found), encoding="utf-8")

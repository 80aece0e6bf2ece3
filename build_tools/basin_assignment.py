"""``spro bassins repartir``: put every commune of the gazetteer in exactly one basin.

Communes already listed in a basin never move; the others are placed by the rule below, which
each basin file it rewrites states in its opening comment (:data:`RULE`):

1. a commune follows its EPCI (intercommunality): to the basin of the EPCI's communes already
   placed when they are all in one basin, else to the basin of the nearest of them (the EPCI is
   then split along the basins it already straddles);
2. an EPCI with no commune placed goes as a whole to the basin of the placed commune nearest to
   its most populous commune (its main town);
3. a commune in no EPCI goes to the basin of the nearest placed commune.

Distances are between gazetteer centres (:func:`~build_tools.gazetteer.nearest`); ties go to the smaller INSEE code, so a run is
deterministic, and a second run changes nothing. EPCI membership comes from ``cog-<year>-epci.json``
in the reference folder (see :mod:`build_tools.geo_reference`).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .gazetteer import departement_of, nearest
from .geo_reference import GeoReferenceError
from .model import Commune
from .yaml_format import SCHEMA_LINE, data_file_kind, format_text

RULE = (
    "# Communes : codes INSEE ; noms et codes postaux viennent de data/communes.csv.",
    "# Répartition automatique (spro bassins repartir) : une commune déjà rattachée ne change pas",
    "# de bassin ; les autres suivent leur intercommunalité (EPCI), vers le bassin de ses communes déjà",
    "# rattachées (la plus proche s'il y en a dans plusieurs bassins) ; une EPCI sans commune rattachée",
    "# rejoint le bassin de la commune rattachée la plus proche de sa commune la plus peuplée.",
)
"""The opening comment of a basin file rewritten by the command (French: contributors read it)."""
BASSIN_KIND = data_file_kind(PurePosixPath("bassins/x.yaml"))


@dataclass(frozen=True)
class Epci:
    code: str
    nom: str
    communes: tuple[str, ...]


def read_epcis(folder: Path, communes: dict[str, Commune]) -> list[Epci]:
    """The EPCIs with at least one commune of the gazetteer (their other members are left out)."""
    found = sorted(Path(folder).glob("cog-*-epci.json"))
    if len(found) != 1:
        raise GeoReferenceError(
            f"un seul fichier cog-*-epci.json attendu dans {folder} ({', '.join(p.name for p in found) or 'aucun'})"
        )
    try:
        entries = json.loads(found[0].read_bytes())
    except (OSError, ValueError) as exc:
        raise GeoReferenceError(f"{found[0]} illisible ({exc})") from None
    epcis = []
    for entry in entries if isinstance(entries, list) else []:
        members = entry.get("membres") if isinstance(entry, dict) else None
        codes = tuple(sorted(m["code"] for m in members or () if isinstance(m, dict) and m.get("code") in communes))
        if codes:
            epcis.append(Epci(str(entry.get("code")), str(entry.get("nom")), codes))
    return sorted(epcis, key=lambda e: e.code)


@dataclass(frozen=True)
class Placement:
    bassin: str
    reason: str
    """French, for the command's report."""


def assign(communes: dict[str, Commune], placed: dict[str, str], epcis: list[Epci]) -> dict[str, Placement]:
    """INSEE code -> basin and why, for every commune not in ``placed`` (INSEE code -> basin)."""
    if not placed:
        raise GeoReferenceError("aucune commune n'est encore dans un bassin : listez au moins une commune par bassin")

    def closest(origin: str, among) -> str:
        return nearest(communes[origin], (communes[code] for code in among)).code_insee

    placements: dict[str, Placement] = {}
    in_epci = set()
    for epci in epcis:
        in_epci.update(epci.communes)
        seeds = [code for code in epci.communes if code in placed]
        basins = {placed[code] for code in seeds}
        if not seeds:
            main = max(epci.communes, key=lambda code: (communes[code].population, code))
            seed = closest(main, placed)
            reason = (
                f"{epci.nom} : aucune commune rattachée ; {communes[seed].nom}, rattachée la plus proche de "
                f"{communes[main].nom}, est dans ce bassin"
            )
            for code in epci.communes:
                placements[code] = Placement(placed[seed], reason)
            continue
        for code in epci.communes:
            if code in placed:
                continue
            if len(basins) == 1:
                placements[code] = Placement(placed[seeds[0]], f"{epci.nom}")
            else:
                seed = closest(code, seeds)
                placements[code] = Placement(
                    placed[seed], f"{epci.nom}, partagée : commune rattachée la plus proche, {communes[seed].nom}"
                )
    for code in sorted(set(communes) - set(placed) - in_epci):
        seed = closest(code, placed)
        placements[code] = Placement(
            placed[seed], f"sans EPCI : commune rattachée la plus proche, {communes[seed].nom}"
        )
    return dict(sorted(placements.items()))


def basin_text(existing: str, codes: list[str], communes: dict[str, Commune], shown: str) -> str:
    """The basin file with this list of communes (sorted, each with its name as a comment), its
    departments deduced from them, and :data:`RULE` at the top; its other fields and comments are kept."""
    yaml_rt = YAML()
    yaml_rt.preserve_quotes = True
    document = yaml_rt.load(existing)
    departements = CommentedSeq(DoubleQuotedScalarString(d) for d in sorted({departement_of(c) for c in codes}))
    departements.fa.set_flow_style()
    document["departements"] = departements
    listed = CommentedSeq(DoubleQuotedScalarString(code) for code in sorted(codes))
    for index, code in enumerate(sorted(codes)):
        listed.yaml_add_eol_comment(communes[code].nom, index, column=len(code) + 8)  # - "86194"  # Poitiers
    document["communes"] = listed
    out = io.StringIO()
    yaml_rt.dump(document, out)
    text, problems = format_text(out.getvalue(), BASSIN_KIND, shown)
    if text is None:
        raise GeoReferenceError(f"{shown} : " + "; ".join(p.message for p in problems))
    lines = [line for line in text.split("\n") if line not in RULE]
    schema = 1 if lines and lines[0].startswith(SCHEMA_LINE) else 0
    return "\n".join(lines[:schema] + list(RULE) + lines[schema:])

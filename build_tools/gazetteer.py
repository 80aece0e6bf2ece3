"""The commune gazetteer committed in ``data/``: every commune of the Région's departments.

``spro communes`` writes two files; pull requests can change them, so they are read as hostile
input against a strict contract (:data:`COMMUNE_COLUMNS`, :data:`DELEGUEE_COLUMNS`; the README
describes them in French):

- ``communes.csv``: one current commune a line, sorted by INSEE code;
- ``communes-deleguees.csv``: the delegated and associated communes (former communes merged into
  a current one, whose names people still use), sorted by their own code.

UTF-8 without BOM, LF line endings, ``;`` between fields and no quoting: names may only hold
letters, digits, spaces, apostrophes, hyphens, parentheses and dots, so a line splits on ``;``
and every message names its column. A commune's basin is not stored here: data/bassins/ states
it once and the loader joins it (:class:`~build_tools.model.Commune` ``bassin``).

:class:`Gazetteer` answers the questions the validator and the contributors' tools ask: which
commune has this INSEE code, this postal code, this name (spelling forgiven, see
:func:`~build_tools.text.commune_key`), or this former name.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import formats
from .diagnostics import Diagnostic
from .model import Commune, CommuneDeleguee, Emprise
from .safe_files import UnsafePath, read_regular
from .text import commune_key

COMMUNES_FILE = "communes.csv"
DELEGUEES_FILE = "communes-deleguees.csv"
MAX_FILE_BYTES = 4 * 1024 * 1024
"""About 100 bytes a commune: room for every commune of France (35,000) in either file."""
MAX_NAME_LENGTH = 80
TYPES_DELEGUEE = {"deleguee": "déléguée", "associee": "associée"}
REGENERATE = "ce fichier est écrit par « spro communes » : relancez la commande plutôt que de le modifier à la main"
_NAME = re.compile(r"[^\W\d_](?:[^\W_]|[ '’().-])*")
_INSEE = re.compile(formats.INSEE_CODE)
_POSTAL = re.compile(formats.POSTAL_CODE)
_POPULATION = re.compile(r"\d{1,9}")
_DEGREES = re.compile(r"-?\d{1,3}\.\d{1,6}")


class _Bad(ValueError):
    """A field that does not fit its column; the message is French."""


_DEPARTEMENTS = """01 Ain|02 Aisne|03 Allier|04 Alpes-de-Haute-Provence|05 Hautes-Alpes|06 Alpes-Maritimes|07 Ardèche|08 Ardennes
|09 Ariège|10 Aube|11 Aude|12 Aveyron|13 Bouches-du-Rhône|14 Calvados|15 Cantal|16 Charente|17 Charente-Maritime|18 Cher
|19 Corrèze|2A Corse-du-Sud|2B Haute-Corse|21 Côte-d'Or|22 Côtes-d'Armor|23 Creuse|24 Dordogne|25 Doubs|26 Drôme|27 Eure
|28 Eure-et-Loir|29 Finistère|30 Gard|31 Haute-Garonne|32 Gers|33 Gironde|34 Hérault|35 Ille-et-Vilaine|36 Indre
|37 Indre-et-Loire|38 Isère|39 Jura|40 Landes|41 Loir-et-Cher|42 Loire|43 Haute-Loire|44 Loire-Atlantique|45 Loiret|46 Lot
|47 Lot-et-Garonne|48 Lozère|49 Maine-et-Loire|50 Manche|51 Marne|52 Haute-Marne|53 Mayenne|54 Meurthe-et-Moselle|55 Meuse
|56 Morbihan|57 Moselle|58 Nièvre|59 Nord|60 Oise|61 Orne|62 Pas-de-Calais|63 Puy-de-Dôme|64 Pyrénées-Atlantiques
|65 Hautes-Pyrénées|66 Pyrénées-Orientales|67 Bas-Rhin|68 Haut-Rhin|69 Rhône|70 Haute-Saône|71 Saône-et-Loire|72 Sarthe
|73 Savoie|74 Haute-Savoie|75 Paris|76 Seine-Maritime|77 Seine-et-Marne|78 Yvelines|79 Deux-Sèvres|80 Somme|81 Tarn
|82 Tarn-et-Garonne|83 Var|84 Vaucluse|85 Vendée|86 Vienne|87 Haute-Vienne|88 Vosges|89 Yonne|90 Territoire de Belfort
|91 Essonne|92 Hauts-de-Seine|93 Seine-Saint-Denis|94 Val-de-Marne|95 Val-d'Oise|971 Guadeloupe|972 Martinique|973 Guyane
|974 La Réunion|976 Mayotte"""
DEPARTEMENTS = dict(entry.strip().split(" ", 1) for entry in _DEPARTEMENTS.replace("\n", "").split("|"))
"""The names of the départements (COG), by code: lists of homonymous communes say which is which."""


def departement_of(code_insee: str) -> str:
    """« 86194 » -> « 86 », « 2A004 » -> « 2A », « 97411 » -> « 974 »."""
    return code_insee[:3] if code_insee.startswith("97") else code_insee[:2]


# -- the columns -----------------------------------------------------------------------------------


def _insee(text: str) -> str:
    if not _INSEE.fullmatch(text):
        raise _Bad("code INSEE attendu : 5 caractères, ex. 86194")
    return text


def _name(text: str) -> str:
    if not text or len(text) > MAX_NAME_LENGTH:
        raise _Bad(f"nom de 1 à {MAX_NAME_LENGTH} caractères attendu")
    if not _NAME.fullmatch(text) or " ".join(text.split()) != text:
        raise _Bad(
            "caractère non permis dans un nom de commune (lettres, chiffres, espaces simples, apostrophes, "
            "tirets, parenthèses et points seulement ; une lettre au début)"
        )
    return text


def _postal_codes(text: str) -> tuple[str, ...]:
    codes = text.split(" ")
    if not all(_POSTAL.fullmatch(code) for code in codes):
        raise _Bad("codes postaux attendus : 5 chiffres, séparés par une espace (ex. 86000 86100)")
    if len(set(codes)) != len(codes) or codes != sorted(codes):
        raise _Bad("codes postaux en double ou dans le désordre (ordre croissant attendu)")
    return tuple(codes)


def _population(text: str) -> int:
    if not _POPULATION.fullmatch(text):
        raise _Bad("population attendue : un nombre entier positif ou nul, chiffres seulement")
    return int(text)


def _degrees(text: str) -> float:
    if not _DEGREES.fullmatch(text):
        raise _Bad("nombre décimal attendu, avec un point et au plus 6 décimales (ex. 46.58022)")
    return float(text)


def _type(text: str) -> str:
    if text not in TYPES_DELEGUEE:
        raise _Bad("« deleguee » ou « associee » attendu")
    return text


@dataclass(frozen=True)
class Column:
    name: str
    read: Callable[[str], object]
    """The value, or :class:`_Bad` with a French reason."""


COMMUNE_COLUMNS = (
    Column("code_insee", _insee),  # sorted, unique
    Column("nom", _name),  # official name (Code officiel géographique)
    Column("codes_postaux", _postal_codes),  # ascending, separated by one space
    Column("population", _population),  # municipal population
    Column("lat", _degrees),  # a point inside the commune (WGS 84), within site.yaml's emprise
    Column("lon", _degrees),
)
DELEGUEE_COLUMNS = (
    Column("code_insee", _insee),  # sorted, unique (may equal its current commune's code)
    Column("nom", _name),  # the name people still use
    Column("type", _type),  # deleguee (commune nouvelle) or associee (fusion-association)
    Column("commune", _insee),  # the current commune's INSEE code, in communes.csv
)


def header(columns: tuple[Column, ...]) -> str:
    return ";".join(column.name for column in columns)


def _shown(text: str, size: int = 40) -> str:
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return text if len(text) <= size else text[: size - 1] + "…"


@dataclass(frozen=True)
class Row:
    line: int
    values: dict
    columns: dict[str, int]
    """Column name -> 1-based character position of its field in the line."""


def read_table(data: bytes, shown: str, columns: tuple[Column, ...]) -> tuple[list[Row], list[Diagnostic]]:
    """The well-formed lines, and a diagnostic for every problem."""

    def problem(line: int, column: int, name: str, message: str) -> None:
        problems.append(Diagnostic(shown, line, column, name, message))

    problems: list[Diagnostic] = []
    if len(data) > MAX_FILE_BYTES:
        problem(0, 0, "", f"fichier trop volumineux ({len(data)} octets, maximum {MAX_FILE_BYTES}) ; {REGENERATE}")
        return [], problems
    if data.startswith(b"\xef\xbb\xbf"):
        problem(
            1, 1, "", f"marque d'ordre des octets (BOM) au début du fichier : UTF-8 sans BOM attendu ; {REGENERATE}"
        )
        return [], problems
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problem(line, 0, "", f"le fichier n'est pas encodé en UTF-8 (octet 0x{data[exc.start]:02X}) ; {REGENERATE}")
        return [], problems
    if "\r" in text:
        problem(
            text[: text.index("\r")].count("\n") + 1,
            0,
            "",
            f"fin de ligne Windows (CRLF) ou retour chariot : fins de ligne Unix (LF) attendues ; {REGENERATE}",
        )
        return [], problems
    if text and not text.endswith("\n"):
        problem(text.count("\n") + 1, 0, "", "la dernière ligne doit se terminer par un saut de ligne")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    expected = header(columns)
    if not lines or lines[0] != expected:
        problem(1, 1, "", f"en-tête attendu : « {expected} » ; {REGENERATE}")
        return [], problems
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split(";")
        if len(fields) != len(columns):
            problem(
                number, 1, "", f"{len(columns)} champs séparés par « ; » attendus, {len(fields)} trouvés ; {REGENERATE}"
            )
            continue
        values, offsets, offset = {}, {}, 1
        for column, field in zip(columns, fields):
            offsets[column.name] = offset
            try:
                values[column.name] = column.read(field)
            except _Bad as bad:
                problem(number, offset, column.name, f"« {_shown(field)} » : {bad} ; {REGENERATE}")
            offset += len(field) + 1
        if len(values) == len(columns):
            rows.append(Row(number, values, offsets))
    return rows, problems


# -- the two files, checked together ----------------------------------------------------------------


@dataclass(frozen=True)
class GazetteerFiles:
    """What the two files hold once valid. ``lines``: INSEE code -> its line in communes.csv."""

    communes: dict[str, Commune]
    deleguees: dict[str, CommuneDeleguee]
    lines: dict[str, int]
    shown: str


def read_gazetteer(
    root: Path, display: Callable[[Path], str], emprise: Emprise | None, departements: Iterable[str] | None
) -> tuple[GazetteerFiles | None, list[Diagnostic]]:
    """Read data/communes.csv and data/communes-deleguees.csv (see :func:`parse_gazetteer`)."""
    problems: list[Diagnostic] = []
    tables = {}
    for name in (COMMUNES_FILE, DELEGUEES_FILE):
        path = root / name
        shown = display(path)
        if not path.exists() and not path.is_symlink():
            problems.append(Diagnostic(shown, 0, 0, "", "fichier manquant : lancez « spro communes » pour le créer"))
            continue
        try:
            tables[name] = (shown, read_regular(root, path, MAX_FILE_BYTES))
        except UnsafePath as exc:
            problems.append(Diagnostic(shown, 0, 0, "", str(exc)))
    if problems:
        return None, problems
    return parse_gazetteer(tables, emprise, departements)


def parse_gazetteer(
    tables: dict[str, tuple[str, bytes]], emprise: Emprise | None, departements: Iterable[str] | None
) -> tuple[GazetteerFiles | None, list[Diagnostic]]:
    """Both files' content (file name -> (name shown, bytes)) checked together; None when either has an error.

    ``emprise`` and ``departements`` come from data/site.yaml (None when it failed to load:
    those checks are then skipped rather than reported against every line).
    """
    problems: list[Diagnostic] = []
    parsed = {}
    for name, columns in ((COMMUNES_FILE, COMMUNE_COLUMNS), (DELEGUEES_FILE, DELEGUEE_COLUMNS)):
        shown, data = tables[name]
        rows, table_problems = read_table(data, shown, columns)
        problems += table_problems + _check_order(rows, shown)
        parsed[name] = (shown, rows)
    if problems:
        return None, problems
    shown, rows = parsed[COMMUNES_FILE]
    wanted = set(departements) if departements is not None else None
    communes, lines = {}, {}
    for row in rows:
        values = row.values
        code = values["code_insee"]
        departement = departement_of(code)
        if wanted is not None and departement not in wanted:
            problems.append(
                Diagnostic(
                    shown,
                    row.line,
                    1,
                    "code_insee",
                    f"commune du département {departement}, absent de "
                    f"« departements » dans data/site.yaml ; {REGENERATE}",
                )
            )
        if emprise is not None and not emprise.contient(values["lat"], values["lon"]):
            problems.append(
                Diagnostic(
                    shown,
                    row.line,
                    row.columns["lat"],
                    "lat",
                    f"position ({values['lat']}, {values['lon']}) hors de l'emprise de la Région "
                    f"(data/site.yaml, emprise) ; {REGENERATE}",
                )
            )
        communes[code] = Commune(
            code, values["nom"], values["codes_postaux"], values["population"], values["lat"], values["lon"]
        )
        lines[code] = row.line
    for departement in sorted((wanted or set()) - {departement_of(code) for code in communes}):
        problems.append(
            Diagnostic(
                shown,
                0,
                0,
                "",
                f"aucune commune du département {departement} (data/site.yaml, "
                f"departements) : lancez « spro communes »",
            )
        )
    deleguees_shown, deleguee_rows = parsed[DELEGUEES_FILE]
    deleguees = {}
    for row in deleguee_rows:
        values = row.values
        if values["commune"] not in communes:
            problems.append(
                Diagnostic(
                    deleguees_shown,
                    row.line,
                    row.columns["commune"],
                    "commune",
                    f"commune actuelle {values['commune']} absente de {shown} ; {REGENERATE}",
                )
            )
            continue
        deleguees[values["code_insee"]] = CommuneDeleguee(
            values["code_insee"], values["nom"], values["type"], values["commune"]
        )
    if problems:
        return None, problems
    return GazetteerFiles(communes, deleguees, lines, shown), []


def _check_order(rows: list[Row], shown: str) -> list[Diagnostic]:
    problems = []
    previous: tuple[str, int] | None = None
    seen: dict[str, int] = {}
    for row in rows:
        line, code = row.line, row.values["code_insee"]
        if code in seen:
            problems.append(
                Diagnostic(
                    shown,
                    line,
                    1,
                    "code_insee",
                    f"code INSEE {code} en double (déjà ligne {seen[code]}) ; {REGENERATE}",
                )
            )
        elif previous and code < previous[0]:
            problems.append(
                Diagnostic(
                    shown,
                    line,
                    1,
                    "code_insee",
                    f"lignes dans le désordre : {code} après {previous[0]} (ligne {previous[1]}) ; {REGENERATE}",
                )
            )
        seen.setdefault(code, line)
        previous = (code, line)
    return problems


def render_table(columns: tuple[Column, ...], rows: Iterable[tuple]) -> str:
    """The text of a gazetteer file (rows already sorted and valid)."""
    lines = [header(columns)]
    for row in rows:
        lines.append(";".join(" ".join(v) if isinstance(v, tuple) else str(v) for v in row))
    return "\n".join(lines) + "\n"


def render_communes(communes: Iterable[Commune]) -> str:
    return render_table(
        COMMUNE_COLUMNS,
        (
            (c.code_insee, c.nom, c.codes_postaux, c.population, f"{c.lat:.5f}", f"{c.lon:.5f}")
            for c in sorted(communes, key=lambda c: c.code_insee)
        ),
    )


def render_deleguees(deleguees: Iterable[CommuneDeleguee]) -> str:
    return render_table(
        DELEGUEE_COLUMNS,
        ((d.code_insee, d.nom, d.type, d.commune) for d in sorted(deleguees, key=lambda d: d.code_insee)),
    )


# -- questions about communes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """The commune a name and/or postal code designate, or why there is none (``key``: the input at fault)."""

    commune: Commune | None = None
    reason: str | None = None
    key: str | None = None


def nearest(origin: Commune, candidates: Iterable[Commune]) -> Commune:
    """The candidate whose centre is closest to ``origin``'s (ties: smaller INSEE code). An equirectangular
    approximation, exact enough to rank places a few dozen kilometres apart."""
    scale = math.cos(math.radians(origin.lat))
    return min(
        candidates, key=lambda c: (((c.lon - origin.lon) * scale) ** 2 + (c.lat - origin.lat) ** 2, c.code_insee)
    )


def listed(communes: Iterable[Commune]) -> str:
    return ", ".join(f"{c.nom} ({c.code_insee})" for c in communes)


class Gazetteer:
    """Lookups over the communes (with their basins, once joined) and the former communes.

    The indexes are built on first use: validating addresses that are right needs none of them.
    """

    def __init__(self, communes: dict[str, Commune], deleguees: dict[str, CommuneDeleguee] | None = None):
        self.communes = communes
        self.deleguees = deleguees or {}

    @cached_property
    def _by_postal(self) -> dict[str, list[Commune]]:
        index = defaultdict(list)
        for commune in self.communes.values():
            for code in commune.codes_postaux:
                index[code].append(commune)
        return dict(index)

    @cached_property
    def _by_key(self) -> dict[str, list[Commune]]:
        index = defaultdict(list)
        for commune in self.communes.values():
            index[commune_key(commune.nom)].append(commune)
        return dict(index)

    @cached_property
    def _former(self) -> dict[str, list[CommuneDeleguee]]:
        index = defaultdict(list)
        for deleguee in self.deleguees.values():
            index[commune_key(deleguee.nom)].append(deleguee)
        return dict(index)

    def with_postal_code(self, code: str) -> list[Commune]:
        return self._by_postal.get(code, [])

    def named(self, name: str) -> list[Commune]:
        """Current communes with this name (homonyms exist in different departments)."""
        return self._by_key.get(commune_key(name), [])

    def formerly_named(self, name: str) -> list[CommuneDeleguee]:
        """Delegated or associated communes with this name."""
        return [d for d in self._former.get(commune_key(name), []) if d.commune in self.communes]

    def designated_by(self, name: str) -> list[Commune]:
        """The current communes a name may mean: their own name, or a former commune's."""
        found = {c.code_insee: c for c in self.named(name)}
        for deleguee in self.formerly_named(name):
            found.setdefault(deleguee.commune, self.communes[deleguee.commune])
        return sorted(found.values(), key=lambda c: c.code_insee)

    def closest_name(self, name: str) -> str | None:
        match = difflib.get_close_matches(commune_key(name), self._by_key, n=1, cutoff=0.8)
        return self._by_key[match[0]][0].nom if match else None

    def closest_code(self, code: str) -> Commune | None:
        """The one commune whose INSEE code is ``code`` with two neighbouring characters swapped, else the one
        that differs by a single character (codes are dense: a typo often has several neighbours, then none is told)."""
        swapped = {code[:i] + code[i + 1] + code[i] + code[i + 2 :] for i in range(len(code) - 1)} - {code}
        single = {code[:i] + c + code[i + 1 :] for i in range(len(code)) for c in "0123456789" if c != code[i]}
        for candidates in (swapped, single):
            found = sorted(candidates & self.communes.keys())
            if len(found) == 1:
                return self.communes[found[0]]
        return None

    def resolve(self, name: str | None, postal_code: str | None) -> Resolution:
        """The one commune a name and/or a postal code designate (spelling forgiven, former names included)."""
        if postal_code:
            by_code = self.with_postal_code(postal_code)
            if not by_code:
                return Resolution(
                    reason=f"aucune commune de la Région n'a le code postal {postal_code}{self._postal_hint(name)}",
                    key="code_postal",
                )
            if not name:
                if len(by_code) == 1:
                    return Resolution(by_code[0])
                return Resolution(
                    reason=f"le code postal {postal_code} est celui de plusieurs communes ({listed(by_code)}) : "
                    "indiquez laquelle",
                    key="commune",
                )
            designated = {c.code_insee for c in self.designated_by(name)}
            matching = [c for c in by_code if c.code_insee in designated]
            if len(matching) == 1:
                return Resolution(matching[0])
            if matching:
                return Resolution(
                    reason=f"plusieurs communes « {name} » ont le code postal {postal_code} ({listed(matching)}) : "
                    "indiquez le code INSEE",
                    key="commune",
                )
            keys = {commune_key(c.nom): c.nom for c in by_code}
            guess = difflib.get_close_matches(commune_key(name), keys, n=1, cutoff=0.7)
            return Resolution(
                reason=f"« {name} » n'est pas une commune du code postal {postal_code} (communes de ce code "
                f"postal : {listed(by_code)}){self._postal_hint(name)}"
                + (f". Vouliez-vous dire « {keys[guess[0]]} » ?" if guess else ""),
                key="commune",
            )
        if not name:
            return Resolution(reason="indiquez la commune ou son code postal", key="commune")
        designated = self.designated_by(name)
        if len(designated) == 1:
            return Resolution(designated[0])
        if designated:
            return Resolution(
                reason=f"plusieurs communes s'appellent « {name} » ({listed(designated)}) : indiquez le code postal",
                key="commune",
            )
        guess = self.closest_name(name)
        return Resolution(
            reason=f"aucune commune « {name} » dans la Région"
            + (f". Vouliez-vous dire « {guess} » ?" if guess else ""),
            key="commune",
        )

    def _postal_hint(self, name: str | None) -> str:
        if not name:
            return ""
        designated = self.designated_by(name)
        if not designated:
            return ""
        return " ; " + " ; ".join(
            f"{c.nom} ({c.code_insee}) a pour code postal {', '.join(c.codes_postaux)}" for c in designated
        )

    def name_matches(self, commune: Commune, written: str) -> bool:
        """``written`` is the commune's official name, up to case, accents, hyphens, apostrophes and St/Ste."""
        return commune_key(written) == commune_key(commune.nom)

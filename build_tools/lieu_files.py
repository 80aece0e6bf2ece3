"""Writing lieu files for contributors: ``spro new lieu`` and ``spro import csv`` share this.

Both turn plain values (what a person typed, a spreadsheet cell) into a lieu file in the
canonical shape of ``spro format``, choose its id, find the commune in the gazetteer from its
name and/or postal code (writing its official spelling, INSEE code and basin), and validate it
in context before anything is written.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from . import records
from .candidates import CandidateLieux
from .contract import Bool, Choice, Code, Date, ListOf, Number, PlacedColumn, Text, columns_of, french_date, suggestion
from .diagnostics import shown
from .formats import IDENTIFIER
from .gazetteer import Gazetteer
from .model import Dataset, Lieu
from .records import PLACE_KEYS
from .safe_files import UnsafePath, inside
from .text import fold, slug
from .yaml_format import data_file_kind, format_text

LIEU_KIND = data_file_kind(PurePosixPath("lieux/x.yaml"))
# Words that do not tell two lieux of one network and commune apart.
_FILLER = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "sur", "antenne", "agence"}


class IdentifierTaken(ValueError):
    """The id the name and commune give is taken; the message (French) says what to do."""


def choose_id(dataset: Dataset, reseau: str, commune: str, nom: str, taken: set[str] = frozenset()) -> str:
    """``<réseau>-<commune>`` (network teams own their files by that prefix: CODEOWNERS), and the
    distinctive words of the name when another lieu of the network already has that id."""

    def used(identifier: str) -> bool:
        return identifier in dataset.lieux or identifier in taken

    base = f"{reseau}-{slug(commune)}"
    if not used(base):
        return base
    known = set(slug(f"{reseau} {dataset.reseaux[reseau].nom} {commune}").split("-")) | _FILLER
    extra = [word for word in slug(nom).split("-") if word not in known]
    candidate = "-".join([base, *extra])[:80].rstrip("-")
    if extra and not used(candidate):
        return candidate
    shown = candidate if extra else base
    raise IdentifierTaken(
        f"l'identifiant « {shown} » est déjà pris (data/lieux/{shown}.yaml) : s'il s'agit d'un autre "
        "lieu, précisez son nom (ex. « … – antenne des Couronneries ») ou choisissez l'identifiant"
    )


def _scalar(value):
    """Quote text that YAML 1.1 would read as something else (86000, 0549…, 14:30, oui): the contract wants text."""
    if (
        isinstance(value, str)
        and yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str"
    ):
        return DoubleQuotedScalarString(value)
    return value


def _set(mapping: CommentedMap, path: str, value) -> None:
    head, _, rest = path.partition(".")
    if rest:
        if not isinstance(mapping.get(head), dict):
            mapping[head] = CommentedMap()
        _set(mapping[head], rest, value)
    else:
        mapping[head] = [_scalar(v) for v in value] if isinstance(value, list) else _scalar(value)


def lieu_document(values: dict[str, object], existing: str | None = None, canonical: bool = True) -> str:
    """The canonical text of a lieu file with these values (dotted paths: ``adresse.voie``).

    With ``existing`` (an update), the file keeps its other fields and its comments. ``canonical=False``
    (a new lieu that is only checked, not written): the same data written by libyaml, twenty times faster
    than the round trip that gives the canonical layout (``spro import csv --essai`` on 100,000 rows).
    """
    if not canonical and existing is None:
        document: dict = {}
        for path, value in values.items():
            head, _, rest = path.partition(".")
            (document.setdefault(head, {}).__setitem__(rest, value) if rest else document.__setitem__(head, value))
        return yaml.dump(document, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10_000)
    yaml_rt = YAML()
    yaml_rt.preserve_quotes = True
    document = yaml_rt.load(existing) if existing else CommentedMap()
    for path, value in values.items():
        _set(document, path, value)
    out = io.StringIO()
    yaml_rt.dump(document, out)
    text, problems = format_text(out.getvalue(), LIEU_KIND, "")
    assert not problems, problems  # we wrote it ourselves: safe YAML
    return text


# -- plain values (typed answers, spreadsheet cells) to fields --------------------------------------


COLUMNS = tuple(columns_of(records.LIEU))
"""The plain values of a lieu (options of ``spro new lieu``, spreadsheet columns), as records.py declares them."""
BY_KEY = {column.key: column for column in COLUMNS}


def missing_keys(plain: dict[str, str]) -> list[str]:
    """The values a new lieu cannot do without: the required ones, and the commune or its postal code."""
    given = {key for key, value in plain.items() if value is not None and str(value).strip()}
    place = [] if given & set(PLACE_KEYS) else list(PLACE_KEYS)
    return [c.key for c in COLUMNS if (c.required or c.key in place) and c.key not in given]


_YES = {"oui", "o", "vrai", "true", "1", "x"}
_NO = {"non", "n", "faux", "false", "0"}


def column_of(field_path: str) -> PlacedColumn | None:
    """The plain value a validation message is about (``contact.telephone`` -> telephone)."""
    root = re.sub(r"\[\d+\]$", "", field_path)
    exact = next((c for c in COLUMNS if c.field and c.field == root), None)
    return exact or next((c for c in COLUMNS if c.field and c.field.split(".")[0] == root.split(".")[0]), None)


def _leaf(column: PlacedColumn):
    return column.kind.item if isinstance(column.kind, ListOf) else column.kind


def _names(dataset: Dataset, column: PlacedColumn) -> dict[str, str]:
    """Folded code, name (and short name) -> code: a spreadsheet may say « Mission locale » or « CEP »
    (computed once per dataset and column: an import reads it for every cell)."""
    if id(dataset) not in _NAMES and len(_NAMES) >= 4:
        _NAMES.clear()  # (a few datasets at a time: the tests load many)
    cache = _NAMES.setdefault(id(dataset), (dataset, {}))[1]
    if column.field not in cache:
        cache[column.field] = _code_names(dataset, _leaf(column))
    return cache[column.field]


_NAMES: dict[int, tuple[Dataset, dict[str, dict[str, str]]]] = {}
"""id(dataset) -> (the dataset, kept alive so that its id is not reused; names by field)."""
_PREPOSITION = re.compile(r"^(?:par|en|sur) ")


def _code_names(dataset: Dataset, kind: Code | Choice) -> dict[str, str]:
    if isinstance(kind, Choice):  # its codes, its labels, and the labels without their preposition (« téléphone »)
        names = {code: code for code in kind.choices}
        for code, label in (kind.labels or {}).items():
            names.setdefault(fold(label), code)
            names.setdefault(_PREPOSITION.sub("", fold(label)), code)
        return names
    names = {}
    for code, entry in getattr(dataset, kind.table).items():
        for name in (code, getattr(entry, "nom", None), getattr(entry, "nom_court", None)):
            if name:
                names.setdefault(fold(name), code)
    return names


def read_value(dataset: Dataset, column: PlacedColumn, text: str):
    """(value, None) or (None, French reason) for one plain value, read as the contract's kind of its field."""
    text = text.strip()
    kind = _leaf(column)
    if isinstance(kind, (Code, Choice)):
        names = _names(dataset, column)
        parts = [part.strip() for part in re.split(r"[,;|\n]", text) if part.strip()]
        codes, unknown = [], []
        for part in parts:
            code = names.get(fold(part)) or names.get(slug(part))
            (codes.append(code) if code else unknown.append(part))
        if unknown:
            known = sorted(set(names.values()))
            return (
                None,
                f"« {unknown[0]} » inconnu (possibles : {', '.join(known)}).{suggestion(slug(unknown[0]), known)}",
            )
        if not isinstance(column.kind, ListOf):
            return (codes[0], None) if len(codes) == 1 else (None, "une seule valeur attendue")
        return codes, None
    if isinstance(kind, Bool):
        if fold(text) in _YES:
            return True, None
        if fold(text) in _NO:
            return False, None
        return None, f"« {text} » : oui ou non attendu"
    if isinstance(kind, Date):
        try:
            return dt.date.fromisoformat(french_date(text) or text), None
        except ValueError:
            return None, f"« {text} » : date attendue (AAAA-MM-JJ ou JJ/MM/AAAA)"
    if isinstance(kind, Number):
        try:
            number = float(text.replace(",", ".").replace(" ", ""))
        except ValueError:
            number = math.nan
        return (number, None) if math.isfinite(number) else (None, f"« {shown(text)} » : nombre attendu (ex. 46,58)")
    if isinstance(column.kind, ListOf):  # a list of words: « anglais, arabe »
        values = [" ".join(part.split()) for part in re.split(r"[,;|\n]", text) if part.strip()]
        return values, None
    if not (isinstance(kind, Text) and kind.multiline):
        text = " ".join(text.split())
    if kind is records.postal_code and re.fullmatch(r"\d{5}", re.sub(r"[\s.]", "", text)):
        text = re.sub(r"[\s.]", "", text)  # « 79 400 » as people write it
    if isinstance(kind, Text) and kind.normalize and not (kind.check and kind.check(text)):
        text = kind.normalize(text)  # what the contract reads: « 0549123456 » is written « 05 49 12 34 56 »
    return text, None


def lieu_values(
    dataset: Dataset, plain: dict[str, str], today: dt.date, complete: bool = True, gazetteer: Gazetteer | None = None
) -> tuple[dict[str, object], dict[str, str]]:
    """Fields (dotted paths) from plain values, and the problems by key. Empty values are left out.

    ``complete`` (a new lieu): find the commune (official name, INSEE code, postal code, basin) from
    what is given, and date the verification today when not given. An update (``complete=False``)
    only sets what is given.
    """
    values: dict[str, object] = {}
    problems: dict[str, str] = {}
    for key, text in plain.items():
        column = BY_KEY[key]
        if text is None or not str(text).strip() or key == "id":
            continue
        value, problem = read_value(dataset, column, str(text))
        if problem:
            problems[key] = problem
        else:
            values[column.field] = value
    if complete:
        if not set(PLACE_KEYS) & problems.keys() and ({"adresse.code_postal", "adresse.commune"} & values.keys()):
            _place(gazetteer or Gazetteer(dataset.communes, dataset.communes_deleguees), values, problems)
        values.setdefault("verifie_le", today)
    return values, problems


def _place(gazetteer: Gazetteer, values: dict[str, object], problems: dict[str, str]) -> None:
    """The commune's INSEE code, official spelling, postal code (when it has only one) and basin, from
    its name and/or postal code; an ambiguity or an unknown commune is a problem naming the candidates."""
    code, name, postal_code = (values.get(f"adresse.{key}") for key in ("code_insee", "commune", "code_postal"))
    if code:
        commune = gazetteer.communes.get(code)
        if commune is None:
            return  # the validation says why, with the code meant if it can tell
    else:
        found = gazetteer.resolve(name, postal_code)
        if found.commune is None:
            problems[found.key] = found.reason
            return
        commune = found.commune
        values["adresse.code_insee"] = commune.code_insee
    if name is None or commune in gazetteer.designated_by(name):
        values["adresse.commune"] = commune.nom  # the official spelling: « chatellerault » -> Châtellerault
    if postal_code is None:
        if len(commune.codes_postaux) == 1:
            values["adresse.code_postal"] = commune.codes_postaux[0]
        else:
            problems["code_postal"] = (
                f"{commune.nom} a plusieurs codes postaux ({', '.join(commune.codes_postaux)}) : "
                "indiquez celui de l'adresse"
            )
    if commune.bassin:
        values.setdefault("bassin", commune.bassin)


def _other_problems(
    values: dict[str, object], problems: dict[str, str], checker: CandidateLieux, existing: Lieu | None
) -> list[tuple[str | None, str]]:
    """What the contract says of the values that could be read, besides ``problems`` (values that could not):
    a row's every problem is told at once, not one run after another. Fields whose value was refused (and the
    address, when the commune is not known yet) are left to their own message."""
    if existing is not None:
        return []
    unplaced = bool(set(PLACE_KEYS) & problems.keys())
    _, diagnostics = checker.check(
        PLACEHOLDER_ID, lieu_document(values, None, canonical=False), f"data/lieux/{PLACEHOLDER_ID}.yaml"
    )
    found = []
    for diagnostic in (d for d in diagnostics if d.is_error):
        column = column_of(diagnostic.field)
        key = column.key if column else None
        if key in problems or (unplaced and diagnostic.field.split(".")[0] in ("adresse", "bassin")):
            continue
        if "manquant" in diagnostic.message and key is not None:
            continue  # missing because refused above, or told as « valeur obligatoire manquante »
        found.append((key, diagnostic.message) if key else (None, f"{diagnostic.field} : {diagnostic.message}"))
    return found


PLACEHOLDER_ID = "lieu-a-creer"
"""The id a row is checked under before its own id can be chosen (its network and commune may be wrong)."""


def is_lieu_id(identifier: str) -> bool:
    return len(identifier) <= 80 and re.fullmatch(IDENTIFIER, identifier) is not None


def lieu_path(data_root: Path, identifier: str) -> Path:
    """``data/lieux/<id>.yaml``; refuses an id outside the [a-z0-9-] rule, which could name a file elsewhere."""
    if not is_lieu_id(identifier):
        raise UnsafePath(f"identifiant de lieu invalide « {identifier[:40]} » : chemin refusé")
    return inside(data_root / "lieux", data_root / "lieux" / f"{identifier}.yaml")


# -- one lieu file, checked in context: shared by spro new lieu and spro import csv -----------------


@dataclass(frozen=True)
class PreparedLieu:
    identifier: str | None
    text: str | None
    """The file's text; None when there are problems."""
    problems: list[tuple[str | None, str]]
    """(key of the plain value it is about, or None; French message)."""
    changed: bool = True
    """False for an update that changes nothing."""


def prepare_lieu(
    dataset: Dataset,
    plain: dict[str, str],
    today: dt.date,
    checker: CandidateLieux,
    data_root: Path,
    existing: Lieu | None = None,
    taken: set[str] = frozenset(),
    canonical: bool = True,
) -> PreparedLieu:
    """A lieu file from plain values, validated like ``spro validate`` would (cross-file rules included).

    A new lieu (``existing`` None) gets its id, INSEE code, basin and verification date; an update
    of ``existing`` changes only the values given. ``taken``: ids already chosen in this run. ``canonical=False``:
    the text is only checked, never written (see :func:`lieu_document`).
    """
    values, problems = lieu_values(dataset, plain, today, complete=existing is None, gazetteer=checker.gazetteer)
    if existing is None:
        for key in missing_keys({c.key: "x" for c in COLUMNS if c.field in values}):
            if key not in PLACE_KEYS:
                problems.setdefault(key, "valeur obligatoire manquante")
            elif not set(PLACE_KEYS) & problems.keys():
                problems[key] = "indiquez la commune ou son code postal"
    if problems:
        return PreparedLieu(None, None, list(problems.items()) + _other_problems(values, problems, checker, existing))
    current = None
    if existing is None:
        given = (plain.get("id") or "").strip()
        if given and not is_lieu_id(given):
            advice = (
                f"par exemple « {slug(given)[:80]} »"
                if slug(given)
                else "ou laissez-le vide : il est alors formé du réseau et de la commune"
            )
            return PreparedLieu(
                None,
                None,
                [
                    (
                        "id",
                        f"identifiant « {given[:40]} » invalide : lettres minuscules sans accent, "
                        f"chiffres et tirets seulement, {advice}",
                    )
                ],
            )
        try:
            identifier = given or choose_id(dataset, values["reseau"], values["adresse.commune"], values["nom"], taken)
        except IdentifierTaken as refused:
            return PreparedLieu(None, None, [("nom", str(refused))])
        if identifier in taken:
            return PreparedLieu(
                None, None, [("id", f"l'identifiant « {identifier} » est déjà celui d'une ligne précédente")]
            )
        if identifier in dataset.lieux or lieu_path(data_root, identifier).exists():
            return PreparedLieu(
                None,
                None,
                [
                    (
                        "id",
                        f"le lieu « {identifier} » existe déjà (data/lieux/{identifier}.yaml) : "
                        "choisissez un autre identifiant",
                    )
                ],
            )
    else:
        identifier = existing.id
        current = lieu_path(data_root, identifier).read_text(encoding="utf-8")
    text = lieu_document(values, current, canonical)
    _, diagnostics = checker.check(
        identifier, text, f"data/lieux/{identifier}.yaml", replaces=existing.source if existing else None
    )
    found = []
    for diagnostic in (d for d in diagnostics if d.is_error):
        column = column_of(diagnostic.field)
        found.append(
            (column.key, diagnostic.message) if column else (None, f"{diagnostic.field} : {diagnostic.message}")
        )
    return PreparedLieu(identifier, None if found else text, found, changed=text != current)

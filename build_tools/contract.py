"""The machinery of the data contract: field kinds that read YAML nodes and describe themselves.

Each kind both *reads* a node (returning a clean Python value, or :data:`INVALID` after
reporting why in French, at the node's line) and *describes* itself as JSON Schema. The
record definitions in :mod:`build_tools.records` are written with these kinds only, so the
validator, the published JSON Schemas and the contributors' field reference cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import formats
from .diagnostics import Diagnostic, Severity
from .text import fold

INVALID: Any = object()
"""Returned by a kind that reported an error; callers drop the value."""

_TAG = "tag:yaml.org,2002:"
TABLE_MARKER = "x-spro-table"
_NOT_TEXT = {
    _TAG + "int": "un nombre",
    _TAG + "float": "un nombre",
    _TAG + "bool": "un booléen",
    _TAG + "timestamp": "une date",
}
_FRENCH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DECIMAL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def closest(word: str, choices, cutoff: float = 0.6) -> str | None:
    """The valid choice a typo most likely meant, if any is close enough."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(word.lower(), lowered, n=1, cutoff=cutoff)
    return lowered[match[0]] if match else None


def french_date(text: str) -> str | None:
    """``12/03/2027`` (or ``12.03.2027``, ``12-03-2027``) as ``2027-03-12``; None when not written so."""
    match = _FRENCH_DATE.match(text)
    if not match:
        return None
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def suggestion(word: str, choices) -> str:
    guess = closest(word, choices)
    return f" Vouliez-vous dire « {guess} » ?" if guess else ""


LISTED_CODES = 30
"""Up to this many codes, a message refusing an unknown code lists them all."""


NAME_FIELDS = ("nom", "nom_court")
"""The fields of a reference entry (a service, a network, a public) that unknown codes are matched against."""


def _names(entry) -> list[str]:
    """The names a reference entry is known by (``nom``, ``nom_court``), whether read values or model objects."""
    names = []
    for attribute in NAME_FIELDS:
        value = entry.get(attribute) if isinstance(entry, dict) else getattr(entry, attribute, None)
        if isinstance(value, str):
            names.append(value)
    return names


def code_hint(value: str, known: dict, label: str) -> str:
    """What to write instead of an unknown code: the code of the entry so named, a close code or name, or the list.

    ``known`` maps codes to their entries (read values, model objects, or None when entries have no name).
    """
    by_name = {fold(name): code for code, entry in known.items() for name in _names(entry)}
    if fold(value) in by_name:
        code = by_name[fold(value)]
        return f" « {_clip(value)} » est le nom du {label} « {code} » : écrivez son code, {code}."
    guess = closest(value, known)
    if guess:
        return f" Vouliez-vous dire « {guess} » ?"
    named = closest(fold(value), by_name)
    if named:
        return f" Vouliez-vous dire « {by_name[named]} » ({_names(known[by_name[named]])[0]}) ?"
    if not known:
        return " Aucun code n'est encore défini."
    if len(known) <= LISTED_CODES:
        return f" Codes possibles : {', '.join(sorted(known))}."
    return ""


@dataclass
class Reader:
    """State shared while reading one file: where it is, what it may refer to, what went wrong."""

    path: str
    today: dt.date
    references: dict[str, dict[str, str]] | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    def report(self, node: yaml.Node | None, field_path: str, message: str, severity=Severity.ERROR) -> None:
        line, column = position(node)
        self.diagnostics.append(Diagnostic(self.path, line, column, field_path, message, severity))

    def error(self, node, field_path: str, message: str) -> Any:
        self.report(node, field_path, message)
        return INVALID

    def warning(self, node, field_path: str, message: str) -> None:
        self.report(node, field_path, message, Severity.WARNING)

    def at(self, field_path: str) -> tuple[int, int]:
        return self.positions.get(field_path, (0, 0))

    def report_field(self, field_path: str, message: str, severity=Severity.ERROR, column_offset: int = 0) -> None:
        """Report on a field already read, at the position recorded for it."""
        line, column = self.at(field_path)
        self.diagnostics.append(Diagnostic(self.path, line, column + column_offset, field_path, message, severity))


def position(node: yaml.Node | None) -> tuple[int, int]:
    if node is None:
        return 0, 0
    return node.start_mark.line + 1, node.start_mark.column + 1


def describe_node(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "un dictionnaire (clé: valeur)"
    if isinstance(node, yaml.SequenceNode):
        return "une liste"
    return f"« {_clip(node.value)} »"


def _clip(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _words(text: str) -> list[str]:
    """« cep, api » -> ["cep", "api"]: the items a list written on one line meant."""
    return [word.strip() for word in text.split(",") if word.strip()]


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null"


class Kind:
    """A type of value in the contract."""

    def read(self, node: yaml.Node, reader: Reader, path: str) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def describe(self) -> str:
        """A short French phrase for the contributors' field reference."""
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Kind):
    """A string. Plain scalars are read verbatim, so ``code_postal: 01000`` stays "01000".

    ``check`` takes the stripped text and returns an error message or None (with a ``pattern``, it
    also gives the advice when the pattern is not met); ``normalize`` turns accepted text into its
    canonical form (a phone number into "05 49 ...").
    """

    max_length: int = 300
    multiline: bool = False
    pattern: str | None = None
    pattern_message: str = ""
    check: Callable[[str], str | None] | None = None
    normalize: Callable[[str], str] | None = None
    label: str = "texte"
    json_format: str | None = None

    def read(self, node, reader, path):
        if not isinstance(node, yaml.ScalarNode):
            return reader.error(node, path, f"un texte est attendu, pas {describe_node(node)}")
        if _is_null(node) or not node.value.strip():
            return reader.error(node, path, "valeur vide : renseignez ce champ ou retirez la ligne")
        problem = formats.invisible_character_problem(node.value)
        if problem:
            return reader.error(node, path, problem)
        value = node.value.strip() if self.multiline else " ".join(node.value.split())
        if node.tag in _NOT_TEXT:
            # YAML reads it as something else (86000 as a number, 01000 as octal 512, 14:30 as 870):
            # other tools reading the file would get it wrong, so the contract asks for quotes.
            return reader.error(
                node, path, f'« {value} » est lu comme {_NOT_TEXT[node.tag]} : mettez-le entre guillemets ("{value}")'
            )
        # (a short value with a pattern gets the pattern's advice: « 79 400 » is a postal code with a space)
        if len(value) > self.max_length and not (self.pattern and len(value) <= 100):
            return reader.error(node, path, f"texte trop long ({len(value)} caractères, maximum {self.max_length})")
        if not self.multiline and "\n" in node.value.strip():
            return reader.error(node, path, "ce texte doit tenir sur une seule ligne")
        if self.pattern and not re.fullmatch(self.pattern, value):
            hint = self.check(value) if self.check else None
            return reader.error(node, path, f"« {_clip(value)} » : {hint or self.pattern_message}")
        if self.check:
            problem = self.check(value)
            if problem:
                return reader.error(node, path, f"« {_clip(value)} » : {problem}")
        return self.normalize(value) if self.normalize else value

    def json_schema(self):
        schema: dict = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.pattern:
            schema["pattern"] = f"^(?:{self.pattern})$"
        if self.json_format:
            schema["format"] = self.json_format
        return schema

    def describe(self):
        return self.label


@dataclass(frozen=True)
class Code(Kind):
    """A code that must exist in a reference table (services, publics, réseaux, bassins...)."""

    table: str
    label: str

    def read(self, node, reader, path):
        value = Text(max_length=80).read(node, reader, path)
        if value is INVALID:
            return INVALID
        known = (reader.references or {}).get(self.table)  # None: table unknown, not checked
        if known is not None and value not in known:
            return reader.error(
                node, path, f"{self.label} inconnu « {_clip(value)} ».{code_hint(value, known, self.label)}"
            )
        return value

    def json_schema(self):
        # The table's codes are filled in by json_schemas.py, which knows the reference data.
        return {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", TABLE_MARKER: self.table}

    def describe(self):
        return f"code de {self.label}"


@dataclass(frozen=True)
class Choice(Kind):
    """One of a fixed list of words; ``labels``, when given, are what the public reads for each of them."""

    choices: tuple[str, ...]
    label: str = "valeur"
    labels: dict[str, str] | None = field(default=None, compare=False)

    def read(self, node, reader, path):
        value = Text(max_length=80).read(node, reader, path)
        if value is INVALID:
            return INVALID
        if value not in self.choices:
            return reader.error(
                node,
                path,
                f"{self.label} : « {_clip(value)} » n'est pas une valeur possible "
                f"(valeurs possibles : {', '.join(self.choices)}).{suggestion(value, self.choices)}",
            )
        return value

    def json_schema(self):
        return {"type": "string", "enum": list(self.choices)}

    def describe(self):
        return "une valeur parmi : " + ", ".join(f"`{c}`" for c in self.choices)


@dataclass(frozen=True)
class Bool(Kind):
    def read(self, node, reader, path):
        if isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "bool":
            return yaml.SafeLoader.bool_values[node.value.lower()]
        shown = describe_node(node)
        hint = " (écrivez true pour oui, false pour non)" if isinstance(node, yaml.ScalarNode) else ""
        return reader.error(node, path, f"true ou false est attendu, pas {shown}{hint}")

    def json_schema(self):
        return {"type": "boolean"}

    def describe(self):
        return "`true` (oui) ou `false` (non)"


@dataclass(frozen=True)
class Number(Kind):
    """A finite decimal number between ``minimum`` and ``maximum``.

    Only plain decimal notation is read: YAML 1.1 also reads ``46:30`` (base 60), ``0x1F``,
    ``.nan`` and ``.inf`` as numbers, which no contributor means for a coordinate.
    """

    minimum: float
    maximum: float

    def read(self, node, reader, path):
        text = node.value.strip() if isinstance(node, yaml.ScalarNode) else ""
        if not (isinstance(node, yaml.ScalarNode) and node.tag in (_TAG + "int", _TAG + "float") and not node.style):
            return reader.error(node, path, f"un nombre est attendu, pas {describe_node(node)}")
        if not _DECIMAL.fullmatch(text):
            return reader.error(
                node, path, f"« {_clip(text)} » : nombre décimal attendu, écrit avec un point (ex. 46.58)"
            )
        value = float(text)
        if not math.isfinite(value) or not (self.minimum <= value <= self.maximum):
            return reader.error(node, path, f"{_clip(text)} hors des bornes ({self.minimum:g} à {self.maximum:g})")
        return value

    def json_schema(self):
        return {"type": "number", "minimum": self.minimum, "maximum": self.maximum}

    def describe(self):
        return "nombre décimal (point comme séparateur)"


YEARS = (2000, 2100)
"""The years a date of the data may have: beyond, it is a typo (and calendars and feeds overflow at 9999)."""


@dataclass(frozen=True)
class Date(Kind):
    """A calendar date written AAAA-MM-JJ, of a year in :data:`YEARS`. ``not_future`` refuses dates after today."""

    not_future: bool = False

    def read(self, node, reader, path):
        if not isinstance(node, yaml.ScalarNode) or _is_null(node):
            return reader.error(node, path, f"une date AAAA-MM-JJ est attendue, pas {describe_node(node)}")
        text = node.value.strip()
        iso = french_date(text)
        if iso:
            return reader.error(node, path, f"« {text} » : une date AAAA-MM-JJ est attendue : écrivez {iso}")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return reader.error(node, path, f"« {_clip(text)} » : une date AAAA-MM-JJ est attendue")
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            return reader.error(node, path, f"« {text} » n'est pas une date qui existe")
        if not YEARS[0] <= value.year <= YEARS[1]:
            return reader.error(
                node, path, f"« {text} » : année entre {YEARS[0]} et {YEARS[1]} attendue (faute de frappe ?)"
            )
        if self.not_future and value > reader.today:
            return reader.error(node, path, f"la date {value.isoformat()} est dans le futur")
        return value

    def json_schema(self):
        return {"type": "string", "format": "date"}

    def describe(self):
        return "date au format AAAA-MM-JJ" + (" (pas dans le futur)" if self.not_future else "")


@dataclass(frozen=True)
class Column:
    """A field as one plain value: an option of ``spro new lieu``, a column of a spreadsheet that ``spro import
    csv`` reads, a column of the open-data exports. Declared on the field itself, so that adding a field is one
    statement (see DEVELOPERS.md, « Adding a field »)."""

    key: str
    """The option and spreadsheet column name (``code_postal``)."""
    label: str
    """What to type, in French (prompts of ``spro new lieu``, its ``--help``, the import's messages)."""
    aliases: tuple[str, ...] = ()
    """Other headers a spreadsheet may use (« CP », « ville », « complément d'adresse »; case, accents, spaces and
    punctuation do not matter)."""
    export: str | None = None
    """Its name in ``lieux.csv`` and the GeoJSON; None: not exported as such."""
    export_label: str = ""
    """What the exported column holds, for the open-data page (defaults to ``label``)."""
    required: bool | None = None
    """Whether a new lieu needs it; None: as the field (a default or another column may stand in for it)."""


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    description: str
    required: bool = False
    example: Any = None
    default: Any = None
    """The value of an optional field left out (None: no value; lists: empty)."""
    column: Column | None = None


@dataclass(frozen=True)
class PlacedColumn:
    """A declared :class:`Column` with where it sits in its record."""

    field: str
    """Dotted path of the field (``adresse.code_postal``)."""
    kind: Kind
    declared: Column
    required: bool
    """Whether a new record needs it (the declaration's ``required``, or the field's and its parents')."""

    @property
    def key(self) -> str:
        return self.declared.key

    @property
    def label(self) -> str:
        return self.declared.label


def columns_of(struct: Struct, prefix: str = "", required: bool = True) -> list[PlacedColumn]:
    """The columns declared on ``struct``'s fields and its groups' fields, in the order of the contract."""
    found = []
    for spec in struct.fields:
        path = prefix + spec.name
        needed = required and spec.required
        if spec.column is not None:
            declared = spec.column.required
            found.append(PlacedColumn(path, spec.kind, spec.column, needed if declared is None else declared))
        if isinstance(spec.kind, Struct):
            found.extend(columns_of(spec.kind, path + ".", needed))
    return found


def missing_field_message(spec: Field, today: dt.date) -> str:
    """A required field left out: the line to add, from the contract's example (to adapt) and description."""
    return f"champ obligatoire manquant : ajoutez une ligne comme {_line_to_write(spec, today)}"


def empty_field_message(spec: Field, today: dt.date) -> str:
    """A required field written without a value."""
    return f"valeur vide : ce champ est obligatoire, renseignez-le, par exemple {_line_to_write(spec, today)}"


def _line_to_write(spec: Field, today: dt.date) -> str:
    """« name: example » (what the field holds); a date of the past (a check date) is today's."""
    example = spec.example
    if isinstance(example, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", example):
        example = dt.date.fromisoformat(example)  # (written as dates are in the data: unquoted)
    if isinstance(spec.kind, Date) and spec.kind.not_future:
        example = today
    if example is None or isinstance(spec.kind, Struct):
        value = "…"
    else:
        value = yaml.safe_dump(example, allow_unicode=True, default_flow_style=True, width=200)
        value = value.removesuffix("\n...\n").strip()
    about = spec.description.split(". ")[0].split(" ; ")[0].rstrip(".")
    if len(about) > 100:
        about = re.split(r" \(| : ", about)[0]
    return f"« {spec.name}: {value} » ({about[:1].lower()}{about[1:]})"


@dataclass(frozen=True)
class Struct(Kind):
    """A mapping with known keys. Unknown keys are errors with a suggestion; so are duplicates.

    ``rules`` run on the read values (a dict) and report cross-field problems, such as a
    closure whose end precedes its start.
    """

    fields: tuple[Field, ...]
    rules: tuple[Callable[[dict, Reader, str], None], ...] = ()
    title: str = ""
    retired: dict[str, str] = field(default_factory=dict)
    """Fields of earlier versions of the contract: name -> French explanation of what to do instead."""

    def read(self, node, reader, path):
        if not isinstance(node, yaml.MappingNode):
            what = "des champs « nom: valeur »" if not path else "un dictionnaire (clé: valeur)"
            return reader.error(node, path, f"{what} attendu, pas {describe_node(node)}")
        by_name = {f.name: f for f in self.fields}
        seen: dict[str, yaml.Node] = {}
        values: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                reader.error(key_node, path, "une clé doit être un simple mot")
                continue
            where = f"{path}.{key}" if path else key
            if key in seen:
                first = position(seen[key])[0]
                reader.error(
                    key_node, where, f"clé en double (déjà présente ligne {first}) : gardez une seule fois ce champ"
                )
                continue
            seen[key] = key_node
            spec = by_name.get(key)
            if spec is None and key in self.retired:
                reader.error(key_node, where, f"champ retiré du format : {self.retired[key]}")
                continue
            if spec is None:
                reader.error(
                    key_node,
                    where,
                    f"champ inconnu.{suggestion(key, by_name) or ' Champs possibles : ' + ', '.join(by_name)}",
                )
                continue
            reader.positions[where] = position(value_node)
            if (
                spec.required
                and isinstance(value_node, yaml.ScalarNode)
                and (_is_null(value_node) or not value_node.value.strip())
            ):
                reader.error(value_node, where, empty_field_message(spec, reader.today))
                continue
            value = spec.kind.read(value_node, reader, where)
            if value is not INVALID:
                values[key] = value
        for spec in self.fields:
            if spec.required and spec.name not in seen:  # at the mapping's first line: annotations need one
                where = f"{path}.{spec.name}" if path else spec.name
                reader.error(node, where, missing_field_message(spec, reader.today))
        reader.positions.setdefault(path, position(node))
        for rule in self.rules:
            rule(values, reader, path)
        return values

    def json_schema(self):
        properties = {}
        for spec in self.fields:
            schema = dict(spec.kind.json_schema())
            schema["description"] = spec.description
            if spec.example is not None:
                schema["examples"] = [spec.example]
            if spec.default is not None:
                schema["default"] = spec.default
            properties[spec.name] = schema
        schema = {"type": "object", "additionalProperties": False, "properties": properties}
        required = [f.name for f in self.fields if f.required]
        if required:
            schema["required"] = required
        return schema

    def describe(self):
        return "dictionnaire : " + ", ".join(f"`{f.name}`" for f in self.fields)


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind
    min_items: int = 0
    unique: bool = True
    max_items: int = 500

    def read(self, node, reader, path):
        if isinstance(node, yaml.ScalarNode) and not _is_null(node) and isinstance(self.item, (Text, Code, Choice)):
            return reader.error(node, path, f"une liste est attendue : écrivez [{', '.join(_words(node.value))}]")
        if not isinstance(node, yaml.SequenceNode):
            return reader.error(node, path, f"une liste est attendue, pas {describe_node(node)}")
        if len(node.value) < self.min_items:
            return reader.error(node, path, f"au moins {self.min_items} élément(s) attendu(s)")
        if len(node.value) > self.max_items:
            return reader.error(node, path, f"trop d'éléments ({len(node.value)}, maximum {self.max_items})")
        values = []
        if isinstance(self.item, (Code, Choice)) and any(
            isinstance(item, yaml.ScalarNode) and "," in item.value for item in node.value
        ):
            # « - cep, api »: one item holding several codes
            written = [word for item in node.value if isinstance(item, yaml.ScalarNode) for word in _words(item.value)]
            return reader.error(node, path, f"un seul code par élément de liste : écrivez [{', '.join(written)}]")
        for index, item_node in enumerate(node.value, start=1):
            where = f"{path}[{index}]"
            reader.positions[where] = position(item_node)
            value = self.item.read(item_node, reader, where)
            if value is INVALID:
                continue
            if self.unique and isinstance(value, str) and value in values:
                reader.error(item_node, where, f"« {value} » figure deux fois dans la liste")
                continue
            values.append(value)
        return values

    def json_schema(self):
        schema = {"type": "array", "items": self.item.json_schema(), "maxItems": self.max_items}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.unique:
            schema["uniqueItems"] = True
        return schema

    def describe(self):
        return f"liste ({self.item.describe()})"


@dataclass(frozen=True)
class MapOf(Kind):
    """A mapping from codes to records, as in services.yaml (``api: {nom: ...}``)."""

    value: Kind
    key_pattern: str = r"[a-z0-9]+(?:-[a-z0-9]+)*"
    key_message: str = "code invalide : lettres minuscules sans accent, chiffres et tirets"

    def read(self, node, reader, path):
        if not isinstance(node, yaml.MappingNode):
            return reader.error(node, path, f"un dictionnaire de codes est attendu, pas {describe_node(node)}")
        result: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            where = f"{path}.{key}" if path else key
            if key in seen:
                reader.error(key_node, where, f"code en double (déjà présent ligne {position(seen[key])[0]})")
                continue
            seen[key] = key_node
            if not re.fullmatch(self.key_pattern, key):
                reader.error(key_node, where, f"« {_clip(key)} » : {self.key_message}")
                continue
            reader.positions[where] = position(value_node)
            value = self.value.read(value_node, reader, where)
            if value is not INVALID:
                result[key] = value
        return result

    def json_schema(self):
        return {
            "type": "object",
            "propertyNames": {"pattern": f"^(?:{self.key_pattern})$"},
            "additionalProperties": self.value.json_schema(),
        }

    def describe(self):
        return f"dictionnaire de codes ({self.value.describe()})"

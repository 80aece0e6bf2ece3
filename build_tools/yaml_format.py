"""``spro format``: rewrite data files in one canonical shape, keeping every comment.

Canonical shape: fields in the order of the contract (:mod:`build_tools.records`; unknown
fields keep their place after the known ones), two-space indentation, short lists of codes in
flow style (``services: [api, cep]``) unless a comment sits inside, mappings and lists of records in
block style, LF line endings, no BOM, and the ``yaml-language-server`` schema line first.
Scalars are written as they were (quotes, block scalars, dates).

ruamel.yaml keeps comments, but attaches a comment line to the element *before* it. Before
reordering, the comment lines between two fields are detached from the previous one, then
re-attached in front of the field they preceded, so a comment travels with its field. A
comment above the first field of a mapping stays at the top of that mapping.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from .atomic import write_atomically
from .contract import Kind, ListOf, MapOf, Struct
from .diagnostics import Diagnostic, Severity
from .json_schemas import SCHEMA_FILES
from .loader import FOLDERS, OPTIONAL_FILES, REFERENCE_FILES
from .yaml_source import read_yaml

SCHEMA_LINE = "# yaml-language-server: $schema="
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BLOCK_SCALARS = (LiteralScalarString, FoldedScalarString)
FLOW_WIDTH = 80
"""Lists of codes shorter than this are written on one line: ``services: [api, cep]``."""


@dataclass(frozen=True)
class DataFileKind:
    """What a data file is: its contract and its JSON Schema (path relative to the data folder's parent)."""

    kind: Kind
    schema: str


def data_file_kind(relative: PurePosixPath) -> DataFileKind | None:
    """The contract of a file given its path inside ``data/`` (``lieux/x.yaml``, ``services.yaml``), if any."""
    parts = relative.parts
    if relative.suffix != ".yaml":
        return None
    tables = {**REFERENCE_FILES, **OPTIONAL_FILES}
    if len(parts) == 1 and parts[0] in tables:
        name = parts[0].removesuffix(".yaml")
        return DataFileKind(tables[parts[0]], f"../schemas/{name}.schema.json")
    if len(parts) == 2 and parts[0] in FOLDERS:
        kind = FOLDERS[parts[0]]
        name = next(name for name, (_, schema_kind) in SCHEMA_FILES.items() if schema_kind is kind)
        return DataFileKind(kind, f"../../schemas/{name}")
    return None


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap partners' text
    return yaml


def format_text(text: str, file_kind: DataFileKind, path: str) -> tuple[str | None, list[Diagnostic]]:
    """The canonical text of a data file, or None and the reasons it cannot be read safely."""
    _, problems = read_yaml(text.encode("utf-8"), path)  # anchors, tags, depth, NUL...: refused before ruamel
    if problems:
        return None, problems
    try:
        data = _yaml().load(text)
    except MarkedYAMLError as exc:  # duplicate keys, mostly (the safe reader accepts them: the contract reports them)
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, [
            Diagnostic(
                path, line, column, "", "mise en forme impossible : clé en double ou YAML ambigu ; lancez spro validate"
            )
        ]
    _canonical(data, file_kind.kind)
    out = io.StringIO()
    _yaml().dump(data, out)
    result = out.getvalue()
    if not result.startswith(SCHEMA_LINE):
        result = f"{SCHEMA_LINE}{file_kind.schema}\n{result}"
    return result, []


def _canonical(node, kind: Kind, indent: int = 0) -> None:
    if isinstance(kind, Struct) and isinstance(node, CommentedMap):
        node.fa.set_block_style()
        fields = {f.name: f.kind for f in kind.fields}
        for key in node:  # inner mappings first: their last comments may belong to this mapping's next field
            if key in fields:
                _canonical(node[key], fields[key], indent + 2)
        _reorder(node, [f.name for f in kind.fields], indent)
    elif isinstance(kind, MapOf) and isinstance(node, CommentedMap):
        node.fa.set_block_style()
        for key in node:
            _canonical(node[key], kind.value, indent + 2)
    elif isinstance(kind, ListOf) and isinstance(node, CommentedSeq):
        scalars = all(not isinstance(item, (dict, list)) for item in node)
        short = len(", ".join(map(str, node))) <= FLOW_WIDTH
        if scalars and short and not _has_comments(node):
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
        for item in node:
            _canonical(item, kind.item, indent + 4)  # "  - " then the item's fields


def _has_comments(seq: CommentedSeq) -> bool:
    return any(any(slot is not None for slot in slots) for slots in seq.ca.items.values())


# -- moving comments with their fields ---------------------------------------------------------


def _reorder(mapping: CommentedMap, order: list[str], indent: int) -> None:
    """Put the fields in contract order; the comment lines above a field move (and re-indent) with it."""
    keys = list(mapping)
    if not keys:
        return
    rank = {name: index for index, name in enumerate(order)}
    wanted = sorted(keys, key=lambda k: (rank.get(k, len(order)), keys.index(k)))
    before = {keys[i + 1]: _reindent(_detach(mapping, keys[i]), indent) for i in range(len(keys) - 1)}
    tail = _detach(mapping, keys[-1])  # after the last field: stays at the end (the outer mapping re-indents it)
    if wanted != keys:
        values = {key: mapping[key] for key in keys}
        slots = {key: mapping.ca.items.pop(key, None) for key in keys}
        for key in keys:
            del mapping[key]
        for key in wanted:
            mapping[key] = values[key]
            if slots[key] is not None:
                mapping.ca.items[key] = slots[key]
    if before.get(wanted[0]):  # the field that comes first now: its comment joins the mapping's opening comment
        start = CommentToken(before[wanted[0]], CommentMark(0), None)
        if mapping.ca.comment is None:
            mapping.ca.comment = [None, [start]]
        else:
            mapping.ca.comment[1] = (mapping.ca.comment[1] or []) + [start]
    for previous, key in zip(wanted, wanted[1:]):
        if before.get(key):
            _attach(mapping, previous, before[key])
    if tail:
        _attach(mapping, wanted[-1], tail)


def _reindent(text: str, indent: int) -> str:
    return "".join(" " * indent + line.lstrip() if line.strip() else "\n" for line in text.splitlines(keepends=True))


def _ending(container, key):
    """(slots, index, value) of the comment token that ends element ``key``, inside nested blocks if need be."""
    value = container[key]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
        last = list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1
        return _ending(value, last)
    index = 2 if isinstance(container, CommentedMap) else 0
    return container.ca.items.setdefault(key, [None, None, None, None]), index, value


def _detach(container, key) -> str:
    """Remove and return the whole comment lines that follow element ``key`` (its end-of-line comment stays)."""
    slots, index, value = _ending(container, key)
    token = slots[index]
    if token is None:
        return ""
    if isinstance(value, _BLOCK_SCALARS):  # the block scalar ended its last line: no end-of-line comment
        slots[index] = None
        return token.value
    head, newline, rest = token.value.partition("\n")
    token.value = head + newline
    return rest


def _attach(container, key, text: str) -> None:
    slots, index, value = _ending(container, key)
    token = slots[index]
    if token is None:
        lead = "" if isinstance(value, _BLOCK_SCALARS) else "\n"
        slots[index] = CommentToken(lead + text, CommentMark(0), None)
    else:
        token.value = (token.value if token.value.endswith("\n") else token.value + "\n") + text


# -- what differs, for people who cannot run spro format ------------------------------------------

AFTER_MERGE = "corrigé automatiquement après la fusion, ou par spro format"


@dataclass
class _Differences:
    """Each kind of layout difference found in a file: the lines and what each one is."""

    found: dict[str, list[tuple[int, str]]]

    def add(self, reason: str, line: int, detail: str = "") -> None:
        self.found.setdefault(reason, []).append((line, detail))


def layout_notes(raw: bytes, formatted: str, shown: str) -> list[Diagnostic]:
    """Notes saying where and how a data file's layout differs from ``spro format``'s (valid content: never an error).

    The two texts are read as node trees and walked together (they hold the same data): field order, indentation
    and list style are compared node by node; line endings, trailing spaces and the final newline line by line.
    """
    text = raw.decode("utf-8-sig")
    differences = _Differences({})
    lines = text.replace("\r\n", "\n").split("\n")
    if raw.startswith(b"\xef\xbb\xbf"):
        differences.add("marque d'ordre des octets (BOM) en tête du fichier, à retirer", 1)
    if "\r\n" in text:
        differences.add("fins de ligne Windows (CRLF), à remplacer par des fins de ligne simples", 1)
    if text and not text.endswith("\n"):
        differences.add("pas de retour à la ligne après la dernière ligne", len(lines))
    kept = set(formatted.split("\n"))
    for number, line in enumerate(lines, start=1):
        if line != line.rstrip() and line not in kept:
            differences.add("espaces en fin de ligne", number)
    if not text.startswith(SCHEMA_LINE):
        differences.add(
            "ligne « # yaml-language-server: $schema=… » à ajouter en tête (autocomplétion dans les éditeurs)", 1
        )
    original, _ = read_yaml(raw, shown)
    canonical, _ = read_yaml(formatted.encode("utf-8"), shown)
    if original.root is not None and canonical.root is not None:
        _compare(original.root, canonical.root, differences)
    if not differences.found and formatted != text:
        first = next((i for i, (a, b) in enumerate(zip(lines, formatted.split("\n")), start=1) if a != b), 1)
        differences.add("espacement à revoir", first)
    notes = []
    for reason, where in differences.found.items():
        (line, detail), lines_count = min(where), len({line for line, _ in where})
        others = lines_count - 1
        count = f" (et {others} autre{'s' if others > 1 else ''} ligne{'s' if others > 1 else ''})" if others else ""
        notes.append(
            Diagnostic(
                shown,
                line,
                0,
                "",
                f"mise en forme : {reason}{detail and ' : ' + detail}{count} ; {AFTER_MERGE}",
                Severity.NOTICE,
            )
        )
    return sorted(notes, key=lambda d: (d.line, d.message))


def _line(node) -> int:
    return node.start_mark.line + 1


def _compare(original, canonical, differences: _Differences) -> None:
    """Walk two trees of the same data: order of keys, indentation of keys and list items, flow or block lists."""
    if isinstance(original, yaml.MappingNode) and isinstance(canonical, yaml.MappingNode):
        wanted = {key.value: (key, value) for key, value in canonical.value if isinstance(key, yaml.ScalarNode)}
        order = list(wanted)
        previous = None
        for key, value in original.value:
            if not isinstance(key, yaml.ScalarNode) or key.value not in wanted:
                continue
            if previous is not None and order.index(key.value) < order.index(previous):
                differences.add("ordre des champs", _line(key), f"« {key.value} » se range avant « {previous} »")
            else:
                previous = key.value
            canonical_key, canonical_value = wanted[key.value]
            if not original.flow_style and key.start_mark.column != canonical_key.start_mark.column:
                differences.add(
                    "indentation",
                    _line(key),
                    f"{key.start_mark.column} espaces au lieu de {canonical_key.start_mark.column}",
                )
            if (
                isinstance(value, yaml.SequenceNode)
                and isinstance(canonical_value, yaml.SequenceNode)
                and bool(value.flow_style) != bool(canonical_value.flow_style)
            ):
                written = (
                    f"[{', '.join(item.value for item in canonical_value.value)}]"
                    if canonical_value.flow_style
                    else "un élément par ligne (« - »)"
                )
                differences.add("listes", _line(key), f"« {key.value} » s'écrit {written}")
                continue
            _compare(value, canonical_value, differences)
    elif isinstance(original, yaml.SequenceNode) and isinstance(canonical, yaml.SequenceNode):
        for item, canonical_item in zip(original.value, canonical.value):
            if not original.flow_style and item.start_mark.column != canonical_item.start_mark.column:
                differences.add("indentation", _line(item), f"« - » à {canonical_item.start_mark.column - 2} espaces")
            _compare(item, canonical_item, differences)


# -- files ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormatResult:
    changed: list[Path]
    problems: list[Diagnostic]
    """Files that cannot be formatted, and why (errors that spro validate reports too)."""
    notes: list[Diagnostic]
    """Where and how the layout of each changed file differs (notices)."""


def format_files(paths: list[Path], data_root: Path, display, check: bool = False) -> FormatResult:
    """Format data files in place (atomically), or with ``check`` only say which would change, where and how."""
    changed, problems, notes = [], [], []
    for path in paths:
        relative = PurePosixPath(path.resolve().relative_to(data_root.resolve()).as_posix())
        file_kind = data_file_kind(relative)
        if file_kind is None:
            continue
        shown = display(path)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            problems += read_yaml(raw, shown)[1]  # says which byte, where
            continue
        formatted, file_problems = format_text(text, file_kind, shown)
        problems += file_problems
        if formatted is None or formatted.encode("utf-8") == raw:
            continue
        if yaml.load(formatted, Loader=_SafeLoader) != yaml.load(text, Loader=_SafeLoader):  # never change the data
            problems.append(
                Diagnostic(
                    shown,
                    0,
                    0,
                    "",
                    "mise en forme impossible sans changer les données : fichier "
                    "laissé tel quel (signalez-le à l'équipe technique)",
                )
            )
            continue
        changed.append(path)
        notes += layout_notes(raw, formatted, shown)
        if not check:
            write_atomically(path, formatted)
    return FormatResult(changed, problems, notes)


def data_files(data_root: Path) -> list[Path]:
    """Every YAML data file that has a contract."""
    files = []
    for path in sorted(data_root.rglob("*.yaml")):
        relative = PurePosixPath(path.relative_to(data_root).as_posix())
        if data_file_kind(relative) is not None:
            files.append(path)
    return files

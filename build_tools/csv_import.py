"""``spro import csv``: a partner's spreadsheet export turned into lieu files.

Accepted: French headers in any case, with or without accents, spaces or underscores
(« Code postal », « code_postal », « CP »); ``;`` or ``,`` as separator; UTF-8 (with or without
the BOM Excel adds) or Windows-1252. Each row is checked like a file under ``spro validate``
(cross-file rules included, and against the rows before it); an invalid row writes nothing and
every problem names the CSV line and column. An existing lieu is only changed with ``update``,
and then only the filled cells change: its other fields and its comments stay.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_atomically
from .candidates import CandidateLieux
from .contract import suggestion
from .diagnostics import Diagnostic
from .lieu_files import BY_KEY, COLUMNS, PLACE_KEYS, lieu_path, lieu_values, missing_keys, prepare_lieu
from .model import Dataset
from .text import slug


def _header_key(header: str) -> str:
    return " ".join(slug(header).split("-"))


HEADERS = {_header_key(name): c.key for c in COLUMNS for name in (c.key, *c.declared.aliases)}
"""A header, without case, accents, spaces or underscores -> its column (the aliases are declared in records.py)."""


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    rows: int = 0
    problems: list[Diagnostic] = field(default_factory=list)
    header_line: int | None = None
    """Where the column names are (line 2 after Excel's « sep=; »); None until read."""

    @property
    def rejected_rows(self) -> int:
        return len({d.line for d in self.problems if self.header_line is not None and d.line > self.header_line})


class Unreadable(ValueError):
    """A file the import refuses as a whole: (line, French message)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
MAX_CELL = 64 * 1024
"""A cell longer than this is refused (the longest field of a lieu, its description, is far shorter)."""
PROGRESS_EVERY = 1000


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name in French): UTF-8 (with or without BOM), else Windows-1252 (Excel's « CSV » on
    Windows) when the file has no UTF-8 at all. A file mixing both, or in UTF-16, is refused: guessing would
    write « ChÃ¢tellerault » into the data with nothing to tell it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 10:
        raise Unreadable(
            1,
            "fichier en UTF-16 (« Texte Unicode ») : enregistrez-le en « CSV UTF-8 » "
            "(Excel : Fichier > Enregistrer sous > CSV UTF-8 (délimité par des points-virgules))",
        )
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as failed:
        line = data.count(b"\n", 0, failed.start) + 1
        if _UTF8_SEQUENCE.search(data):
            raise Unreadable(
                line,
                f"octet 0x{data[failed.start]:02X} illisible en UTF-8, alors que le reste du fichier est "
                "en UTF-8 : le fichier mélange deux encodages (un copier-coller ?). Corrigez cette "
                "ligne, ou enregistrez tout le fichier en « CSV UTF-8 »",
            ) from None
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as failed:
        line = data.count(b"\n", 0, failed.start) + 1
        raise Unreadable(
            line,
            f"octet 0x{data[failed.start]:02X} illisible ni en UTF-8 ni en Windows-1252 : "
            "enregistrez le fichier en « CSV UTF-8 »",
        ) from None


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def _rows(text: str):
    """(physical line where the row starts, cells) of each row, after the separator line Excel may write
    (« sep=; »); refuses what would silently merge or lose rows."""
    lines = text.splitlines()
    first = 0
    declared = re.fullmatch(r"\s*sep=(.)\s*", lines[0]) if lines else None
    if declared:
        first = 1
    if first >= len(lines) or not lines[first].strip():
        raise Unreadable(first + 1, "fichier vide : la première ligne doit porter les noms des colonnes")
    delimiter = declared.group(1) if declared else _delimiter(lines[first])
    body = "".join(text.splitlines(keepends=True)[first:])
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    start = first + 1
    try:
        for cells in reader:
            yield start, cells, delimiter
            start = first + reader.line_num + 1
    except csv.Error as failed:
        if "field larger" in str(failed):
            raise Unreadable(
                start,
                f"une cellule dépasse {MAX_CELL // 1024} Kio : vérifiez la ligne (un guillemet non "
                "fermé avale les lignes suivantes)",
            ) from None
        raise Unreadable(
            start,
            "guillemet non fermé ou mal placé : chaque valeur entre guillemets doit se terminer "
            'par un guillemet, et un guillemet dans une valeur s\'écrit doublé ("")',
        ) from None


def _swallowed_rows(cells: list[str], delimiter: str, columns: int) -> int:
    """How many lines of a cell look like whole rows of the file: an unclosed quote took them in."""
    return sum(
        1
        for part in (cell.split("\n")[1:] for cell in cells if "\n" in cell)
        for text in part
        if columns > 2 and text.count(delimiter) >= columns // 2
    )


def import_csv(
    data: bytes,
    shown: str,
    dataset: Dataset,
    data_root: Path,
    today: dt.date,
    update: bool = False,
    dry_run: bool = False,
    progress=None,
    report: ImportReport | None = None,
) -> tuple[ImportReport, str]:
    """Write (or with ``dry_run`` only check) one lieu file per valid row. Returns the report and the encoding.
    ``progress(rows)`` is called every :data:`PROGRESS_EVERY` rows. ``report``: filled as the rows go (the caller
    still knows what was written when the import is interrupted)."""
    report = report if report is not None else ImportReport()
    encoding = "encodage non reconnu"
    try:
        text, encoding = decode(data)
        rows = _rows(text)
        line, headers, delimiter = next(rows)
        report.header_line = line
        keys = _columns(headers, shown, report, line)
        if report.problems:
            return report, encoding
        checker = CandidateLieux(dataset, today)
        chosen: set[str] = set()
        for line, cells, _ in rows:
            if not any(cell.strip() for cell in cells):
                continue
            report.rows += 1
            if progress and report.rows % PROGRESS_EVERY == 0:
                progress(report.rows)
            if len(cells) > len(keys):
                report.problems.append(
                    Diagnostic(
                        shown,
                        line,
                        0,
                        "",
                        f"{len(cells)} cellules pour {len(keys)} colonnes : "
                        "une valeur contient-elle le séparateur sans guillemets ?",
                    )
                )
                continue
            swallowed = _swallowed_rows(cells, delimiter, len(keys))
            if swallowed:
                report.problems.append(
                    Diagnostic(
                        shown,
                        line,
                        0,
                        "",
                        f"un guillemet ouvert sur cette ligne n'est pas fermé à "
                        f"la fin de sa cellule : il avale {swallowed} ligne"
                        + ("s suivantes" if swallowed > 1 else " suivante")
                        + " ; fermez-le",
                    )
                )
                continue
            plain = {key: cell for key, cell in zip(keys, cells) if key}
            _import_row(
                plain, line, shown, headers, keys, dataset, data_root, today, update, dry_run, checker, chosen, report
            )
    except Unreadable as refused:
        report.problems.append(Diagnostic(shown, refused.line, 0, "", str(refused)))
    return report, encoding


def _columns(headers: list[str], shown: str, report: ImportReport, line: int = 1) -> list[str | None]:
    keys: list[str | None] = []
    for index, header in enumerate(headers, start=1):
        key = HEADERS.get(_header_key(header))
        if key is None and header.strip():
            report.problems.append(
                Diagnostic(
                    shown,
                    line,
                    index,
                    "",
                    f"colonne « {header.strip()} » inconnue."
                    + (
                        suggestion(_header_key(header), list(HEADERS))
                        or " Colonnes possibles : " + ", ".join(c.key for c in COLUMNS)
                    ),
                )
            )
        elif key in keys:
            report.problems.append(Diagnostic(shown, line, index, "", f"colonne « {header.strip()} » en double"))
        keys.append(key)
    missing = missing_keys({key: "x" for key in keys if key})
    if missing and "id" not in keys:  # with ids, a file may only update some fields of existing lieux
        shown_missing = [key for key in missing if key not in PLACE_KEYS] + (
            ["code_postal ou commune"] if set(PLACE_KEYS) <= set(missing) else []
        )
        report.problems.append(
            Diagnostic(shown, line, 0, "", "colonnes obligatoires manquantes : " + ", ".join(shown_missing))
        )
    return keys


def _import_row(plain, line, shown, headers, keys, dataset, data_root, today, update, dry_run, checker, chosen, report):
    def problem(key: str | None, message: str) -> None:
        header = headers[keys.index(key)].strip() if key in keys else (BY_KEY[key].label if key else "")
        column = keys.index(key) + 1 if key in keys else 0
        where = f"colonne « {header} » : " if header else ""
        report.problems.append(Diagnostic(shown, line, column, "", where + message))

    identifier = plain.get("id", "").strip()
    if identifier:
        existing = dataset.lieux.get(identifier)
    else:  # the same network at the same address: that lieu
        probe, _ = lieu_values(dataset, plain, today, gazetteer=checker.gazetteer)
        existing = checker.lieu_at(probe.get("reseau"), probe.get("adresse.voie"), probe.get("adresse.code_insee"))
    if existing is not None and not update:
        problem(
            "id" if identifier else "nom",
            f"le lieu « {existing.id} » existe déjà ({existing.source}) : relancez avec --update pour le mettre à jour",
        )
        return
    prepared = prepare_lieu(dataset, plain, today, checker, data_root, existing, chosen, canonical=not dry_run)
    for key, message in prepared.problems:
        problem(key, message)
    if prepared.text is None:
        return
    chosen.add(prepared.identifier)
    if not prepared.changed:
        return
    path = lieu_path(data_root, prepared.identifier)
    if not dry_run:
        write_atomically(path, prepared.text, within=data_root / "lieux")
    (report.updated if existing is not None else report.written).append(path)

"""Problems found in the data, with where they are and a French message for humans.

Every check in the package reports through :class:`Diagnostic`; the CLI only chooses how
to print them (plain text for people, GitHub annotations for pull requests).
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from pathlib import Path

from .text import UNPRINTABLE


class Severity(enum.Enum):
    ERROR = "erreur"
    WARNING = "avertissement"
    NOTICE = "note"
    """Information that needs no action (a news post scheduled for later, a layout to be normalised)."""


_GITHUB_KINDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem. ``line`` and ``column`` are 1-based; 0 means "the whole file"."""

    file: str
    line: int
    column: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_text(self) -> str:
        """One line for a terminal: control and invisible characters (from a file name or a quoted value) are
        shown as codes, so that a diagnostic can neither garble a terminal nor start a line of its own."""
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        about = f"{self.field} : " if self.field else ""
        return printable(f"{where + ': ' if where else ''}{self.severity.value} : {about}{self.message}")

    def as_github(self) -> str:
        kind = _GITHUB_KINDS[self.severity]
        props = [f"file={_escape_property(self.file)}"] if self.file else []
        if self.file and self.line:
            props.append(f"line={self.line}")
            props.append(f"col={self.column or 1}")
        about = f"{self.field} : " if self.field else ""
        return f"::{kind}{' ' if props else ''}{','.join(props)}::{_escape_data(about + self.message)}"


def printable(text: str) -> str:
    """``text`` with line breaks, tabs, control and invisible characters written as codes (\\n, \\x1b, \\u202e)."""
    return UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def shown(text: str, limit: int = 80) -> str:
    """What someone typed, quoted back in a message: printable, and cut after ``limit`` characters."""
    text = printable(text)
    return text if len(text) <= limit else text[:limit] + "…"


def _escape_data(text: str) -> str:
    # GitHub workflow-command escaping (see actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Report:
    """Diagnostics collected across a whole validation run."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics) -> None:
        self.diagnostics.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def notices(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.NOTICE]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=lambda d: (d.file, d.line, d.column, d.field, d.message))

    def only_files(self, files: set[str]) -> Report:
        """The diagnostics of these files, and of the folders holding them (a file in a folder the annuaire does not
        read is reported at that folder: data/lieu/x.yaml gets « dossier que l'annuaire ne lit pas »)."""
        folders = {parent for name in files for parent in _parents(name)}
        return Report([d for d in self.diagnostics if d.file in files or (d.file in folders and d.line == 0)])


def _parents(name: str) -> list[str]:
    parts = name.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def display_path(path: Path, root: Path | None = None) -> str:
    """The path as a contributor sees it in the repository (relative, forward slashes).

    Symbolic links are not followed: a link is shown where it is, never where it points.
    """
    path = Path(os.path.abspath(path))
    if root is not None:
        for base in (lambda: Path(os.path.abspath(root)), lambda: Path(root).resolve()):  # (resolved if need be)
            try:
                return path.relative_to(base()).as_posix()
            except ValueError:
                pass
    return path.as_posix()

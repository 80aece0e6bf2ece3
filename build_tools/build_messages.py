"""MkDocs' build warnings as diagnostics: a file, a line and a French message, for annotations.

MkDocs reports through logging, in English and without lines (« Doc file 'x.md' contains a link
'y.md', but the target is not found among documentation files. »). The known messages name a page
of docs/ or the navigation of mkdocs.yml: the line is found by looking for what they quote. Any
other message is kept as written, on no file.
"""

from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import Diagnostic, display_path
from .docs_contract import MAX_PAGE_BYTES, line_of
from .safe_files import UnsafePath, read_regular

_DOC_LINK = re.compile(
    r"Doc file '(?P<page>[^']+)' contains (?:an? (?:absolute |unrecognized relative )?link|a link to) "
    r"'(?P<link>[^']+)'"
)
_NAV = re.compile(r"A reference to '(?P<page>[^']+)' is included in the 'nav' configuration")


def _lines(root: Path, path: Path, max_bytes: int) -> list[str]:
    try:
        return read_regular(root, path, max_bytes).decode("utf-8", errors="replace").split("\n")
    except (UnsafePath, OSError):
        return []


def build_diagnostic(message: str, docs_dir: Path, config_file: Path, display_root: Path) -> Diagnostic:
    """Where a MkDocs warning is about, and what it means in French (MkDocs' own words kept in brackets)."""
    message = message.strip()
    link = _DOC_LINK.match(message)
    if link:
        page = docs_dir / link.group("page")
        line = line_of(link.group("link"), _lines(docs_dir, page, MAX_PAGE_BYTES), 1)
        return Diagnostic(
            display_path(page, display_root),
            line,
            0,
            "",
            f"lien « {link.group('link')} » : la page ou le fichier visé n'existe pas dans le site ({message})",
        )
    nav = _NAV.match(message)
    if nav:
        root = config_file.resolve().parent
        line = line_of(nav.group("page"), _lines(root, config_file.resolve(), MAX_PAGE_BYTES), 1)
        return Diagnostic(
            display_path(config_file, display_root),
            line,
            0,
            "nav",
            f"le menu cite « {nav.group('page')} », qui n'existe pas dans docs/ ({message})",
        )
    return Diagnostic("", 0, 0, "", f"construction du site : {message}")


_CONFIG_PATH = re.compile(r"Config value '(?P<name>[^']+)': The path '(?P<path>[^']+)' isn't an existing (?P<kind>\w+)")
_CONFIG_VALUE = re.compile(r"Config value '(?P<name>[^']+)': (?P<detail>.*)", re.S)


def config_message(message: str, config_file: str) -> str:
    """A configuration error of the renderer, in French (its own words kept in brackets when not known)."""
    message = " ".join(message.split())
    found = _CONFIG_PATH.match(message)
    if found:
        what = "le dossier" if found.group("kind") == "directory" else "le fichier"
        return f"{config_file} : réglage « {found.group('name')} » : {what} « {found.group('path')} » n'existe pas"
    found = _CONFIG_VALUE.match(message)
    if found:
        name, detail = found.group("name"), found.group("detail")
        if detail.startswith("Unrecognised configuration name"):
            return f"{config_file} : réglage « {name} » inconnu"
        if detail.startswith("Required configuration not provided"):
            return f"{config_file} : réglage « {name} » manquant"
        return f"{config_file} : réglage « {name} » invalide ({detail})"
    if "error parsing the configuration file" in message or "not a valid" in message.lower():
        return f"{config_file} : ce n'est pas un fichier de configuration YAML valide ({message})"
    return f"{config_file} : {message}"

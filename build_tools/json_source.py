"""Read one JSON document (an outline, a line of the geocoding cache) strictly.

Python's ``json`` accepts ``NaN`` and ``Infinity``, keeps the last of two duplicate keys, and
raises ``RecursionError`` on deep nesting. Data files come from pull requests, so here all three
are refused with a French message, like any malformed JSON (with its line and column).
"""

from __future__ import annotations

import json
from typing import Any

from .diagnostics import Diagnostic


class _Refused(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _Refused(f"valeur « {name} » interdite : un nombre fini est attendu")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"clé « {key[:40]} » en double")
        result[key] = value
    return result


def parse_json(text: str, shown: str, line: int | None = None) -> tuple[Any, list[Diagnostic]]:
    """The value of ``text``, or None and why. ``line``: where ``text`` is, when it is one line of a larger file."""
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates), []
    except json.JSONDecodeError as exc:
        where = (line, exc.colno) if line else (exc.lineno, exc.colno)
        return None, [Diagnostic(shown, *where, "", f"JSON invalide : {_decode_error_fr(exc)}")]
    except _Refused as exc:
        return None, [Diagnostic(shown, line or 0, 0, "", f"JSON refusé : {exc}")]
    except RecursionError:
        return None, [Diagnostic(shown, line or 0, 0, "", "JSON refusé : imbrication trop profonde")]


def read_json(data: bytes, shown: str, max_bytes: int) -> tuple[Any, list[Diagnostic]]:
    """Decode (UTF-8) and parse a whole file of at most ``max_bytes``."""
    if len(data) > max_bytes:
        return None, [Diagnostic(shown, 0, 0, "", f"fichier trop volumineux (plus de {max_bytes // 1024} Kio)")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [
            Diagnostic(
                shown, line, 0, "", f"le fichier n'est pas encodé en UTF-8 (octet 0x{data[exc.start]:02X} illisible)"
            )
        ]
    return parse_json(text, shown)


_DECODE_ERRORS_FR = {
    "Expecting value": "valeur attendue",
    "Expecting ',' delimiter": "« , » attendu",
    "Expecting ':' delimiter": "« : » attendu",
    "Expecting property name enclosed in double quotes": "nom de membre entre guillemets doubles attendu",
    "Unterminated string starting at": "texte entre guillemets non fermé",
    "Extra data": "texte en trop après la fin du document",
    "Invalid control character at": "caractère de contrôle dans un texte",
    "Invalid \\escape": "séquence d'échappement invalide",
}


def _decode_error_fr(exc: json.JSONDecodeError) -> str:
    return _DECODE_ERRORS_FR.get(exc.msg, exc.msg)

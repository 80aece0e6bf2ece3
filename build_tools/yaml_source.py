"""Read one YAML data file into a node tree that remembers lines, refusing what is unsafe.

PyYAML alone is not safe enough for files written by dozens of partners: it silently keeps
the last of two duplicate keys, expands alias "bombs", and libyaml's composer crashes the
interpreter on deeply nested input. So reading happens in two passes over libyaml:

1. an event pass (libyaml's parser is iterative, so it cannot overflow) that refuses anchors,
   aliases, foreign tags, several documents and excessive nesting;
2. a compose pass that builds nodes carrying their line and column, from which the contract
   (see :mod:`build_tools.contract`) reads values, so that every message can name its line.

Duplicate keys are detected by the contract when it walks mappings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .diagnostics import Diagnostic

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 12
TOO_DEEP = f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)"
# libyaml 0.2.6 (bundled from PyYAML 6.0.4) refuses nesting deeper than 1,000 itself. Its scanner reads
# ahead through a run of « [ » before the parser emits an event, so this comes before our own check.
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
_NBSP_INDENT = re.compile(r"^[ \t]*[\u00a0\u202f\u2007]", re.MULTILINE)

# libyaml's "problem" texts, turned into advice a non-developer can act on.
_PROBLEMS_FR = {
    "mapping values are not allowed in this context": (
        "« : » inattendu ; si la valeur contient deux-points, mettez-la entre guillemets"
    ),
    "could not find expected ':'": "« : » attendu après le nom du champ (ou indentation incorrecte)",
    "did not find expected key": "indentation incorrecte : ce champ n'est pas aligné avec les autres",
    "did not find expected '-' indicator": "élément de liste mal aligné (« - » attendu)",
    "found character that cannot start any token": "caractère inattendu en début de valeur",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet ou crochet non fermé ?)",
    "found unknown escape character": "séquence d'échappement inconnue entre guillemets doubles",
    "did not find expected node content": "valeur attendue",
    "did not find expected comment or line break": "texte inattendu après la valeur (guillemet mal fermé ?)",
    "found a tab character that violates indentation": "tabulation dans l'indentation : utilisez des espaces",
    "block sequence entries are not allowed in this context": "un « - » de liste est mal placé",
    "found unexpected ':'": "« : » inattendu",
    "did not find expected ',' or ']'": "« , » ou « ] » attendu dans la liste entre crochets",
    "did not find expected ',' or '}'": "« , » ou « } » attendu dans le dictionnaire entre accolades",
    "found invalid Unicode character escape code": "code de caractère invalide après \\U entre guillemets doubles",
    "did not find expected hexdecimal number": (
        "chiffres hexadécimaux attendus après \\x, \\u ou \\U entre guillemets doubles "
        "(pour une barre oblique inverse, écrivez \\\\ ou mettez la valeur entre guillemets simples)"
    ),
    "did not find expected <document start>": "texte inattendu après la fin des données (accolade ou crochet en trop ?)",
    "found unknown directive name": "une ligne ne peut pas commencer par « % » : mettez la valeur entre guillemets",
    "found incompatible YAML document": "version de YAML non prise en charge : retirez la ligne « %YAML »",
    "found duplicate %YAML directive": "ligne « %YAML » en double : retirez-la",
    "found extra tokens at the end of the directive": "une ligne ne peut pas commencer par « % » : mettez la valeur entre guillemets",
    "did not find expected digit or '.' character": "une ligne ne peut pas commencer par « % » : mettez la valeur entre guillemets",
    "did not find expected whitespace or line break": "espace ou fin de ligne attendu ici",
    "found a tab character that violate indentation": "tabulation dans l'indentation : utilisez des espaces",
    "found a tab character where an indentation space is expected": "tabulation dans l'indentation : utilisez des espaces",
    "did not find expected alphabetic or numeric character": (
        "lettre ou chiffre attendu après « & » ou « * » (mettez la valeur entre guillemets)"
    ),
    "found unexpected document indicator": "« --- » ou « ... » inattendu : mettez la valeur entre guillemets",
    "found undefined tag handle": "« ! » inattendu : mettez la valeur entre guillemets",
    "did not find expected tag URI": "« ! » inattendu : mettez la valeur entre guillemets",
    "did not find URI escaped octet": "« ! » inattendu : mettez la valeur entre guillemets",
    "found an indentation indicator equal to 0": "indicateur d'indentation 0 après « | » ou « > » : retirez-le",
    "control characters are not allowed": "caractère de contrôle interdit dans un fichier texte",
    "found unexpected end of stream while scanning a quoted scalar": "guillemet non fermé",
}


@dataclass(frozen=True)
class SourceFile:
    """A data file as read: its display path and its root node (None when it cannot be read)."""

    path: str
    root: yaml.Node | None


def read_yaml(data: bytes, path: str) -> tuple[SourceFile, list[Diagnostic]]:
    """Decode and compose ``data``. Returns the file and the problems that prevent reading it."""
    text, problems = _decode(data, path)
    if text is None:
        return SourceFile(path, None), problems
    problems = _check_text(text, path)
    if not problems:
        problems = _scan_events(text, path)
    if problems:
        return SourceFile(path, None), problems
    root = yaml.compose(text, Loader=_SafeLoader)
    if root is None:
        return SourceFile(path, None), [Diagnostic(path, 0, 0, "", "le fichier est vide")]
    return SourceFile(path, root), []


def _decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    if len(data) > MAX_FILE_BYTES:
        return None, [
            Diagnostic(
                path,
                0,
                0,
                "",
                f"fichier trop volumineux (plus de {MAX_FILE_BYTES // 1024} Kio)",
            )
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_col(data, exc.start)
        return None, [
            Diagnostic(
                path,
                line,
                column,
                "",
                f"le fichier n'est pas encodé en UTF-8 (octet 0x{data[exc.start]:02X} illisible) : "
                "enregistrez-le en UTF-8 dans votre éditeur",
            )
        ]
    return text, []


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def _check_text(text: str, path: str) -> list[Diagnostic]:
    problems = []
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _line_col(text.encode("utf-8"), len(text[:nul].encode("utf-8")))
        problems.append(Diagnostic(path, line, column, "", "caractère nul (\\0) interdit dans un fichier texte"))
    for match in re.finditer("[\u0085\u2028\u2029]", text):  # line breaks for YAML, folded into spaces silently
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(
            Diagnostic(
                path,
                line,
                column,
                "",
                f"caractère de saut de ligne invisible (U+{ord(match.group()):04X}) : supprimez-le, ou remplacez-le "
                "par un vrai retour à la ligne",
            )
        )
        break
    for match in _NBSP_INDENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        problems.append(
            Diagnostic(
                path,
                line,
                match.end() - match.start(),
                "",
                "espace insécable dans l'indentation (elle "
                "vient souvent d'un copier-coller) : remplacez-la par une espace ordinaire",
            )
        )
    for match in _TAB_INDENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        problems.append(
            Diagnostic(
                path, line, match.end() - match.start(), "", "tabulation dans l'indentation : utilisez des espaces"
            )
        )
    return problems


def _scan_events(text: str, path: str) -> list[Diagnostic]:
    depth = documents = 0
    try:
        for event in yaml.parse(text, Loader=_SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return [
                    _at(
                        path,
                        event,
                        "les ancres et alias YAML (« & » et « * ») ne sont pas acceptés : recopiez la valeur",
                    )
                ]
            tag = getattr(event, "tag", None)
            if tag not in (None, "!") and tag not in _CORE_TAGS:
                return [_at(path, event, f"étiquette YAML « {tag} » non autorisée")]
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return [_at(path, event, TOO_DEEP)]
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    return [_at(path, event, "un seul document par fichier (retirez le séparateur « --- »)")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if exc.problem == _LIBYAML_TOO_DEEP:
            return [Diagnostic(path, line, column, "", TOO_DEEP)]
        opened = _unclosed_at(text, exc)
        if opened is not None:  # (the parser gave up lines later: the partner looks for it where it opens)
            (line, column), unclosed = opened
            return [Diagnostic(path, line, column, "", f"syntaxe YAML invalide : {unclosed}")]
        return [Diagnostic(path, line, column, "", f"syntaxe YAML invalide : {_problem_fr(exc.problem)}")]
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark
        return [Diagnostic(path, 0, 0, "", f"fichier YAML illisible : {exc}")]
    return []


def _unclosed_at(text: str, exc: yaml.MarkedYAMLError) -> tuple[tuple[int, int], str] | None:
    """((line, column), message) of a bracket, brace or double quote never closed, when the error is one.

    A quote left open swallows the text up to the next quote (a postal code's, lines later), and the parser fails
    there; the quotes then no longer pair up. A bracket is never closed when the parser reaches the end of the file
    or a line no more indented than the one it opens on; a failure inside the list is a missing comma instead,
    reported where it is."""
    problem = exc.problem_mark
    if problem is None:
        return None
    lines = _LINE_BREAK.split(text)  # (as the parser counts lines)
    quote = _unpaired_double_quote(lines[: problem.line + 1])
    if quote is not None:
        return quote, _UNCLOSED["while scanning a quoted scalar"]
    opened = exc.context_mark
    unclosed = _UNCLOSED.get(exc.context or "")
    if not unclosed or opened is None or opened.line >= problem.line:
        return None
    if not text[problem.index :].strip() or problem.line >= len(lines):  # (at the end of the file)
        return (opened.line + 1, opened.column + 1), unclosed
    indent = [len(line) - len(line.lstrip(" ")) for line in (lines[opened.line], lines[problem.line])]
    if indent[1] <= indent[0]:
        return (opened.line + 1, opened.column + 1), unclosed
    return None


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_QUOTE = re.compile(r'(?<!\\)"')
_OPENS_A_VALUE = re.compile(r'(?:^\s*|:\s+|^\s*-\s+|[\[{,]\s*)"$')
"""A line's first double quote opens a quoted value (not a quote inside text: « Le "Point" »)."""


def _unpaired_double_quote(lines: list[str]) -> tuple[int, int] | None:
    """(line, column) of the double quote left unpaired in ``lines``: the lines holding an odd number of them are
    odd in number (a value on several lines opens on one and closes on another), and the last of those lines opens
    a value with its first quote (not a quote inside a text, « Le "Point »); the column is its last quote's."""
    odd = []
    for number, line in enumerate(lines, start=1):
        quotes = [found.start() for found in _QUOTE.finditer(line)]
        if len(quotes) % 2:
            odd.append((number, line, quotes))
    if len(odd) % 2 == 0:
        return None
    number, line, quotes = odd[-1]
    return (number, quotes[-1] + 1) if _OPENS_A_VALUE.search(line[: quotes[0] + 1]) else None


_UNCLOSED = {
    "while parsing a flow sequence": "liste entre crochets ouverte ici et jamais fermée (« ] » manquant ?)",
    "while parsing a flow mapping": "dictionnaire entre accolades ouvert ici et jamais fermé (« } » manquant ?)",
    "while scanning a quoted scalar": "guillemet ouvert ici et jamais fermé",
}
"""Parser contexts of a problem found lines after its cause: reported where the list, braces or quote opened."""


def _problem_fr(problem: str | None) -> str:
    problem = (problem or "").strip()
    if problem in _PROBLEMS_FR:
        return _PROBLEMS_FR[problem]
    return "structure incorrecte à cet endroit (vérifiez les guillemets, les deux-points et l'indentation)"


def _at(path: str, event, message: str) -> Diagnostic:
    mark = event.start_mark
    return Diagnostic(path, mark.line + 1, mark.column + 1, "", message)

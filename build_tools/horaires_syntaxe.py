"""Opening hours as partners write them: French explanations of the OpenStreetMap syntax.

Partners type « du lundi au vendredi de 9h à 17h » or « Ma,Je 9h-12h30 » where the contract
(data·inclusion, OpenStreetMap) wants ``Mo-Fr 09:00-17:00`` and ``Tu,Th 09:00-12:30``. The
parser (opening-hours-py) only says what token it expected (``any_rule_separator``...), so this
module explains the problem in French, names the English day codes and, for the common French
phrasings, gives the expression to write. A suggestion is only offered when the parser accepts it.

It also refuses time ranges that end before they start (``14:00-12:30``): the library reads them
as an opening past midnight, which is nearly always a typo. A lieu really open past midnight
writes the end beyond 24:00 (``22:00-26:00``), which the library reads the same way.
"""

from __future__ import annotations

import re

import opening_hours

from .text import fold

DAY_CODES = "Mo (lundi), Tu (mardi), We (mercredi), Th (jeudi), Fr (vendredi), Sa (samedi), Su (dimanche)"
EXAMPLE = "Mo-Fr 09:00-12:30,13:30-17:00; PH off"
OVERNIGHT = "pour une ouverture qui continue après minuit, écrivez l'heure de fin au-delà de 24:00 (22:00-02:00 s'écrit 22:00-26:00)"

_DAYS = {
    "lundi": "Mo",
    "mardi": "Tu",
    "mercredi": "We",
    "jeudi": "Th",
    "vendredi": "Fr",
    "samedi": "Sa",
    "dimanche": "Su",
    "lun": "Mo",
    "mar": "Tu",
    "mer": "We",
    "jeu": "Th",
    "ven": "Fr",
    "sam": "Sa",
    "dim": "Su",
    "lu": "Mo",
    "ma": "Tu",
    "me": "We",
    "je": "Th",
    "ve": "Fr",
    "sa": "Sa",
    "di": "Su",
    "mo": "Mo",
    "tu": "Tu",
    "we": "We",
    "th": "Th",
    "fr": "Fr",
    "su": "Su",
}
_FRENCH_ONLY = {word for word, code in _DAYS.items() if word != code.lower()}
_RANGE_WORDS = {"au", "a"}
_LIST_WORDS = {"et"}
_FILLER_WORDS = {
    "de",
    "du",
    "le",
    "les",
    "la",
    "des",
    "l'",
    "d'",
    "jusqu'",
    "ouvert",
    "ouverture",
    "tous",
    "chaque",
    "h",
}
_HOLIDAY_WORDS = {"ferme", "fermee", "fermes", "fermees", "fermeture", "sauf", "jours", "jour", "feries", "ferie"}
_TOKEN = re.compile(
    r"""
    (?P<time>\d{1,2}\s*(?:h|:)\s*(?:[0-5]\d)?)(?![\d])
  | (?P<word>[a-z]+'?)
  | (?P<dash>[-–—])
  | (?P<sep>[,/&+])
  | (?P<rule>[;\n])
  | (?P<space>[\s:.]+)
""",
    re.VERBOSE,
)
_SPAN = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")


def problem(value: str) -> tuple[int, str | None]:
    """(column in the value, French message) of the first problem of an expression, or (0, None)."""
    found = problems(value)
    return found[0] if found else (0, None)


def problems(value: str) -> list[tuple[int, str]]:
    """(column in the value, French message) of every problem of an expression: each rule (between « ; ») that
    cannot be read, each time range that ends before it starts. The parser stops at its first error, so the rules
    are read one by one once the whole fails; an expression written in French gets one message, its rewriting."""
    column = _unread_column(value)
    if column is None:
        return _backwards_spans(value)
    if french_to_osm(value) is None:
        found = []
        for start, rule in _rules(value):
            rule_column = _unread_column(rule)
            if rule_column is not None:
                at = _word_start(value, start + max(rule_column, 1) - 1)
                first = not any(message.startswith("horaires illisibles") for _, message in found)
                found.append((at, _unreadable(value, at, reminder=first)))
            else:
                found += [(start + where - 1, message) for where, message in _backwards_spans(rule)]
        if any(message.startswith("horaires illisibles") for _, message in found):
            return found
    column = _word_start(value, column) if column else 0
    return [(column, _unreadable(value, column))]


def _word_start(value: str, column: int) -> int:
    """``column`` moved back to the start of the word it falls in (the parser may stop after a word's first
    letter: « Dimanche » read as far as its « D »)."""
    while column > 1 and value[column - 2].isalpha() and value[column - 1].isalpha():
        column -= 1
    return column


def _unread_column(value: str) -> int | None:
    """Where the parser stopped reading ``value`` (0: unknown), or None when it reads it all."""
    try:
        opening_hours.OpeningHours(value)
    except (opening_hours.ParserError, SyntaxError) as exc:
        where = re.search(r"--> \d+:(\d+)", str(exc))
        return int(where.group(1)) if where else 0
    return None


def _rules(value: str) -> list[tuple[int, str]]:
    """(column of its first character, text) of each rule of ``value``: what « ; » separates outside quoted
    comments, blank rules left out."""
    unquoted = re.sub(r'"[^"]*"', lambda m: " " * len(m.group()), value)
    rules, start = [], 0
    for separator in [*(m.start() for m in re.finditer(";", unquoted)), len(value)]:
        text = value[start:separator]
        if text.strip():
            leading = len(text) - len(text.lstrip())
            rules.append((start + leading + 1, text.strip()))
        start = separator + 1
    return rules


def _unreadable(value: str, column: int, reminder: bool = True) -> str:
    """The problem at ``column``, followed (``reminder``: the field's first problem only) by the syntax and an
    example."""
    at = f" au caractère {column}" if column else ""
    written = french_to_osm(value)
    if not reminder:
        return f"horaires illisibles{at} : {_cause(value, column, written is not None)}"
    advice = f"Écrivez : « {written} »" if written else f"Par exemple : « {EXAMPLE} » (PH off : fermé les jours fériés)"
    return (
        f"horaires illisibles{at} : {_cause(value, column, written is not None)}. Syntaxe OpenStreetMap : jours en "
        f"code anglais, {DAY_CODES} ; heures en HH:MM ; plages d'un même jour séparées par « , », règles par « ; ». "
        f"{advice}"
    )


def _cause(value: str, column: int, french: bool) -> str:
    rest = value[max(column - 1, 0) :]
    word = re.match(r"[A-Za-zÀ-ÿ]+", rest)
    if word and fold(word.group()) in _FRENCH_ONLY:
        return f"« {word.group()} » n'est pas un code de jour ({_DAYS[fold(word.group())]} en anglais)"
    if re.match(r"\d{1,2}\s*[hH]", rest):
        return "les heures s'écrivent HH:MM (9h30 s'écrit 09:30)"
    if french:
        return "jours et heures sont écrits en toutes lettres"
    if word and fold(word.group()) in {*_DAYS, "ph", "sh", "off", "closed", "open"}:
        return f"« {word.group()} » inattendu à cet endroit (un « ; » manque-t-il avant ?)"
    if word:
        return f"« {word.group()} » n'est pas compris ici (un code de jour, PH ou off est attendu)"
    return "syntaxe inattendue à cet endroit"


def _backwards_spans(value: str) -> list[tuple[int, str]]:
    """Each time range whose end is not after its start (outside quoted comments)."""
    unquoted = re.sub(r'"[^"]*"', lambda m: " " * len(m.group()), value)
    found = []
    for span in _SPAN.finditer(unquoted):
        start = int(span.group(1)) * 60 + int(span.group(2))
        end = int(span.group(3)) * 60 + int(span.group(4))
        if end <= start:
            text = span.group()
            opens, closes = text.split("-")
            found.append(
                (
                    span.start() + 1,
                    f"la plage « {text} » finit avant de commencer ({closes} n'est pas après {opens}) : "
                    f"corrigez les heures ; {OVERNIGHT}",
                )
            )
    return found


def french_to_osm(text: str) -> str | None:
    """« du lundi au vendredi de 9h à 17h » -> ``Mo-Fr 09:00-17:00``; None when the phrasing is not understood.

    Understood: day names, their French abbreviations and two-letter codes (Lu Ma Me Je Ve Sa Di),
    ranges (« au », « à », « - »), lists (« , », « et »), times 9h, 9h30, 09:00, several rules
    (« ; », or a new day after some hours) and « fermé les jours fériés » (``PH off``).
    """
    rules: list[tuple[list[str], list[str]]] = []
    days: list[str] = []
    spans: list[str] = []
    pending: str | None = None  # "day" or "time": a range was opened after that kind of token
    holidays_off = False
    last = None  # kind of the last meaningful token
    position = 0
    folded = fold(text).replace("’", "'")
    while position < len(folded):
        match = _TOKEN.match(folded, position)
        if match is None:
            return None
        position = match.end()
        kind, token = match.lastgroup, match.group()
        if kind == "space":
            continue
        if kind == "word":
            if token in _DAYS:
                if spans:  # a new day after hours: a new rule
                    rules.append((days, spans))
                    days, spans = [], []
                code = _DAYS[token]
                if pending == "day" and days:
                    days[-1] = f"{days[-1]}-{code}"
                    pending = None
                elif pending is None:
                    days.append(code)
                else:
                    return None
                last = "day"
                continue
            if token in _RANGE_WORDS:
                kind = "dash"
            elif token in _LIST_WORDS:
                kind = "sep"
            elif token in _HOLIDAY_WORDS:
                holidays_off = holidays_off or token.startswith("ferie")
                continue
            elif token in _FILLER_WORDS:
                continue
            else:
                return None
        if kind == "dash":
            if last not in ("day", "time") or pending:
                return None
            pending = last
        elif kind == "time":
            hours, _, minutes = re.split(r"\s*(h|:)\s*", token)
            moment = f"{int(hours):02d}:{minutes or '00'}"
            if pending == "time":
                spans[-1] = f"{spans[-1]}-{moment}"
                pending = None
            elif pending is None:
                if spans and "-" not in spans[-1]:
                    return None
                spans.append(moment)
            else:
                return None
            last = "time"
        elif kind == "sep":
            if pending:
                return None
        elif kind == "rule":
            if pending or (days and not spans):
                return None
            if days:
                rules.append((days, spans))
            days, spans, last = [], [], None
    if pending:
        return None
    if days or spans:
        rules.append((days, spans))
    if not rules or any(not d or not s or any("-" not in span for span in s) for d, s in rules):
        return None
    expression = "; ".join(f"{','.join(d)} {','.join(s)}" for d, s in rules) + ("; PH off" if holidays_off else "")
    try:
        opening_hours.OpeningHours(expression)
    except (opening_hours.ParserError, SyntaxError):
        return None
    return expression if not _backwards_spans(expression) else None

"""Checks and canonical forms of the formatted values partners type: SIRET, phone, e-mail, URL...

Each ``check_*`` returns a French explanation of what is wrong, or None when the value is fine.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import opening_hours

POSTAL_CODE = r"\d{5}"
INSEE_CODE = r"(?:\d{5}|2[AB]\d{3})"
ROME_CODE = r"[A-N]\d{4}"
IDENTIFIER = r"[a-z0-9]+(?:-[a-z0-9]+)*"

# La Poste's establishments use a digit-sum rule instead of Luhn (INSEE, SIRENE documentation).
_LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def check_siret(value: str) -> str | None:
    digits = value.replace(" ", "")
    if not re.fullmatch(r"\d{14}", digits):
        return "un SIRET compte exactement 14 chiffres"
    if digits.startswith(_LA_POSTE_SIREN):
        return None if sum(map(int, digits)) % 5 == 0 else "numéro SIRET invalide (clé de contrôle fausse)"
    if not luhn_ok(digits):
        return "numéro SIRET invalide (clé de contrôle fausse) : vérifiez-le sur annuaire-entreprises.data.gouv.fr"
    return None


def normalize_siret(value: str) -> str:
    return value.replace(" ", "")


_PHONE_SEPARATORS = re.compile(r"[\s.\-]")


def phone_digits(value: str) -> str:
    """National form of a French number: 10 digits starting with 0, or a short 4-digit number."""
    compact = _PHONE_SEPARATORS.sub("", value)
    if compact.startswith("+33"):
        compact = "0" + compact[3:].removeprefix("(0)")
    elif compact.startswith("0033"):
        compact = "0" + compact[4:]
    return compact


def check_phone(value: str) -> str | None:
    digits = phone_digits(value)
    if re.fullmatch(r"3\d{3}", digits):  # short service numbers such as 3949 (France Travail)
        return None
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        return "numéro de téléphone français attendu, par exemple 05 49 12 34 56 ou +33 5 49 12 34 56"
    return None


def normalize_phone(value: str) -> str:
    digits = phone_digits(value)
    if len(digits) == 4:
        return digits
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def phone_uri(display: str) -> str:
    """``tel:`` target in international form (short numbers stay as they are)."""
    digits = phone_digits(display)
    return f"tel:{digits}" if len(digits) == 4 else f"tel:+33{digits[1:]}"


_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


def check_email(value: str) -> str | None:
    if not _EMAIL.fullmatch(value) or ".." in value:
        return "adresse électronique invalide (forme attendue : nom@domaine.fr)"
    if not re.search(r"\.[A-Za-z]{2,}$", value):
        return "adresse électronique invalide : le domaine doit finir par une extension (.fr, .org...)"
    return None


def check_https_url(value: str) -> str | None:
    scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
    if scheme == "http":
        return "adresse web non sécurisée : utilisez https://"
    if scheme != "https":
        return "adresse web attendue, commençant par https://"
    if any(c.isspace() for c in value) or any(c in value for c in '<>"\\^`{|}'):
        return "adresse web invalide (espace ou caractère interdit)"
    parts = urlsplit(value)
    host = parts.hostname or ""
    if not re.fullmatch(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}", host.lower()):
        return "adresse web invalide : nom de domaine incorrect"
    if parts.username or parts.password:
        return "adresse web invalide : pas d'identifiant dans l'adresse"
    return None


_OH_EXPECTED_FR = {
    "wday": "un jour (Mo, Tu, We, Th, Fr, Sa, Su)",
    "time": "une heure au format HH:MM",
    "hour": "une heure au format HH:MM",
    "minute": "des minutes (deux chiffres)",
    "EOI": "la fin de l'expression",
}


def opening_hours_problem(value: str) -> tuple[int, str | None]:
    """(column in the value, French message) of the first syntax error, or (0, None)."""
    try:
        opening_hours.OpeningHours(value)
    except (opening_hours.ParserError, SyntaxError) as exc:
        text = str(exc)
        where = re.search(r"--> \d+:(\d+)", text)
        column = int(where.group(1)) if where else 0
        expected = re.search(r"= expected (.+)", text)
        wanted = ""
        if expected:
            words = [w.strip() for w in re.split(r",| or ", expected.group(1)) if w.strip()]
            wanted = " ; attendu : " + " ou ".join(_OH_EXPECTED_FR.get(w, w) for w in words[:3])
        at = f" au caractère {column}" if column else ""
        return column, (
            f"horaires illisibles{at}{wanted}. Syntaxe OpenStreetMap, par exemple "
            "« Mo-Fr 09:00-12:30,13:30-17:00; PH off »"
        )
    return 0, None

"""Checks and canonical forms of the formatted values partners type: SIRET, phone, e-mail, URL...

Each ``check_*`` returns a French explanation of what is wrong, or None when the value is fine.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

import phonenumbers
from phonenumbers import shortnumberinfo
from stdnum.fr import siret

from . import horaires_syntaxe
from .text import INVISIBLE_CHARACTERS as _INVISIBLE

POSTAL_CODE = r"\d{5}"


def postal_code_advice(value: str) -> str | None:
    """What to write instead of a postal code that is not five digits (None when it is)."""
    if re.fullmatch(POSTAL_CODE, value):
        return None
    compact = re.sub(r"[\s.\u00a0\u202f]", "", value)
    if re.fullmatch(POSTAL_CODE, compact):
        return f"un code postal s'écrit sans espace : « {compact} »"
    if re.fullmatch(r"\d{4}", compact):
        return f"un code postal compte 5 chiffres (un tableur retire parfois le 0 du début : « 0{compact} » ?)"
    return "un code postal compte 5 chiffres"


INSEE_CODE = r"(?:\d{5}|2[AB]\d{3})"
ROME_CODE = r"[A-N]\d{4}"
IDENTIFIER = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def check_siret(value: str) -> str | None:
    """python-stdnum's check (Luhn, and La Poste's own rule with its head office's exception)."""
    digits = value.replace(" ", "")
    if not re.fullmatch(r"\d{14}", digits):
        return "un SIRET compte exactement 14 chiffres"
    if not siret.is_valid(digits):
        return "numéro SIRET invalide (clé de contrôle fausse) : vérifiez-le sur annuaire-entreprises.data.gouv.fr"
    return None


def normalize_siret(value: str) -> str:
    return value.replace(" ", "")


FRENCH_REGIONS = ("FR", "RE", "YT", "GP", "MQ", "GF", "PM", "BL", "MF", "NC", "PF", "WF")
"""Metropolitan France and the overseas departments and communities: the numbers a French directory takes."""
OVERSEAS_PREFIXES = frozenset("0262 0263 0269 0590 0594 0596 0639 0690 0691 0692 0693 0694 0696 0697".split())
"""National prefixes of the overseas departments (ARCEP's numbering plan): « 0596 71 23 45 » is a number of
Martinique (+596), though France's own metadata would also read it as +33. tests/test_validation_rules.py checks
them against phonenumbers' example numbers of each overseas region."""


def parse_phone(value: str) -> phonenumbers.PhoneNumber | None:
    """The number (phonenumbers) a French directory may publish: metropolitan or overseas, in national form
    (« 05 49 12 34 56 », « 0262 12 34 56 ») or international form (« +262 262 12 34 56 »), or a short service
    number (« 3949 »); None otherwise."""
    text = value.strip()
    try:
        if text.startswith(("+", "00")):
            number = phonenumbers.parse(text, "FR")
            return (
                number
                if phonenumbers.is_valid_number(number)
                and phonenumbers.region_code_for_number(number) in FRENCH_REGIONS
                else None
            )
        digits = re.sub(r"\D", "", text)
        regions = FRENCH_REGIONS[1:] + ("FR",) if digits[:4] in OVERSEAS_PREFIXES else FRENCH_REGIONS
        for region in regions:
            number = phonenumbers.parse(text, region)
            if phonenumbers.is_valid_number(number):
                return number
        number = phonenumbers.parse(text, "FR")
        return number if shortnumberinfo.is_valid_short_number_for_region(number, "FR") else None
    except phonenumbers.NumberParseException:
        return None


def _is_short(number: phonenumbers.PhoneNumber) -> bool:
    return not phonenumbers.is_valid_number(number)


@functools.lru_cache(maxsize=65536)
def _phone(value: str) -> tuple[bool, str, str]:
    """(valid, national form, ``tel:`` target) of a number as written, computed once per distinct value:
    phonenumbers takes about a tenth of a millisecond a number, and a build reads each one several times."""
    number = parse_phone(value)
    digits = "tel:" + re.sub(r"[^\d+]", "", value)
    if number is None:
        return False, value, digits
    if _is_short(number):
        return True, re.sub(r"\s+", "", value), digits
    return (
        True,
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
        "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
    )


def check_phone(value: str) -> str | None:
    if not _phone(value)[0]:
        return (
            "numéro de téléphone français attendu (métropole ou outre-mer), par exemple 05 49 12 34 56, "
            "0262 12 34 56 ou +33 5 49 12 34 56"
        )
    return None


def normalize_phone(value: str) -> str:
    """The national form people dial: « 05 49 12 34 56 », « 0262 12 34 56 », « 3949 »."""
    return _phone(value)[1]


def phone_uri(display: str) -> str:
    """``tel:`` target in E.164 (``tel:+262262123456``); short numbers stay as they are (``tel:3949``)."""
    return _phone(display)[2]


_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)


def check_email(value: str) -> str | None:
    if not _EMAIL.fullmatch(value) or ".." in value:
        return "adresse électronique invalide (forme attendue : nom@domaine.fr)"
    if not re.search(r"\.[A-Za-z]{2,}$", value):
        return "adresse électronique invalide : le domaine doit finir par une extension (.fr, .org...)"
    return None


_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_URL_FORBIDDEN = set("<>\"'\\^`{|}")


def host_problem(host: str) -> str | None:
    """A DNS name with a top-level domain, labels of at most 63 characters, 253 in all."""
    labels = host.lower().split(".")
    if (
        len(host) > 253
        or len(labels) < 2
        or not all(_HOST_LABEL.fullmatch(label) for label in labels)
        or not re.fullmatch(r"[a-z]{2,63}", labels[-1])
    ):
        return "nom de domaine incorrect"
    return None


def _port_problem(parts) -> str | None:
    try:
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        return "port invalide (un nombre de 1 à 65535 après « : »)"
    if parts.port == 0:
        return "port invalide (un nombre de 1 à 65535 après « : »)"
    return None


def check_https_url(value: str, allowed_braces: tuple[str, ...] = ()) -> str | None:
    """A web address a page may link to or load from: https, a real host name, no user name.

    ``allowed_braces`` lists placeholders such as ``{z}`` that a URL template may contain.
    """
    scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
    if scheme == "http":
        return "adresse web non sécurisée : utilisez https://"
    if scheme != "https" or not value.startswith("https://"):
        return "adresse web attendue, commençant par https://"
    bare = value
    for placeholder in allowed_braces:
        bare = bare.replace(placeholder, "0")
    if any(c.isspace() or c in _URL_FORBIDDEN or not c.isprintable() for c in bare):
        return "adresse web invalide (espace, guillemet ou caractère interdit)"
    parts = urlsplit(bare)
    if parts.username or parts.password or "@" in parts.netloc:
        return "adresse web invalide : pas d'identifiant dans l'adresse"
    problem = host_problem(parts.hostname or "") or _port_problem(parts)
    if problem:
        return f"adresse web invalide : {problem}"
    return None


TILE_PLACEHOLDERS = ("{z}", "{x}", "{y}", "{s}")


def check_tile_url(value: str) -> str | None:
    """A tile address template: https, a real host, {z}, {x} and {y}, no other placeholder."""
    problem = check_https_url(value, allowed_braces=TILE_PLACEHOLDERS)
    if problem:
        return problem
    missing = [p for p in ("{z}", "{x}", "{y}") if p not in value]
    if missing:
        return f"modèle d'adresse de tuiles incomplet : {', '.join(missing)} manquant (seuls {{z}}, {{x}}, {{y}} et {{s}} sont permis)"
    return None


def url_origin(value: str) -> str:
    """``https://host[:port]`` of a URL already checked by :func:`check_https_url`."""
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.netloc.lower()}"


_ATTRIBUTION_LINK = re.compile(r"\[([^\[\]()]+)\]\(([^()\s]+)\)")


def attribution_parts(text: str) -> list[tuple[str, str | None]]:
    """``© [OpenStreetMap](https://osm.org/copyright)`` -> [("© ", None), ("OpenStreetMap", "https://...")]."""
    parts: list[tuple[str, str | None]] = []
    position = 0
    for link in _ATTRIBUTION_LINK.finditer(text):
        if link.start() > position:
            parts.append((text[position : link.start()], None))
        parts.append((link.group(1), link.group(2)))
        position = link.end()
    if position < len(text):
        parts.append((text[position:], None))
    return parts


def check_attribution(value: str) -> str | None:
    """Map attribution: plain text with at most one link written ``[texte](https://…)``, never HTML."""
    if "<" in value or ">" in value:
        return "le HTML n'est pas accepté : écrivez un lien sous la forme [texte](https://…)"
    links = [href for _, href in attribution_parts(value) if href]
    if len(links) > 1:
        return "un seul lien possible, écrit [texte](https://…)"
    for href in links:
        problem = check_https_url(href)
        if problem:
            return f"lien « {href} » : {problem}"
    rest = "".join(text for text, href in attribution_parts(value) if href is None)
    if "](" in rest:
        return "lien mal écrit : forme attendue [texte](https://…), sans parenthèses ni crochets dans le texte du lien"
    return None


_INVISIBLE_NAMES = {
    "\x1b": "échappement",
    "\u202e": "inversion du sens d'écriture",
    "\u202d": "forçage du sens d'écriture",
    "\u200b": "espace de largeur nulle",
    "\ufeff": "espace insécable de largeur nulle",
    "\xad": "trait d'union conditionnel",
    "\u2028": "séparateur de lignes",
    "\u2029": "séparateur de paragraphes",
}


def invisible_character_problem(text: str) -> str | None:
    """A French explanation when ``text`` holds a control, bidirectional or zero-width character.

    Tabs and line feeds are the only control characters allowed (the caller decides whether a
    text may span lines).
    """
    found = _INVISIBLE.search(text)
    if found is None:
        return None
    char = found.group()
    name = _INVISIBLE_NAMES.get(char, "caractère de contrôle invisible" if ord(char) < 0xA0 else "caractère invisible")
    return (
        f"caractère invisible interdit (U+{ord(char):04X}, {name}) : retirez-le (il vient souvent d'un copier-coller)"
    )


def opening_hours_problems(value: str) -> list[tuple[int, str]]:
    """(column in the value, French message) of each problem of an opening-hours expression."""
    return horaires_syntaxe.problems(value)

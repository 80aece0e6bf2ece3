"""``spro new lieu``: a valid lieu file from answers to questions, or from options for scripts.

Missing required values are asked for; every answer is checked with the same rules as
``spro validate`` (cross-file rules included), and only the wrong ones are asked again (a
postal code shared by several communes: the commune is asked, the candidates listed). The id
comes from the network and the commune (see :func:`lieu_files.choose_id`); an existing file is
never overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .candidates import CandidateLieux
from .lieu_files import BY_KEY, PLACE_KEYS, missing_keys, prepare_lieu
from .model import Dataset

OPTIONAL_QUESTIONS = ("structure", "telephone", "courriel", "horaires")
MAX_ROUNDS = 3


@dataclass(frozen=True)
class NewLieu:
    identifier: str
    text: str


class Abandon(Exception):
    """No valid lieu could be made; the message (French) says why."""


def new_lieu(
    dataset: Dataset,
    plain: dict[str, str],
    today: dt.date,
    data_root: Path,
    ask: Callable[[str], str] | None,
    say: Callable[[str], None],
) -> NewLieu:
    """Build the lieu. ``ask`` is None for scripts: then nothing is asked, and problems abandon."""
    plain = {key: value for key, value in plain.items() if value}
    missing = missing_keys(plain)
    if missing and ask is None:
        raise Abandon("valeurs obligatoires manquantes : " + ", ".join("--" + k.replace("_", "-") for k in missing))
    for key in missing:
        plain[key] = _ask(ask, key)
    if missing:  # asking questions anyway: the useful optional ones too
        for key in OPTIONAL_QUESTIONS:
            if key not in plain:
                plain[key] = _ask(ask, key, optional=True)
    checker = CandidateLieux(dataset, today)
    for _ in range(MAX_ROUNDS):
        problems, result = _attempt(dataset, plain, today, data_root, checker)
        if result is not None:
            return result
        for key, message in problems.items():
            say(f"{BY_KEY[key].label if key in BY_KEY else key} : {message}")
        if ask is None:
            raise Abandon("aucun fichier écrit")
        for key in problems:  # a postal code of several communes: the message lists them, the answer names one
            plain[key] = _ask(ask, key, optional=not (BY_KEY[key].required or key in PLACE_KEYS))
    raise Abandon("trop de réponses invalides : aucun fichier écrit")


def _ask(ask, key: str, optional: bool = False) -> str:
    column = BY_KEY[key]
    prompt = (
        column.label[0].upper() + column.label[1:] + (" (facultatif, Entrée pour passer)" if optional else "") + " : "
    )
    while True:
        try:
            answer = ask(prompt).strip()
        except EOFError:
            raise Abandon(f"réponse manquante : {column.label}") from None
        if answer or optional:
            return answer


def _attempt(dataset, plain, today, data_root, checker) -> tuple[dict[str, str], NewLieu | None]:
    prepared = prepare_lieu(dataset, plain, today, checker, data_root)
    problems: dict[str, str] = {}
    for key, message in prepared.problems:
        problems.setdefault(key or "id", message)
    return problems, (NewLieu(prepared.identifier, prepared.text) if prepared.text else None)

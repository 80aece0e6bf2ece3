"""Lieux not yet written (``spro new lieu``, ``spro import csv``), checked against a loaded dataset with the same
contract and cross-file rules as ``spro validate``."""

from __future__ import annotations

import datetime as dt

from . import records
from .diagnostics import Diagnostic
from .gazetteer import Gazetteer
from .loader import has_errors, read_record
from .model import Dataset, Lieu
from .place_rules import address_key, check_duplicate_address, check_lieu_geography
from .record_model import from_values


class CandidateLieux:
    """Accepted candidates join the duplicate-address rule, so two rows of one import cannot describe the same
    place; an update frees the address of the file it replaces."""

    def __init__(self, dataset: Dataset, today: dt.date | None = None):
        self.dataset = dataset
        self.today = today or dt.date.today()
        self.gazetteer = Gazetteer(dataset.communes, dataset.communes_deleguees)
        self.references = {
            "services": dataset.services,
            "reseaux": dataset.reseaux,
            "publics": dataset.publics,
            "bassins": dataset.bassins,
            "lieux": dataset.lieux,
        }
        self.by_address = {
            address_key(l.reseau, l.adresse.voie, l.adresse.code_insee): l.source for l in dataset.lieux.values()
        }
        self.keys_of: dict[str, list[tuple[str, str, str]]] = {}
        for key, source in self.by_address.items():
            self.keys_of.setdefault(source, []).append(key)
        self.by_source = {l.source: l for l in dataset.lieux.values()}

    def lieu_at(self, reseau: str | None, voie: str | None, code_insee: str | None) -> Lieu | None:
        """The lieu of this network at this address, if there is one (the duplicate-address rule's index)."""
        if not (reseau and voie and code_insee):
            return None
        return self.by_source.get(self.by_address.get(address_key(reseau, voie, code_insee)))

    def check(
        self, identifier: str, text: str | bytes, shown: str, replaces: str | None = None
    ) -> tuple[Lieu | None, list[Diagnostic]]:
        """The lieu and no diagnostics, or None and what is wrong (``text``: the file's text, or its bytes as read).
        ``replaces``: the file it updates, if any."""
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        read, problems = read_record(data, shown, records.LIEU, self.today, self.references)
        if read is None:
            return None, problems
        check_lieu_geography(read.reader, read.values, self.gazetteer, self.dataset.site)
        # The duplicate-address rule, without the address of the file it replaces (no copy of the index: an import
        # of 100,000 rows checks each against all the others in constant time).
        freed = [key for key in self.keys_of.get(replaces, ()) if self.by_address.get(key) == replaces]
        for key in freed:
            del self.by_address[key]
        check_duplicate_address(read.reader, read.values, self.by_address)  # (adds the candidate's address when new)
        adresse = read.values.get("adresse") or {}
        added = (
            address_key(read.values["reseau"], adresse["voie"], adresse["code_insee"])
            if {"voie", "code_insee"} <= adresse.keys() and "reseau" in read.values
            else None
        )
        mine = added is not None and self.by_address.get(added) == read.path
        diagnostics = problems + read.reader.diagnostics
        if has_errors(diagnostics):
            if mine:
                del self.by_address[added]
            for key in freed:
                self.by_address[key] = replaces
            return None, diagnostics
        if mine:
            self.keys_of.setdefault(read.path, []).append(added)
        return from_values(Lieu, read.values, id=identifier, source=read.path), diagnostics

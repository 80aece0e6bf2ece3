"""Random input for validation and for the import: no exception, no hang, nothing written when refused.

The examples are few here (the suite stays fast); benchmarks/fuzz.py runs the same properties on thousands.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
from contextlib import contextmanager

import pytest
from conftest import DEMO
from fuzz_inputs import csv_files, lieu_documents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.candidates import CandidateLieux
from build_tools.csv_import import import_csv
from build_tools.loader import DataLoader

TODAY = dt.date(2026, 11, 20)
HEADER = "Nom;Réseau;Adresse;Code postal;Commune;Services;Publics;Horaires;Téléphone;Courriel;Description;Vérifié le"
EXAMPLES = int(os.environ.get("SPRO_FUZZ_EXAMPLES", "60"))
"""Per property; benchmarks/fuzz.py sets thousands, with a random seed each run."""
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@contextmanager
def never_hangs(seconds: int = 60):
    """A hang is a failure (a watchdog far above the milliseconds each input takes, not a speed check)."""

    def expired(*_):
        raise AssertionError(f"plus de {seconds} s sur une seule entrée : boucle sans fin ?")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def checker():
    loader = DataLoader(DEMO, today=TODAY)
    dataset = loader.load()
    return CandidateLieux(dataset, TODAY)


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(DEMO, root)
    loader = DataLoader(root, today=TODAY)
    return root, loader.load()


@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes_as_a_lieu_file(checker, data):
    with never_hangs():
        lieu, diagnostics = checker.check("fuzz", data, "data/lieux/fuzz.yaml")
    assert lieu is not None or any(d.is_error for d in diagnostics)
    assert all(d.message and "Traceback" not in d.message for d in diagnostics)


@FUZZ
@given(data=lieu_documents())
def test_a_lieu_with_hostile_values(checker, data):
    with never_hangs():
        lieu, diagnostics = checker.check("fuzz", data, "data/lieux/fuzz.yaml")
    assert lieu is not None or any(d.is_error and d.message for d in diagnostics)


@FUZZ
@given(data=csv_files(HEADER))
def test_random_csv_import_writes_nothing_it_refuses(data_copy, data):
    root, dataset = data_copy
    before = sorted(p.name for p in (root / "lieux").iterdir())
    with never_hangs():
        report, _ = import_csv(data, "fuzz.csv", dataset, root, TODAY)
    written = {p.name for p in report.written}
    after = sorted(p.name for p in (root / "lieux").iterdir())
    assert sorted(set(after) - set(before)) == sorted(written)
    for name in written:  # (rows that happened to be valid: removed for the next example)
        (root / "lieux" / name).unlink()
    assert all(d.message for d in report.problems)

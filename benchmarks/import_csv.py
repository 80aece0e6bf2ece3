"""`spro import csv --essai` on spreadsheets of 1,000 to 100,000 rows: the time must grow linearly with
the rows (issue « nothing is lost »: 20,000 rows took 240 s before, 1,000 rows 9 s). Prints the figures.

    .venv/bin/python benchmarks/import_csv.py [1000 10000 100000 ...]

Rows are realistic: a network, a commune of the gazetteer with its postal code, services, publics, hours,
an e-mail, a phone and a description, all valid, so every row goes through the whole check.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

from build_tools.csv_import import import_csv
from build_tools.loader import load_dataset

ROOT = Path(__file__).resolve().parent.parent
HEADER = "Nom;Réseau;Adresse;Code postal;Commune;Services;Publics;Horaires;Courriel;Téléphone;Description"


def spreadsheet(dataset, rows: int) -> bytes:
    rng = random.Random(2026)
    communes = sorted(dataset.communes.values(), key=lambda c: c.code_insee)
    lines = [HEADER]
    for i in range(rows):
        c = rng.choice(communes)
        lines.append(
            f"Antenne {i} de {c.nom};Mission locale;{i} rue de la Gare;{c.codes_postaux[0]};{c.nom};API, CEP;Jeunes;"
            f'"Mo-Fr 09:00-12:30,13:30-17:00; PH off";antenne{i}@exemple.fr;05 36 49 {i % 100:02d} 01;'
            "Accueil des jeunes de 16 à 25 ans, sur rendez-vous."
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def main(sizes: list[int]) -> None:
    dataset, report = load_dataset(ROOT / "data")
    assert dataset is not None and not report.errors
    for size in sizes:
        data = spreadsheet(dataset, size)
        started = time.perf_counter()
        result, _ = import_csv(data, "bench.csv", dataset, ROOT / "data", dt.date.today(), dry_run=True)
        elapsed = time.perf_counter() - started
        assert result.rows == size and len(result.written) == size, result.problems[:3]
        print(f"import --essai de {size:>7} lignes : {elapsed:7.1f} s, {elapsed / size * 1000:.2f} ms par ligne")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000, 100000])

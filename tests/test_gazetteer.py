"""The commune gazetteer (data/communes.csv, data/communes-deleguees.csv): its contract, the basins
that must cover it, and the addresses checked against it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import DEMO, TODAY, VALID_LIEU
from site_helpers import spro

from build_tools.gazetteer import MAX_FILE_BYTES, Gazetteer
from build_tools.loader import DataLoader, load_dataset
from build_tools.text import commune_key

COMMUNES = DEMO / "communes.csv"


@pytest.fixture(scope="module")
def demo():
    data, report = load_dataset(DEMO, today=TODAY)
    assert report.errors == []
    return data


# -- the committed gazetteer -----------------------------------------------------------------------


def test_every_commune_of_the_four_departments_is_there_once_in_one_basin(demo):
    assert len(demo.communes) == 1338
    assert {code[:2] for code in demo.communes} == {"16", "17", "79", "86"} == set(demo.site.departements)
    assert all(c.bassin in demo.bassins for c in demo.communes.values())
    listed = [c.code_insee for b in demo.bassins.values() for c in b.communes]
    assert len(listed) == len(set(listed)) == 1338
    poitiers = demo.communes["86194"]
    assert (poitiers.nom, poitiers.codes_postaux, poitiers.bassin) == ("Poitiers", ("86000",), "poitiers")
    assert poitiers.population > 80_000 and demo.site.emprise.contient(poitiers.lat, poitiers.lon)


def test_the_five_communes_the_issue_found_under_another_communes_code_have_their_own(demo):
    for code, nom in (
        ("17218", "Marans"),
        ("16291", "Ruelle-sur-Touvre"),
        ("16206", "Mansle-les-Fontaines"),
        ("16409", "Villefagnan"),
        ("17224", "Matha"),
    ):
        assert demo.communes[code].nom == nom
        assert code in {c.code_insee for c in demo.bassins[demo.communes[code].bassin].communes}
        lieux = [l for l in demo.lieux.values() if l.adresse.commune == nom]
        assert all(l.adresse.code_insee == code and l.bassin == demo.communes[code].bassin for l in lieux)
    assert sum(l.adresse.code_insee in ("17218", "16206", "16409", "17224") for l in demo.lieux.values()) == 5


def test_former_communes_point_to_the_current_one(demo):
    ambleville = demo.communes_deleguees["16010"]
    assert (ambleville.nom, ambleville.type, demo.communes[ambleville.commune].nom) == (
        "Ambleville",
        "deleguee",
        "Lignières-Ambleville",
    )
    assert all(d.commune in demo.communes for d in demo.communes_deleguees.values())


def test_a_basin_shows_its_communes_with_names_and_postal_codes(demo):
    communes = demo.bassins["poitiers"].communes
    assert [c.nom for c in communes] == sorted((c.nom for c in communes), key=commune_key)
    assert next(c for c in communes if c.code_insee == "86115").codes_postaux == ("86130", "86380")  # Jaunay-Marigny


# -- the file contract, against hostile edits -----------------------------------------------------


def _edit(dataset, change) -> list[str]:
    path = dataset.root / "communes.csv"
    path.write_bytes(change(path.read_bytes()))
    return dataset.errors()


def _replace(old: str, new: str):
    def change(data: bytes) -> bytes:
        assert old.encode() in data
        return data.replace(old.encode(), new.encode(), 1)

    return change


POITIERS = next(line for line in COMMUNES.read_text(encoding="utf-8").splitlines() if line.startswith("86194;"))
LINE = COMMUNES.read_text(encoding="utf-8").splitlines().index(POITIERS) + 1


def _poitiers(field: str, value: str):
    """Poitiers' line with one field changed; the expected position (line:column) of that field."""
    names = ["code_insee", "nom", "codes_postaux", "population", "lat", "lon"]
    fields = POITIERS.split(";")
    column = len(";".join(fields[: names.index(field)])) + 1 + (names.index(field) > 0)
    fields[names.index(field)] = value
    return _replace(POITIERS, ";".join(fields)), f"{LINE}:{column}: erreur : {field}"


@pytest.mark.parametrize(
    "change, where, message",
    [
        (*_poitiers("nom", "<script>alert(1)</script>"), "caractère non permis dans un nom de commune"),
        (*_poitiers("nom", "Poi\atiers"), "« Poi\\x07tiers »"),
        (*_poitiers("nom", "P" * 81), "nom de 1 à 80 caractères"),
        (*_poitiers("nom", "Poitiers  Centre"), "espaces simples"),
        (*_poitiers("nom", "{{ 7*7 }}"), "caractère non permis dans un nom de commune"),
        (*_poitiers("population", "-5"), "un nombre entier positif ou nul"),
        (*_poitiers("population", "1e3"), "un nombre entier positif ou nul"),
        (*_poitiers("codes_postaux", "8600"), "5 chiffres, séparés par une espace"),
        (*_poitiers("codes_postaux", "86000 86000"), "en double"),
        (*_poitiers("code_insee", "8619"), "code INSEE attendu"),
        (*_poitiers("lat", "nan"), "nombre décimal attendu"),
        (*_poitiers("lat", "inf"), "nombre décimal attendu"),
        (*_poitiers("lon", "0,35969"), "nombre décimal attendu"),
        (_replace(POITIERS, POITIERS + ";x"), f"{LINE}:1: erreur", "6 champs séparés par « ; » attendus, 7 trouvés"),
        (
            _replace("code_insee;nom;", "code;nom;"),
            "1:1: erreur",
            "en-tête attendu : « code_insee;nom;codes_postaux;population;lat;lon »",
        ),
        (lambda data: b"\xef\xbb\xbf" + data, "1:1: erreur", "(BOM)"),
        (lambda data: data.replace(b"\n", b"\r\n"), "1:1: erreur", "fins de ligne Unix (LF) attendues"),
        (
            lambda data: data.replace(b"86194;Poitiers", b"86194;Poiti\xe9rs"),
            f"{LINE}:1: erreur",
            "pas encodé en UTF-8 (octet 0xE9)",
        ),
        (lambda data: data.rstrip(b"\n"), ": erreur", "la dernière ligne doit se terminer par un saut de ligne"),
        (lambda data: data + b"x" * MAX_FILE_BYTES, "communes.csv: erreur", "fichier trop volumineux"),
    ],
)
def test_every_hostile_edit_is_refused_with_line_column_field_and_fix(dataset, change, where, message):
    errors = _edit(dataset, change)
    assert any(where in e and message in e for e in errors), errors
    assert all(
        e.startswith("communes.csv") for e in errors
    )  # no cascade: addresses are not checked against a broken file
    if "trop volumineux" not in message and "saut de ligne" not in message:
        assert all("relancez la commande plutôt que de le modifier à la main" in e for e in errors)


def test_duplicates_and_disorder_are_refused(dataset):
    lines = (dataset.root / "communes.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    swapped = lines[:2] + [lines[3], lines[2]] + lines[4:]
    (dataset.root / "communes.csv").write_text("".join(swapped), encoding="utf-8")
    (error,) = dataset.errors()
    assert error.startswith(
        "communes.csv:4:1: erreur : code_insee : lignes dans le désordre : 16002 après 16003 (ligne 3)"
    )
    (dataset.root / "communes.csv").write_text("".join(lines[:3] + [lines[2]] + lines[3:]), encoding="utf-8")
    (error,) = dataset.errors()
    assert error.startswith("communes.csv:4:1: erreur : code_insee : code INSEE 16002 en double (déjà ligne 3)")


def test_positions_and_departments_come_from_site_yaml(dataset):
    change, where = _poitiers("lat", "48.85000")
    errors = _edit(dataset, change)
    assert any(
        f"communes.csv:{where} : position (48.85, 0.35969) hors de l'emprise de la Région" in e for e in errors
    ), errors
    site = dataset.root / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace('["16", "17", "79", "86"]', '["16", "17", "79", "86", "85"]'),
        encoding="utf-8",
    )
    shutil.copy(DEMO / "communes.csv", dataset.root / "communes.csv")
    assert dataset.errors() == [
        "communes.csv: erreur : aucune commune du département 85 (data/site.yaml, departements) : "
        "lancez « spro communes »"
    ]


def test_a_commune_outside_the_departments_is_refused(dataset):
    errors = _edit(dataset, lambda data: data.replace(b"\n16001;", b"\n09001;Test;09000;1;46.00000;0.00000\n16001;", 1))
    assert errors == [
        "communes.csv:2:1: erreur : code_insee : commune du département 09, absent de « departements » dans "
        "data/site.yaml ; ce fichier est écrit par « spro communes » : relancez la commande plutôt que de le "
        "modifier à la main"
    ]


def test_former_communes_file_is_checked_too(dataset):
    path = dataset.root / "communes-deleguees.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("16010;Ambleville;deleguee;16186", "16010;Ambleville;fusionnee;16999"), encoding="utf-8"
    )
    (error,) = dataset.errors()
    assert error.startswith(
        "communes-deleguees.csv:2:18: erreur : type : « fusionnee » : « deleguee » ou « associee » attendu"
    )
    path.write_text(
        text.replace("16010;Ambleville;deleguee;16186", "16010;Ambleville;deleguee;16999"), encoding="utf-8"
    )
    (error,) = dataset.errors()
    assert error.startswith(
        "communes-deleguees.csv:2:27: erreur : commune : commune actuelle 16999 absente de communes.csv"
    )


def test_missing_gazetteer_says_which_command_writes_it(dataset):
    (dataset.root / "communes.csv").unlink()
    assert dataset.errors() == ["communes.csv: erreur : fichier manquant : lancez « spro communes » pour le créer"]


# -- basins: INSEE codes, each commune in exactly one -------------------------------------------------


def _basin(dataset, code: str) -> Path:
    return dataset.root / "bassins" / f"{code}.yaml"


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


def test_a_commune_in_no_basin_is_named_at_its_line_of_the_gazetteer(dataset):
    path = _basin(dataset, "poitiers")
    path.write_text(path.read_text(encoding="utf-8").replace('  - "86214"  # Saint-Benoît\n', ""), encoding="utf-8")
    (error,) = dataset.errors()
    line = _line_of(dataset.root / "communes.csv", "86214;Saint-Benoît;")
    assert error == (
        f"communes.csv:{line}:1: erreur : code_insee : la commune 86214 (Saint-Benoît) n'est dans aucun bassin : "
        'ajoutez « - "86214"  # Saint-Benoît » à la liste « communes » d\'un bassin (par exemple '
        "bassins/poitiers.yaml, le bassin de sa voisine Poitiers), ou lancez « spro bassins repartir »"
    )


@pytest.mark.parametrize(
    "written, message",
    [
        (
            '"86914"',
            "code INSEE 86914 inconnu : aucune commune de la Région n'a ce code (data/communes.csv). "
            "Vouliez-vous dire « 86194 » (Poitiers) ?",
        ),
        (
            '"86000"',
            "code INSEE 86000 inconnu : aucune commune de la Région n'a ce code (data/communes.csv) ; 86000 est un "
            "code postal (Poitiers (86194)), pas un code INSEE",
        ),
        (
            '"16010"',
            "16010 était le code INSEE de « Ambleville », aujourd'hui commune déléguée de « Lignières-Ambleville » : "
            "écrivez le code INSEE 16186 (Lignières-Ambleville)",
        ),
        ("86194", "« 86194 » est lu comme un nombre : mettez-le entre guillemets"),
        ('{code_insee: "86194", nom: Poitiers}', "un texte est attendu, pas un dictionnaire"),
    ],
)
def test_a_wrong_code_in_a_basin_is_refused_with_the_code_meant(dataset, written, message):
    path = _basin(dataset, "poitiers")
    path.write_text(
        path.read_text(encoding="utf-8").replace('  - "86194"  # Poitiers', f"  - {written}"), encoding="utf-8"
    )
    errors = dataset.errors()
    line = _line_of(path, f"  - {written}")
    assert any(e.startswith(f"bassins/poitiers.yaml:{line}:5: erreur : communes[") and message in e for e in errors), (
        errors
    )
    assert not any(e.startswith("communes.csv") for e in errors)  # an unreadable list: no « in no basin » cascade


def test_departements_must_be_those_of_the_communes(dataset):
    path = _basin(dataset, "poitiers")
    path.write_text(
        path.read_text(encoding="utf-8").replace('departements: ["86"]', 'departements: ["86", "79"]'), encoding="utf-8"
    )
    (error,) = dataset.errors()
    assert error == (
        "bassins/poitiers.yaml:8:15: erreur : departements : départements différents de ceux de ses communes : "
        "retirez 79 (aucune de ses communes n'y est)"
    )


# -- addresses: INSEE code, name and postal code agree ------------------------------------------------


def test_the_official_spelling_is_what_the_site_publishes(dataset):
    dataset.write(
        "lieux/x.yaml",
        VALID_LIEU.replace(
            '  code_postal: "86000"\n  commune: Poitiers\n  code_insee: "86194"',
            '  code_postal: "86280"\n  commune: st benoit\n  code_insee: "86214"',
        ),
    )
    data, report = dataset.load()
    assert report.errors == []
    assert data.lieux["x"].adresse.commune == "Saint-Benoît"


def test_a_lieu_in_another_basin_is_told_its_communes(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("bassin: poitiers", "bassin: niort"))
    (error,) = dataset.errors()
    assert error == (
        "lieux/x.yaml:7:15: erreur : adresse.code_insee : la commune 86194 (Poitiers) n'appartient pas au "
        "bassin « niort » : elle est dans le bassin « poitiers » ; corrigez le bassin (bassin: poitiers) ou "
        "l'adresse"
    )


def test_an_event_finds_its_commune_and_basin_from_name_and_postal_code(dataset):
    dataset.write(
        "evenements/forum.yaml",
        "titre: Forum\ntype: forum\ndate: 2027-03-12\nemplacement:\n  nom: Salle\n"
        '  code_postal: "79000"\n  commune: NIORT\npublics: [jeunes]\n',
    )
    data, report = dataset.load()
    assert report.errors == []
    forum = data.evenements["forum"]
    assert (forum.emplacement.commune, forum.emplacement.code_insee, forum.bassin) == ("Niort", "79191", "niort")


def test_an_events_basin_must_be_its_communes(dataset):
    dataset.write(
        "evenements/forum.yaml",
        "titre: Forum\ntype: forum\ndate: 2027-03-12\nemplacement:\n  nom: Salle\n"
        '  code_postal: "79000"\n  commune: Niort\nbassin: poitiers\npublics: [jeunes]\n',
    )
    (error,) = dataset.errors()
    assert error == (
        "evenements/forum.yaml:8:9: erreur : bassin : la commune 79191 (Niort) n'appartient pas au bassin "
        "« poitiers » : elle est dans le bassin « niort » ; corrigez le bassin ou retirez cette ligne"
    )


# -- lookups -------------------------------------------------------------------------------------------


def test_resolution_forgives_spelling_knows_former_names_and_lists_candidates(demo):
    gazetteer = Gazetteer(demo.communes, demo.communes_deleguees)
    assert gazetteer.resolve("saint jean d angely", None).commune.code_insee == "17347"
    assert gazetteer.resolve("St-Jean-d'Angély", "17400").commune.code_insee == "17347"
    assert gazetteer.resolve("Ambleville", "16130").commune.nom == "Lignières-Ambleville"
    assert gazetteer.resolve(None, "86180").commune.nom == "Buxerolles"
    shared = gazetteer.resolve(None, "79000")
    assert shared.commune is None and shared.key == "commune"
    assert shared.reason == (
        "le code postal 79000 est celui de plusieurs communes (Bessines (79034), Niort (79191), "
        "Sciecq (79308)) : indiquez laquelle"
    )
    unknown = gazetteer.resolve("Poitier", None)
    assert unknown.reason == "aucune commune « Poitier » dans la Région. Vouliez-vous dire « Poitiers » ?"
    assert gazetteer.resolve(None, "99999").key == "code_postal"


# -- contributors' tools ----------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(DEMO, tmp_path / "data")
    return tmp_path


LIEU = [
    "--nom",
    "Point information jeunesse",
    "--reseau",
    "information-jeunesse",
    "--voie",
    "1 place du Marché",
    "--services",
    "api",
    "--publics",
    "jeunes",
]


def _written(project: Path, identifier: str) -> str:
    return (project / "data/lieux" / f"{identifier}.yaml").read_text(encoding="utf-8")


def test_new_lieu_from_a_postal_code_or_a_name_writes_the_official_commune(project):
    by_code = spro(project, "new", "lieu", *LIEU, "--code-postal", "86180", "--sans-questions")
    assert by_code.returncode == 0, by_code.stderr
    text = _written(project, "information-jeunesse-buxerolles")
    assert (
        '  code_postal: "86180"\n  commune: Buxerolles\n  code_insee: "86041"\n' in text
        and "bassin: poitiers\n" in text
    )
    by_name = spro(project, "new", "lieu", *LIEU, "--commune", "ST JEAN D ANGELY", "--sans-questions")
    assert by_name.returncode == 0, by_name.stderr
    text = _written(project, "information-jeunesse-saint-jean-d-angely")
    assert '  code_postal: "17400"\n  commune: Saint-Jean-d\'Angély\n  code_insee: "17347"\n' in text


def test_new_lieu_with_a_shared_postal_code_lists_the_communes_or_asks(project):
    refused = spro(project, "new", "lieu", *LIEU, "--code-postal", "79000", "--sans-questions")
    assert refused.returncode == 1
    assert (
        "commune : le code postal 79000 est celui de plusieurs communes (Bessines (79034), Niort (79191), "
        "Sciecq (79308)) : indiquez laquelle"
    ) in refused.stderr
    asked = spro(project, "new", "lieu", *LIEU, "--code-postal", "79000", stdin="sciecq\n")
    assert asked.returncode == 0, asked.stderr
    assert "Commune : " in asked.stdout  # the question, after the candidates were listed
    assert '  commune: Sciecq\n  code_insee: "79308"\n' in _written(project, "information-jeunesse-sciecq")


def test_import_names_the_commune_the_postal_code_does_not_have(project):
    (project / "lieux.csv").write_text(
        "nom;reseau;voie;code postal;commune;services;publics\n"
        "PIJ;information-jeunesse;1 rue X;79000;Nior;api;jeunes\n",
        encoding="utf-8",
    )
    result = spro(project, "import", "csv", "lieux.csv")
    assert result.returncode == 1
    assert (
        "lieux.csv:2:5: erreur : colonne « commune » : « Nior » n'est pas une commune du code postal 79000 (communes "
        "de ce code postal : Bessines (79034), Niort (79191), Sciecq (79308)). Vouliez-vous dire « Niort » ?"
    ) in result.stderr


def test_partial_validation_of_a_lieu_still_uses_the_gazetteer(project):
    target = project / "data/lieux/mission-locale-lusignan.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace("commune: Lusignan", "commune: Niort"), encoding="utf-8"
    )
    result = spro(project, "validate", "data/lieux/mission-locale-lusignan.yaml")
    assert result.returncode == 1
    assert "« Niort » n'est pas le nom de la commune 86139 : son nom officiel est « Lusignan »" in result.stdout


def test_validation_of_the_demo_is_clean_and_the_loader_reports_no_unassigned_commune():
    loader = DataLoader(DEMO, today=dt.date(2026, 11, 23))
    loader.load()
    assert loader.report.errors == [] and loader.unassigned == []

"""data/synonymes.yaml and the networks' former names: the words people use, validated like any data file."""

from __future__ import annotations

import json

import jsonschema
from conftest import DEMO, ROOT, TODAY

from build_tools.json_schemas import reference_codes, render_schemas
from build_tools.loader import TOP_LEVEL_FILES, load_dataset

ENTRY = """\
reconversion:
  mots: [reconversion, changer de métier]
  services: [cep]
  reseaux: [transitions-pro]
"""


def test_the_demo_file_is_a_good_starting_set():
    data, report = load_dataset(DEMO, today=TODAY)
    assert report.errors == []
    assert "synonymes.yaml" in TOP_LEVEL_FILES
    assert len(data.synonymes) >= 40
    words = {mot.lower() for s in data.synonymes.values() for mot in s.mots}
    assert {
        "reconversion",
        "bilan de compétences",
        "handicap",
        "jeunes",
        "chômage",
        "cadre",
        "femmes",
        "décrocheur",
        "apprentissage",
        "validation des acquis",
        "création d'entreprise",
    } <= words
    assert {r for s in data.synonymes.values() for r in s.reseaux} >= {
        "cap-emploi",
        "mission-locale",
        "apec",
        "cidff",
        "france-travail",
        "transitions-pro",
    }
    assert data.reseaux["france-travail"].anciens_noms[0] == "Pôle emploi"
    assert data.reseaux["transitions-pro"].anciens_noms == ("Fongecif",)


def test_a_valid_entry_is_read(dataset):
    dataset.write("synonymes.yaml", ENTRY)
    data, report = dataset.load()
    assert report.errors == []
    assert data.synonymes["reconversion"].mots == ("reconversion", "changer de métier")
    assert data.synonymes["reconversion"].reseaux == ("transitions-pro",)


def test_the_file_is_optional(dataset):
    (dataset.root / "synonymes.yaml").unlink()
    data, report = dataset.load()
    assert report.errors == [] and data.synonymes == {}


def test_unknown_codes_are_refused_with_a_suggestion(dataset):
    dataset.write(
        "synonymes.yaml",
        ENTRY.replace("services: [cep]", "services: [cpe]")
        + "handicap:\n  mots: [handicap]\n  publics: [demandeur-emploi]\n  reseaux: [cap-emplois]\n",
    )
    assert dataset.errors() == [
        "synonymes.yaml:3:14: erreur : reconversion.services[1] : service inconnu « cpe ». Vouliez-vous dire « cep » ?",
        "synonymes.yaml:7:13: erreur : handicap.publics[1] : public inconnu « demandeur-emploi ». "
        "Vouliez-vous dire « demandeurs-emploi » ?",
        "synonymes.yaml:8:13: erreur : handicap.reseaux[1] : réseau inconnu « cap-emplois ». Vouliez-vous dire « cap-emploi » ?",
    ]


def test_words_that_lead_nowhere_or_search_nothing(dataset):
    dataset.write(
        "synonymes.yaml",
        "seuls:\n  mots: [seul, de la]\n  publics: [jeunes]\nvide:\n  mots: [rien]\n"
        "vides:\n  mots: [rien]\n  services: []\n  motss: [x]\n",
    )
    assert dataset.errors() == [
        "synonymes.yaml:2:16: erreur : seuls.mots[2] : « de la » ne contient aucun mot que la recherche retient (lettres ou "
        "chiffres, hors mots comme « de », « la », « pour »)",
        "synonymes.yaml:5:3: erreur : vide : ces mots ne mènent à rien : indiquez au moins un service (services), un public "
        "(publics) ou un réseau (reseaux)",
        "synonymes.yaml:9:3: erreur : vides.motss : champ inconnu. Vouliez-vous dire « mots » ?",
        "synonymes.yaml:7:3: erreur : vides : ces mots ne mènent à rien : indiquez au moins un service (services), un public "
        "(publics) ou un réseau (reseaux)",
    ]


def test_a_former_name_leads_to_one_network(dataset):
    path = dataset.root / "reseaux.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  anciens_noms: [Sameth]\n", "  anciens_noms: [Sameth, CAP EMPLOI, pôle-emploi]\n")
    path.write_text(text, encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), start=1) if "CAP EMPLOI" in l)
    assert dataset.errors() == [
        f"reseaux.yaml:{line}:26: erreur : cap-emploi.anciens_noms[2] : « CAP EMPLOI » est le nom actuel du réseau : "
        "retirez-le des anciens noms",
        f"reseaux.yaml:{line}:38: erreur : cap-emploi.anciens_noms[3] : « pôle-emploi » désigne déjà le réseau "
        "« france-travail » : un nom ne peut mener qu'à un réseau",
    ]


def test_the_json_schema_lists_the_codes_and_rejects_what_the_contract_rejects():
    schema = json.loads(render_schemas(reference_codes(DEMO))["synonymes.schema.json"])
    assert (ROOT / "schemas/synonymes.schema.json").exists()
    entry = schema["additionalProperties"]
    assert "cep" in entry["properties"]["services"]["items"]["enum"]
    assert "transitions-pro" in entry["properties"]["reseaux"]["items"]["enum"]
    jsonschema.validate({"reconversion": {"mots": ["reconversion"], "services": ["cep"]}}, schema)
    for bad in (
        {"reconversion": {"mots": ["x"], "services": ["cpe"]}},
        {"reconversion": {"services": ["cep"]}},
        {"Reconversion!": {"mots": ["x"], "services": ["cep"]}},
    ):
        try:
            jsonschema.validate(bad, schema)
        except jsonschema.ValidationError:
            continue
        raise AssertionError(f"accepted: {bad}")

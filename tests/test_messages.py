"""Messages for partners editing in the browser: what they typed, and what to write instead (issue 15)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import VALID_LIEU

from build_tools import horaires_syntaxe

DAYS = "Mo (lundi), Tu (mardi), We (mercredi), Th (jeudi), Fr (vendredi), Sa (samedi), Su (dimanche)"
SYNTAX = (
    f"Syntaxe OpenStreetMap : jours en code anglais, {DAYS} ; heures en HH:MM ; plages d'un même jour séparées "
    "par « , », règles par « ; »."
)


def with_hours(hours: str) -> str:
    return VALID_LIEU.replace('horaires: "Mo-Fr 09:00-12:30,13:30-17:00; PH off"', f'horaires: "{hours}"')


# -- opening hours ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, cause, expression",
    [
        ("du lundi au vendredi de 9h à 17h", "jours et heures sont écrits en toutes lettres", "Mo-Fr 09:00-17:00"),
        ("du lundi au vendredi 9h-17h", "jours et heures sont écrits en toutes lettres", "Mo-Fr 09:00-17:00"),
        ("Ma,Je 9h-12h30", "« Ma » n'est pas un code de jour (Tu en anglais)", "Tu,Th 09:00-12:30"),
        ("Ma,Je 09:00-12:30", "« Ma » n'est pas un code de jour (Tu en anglais)", "Tu,Th 09:00-12:30"),
        ("lundi 9h-12h", "« lundi » n'est pas un code de jour (Mo en anglais)", "Mo 09:00-12:00"),
        ("Mo-Fr 9h-17h", "les heures s'écrivent HH:MM (9h30 s'écrit 09:30)", "Mo-Fr 09:00-17:00"),
        (
            "lundi au vendredi 9h-12h et 14h-17h, samedi 9h-12h, fermé les jours fériés",
            "« lundi » n'est pas un code de jour (Mo en anglais)",
            "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off",
        ),
    ],
)
def test_french_hours_get_the_expression_to_write(dataset, written, cause, expression):
    dataset.write("lieux/x.yaml", with_hours(written))
    (error,) = dataset.errors()
    column = 1 if not written.startswith("Mo-Fr") else 7
    assert error == (
        f"lieux/x.yaml:11:{11 + column}: erreur : horaires : horaires illisibles au caractère {column} : "
        f"{cause}. {SYNTAX} Écrivez : « {expression} »"
    )


def test_unreadable_hours_without_a_translation_get_an_example(dataset):
    dataset.write("lieux/x.yaml", with_hours("Mo-Fr 09:00-12:00 PH off"))
    (error,) = dataset.errors()
    assert error == (
        "lieux/x.yaml:11:30: erreur : horaires : horaires illisibles au caractère 19 : « PH » inattendu à cet "
        f"endroit (un « ; » manque-t-il avant ?). {SYNTAX} Par exemple : « Mo-Fr 09:00-12:30,13:30-17:00; "
        "PH off » (PH off : fermé les jours fériés)"
    )
    assert "any_rule_separator" not in error and "EOI" not in error


def test_a_range_ending_before_it_starts_is_refused_unless_written_past_midnight(dataset):
    dataset.write("lieux/x.yaml", with_hours("Tu,Th 14:00-12:30"))
    (error,) = dataset.errors()
    assert error == (
        "lieux/x.yaml:11:18: erreur : horaires : la plage « 14:00-12:30 » finit avant de commencer (12:30 "
        "n'est pas après 14:00) : corrigez les heures ; pour une ouverture qui continue après minuit, écrivez "
        "l'heure de fin au-delà de 24:00 (22:00-02:00 s'écrit 22:00-26:00)"
    )
    dataset.write("lieux/x.yaml", with_hours("Mo-Sa 22:00-02:00"))
    assert "la plage « 22:00-02:00 » finit avant de commencer" in dataset.errors()[0]
    dataset.write("lieux/x.yaml", with_hours("Mo-Sa 22:00-26:00; Su 18:00-24:00"))
    assert dataset.errors() == []  # past midnight on purpose, and until midnight


def test_every_problem_of_the_hours_is_reported_each_at_its_place(dataset):
    """The parser stops at its first error: a partner would fix one problem per build. Each rule is read on its own
    once the whole fails, and every backwards range is named."""
    dataset.write("lieux/x.yaml", with_hours("Mo-Fr 09:00-12:00; Sa 10h-12h; Su 14:00-12:00; Dimanche fermé"))
    errors = dataset.errors()
    assert [error.split(": erreur : horaires : ")[0] for error in errors] == [
        "lieux/x.yaml:11:34",  # 10h: its 23rd character; the value starts at column 12, after the quote
        "lieux/x.yaml:11:46",  # 14:00-12:00
        "lieux/x.yaml:11:59",  # Dimanche
    ]
    assert "les heures s'écrivent HH:MM" in errors[0]
    assert "la plage « 14:00-12:00 » finit avant de commencer" in errors[1]
    assert "« Dimanche » n'est pas un code de jour (Su en anglais)" in errors[2]
    assert "Syntaxe OpenStreetMap" in errors[0] and "Syntaxe OpenStreetMap" not in errors[2]  # (said once)
    dataset.write("lieux/x.yaml", with_hours("Mo-Fr 09:00-12:00,14:00-13:00; Sa 18:00-10:00"))
    first, second = dataset.errors()
    assert "la plage « 14:00-13:00 » finit" in first and "la plage « 18:00-10:00 » finit" in second


def test_a_comment_of_the_expression_is_not_read_as_hours():
    assert horaires_syntaxe.problem('Mo-Fr 09:00-17:00 "fermé 12:00-11:00 en août"') == (0, None)


def test_phrasings_that_cannot_be_understood_get_no_suggestion():
    for text in ("le matin", "lundi", "9h-12h", "lundi 9h", "lundi au 9h-12h", "du lundi au vendredi sur rendez-vous"):
        assert horaires_syntaxe.french_to_osm(text) is None, text


# -- lists and codes ---------------------------------------------------------------------------------


def test_a_list_written_on_one_line_gets_the_list_to_write(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("services: [api, cep]", "services: cep, api"))
    assert dataset.errors() == ["lieux/x.yaml:9:11: erreur : services : une liste est attendue : écrivez [cep, api]"]
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("services: [api, cep]", "services:\n  - api\n  - cep, vae"))
    assert dataset.errors() == [
        "lieux/x.yaml:10:3: erreur : services : un seul code par élément de liste : écrivez [api, cep, vae]"
    ]


def test_names_are_suggested_as_their_codes(dataset):
    dataset.write(
        "lieux/x.yaml", VALID_LIEU.replace("services: [api, cep]", "services: [Conseil en évolution professionnelle]")
    )
    assert dataset.errors() == [
        "lieux/x.yaml:9:12: erreur : services[1] : service inconnu « Conseil en évolution "
        "professionnelle ». « Conseil en évolution professionnelle » est le nom du service « cep » : "
        "écrivez son code, cep."
    ]
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("services: [api, cep]", "services: [CEP]"))
    assert "« CEP » est le nom du service « cep » : écrivez son code, cep." in dataset.errors()[0]
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("reseau: mission-locale", "reseau: Mission Locale"))
    assert (
        "« Mission Locale » est le nom du réseau « mission-locale » : écrivez son code, mission-locale."
        in dataset.errors()[0]
    )


def test_an_unknown_code_with_nothing_close_lists_the_codes(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("publics: [jeunes]", "publics: [tout le monde]"))
    (error,) = dataset.errors()
    assert error == (
        "lieux/x.yaml:10:11: erreur : publics[1] : public inconnu « tout le monde ». Codes possibles : actifs, "
        "beneficiaires-des-minimas-sociaux, cadres, demandeurs-emploi, etudiants, femmes, jeunes, "
        "personnes-en-situation-de-handicap, personnes-exilees, porteurs-de-projet, residents-qpv-frr, "
        "scolaires, seniors, tous-publics."
    )


# -- where the message lands ---------------------------------------------------------------------------


def test_a_missing_field_points_at_the_records_first_line(dataset):
    dataset.write(
        "lieux/x.yaml",
        "# yaml-language-server: $schema=../../schemas/lieu.schema.json\n"
        + VALID_LIEU.replace("verifie_le: 2026-10-01\n", ""),
    )
    assert dataset.errors(today=dt.date(2026, 11, 23)) == [
        "lieux/x.yaml:2:1: erreur : verifie_le : champ obligatoire manquant : ajoutez une ligne comme "
        "« verifie_le: 2026-11-23 » (date à laquelle une personne a vérifié cette fiche)"  # (the check is today's)
    ]


def test_a_missing_field_says_the_line_to_add_with_the_contract_s_example(dataset):
    """The example is written as the data writes it: a date unquoted, a postal code quoted (else a number), a list
    in brackets; a group of fields without example gets « … »."""
    dataset.write(
        "lieux/x.yaml",
        VALID_LIEU.replace('  code_postal: "86000"\n', "").replace("services: [api, cep]\n", ""),
    )
    errors = "\n".join(dataset.errors())
    assert (
        "adresse.code_postal : champ obligatoire manquant : ajoutez une ligne comme « code_postal: '86000' »" in errors
    )
    assert "services : champ obligatoire manquant : ajoutez une ligne comme « services: [api, cep] »" in errors


def test_a_required_field_left_empty_says_what_to_write_not_to_remove_it(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("nom: ", "nom: \n# ", 1))
    (error,) = [e for e in dataset.errors() if " nom : " in e]
    assert "valeur vide : ce champ est obligatoire, renseignez-le, par exemple « nom: " in error
    assert "retirez" not in error
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("publics: [jeunes]", "publics: ~"))  # (null, written out)
    (error,) = [e for e in dataset.errors() if " publics : " in e]
    assert "valeur vide : ce champ est obligatoire, renseignez-le, par exemple « publics: " in error


def test_a_non_breaking_space_in_the_indentation_is_named(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("  code_postal:", "\u00a0 code_postal:"))
    assert dataset.errors() == [
        "lieux/x.yaml:5:1: erreur : espace insécable dans l'indentation (elle vient souvent d'un "
        "copier-coller) : remplacez-la par une espace ordinaire"
    ]


def test_an_entry_of_data_in_the_wrong_place_names_its_folder(dataset):
    dataset.write("mission-locale-lusignan.yaml", VALID_LIEU)
    (dataset.root / "lieu").mkdir()
    errors = dataset.errors()
    assert (
        "lieu: erreur : dossier que l'annuaire ne lit pas. Vouliez-vous dire « lieux » ? Les fiches vont dans "
        "data/lieux/, data/bassins/, data/metiers/ ou data/evenements/ (un fichier par fiche)"
    ) in errors
    assert (
        "mission-locale-lusignan.yaml: erreur : fichier que l'annuaire ne lit pas. Les fiches vont dans data/lieux/, "
        "data/bassins/, data/metiers/ ou data/evenements/ (un fichier par fiche)"
    ) in errors
    dataset.write("lieux.yaml", VALID_LIEU)  # a lieu written beside its folder
    assert (
        "lieux.yaml: erreur : fichier que l'annuaire ne lit pas : les fiches de ce type vont dans data/lieux/, un "
        "fichier par fiche"
    ) in dataset.errors()


@pytest.mark.parametrize("text", ["{2`5", "{\ufeff6", "a: [1,\r\rb: 2\r"])
def test_a_bracket_left_open_at_the_end_of_a_file_or_with_other_line_breaks_is_found(text):
    """The parser counts lines as YAML does (\\r alone ends one) and may stop past the last line."""
    from build_tools.yaml_source import read_yaml

    (problem,) = read_yaml(text.encode(), "f.yaml")[1]
    assert problem.line == 1 and "ouvert" in problem.message and "jamais" in problem.message


@pytest.mark.parametrize(
    ("text", "where", "said"),
    [
        ('nom: "Mission locale\nreseau: ml\n', (1, 6), "guillemet ouvert ici et jamais fermé"),
        (
            "services: [api, cep\npublics: [jeunes]\n",
            (1, 11),
            "liste entre crochets ouverte ici et jamais fermée (« ] » manquant ?)",
        ),
        (
            "adresse: {voie: x\nbassin: b\n",
            (1, 10),
            "dictionnaire entre accolades ouvert ici et jamais fermé (« } » manquant ?)",
        ),
        # a quote left open swallows the text up to the next quote (a postal code's) and the parser fails there
        (
            'siret: "1069265615\nadresse:\n  voie: 1 rue\n  code_postal: "79000"\nbassin: niort\n',
            (1, 8),
            "guillemet ouvert ici et jamais fermé",
        ),
        # a comma missing inside a list written on several lines: said where it is missing
        (
            'services: [\n  "api",\n  "cep"\n  "vae",\n]\n',
            (4, 3),
            "« , » ou « ] » attendu dans la liste entre crochets",
        ),
        # a quote inside a text is no quoted value
        (
            'nom: Le "Point\n  x: 1\n y: 2\n',
            (2, 4),
            "« : » inattendu ; si la valeur contient deux-points, mettez-la entre guillemets",
        ),
    ],
)
def test_an_unclosed_quote_list_or_brace_is_reported_where_it_opens(text, where, said):
    """The parser notices it lines later, where nothing is wrong: a partner would look there. A comma missing is
    still reported where it is missing."""
    from build_tools.yaml_source import read_yaml

    (problem,) = read_yaml(text.encode(), "f.yaml")[1]
    assert ((problem.line, problem.column), problem.message) == (where, f"syntaxe YAML invalide : {said}")


@pytest.mark.parametrize(
    "text",
    [
        'nom: "\\U0011FFFF"\n',
        'nom: "\\x"\n',
        "{a: b}}\n",
        "%FOO\n---\na: b\n",
        "%YAML 2.0\n---\na: b\n",
        'a: "\\q"\n',
        "a: 'x\n",
        "a: [1, 2\n",
        "- a\nb: c\n",
        "a: b: c\n",
        "a: |\n  x\n y\n",
        "a: @x\n",
        "a: |0\n  x\n",
        "a: &\n",
    ],
)
def test_yaml_syntax_errors_are_told_in_french_only(text):
    """libyaml's own words (« found », « expected »…) never reach a partner."""
    from build_tools.yaml_source import read_yaml

    (problem, *_) = read_yaml(text.encode(), "f.yaml")[1]
    assert problem.message.startswith("syntaxe YAML invalide : ")
    assert not re.search(r"\b(found|expected|did not|while|token|stream|scalar|directive)\b", problem.message), (
        problem.message
    )

"""Each validation rule, shown by a failing example and the French message it produces."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import VALID_LIEU

from build_tools import yaml_source


def lieu(**changes: str) -> str:
    """VALID_LIEU with whole lines replaced: ``lieu(bassin="bassin: x")``."""
    text = VALID_LIEU
    for key, line in changes.items():
        old = next(l for l in text.splitlines() if l.startswith(key + ":") or l.startswith("  " + key + ":"))
        text = text.replace(old, line)
    return text


def test_the_valid_example_is_accepted(dataset):
    dataset.write("lieux/antenne-test.yaml", VALID_LIEU)
    data, report = dataset.load()
    assert report.errors == []
    assert list(data.lieux) == ["antenne-test"]
    assert data.lieux["antenne-test"].contact.telephone == "05 36 49 00 01"


# -- reading the file -------------------------------------------------------------------------


def test_malformed_yaml_names_the_line(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("services: [api, cep]", "services: [api, cep"))
    (error,) = dataset.errors()
    assert error.startswith("lieux/x.yaml:9:11:")  # (where the list opens, not line 10 where the parser gave up)
    assert "syntaxe YAML invalide : liste entre crochets ouverte ici et jamais fermée" in error


def test_a_value_with_colon_gets_advice_to_quote(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU + "description: Accueil: sans rendez-vous: oui\n")
    (error,) = dataset.errors()
    assert "mettez-la entre guillemets" in error


def test_tab_in_indentation(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("  voie:", "\tvoie:"))
    (error,) = dataset.errors()
    assert error == "lieux/x.yaml:4:1: erreur : tabulation dans l'indentation : utilisez des espaces"


def test_non_utf8_file(dataset):
    dataset.write(
        "lieux/x.yaml",
        VALID_LIEU.replace("Poitiers", "Poitiers Ã©").encode("utf-8").replace(b"\xc3\x83\xc2\xa9", b"\xe9"),
    )
    (error,) = dataset.errors()
    assert "lieux/x.yaml:6:" in error
    assert "n'est pas encodé en UTF-8 (octet 0xE9" in error


def test_utf8_bom_and_crlf_are_accepted(dataset):
    dataset.write("lieux/x.yaml", b"\xef\xbb\xbf" + VALID_LIEU.replace("\n", "\r\n").encode())
    assert dataset.errors() == []


def test_nul_byte(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("Poitiers\n", "Poi\x00tiers\n", 1))
    (error,) = dataset.errors()
    assert "caractère nul" in error and ":6:" in error


def test_duplicate_key_is_an_error_not_silently_the_last(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU + "nom: Un autre nom\n")
    (error,) = dataset.errors()
    assert (
        error
        == "lieux/x.yaml:15:1: erreur : nom : clé en double (déjà présente ligne 1) : gardez une seule fois ce champ"
    )


def test_alias_bomb_is_refused_quickly(dataset):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    dataset.write("lieux/x.yaml", bomb)
    (error,) = dataset.errors()
    assert "ancres et alias YAML" in error and ":1:" in error


def test_deep_nesting_is_refused_without_crashing(dataset):
    dataset.write("lieux/x.yaml", "nom: " + "[" * 50_000 + "]" * 50_000 + "\n")
    (error,) = dataset.errors()
    assert "imbrication trop profonde" in error


def test_oversized_file_is_refused_before_parsing(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU + "description: " + "x" * (yaml_source.MAX_FILE_BYTES + 1) + "\n")
    (error,) = dataset.errors()
    assert "fichier trop volumineux" in error


def test_python_tags_are_refused(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU + "description: !!python/object/apply:os.system [ls]\n")
    (error,) = dataset.errors()
    assert "étiquette YAML" in error and "non autorisée" in error


def test_several_documents_are_refused(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU + "---\nnom: autre\n")
    (error,) = dataset.errors()
    assert "un seul document par fichier" in error


def test_empty_file(dataset):
    dataset.write("lieux/x.yaml", "# rien\n")
    assert dataset.errors() == ["lieux/x.yaml: erreur : le fichier est vide"]


# -- the contract -----------------------------------------------------------------------------


def test_unknown_key_suggests_the_right_one(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU.replace("  telephone:", "  telepone:"))
    (error,) = dataset.errors()
    assert error == "lieux/x.yaml:13:3: erreur : contact.telepone : champ inconnu. Vouliez-vous dire « telephone » ?"


def test_wrong_types(dataset):
    dataset.write(
        "lieux/x.yaml",
        VALID_LIEU + "sur_rendez_vous: oui\nnom_court: x\n".replace("nom_court: x\n", "") + "accessibilite: [pmr]\n",
    )
    errors = dataset.errors()
    assert any("sur_rendez_vous : true ou false est attendu, pas « oui » (écrivez true pour oui" in e for e in errors)
    assert any("accessibilite : un dictionnaire (clé: valeur) attendu, pas une liste" in e for e in errors)


def test_a_list_written_as_a_single_word_gets_a_hint(dataset):
    dataset.write("lieux/x.yaml", lieu(services="services: api"))
    (error,) = dataset.errors()
    assert "services : une liste est attendue : écrivez [api]" in error


def test_missing_required_fields(dataset):
    dataset.write(
        "lieux/x.yaml", VALID_LIEU.replace("verifie_le: 2026-10-01\n", "").replace("  commune: Poitiers\n", "")
    )
    errors = dataset.errors()
    assert any(e.startswith("lieux/x.yaml:4:3: erreur : adresse.commune : champ obligatoire manquant") for e in errors)
    # at the record's first line: an annotation needs a line to land on
    assert any(e.startswith("lieux/x.yaml:1:1: erreur : verifie_le : champ obligatoire manquant") for e in errors)


@pytest.mark.parametrize(
    "line, message",
    [
        ("reseau: mision-locale", "réseau inconnu « mision-locale ». Vouliez-vous dire « mission-locale » ?"),
        ("bassin: poitier", "bassin inconnu « poitier ». Vouliez-vous dire « poitiers » ?"),
        ("services: [api, cepp]", "service inconnu « cepp ». Vouliez-vous dire « cep » ?"),
        ("publics: [jeune]", "public inconnu « jeune ». Vouliez-vous dire « jeunes » ?"),
    ],
)
def test_unknown_codes_suggest_the_closest(dataset, line, message):
    dataset.write("lieux/x.yaml", lieu(**{line.split(":")[0]: line}))
    (error,) = dataset.errors()
    assert message in error


def test_tous_publics_is_alone(dataset):
    dataset.write("lieux/x.yaml", lieu(publics="publics: [tous-publics, jeunes]"))
    (error,) = dataset.errors()
    assert "« tous-publics » s'emploie seul" in error and ":10:10:" in error


def test_id_must_match_file_name(dataset):
    dataset.write("lieux/antenne.yaml", "id: autre-antenne\n" + VALID_LIEU)
    (error,) = dataset.errors()
    assert error == (
        "lieux/antenne.yaml:1:5: erreur : id : « autre-antenne » ne correspond pas au nom du fichier "
        "« antenne » : renommez le fichier ou corrigez le champ"
    )


def test_file_names_are_lowercase_identifiers_with_yaml_extension(dataset):
    dataset.write("lieux/Mission Locale.yaml", VALID_LIEU)
    dataset.write("lieux/antenne.yml", VALID_LIEU)
    errors = dataset.errors()
    assert (
        "lieux/Mission Locale.yaml: erreur : nom de fichier invalide (lettres minuscules sans accent, chiffres et "
        "tirets, par exemple mission-locale-poitiers.yaml) : renommez-le « mission-locale.yaml »" in errors
    )
    assert "lieux/antenne.yml: erreur : extension « .yaml » attendue pour un fichier de données" in errors


def test_same_address_and_network_twice(dataset):
    dataset.write("lieux/a.yaml", VALID_LIEU)
    dataset.write("lieux/b.yaml", VALID_LIEU.replace("12 rue de la Marne", "12  Rue de la  Marne"))
    (error,) = dataset.errors()
    assert error.startswith("lieux/b.yaml:4:")
    assert "même adresse et même réseau que lieux/a.yaml" in error


def test_same_address_in_another_network_is_fine(dataset):
    dataset.write("lieux/a.yaml", VALID_LIEU)
    dataset.write("lieux/b.yaml", lieu(reseau="reseau: cio"))
    assert dataset.errors() == []


@pytest.mark.parametrize(
    "key, line, message",
    [
        ("code_postal", '  code_postal: "8600"', "un code postal compte 5 chiffres"),
        ("code_insee", '  code_insee: "8619"', "un code INSEE de commune compte 5 caractères"),
        ("telephone", "  telephone: 05 49 12 34", "numéro de téléphone français attendu"),
        ("telephone", "  telephone: +44 20 7946 0000", "numéro de téléphone français attendu"),
    ],
)
def test_bad_formats(dataset, key, line, message):
    dataset.write("lieux/x.yaml", lieu(**{key: line}))
    (error,) = dataset.errors()
    assert message in error


@pytest.mark.parametrize(
    "extra, message",
    [
        ('siret: "12345678901234"', "numéro SIRET invalide (clé de contrôle fausse)"),
        ('siret: "1234567890"', "un SIRET compte exactement 14 chiffres"),
        ("contact:\n  courriel: accueil@@exemple.fr", "adresse électronique invalide"),
        ("contact:\n  site: http://www.exemple.fr", "adresse web non sécurisée : utilisez https://"),
        ("contact:\n  site: javascript:alert(1)", "adresse web attendue, commençant par https://"),
        ("accessibilite:\n  acceslibre: data:text/html,x", "adresse web attendue, commençant par https://"),
    ],
)
def test_bad_identifiers_and_addresses(dataset, extra, message):
    text = VALID_LIEU.replace("contact:\n  telephone: 05 36 49 00 01\n", "")
    dataset.write("lieux/x.yaml", text + extra + "\n")
    (error,) = dataset.errors()
    assert message in error


def test_valid_siret_phone_forms_are_normalised(dataset):
    text = VALID_LIEU.replace("  telephone: 05 36 49 00 01", "  telephone: +33 (0)5.36.49.00.01")
    dataset.write("lieux/x.yaml", text + 'siret: "130 005 481 00010"\n')
    data, report = dataset.load()
    assert report.errors == []
    assert data.lieux["x"].contact.telephone == "05 36 49 00 01"
    assert data.lieux["x"].siret == "13000548100010"


def test_opening_hours_that_do_not_parse_show_where(dataset):
    dataset.write("lieux/x.yaml", lieu(horaires='horaires: "Mo-Fx 09:00-12:00"'))
    (error,) = dataset.errors()
    # The value starts at column 12 (after the quote); the parser stops at its 4th character.
    assert error.startswith("lieux/x.yaml:11:15: erreur : horaires : horaires illisibles au caractère 4")
    assert "« Fx » n'est pas compris ici (un code de jour, PH ou off est attendu)" in error
    assert "Mo (lundi), Tu (mardi), We (mercredi), Th (jeudi), Fr (vendredi), Sa (samedi), Su (dimanche)" in error


def test_closure_ending_before_it_starts(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU + "fermetures:\n  - du: 2026-12-10\n    au: 2026-12-01\n")
    (error,) = dataset.errors()
    assert error == (
        "lieux/x.yaml:17:9: erreur : fermetures[1].au : la fin de fermeture (2026-12-01) précède son début (2026-12-10)"
    )


def test_french_date_format_gets_the_iso_form(dataset):
    dataset.write("lieux/x.yaml", lieu(verifie_le="verifie_le: 01/10/2026"))
    (error,) = dataset.errors()
    assert "une date AAAA-MM-JJ est attendue : écrivez 2026-10-01" in error


def test_commune_outside_its_basin(dataset):
    dataset.write("lieux/x.yaml", lieu(bassin="bassin: niort"))
    (error,) = dataset.errors()
    assert error.startswith(
        "lieux/x.yaml:7:15: erreur : adresse.code_insee : la commune 86194 (Poitiers) "
        "n'appartient pas au bassin « niort »"
    )


def test_postal_code_of_another_commune(dataset):
    dataset.write("lieux/x.yaml", lieu(code_postal='  code_postal: "86100"'))
    (error,) = dataset.errors()
    assert "le code postal 86100 n'est pas celui de Poitiers (86000)" in error


def test_coordinates_outside_the_region(dataset):
    dataset.write("lieux/x.yaml", VALID_LIEU + "coordonnees:\n  lat: 0.34\n  lon: 46.58\n")
    (error,) = dataset.errors()
    assert "hors de la Région Poitou-Charentes : latitude et longitude inversées ?" in error


@pytest.mark.parametrize("line", ["verifie_le: 2026-11-24", "label:\n  depuis: 2027-01-01"])
def test_dates_in_the_future(dataset, line):
    text = VALID_LIEU.replace("verifie_le: 2026-10-01\n", "") + ("verifie_le: 2026-10-01\n" if "label" in line else "")
    dataset.write("lieux/x.yaml", text + line + "\n")
    (error,) = dataset.errors()
    assert "est dans le futur" in error


def test_stale_record_is_a_warning_not_an_error(dataset):
    dataset.write("lieux/x.yaml", lieu(verifie_le="verifie_le: 2025-10-01"))
    data, report = dataset.load()
    assert report.errors == []
    (warning,) = report.warnings
    assert warning.as_text() == (
        "lieux/x.yaml:14:13: avertissement : verifie_le : fiche non vérifiée depuis plus de "
        "12 mois (le 2025-10-01) : vérifiez les informations et mettez la date à jour"
    )
    assert "x" in data.lieux
    assert dataset.load(today=dt.date(2026, 9, 30))[1].warnings == []


def test_every_problem_is_reported_at_once(dataset):
    dataset.write("lieux/a.yaml", lieu(bassin="bassin: poitier", horaires="horaires: nimporte"))
    dataset.write(
        "lieux/b.yaml",
        VALID_LIEU.replace("  telephone:", "  telepone:")
        .replace("[api, cep]", "[vea]")
        .replace("12 rue de la Marne", "3 place du Marché"),
    )
    errors = dataset.errors()
    assert len(errors) == 4
    assert {e.split(":")[0] for e in errors} == {"lieux/a.yaml", "lieux/b.yaml"}


def test_a_commune_in_two_basins(dataset):
    path = dataset.root / "bassins" / "niort.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '  - "86194"  # Poitiers\n', encoding="utf-8")
    errors = dataset.errors()
    # Basin files are read in name order: niort claims Poitiers first, so poitiers.yaml is told, at the code's line.
    line = _line_of(dataset, "poitiers", "86194")
    assert any(
        e.startswith(f"bassins/poitiers.yaml:{line}:5: erreur : communes[")
        and "commune 86194 (Poitiers) déjà rattachée au bassin « niort » (bassins/niort.yaml) : une commune "
        "n'appartient qu'à un bassin, retirez-la de l'un des deux"
        in e
        for e in errors
    ), errors
    assert any(
        e.startswith("bassins/niort.yaml:")
        and "departements : départements différents de ceux de ses communes : ajoutez 86" in e
        for e in errors
    )


def _line_of(dataset, bassin: str, code: str) -> int:
    lines = (dataset.root / "bassins" / f"{bassin}.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if f'"{code}"' in line)


def test_a_broken_reference_file_does_not_cascade(dataset):
    dataset.write("services.yaml", "api: [\n")
    dataset.write("lieux/x.yaml", VALID_LIEU)
    errors = dataset.errors()
    assert len(errors) == 1 and errors[0].startswith("services.yaml:2:")


def test_job_sheet_rules(dataset):
    dataset.write(
        "metiers/K2111.yaml",
        "code: K2112\nintitule: Formateur\nsecteur: Formation\ndescription: x\nacces: y\n"
        "bassins: [poitiers, nantes]\nliens:\n  - titre: Fiche\n    url: ftp://exemple.fr\n",
    )
    dataset.write("metiers/formateur.yaml", "intitule: x\nsecteur: y\ndescription: z\nacces: w\n")
    errors = dataset.errors()
    assert (
        "metiers/K2111.yaml:1:7: erreur : code : « K2112 » ne correspond pas au nom du fichier « K2111 » : "
        "renommez le fichier ou corrigez le champ" in errors
    )
    assert any("bassins[2] : bassin inconnu « nantes »" in e for e in errors)
    assert any("liens[1].url" in e and "https://" in e for e in errors)
    assert "metiers/formateur.yaml: erreur : nom de fichier invalide (code ROME, par exemple K2111.yaml)" in errors


@pytest.mark.parametrize("line, shown", [("  code_postal: 86000", "86000"), ("  code_postal: 01000", "01000")])
def test_unquoted_numbers_in_text_fields_must_be_quoted(dataset, line, shown):
    dataset.write("lieux/x.yaml", lieu(code_postal=line))
    (error,) = dataset.errors()
    assert f'adresse.code_postal : « {shown} » est lu comme un nombre : mettez-le entre guillemets ("{shown}")' in error


def test_a_public_outside_data_inclusion_needs_its_equivalent(dataset):
    path = dataset.root / "publics.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "apprentis:\n  nom: Apprentis\n", encoding="utf-8")
    (error,) = dataset.errors()
    assert error.startswith("publics.yaml:")
    assert (
        "apprentis : ce public n'est pas un code data·inclusion : indiquez son équivalent dans « public_data_inclusion »"
        in error
    )


FILLERS = "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0"  # display as nothing, though Unicode calls them letters or marks


def test_every_invisible_character_of_unicode_is_refused():
    import unicodedata

    from build_tools.formats import invisible_character_problem

    invisible = [
        chr(c)
        for c in range(0x110000)
        if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp") and chr(c) not in "\t\n"
    ] + list(FILLERS)
    missed = [f"U+{ord(c):04X}" for c in invisible if invisible_character_problem(f"Apec{c}Niort") is None]
    assert missed == []
    assert invisible_character_problem("Apec\u061cNiort") == (
        "caractère invisible interdit (U+061C, caractère invisible) : retirez-le (il vient souvent d'un copier-coller)"
    )
    for visible in ("Châtellerault", "L'Île-d'Yeux", "Cœur – « accueil »", "a\u00a0b", "a\u202fb", "👩\ufe0f"):
        assert invisible_character_problem(visible) is None


@pytest.mark.parametrize(
    "written, shown, link",
    [
        ("+262 262 12 34 56", "0262 12 34 56", "tel:+262262123456"),  # La Réunion
        ("0590 12 34 56", "0590 12 34 56", "tel:+590590123456"),  # Guadeloupe, written nationally
        ("0692 12 34 56", "0692 12 34 56", "tel:+262692123456"),  # a mobile of La Réunion
        ("+33 (0)5.36.49.00.01", "05 36 49 00 01", "tel:+33536490001"),
        ("3949", "3949", "tel:3949"),  # France Travail's short number
    ],
)
def test_phone_numbers_of_france_and_its_overseas_departments(dataset, written, shown, link):
    from build_tools.formats import phone_uri

    dataset.write("lieux/x.yaml", VALID_LIEU.replace("  telephone: 05 36 49 00 01", f'  telephone: "{written}"'))
    data, report = dataset.load()
    assert report.errors == []
    assert data.lieux["x"].contact.telephone == shown and phone_uri(shown) == link


@pytest.mark.parametrize("region", ["RE", "YT", "GP", "MQ", "GF"])
def test_an_overseas_number_written_nationally_keeps_its_country_code(region):
    """« 0596 71 23 45 » is Martinique's (+596): France's metadata would also read it as +33 5 96…"""
    import phonenumbers

    from build_tools.formats import OVERSEAS_PREFIXES, normalize_phone, phone_uri

    for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
        example = phonenumbers.example_number_for_type(region, kind)
        national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
        e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        assert national.replace(" ", "")[:4] in OVERSEAS_PREFIXES, national
        assert (normalize_phone(national.replace(" ", "")), phone_uri(national)) == (national, f"tel:{e164}")


def test_la_postes_sirets_and_its_head_office_are_valid():
    from build_tools.formats import check_siret

    assert check_siret("35600000000048") is None  # La Poste's head office: the documented exception
    assert check_siret("35600000049837") is None  # another establishment of La Poste (digit sum)
    assert check_siret("35600000049838") == (
        "numéro SIRET invalide (clé de contrôle fausse) : vérifiez-le sur annuaire-entreprises.data.gouv.fr"
    )
    assert check_siret("+1 415") == "un SIRET compte exactement 14 chiffres"

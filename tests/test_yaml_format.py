"""`spro format`: canonical order and style, comments kept, idempotent, atomic, CI check."""

from __future__ import annotations

import re
import subprocess
from pathlib import PurePosixPath

import pytest
import yaml
from conftest import DEMO, ROOT, VALID_LIEU
from site_helpers import spro

from build_tools.yaml_format import data_file_kind, data_files, format_text

LIEU = data_file_kind(PurePosixPath("lieux/x.yaml"))

MESSY = """\
# Fiche tenue par la Mission locale : merci de prévenir avant de modifier.
verifie_le: 2026-10-01   # vérifiée au téléphone
# Services : le CEP depuis 2024
services:
- api
- cep
contact: {courriel: accueil@exemple.fr, telephone: 05 36 49 00 01}
publics: [jeunes]
adresse:
    commune: Poitiers
    # INSEE, pas le code postal !
    code_insee: "86194"
    voie: 12 rue de la Marne
    code_postal: "86000"

# Le nom officiel, voir l'arrêté
nom: 'Mission locale – antenne de test'
description: |
  Première ligne.
  Deuxième ligne.
# à la fin : bassin
bassin: poitiers
reseau: mission-locale
# commentaire final
"""


def comments(text: str) -> list[str]:
    return sorted(m.strip() for m in re.findall(r"#[^\n]*", text) if "yaml-language-server" not in m)


def test_fields_follow_the_contract_and_every_comment_stays_with_its_field():
    out, problems = format_text(MESSY, LIEU, "x.yaml")
    assert problems == []
    assert yaml.safe_load(out) == yaml.safe_load(MESSY)
    assert comments(out) == comments(MESSY)
    keys = [line.split(":")[0] for line in out.splitlines() if re.match(r"^[a-z_]+:", line)]
    assert keys == ["nom", "reseau", "adresse", "bassin", "services", "publics", "contact", "description", "verifie_le"]
    assert out.startswith(
        "# yaml-language-server: $schema=../../schemas/lieu.schema.json\n# Fiche tenue par la Mission locale"
    )
    # a comment line travels with the field below it
    assert "# Le nom officiel, voir l'arrêté\nnom: 'Mission locale – antenne de test'\n" in out
    assert "# à la fin : bassin\nbassin: poitiers\n" in out
    assert '  # INSEE, pas le code postal !\n  code_insee: "86194"\n' in out
    assert "verifie_le: 2026-10-01   # vérifiée au téléphone\n" in out
    # style: nested mappings in block style, short code lists in flow style, block scalars kept
    assert 'adresse:\n  voie: 12 rue de la Marne\n  code_postal: "86000"\n  commune: Poitiers\n' in out
    assert "contact:\n  telephone: 05 36 49 00 01\n  courriel: accueil@exemple.fr\n" in out
    assert "services: [api, cep]\n" in out
    assert "description: |\n  Première ligne.\n  Deuxième ligne.\n" in out


def test_formatting_is_idempotent_and_keeps_the_demo_data(tmp_path):
    for path in data_files(DEMO):
        kind = data_file_kind(PurePosixPath(path.relative_to(DEMO).as_posix()))
        text = path.read_text(encoding="utf-8")
        once, problems = format_text(text, kind, str(path))
        assert problems == [] and yaml.safe_load(once) == yaml.safe_load(text), path
        assert comments(once) == comments(text), path
        assert format_text(once, kind, str(path))[0] == once, path
    out, _ = format_text(MESSY, LIEU, "x.yaml")
    assert format_text(out, LIEU, "x.yaml")[0] == out


def test_a_list_with_comments_or_too_long_stays_one_item_a_line():
    text = VALID_LIEU.replace("services: [api, cep]", "services:\n  - api  # depuis 2020\n  - cep")
    out, _ = format_text(text, LIEU, "x.yaml")
    assert "services:\n  - api  # depuis 2020\n  - cep\n" in out


def test_unsafe_or_ambiguous_files_are_left_alone_with_a_french_reason():
    for text, expected in [
        ("nom: &a x\nstructure: *a\n", "ancres"),
        ("nom: a\nnom: b\n", "clé en double"),
        ("nom: !!python/object:os.system x\n", "étiquette"),
    ]:
        out, problems = format_text(text, LIEU, "data/lieux/x.yaml")
        assert (
            out is None and expected in problems[0].as_text() and problems[0].as_text().startswith("data/lieux/x.yaml:")
        )


def test_cli_check_then_rewrite(dataset):
    messy = dataset.write("lieux/test.yaml", MESSY.encode("utf-8").replace(b"\n", b"\r\n"))
    dataset.write("lieux/propre.yaml", format_text(VALID_LIEU.replace("12 rue", "14 rue"), LIEU, "")[0])
    before = messy.read_bytes()
    check = spro(dataset.root.parent, "format", "--check")
    assert check.returncode == 1
    assert "data/lieux/test.yaml:1:1: note : mise en forme : fins de ligne Windows (CRLF)" in check.stdout
    assert "propre" not in check.stdout
    assert messy.read_bytes() == before  # --check writes nothing
    done = spro(dataset.root.parent, "format", "data/lieux/test.yaml")
    assert done.returncode == 0 and "1 fichier mis en forme" in done.stderr
    assert b"\r\n" not in messy.read_bytes()
    assert spro(dataset.root.parent, "format", "--check").returncode == 0
    assert not [p for p in messy.parent.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_the_committed_data_is_formatted():
    result = spro(ROOT, "format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


# -- a browser edit: valid content, layout that is not spro format's ---------------------------------------

CANONICAL = format_text(VALID_LIEU, LIEU, "")[0]
AFTER_MERGE = " ; corrigé automatiquement après la fusion, ou par spro format"


def notes_for(dataset, text: str, *options: str) -> subprocess.CompletedProcess:
    dataset.write("lieux/antenne.yaml", text.encode("utf-8") if isinstance(text, str) else text)
    return spro(dataset.root.parent, "format", "--check", *options, "data/lieux/antenne.yaml")


@pytest.mark.parametrize(
    "edit, note",
    [
        (
            lambda t: t + "fermetures:\n  - du: 2026-12-24\n    au: 2027-01-02\n",
            "16:1: note : mise en forme : ordre des champs : « fermetures » se range avant « verifie_le »",
        ),
        (
            lambda t: t.replace(
                "  telephone: 05 36 49 00 01\n", "  courriel: accueil@exemple.fr\n  telephone: 05 36 49 00 01\n"
            ),
            "15:1: note : mise en forme : ordre des champs : « telephone » se range avant « courriel »",
        ),
        (
            lambda t: t.replace("services: [api, cep]", "services:\n  - api\n  - cep"),
            "10:1: note : mise en forme : listes : « services » s'écrit [api, cep]",
        ),
        (
            lambda t: t.replace("\n  ", "\n    "),
            "5:1: note : mise en forme : indentation : 4 espaces au lieu de 2 (et 4 autres lignes)",
        ),
        (
            lambda t: t.replace("bassin: poitiers", "bassin: poitiers  "),
            "9:1: note : mise en forme : espaces en fin de ligne",
        ),
        (lambda t: t.rstrip("\n"), "15:1: note : mise en forme : pas de retour à la ligne après la dernière ligne"),
    ],
)
def test_each_layout_difference_is_a_note_on_its_line_never_a_validation_error(dataset, edit, note):
    text = edit(CANONICAL)
    dataset.write("lieux/antenne.yaml", text)
    assert dataset.errors() == []  # valid content: spro validate accepts what YAML means
    result = notes_for(dataset, text)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"data/lieux/antenne.yaml:{note}{AFTER_MERGE}"]
    assert result.stderr == "1 fichier vérifié : 1 fichier à remettre en forme : lancez spro format.\n"
    github = notes_for(dataset, text, "--format", "github")  # the pull request's check: a notice, never a failure
    line, _, message = note.partition(":1: note : ")
    assert github.returncode == 0
    assert github.stdout.splitlines() == [
        f"::notice file=data/lieux/antenne.yaml,line={line},col=1::{message}{AFTER_MERGE}"
    ]
    assert (dataset.root / "lieux/antenne.yaml").read_text(encoding="utf-8") == text  # nothing written


def test_unreadable_files_are_said_so_not_counted_as_formatted(dataset):
    for text, message in [
        (CANONICAL.replace("  voie:", "\tvoie:"), "tabulation dans l'indentation : utilisez des espaces"),
        (CANONICAL + "nom: Autre\n", "mise en forme impossible : clé en double ou YAML ambigu ; lancez spro validate"),
    ]:
        result = notes_for(dataset, text)
        assert result.returncode == 1
        assert message in result.stderr
        assert result.stderr.splitlines()[-1] == (
            "1 fichier vérifié : 1 fichier illisible : corrigez d'abord les erreurs ci-dessus (spro validate)."
        )
        github = notes_for(dataset, text, "--format", "github")
        assert github.returncode == 0 and github.stdout == (
            "::notice file=data/lieux/antenne.yaml::mise en forme non vérifiée : le fichier est illisible (voir les "
            "erreurs de validation)\n"
        )


def test_formatting_never_changes_the_data(dataset, monkeypatch):
    import build_tools.yaml_format as yaml_format

    path = dataset.write("lieux/antenne.yaml", CANONICAL.replace("services: [api, cep]", "services:\n  - api\n  - cep"))
    monkeypatch.setattr(yaml_format, "format_text", lambda text, kind, shown: (text.replace("cep", "vae"), []))
    result = yaml_format.format_files([path], dataset.root, str)
    assert result.changed == [] and "mise en forme impossible sans changer les données" in result.problems[0].message
    assert "cep" in path.read_text(encoding="utf-8")

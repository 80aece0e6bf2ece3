"""``spro validate`` as partners and CI use it: exit codes, annotations, partial checks."""

from __future__ import annotations

import pytest
from conftest import ROOT, VALID_LIEU
from site_helpers import spro


def test_demo_data_is_valid():
    result = spro(ROOT, "validate")
    assert result.returncode == 0, result.stdout
    assert "erreur" not in result.stdout
    assert result.stderr.startswith("Données valides : ")


def test_errors_exit_1_and_are_all_printed(dataset):
    dataset.write("lieux/a.yaml", VALID_LIEU.replace("bassin: poitiers", "bassin: poitier"))
    dataset.write(
        "lieux/b.yaml",
        VALID_LIEU.replace("verifie_le: 2026-10-01", "verifie_le: 2099-01-01").replace("12 rue", "14 rue"),
    )
    result = spro(dataset.root.parent, "validate")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data/lieux/a.yaml:8:9: erreur : bassin : bassin inconnu « poitier »")
    assert lines[1].startswith("data/lieux/b.yaml:14:13: erreur : verifie_le : la date 2099-01-01 est dans le futur")
    assert result.stderr.strip() == "2 erreurs dans 2 fichiers."


def test_warnings_never_fail(dataset):
    dataset.write("lieux/a.yaml", VALID_LIEU.replace("verifie_le: 2026-10-01", "verifie_le: 2020-01-01"))
    result = spro(dataset.root.parent, "validate")
    assert result.returncode == 0
    assert "avertissement : verifie_le : fiche non vérifiée depuis plus de 12 mois" in result.stdout
    assert "(1 avertissement)" in result.stderr


def test_github_annotations(dataset):
    dataset.write("lieux/a.yaml", VALID_LIEU.replace("  telephone:", "  telepone:"))
    dataset.write(
        "lieux/b.yaml",
        VALID_LIEU.replace("verifie_le: 2026-10-01", "verifie_le: 2020-01-01").replace("12 rue", "14 rue"),
    )
    result = spro(dataset.root.parent, "validate", "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=data/lieux/a.yaml,line=13,col=3::contact.telepone : champ inconnu. Vouliez-vous dire « telephone » ?",
        "::warning file=data/lieux/b.yaml,line=14,col=13::verifie_le : fiche non vérifiée depuis plus de 12 mois "
        "(le 2020-01-01) : vérifiez les informations et mettez la date à jour",
    ]


def test_only_the_given_files_are_reported_but_cross_file_rules_apply(dataset):
    dataset.write(
        "lieux/existant.yaml", VALID_LIEU.replace("bassin: poitiers", "bassin: poitier").replace("12 rue", "3 rue")
    )
    dataset.write("lieux/nouveau.yaml", VALID_LIEU)
    result = spro(dataset.root.parent, "validate", "data/lieux/nouveau.yaml")
    assert result.returncode == 0, result.stdout
    assert "existant" not in result.stdout
    assert "1 fichier vérifié : aucune erreur" in result.stderr

    # The new file duplicates an existing lieu's address: a cross-file rule, reported on the new file.
    dataset.write("lieux/existant.yaml", VALID_LIEU)
    dataset.write("lieux/zz-nouveau.yaml", VALID_LIEU)
    (dataset.root / "lieux" / "nouveau.yaml").unlink()
    result = spro(dataset.root.parent, "validate", "data/lieux/zz-nouveau.yaml")
    assert result.returncode == 1
    assert "data/lieux/zz-nouveau.yaml:4:9: erreur : adresse.voie : même adresse et même réseau" in result.stdout


def test_missing_and_outside_paths(dataset, tmp_path):
    outside = tmp_path / "ailleurs.yaml"
    outside.write_text(VALID_LIEU)
    result = spro(dataset.root.parent, "validate", "data/lieux/absent.yaml", str(outside))
    assert result.returncode == 1
    assert "data/lieux/absent.yaml: erreur : fichier introuvable" in result.stdout
    assert "ailleurs.yaml: erreur : fichier hors du dossier « data » ou « docs »" in result.stdout


def test_an_unexpected_failure_is_a_short_french_message_not_a_traceback(monkeypatch, capsys):
    """The last guard: every known case has its own message, but a bug still never shows Python to a partner."""
    from build_tools import cli

    def broken(args):
        raise RuntimeError("état impossible\x1b[2J")

    monkeypatch.setattr(cli, "command_validate", broken)
    monkeypatch.delenv("SPRO_DEBUG", raising=False)
    assert cli.main(["validate"]) == 70
    err = capsys.readouterr().err
    assert err == (
        "Erreur inattendue de spro (RuntimeError : état impossible\\x1b[2J). Ce n'est pas une erreur de vos "
        "données : signalez-la aux mainteneurs de l'annuaire (un ticket sur le dépôt) avec la commande lancée "
        "et ce message ; SPRO_DEBUG=1 affiche le détail technique.\n"
    )
    monkeypatch.setenv("SPRO_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["validate"])


def test_data_that_is_not_a_folder_is_one_message_not_a_cascade(tmp_path):
    (tmp_path / "fichier").write_text("x", encoding="utf-8")
    result = spro(tmp_path, "--data", str(tmp_path / "fichier"), "validate")
    assert result.returncode == 1
    assert result.stdout == "fichier: erreur : ce n'est pas un dossier : indiquez le dossier des données (--data)\n"
    result = spro(tmp_path, "--data", str(tmp_path / "absent"), "validate")
    assert result.stdout == "absent: erreur : dossier de données introuvable (--data)\n"

"""Contributors' tools: `spro new lieu` (options and questions) and `spro import csv`."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO, ROOT
from site_helpers import spro

from build_tools.loader import DataLoader

TODAY = dt.date.today()


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the demo data (lieux included), in a folder laid out like the repository."""
    shutil.copytree(DEMO, tmp_path / "data")
    return tmp_path


def errors_of(project: Path) -> list[str]:
    loader = DataLoader(project / "data", display_root=project)
    loader.load()
    return [d.as_text() for d in loader.report.errors]


VIVONNE = [
    "--nom",
    "Mission locale du Poitou – antenne de Vivonne",
    "--reseau",
    "Mission locale",
    "--voie",
    "3 rue de la Poste",
    "--code-postal",
    "86370",
    "--commune",
    "vivonne",
    "--services",
    "API, CEP",
    "--publics",
    "jeunes",
    "--telephone",
    "0536490077",
    "--sans-questions",
]


def test_new_lieu_from_options_is_valid_canonical_and_named_after_network_and_commune(project):
    result = spro(project, "new", "lieu", *VIVONNE)
    assert result.returncode == 0, result.stderr
    assert "Fiche créée : data/lieux/mission-locale-vivonne.yaml" in result.stderr
    text = (project / "data/lieux/mission-locale-vivonne.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/lieu.schema.json\n")
    for line in (
        "  commune: Vivonne\n",
        '  code_insee: "86293"\n',
        "bassin: poitiers\n",
        "services: [api, cep]\n",
        "  telephone: 05 36 49 00 77\n",
        f"verifie_le: {TODAY.isoformat()}\n",
    ):
        assert line in text
    assert errors_of(project) == []
    assert spro(project, "format", "--check", "data/lieux/mission-locale-vivonne.yaml").returncode == 0


def test_new_lieu_refuses_an_existing_or_duplicate_lieu(project):
    assert spro(project, "new", "lieu", *VIVONNE).returncode == 0
    before = sorted(p.name for p in (project / "data/lieux").iterdir())
    again = spro(project, "new", "lieu", *VIVONNE)  # same place: the duplicate-address rule speaks
    assert again.returncode == 1 and "semble en double" in again.stderr and "Fiche non créée" in again.stderr
    taken = spro(project, "new", "lieu", *VIVONNE, "--id", "mission-locale-poitiers", "--voie", "9 rue Neuve")
    assert taken.returncode == 1 and "« mission-locale-poitiers » existe déjà" in taken.stderr
    assert sorted(p.name for p in (project / "data/lieux").iterdir()) == before
    missing = spro(project, "new", "lieu", "--nom", "X", "--sans-questions")
    assert missing.returncode == 1 and "--reseau" in missing.stderr and "--code-postal" in missing.stderr


def test_new_lieu_asks_for_what_is_missing_and_asks_again_what_is_wrong(project):
    answers = [
        "Point information jeunesse de Lusignan",
        "information-jeunesse",
        "1 place du Bail",
        "86600",
        "Lusignan",
        "api, VAE",
        "jeunez",
        "",
        "0549",
        "",
        "",
        "jeunes",
        "05 36 49 00 78",
    ]
    result = spro(project, "new", "lieu", stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stderr
    assert (
        "publics, séparés par des virgules : « jeunez » inconnu" in result.stderr
        and "Vouliez-vous dire « jeunes » ?" in result.stderr
    )
    assert "téléphone : « 0549 »" in result.stderr
    text = (project / "data/lieux/information-jeunesse-lusignan.yaml").read_text(encoding="utf-8")
    assert (
        "publics: [jeunes]\n" in text and "services: [api, vae]\n" in text and "  telephone: 05 36 49 00 78\n" in text
    )
    assert errors_of(project) == []


def test_new_lieu_gives_up_cleanly_when_answers_stop(project):
    result = spro(project, "new", "lieu", stdin="Un lieu\n")
    assert result.returncode == 1 and "réponse manquante" in result.stderr
    assert errors_of(project) == []


# -- spro import csv ---------------------------------------------------------------------------------

HEADER = "Nom;Réseau;Adresse;Code postal;Commune;Services;Publics;Téléphone;Accessible PMR;Vérifié le"
ROWS = [
    "Mission locale – antenne de Vivonne;Mission locale;3 rue de la Poste;86370;Vivonne;API, CEP;Jeunes;05 36 49 00 70;oui;01/10/2026",
    "Point information jeunesse de Ruffec;Information Jeunesse;1 rue Neuve;16700;Ruffec;api;jeunes;05 36 49 00 71;non;",
    "CIO fantôme;cio;2 rue X;99999;Nulle-part;api;scolaires;;;",
    "Mission locale mal remplie;mission-locale;4 rue Y;86370;Vivonne;api, cpe;jeunes;0549;peut-être;",
]


def write_csv(project: Path, lines: list[str], encoding: str = "cp1252", name: str = "partenaire.csv") -> Path:
    path = project / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def test_import_writes_the_valid_rows_and_names_line_and_column_of_each_problem(project):
    write_csv(project, [HEADER, *ROWS])
    result = spro(project, "import", "csv", "partenaire.csv")
    assert result.returncode == 1
    out = result.stderr
    assert (
        "partenaire.csv (Windows-1252) : 4 lignes ; 2 fiches créées ; 0 fiche mise à jour ; 2 lignes refusées." in out
    )
    assert (
        "partenaire.csv:4:4: erreur : colonne « Code postal » : aucune commune de la Région n'a le code postal 99999"
        in out
    )
    assert "partenaire.csv:5:6: erreur : colonne « Services » : « cpe » inconnu" in out
    assert "Vouliez-vous dire « cep » ?" in out
    assert "partenaire.csv:5:9: erreur : colonne « Accessible PMR » : « peut-être » : oui ou non attendu" in out
    created = sorted(p.name for p in (project / "data/lieux").glob("*-vivonne.yaml")) + sorted(
        p.name for p in (project / "data/lieux").glob("information-jeunesse-ruffec*.yaml")
    )
    assert created == ["mission-locale-vivonne.yaml", "information-jeunesse-ruffec.yaml"]
    vivonne = (project / "data/lieux/mission-locale-vivonne.yaml").read_text(encoding="utf-8")
    assert "nom: Mission locale – antenne de Vivonne\n" in vivonne and "verifie_le: 2026-10-01\n" in vivonne
    assert "accessibilite:\n  pmr: true\n" in vivonne
    assert errors_of(project) == []
    assert spro(project, "format", "--check").returncode == 0


def test_import_reads_utf8_with_bom_and_commas_and_refuses_a_row_repeated(project):
    lines = [
        HEADER.replace(";", ","),
        ROWS[0].replace(";", ",").replace("API, CEP", '"API, CEP"'),
        ROWS[0].replace(";", ",").replace("API, CEP", '"API, CEP"'),
    ]
    path = write_csv(project, lines, "utf-8-sig")
    result = spro(project, "import", "csv", path.name)
    assert "(UTF-8) : 2 lignes ; 1 fiche créée" in result.stderr
    assert (
        "partenaire.csv:3:1: erreur : colonne « Nom » : l'identifiant « mission-locale-vivonne » est déjà pris"
        in result.stderr
    )


def test_import_never_overwrites_without_update_and_update_keeps_the_rest(project):
    target = project / "data/lieux/mission-locale-lusignan.yaml"
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace("verifie_le:", "# vérifié par téléphone\nverifie_le:"), encoding="utf-8")
    before = target.read_text(encoding="utf-8")
    lines = ["id;téléphone;horaires", 'mission-locale-lusignan;05 36 49 00 99;"Mo-Th 09:00-12:00; PH off"']
    write_csv(project, lines, "utf-8")
    refused = spro(project, "import", "csv", "partenaire.csv")
    assert refused.returncode == 1 and "existe déjà" in refused.stderr and "--update" in refused.stderr
    assert target.read_text(encoding="utf-8") == before
    trial = spro(project, "import", "csv", "partenaire.csv", "--update", "--essai")
    assert trial.returncode == 0 and "à mettre à jour : data/lieux/mission-locale-lusignan.yaml" in trial.stdout
    assert target.read_text(encoding="utf-8") == before
    done = spro(project, "import", "csv", "partenaire.csv", "--update")
    assert done.returncode == 0, done.stderr
    after = target.read_text(encoding="utf-8")
    assert "  telephone: 05 36 49 00 99\n" in after and 'horaires: "Mo-Th 09:00-12:00; PH off"\n' in after
    assert "# vérifié par téléphone\nverifie_le:" in after
    assert after.count("\n") == before.count("\n")  # same fields, only values changed
    assert errors_of(project) == []


def test_import_refuses_unknown_or_missing_columns_and_writes_nothing(project):
    write_csv(project, ["Nom;Résau;Commune", "x;y;z"], "utf-8")
    result = spro(project, "import", "csv", "partenaire.csv")
    assert result.returncode == 1
    assert "partenaire.csv:1:2: erreur : colonne « Résau » inconnue. Vouliez-vous dire « reseau » ?" in result.stderr
    assert "colonnes obligatoires manquantes : reseau, voie, services, publics" in result.stderr  # the commune is there
    assert errors_of(project) == [] and not list((project / "data/lieux").glob("*-z.yaml"))


# -- pre-commit ---------------------------------------------------------------------------------------


def test_pre_commit_formats_then_validates_the_changed_data_files(tmp_path):
    repo = tmp_path / "depot"
    shutil.copytree(DEMO, repo / "data")
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PYTHONPATH": str(ROOT),
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def run(*args):
        return subprocess.run(args, cwd=repo, capture_output=True, text=True, env=env)

    run("git", "init", "-q")
    target = repo / "data/lieux/mission-locale-lusignan.yaml"
    text = target.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    checked = next(line for line in lines if line.startswith("verifie_le"))
    target.write_text(
        lines[0] + checked + "".join(l for l in lines[1:] if l != checked), encoding="utf-8"
    )  # out of order
    run("git", "add", "-A")
    first = run("pre-commit", "run", "--files", "data/lieux/mission-locale-lusignan.yaml")
    assert first.returncode == 1 and "files were modified by this hook" in first.stdout, first.stdout + first.stderr
    assert target.read_text(encoding="utf-8") == text  # back in canonical order
    target.write_text(text.replace("reseau: mission-locale", "reseau: mision-locale"), encoding="utf-8")
    second = run("pre-commit", "run", "--files", "data/lieux/mission-locale-lusignan.yaml")
    assert second.returncode == 1
    assert (
        "data/lieux/mission-locale-lusignan.yaml:3:9: erreur : reseau : réseau inconnu « mision-locale »"
        in second.stdout
    )
    target.write_text(text, encoding="utf-8")
    assert run("pre-commit", "run", "--files", "data/lieux/mission-locale-lusignan.yaml").returncode == 0


def test_import_reports_an_empty_required_cell_instead_of_failing(project):
    write_csv(project, [HEADER, ROWS[0].replace("Mission locale – antenne de Vivonne", "")], "utf-8")
    result = spro(project, "import", "csv", "partenaire.csv")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "partenaire.csv:2:1: erreur : colonne « Nom » : valeur obligatoire manquante" in result.stderr
    assert not (project / "data/lieux/mission-locale-vivonne.yaml").exists()


# -- files the import refuses as a whole, or rows it must not merge (issue « nothing is lost ») --------------


def _refused(project, data: bytes) -> str:
    (project / "partenaire.csv").write_bytes(data)
    before = sorted(p.name for p in (project / "data/lieux").iterdir())
    result = spro(project, "import", "csv", "partenaire.csv")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert sorted(p.name for p in (project / "data/lieux").iterdir()) == before  # nothing written
    return result.stderr.splitlines()[0]


def test_a_file_mixing_two_encodings_is_refused_at_its_first_bad_byte(project):
    data = (
        (HEADER + "\n" + ROWS[0] + "\n").encode("utf-8")
        + ROWS[1].replace("Ruffec", "Ruffec É").encode("cp1252")
        + b"\n"
    )
    assert _refused(project, data) == (
        "partenaire.csv:3:1: erreur : octet 0xC9 illisible en UTF-8, alors que le reste du fichier est en UTF-8 : le fichier "
        "mélange deux encodages (un copier-coller ?). Corrigez cette ligne, ou enregistrez tout le fichier en « CSV UTF-8 »"
    )


def test_a_utf16_file_is_refused_with_how_to_save_it(project):
    assert _refused(project, (HEADER + "\n" + ROWS[0] + "\n").encode("utf-16")).startswith(
        "partenaire.csv:1:1: erreur : fichier en UTF-16 (« Texte Unicode ») : enregistrez-le en « CSV UTF-8 »"
    )


def test_an_unclosed_quote_never_swallows_the_next_row(project):
    opened = ROWS[0].replace("Mission locale – antenne de Vivonne", '"Mission locale – antenne de Vivonne')
    assert _refused(project, (HEADER + "\n" + opened + "\n" + ROWS[1] + "\n").encode("utf-8")).startswith(
        "partenaire.csv:2:1: erreur : "
    )


def test_an_oversized_cell_is_refused_at_its_row(project):
    big = ROWS[0].replace("Mission locale – antenne de Vivonne", "x" * 200_000)
    assert _refused(project, (HEADER + "\n" + big + "\n").encode("utf-8")) == (
        "partenaire.csv:2:1: erreur : une cellule dépasse 64 Kio : vérifiez la ligne (un guillemet non fermé avale les "
        "lignes suivantes)"
    )


def test_excel_separator_line_is_understood(project):
    write_csv(project, ["sep=;", HEADER, ROWS[0]], "utf-8")
    result = spro(project, "import", "csv", "partenaire.csv", "--essai")
    assert "(UTF-8) : 1 ligne ; 1 fiche à créer" in result.stderr, result.stderr


def test_a_row_gets_all_its_problems_at_once(project):
    row = ROWS[0].replace(";Vivonne;", ";Vivone;").replace("05 36 49 00 70", "05 36")
    write_csv(project, [HEADER, row], "utf-8")
    result = spro(project, "import", "csv", "partenaire.csv", "--essai")
    assert [line.split(" : ")[1] for line in result.stderr.splitlines() if ": erreur : " in line] == [
        "colonne « Commune »",
        "colonne « Téléphone »",
    ]  # both in one run, not the phone after the commune is fixed


def test_a_trial_run_accepts_and_refuses_exactly_what_the_import_does(project):
    write_csv(project, [HEADER, *ROWS])
    trial = spro(project, "import", "csv", "partenaire.csv", "--essai")
    real = spro(project, "import", "csv", "partenaire.csv")
    errors = lambda out: [line for line in out.splitlines() if ": erreur : " in line]  # noqa: E731
    assert errors(trial.stderr) == errors(real.stderr)
    assert [line.split(" : ")[1] for line in trial.stdout.splitlines()] == [
        line.split(" : ")[1] for line in real.stdout.splitlines()
    ]


def test_an_interrupted_import_says_what_it_wrote_and_how_to_resume(project, monkeypatch, capsys):
    """Ctrl-C after the first row: its file stays (valid), and the message says how to go on without duplicates."""
    from build_tools import cli
    from build_tools.candidates import CandidateLieux

    write_csv(project, [HEADER, ROWS[0], ROWS[1]])
    real_check, calls = CandidateLieux.check, []

    def interrupted_at_the_second_row(self, *args, **kwargs):
        calls.append(args[0])
        if len(set(calls)) > 1 and args[0] != calls[0]:
            raise KeyboardInterrupt
        return real_check(self, *args, **kwargs)

    monkeypatch.setattr(CandidateLieux, "check", interrupted_at_the_second_row)
    monkeypatch.chdir(project)
    assert cli.main(["import", "csv", "partenaire.csv"]) == 130
    assert capsys.readouterr().err.endswith(
        "Interrompu après 2 lignes : 1 fiche écrite (valide). Pour reprendre, relancez la même commande avec "
        "--update : les lignes déjà importées sont alors mises à jour, sans doublon.\n"
    )
    assert [p.name for p in (project / "data/lieux").glob("mission-locale-vivonne*.yaml")] != []
    monkeypatch.setattr(CandidateLieux, "check", real_check)
    assert cli.main(["import", "csv", "partenaire.csv", "--update"]) == 0
    assert capsys.readouterr().out.count("créée : ") == 1  # the second row only


@pytest.mark.parametrize("typed", ["1e999", "nan", "-inf"])
def test_a_number_that_is_not_finite_is_quoted_as_typed(project, typed):
    result = spro(project, "new", "lieu", *VIVONNE, f"--latitude={typed}")
    assert result.returncode != 0
    assert f"latitude : « {typed} » : nombre attendu (ex. 46,58)" in result.stdout + result.stderr, result.stderr
    assert ".inf" not in result.stdout + result.stderr


def test_a_separator_line_alone_is_an_empty_file_not_a_refused_row(project):
    (project / "vide.csv").write_text("sep=;\n", encoding="utf-8")
    result = spro(project, "import", "csv", "vide.csv")
    assert result.returncode == 1
    assert "vide.csv:2:1: erreur : fichier vide : la première ligne doit porter les noms des colonnes" in result.stderr
    assert "vide.csv (UTF-8) : 0 ligne ; 0 fiche créée ; 0 fiche mise à jour ; 0 ligne refusée." in result.stderr

"""Hostile and broken input, the security policy, and interruption safety."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import build_pause_hook
import pytest
import yaml
from conftest import SPRO_AS_IN_A_TERMINAL, VALID_LIEU
from site_helpers import CHILD_ENV, StaticServer, build, parse, project_copy, settle, spro

from build_tools import yaml_source
from build_tools.site_dir import MARKER
from build_tools.site_output import STAGING_MARKER

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(CORPUS.glob("*/*.yaml"))
PAYLOADS = yaml.safe_load((CORPUS / "injections.yaml").read_text(encoding="utf-8"))


def expected_message(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8-sig").rstrip("\r")
    assert first.startswith("# attendu : "), path
    return first.removeprefix("# attendu : ")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_corpus_case_gets_its_message(dataset, case):
    folder = case.parent.name  # the data folder the case is written to: lieux, evenements
    if folder == "evenements":
        dataset.write("lieux/antenne-test.yaml", VALID_LIEU)  # the lieu events may name (basin: poitiers)
    dataset.write(f"{folder}/{case.stem}.yaml", case.read_bytes())
    data, report = dataset.load()
    expected = expected_message(case)
    errors = [d.as_text() for d in report.errors]
    loaded = getattr(data, folder) if data else {}
    if expected == "aucune erreur":
        assert errors == [] and case.stem in loaded
        return
    assert errors, f"{case.name} was accepted"
    assert all(e.startswith(f"{folder}/{case.stem}.yaml") for e in errors)
    assert any(expected in e for e in errors), errors
    assert case.stem not in loaded


def test_the_whole_corpus_through_the_commands_prints_no_traceback(dataset):
    """Every case at once, through spro validate, build and search as a partner runs them: French messages only."""
    dataset.write("lieux/antenne-test.yaml", VALID_LIEU)
    for case in CASES:
        dataset.write(f"{case.parent.name}/{case.stem}.yaml", case.read_bytes())
    project = dataset.root.parent
    outputs = []
    for command in (["validate"], ["validate", "--format", "github"], ["build"], ["search", "cep"], ["fraicheur"]):
        result = spro(project, *command)
        outputs.append(result.stdout + result.stderr)
        assert result.returncode in (1, 2), (command, result.stderr[-2000:])
    assert not [line for output in outputs for line in output.splitlines() if "Traceback" in line or 'File "' in line]


def test_oversized_file_is_refused(dataset):
    dataset.write("lieux/enorme.yaml", "nom: x\ndescription: " + "y" * (yaml_source.MAX_FILE_BYTES + 10) + "\n")
    (error,) = [d.as_text() for d in dataset.load()[1].errors]
    assert "fichier trop volumineux" in error


@pytest.mark.parametrize(
    "name", ["site.yaml", "synonymes.yaml", "communes.csv", "geocodage.jsonl", "bassins/angouleme.geojson"]
)
def test_a_folder_in_place_of_a_data_file_is_told_in_french(dataset, name):
    target = dataset.root / name
    if target.exists():
        target.unlink()
    target.mkdir()
    assert f"{name}: erreur : ce n'est pas un fichier ordinaire mais un dossier" in "\n".join(dataset.errors())


def test_a_path_the_system_refuses_is_told_in_french_with_its_path(dataset, tmp_path):
    (tmp_path / "fichier").write_text("x", encoding="utf-8")
    result = spro(tmp_path, "--data", str(dataset.root), "schemas", "--output", str(tmp_path / "fichier"))
    assert (result.returncode, result.stderr) == (
        1,
        f"Opération impossible : un fichier de ce nom existe déjà ({tmp_path / 'fichier'}).\n",
    )


def test_a_synthetic_dataset_is_bounded_and_made_from_valid_sources_only(dataset, tmp_path):
    result = spro(tmp_path, "--data", str(dataset.root), "synthetique", "--lieux", "9" * 20, str(tmp_path / "s"))
    assert (result.returncode, result.stderr) == (2, "--lieux : au plus 200000 lieux.\n")
    broken = tmp_path / "casse"
    shutil.copytree(dataset.root, broken)
    (broken / "site.yaml").write_text("region: [\n", encoding="utf-8")
    out = tmp_path / "sortie"
    out.mkdir()
    result = spro(tmp_path, "--data", str(broken), "synthetique", "--lieux", "10", str(out / "s"))
    assert result.returncode == 1 and "site.yaml:2:1: erreur : syntaxe YAML invalide" in result.stdout + result.stderr
    assert list(out.iterdir()) == []


def test_a_broken_configuration_is_told_in_french(tmp_path):
    project = project_copy(tmp_path / "p", with_lieux=False)
    shutil.rmtree(project / "docs")
    result = spro(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"mkdocs.yml : réglage « docs_dir » : le dossier « {project / 'docs'} » n'existe pas" in result.stderr
    assert "isn't an existing" not in result.stderr
    result = spro(project, "build", "--config", "data/site.yaml")
    assert result.returncode == 1 and "site.yaml : réglage « region » invalide" not in result.stderr
    assert result.stderr.startswith("site.yaml : ") and "Traceback" not in result.stderr, result.stderr


# -- injection payloads, built into a site --------------------------------------------------------


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _hostile_lieu(index: int, payload: str) -> str:
    return "\n".join(
        [
            f"nom: {_quoted(payload[:140])}",
            "reseau: mission-locale",
            f"structure: {_quoted(payload)}",
            "adresse:",
            f"  voie: {_quoted(f'{index} ' + payload)}",
            f"  complement: {_quoted(payload)}",
            '  code_postal: "86000"',
            "  commune: Poitiers",
            '  code_insee: "86194"',
            "bassin: poitiers",
            "services: [api, vae]",
            "publics: [tous-publics]",
            'horaires: "Mo-Fr 09:00-17:00"',
            "fermetures:",
            "  - du: 2026-11-01",
            "    au: 2027-12-01",
            f"    motif: {_quoted(payload)}",
            "accessibilite:",
            f"  details: {_quoted(payload)}",
            "label:",
            "  depuis: 2024-01-01",
            f"description: {_quoted(payload)}",
            "coordonnees:",
            f"  lat: {46.5 + index / 1000}",
            f"  lon: {0.3 + index / 1000}",
            "verifie_le: 2026-10-01",
            "",
        ]
    )


def _hostile_metier(payload: str) -> str:
    return "\n".join(
        [
            f"intitule: {_quoted(payload[:140])}",
            f"secteur: {_quoted(payload)}",
            f"description: {_quoted(payload)}",
            f"acces: {_quoted(payload)}",
            "bassins: [poitiers]",
            "reseaux: [mission-locale]",
            "",
        ]
    )


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory):
    project = project_copy(tmp_path_factory.mktemp("injections"))
    for index, payload in enumerate(PAYLOADS):
        (project / "data" / "lieux" / f"injection-{index:02d}.yaml").write_text(
            _hostile_lieu(index, payload), encoding="utf-8"
        )
        (project / "data" / "metiers" / f"N99{index:02d}.yaml").write_text(_hostile_metier(payload), encoding="utf-8")
    basin = project / "data" / "bassins" / "poitiers.yaml"
    text = basin.read_text(encoding="utf-8")
    basin.write_text(
        re.sub(r"^description: .*$", "description: " + _quoted(" ".join(PAYLOADS[:9])), text, flags=re.M),
        encoding="utf-8",
    )
    return build(project)


def test_no_executable_script_from_the_data_in_site(injected_site):
    pages = sorted(injected_site.rglob("*.html"))
    assert len(pages) > 300
    for page in pages:
        parsed = parse(page)
        for tag, attrs in parsed.tags:
            assert not [name for name in attrs if name.startswith("on")], (page, tag, attrs)
            for name in ("href", "src", "action", "formaction"):
                assert not (attrs.get(name) or "").strip().lower().startswith(("javascript:", "data:text/html")), (
                    page,
                    attrs,
                )
            assert "srcdoc" not in attrs, page
        for attrs, text in parsed.scripts:
            assert not re.match(r"\s*alert\(", text), (page, text[:80])
            if attrs.get("type") == "application/ld+json":
                json.loads(text)
        title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.DOTALL)
        assert title is None or "<" not in title.group(1), page


def test_template_syntax_in_the_data_is_never_evaluated(injected_site):
    # branca compiles rendered scripts as Jinja templates: « {{ 7*7 }} » must stay text, never become 49.
    payload = PAYLOADS[6]
    assert "{{ 7*7 }}" in payload
    for folder in ("carte", "bassins/poitiers"):
        assert json.dumps(payload[:140]) in (injected_site / folder / "donnees.js").read_text(encoding="utf-8")
    page = (injected_site / "lieux/injection-06/index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in page and "{% raw %}" in page


def test_the_exports_keep_the_payloads_inert(injected_site):
    rows = list(csv.DictReader(io.StringIO((injected_site / "donnees/lieux.csv").read_text(encoding="utf-8"))))
    hostile = [r for r in rows if r["id"].startswith("injection-")]
    assert len(hostile) == len(PAYLOADS)
    for row in hostile:
        for key, value in row.items():
            if key in ("latitude", "longitude"):
                float(value)  # numbers stay numbers
            else:
                assert not re.match(r"[=+\-@\t\r]", value), value
    formula = next(r for r in hostile if r["structure"].startswith("'=HYPERLINK"))
    assert formula["structure"] == "'" + PAYLOADS[9]
    features = json.loads((injected_site / "donnees/lieux.geojson").read_text(encoding="utf-8"))["features"]
    # single-line fields collapse whitespace by design (U+2028 and U+2029 are refused: tests/corpus)
    assert {f["properties"]["structure"] for f in features} >= {" ".join(p.split()) for p in PAYLOADS}


def test_no_dialog_fires_where_the_records_are_shown(injected_site, page_in):
    with StaticServer(injected_site) as server:
        paths = [f"lieux/injection-{i:02d}/" for i in range(len(PAYLOADS))]
        paths += [f"metiers/N99{i:02d}/" for i in range(len(PAYLOADS))]
        paths += [
            "bassins/poitiers/",
            "bassins/poitiers/carte.html",
            "carte/",
            "carte/carte.html",
            "metiers/",
            "services/vae/",
            "reseaux/mission-locale/",
            "label/lieux-labellises/",
            "trouver/?q=script",
        ]
        for path in paths:
            page_in.goto(server.url + path, wait_until="load")
            settle(page_in)
        assert page_in.locator("#spro-resultats > li").count()
    assert page_in.dialogs == []


# -- Content-Security-Policy (the policy itself: tests/test_security.py) -------------------------------


def test_no_policy_violation_in_the_browser(demo_site, browser):
    context = browser.new_context(locale="fr-FR")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    violations = {}
    with StaticServer(demo_site) as server:
        for path in (
            "",
            "trouver/?q=niort",
            "lieux/mission-locale-angouleme/",
            "carte/carte.html",
            "bassins/niort/carte.html",
            "recherche/?q=vae",
        ):
            page = context.new_page()
            page.goto(server.url + path, wait_until="load")
            settle(page)
            violations[path] = page.evaluate("window.__csp")
        working = page.locator("#spro-recherche-pages li").count()
    context.close()
    assert all(v == [] for v in violations.values()), violations
    assert working > 0  # Pagefind (WebAssembly) still runs under the policy


# -- interruption ---------------------------------------------------------------------------------


def files_of(site: Path) -> dict[Path, bytes]:
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def paused_build(project: Path, at_page: int, log: Path) -> subprocess.Popen:
    """``spro build`` in ``project``, paused by build_pause_hook.py once it has written ``at_page`` pages into its
    staging folder (its messages in ``log``: a full pipe would block the build)."""
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"hooks:\n  - {Path(__file__).parent / 'build_pause_hook.py'}\n")
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [*SPRO_AS_IN_A_TERMINAL, "build"],
            cwd=project,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env={**CHILD_ENV, "SPRO_TEST_PAUSE_AT_PAGE": str(at_page)},
        )
    # The signal: the build has written pages into its staging directory and waits.
    assert process.stdout.readline().strip() == build_pause_hook.PAUSE_LINE, log.read_text(encoding="utf-8")
    return process


def test_ctrl_c_during_a_build_keeps_the_previous_site(tmp_path):
    project = project_copy(tmp_path / "p")
    site = build(project)
    before = files_of(site)
    log = tmp_path / "build.log"
    process = paused_build(project, 40, log)
    (staging,) = project.glob(".site-*")
    assert any(p.suffix == ".html" for p in staging.rglob("*"))
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    err = log.read_text(encoding="utf-8")
    assert process.returncode == 130, err
    assert "Interrompu." in err
    after = files_of(site)
    assert after == before
    assert sorted(p.name for p in project.iterdir()) == ["data", "docs", "mkdocs.yml", "overrides", "site"]


def test_a_killed_rendering_process_fails_the_build_in_french_and_keeps_the_previous_site(tmp_path):
    """spro build runs MkDocs in a child process (its memory is given back before Pagefind runs): the child killed
    (kill -9, the system short of memory), the build says so and stops; nothing of it is left behind."""
    project = project_copy(tmp_path / "p", with_lieux=False)
    site = build(project)
    before = files_of(site)
    log = tmp_path / "build.log"
    process = paused_build(project, 5, log)
    (renderer,) = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    os.kill(int(renderer), signal.SIGKILL)
    process.communicate(timeout=60)
    err = log.read_text(encoding="utf-8")
    assert process.returncode == 1, err
    assert "le processus qui construisait le site s'est arrêté (tué par le signal 9)" in err
    assert "La construction a échoué : le site précédent est conservé." in err
    after = files_of(site)
    assert after == before
    assert sorted(p.name for p in project.iterdir()) == ["data", "docs", "mkdocs.yml", "overrides", "site"]


def test_staging_folders_of_killed_builds_are_removed_by_the_next_build(tmp_path):
    """kill -9 (or a power cut) leaves a staging folder of about 14 MB: the next build removes it, and only
    what a build made (a folder named alike without its marker is someone's: it stays)."""
    project = project_copy(tmp_path / "p", with_lieux=False)
    for leftover, marker in ((".site-k1ll3d0x", STAGING_MARKER), (".site-old-k1ll3d0x", MARKER)):
        (project / leftover / "site/lieux").mkdir(parents=True)
        (project / leftover / marker).write_text("", encoding="utf-8")
    (project / ".site-sauvegarde").mkdir()
    (project / ".site-sauvegarde/notes.txt").write_text("précieux", encoding="utf-8")
    build(project)
    assert sorted(p.name for p in project.iterdir()) == [
        ".site-sauvegarde",
        "data",
        "docs",
        "mkdocs.yml",
        "overrides",
        "site",
    ]
    assert (project / ".site-sauvegarde/notes.txt").read_text(encoding="utf-8") == "précieux"


@pytest.mark.parametrize("code, said", [(errno.ENOSPC, "disque plein"), (errno.EACCES, "droits insuffisants")])
def test_a_file_system_fault_is_told_in_french_and_keeps_the_previous_site(tmp_path, monkeypatch, capsys, code, said):
    from build_tools import cli

    project = project_copy(tmp_path / "p", with_lieux=False)
    site = build(project)
    before = (site / "index.html").read_bytes()
    real_rename = Path.rename

    def full_disk(self, target):  # the new site cannot take the place of the old one
        if Path(target) == site and not self.name.startswith(".site-old-"):
            raise OSError(code, os.strerror(code), str(target))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", full_disk)
    monkeypatch.chdir(project)
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err
    assert (
        f"La construction a échoué : écriture du site impossible : {said} ({site}) ; le site précédent est conservé."
        in err
        and "Traceback" not in err
    )
    assert (site / "index.html").read_bytes() == before
    assert sorted(p.name for p in project.iterdir()) == ["data", "docs", "mkdocs.yml", "overrides", "site"]

"""`spro diff BASE HEAD`: what a change does for the public, in French, read from git without checking out."""

from __future__ import annotations

from site_helpers import commit_all, git, git_project, spro

EVENT = """\
titre: Forum des métiers de Poitiers
type: forum
date: 2027-04-08
heures: 09:30-17:00
emplacement:
  nom: Parc des expositions
  code_postal: "86000"
  commune: Poitiers
publics: [jeunes, demandeurs-emploi]
"""


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_one_lieus_hours_and_one_new_event_are_exactly_what_is_printed(tmp_path):
    project = git_project(tmp_path / "depot")
    edit(
        project / "data/lieux/cio-poitiers.yaml",
        'horaires: "Mo,We,Fr 09:00-12:00,14:00-17:00; PH off"',
        'horaires: "Mo-Fr 09:00-12:30; Sa 09:00-12:00; PH off"',
    )
    (project / "data/evenements/2027-04-forum-metiers-poitiers.yaml").write_text(EVENT, encoding="utf-8")
    commit_all(project)
    before = git(project, "status", "--porcelain")
    result = spro(project, "diff", "main", "HEAD", "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout
        == """\
## Ce qui change sur le site

De `main` à `HEAD`.

### Lieux modifiés (1)

- **CIO de Poitiers** (`lieux/cio-poitiers/`)
  - Horaires : lundi, mercredi et vendredi : 9 h – 12 h, 14 h – 17 h ; fermé les jours fériés → du lundi au vendredi : 9 h – 12 h 30 ; samedi : 9 h – 12 h ; fermé les jours fériés

### Événements ajoutés (1)

- **Forum des métiers de Poitiers** (`agenda/`)
  - Type : Forum
  - Date : jeudi 8 avril 2027, de 9 h 30 à 17 h
  - Où : Parc des expositions, 86000 Poitiers
  - Bassin : Bassin de Poitiers
  - Publics : Jeunes de 16 à 25 ans, Demandeurs d'emploi

### Pages du site concernées (7)

- `agenda/` Agenda
- `bassins/poitiers/` Bassin de Poitiers
- `carte/` Carte des lieux d'accueil
- `lieux/cio-poitiers/` CIO de Poitiers
- `reseaux/cio/` Centre d'information et d'orientation (CIO)
- `services/api/` Accueil personnalisé et individualisé
- `trouver/` Trouver un lieu
"""
    )
    assert git(project, "status", "--porcelain") == before  # nothing checked out, nothing written in the repository


def test_a_deleted_lieu_an_event_names_and_a_news_post(tmp_path):
    project = git_project(tmp_path / "depot")
    (project / "data/lieux/france-travail-niort.yaml").unlink()
    (project / "docs/actualites/posts/2026-11-25-job-dating.md").write_text(
        "---\ndate: 2026-11-25\n---\n\n# Job dating : *inscrivez-vous*\n\nTexte.\n", encoding="utf-8"
    )
    commit_all(project)
    result = spro(project, "diff", "main", "HEAD", "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "### Lieux supprimés (1)\n\n- **France Travail Niort** (`lieux/france-travail-niort/`)\n" in out
    assert (
        "### Événements invalides (1)\n\n- **2027-02-job-dating-aide-a-domicile-niort** : fiche invalide, non publiée "
        "tant que ses erreurs ne sont pas corrigées (voir la validation)\n"
    ) in out
    assert (
        "### Pages rédigées ajoutées (1)\n\n- **Job dating : \\*inscrivez-vous\\*** "
        "(`actualites/2026/11/25/job-dating-inscrivez-vous/`)\n  - Fichier : docs/actualites/posts/2026-11-25-job-dating.md\n"
    ) in out


def test_a_change_of_layout_only_changes_nothing_on_the_site(tmp_path):
    project = git_project(tmp_path / "depot")
    edit(project / "data/lieux/cio-poitiers.yaml", "services: [api]", "services:\n    - api")
    commit_all(project)
    result = spro(project, "diff", "main")
    assert result.stdout.endswith(
        "Aucun changement visible sur le site (mise en forme, commentaires ou fichiers techniques seulement).\n"
    )


def test_an_unknown_revision_is_told_in_french(tmp_path):
    project = git_project(tmp_path / "depot")
    result = spro(project, "diff", "origin/principale")
    assert result.returncode == 2
    assert result.stderr == (
        "spro diff : révision « origin/principale » inconnue de git (nom de branche, étiquette ou commit attendu)\n"
    )


def test_validate_since_an_unknown_revision_is_told_in_french(tmp_path):
    project = git_project(tmp_path / "depot")
    result = spro(project, "validate", "--depuis", "origin/principale")
    assert result.returncode == 2
    assert result.stdout == (
        "erreur : --depuis : révision « origin/principale » inconnue de git, ou sans ancêtre commun "
        "avec HEAD (dans un workflow : actions/checkout avec fetch-depth: 0)\n"
    )


def test_validate_since_a_revision_reports_the_changed_files_and_errors_they_cause(tmp_path):
    project = git_project(tmp_path / "depot")
    old = project / "data/lieux/apec-poitiers.yaml"  # not verified for 12 months: a warning, in a file not changed
    assert "verifie_le: 2025" in old.read_text(encoding="utf-8")
    (project / "data/lieux/france-travail-niort.yaml").unlink()
    edit(project / "data/lieux/cio-poitiers.yaml", "verifie_le: 2026-", "verifie_le: 2024-")  # a warning, changed
    result = spro(project, "validate", "--depuis", "origin/main")  # uncommitted changes count too
    assert result.returncode == 1
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == [
        "data/evenements/2027-02-job-dating-aide-a-domicile-niort.yaml:6:7",
        "data/lieux/cio-poitiers.yaml:31:13",
    ]
    assert result.stderr == "1 erreur dans 1 fichier, 1 avertissement.\n"


def test_a_lieu_moved_by_the_geocoding_cache_is_a_change_of_position(tmp_path):
    """Only the cache changes: the lieu moves on every map, so the summary says so (to about 10 m)."""
    project = git_project(tmp_path / "depot")
    cache = project / "data/geocodage.jsonl"
    edit(cache, '"lat": 46.585313, "lon": 0.350857', '"lat": 46.58, "lon": 0.36')
    commit_all(project)
    result = spro(project, "diff", "main", "HEAD", "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert (
        "- **Point accueil installation – chambre d'agriculture de la Vienne** (`lieux/chambre-agriculture-poitiers/`)\n"
        "  - Position sur les cartes : 46.5853, 0.3509 → 46.5800, 0.3600\n" in result.stdout
    ), result.stdout

"""Where a site may be built: never over the project, and never over a folder that is not a site.

``spro build`` replaces the whole output folder. Pointed at the project itself, at ``data/``,
``docs/`` or ``.git/``, or at a folder holding them, it would delete the project; pointed at an
unrelated folder, it would delete that. So the output folder must be outside the project's own
folders and either absent, empty, or a site this tool built before (it carries :data:`MARKER`).
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER = ".spro-site"
"""File written at the root of every built site, so that a later build knows it may replace it."""
MARKER_TEXT = "Site construit par spro build ; ce dossier est remplacé à chaque construction.\n"
PROTECTED = ("data", "docs", ".git", "overrides", "build_tools", "schemas", "tests", "scripts", ".github")


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def is_previous_site(folder: Path) -> bool:
    """Built by spro: it has the marker, or (sites built before the marker existed) our own style sheet."""
    return (folder / MARKER).is_file() or (
        (folder / "assets/spro/spro.css").is_file() and (folder / "index.html").is_file()
    )


def site_dir_problem(target: Path, project_root: Path) -> str | None:
    """A French explanation when ``target`` must not receive the site, or None."""
    target, project = _real(target), _real(project_root)
    shown = str(target)
    if target == project or target in project.parents:
        return f"« {shown} » contient le projet lui-même : choisissez un dossier de sortie à part (par défaut : site)"
    for name in PROTECTED:
        folder = _real(project / name)
        if target == folder or folder in target.parents:
            return f"« {shown} » est dans le dossier {name}/ du projet : choisissez un dossier de sortie à part (par défaut : site)"
    if target.exists():
        if not target.is_dir():
            return f"« {shown} » est un fichier, pas un dossier"
        if any(target.iterdir()) and not is_previous_site(target):
            return (
                f"« {shown} » n'est pas vide et ne contient pas un site construit par spro : il serait effacé. "
                "Choisissez un dossier vide ou absent"
            )
    return None

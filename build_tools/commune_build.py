"""``spro communes``: the official geography turned into the committed gazetteer and basin outlines.

From a :class:`~build_tools.geo_reference.Reference` (reference folder or online service):

1. each commune's centre (see :func:`~build_tools.geometry.centre`) joins its code, name, postal
   codes and population in ``data/communes.csv``; former communes go to
   ``data/communes-deleguees.csv``. The texts are read back through the gazetteer's contract
   before anything is written, so the command never writes a file ``spro validate`` refuses;
2. with the new gazetteer in place, the basins are loaded and each one's outline is written to
   ``data/bassins/<code>.geojson`` (see :mod:`build_tools.outlines`).

The output depends only on the reference data and the basin files: running the command twice
writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import gazetteer, geometry
from .atomic import write_atomically
from .diagnostics import Diagnostic
from .geo_reference import Reference
from .model import Commune, Site


class BuildRefused(ValueError):
    """Nothing (more) was written; ``problems`` say why."""

    def __init__(self, message: str, problems: list[Diagnostic] = ()):
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class GazetteerSummary:
    communes: int
    deleguees: int
    sizes: dict[str, int]
    """File name -> bytes."""


def gazetteer_texts(reference: Reference) -> dict[str, str]:
    communes = [
        Commune(c.code_insee, c.nom, c.codes_postaux, c.population, *geometry.centre(c.outline))
        for c in reference.communes.values()
    ]
    return {
        gazetteer.COMMUNES_FILE: gazetteer.render_communes(communes),
        gazetteer.DELEGUEES_FILE: gazetteer.render_deleguees(reference.deleguees.values()),
    }


def write_gazetteer(
    data_root: Path, reference: Reference, site: Site, display: Callable[[Path], str]
) -> GazetteerSummary:
    """Write both gazetteer files, or none when the reference data does not pass the contract."""
    texts = gazetteer_texts(reference)
    tables = {name: (display(data_root / name), text.encode("utf-8")) for name, text in texts.items()}
    files, problems = gazetteer.parse_gazetteer(tables, site.emprise, site.departements)
    if files is None:
        raise BuildRefused(
            "les données de référence ne respectent pas le contrat du répertoire des communes : aucun fichier écrit",
            problems,
        )
    for name, text in texts.items():
        write_atomically(data_root / name, text)
    return GazetteerSummary(
        len(files.communes), len(files.deleguees), {name: len(data) for name, (_, data) in tables.items()}
    )


@dataclass(frozen=True)
class OutlineSummary:
    sizes: dict[str, int]
    """Basin code -> bytes of its outline file."""
    removed: list[Path]
    coverage: geometry.Coverage | None
    tolerance: float


def write_outlines(
    data_root: Path, reference: Reference, membership: dict[str, list[str]], tolerance: float = geometry.TOLERANCE
) -> OutlineSummary:
    """Write data/bassins/<code>.geojson for each basin of ``membership`` (basin -> INSEE codes), and remove
    the outline files of basins that no longer exist."""
    commune_outlines = {code: commune.outline for code, commune in reference.communes.items()}
    unknown = sorted({code for codes in membership.values() for code in codes} - set(commune_outlines))
    if unknown:
        raise BuildRefused(f"communes des bassins absentes des données de référence : {', '.join(unknown[:10])}")
    try:
        shapes = geometry.basin_outlines(commune_outlines, membership, tolerance)
        texts = {code: geometry.geometry_text(shape) for code, shape in shapes.items()}
    except geometry.OutlineError as refused:
        raise BuildRefused(str(refused)) from None
    folder = data_root / "bassins"
    for code, text in texts.items():
        write_atomically(folder / f"{code}.geojson", text)
    removed = [path for path in sorted(folder.glob("*.geojson")) if path.stem not in texts]
    for path in removed:
        path.unlink()
    return OutlineSummary(
        sizes={code: len(text.encode("utf-8")) for code, text in texts.items()},
        removed=removed,
        coverage=geometry.coverage(commune_outlines, shapes) if shapes else None,
        tolerance=tolerance,
    )

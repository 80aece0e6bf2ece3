"""Static files the pages need: self-hosted Leaflet and its plugin (with licences), our CSS and JS."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .output import GeneratedFile

PREFIX = "assets/spro"


def _vendor(package: str, target: str, names: list[str]) -> list[GeneratedFile]:
    data = Path(resources.files(package)) / "data"
    files = []
    for name in names:
        path = data / name
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in candidates:
            if file.is_file():
                files.append(
                    GeneratedFile(f"{PREFIX}/vendor/{target}/{file.relative_to(data).as_posix()}", file.read_bytes())
                )
    return files


def static_assets() -> list[GeneratedFile]:
    own = Path(resources.files("build_tools")) / "assets"
    files = [
        GeneratedFile(f"{PREFIX}/{path.relative_to(own).as_posix()}", path.read_bytes())
        for path in sorted(own.rglob("*"))
        if path.is_file()
    ]
    files += _vendor("xstatic.pkg.leaflet", "leaflet", ["leaflet.js", "leaflet.css", "images"])
    files += _vendor(
        "xstatic.pkg.leaflet_markercluster",
        "leaflet.markercluster",
        ["leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"],
    )
    return files

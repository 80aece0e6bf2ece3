"""The package reads from the bottom up, as the pipeline runs: each module imports only modules of its layer or
below (no import runs back up the pipeline, none goes round in a circle), the build never imports the network
geocoder, and only the MkDocs adapter imports MkDocs or Material. DEVELOPERS.md draws the same layers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "build_tools"

LAYERS = (
    (
        "base",
        {
            "text",
            "geo",
            "geometry",
            "horaires_tables",
            "csp",
            "active_content",
            "git_sources",
            "site_dir",
            "two_cores",
            "page_cache",
            "export_pieces",
            "previous_output",
            "site_search",
            "preview",
            "generate.output",
            "generate.feed",
        },
    ),
    ("reading", {"diagnostics", "safe_files", "atomic", "json_source", "yaml_source", "horaires_syntaxe", "formats"}),
    (
        "contract",
        {"contract", "records", "record_model", "model", "gazetteer", "geocache", "outlines", "docs_contract"},
    ),
    ("load", {"loader", "place_rules", "candidates", "read_cache"}),
    (
        "derive",
        {
            "positions",
            "places",
            "search_rules",
            "finder",
            "search_engine",
            "json_schemas",
            "field_reference",
            "freshness",
            "site_output",
            "generate",
            "generate.agenda",
            "generate.assets",
            "generate.exports",
            "generate.hours",
            "generate.ics",
            "generate.maps",
            "generate.pages",
            "generate.site_view",
            "generate.render",
            "generate.tiles",
        },
    ),
    (
        "pipeline",
        {
            "pipeline",
            "build_messages",
            "zensical_build",
            "mkdocs_adapter",
            "mkdocs_adapter.build",
            "mkdocs_adapter.second_process",
            "mkdocs_adapter.page_keys",
            "mkdocs_adapter.invalid_preview",
            "mkdocs_adapter.live_reload",
            "mkdocs_adapter.content_target",
        },
    ),
    (
        "tools",
        {
            "cli",
            "mkdocs_adapter.plugin",
            "geocoder",
            "geo_reference",
            "commune_build",
            "basin_assignment",
            "lieu_files",
            "csv_import",
            "new_lieu",
            "yaml_format",
            "synthetic",
            "site_diff",
        },
    ),
)
LAYER_OF = {module: rank for rank, (_, modules) in enumerate(LAYERS) for module in modules}
BUILD = {m for m, rank in LAYER_OF.items() if rank <= LAYER_OF["pipeline"]} | {"mkdocs_adapter.plugin"}
"""What ``spro build`` and ``mkdocs build`` run: never the network geocoder (« spro geocode » fills the cache)."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "__init__"


def imports(path: Path) -> tuple[set[str], set[str]]:
    """(modules of the package, other top-level packages) that ``path`` imports, at any depth of its code."""
    package = path.relative_to(PACKAGE).parent.parts
    inside, outside = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - node.level + 1])
            if node.module:
                inside.add(".".join([*base, node.module]))
            else:
                inside.update(".".join([*base, alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            outside.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            outside.update(alias.name.split(".")[0] for alias in node.names)
    return {name for name in inside if name}, outside


GRAPH = {module_name(path): imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_has_a_layer():
    assert set(GRAPH) - {"__init__"} == set(LAYER_OF), "add the new module to LAYERS (and to DEVELOPERS.md)"


@pytest.mark.parametrize("module", sorted(LAYER_OF))
def test_no_import_runs_back_up_the_pipeline(module):
    above = {name for name in GRAPH[module][0] if LAYER_OF.get(name, -1) > LAYER_OF[module]}
    assert not above, f"{module} ({LAYERS[LAYER_OF[module]][0]}) imports {sorted(above)} from higher layers"


def test_no_module_imports_itself_in_a_circle():
    def reaches(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for name in GRAPH.get(todo.pop(), (set(),))[0]:
                if name not in seen:
                    seen.add(name)
                    todo.append(name)
        return seen

    assert [module for module in GRAPH if module in reaches(module)] == []


def test_the_build_never_imports_the_network_geocoder():
    assert {module for module in BUILD if "geocoder" in GRAPH[module][0] or "geopy" in GRAPH[module][1]} == set()


def test_only_the_mkdocs_adapter_imports_mkdocs_or_material():
    users = {module for module, (_, outside) in GRAPH.items() if {"mkdocs", "material"} & outside}
    assert users and users <= {
        "mkdocs_adapter",
        "mkdocs_adapter.build",
        "mkdocs_adapter.plugin",
        "mkdocs_adapter.page_keys",
        "mkdocs_adapter.invalid_preview",
    }


def test_the_import_reader_resolves_relative_imports():
    """``from ..model import`` in generate/pages.py is the package's model; ``from .output`` its sibling."""
    assert "model" in GRAPH["generate.pages"][0] and "records" in GRAPH["generate.pages"][0]
    assert "generate.output" in GRAPH["generate.maps"][0]

"""``spro build`` with MkDocs + Material: MkDocs into a staging folder (:func:`build_tools.site_output.atomic_site`).

MkDocs reports through logging and stops with its own exceptions; here they become the pipeline's
(``InvalidSources`` with its diagnostics, ``BuildFailed`` with a French message), and its warnings are
handed to the caller, so that nothing outside this package knows MkDocs.

MkDocs runs in a forked child (where :func:`~build_tools.two_cores.can_fork`), which sends back what the pass over
the built HTML needs (:class:`~build_tools.pipeline.Finishing`); this process then runs that pass, Pagefind
included. The child's memory (the dataset, every page MkDocs made: half a gigabyte at 30,000 lieux) is then given
back, where a Python process keeps most of what it once held: Pagefind's memory is not added to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from ..build_messages import config_message
from ..pipeline import BuildFailed, Finishing, finish
from ..previous_output import PreviousOutput
from ..site_dir import is_previous_site
from ..site_output import atomic_site
from ..site_search import SearchReuse
from ..two_cores import Child, ChildDied, can_fork


def build_site(
    config_file: Path,
    site_dir: Path,
    strict: bool = True,
    openable_from_disk: bool = False,
    on_warning: Callable[[str], bool] | None = None,
    reuse_pages: bool = True,
) -> None:
    """Build the site into ``site_dir`` (kept as it was on any failure). ``on_warning(message)``: each warning of
    MkDocs (a broken link under --strict...), shown by the caller; return False to keep it out of the log.
    ``reuse_pages``: False renders every page, the page cache left alone (as ``cache: false`` in mkdocs.yml), and
    builds into new folders."""

    previous = Path(site_dir).resolve()  # (its files are linked where this build makes the same bytes)

    def into(staging: Path) -> None:
        reusable = PreviousOutput(previous) if is_previous_site(previous) else None
        finishing = _in_a_child(lambda: _render(Path(config_file), staging, strict, on_warning, reuse_pages, reusable))
        if finishing is not None:
            search = SearchReuse.of(Path(config_file).resolve().parent, reusable) if finishing.reuse else None
            finish(staging, finishing, search)

    atomic_site(site_dir, Path(config_file).resolve().parent, into, openable_from_disk, into_folders=reuse_pages)


def _in_a_child(render: Callable[[], Finishing | None]) -> Finishing | None:
    """``render()`` in a forked child when one can be made, else here."""
    if not can_fork():
        return render()
    try:
        child = Child.start(render, group=True)
    except OSError:  # (too many processes, not enough memory to fork: this process renders)
        return render()
    try:
        return child.result()
    except ChildDied as died:
        raise BuildFailed(
            f"le processus qui construisait le site s'est arrêté ({died}) : relancez la construction"
        ) from None
    finally:  # (Ctrl-C included: the child and its own children stop before the staging folder goes)
        child.stop()


def _render(
    config_file: Path,
    staging: Path,
    strict: bool,
    on_warning: Callable[[str], bool] | None,
    reuse_pages: bool,
    previous: PreviousOutput | None,
) -> Finishing | None:
    """MkDocs' build into ``staging``, but for the pass over the built HTML: what it needs (None without the spro
    plugin). ``previous``: the site being replaced, whose files are linked where this build makes the same bytes."""
    config = None
    messages = _messages(on_warning, config_file.name)
    try:
        with messages:
            config = load_config(str(config_file), site_dir=str(staging), strict=strict)
            plugin = config.plugins.get("spro")
            if plugin is not None:
                plugin.finish_elsewhere = True
                plugin.config.cache = plugin.config.cache and reuse_pages
                plugin.previous = previous
                plugin.into_folders = reuse_pages  # (atomic_site's staging folder may hold folders kept)
            try:
                build(config)
            finally:  # (Ctrl-C included: nothing may write into the staging folder once it is removed)
                if plugin is not None:
                    plugin.stop_second_process()
    except (Abort, MkDocsException, SystemExit) as failure:
        plugin = config.plugins.get("spro") if config is not None else None
        if plugin is not None and plugin.failure is not None:
            raise plugin.failure from failure  # what was invalid, and where (MkDocs only says it aborted)
        said = messages.config_errors or ([] if isinstance(failure, (Abort, SystemExit)) else [str(failure)])
        raise BuildFailed(" ; ".join(config_message(m, config_file.name) for m in said)) from failure
    return plugin.finishing if plugin is not None else None


class _messages:
    """MkDocs' log while it builds: warnings to ``on_warning`` (then stderr), our plugin's notes to stderr,
    nothing of the failure that stops the build (the caller prints it, with its diagnostics)."""

    def __init__(self, on_warning, config_name: str):
        self.on_warning, self.config_name = on_warning, config_name
        self.config_errors: list[str] = []
        """MkDocs' errors about mkdocs.yml, told by the caller in French."""

    def __enter__(self):
        self.handler = logging.StreamHandler()
        self.handler.setFormatter(logging.Formatter("%(message)s"))
        self.handler.addFilter(self._filter)
        self.logger = logging.getLogger("mkdocs")
        self.saved = (self.logger.level, self.logger.propagate)
        self.logger.addHandler(self.handler)
        self.logger.setLevel(logging.WARNING)
        self.logger.propagate = False
        logging.getLogger("mkdocs.plugins.spro").setLevel(logging.INFO)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.saved[0])
        self.logger.propagate = self.saved[1]

    def _filter(self, record) -> bool:
        message = record.getMessage()
        if record.levelno >= logging.ERROR and record.name == "mkdocs.commands.build":
            return False  # the failure that stops the build: the caller tells it (in French, with its diagnostics)
        if record.name.startswith("mkdocs.config"):
            if record.levelno >= logging.ERROR:
                self.config_errors.append(message)
                return False
            record.msg, record.args = config_message(message, self.config_name), ()  # a warning: in French
        if record.levelno >= logging.WARNING and record.name != "mkdocs.plugins.spro" and self.on_warning:
            return self.on_warning(message)
        return True

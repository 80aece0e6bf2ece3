"""MkDocs plugin: the pipeline (:mod:`build_tools.pipeline`) staged into MkDocs' events, nothing more.

Kept thin on purpose (Material for MkDocs reaches end of life in May 2027; Zensical runs no third-party
plugin): ``prepare`` in ``on_config``, the generated files in ``on_files``, their bodies in ``on_post_page``,
``finish`` in ``on_post_build`` (under ``spro build``, by :mod:`.build`, in the parent process). What only MkDocs
does stays here: checking the HTML it rendered from docs/, escaping front matter Material prints raw, and collecting
the blog's posts for the feed.
"""

from __future__ import annotations

import collections.abc
import gc
import html
import json
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import jinja2
import mkdocs.utils
from mkdocs.commands.build import _build_page
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .. import pipeline
from ..diagnostics import Diagnostic
from ..docs_contract import FEED_NAME, NEWS_DIR, PRINTED_RAW, html_problems, line_of, theme_safe, toc_title
from ..generate import render
from ..generate.assets import static_assets
from ..generate.feed import FeedEntry, plain_text
from ..generate.output import GeneratedFile
from ..generate.tiles import Tiles
from ..page_cache import PageCache, cache_root
from ..previous_output import PreviousOutput
from ..site_output import only_folders, without_empty_folders
from ..site_search import SearchReuse
from ..text import pluriel, slug
from ..two_cores import can_fork
from .content_target import with_content_target
from .invalid_preview import (
    BACK_TO_VALID,
    not_built_yet,
    preview_headline,
    quiet_missing_pages,
    unbuilt_pages_linked_by_address,
    unbuilt_pages_linked_in,
    with_invalid_data,
)
from .live_reload import SCRIPT_PATH, reload_script, with_reload_script
from .page_keys import site_fingerprint, theme_reads_build_date
from .second_process import Outcome, SecondProcess, Shares

log = logging.getLogger("mkdocs.plugins.spro")


class SproConfig(Config):
    data_dir = c.Type(str, default="data")
    """Data directory, relative to mkdocs.yml."""
    news_dir = c.Type(str, default=NEWS_DIR)
    """Folder of Material's blog (``blog_dir``): its posts make the Atom feed ``<news_dir>/feed.xml``."""
    render_processes = c.Choice((1, 2), default=2)
    """Processes rendering the generated pages: with 2, a second process renders them from the other end of their
    list (:mod:`.second_process`: on Linux with two cores, never for ``mkdocs serve``)."""
    cache = c.Type(bool, default=True)
    """Generated pages whose inputs have not changed since an earlier build are taken from it
    (:mod:`build_tools.page_cache`), not rendered again; so are the lieu files' readings
    (:mod:`build_tools.read_cache`)."""
    search_bundle_pages = c.Deprecated(
        message="réglage « {} » du greffon spro sans effet depuis que les fiches des lieux ne sont plus indexées par "
        "Pagefind : retirez-le de mkdocs.yml"
    )


def post_slug(text: str, separator: str = "-") -> str:
    """Blog post URLs without accents or doubled hyphens (mkdocs.yml: ``post_slugify``)."""
    return slug(text).replace("-", separator)


# Contains "<h1" so that Material does not add a title of its own (the body has its <h1>).
BODY_PLACEHOLDER = "<!-- spro: <h1> corps de la page -->"
# The template of the generated pages: the page's own if this process renders it, else nothing (MkDocs then writes
# what on_post_page returns: the page of an earlier build, or nothing for a page the second process renders).
GENERATED_PAGE = "spro/generated-page.html"
CHECKED_AT_THE_END = 4_000_000
"""A page longer than this (characters) is checked for active content and given its policy by the pass over the
built site (:func:`build_tools.pipeline.finish`), not as it is rendered, and is not kept in the page cache (which
keeps pages secured): the HTML parser's tree of a page is ten times its size (170 MB for the 14 MB map of a
30,000-lieu site), and in a rendering process it came on top of two processes' memory (the build's peak). The pass
over the built site runs once they have ended."""


@dataclass
class _Rendering:
    """The generated page being rendered (one at a time): its body (None when taken from the cache by the key of its
    inputs), its key in the cache, what the cache held."""

    uri: str
    body: str | None
    key: str | None = None
    cached: str | None = None


class SproPlugin(BasePlugin[SproConfig]):
    failure: Exception | None = None
    """What stopped the build (MkDocs only raises its own Abort): build.build_site raises this instead."""
    serving = False
    second: SecondProcess | None = None
    elsewhere: frozenset[str] | set[str] = frozenset()
    """Pages (src_uri) the second process rendered: this one writes nothing for them."""
    take: Callable[[Page], bool] | None = None
    """Once the second process runs, in this one: whether this process renders the page (else it does)."""
    cache: PageCache | None = None
    rendering: _Rendering | None = None
    previous: PreviousOutput | None = None
    """The previous build's site, whose files are linked where this build makes the same bytes (set by
    :func:`.build.build_site`, and by :meth:`on_pre_build` under ``mkdocs serve``)."""
    linked: set[str] = set()
    """Pages (src_uri) linked from :attr:`previous`: MkDocs writes nothing for them."""
    finish_elsewhere = False
    """Set by :func:`.build.build_site`: the pass over the built HTML (:func:`build_tools.pipeline.finish`) is left
    to its caller, which gets :attr:`finishing` (else made in ``on_post_build``)."""
    finishing: pipeline.Finishing | None = None
    prepared: pipeline.Prepared | None = None
    invalid: pipeline.InvalidSources | pipeline.BuildFailed | None = None
    """In a preview (``mkdocs serve``), why the data could not be prepared: the pages of docs/ are built all the
    same, and say it (:mod:`.invalid_preview`)."""
    folders_kept: Path | None = None
    """Under ``mkdocs serve``: the folders of the build before the previous one, emptied of their files, for the
    next build (:meth:`_site_from_folders_kept`)."""
    into_folders = False
    """Whether the site folder holds folders kept from an earlier site, and no file (set by :func:`.build.build_site`,
    and by :meth:`on_pre_build` under ``mkdocs serve``): MkDocs must not empty it, and a folder standing where this
    build writes a file goes (:func:`_no_folder_where_a_file_goes`)."""
    keeping_folders: Callable[[str], None] | None = None
    """MkDocs' emptying of the site folder, set aside from :meth:`on_pre_build` to :meth:`on_files`."""

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"
        self.dirty = dirty
        self.set_aside: list[threading.Thread] = []

    def on_pre_build(self, config):
        """Under ``mkdocs serve``, the previous build's site set aside before MkDocs empties the folder, so that this
        build links what it makes the same (:mod:`build_tools.previous_output`); removed once the build ends. MkDocs
        empties the site folder next: not one that holds only folders kept (:attr:`into_folders`)."""
        if self.serving and not self.dirty:
            self.into_folders = False
            site = Path(config.site_dir)
            if site.is_dir() and any(site.iterdir()):
                aside = Path(tempfile.mkdtemp(prefix=f"{site.name}-precedent-", dir=site.parent))
                aside.rmdir()
                site.rename(aside)
                self.previous = PreviousOutput(aside)  # (first: Ctrl-C while the folders are made still forgets it)
                self.into_folders = self._site_from_folders_kept(site)
        if self.into_folders:
            self.keeping_folders = mkdocs.utils.clean_directory
            mkdocs.utils.clean_directory = lambda directory: None

    def _site_from_folders_kept(self, site: Path) -> bool:
        """The served folder made of the folders of the build before the previous one, emptied of their files
        beside the server (:meth:`_build_ended`), else new: making 3,300 folders again took half a second of
        each save at 3,000 lieux. Whether it was made of them."""
        for keeper in self.set_aside:
            keeper.join()
        self.set_aside = []
        kept, self.folders_kept = self.folders_kept, None
        if kept is not None and kept.is_dir() and not kept.is_symlink():
            try:
                kept.rename(site)
            except OSError:
                shutil.rmtree(kept, ignore_errors=True)
            else:
                return True
        site.mkdir(mode=0o700)  # (as MkDocs made it: the preview may show data not valid yet)
        return False

    def _stop(self, failure: Exception) -> PluginError:
        self.failure = failure
        return PluginError(str(failure))

    @event_priority(100)  # first: other plugins see the generated pages
    def on_config(self, config):
        project = Path(config.config_file_path).resolve().parent
        config.extra["spro_demonstration"] = False
        config.extra["spro_feed"] = f"{self.config.news_dir}/{FEED_NAME}"
        self.news: list[FeedEntry] = []
        self.secured: set[str] = set()
        self.elsewhere = frozenset()  # (MkDocs keeps a plugin from one build to the next in the same process)
        if self.cache is not None:  # (the previous build's, in a preview)
            self.cache.close()
        self.take, self.cache, self.rendering, self.reused, self.finishing = None, None, None, 0, None
        self.linked = set()
        was_invalid = self.invalid is not None  # (the previous build's, in a preview)
        self.prepared, self.pages, self.invalid = None, {}, None
        quiet_missing_pages(False)
        try:
            self.prepared = pipeline.prepare(
                project,
                project / self.config.data_dir,
                Path(config.docs_dir),
                config.site_url,
                self.config.news_dir,
                reuse_reads=self.config.cache and _only_known_plugins(config),
            )
        except (pipeline.InvalidSources, pipeline.BuildFailed) as failure:
            if not self.serving:
                raise self._stop(failure) from failure
            # (an error under --strict would stop this build too: the server would hang again)
            log.log(logging.INFO if config.strict else logging.ERROR, preview_headline(failure))
            self.invalid = failure
            quiet_missing_pages(True)
            return config
        if was_invalid:
            log.info(BACK_TO_VALID)
        for note in self.prepared.notes:  # never fail a --strict build
            log.info(note.as_text())
        self.pages = self.prepared.pages
        config.extra["spro_demonstration"] = self.prepared.dataset.site.demonstration
        return config

    def on_nav(self, nav, config, files):
        if self.invalid is not None:
            nav.items = unbuilt_pages_linked_by_address(nav.items, config.use_directory_urls)
        self.nav = nav
        return nav

    @event_priority(-100)  # last: the second process starts from the environment every plugin has set
    def on_env(self, env, config, files):
        """Material renders the whole navigation for each page: for the pages outside it (lieux, métiers...), whose
        navigation is the same in the same folder, it is rendered once per folder (:class:`_ThemeAndSproTemplates`).
        The generated pages get the template :data:`GENERATED_PAGE`, which takes them from the cache when it can,
        then a second process starts rendering them from the other end (:mod:`.second_process`)."""
        logging.getLogger("mkdocs.commands.build").addFilter(self._written_elsewhere_not_skipped)
        if self.into_folders:  # (every plugin's files known, none written yet)
            _no_folder_where_a_file_goes(files, config)
        _keep_compiled_templates(env, None)
        if self.prepared is None:  # (a preview of invalid data: the pages of docs/ only)
            return env
        navigations: dict[str, str] = {}

        def navigation(key: str | None, caller) -> str:
            if key is None:
                return caller()
            if key not in navigations:
                navigations[key] = caller()
            return navigations[key]

        env.loader = _ThemeAndSproTemplates(env.loader)
        env.globals.update(spro_navigation_key=_navigation_key, spro_navigation=navigation)
        generated = [file.page for file in files.documentation_pages() if file.src_uri in self.pages]
        templates = {page.file.src_uri: page.meta.get("template", "main.html") for page in generated}
        for page in generated:
            page.meta["template"] = GENERATED_PAGE
        env.globals.update(spro_render=self._render_here, spro_template=lambda page: templates[page.file.src_uri])
        if self.config.cache and _only_known_plugins(config):
            self.cache = self._page_cache(config)
        if self.cache is not None:
            _keep_compiled_templates(env, self.cache.folder)
        if self.config.render_processes == 2 and not self.serving and can_fork() and _page_events_known(config):
            self._start_second_process(env, config, files, generated)
        return env

    def _page_cache(self, config) -> PageCache | None:
        project = Path(config.config_file_path).resolve().parent
        try:
            day = str(self.prepared.options.build_date) if theme_reads_build_date(config) else ""
            fingerprint = site_fingerprint(config, self.nav, self.prepared.options.tiles.origin, day)
        except OSError:  # (a file of the code or of the theme could not be read: nothing can be reused safely)
            return None
        cache = PageCache.of(project, fingerprint)
        if cache is None:
            log.info(
                "Pages de l'annuaire toutes construites, sans cache : le dossier du cache (%s) est dans le projet, ou "
                "d'autres que vous peuvent y écrire (choisissez-en un autre avec SPRO_CACHE_DIR=/un/dossier)",
                cache_root(),
            )
        return cache

    def _render_here(self, page) -> bool:
        """Asked by :data:`GENERATED_PAGE` as MkDocs renders a generated page: whether this process renders it now
        (not if the second process does, or if the cache holds it)."""
        uri = page.file.src_uri
        if self.take is not None and not self.take(page):
            self.elsewhere.add(uri)
            return False
        generated = self.pages[uri]
        if self.cache is not None and generated.inputs is not None:  # (the key told without rendering the body)
            key = self.cache.key(uri, page.url, generated.front_matter, "entrées", generated.inputs())
            self.rendering = _Rendering(uri, None, key, self.cache.get(key))
            if self.rendering.cached is None:
                self.rendering.body = generated.render_body()
            return self.rendering.cached is None
        self.rendering = _Rendering(uri, generated.render_body())
        if self.cache is not None:
            self.rendering.key = self.cache.key(uri, page.url, generated.front_matter, self.rendering.body)
            self.rendering.cached = self.cache.get(self.rendering.key)
        return self.rendering.cached is None

    def _start_second_process(self, env, config, files: Files, shared: list[Page]) -> None:
        doc_files = files.documentation_pages()  # (what MkDocs' build hands each page: the same context)
        shares = Shares(len(shared))

        def render() -> Outcome:
            try:
                for index in reversed(range(len(shared))):
                    if not shares.take_back(index):
                        break
                    _build_page(shared[index], config, doc_files, self.nav, env)
            except PluginError:
                if self.failure is not None:  # (what _stop was told: the pipeline's own, French, failure)
                    raise self.failure from None
                raise
            used = self.cache.used if self.cache is not None else set()
            return Outcome(secured=self.secured, reused=self.reused, cache_used=used)

        # Ctrl-C held until the child is known here (stop_second_process kills it): else it could go on writing
        # into a staging folder removed meanwhile.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.second = SecondProcess.start(render)
        except OSError:  # no fork possible (too many processes, memory): one process renders everything
            return
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        index_of = {page.file.src_uri: index for index, page in enumerate(shared)}
        self.elsewhere = set()
        self.take = lambda page: shares.take_front(index_of[page.file.src_uri])

    def _written_elsewhere_not_skipped(self, record: logging.LogRecord) -> bool:
        """MkDocs says « Page skipped » for an empty output: not for the pages the second process wrote, nor for
        those linked from the previous build."""
        message = record.getMessage()
        if not message.startswith("Page skipped: '"):
            return True
        uri = message.split("'")[1]
        return uri not in self.elsewhere and uri not in self.linked

    def stop_second_process(self) -> None:
        if self.second is not None:
            self.second.stop()
            self.second = None
        logging.getLogger("mkdocs.commands.build").removeFilter(self._written_elsewhere_not_skipped)

    def on_build_error(self, error):
        self.stop_second_process()
        self._build_ended()
        if self.cache is not None:
            self.cache.close()

    def _emptying_back(self) -> None:
        """MkDocs' emptying of the site folder as it was (see :meth:`_site_from_folders_kept`)."""
        if self.keeping_folders is not None:
            mkdocs.utils.clean_directory, self.keeping_folders = self.keeping_folders, None

    def _build_ended(self) -> None:
        """However a build ends (done, failed, stopped): MkDocs' emptying of the site folder back; under ``mkdocs
        serve``, the previous build's site set aside emptied of its files, beside the server, and kept for the next
        build's folders (:meth:`_site_from_folders_kept`), and the objects :func:`build_tools.pipeline.prepare` froze
        given back to the garbage collector (the server builds again and again)."""
        self._emptying_back()
        if self.serving:
            gc.unfreeze()
        if self.serving and self.previous is not None:
            folders, older = self.previous.root, self.folders_kept
            keeper = threading.Thread(target=_folders_kept, args=(folders, older), daemon=True)
            keeper.start()
            self.set_aside.append(keeper)
            self.folders_kept = folders
        self.previous = None

    def on_shutdown(self):
        self._build_ended()  # (Ctrl-C during a build: MkDocs runs no on_build_error for a KeyboardInterrupt)
        for keeper in self.set_aside:
            keeper.join()
        if self.folders_kept is not None:
            shutil.rmtree(self.folders_kept, ignore_errors=True)
            self.folders_kept = None

    def on_files(self, files: Files, config) -> Files:
        self._emptying_back()
        self._refuse_one_page_twice(files, config)
        if self.serving:
            files.append(File.generated(config, SCRIPT_PATH, content=reload_script()))
        if self.prepared is None:  # (a preview of invalid data: the pages of docs/, with the site's look)
            for asset in static_assets():
                files.append(File.generated(config, asset.path, content=asset.content))
            return files
        for generated in self.prepared.generated:
            inclusion = (
                InclusionLevel.INCLUDED if generated.in_nav or not generated.is_page else InclusionLevel.NOT_IN_NAV
            )
            if files.get_file_from_path(generated.path) is not None:
                raise PluginError(f"{generated.path} est généré par l'annuaire : retirez ce fichier de docs/")
            if generated.is_page or not callable(generated.content):
                content = generated.front_matter if generated.is_page else generated.content
                file = File.generated(config, generated.path, content=content, inclusion=inclusion)
                files.append(file)
                if generated.is_page and not generated.in_nav:  # (MkDocs makes the others' Page objects)
                    _HtmlPage(None, file, config)
            else:
                files.append(_MadeWhenWritten.of(config, generated, inclusion))
        # Written in on_post_build, once the posts are rendered; declared now so that links to it resolve.
        files.append(File.generated(config, config.extra["spro_feed"], content=""))
        return files

    def _refuse_one_page_twice(self, files: Files, config) -> None:
        """Two files of docs/ making one page (« x.md » and « x/index.md »: ``x/index.html``): MkDocs would write one
        over the other, silently."""
        docs, first, problems = Path(config.docs_dir).name, {}, []
        for file in files.documentation_pages():
            other = first.setdefault(file.dest_uri, file.src_uri)
            if other != file.src_uri:
                message = f"même page que {docs}/{other} ({file.dest_uri}) : renommez l'un des deux fichiers"
                problems.append(Diagnostic(f"{docs}/{file.src_uri}", 1, 0, "", message))
        if problems:
            raise self._stop(pipeline.InvalidSources(problems))

    # Generated pages are HTML already. MkDocs converts every page before writing any, so it gets
    # a placeholder (no Markdown pass: half the build time) and the body is rendered just before the
    # page is written (one body in memory at a time: gigabytes at 30,000 lieux).

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.src_uri in self.pages:
            return ""
        for key in PRINTED_RAW:  # Material prints these raw (in <title>, in <meta content="...">)
            if isinstance(page.meta.get(key), str):
                page.meta[key] = theme_safe(page.meta[key])
        return markdown

    def on_page_content(self, html_text, page, config, files):
        if page.file.src_uri in self.pages:
            page.present_anchor_ids = _AnchorsOfTheBody(self.pages[page.file.src_uri].render_body)
            return BODY_PLACEHOLDER
        self._check_rendered(html_text, page, config)
        if self.invalid is not None:
            html_text = unbuilt_pages_linked_in(html_text, page.file.src_uri, page.url, config.use_directory_urls)
        _plain_toc(page.toc)
        created = getattr(getattr(getattr(page, "config", None), "date", None), "created", None)  # a blog post
        if created is not None and page.file.src_uri.startswith(f"{self.config.news_dir}/"):
            excerpt = html_text.split("<!-- more -->", 1)[0]
            excerpt = re.sub(r"<h1\b.*?</h1>", "", excerpt, count=1, flags=re.S)
            self.news.append(
                FeedEntry(
                    html.unescape(page.title), urljoin(config.site_url or "", page.url), created, plain_text(excerpt)
                )
            )
        # the « ¶ » of heading anchors is not part of a title in the site search's results
        return html_text.replace('class="headerlink"', 'class="headerlink" data-pagefind-ignore')

    def _check_rendered(self, html_text: str, page, config) -> None:
        """Validation checked the Markdown already; this checks what MkDocs really rendered, title included."""
        problems = html_problems(html_text)
        title = html.unescape(page.title or "")
        if "<" in title or ">" in title:  # Material's <title> decodes it
            problems.append(("# ", "titre de la page : du texte est attendu, sans < ni >"))
        if problems:
            shown = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
            lines = page.file.content_string.split("\n")
            raise self._stop(
                pipeline.InvalidSources(
                    [Diagnostic(shown, line_of(needle, lines, 1), 0, "", message) for needle, message in problems]
                )
            )

    @event_priority(-100)  # last: the check and the policy cover whatever other plugins wrote
    def on_post_page(self, output, page, config):
        uri = page.file.src_uri
        if uri in self.elsewhere:
            return ""
        rendering = None
        if uri in self.pages:
            rendering, self.rendering = self.rendering, None
            if rendering is None or rendering.uri != uri:  # (not rendered through GENERATED_PAGE)
                rendering = _Rendering(uri, self.pages[uri].render_body())
            if rendering.cached is not None:
                self.secured.add(page.file.dest_uri)
                self.reused += 1
                return self._written(page, self._previewed(rendering.cached, config))
            output = output.replace(BODY_PLACEHOLDER, rendering.body, 1)
        else:
            output = with_content_target(output)
        if self.invalid is not None:
            output = with_invalid_data(output, self.invalid)
        if len(output) > CHECKED_AT_THE_END:
            return self._written(page, self._previewed(output, config))
        try:
            output = pipeline.secure_page(output, page.file.dest_uri, self._tiles().origin)
        except pipeline.BuildFailed as failure:
            raise self._stop(failure) from failure
        self.secured.add(page.file.dest_uri)  # (written as it is by MkDocs: not read again)
        if rendering is not None and rendering.key is not None and self.cache is not None:
            self.cache.put(rendering.key, output)
        return self._written(page, self._previewed(output, config))

    def _written(self, page, output: str) -> str:
        """What MkDocs is to write for ``page``: nothing when the previous build's file has these bytes, linked."""
        target = Path(page.file.abs_dest_path)
        if self.previous is not None:
            content = output.encode("utf-8", errors="xmlcharrefreplace")  # (as MkDocs writes it)
            if self.previous.link_if_same(page.file.dest_uri, content, target):
                self.linked.add(page.file.src_uri)
                return ""
        if output and os.path.lexists(target):  # (MkDocs would write into it: it may be linked to the previous site)
            target.unlink()
        return output

    def _previewed(self, page: str, config) -> str:
        """Under ``mkdocs serve``, ``page`` reloading itself after each build (:mod:`.live_reload`)."""
        return with_reload_script(page, config.site_url) if self.serving else page

    def _tiles(self) -> Tiles:
        return Tiles() if self.prepared is None else self.prepared.options.tiles

    def on_post_template(self, output_content, template_name, config):
        if self.invalid is not None and template_name == "404.html":  # (what the preview shows for a missing page)
            output_content = not_built_yet(output_content, self.invalid)
        return self._previewed(output_content, config) if template_name == "404.html" else output_content

    @event_priority(-100)  # last: the policy covers whatever other plugins wrote
    def on_post_build(self, config) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self._written_elsewhere_not_skipped)
        try:
            if self.serving and self.into_folders:  # (the folders kept that no page of this build used)
                without_empty_folders(Path(config.site_dir))
            self._finish(config)
        finally:
            self._build_ended()

    def _finish(self, config) -> None:
        if self.prepared is None:  # (a preview of invalid data: no search, no feed)
            try:
                pipeline.secure_pages(Path(config.site_dir), self._tiles().origin, frozenset(self.secured))
            except pipeline.BuildFailed as failure:
                raise self._stop(failure) from failure
            return
        if self.second is not None:
            outcome = self.second.outcome()
            self.stop_second_process()
            for name, level, message in outcome.warnings:
                logging.getLogger(name).log(level, message)
            if isinstance(outcome.failure, pipeline.BuildFailed):
                raise self._stop(outcome.failure)
            if outcome.failure is not None:
                raise outcome.failure  # (as it would have been raised here)
            self.secured |= outcome.secured
            self.reused += outcome.reused
            if self.cache is not None:
                self.cache.used |= outcome.cache_used
            log.debug("Rendu en deux processus : %d pages rendues par le second", len(outcome.secured))
        if self.cache is not None:
            self.cache.keep_only(self.cache.used)
            built = len(self.pages) - self.reused
            log.info(
                "Pages de l'annuaire : %d sur %d %s de la construction précédente, %s",
                self.reused,
                len(self.pages),
                "reprise telle quelle" if self.reused <= 1 else "reprises telles quelles",
                pluriel(built, "construite"),
            )
        feed = (config.extra["spro_feed"], config.site_name, self.news)
        reuse = self.config.cache and _only_known_plugins(config)  # (as the pages': one rule for the cache)
        self.finishing = pipeline.Finishing.of(self.prepared, feed, frozenset(self.secured), reuse=reuse)
        if not self.finish_elsewhere:
            project = Path(config.config_file_path).resolve().parent
            search = SearchReuse.of(project, self.previous) if reuse else None
            try:
                pipeline.finish(Path(config.site_dir), self.finishing, search)
            except pipeline.BuildFailed as failure:
                raise self._stop(failure) from failure


class _HtmlPage(Page):
    """A generated page: its body is HTML already (written in :meth:`SproPlugin.on_post_page`), so the Markdown pass
    MkDocs makes for every page (a parser and its extensions set up, for an empty text) is left out. What it would
    have found in that empty text: no content, no table of contents, no title, no anchors, no links. Its front
    matter is JSON (:func:`build_tools.generate.render.page`), read as such rather than by a YAML parser."""

    def read_source(self, config) -> None:
        front_matter = self.file.content_string.removeprefix("---\n").removesuffix("---\n")
        self.markdown, self.meta = "", json.loads(front_matter)

    def render(self, config, files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


class _AnchorsOfTheBody(collections.abc.Set):
    """The anchors of a generated page (``id``, and ``name`` on ``<a>``, as MkDocs counts them), which MkDocs checks
    the links of docs/ against: its body is a placeholder when MkDocs looks, so they are found in the page's own
    body, rendered again for this, and only once a link asks (few pages are linked to with an anchor)."""

    def __init__(self, body: Callable[[], str]):
        self.body = body
        self.found: set[str] | None = None

    def _anchors(self) -> set[str]:
        if self.found is None:
            parser = _AnchorParser()
            parser.feed(self.body())
            parser.close()
            self.found = parser.anchors
        return self.found

    def __contains__(self, anchor) -> bool:
        return anchor in self._anchors()

    def __iter__(self):
        return iter(self._anchors())

    def __len__(self) -> int:
        return len(self._anchors())


class _AnchorParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is not None and (name == "id" or (name == "name" and tag == "a")):
                self.anchors.add(value)


class _MadeWhenWritten(File):
    """A generated file made when MkDocs writes it, in pieces, and not kept (the open-data exports)."""

    generated: GeneratedFile

    @classmethod
    def of(cls, config, generated: GeneratedFile, inclusion: InclusionLevel) -> _MadeWhenWritten:
        file = cls.generated(config, generated.path, content=b"", inclusion=inclusion)
        file.generated = generated
        return file

    @property
    def content_bytes(self) -> bytes:
        content = self.generated.made()
        return content if isinstance(content, bytes) else content.encode("utf-8")

    @property
    def content_string(self) -> str:
        content = self.generated.made()
        return content if isinstance(content, str) else content.decode("utf-8")

    def copy_file(self, dirty: bool = False) -> None:
        self.generated.write(Path(self.abs_dest_path))


def _plain_toc(items) -> None:
    """The theme prints each entry of a page's table of contents unescaped: validation refused markup in headings
    already, and here every entry becomes plain text all the same."""
    for item in items or ():
        item.title = toc_title(item.title)
        _plain_toc(item.children)


class _ThemeAndSproTemplates(jinja2.BaseLoader):
    """The theme's templates, with two of the plugin's: ``partials/nav.html`` is a wrapper that renders the theme's
    own file (read as ``spro/theme-nav.html``) through the once-per-folder cache of :meth:`SproPlugin.on_env`, and
    :data:`GENERATED_PAGE` renders a page's own template only if this process renders the page now."""

    WRAPPER = (
        '{%- call spro_navigation(spro_navigation_key(page)) -%}{%- include "spro/theme-nav.html" -%}{%- endcall -%}'
    )

    GENERATED = "{%- if spro_render(page) -%}{%- include spro_template(page) -%}{%- endif -%}"

    def __init__(self, theme: jinja2.BaseLoader):
        self.theme = theme

    def get_source(self, environment, template):
        if template == "partials/nav.html":
            return self.WRAPPER, None, lambda: True
        if template == GENERATED_PAGE:
            return self.GENERATED, None, lambda: True
        if template == "spro/theme-nav.html":
            template = "partials/nav.html"
        return self.theme.get_source(environment, template)

    def list_templates(self):
        return self.theme.list_templates()


def _page_events_known(config) -> bool:
    """Whether every handler MkDocs runs as it renders a page is one this split knows: this plugin's (the child
    sends back what its own handlers collect) and Material's blog (whose ``on_page_context`` only acts on its own
    pages, of docs/, rendered by the parent). Another plugin or hook would see only some pages in each process, and
    what it collects in the child would be lost: the build then stays in one process."""
    return all(
        _ours_or_the_blog(getattr(handler, "__self__", None))
        for event in ("page_context", "post_page")
        for handler in config.plugins.events[event]
    )


def _keep_compiled_templates(env, folder: Path | None) -> None:
    """The theme's templates and the pages' (:data:`~build_tools.generate.render.ENVIRONMENT`) compiled once, kept
    beside the cached pages (``folder``, private, named by the code and the theme): compiling them again was a
    quarter of a second of each build. Jinja checks each one against its template's text."""
    compiled = None if folder is None else _CompiledTemplates(str(folder))
    env.bytecode_cache = compiled
    render.ENVIRONMENT.bytecode_cache = compiled


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """A compiled template that cannot be read (damaged, cut short) or kept is compiled again: the cache never fails
    a build."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # (a file cut short: its checksum does not unpickle)
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _no_folder_where_a_file_goes(files: Files, config) -> None:
    """A folder kept from an earlier site (:mod:`build_tools.site_output`, :meth:`SproPlugin._site_from_folders_kept`)
    holds no file, but may stand where this build writes one (a page, ``notes.txt/``, become a file of docs/,
    ``notes.txt``): MkDocs would copy the file into it. Such folders go before anything is written."""
    site = Path(config.site_dir)
    paths = [Path(file.abs_dest_path) for file in files]
    paths += [site / name for template in config.theme.static_templates for name in (template, f"{template}.gz")]
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)


def _folders_kept(folder: Path, older: Path | None) -> None:
    """``folder`` emptied of its files (:func:`~build_tools.site_output.only_folders`), else removed; ``older``
    (folders kept before, not used: a build stopped before it took them) removed."""
    if older is not None:
        shutil.rmtree(older, ignore_errors=True)
    try:
        only_folders(folder)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def _only_known_plugins(config) -> bool:
    """Whether every plugin is this one or Material's blog, and there is no hook: the cache reuses pages without
    rendering them, and lieu files' readings without reading them, which another plugin's or a hook's code (not in
    their keys) could have changed."""
    return all(_ours_or_the_blog(plugin) for plugin in config.plugins.values())


def _ours_or_the_blog(plugin) -> bool:
    return isinstance(plugin, SproPlugin) or type(plugin).__module__ == "material.plugins.blog.plugin"


def _navigation_key(page) -> str | None:
    """The folder of a page outside the navigation, else None: the navigation's links are relative, so the
    pages of one folder (lieux/*/) share the same navigation, and no other page does."""
    file = getattr(page, "file", None)
    if file is None or file.inclusion is not InclusionLevel.NOT_IN_NAV or getattr(page, "parent", None) is not None:
        return None
    return page.url.rstrip("/").rpartition("/")[0] or "."

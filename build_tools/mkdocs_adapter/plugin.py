"""MkDocs plugin: validate ``data/``, then add the generated pages and files to the build.

Kept thin on purpose (Material for MkDocs reaches end of life in May 2027): everything it adds
comes from :func:`build_tools.generate.generate_site`, which knows nothing of MkDocs.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from html import unescape
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .. import search_bundles
from ..active_content import active_content
from ..csp import with_policy
from ..diagnostics import Diagnostic
from ..docs_contract import NEWS_DIR, check_docs, html_problems, line_of
from ..generate import SiteOptions, generate_site, generated_paths
from ..generate.feed import FeedEntry, atom, plain_text
from ..generate.tiles import Tiles
from ..loader import DataLoader, slug
from ..positions import locate

log = logging.getLogger("mkdocs.plugins.spro")


class SproConfig(Config):
    data_dir = c.Type(str, default="data")
    """Data directory, relative to mkdocs.yml."""
    news_dir = c.Type(str, default=NEWS_DIR)
    """Folder of Material's blog (``blog_dir``): its posts make the Atom feed ``<news_dir>/feed.xml``."""
    search_bundle_pages = c.Type(int, default=search_bundles.PAGES_PER_BUNDLE)
    """Most lieu pages per site-search bundle (bounds Pagefind's memory: about 110 KB a page)."""


def post_slug(text: str, separator: str = "-") -> str:
    """Blog post URLs without accents or doubled hyphens (mkdocs.yml: ``post_slugify``)."""
    return slug(text).replace("-", separator)


def build_date() -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            day = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            day = None
        if day is None or not 2000 <= day.year <= 2100:
            raise PluginError(f"SOURCE_DATE_EPOCH : « {epoch[:40]} » : nombre de secondes depuis le 1er janvier 1970 "
                              "attendu, pour une date entre 2000 et 2100 (ex. 1795219200 pour le 20 novembre 2026)")
        return day
    return dt.date.today()


class InvalidSources(PluginError):
    """The data or docs/ break their contract: the build stops, and the diagnostics say where.

    MkDocs logs a plugin's error and raises its own ``Abort``: the plugin keeps the error
    (``on_build_error``) so that :func:`build_tools.mkdocs_adapter.build.build_site` raises it instead.
    """

    HEADLINE = "Données invalides, le site n'est pas construit :"

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics), key=lambda d: (d.file, d.line, d.column, d.field, d.message))
        super().__init__(self.HEADLINE + "\n" + "\n".join(d.as_text() for d in self.diagnostics))


# Contains "<h1" so that Material does not add a title of its own (the body has its <h1>).
BODY_PLACEHOLDER = "<!-- spro: <h1> corps de la page -->"


class SproPlugin(BasePlugin[SproConfig]):
    def on_config(self, config):
        repo_root = Path(config.config_file_path).resolve().parent
        data_root = repo_root / self.config.data_dir
        loader = DataLoader(data_root, display_root=repo_root)
        dataset = loader.load()
        report = loader.report
        generated = generated_paths(dataset) if dataset is not None else None
        report.extend(check_docs(Path(config.docs_dir), repo_root, loader.today, generated, self.config.news_dir).diagnostics)
        if report.errors or dataset is None:
            raise InvalidSources(report.errors)
        for note in report.warnings + report.notices:  # never fail a --strict build
            log.info(note.as_text())
        geography = locate(dataset, loader.geocache)
        if geography.missing:
            log.info("%d adresse(s) sans géocodage en cache : lancez « spro geocode ».", len(geography.missing))
        site = dataset.site
        self.search_bundles = search_bundles.plan(dataset.lieux, self.config.search_bundle_pages)
        options = SiteOptions(
            build_date=build_date(), tiles=Tiles.of(site), site_url=config.site_url or None,
            search_bundles=tuple(bundle.directory for bundle in self.search_bundles),
        )
        self.generated = generate_site(dataset, geography, options)
        self.pages = {f.path: f for f in self.generated if f.is_page}
        self.tiles_origin = options.tiles.origin
        config.extra["spro_demonstration"] = site.demonstration
        config.extra["spro_feed"] = f"{self.config.news_dir}/feed.xml"
        self.news: list[FeedEntry] = []
        self.build_date = options.build_date
        return config

    def on_build_error(self, error) -> None:
        self.invalid_sources = error if isinstance(error, InvalidSources) else None

    def on_post_build(self, config) -> None:
        """Index the built pages with Pagefind (one run per bundle), then give every HTML file its security policy."""
        site_dir = Path(config.site_dir)
        top_level = [entry.name for entry in site_dir.iterdir()]
        for bundle in self.search_bundles:
            glob = bundle.glob or search_bundles.main_glob(self.search_bundles, top_level)
            command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", bundle.directory, "--silent"]
            result = subprocess.run(command + (["--glob", glob] if glob else []), capture_output=True, text=True)
            if result.returncode != 0:
                raise PluginError(f"L'indexation Pagefind a échoué : {result.stderr.strip() or result.stdout.strip()}")
        if config.site_url:
            feed_url = urljoin(config.site_url, config.extra["spro_feed"])
            feed = atom(f"Actualités – {config.site_name}", config.site_url, feed_url, self.news, self.build_date)
            (site_dir / config.extra["spro_feed"]).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / config.extra["spro_feed"]).write_text(feed, encoding="utf-8")
        for path in sorted(Path(config.site_dir).rglob("*.html")):
            page = path.read_text(encoding="utf-8")
            unexpected = active_content(page)
            if unexpected:  # its presence means something got past validation
                raise PluginError(f"{path.relative_to(site_dir)} contient un contenu actif inattendu "
                                  f"({unexpected[0]}) : construction arrêtée")
            path.write_text(with_policy(page, self.tiles_origin), encoding="utf-8")

    # Generated pages are HTML already. MkDocs converts every page before writing any, so it gets
    # a placeholder (no Markdown pass: half the build time) and the body is rendered just before the
    # page is written (one body in memory at a time: gigabytes at 30,000 lieux).

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.src_uri in self.pages:
            return ""
        # Material prints these raw (in <title>, in <meta content="...">) and escapes them elsewhere (« | e »):
        # validation refuses < and >, so only the quote that would end an attribute is escaped here.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html.unescape(page.meta[key]).replace('"', "&quot;")
        return markdown

    def on_page_content(self, html, page, config, files):
        if page.file.src_uri not in self.pages:
            # validation checked the Markdown already; this checks what MkDocs really rendered
            problems = html_problems(html)
            if "<" in unescape(page.title or "") or ">" in unescape(page.title or ""):  # Material's <title> decodes it
                problems.append(("# ", "titre de la page : du texte est attendu, sans < ni >"))
            if problems:
                shown = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
                lines = page.file.content_string.split("\n")
                raise InvalidSources([Diagnostic(shown, line_of(needle, lines, 1), 0, "", message)
                                      for needle, message in problems])
        created = getattr(getattr(getattr(page, "config", None), "date", None), "created", None)  # a blog post
        if created is not None and page.file.src_uri.startswith(f"{self.config.news_dir}/"):
            excerpt = html.split("<!-- more -->", 1)[0]
            excerpt = re.sub(r"<h1\b.*?</h1>", "", excerpt, count=1, flags=re.S)
            self.news.append(FeedEntry(unescape(page.title), urljoin(config.site_url or "", page.url), created, plain_text(excerpt)))
        if page.file.src_uri in self.pages:
            return BODY_PLACEHOLDER
        # the « ¶ » of heading anchors is not part of a title in the site search's results
        return html.replace('class="headerlink"', 'class="headerlink" data-pagefind-ignore')

    def on_post_page(self, output, page, config):
        generated = self.pages.get(page.file.src_uri)
        return output if generated is None else output.replace(BODY_PLACEHOLDER, generated.render_body(), 1)

    def on_files(self, files: Files, config) -> Files:
        for generated in self.generated:
            inclusion = InclusionLevel.INCLUDED if generated.in_nav or not generated.is_page else InclusionLevel.NOT_IN_NAV
            existing = files.get_file_from_path(generated.path)
            if existing is not None:
                raise PluginError(f"{generated.path} est généré par l'annuaire : retirez ce fichier de docs/")
            content = generated.front_matter if generated.is_page else generated.content
            files.append(File.generated(config, generated.path, content=content, inclusion=inclusion))
        # Written in on_post_build, once the posts are rendered; declared now so that links to it resolve.
        files.append(File.generated(config, config.extra["spro_feed"], content=""))
        return files

"""``spro build --rendu zensical``: the same site rendered by Zensical, Material's successor.

Zensical reads ``mkdocs.yml`` but runs no third-party plugin, so the pipeline's work is done around it:
:func:`build_tools.pipeline.prepare` generates the pages, which are written as files beside a copy of
``docs/`` (generated pages are HTML inside Markdown, as the MkDocs plugin hands them over), Zensical
renders that folder with a copy of the configuration (no plugins), and :func:`build_tools.pipeline.finish`
indexes, writes the feed and secures the pages. The site is swapped in atomically like MkDocs' one.

What Zensical (0.0.60, the last release installable from the package index here; 0.1.x needs
``zensical-ui``, which it does not have) does not do, listed in DEVELOPERS.md: Material's blog plugin
(posts are plain pages under ``actualites/posts/``, no archive or category pages); ``navigation.prune``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from . import pipeline
from .docs_contract import FEED_NAME, NEWS_DIR, PRINTED_RAW, split_front_matter, theme_safe
from .generate.feed import FeedEntry, plain_text
from .generate.output import page_url
from .safe_files import read_regular
from .site_output import atomic_site


class _Loader(yaml.SafeLoader):
    """mkdocs.yml as data: its ``!!python/name:`` tags (functions for MkDocs' plugins) are read as plain text."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: f"!!python/{suffix}")


def read_config(config_file: Path) -> dict:
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}


def _spro_options(config: dict) -> dict:
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "spro" in plugin:
            return plugin["spro"] or {}
    return {}


def build_site(config_file: Path, site_dir: Path, openable_from_disk: bool = False) -> None:
    config_file = Path(config_file)
    project = config_file.resolve().parent
    config = read_config(config_file)
    options = _spro_options(config)
    docs_dir = project / config.get("docs_dir", "docs")
    news_dir = options.get("news_dir", NEWS_DIR)

    def into(staging: Path) -> None:
        prepared = pipeline.prepare(
            project,
            project / options.get("data_dir", "data"),
            docs_dir,
            config.get("site_url"),
            news_dir,
        )
        for note in prepared.notes:  # (MkDocs' adapter logs them the same way)
            print(note.as_text(), file=sys.stderr)
        source = staging / ".sources"  # (inside the staging folder: removed with it, whatever happens)
        _write_sources(source, docs_dir, prepared)
        (source / "mkdocs.yml").write_text(
            yaml.safe_dump(_derived_config(config, project, prepared, news_dir), allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        result = subprocess.run(
            [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(source / "mkdocs.yml")],
            capture_output=True,
            text=True,
            cwd=source,
        )
        if result.returncode != 0:
            raise pipeline.BuildFailed(
                f"Zensical n'a pas construit le site : {(result.stderr or result.stdout).strip()[-2000:]}"
            )
        for entry in (source / "site").iterdir():
            os.rename(entry, staging / entry.name)
        shutil.rmtree(source)
        entries = news_entries(docs_dir, news_dir, config.get("site_url") or "")
        feed = (f"{news_dir}/{FEED_NAME}", config.get("site_name", ""), entries)
        pipeline.finish(staging, pipeline.Finishing.of(prepared, feed))

    atomic_site(Path(site_dir), project, into, openable_from_disk)


def _write_sources(source: Path, docs_dir: Path, prepared: pipeline.Prepared) -> None:
    """docs/ (its regular files, as validation read them) and every generated file, in one folder for Zensical."""
    docs = source / "docs"
    for path in sorted(docs_dir.rglob("*")):
        if path.is_file() and not path.is_symlink():
            target = docs / path.relative_to(docs_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = read_regular(docs_dir, path, 64 * 1024 * 1024)
            target.write_bytes(_theme_safe_page(data) if path.suffix == ".md" else data)
    for generated in prepared.generated:
        target = docs / generated.path
        if generated.is_page:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(generated.front_matter + generated.render_body(), encoding="utf-8")
        else:
            generated.write(target)


def _theme_safe_page(data: bytes) -> bytes:
    """A page of docs/ whose title and description the theme prints raw are made safe there, as the MkDocs
    adapter does (:func:`build_tools.docs_contract.theme_safe`)."""
    text = data.decode("utf-8-sig")
    front, body, _ = split_front_matter(text)
    meta = yaml.safe_load(front) if front else None
    if not isinstance(meta, dict) or not any(isinstance(meta.get(key), str) for key in PRINTED_RAW):
        return data
    for key in PRINTED_RAW:
        if isinstance(meta.get(key), str):
            meta[key] = theme_safe(meta[key])
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return ("---\n" + front + "---\n" + body).encode("utf-8")


def _derived_config(config: dict, project: Path, prepared: pipeline.Prepared, news_dir: str) -> dict:
    derived = {
        key: value for key, value in config.items() if key not in ("plugins", "watch", "hooks", "docs_dir", "site_dir")
    }
    derived["docs_dir"], derived["site_dir"] = "docs", "site"
    # Zensical runs its own search unless told not to: an index of every page's text (12 MB at 3,000 lieux)
    # that no page uses, the site's search being Pagefind's
    derived["plugins"] = [{"search": {"enabled": False}}]
    # MkDocs always adds these (docs_contract.MARKDOWN_EXTENSIONS); Zensical renders what is listed
    extensions = list(derived.get("markdown_extensions") or [])
    named = {next(iter(e)) if isinstance(e, dict) else e for e in extensions}
    derived["markdown_extensions"] = [name for name in ("tables", "fenced_code") if name not in named] + extensions
    theme = {"variant": "classic", **dict(derived.get("theme") or {})}  # Material's look, not Zensical's « modern »
    if theme.get("custom_dir"):
        theme["custom_dir"] = str(project / theme["custom_dir"])
    derived["theme"] = theme
    derived["extra"] = {
        **(derived.get("extra") or {}),
        "spro_demonstration": prepared.dataset.site.demonstration,
        "spro_feed": f"{news_dir}/{FEED_NAME}",
    }
    return derived


def news_entries(docs_dir: Path, news_dir: str, site_url: str) -> list[FeedEntry]:
    """The feed's entries read from the posts themselves (Zensical has no blog: a post is the page of its file)."""
    import markdown

    entries = []
    for path in sorted((docs_dir / news_dir / "posts").glob("*.md")):
        front, body, _ = split_front_matter(path.read_text(encoding="utf-8-sig"))
        meta = yaml.safe_load(front or "") or {}
        created = meta.get("date")
        created = created.get("created") if isinstance(created, dict) else created
        if not isinstance(created, dt.date) or meta.get("draft") or created > dt.date.today():
            continue
        rendered = markdown.markdown(body.split("<!-- more -->", 1)[0], extensions=["attr_list", "md_in_html"])
        title = meta.get("title") or next(
            (line[2:].strip() for line in body.splitlines() if line.startswith("# ")), path.stem
        )
        url = site_url.rstrip("/") + "/" + page_url(path.relative_to(docs_dir).as_posix())
        moment = created if isinstance(created, dt.datetime) else dt.datetime.combine(created, dt.time())
        entries.append(FeedEntry(title, url, moment, plain_text(rendered.replace(f"<h1>{title}</h1>", "", 1))))
    return entries

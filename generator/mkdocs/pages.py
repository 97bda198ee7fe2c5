"""Item and department pages rendered outside MkDocs' page loop, remembered, and in parallel.

MkDocs reads, converts and renders every page on every build, one after
another.  The plugin takes the generated item and department pages out of
that loop (their files are marked excluded, so MkDocs neither converts nor
renders them) and renders them here with MkDocs' own steps and the theme's own
templates: :func:`render_page` is MkDocs' ``_populate_page`` and
``_build_page`` in one, plugin events included.  The page a reader gets is the
page MkDocs would have written, byte for byte (``tests/test_own_pages.py``
builds the demo both ways and compares every file).

A page's HTML is remembered under a digest of what it is made from: its
generated source, its set-aside HTML, its dates, and the frame around it
(:func:`frame_key`: settings, theme files, navigation, the theme data and the
versions of the libraries that render it).  An unchanged page is copied from
the cache; the others are rendered in forked workers, which inherit MkDocs'
state (configuration, navigation, Jinja environment) from this process.

The pages' Markdown has no Markdown links (their links are HTML, which
MkDocs leaves alone), so a page does not depend on which other pages exist.

What this relies on beyond the plugin API (README, "MkDocs 之外渲染的页面"):
the order of steps in ``mkdocs.commands.build`` 1.6 and, for the department
pages' search entries, the ``search_index.entries`` list of Material's search
plugin (without it, department pages stay in MkDocs' loop).
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs import utils
from mkdocs.commands.build import get_context
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from ..contract.yaml12 import Json
from ..speed.cache import Cache, key_of
from ..speed.parallel import Parallel, fork_map

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig

LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "markupsafe")
"""The libraries whose version changes what a page looks like."""
PARALLEL = Parallel(threshold=200)
"""Rendering one page takes a few milliseconds: below 200 pages, forking costs more than it saves."""
CACHE = "html"
"""The cache folder of finished pages (beside ``pages/`` and ``charts/``)."""


def own(path: str, departments: bool) -> bool:
    """Whether a generated page is rendered here: item pages, and department pages (not their index) when their
    search entries can be taken from the search plugin."""
    return path.startswith("items/") or (
        departments and path.startswith("departments/") and path != "departments/index.md"
    )


def search_entries(config: MkDocsConfig) -> list[Json] | None:
    """The search plugin's list of entries (Material's), or None when there is no such list; an absent search
    plugin gives an empty list (nothing to take)."""
    plugin = config.plugins.get("search") or config.plugins.get("material/search")
    if plugin is None:
        return []
    entries = getattr(getattr(plugin, "search_index", None), "entries", None)
    return entries if isinstance(entries, list) else None


def frame_key(config: MkDocsConfig, nav: Navigation, env: Environment) -> str:
    """A digest of everything around a page that its HTML depends on, other than the page itself."""
    settings = {k: v for k, v in config.items() if k not in ("site_dir", "plugins") and _plain(v)}
    theme_files = [_folder_digest(Path(d)) for d in config.theme.dirs if not _installed(Path(d))]
    return key_of(
        "frame",
        {name: metadata.version(name) for name in LIBRARIES},
        Path(config.config_file_path).read_bytes() if config.config_file_path else b"",
        json.dumps(settings, ensure_ascii=False, sort_keys=True, default=str),
        json.dumps(dict(config.theme), ensure_ascii=False, sort_keys=True, default=str),
        theme_files,
        list(_outline(nav.items)),
        json.dumps(env.globals.get("banshi"), ensure_ascii=False, sort_keys=True, default=str),
    )


def _plain(value: object) -> bool:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _installed(folder: Path) -> bool:
    """A theme folder of an installed package (its version stands for its files)."""
    return "site-packages" in folder.parts or "dist-packages" in folder.parts


def _folder_digest(folder: Path) -> str:
    return key_of(
        *((p.relative_to(folder).as_posix(), p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file())
    )


def _outline(items: Iterable[Any]) -> Iterator[tuple[str, str, str]]:
    """The navigation as (kind, title, address), depth first: what every page's navigation shows."""
    for item in items:
        if isinstance(item, Section):
            yield ("section", str(item.title), "")
            yield from _outline(item.children)
            yield ("end", "", "")
        elif isinstance(item, (Page, Link)):
            yield (type(item).__name__, str(item.title), str(item.url))


@dataclass
class Frame:
    """What MkDocs holds while it renders pages, handed to the workers (by fork, not by pickling)."""

    config: MkDocsConfig
    nav: Navigation
    env: Environment
    files: Files
    doc_files: list[File]
    """Every page of the site as MkDocs would list them for templates (``pages``), these pages included."""
    cache: Cache
    departments: bool
    """Whether department pages' search entries are taken (see :func:`search_entries`)."""
    parent: int = field(default_factory=os.getpid)
    """The process that made the frame: a forked worker (another process) hands its warnings back instead."""


@dataclass
class Outcome:
    """What rendering some pages gave: search entries of department pages, and MkDocs' warnings."""

    entries: dict[str, list[Json]] = field(default_factory=dict)
    problems: list[tuple[str, int, str]] = field(default_factory=list)
    """(logger, level, message) of what MkDocs logged at warning level or above."""


def render_page(frame: Frame, file: File) -> str:
    """One page as MkDocs renders it: ``_populate_page`` then ``_build_page`` of ``mkdocs.commands.build``."""
    config, files = frame.config, frame.files
    page = file.page
    assert page is not None, "made in on_nav"
    inclusion = file.inclusion
    if inclusion is InclusionLevel.EXCLUDED:  # a page of this module's (not MkDocs' loop)
        file.inclusion = InclusionLevel.NOT_IN_NAV  # what MkDocs would see
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.render(config, files)
        assert page.content is not None
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
        page.active = True
        context = get_context(frame.nav, frame.doc_files, config, page)
        template = frame.env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=frame.nav)
        output: str = template.render(context)
        return config.plugins.on_post_page(output, page=page, config=config)
    finally:
        page.active = False
        config._current_page = None
        file.inclusion = inclusion
        if inclusion is InclusionLevel.EXCLUDED:  # a worker renders thousands: keep none (MkDocs keeps its own)
            page.markdown = page.content = None
            page.toc = []  # type: ignore[assignment]


def _searched(frame: Frame, file: File) -> bool:
    """Whether a page's search entries are the theme's (kept with the page), not the generator's own."""
    return frame.departments and file.src_uri.startswith("departments/")


def _rendered(frame: Frame, file: File) -> tuple[bytes, list[Json]]:
    """A page rendered, encoded as MkDocs writes it, and the search entries the theme's search plugin took of it
    (taken back out of its list: they are put back in page order after the build, see :func:`ordered_docs`)."""
    entries = search_entries(frame.config)
    before = len(entries) if entries is not None else 0
    html = render_page(frame, file)
    mine = entries[before:] if entries is not None else []
    if entries is not None:
        del entries[before:]
    return html.encode("utf-8", errors="xmlcharrefreplace"), mine


def render_again(frame: Frame, file: File) -> list[Json]:
    """A page of MkDocs' own loop rendered again and written as MkDocs writes it (a quick rebuild under
    ``mkdocs serve``, :mod:`generator.mkdocs.quick`); its search entries."""
    data, entries = _rendered(frame, file)
    if data.strip():
        utils.write_file(data, file.abs_dest_path)
    return entries


def _render_some(frame: Frame, work: Sequence[tuple[File, str]]) -> Outcome:
    """Render, write and remember some pages (in a worker, or here); their department search entries."""
    outcome = Outcome()
    with _problems_kept(outcome.problems, forked=os.getpid() != frame.parent):
        for file, key in work:
            data, mine = _rendered(frame, file)
            utils.write_file(data, file.abs_dest_path)
            frame.cache.put_file(key, ".html", data)
            if _searched(frame, file):
                frame.cache.put(key, mine)
                outcome.entries[file.src_uri] = mine
    return outcome


class _Kept(logging.Handler):
    def __init__(self, kept: list[tuple[str, int, str]]) -> None:
        super().__init__(logging.WARNING)
        self.kept = kept

    def emit(self, record: logging.LogRecord) -> None:
        self.kept.append((record.name, record.levelno, record.getMessage()))


class _problems_kept:
    """In a worker, MkDocs' warnings are kept for the parent to log (so that ``--strict`` counts them there)."""

    def __init__(self, kept: list[tuple[str, int, str]], forked: bool) -> None:
        self.kept, self.forked = kept, forked
        self.logger = logging.getLogger("mkdocs")
        self.saved: tuple[list[logging.Handler], bool] = ([], True)

    def __enter__(self) -> None:
        if self.forked:
            self.saved = (self.logger.handlers[:], self.logger.propagate)
            self.logger.handlers = [_Kept(self.kept)]
            self.logger.propagate = False

    def __exit__(self, *_: object) -> None:
        if self.forked:
            self.logger.handlers, self.logger.propagate = self.saved


@dataclass
class Written:
    """How many pages came from the cache and how many were rendered, and their department search entries."""

    cached: int = 0
    rendered: int = 0
    entries: dict[str, list[Json]] = field(default_factory=dict)


def listed(files: Files, own: Sequence[File]) -> list[File]:
    """Every page of the site in MkDocs' order, as MkDocs lists them for templates, these pages included."""
    mine = set(own)
    return [
        f for f in files if f.is_documentation_page() and (f.inclusion.value > InclusionLevel.DRAFT.value or f in mine)
    ]


def _copy_remembered(frame: Frame, pages: Sequence[tuple[File, str]], written: Written) -> list[tuple[File, str]]:
    """Copy the remembered pages into the site (counted in ``written``); the others."""
    todo: list[tuple[File, str]] = []
    for file, key in pages:
        html = frame.cache.file(key, ".html")
        entries = frame.cache.get(key) if _searched(frame, file) else []
        if html is None or not isinstance(entries, list) or not _copied(html, Path(file.abs_dest_path)):
            todo.append((file, key))
            continue
        if entries:
            written.entries[file.src_uri] = entries
        written.cached += 1
    return todo


def _copied(source: Path, target: Path) -> bool:
    """Copy a remembered page (the kernel copies it: it is never decoded here); False when it is not there."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except OSError:
        return False
    return True


def write_pages(frame: Frame, pages: Sequence[tuple[File, str]], parallel: Parallel | None = None) -> Written:
    """Write each (file, key) page: from the cache when remembered, else rendered (in workers when many)."""
    written = Written()
    todo = _copy_remembered(frame, pages, written)
    for outcome in fork_map(_render_some, frame, todo, parallel or PARALLEL):
        written.entries.update(outcome.entries)
        for name, level, message in outcome.problems:  # only workers keep them
            logging.getLogger(name).log(level, message)
    written.rendered = len(todo)
    return written


def page_key(frame_digest: str, path: str, parts: Iterable[str | Mapping[str, str]], dates: tuple[str, str]) -> str:
    """The key of a finished page: its frame, address, generated source and set-aside HTML, and dates."""
    texts: list[bytes] = []
    for part in parts:
        values = [part] if isinstance(part, str) else [f"{k}\0{v}" for k, v in part.items()]
        texts.extend(v.encode("utf-8", "surrogatepass") for v in values)
    return key_of("page", frame_digest, path, *texts, dates)


def ordered_docs(docs: list[Json], entries: Mapping[str, list[Json]], order: Mapping[str, int]) -> list[Json]:
    """The theme's search documents with the department pages' ones put back, in page order (as MkDocs, which
    indexes pages one after another in their order, would have them)."""
    every = [*docs, *(doc for found in entries.values() for doc in found)]

    def position(doc: Json) -> int:
        location = str(doc.get("location", "")) if isinstance(doc, dict) else ""
        return order.get(location.split("#", 1)[0], len(order))

    return sorted(every, key=position)


def regzip_sitemap(site_dir: Path, pages: Iterable[Page]) -> None:
    """sitemap.xml.gz again, stamped with the latest date of every page (MkDocs stamps it with the pages it built)."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    target = f"{sitemap}.gz"
    with (
        open(target, "wb") as out,
        gzip.GzipFile(
            fileobj=out, filename=target, mode="wb", mtime=utils.get_build_timestamp(pages=list(pages))
        ) as zipped,
    ):
        zipped.write(sitemap.read_bytes())

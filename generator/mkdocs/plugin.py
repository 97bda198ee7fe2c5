"""The MkDocs plugin: hooks only.  The work is :func:`generator.load.load` and
:func:`generator.speed.generate.generate`, which the CLI and the tests call too.

``python -m generator build`` validates and generates first and hands the
result and its progress display to the plugin instance
(:attr:`ProceduresPlugin.prepared`, :attr:`ProceduresPlugin.progress`), so
nothing is done twice and no state passes through module globals.
"""

from __future__ import annotations

import gc
import html
import json
import logging
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..prepare import Prepared, Sources, Warm, prepare
from ..render.pages import compile_templates
from ..render.search import merge
from ..render.site import GeneratedSite, Options
from ..speed.cache import Cache
from ..speed.progress import Progress
from ..speed.split import split_once
from ..workflow.history import file_dates
from . import pages as own_pages
from . import quick

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation

log = get_plugin_logger(__name__)

THEME_LINKS = {
    "home": "index.md",
    "guide": "guide/index.md",
    "topics": "guide/by-topic.md",
    "bundles": "bundles/index.md",
    "complaint": "complaint.md",
    "stats": "stats.md",
    "editors": "editors.md",
}
"""Pages the theme templates (footer, 404, home) link to, by name."""

TAB_OF = {"items/": "guide/index.md", "bundles/": "guide/index.md", "departments/": "departments/index.md"}
"""The navigation page whose tab is current on generated pages outside the navigation."""

NAME = "banshi"
"""The plugin's name in mkdocs.yml."""
MKDOCS_RENDER = "MkDocs 渲染"
OWN_RENDER = "事项和部门页面"


class ProceduresConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of the ``banshi`` plugin in mkdocs.yml."""

    procedures = c.Type(str, default="procedures")
    """The folder of procedure YAML files, relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".cache")
    """Where checked files, rendered charts and pages are remembered, relative to mkdocs.yml (safe to delete)."""
    records = c.Type(str, default="")
    """The service system's case records (效能公开), relative to mkdocs.yml; empty: ``records/`` in procedures."""
    own_pages = c.Type(bool, default=True)
    """Render item and department pages outside MkDocs' page loop, remembered and in parallel
    (:mod:`generator.mkdocs.pages`); false leaves them to MkDocs (the same pages, slower)."""


def sources_of(config: MkDocsConfig, plugin: ProceduresConfig) -> Sources:
    """The plugin's options and MkDocs' own, resolved once into paths and flags."""
    root = Path(config.config_file_path).resolve().parent
    options = Options(directory_urls=bool(config.use_directory_urls), site_url=config.site_url or "")
    procedures = root / plugin.procedures
    records = root / plugin.records if plugin.records else procedures / "records"
    return Sources(root, procedures, root / plugin.cache_dir, options, records)


class ProceduresPlugin(BasePlugin[ProceduresConfig]):  # type: ignore[no-untyped-call]
    prepared: GeneratedSite | None = None
    """The site that ``generator build`` already validated and generated, if any."""
    progress: Progress | None = None
    """Where stages are reported; silent unless ``generator build`` provides one."""
    site: GeneratedSite | None = None
    content_dates: dict[str, tuple[str, str]] = {}  # noqa: RUF012 (set per build in on_files)
    """Hand-written pages' (first, last) commit dates."""
    _active: Page | None = None
    """The navigation page marked current for the page being rendered (see :meth:`on_page_context`)."""
    _own: list[File] = []  # noqa: RUF012 (set per build in on_files)
    """The pages rendered outside MkDocs' loop (see :mod:`generator.mkdocs.pages`)."""
    _nav: Navigation | None = None
    _pages: list[File] = []  # noqa: RUF012 (set per build in on_env)
    """Every page of the site in MkDocs' order, those rendered outside its loop included."""
    _entries: dict[str, list[Any]] = {}  # noqa: RUF012 (set per build in on_env)
    """Search entries of the department pages rendered outside MkDocs' loop, by page."""
    _frame: tuple[own_pages.Frame, str] | None = None
    """What the pages rendered outside MkDocs' loop were rendered in, and its digest (set per build in on_env)."""
    _theme: dict[str, Any] | None = None
    """The theme's search index with the department pages' entries, before the items' are merged (per build)."""
    _serving = False
    """Whether this is ``mkdocs serve``, which keeps this instance from one rebuild to the next."""
    _warm: Warm | None = None
    """Under ``mkdocs serve``: the files and items kept in memory between rebuilds."""
    _last: quick.Last | None = None
    """Under ``mkdocs serve``: what the last build left for a quick rebuild (:mod:`generator.mkdocs.quick`)."""
    _stamps: quick.Stamps = {}  # noqa: RUF012 (set per build in on_files)
    """Under ``mkdocs serve``: the watched files' stamps when the current full build began."""

    def __init__(self) -> None:
        super().__init__()
        self._quiet = _ExcludedLinks()
        logging.getLogger("mkdocs.structure.pages").addFilter(self._quiet)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """MkDocs keeps a plugin that has this event from one rebuild of ``mkdocs serve`` to the next."""
        self._serving, self._warm, self._last = command == "serve", None, None
        gc.unfreeze()  # what an earlier ``mkdocs serve`` in this process froze (see _remember)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        sources = sources_of(config, self.config)
        if self._serving:
            self._serve_from(config, sources)
        self.site = self.prepared or self._generate(sources)
        self._frame = self._last = None
        self.content_dates = file_dates(Path(config.docs_dir))
        departments = own_pages.search_entries(config) is not None
        self._own = self._add_files(files, config, self.site, departments)
        self._quiet.pages = frozenset(f.src_uri for f in self._own)
        if self.progress:
            self.progress.start(MKDOCS_RENDER, sum(1 for f in files if f.is_documentation_page()) - len(self._own))
        return files

    def _add_files(self, files: Files, config: MkDocsConfig, site: GeneratedSite, departments: bool) -> list[File]:
        """Add the generated files to MkDocs' list; those of the pages rendered outside its loop."""
        own = []
        for path, text in site.pages.items():
            if self.config.own_pages and own_pages.own(path, departments):
                own.append(File.generated(config, path, content=text, inclusion=InclusionLevel.EXCLUDED))
                files.append(own[-1])
            else:
                files.append(File.generated(config, path, content=text))
        for path, text in site.assets.items():
            files.append(File.generated(config, path, content=text))
        for path, source in {**site.stored, **site.copies}.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        return own

    def _serve_from(self, config: MkDocsConfig, sources: Sources) -> None:
        """Under ``mkdocs serve``, before a full build: the stamps of the files it reads, the files and items kept in
        memory (made for the first build of a project), and what the last build left may be collected now (see
        :meth:`_remember`)."""
        self._stamps = quick.stamps(quick.watched(config, sources))
        if self._warm is None or self._warm.workspace.root != sources.procedures:
            self._warm = Warm.of(sources)
        gc.unfreeze()

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """The pages rendered outside MkDocs' loop get their page objects here, as MkDocs gives its own pages."""
        self._nav = nav
        for file in self._own:
            self._stamp(Page(None, file, config))
        return nav

    def _generate(self, sources: Sources) -> GeneratedSite:
        """Prepare the site for ``mkdocs build`` and ``mkdocs serve``: the problems go to MkDocs' log (warnings
        as info: they are for editors, validate shows them, and --strict builds keep passing)."""
        prepared = self._told(prepare(sources, Progress.silent(), self._warm if self._serving else None))
        if prepared.failure is not None or prepared.site is None:
            raise PluginError(prepared.failure.message if prepared.failure else "网站未构建。")
        return prepared.site

    def _told(self, prepared: Prepared) -> Prepared:
        """What the checks said, in MkDocs' log."""
        stopping = set(prepared.failure.shown if prepared.failure else ())
        records = prepared.records.diagnostics if prepared.records else []
        for diagnostic in [*prepared.diagnostics, *records]:
            (log.error if diagnostic.severity == "error" and diagnostic in stopping else log.info)(diagnostic.text())
        return prepared

    @event_priority(-100)  # the pages rendered here need the environment as the other plugins leave it
    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """What the theme templates show from procedures/ (footer hotline, the home page's tiles), and the
        addresses of the pages they link to, for the pages that exist (a site may leave some out); then the
        item and department pages, outside MkDocs' loop."""
        env.globals["banshi"] = {**(self.site.theme if self.site else {}), "links": _theme_links(files)}
        self._entries = {}
        if self._own and self.site and self._nav is not None:
            self._pages = own_pages.listed(files, self._own)
            self._write_own(env, config, files, self._nav, self.site)
        return env

    def _write_own(self, env: Any, config: MkDocsConfig, files: Files, nav: Navigation, site: GeneratedSite) -> None:
        """Write the pages rendered outside MkDocs' loop: remembered ones from the cache, the others rendered."""
        departments = any(f.src_uri.startswith("departments/") for f in self._own)
        cache = Cache(sources_of(config, self.config).cache / own_pages.CACHE)
        frame = own_pages.Frame(config, nav, env, files, self._pages, cache, departments)
        digest = own_pages.frame_key(config, nav, env)
        self._frame = (frame, digest)
        work = [(f, self._key(digest, f.src_uri, site)) for f in self._own]
        progress, self.progress = self.progress, None  # a forked worker draws nothing
        if progress:
            progress.start(OWN_RENDER, len(work))
        try:
            written = own_pages.write_pages(frame, work)
        finally:
            self.progress = progress
        self._entries = written.entries
        if progress:
            _report(progress, written)

    def _key(self, digest: str, path: str, site: GeneratedSite) -> str:
        parked = site.parked[path].name if path in site.parked else ""  # a digest of what it holds (speed.store)
        parts: list[str | dict[str, str]] = [site.pages[path], parked, site.indexed.get(path, {})]
        parts += [site.unindexed.get(path, {}), site.snippets]
        return own_pages.page_key(digest, path, parts, site.dates.get(path, ("", "")))

    def on_template_context(self, context: Any, /, *, template_name: str, config: MkDocsConfig) -> Any:
        """The sitemap lists the pages rendered outside MkDocs' loop too."""
        if template_name == "sitemap.xml" and self._own:
            context["pages"] = self._pages
        return context

    def _dates(self, page: Page) -> tuple[str, str]:
        """(发布日期, 更新日期) of a page from git: generated pages from their items, hand-written ones from their
        own history; ("", "") when there is no history (the page says so; never the build date)."""
        if self.site and page.file.src_uri in self.site.pages:
            return self.site.dates.get(page.file.src_uri, ("", ""))
        return self.content_dates.get(page.file.src_uri, ("", ""))

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        return self._stamp(page)

    def _stamp(self, page: Page) -> Page:
        """The sitemap's lastmod: when the page's content last changed in git, not when the site was built.
        Without any history MkDocs keeps its own (it needs one date to stamp sitemap.xml.gz with)."""
        if self.content_dates or (self.site and self.site.dates):
            page.update_date = self._dates(page)[1]  # "" leaves lastmod out
        return page

    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """The page's dates for the theme (partials/banshi-dates.html).  Item and department pages are not in the
        navigation (it would grow with every item); mark the tab they belong to as current while they are
        rendered (办事指南, 部门与岗位), as if they were."""
        published, updated = self._dates(page)
        context["banshi_dates"] = {"published": published, "updated": updated}
        home = next((src for prefix, src in TAB_OF.items() if page.file.src_uri.startswith(prefix)), None)
        if home and page.parent is None:
            owner = next((p for p in nav.pages if p.file.src_uri == home), None)
            if owner is not None and owner is not page:
                owner.active = True  # MkDocs passes it up to the owner's section
                self._active = owner
        return context

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put a page's indexed HTML back, before the search plugin reads the page."""
        return self.site.fill_indexed(page.file.src_uri, html) if self.site else html

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Put the rest of a page (charts, steps, contacts…) in, after Markdown and the search index have seen it."""
        if self._active is not None:
            self._active.active = False
            self._active = None
        if self.progress:
            self.progress.advance(MKDOCS_RENDER)
        output = self.site.fill_unindexed(page.file.src_uri, output) if self.site else output
        return with_phone_toc(output, page)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        if self._own:
            own_pages.regzip_sitemap(site_dir, [f.page for f in self._pages if f.page is not None])
        sources = sources_of(config, self.config)
        self._theme = self._theme_index(site_dir)
        written: set[str] = set()
        if self.site and self._theme is not None:
            written = self._search_index(site_dir, sources.cache / "search.json", self.site, self._theme)
        if self._serving and self._frame and self.site:
            self._remember(sources, self.site, *self._frame, written)
        if self.progress:
            self.progress.finish(MKDOCS_RENDER)

    def _remember(
        self, sources: Sources, site: GeneratedSite, frame: own_pages.Frame, digest: str, search: set[str]
    ) -> None:
        """Under ``mkdocs serve``, after a full build: what a quick rebuild starts from (the files' stamps as they
        were when the build began: a file saved during the build is rebuilt after it)."""
        self._last = quick.Last(sources, frame, digest, site, self._theme, self._stamps, search)
        compile_templates()  # for the first quick rebuild
        gc.freeze()  # kept until the next full build: the collector skips it (a pass took 0.3 s at 1,000 items)

    def _theme_index(self, site_dir: Path) -> dict[str, Any] | None:
        """The search index the theme wrote, with the department pages' entries put back; None without one."""
        written = site_dir / "search" / "search_index.json"
        if not written.is_file():
            return None
        theme: dict[str, Any] = json.loads(written.read_text(encoding="utf-8"))
        if self._entries:
            theme["docs"] = self._ordered(theme.get("docs") or [], self._entries)
        return theme

    def _ordered(self, docs: list[Any], entries: dict[str, list[Any]]) -> list[Any]:
        """The theme's search documents with the department pages' put back, in page order."""
        order = {f.page.url if f.page else f.url: n for n, f in enumerate(self._pages)}
        return own_pages.ordered_docs(docs, entries, order)

    @staticmethod
    def _search_index(site_dir: Path, cache: Path, site: GeneratedSite, theme: dict[str, Any]) -> set[str]:
        """The theme's index of the other pages with the items' own documents, split for phones when large; the
        files written."""
        merged = merge(theme, site.search, site.search_words)
        written = split_once(merged, cache)
        for path, data in written.items():
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / path).write_text(data, encoding="utf-8")
        return set(written)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Watch procedures/; after a change there, rebuild quickly when that can be done (else as MkDocs does)."""
        server.watch(str(sources_of(config, self.config).procedures))
        full = server.builder

        def rebuild(config: MkDocsConfig | None = None) -> None:
            try:
                done = config is None and self._rebuilt_quickly()
            except Exception as error:  # whatever stops it, the full rebuild does the work
                log.warning(f"快速重建未完成（{error}），完整重建。")
                log.debug("快速重建出错", exc_info=True)
                done = False
            if not done:
                full(config)

        server.builder = rebuild
        return server

    def _rebuilt_quickly(self) -> bool:
        """Redo the last build for what changed since under procedures/, writing only the files that changed;
        False when it cannot (MkDocs then rebuilds everything)."""
        last, self._last = self._last, None  # a quick rebuild that stops half way leaves it to the full one
        started = time.perf_counter()
        again = self._prepared_again(last) if last is not None else None
        if last is None or again is None:
            return False
        prepared, site, now, edited = again
        self.site = site
        pages = quick.changed_pages(last.site, site)
        entries = self._write_again(last, site, pages, quick.changed_assets(last.site, site, edited))
        if entries is None:
            return False
        theme = self._with_entries(last.theme, entries)
        site_dir = Path(last.frame.config.site_dir)
        written = self._search_index(site_dir, last.sources.cache / "search.json", site, theme) if theme else set()
        quick.remove(site_dir, last.search - written)  # the index was split before and is whole now, or the reverse
        self._told(prepared)
        self._last = quick.Last(last.sources, last.frame, last.digest, site, theme, now, written)
        log.info(f"快速重建：{len(pages)} 个页面，{time.perf_counter() - started:.2f} 秒")
        return True

    def _prepared_again(self, last: quick.Last) -> tuple[Prepared, GeneratedSite, quick.Stamps, set[Path]] | None:
        """The site prepared again from what is kept in memory, when only files under procedures/ changed since the
        last build and nothing around the pages did; with the files' stamps now and the files edited."""
        config = last.frame.config
        now = quick.stamps(quick.watched(config, last.sources))
        edited = quick.changed(last.stamps, now)
        if not edited or not quick.within(edited, last.sources) or not quick.plain(config) or self._warm is None:
            return None
        prepared = prepare(last.sources, Progress.silent(), self._warm)
        site = prepared.site
        if prepared.failure is not None or site is None or not quick.same_frame(last.site, site):
            return None  # the full rebuild says what is wrong
        if file_dates(Path(config.docs_dir)) != self.content_dates:
            return None
        return prepared, site, now, edited

    def _write_again(
        self, last: quick.Last, site: GeneratedSite, pages: list[str], assets: list[str]
    ) -> dict[str, list[Any]] | None:
        """Write the changed pages and files again; the changed pages' search entries by address (None when one is
        not a file of the last build, or a page of the navigation changed its title: every page shows it, so MkDocs
        rebuilds them all)."""
        files = last.frame.files
        found = [files.get_file_from_path(path) for path in pages]
        if not _copied_again(files, site, assets) or not all(f and f.page for f in found):
            return None
        return self._pages_again(last, site, list(filter(None, found)))

    def _with_entries(self, theme: dict[str, Any] | None, entries: dict[str, list[Any]]) -> dict[str, Any] | None:
        """The theme's search index with these pages' entries (by address) in place of their old ones."""
        if theme is None:
            return None
        docs = [d for d in theme.get("docs") or [] if str(d.get("location", "")).split("#", 1)[0] not in entries]
        return {**theme, "docs": self._ordered(docs, entries)}

    def _pages_again(self, last: quick.Last, site: GeneratedSite, found: list[File]) -> dict[str, list[Any]] | None:
        """Render these pages again with their new sources; their search entries by address (None when a page of
        the navigation changed its title)."""
        mine = {f.src_uri for f in self._own}
        entries: dict[str, list[Any]] = {}
        ours = []
        for file in found:
            file.content_string = site.pages[file.src_uri]
            if file.src_uri in mine:
                ours.append((file, self._key(last.digest, file.src_uri, site)))
            elif not _rendered_again(last.frame, file, entries):
                return None
        written = own_pages.write_pages(last.frame, ours)
        entries.update((f.url, written.entries[f.src_uri]) for f, _ in ours if f.src_uri in written.entries)
        return entries


class _ExcludedLinks(logging.Filter):
    """Leaves out MkDocs' note that a page links to a page "excluded from the built site" when that page is one
    rendered outside its loop: excluded from MkDocs' loop only, it is in the site (one note per link on every build,
    hundreds with a large catalog)."""

    NOTE = re.compile(r"contains a link to '(.+)' which is excluded from the built site\.$")

    def __init__(self) -> None:
        super().__init__()
        self.pages: frozenset[str] = frozenset()

    def filter(self, record: logging.LogRecord) -> bool:
        note = self.NOTE.search(record.getMessage()) if self.pages else None
        return note is None or note.group(1) not in self.pages


def _rendered_again(frame: own_pages.Frame, file: File, entries: dict[str, list[Any]]) -> bool:
    """Render a page of MkDocs' loop again (its search entries into ``entries``); False when its title changed (the
    navigation of every page shows it)."""
    assert file.page is not None
    title = file.page.title
    entries[file.page.url] = own_pages.render_again(frame, file)
    return bool(file.page.title == title)


def _copied_again(files: Files, site: GeneratedSite, paths: list[str]) -> bool:
    """Write these generated files again (their text from ``site``, or copied from their source); False when one is
    not a file of the last build."""
    for path in paths:
        file = files.get_file_from_path(path)
        if file is None:
            return False
        if path in site.assets:
            file.content_string = site.assets[path]
        elif path in site.stored:
            file.abs_src_path = str(site.stored[path])
        file.copy_file()
    return True


def _theme_links(files: Files) -> dict[str, str]:
    links = {name: f.url for name, src in THEME_LINKS.items() if (f := files.get_file_from_path(src))}
    return {**links, "data": "data/procedures.json"}


def _report(progress: Progress, written: own_pages.Written) -> None:
    for name, count in (("pages_rendered", written.rendered), ("pages_copied", written.cached)):
        progress.counts[name] = progress.counts.get(name, 0) + count
    progress.advance(OWN_RENDER, written.rendered + written.cached)
    stage = progress.open.get(OWN_RENDER)
    if stage:
        stage.note = f"（{written.cached} 页未变，取自缓存；渲染 {written.rendered} 页）"
    progress.finish(OWN_RENDER)


PHONE_TOC_MINIMUM = 3
"""A page with this many sections or more gets a 本页目录 on screens without the theme's table-of-contents column."""


_H2 = re.compile(r"<h2\b([^>]*)>(.*?)</h2>", re.S)
_ID = re.compile(r'\sid="([^"]*)"')
_PERMALINK = re.compile(r"<a\b[^>]*\bclass=\"[^\"]*\bheaderlink\b[^>]*>.*?</a>", re.S)
_TAG = re.compile(r"<[^>]*>")


def _sections(article: str) -> list[tuple[str, str]]:
    """The ``<h2 id>`` headings of a page's article and their text (without the theme's ¶ permalink).  The
    headings are Python-Markdown's, so a pattern reads them: an index page of 10,000 items is megabytes long."""
    found = []
    for heading in _H2.finditer(article):
        anchor = _ID.search(heading.group(1))
        if anchor and anchor.group(1):
            text = html.unescape(_TAG.sub("", _PERMALINK.sub("", heading.group(2))))
            found.append((html.unescape(anchor.group(1)), " ".join(text.split())))
    return found


def with_phone_toc(output: str, page: Page) -> str:
    """A 本页目录 under the page's title for phones (the theme shows its own only in the navigation drawer, and only
    for pages in the navigation); item and department pages bring their own (class ``bs-toc``), and the home page
    is a page of ways in, not of sections."""
    if page.is_homepage or 'class="bs-toc"' in output or "</h1>" not in output:
        return output
    before, after = output.split("</h1>", 1)
    sections = [(anchor, title) for anchor, title in _sections(after.split("</article>", 1)[0]) if title]
    if len(sections) < PHONE_TOC_MINIMUM:
        return output
    entries = "".join(f'<li><a href="#{escape(anchor)}">{escape(title)}</a></li>' for anchor, title in sections)
    toc = f'\n<details class="bs-toc">\n<summary>本页目录</summary>\n<ol>{entries}</ol>\n</details>\n'
    return before + "</h1>" + toc + after

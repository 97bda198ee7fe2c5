"""The MkDocs plugin: hooks only.  The work is :func:`generator.load.load` and
:func:`generator.speed.generate.generate`, which the CLI and the tests call too.

``python -m generator build`` validates and generates first and hands the
result and its progress display to the plugin instance
(:attr:`ProceduresPlugin.prepared`, :attr:`ProceduresPlugin.progress`), so
nothing is done twice and no state passes through module globals.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..prepare import Sources, prepare
from ..render.search import merge
from ..render.site import GeneratedSite, Options
from ..speed.cache import Cache
from ..speed.progress import Progress
from ..speed.split import split_once
from ..workflow.history import file_dates
from . import pages as own_pages

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

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.site = self.prepared or self._generate(sources_of(config, self.config))
        self.content_dates = file_dates(Path(config.docs_dir))
        departments = own_pages.search_entries(config) is not None
        self._own = []
        for path, text in self.site.pages.items():
            if self.config.own_pages and own_pages.own(path, departments):
                self._own.append(File.generated(config, path, content=text, inclusion=InclusionLevel.EXCLUDED))
                files.append(self._own[-1])
            else:
                files.append(File.generated(config, path, content=text))
        for path, text in self.site.assets.items():
            files.append(File.generated(config, path, content=text))
        for path, source in self.site.copies.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        if self.progress:
            self.progress.start(MKDOCS_RENDER, sum(1 for f in files if f.is_documentation_page()) - len(self._own))
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """The pages rendered outside MkDocs' loop get their page objects here, as MkDocs gives its own pages."""
        self._nav = nav
        for file in self._own:
            self._stamp(Page(None, file, config))
        return nav

    def _generate(self, sources: Sources) -> GeneratedSite:
        """Prepare the site for ``mkdocs build`` and ``mkdocs serve``: the problems go to MkDocs' log (warnings
        as info: they are for editors, validate shows them, and --strict builds keep passing)."""
        prepared = prepare(sources, Progress.silent())
        stopping = set(prepared.failure.shown if prepared.failure else ())
        records = prepared.records.diagnostics if prepared.records else []
        for diagnostic in [*prepared.diagnostics, *records]:
            (log.error if diagnostic.severity == "error" and diagnostic in stopping else log.info)(diagnostic.text())
        if prepared.failure is not None or prepared.site is None:
            raise PluginError(prepared.failure.message if prepared.failure else "网站未构建。")
        return prepared.site

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
        parts: list[str | dict[str, str]] = [site.pages[path], site.indexed.get(path, {}), site.unindexed.get(path, {})]
        parts.append(site.snippets)
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
        if self.site and (site_dir / "search" / "search_index.json").is_file():
            self._search_index(site_dir, sources_of(config, self.config).cache / "search.json", self.site)
        if self.progress:
            self.progress.finish(MKDOCS_RENDER)

    def _search_index(self, site_dir: Path, cache: Path, site: GeneratedSite) -> None:
        """The theme's index of the other pages (the department pages' entries put back) with the items' own
        documents, split for phones when large."""
        theme = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
        if self._entries:
            order = {f.page.url if f.page else f.url: n for n, f in enumerate(self._pages)}
            theme["docs"] = own_pages.ordered_docs(theme.get("docs") or [], self._entries, order)
        merged = merge(theme, site.search, site.search_words)
        for path, data in split_once(merged, cache).items():
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / path).write_text(data, encoding="utf-8")

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(sources_of(config, self.config).procedures))
        return server


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

"""The MkDocs plugin: hooks only.  The work is :func:`generator.load.load` and
:func:`generator.speed.generate.generate`, which the CLI and the tests call too.

``python -m generator build`` validates and generates first and hands the
result and its progress display to the plugin instance
(:attr:`ProceduresPlugin.prepared`, :attr:`ProceduresPlugin.progress`), so
nothing is done twice and no state passes through module globals.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..prepare import Sources, prepare
from ..render.search import merge
from ..render.site import GeneratedSite, Options
from ..speed.progress import Progress
from ..speed.split import split_once
from ..workflow.history import file_dates

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

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


class ProceduresConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of the ``banshi`` plugin in mkdocs.yml."""

    procedures = c.Type(str, default="procedures")
    """The folder of procedure YAML files, relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".cache")
    """Where checked files, rendered charts and pages are remembered, relative to mkdocs.yml (safe to delete)."""
    records = c.Type(str, default="")
    """The service system's case records (效能公开), relative to mkdocs.yml; empty: ``records/`` in procedures."""


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

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.site = self.prepared or self._generate(sources_of(config, self.config))
        self.content_dates = file_dates(Path(config.docs_dir))
        for path, text in {**self.site.pages, **self.site.assets}.items():
            files.append(File.generated(config, path, content=text))
        for path, source in self.site.copies.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        if self.progress:
            self.progress.start(MKDOCS_RENDER, sum(1 for f in files if f.is_documentation_page()))
        return files

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

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """What the theme templates show from procedures/ (footer hotline, the home page's tiles), and the
        addresses of the pages they link to, for the pages that exist (a site may leave some out)."""
        links = {name: f.url for name, src in THEME_LINKS.items() if (f := files.get_file_from_path(src))}
        links["data"] = "data/procedures.json"
        env.globals["banshi"] = {**(self.site.theme if self.site else {}), "links": links}
        return env

    def _dates(self, page: Page) -> tuple[str, str]:
        """(发布日期, 更新日期) of a page from git: generated pages from their items, hand-written ones from their
        own history; ("", "") when there is no history (the page says so; never the build date)."""
        if self.site and page.file.src_uri in self.site.pages:
            return self.site.dates.get(page.file.src_uri, ("", ""))
        return self.content_dates.get(page.file.src_uri, ("", ""))

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
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
        index = site_dir / "search" / "search_index.json"
        if self.site and index.is_file():
            merged = merge(json.loads(index.read_text(encoding="utf-8")), self.site.search, self.site.search_words)
            cache = sources_of(config, self.config).cache / "search.json"
            for path, data in split_once(merged, cache).items():
                (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
                (site_dir / path).write_text(data, encoding="utf-8")
        if self.progress:
            self.progress.finish(MKDOCS_RENDER)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(sources_of(config, self.config).procedures))
        return server


PHONE_TOC_MINIMUM = 3
"""A page with this many sections or more gets a 本页目录 on screens without the theme's table-of-contents column."""


class _Sections(HTMLParser):
    """The ``<h2 id>`` headings of a page and their text (without the theme's ¶ permalink)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._open: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "h2" and values.get("id"):
            self.found.append((values["id"] or "", ""))
            self._open = []
        elif self._open is not None and tag == "a" and "headerlink" in (values.get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag == "h2" and self._open is not None:
            self.found[-1] = (self.found[-1][0], " ".join("".join(self._open).split()))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None and not self._skip:
            self._open.append(data)


def with_phone_toc(output: str, page: Page) -> str:
    """A 本页目录 under the page's title for phones (the theme shows its own only in the navigation drawer, and only
    for pages in the navigation); item and department pages bring their own (class ``bs-toc``), and the home page
    is a page of ways in, not of sections."""
    if page.is_homepage or 'class="bs-toc"' in output or "</h1>" not in output:
        return output
    before, after = output.split("</h1>", 1)
    parser = _Sections()
    parser.feed(after.split("</article>", 1)[0])
    sections = [(anchor, title) for anchor, title in parser.found if title]
    if len(sections) < PHONE_TOC_MINIMUM:
        return output
    entries = "".join(f'<li><a href="#{escape(anchor)}">{escape(title)}</a></li>' for anchor, title in sections)
    toc = f'\n<details class="bs-toc">\n<summary>本页目录</summary>\n<ol>{entries}</ol>\n</details>\n'
    return before + "</h1>" + toc + after

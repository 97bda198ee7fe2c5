"""Everything the site needs besides hand-written pages, as files in memory.

``generate`` is the one function that the MkDocs plugin, ``render --out`` and
the tests call: catalog in, Markdown pages + SVG charts + form files out.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .charts import ChartStats, inline_svg, render_svgs
from .flowchart import flowchart_dot
from .history import History, collect
from .model import Catalog
from .opendata import OpenData
from .pages import PageRenderer, Paths
from .progress import current
from .workdays import WorkCalendar, calendar_script

CHART_SLOT = "<!-- banshi:chart -->"
"""Where an item page's SVG goes.  The SVG is put in after Markdown and search
have seen the page: parsing hundreds of SVG elements per page as raw HTML was
the largest cost of a build, and chart text does not belong in the index."""

CALENDAR_SCRIPT = "assets/javascripts/calendar-data.js"
"""The working-day calendar for deadline.js; mkdocs.yml loads it on every page."""


@dataclass
class GeneratedSite:
    """Generated files, keyed by their path relative to the docs folder."""

    pages: dict[str, str] = field(default_factory=dict)
    """Markdown pages."""
    assets: dict[str, str] = field(default_factory=dict)
    """Text files served as they are: printable forms (HTML), standalone SVG charts, open data, scripts."""
    copies: dict[str, Path] = field(default_factory=dict)
    """Files copied as they are (blank forms and samples)."""
    stats: ChartStats = field(default_factory=ChartStats)
    """What the chart stage did."""
    charts: dict[str, str] = field(default_factory=dict)
    """Page path → the inline SVG that replaces :data:`CHART_SLOT` in the finished page."""

    def fill(self, path: str, text: str) -> str:
        """Put a page's chart into its slot (in Markdown or in the final HTML)."""
        chart = self.charts.get(path)
        return text.replace(CHART_SLOT, chart, 1) if chart is not None else text


@dataclass(frozen=True)
class Options:
    """How to generate; the MkDocs plugin fills these from mkdocs.yml."""

    cache_dir: Path | None = None
    """Where rendered charts are cached; None renders every chart."""
    directory_urls: bool = True
    """MkDocs' use_directory_urls: ``items/x/`` rather than ``items/x.html``."""
    history: History = field(default_factory=lambda: History(reason="未提供版本历史"))
    """Each item's 变更记录; without it the pages say that no history was available."""
    site_url: str = ""
    """The public address of the site, for open data and JSON-LD; relative when empty."""


def generate(catalog: Catalog, procedures_dir: Path, options: Options | None = None) -> GeneratedSite:
    """Render charts (cached, in parallel), every generated page and the open data."""
    options = options or Options()
    site = GeneratedSite()
    progress = current()
    with progress.stage("流程图", len(catalog.procedures)) as stage:
        sources = {p.slug: flowchart_dot(p, catalog) for p in catalog.procedures}
        raw = render_svgs(sources, options.cache_dir, site.stats, stage.advance)
        inline = {p.slug: inline_svg(raw[p.slug], f"{p.name}办理流程图", f"{p.id}-steps") for p in catalog.procedures}
        stage.note = f"（运行 dot {site.stats.rendered} 次，缓存 {site.stats.cached} 个）"
    with progress.stage("生成页面和开放数据") as stage:
        data = OpenData(catalog, options.site_url, options.history, options.directory_urls)
        json_ld = {p.slug: data.json_ld(p) for p in catalog.procedures}
        renderer = PageRenderer(catalog, options.directory_urls, options.history)
        for path, text in renderer.pages(dict.fromkeys(inline, CHART_SLOT), json_ld):
            (site.pages if path.endswith(".md") else site.assets)[path] = text
        site.charts = {Paths.item(p): inline[p.slug] for p in catalog.procedures}
        site.assets.update(data.files())
        stage.advance(len(site.pages) + len(site.assets))
    for p in catalog.procedures:
        site.assets[Paths.chart(p)] = inline[p.slug]
    site.assets[CALENDAR_SCRIPT] = calendar_script(WorkCalendar.load(catalog.site.calendar))
    for relative in catalog.forms:
        department, _, rest = relative.partition("/")
        site.copies[Paths.form(department, rest)] = procedures_dir / relative
    return site


def render_tree(catalog: Catalog, procedures_dir: Path, out: Path, content: Path | None = None) -> int:
    """Write a complete docs folder (hand-written pages + generated ones) for any MkDocs-like builder."""
    if content is not None and content.is_dir():
        shutil.copytree(content, out, dirs_exist_ok=True)
    options = Options(cache_dir=Path(".cache/charts"), history=collect(procedures_dir))
    site = generate(catalog, procedures_dir, options)
    for path, text in {**site.pages, **site.assets}.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(site.fill(path, text), encoding="utf-8")
    for path, source in site.copies.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return len(site.pages) + len(site.assets) + len(site.copies)

"""Everything the site needs besides hand-written pages, as files in memory.

``generate`` is the one function that the MkDocs plugin, ``render --out`` and
the tests call: catalog in, Markdown pages + SVG charts + form files out.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import Cache, key_of
from .charts import ChartStats, cached_svgs, dot_version, inline_svg, render_svgs
from .flowchart import FONT, flowchart_dot
from .history import History, collect
from .model import Catalog, Procedure
from .opendata import OpenData
from .pages import PageRenderer, Paths
from .parallel import fork_map
from .progress import current
from .workdays import WorkCalendar, calendar_script

CHART_SLOT = "<!-- banshi:chart -->"
"""Where an item page's SVG goes, inside the page's set-aside flowchart part.
Pages are cached apart from charts, so the SVG is put in after both are known."""

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
    early: dict[str, dict[str, str]] = field(default_factory=dict)
    """Page path → marker → HTML that search indexes, put in after Markdown (see PageRenderer)."""
    late: dict[str, dict[str, str]] = field(default_factory=dict)
    """Page path → marker → HTML that search does not index, put into the finished page."""

    def add(self, files: dict[str, str], early: dict[str, dict[str, str]], late: dict[str, dict[str, str]]) -> None:
        """Take rendered files (Markdown pages and others) and their set-aside parts."""
        for path, text in files.items():
            (self.pages if path.endswith(".md") else self.assets)[path] = text
        self.early.update(early)
        self.late.update(late)

    def fill_early(self, path: str, text: str) -> str:
        """Put a page's indexed HTML parts back, after Markdown and before search."""
        for marker, html in self.early.get(path, {}).items():
            text = text.replace(marker, html, 1)
        return text

    def fill_late(self, path: str, text: str) -> str:
        """Put the rest of a page's HTML parts (charts included) back, into the finished page."""
        for marker, html in self.late.get(path, {}).items():
            text = text.replace(marker, html, 1)
        return text

    def fill(self, path: str, text: str) -> str:
        """Put all of a page's parts back (for builders other than MkDocs)."""
        return self.fill_late(path, self.fill_early(path, text))

    def put_chart(self, path: str, svg: str) -> None:
        """Put an item page's SVG into the set-aside part that holds :data:`CHART_SLOT`."""
        slots = self.late[path]
        marker = next(m for m, html in slots.items() if CHART_SLOT in html)
        slots[marker] = slots[marker].replace(CHART_SLOT, svg, 1)


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
    page_cache: Path | None = None
    """Where each item's rendered pages are remembered, by everything they depend on; None renders all."""


_job: tuple[Catalog, Options] | None = None
"""The catalog and options of the running generation, inherited by forked workers."""


def _charts(catalog: Catalog, options: Options, stats: ChartStats, tick: Callable[[int], None]) -> dict[str, str]:
    """Every item page's inline SVG, by page path.

    An item that has not changed finds its finished SVG by the item's own
    digest, without writing DOT.  For the others, workers write DOT and ask
    the SVG cache (keyed by the DOT source, Graphviz version and font);
    charts missing from both are rendered here, by dot, in parallel.
    """
    dot_version()  # once, before the workers fork
    inlined = Cache(options.page_cache)
    found: dict[str, str] = {}
    todo: list[int] = []
    for index, p in enumerate(catalog.procedures):
        svg = inlined.get(_chart_key(catalog, p)) if options.page_cache else None
        if isinstance(svg, str):
            found[p.slug] = svg
        else:
            todo.append(index)
    missing: dict[str, str] = {}
    for hits, misses in fork_map(_cached_charts, todo):
        found.update(hits)
        missing.update(misses)
    stats.cached += len(found)
    tick(len(found))
    rendered = render_svgs(missing, options.cache_dir, stats, tick)
    by_slug = {p.slug: p for p in catalog.procedures}
    for slug, svg in rendered.items():
        found[slug] = _inline(by_slug[slug], svg)
        inlined.put(_chart_key(catalog, by_slug[slug]), found[slug])
    return {Paths.item(p): found[p.slug] for p in catalog.procedures}


def _cached_charts(indices: Sequence[int]) -> tuple[dict[str, str], dict[str, str]]:
    """(inline SVG of the charts in the SVG cache, DOT source of the others) of some items, by slug."""
    assert _job is not None
    catalog, options = _job
    inlined = Cache(options.page_cache)
    procedures = [catalog.procedures[i] for i in indices]
    hits, misses = cached_svgs({p.slug: flowchart_dot(p, catalog) for p in procedures}, options.cache_dir)
    found = {p.slug: _inline(p, hits[p.slug]) for p in procedures if p.slug in hits}
    for p in procedures:
        if p.slug in found:
            inlined.put(_chart_key(catalog, p), found[p.slug])
    return found, misses


def _chart_key(catalog: Catalog, p: Procedure) -> str:
    return key_of("chart", p, [catalog.department(d) for d in p.departments], catalog.site, dot_version(), FONT)


def _inline(p: Procedure, svg: str) -> str:
    return inline_svg(svg, f"{p.name}办理流程图", f"{p.id}-steps")


def _items(catalog: Catalog, options: Options) -> tuple[list[dict[str, Any]], list[str], int]:
    """Each item's rendered parts (in catalog order), cache keys, and how many came from the cache.

    Remembered items are read here; only the others go to the workers.
    """
    cache = Cache(options.page_cache)
    keys = [_item_key(catalog, options, p) for p in catalog.procedures]
    parts: dict[int, dict[str, Any]] = {}
    todo: list[tuple[int, str]] = []
    for index, key in enumerate(keys):
        hit = cache.get(key)
        if hit is None:
            todo.append((index, key))
        else:
            parts[index] = hit
    reused = len(parts)
    for done in fork_map(_render_items, todo):
        parts.update(done)
    return [parts[i] for i in range(len(keys))], keys, reused


def _render_items(work: Sequence[tuple[int, str]]) -> dict[int, dict[str, Any]]:
    """Pages, printable forms, JSON-LD and open data records of some items (in a worker, or here).

    ``work`` is (index in the catalog, cache key) of each item.
    """
    assert _job is not None
    catalog, options = _job
    cache = Cache(options.page_cache)
    data = OpenData(catalog, options.site_url, options.history, options.directory_urls)
    renderer = PageRenderer(catalog, options.directory_urls, options.history, defer=True)
    done = {}
    for index, key in work:
        done[index] = _render_item(renderer, data, catalog.procedures[index])
        cache.put(key, done[index])
    return done


def _shared(catalog: Catalog, options: Options, records: list[dict[str, Any]], keys: list[str]) -> dict[str, Any]:
    """Department, index and statistics pages and the open data collection; cached while no item changes."""
    cache = Cache(options.page_cache)
    key = key_of("shared", keys, catalog.departments, catalog.site, options.directory_urls, options.site_url)
    hit = cache.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    renderer = PageRenderer(catalog, options.directory_urls, options.history, defer=True)
    files = dict(renderer.shared_pages())
    data = OpenData(catalog, options.site_url, options.history, options.directory_urls)
    files.update(data.shared_files(records))
    shared = {"files": files, "early": renderer.early, "late": renderer.late}
    cache.put(key, shared)
    return shared


def _render_item(renderer: PageRenderer, data: OpenData, p: Procedure) -> dict[str, Any]:
    """One item's pages, set-aside parts, JSON file and open data record, as JSON-able data."""
    files = dict(renderer.item_pages(p, CHART_SLOT, data.json_ld(p)))
    early = {path: renderer.early.pop(path) for path in files if path in renderer.early}
    late = {path: renderer.late.pop(path) for path in files if path in renderer.late}
    record = data.record(p)
    path, text = data.item_file(p, record)
    files[path] = text
    return {"files": files, "early": early, "late": late, "record": record}


def _item_key(catalog: Catalog, options: Options, p: Procedure) -> str:
    """Everything an item's pages depend on (besides the code and templates, which key_of adds)."""
    history = options.history
    return key_of(
        "item",
        p,
        [catalog.department(d) for d in p.departments],
        catalog.site,
        options.directory_urls,
        options.site_url,
        (history.status, history.since, history.reason),
        history.entries.get(p.code, []),
        history.last_changed.get(p.code, ""),
    )


def generate(catalog: Catalog, procedures_dir: Path, options: Options | None = None) -> GeneratedSite:
    """Render charts (cached, in parallel), every generated page and the open data."""
    options = options or Options()
    site = GeneratedSite()
    progress = current()
    global _job
    _job = (catalog, options)
    try:
        with progress.stage("流程图", len(catalog.procedures)) as stage:
            charts = _charts(catalog, options, site.stats, stage.advance)
            stage.note = f"（运行 dot {site.stats.rendered} 次，缓存 {site.stats.cached} 个）"
            progress.counts["dot"] = progress.counts.get("dot", 0) + site.stats.rendered
        with progress.stage("生成页面和开放数据") as stage:
            records: list[dict[str, Any]] = []
            parts, keys, reused = _items(catalog, options)
            for part in parts:
                site.add(part["files"], part["early"], part["late"])
                records.append(part["record"])
            progress.counts["pages_reused"] = progress.counts.get("pages_reused", 0) + reused
            stage.note = f"（{reused} 个事项的页面未变，取自缓存）"
            shared = _shared(catalog, options, records, keys)
            site.add(shared["files"], shared["early"], shared["late"])
            stage.advance(len(site.pages) + len(site.assets))
    finally:
        _job = None
    for p in catalog.procedures:
        site.put_chart(Paths.item(p), charts[Paths.item(p)])
        site.assets[Paths.chart(p)] = charts[Paths.item(p)]
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

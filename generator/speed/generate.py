"""``generate``: every generated file of a catalog, with caches and forked workers around the pure renderers.

The story: charts (inline SVG remembered per item, else DOT → the SVG cache,
else dot) → item pages (remembered by a digest of their :class:`ItemView`,
else rendered in workers) → shared pages and open data (remembered while no
item changes) → :func:`~generator.render.site.finish`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TypeVar

from ..contract.yaml12 import Json
from ..model import Catalog, Procedure
from ..records.figures import Performance
from ..render.flowchart import flowchart_dot
from ..render.fonts import FONT
from ..render.graphviz import dot_version, inline_svg
from ..render.opendata import OpenData
from ..render.pages import PageRenderer, Parts
from ..render.search import synonym_table
from ..render.site import (
    GeneratedSite,
    ItemParts,
    Options,
    bundle_chart,
    finish,
    render_item,
    render_shared,
    site_wide,
)
from ..render.view import ItemView
from ..versions import History
from .cache import Cache, key_of
from .charts import ChartStats, cached_svgs, render_svgs
from .parallel import Parallel, fork_map
from .progress import Progress

P = TypeVar("P", bound=Parts)


@dataclass(frozen=True)
class Generation:
    """How to generate: addressing, history, caches and workers."""

    options: Options = field(default_factory=Options)
    history: History = field(default_factory=History)
    """Each item's 变更记录; without it the pages say that no history was available."""
    performance: Performance | None = None
    """The figures of the case records (效能公开); without them the pages show the catalogue's statistics only."""
    cache: Path | None = None
    """The cache folder (``charts/`` and ``pages/`` inside); None renders everything."""
    parallel: Parallel = field(default_factory=Parallel)

    def folder(self, name: str) -> Path | None:
        return self.cache / name if self.cache else None


@dataclass
class Kept:
    """What :func:`generate` keeps in memory from one call to the next in a long-running process (``mkdocs
    serve``): each item's rendered parts by key, and the digests of model objects by object (its workspace builds
    an unchanged file once, so its model is the very object of the last call)."""

    items: dict[str, ItemParts] = field(default_factory=dict)
    charts: dict[str, str] = field(default_factory=dict)
    """Inline SVG by chart key."""
    digests: dict[int, tuple[object, str]] = field(default_factory=dict)
    _used: dict[int, tuple[object, str]] = field(default_factory=dict)

    def digest(self, label: str, value: object) -> str:
        """``key_of(label, value)``, remembered for this very object."""
        hit = self.digests.get(id(value))
        if hit is None or hit[0] is not value:
            hit = (value, key_of(label, value))
        self._used[id(value)] = hit
        return hit[1]

    def keep(self, keys: Sequence[str], parts: Sequence[ItemParts]) -> None:
        """Keep this call's items and digests (only these: what an edit replaced is let go)."""
        self.items = dict(zip(keys, parts, strict=True))
        self.digests, self._used = self._used, {}


@dataclass(frozen=True)
class _Job:
    """What forked workers inherit: the views to render and how."""

    views: tuple[ItemView, ...]
    generation: Generation
    procedure_keys: tuple[str, ...] = ()
    """A digest of each view's procedure, the largest part of both of its cache keys, written out once."""
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The site's everyday words, for the items' search documents."""

    department_keys: tuple[tuple[str, ...], ...] = ()
    """A digest of each view's departments."""
    site_key: str = ""

    @classmethod
    def of(
        cls, views: tuple[ItemView, ...], generation: Generation, synonyms: Mapping[str, tuple[str, ...]], kept: Kept
    ) -> _Job:
        procedures = tuple(kept.digest("procedure", v.procedure) for v in views)
        departments = tuple(tuple(kept.digest("department", d) for d in v.departments) for v in views)
        site = kept.digest("site", views[0].site) if views else ""
        return cls(views, generation, procedures, synonyms, departments, site)

    def chart_key(self, index: int) -> str:
        return key_of("chart", self.procedure_keys[index], self.department_keys[index], dot_version(), FONT)

    def item_key(self, index: int) -> str:
        view = self.views[index]
        rest = [getattr(view, f.name) for f in fields(view) if f.name not in ("procedure", "departments", "site")]
        parts = (self.procedure_keys[index], self.department_keys[index], self.site_key, *rest)
        return key_of("item", *parts, self.generation.options, self.synonyms)


def views_of(catalog: Catalog, history: History, performance: Performance | None = None) -> tuple[ItemView, ...]:
    return tuple(
        ItemView.of(
            catalog,
            p,
            *history.of(p.identity),
            history.coverage,
            performance.item(p.code) if performance and p.code else None,
        )
        for p in catalog.procedures
    )


def generate(
    catalog: Catalog,
    procedures_dir: Path,
    generation: Generation,
    progress: Progress,
    kept: Kept | None = None,
) -> GeneratedSite:
    """Render charts (cached, in parallel), every generated page and the open data.  ``kept`` holds items' parts
    and digests in memory between calls (a long-running process's), beside the cache on disk."""
    kept = kept or Kept()
    views = views_of(catalog, generation.history, generation.performance)
    job = _Job.of(views, generation, synonym_table(catalog.site), kept)
    with progress.stage("流程图", len(catalog.procedures)) as stage:
        stats = ChartStats()
        charts = _charts(job, stats, stage.advance, kept)
        stage.note = f"（运行 dot {stats.rendered} 次，缓存 {stats.cached} 个）"
        progress.counts["dot"] = progress.counts.get("dot", 0) + stats.rendered
    site = GeneratedSite()
    with progress.stage("生成页面和开放数据") as stage:
        parts, keys, reused = _items(job, kept)
        for part in parts:
            site.add(part)
        progress.counts["pages_reused"] = progress.counts.get("pages_reused", 0) + reused
        stage.note = f"（{reused} 个事项的页面未变，取自缓存）"
        site.add(_shared(catalog, [p.record for p in parts], keys, generation))
        renderer = PageRenderer(generation.options.directory_urls, site_url=generation.options.site_url)
        site_wide(site, catalog, job.views, generation.history, renderer, [p.search for p in parts])
        stage.advance(len(site.pages) + len(site.assets))
    return finish(site, catalog, procedures_dir, charts)


def _charts(job: _Job, stats: ChartStats, tick: Callable[[int], None], kept: Kept) -> dict[str, str]:
    """Every item's inline SVG, by slug.

    An unchanged item finds its finished SVG by its own digest, without
    writing DOT.  For the others, workers write DOT and ask the SVG cache;
    charts missing from both are rendered here, by dot, in parallel.
    """
    dot_version()  # once, before the workers fork; fails early when Graphviz is missing
    inlined = Cache(job.generation.folder("pages"))
    found: dict[str, str] = {}
    todo: list[int] = []
    keys = {index: job.chart_key(index) for index, view in enumerate(job.views) if view.procedure.flow}
    for index, key in keys.items():  # a guide whose flow is not stated has no chart
        svg = kept.charts.get(key) or inlined.get(key)
        if isinstance(svg, str):
            found[job.views[index].procedure.slug] = svg
        else:
            todo.append(index)
    missing: dict[str, str] = {}
    for hits, misses in fork_map(_cached_charts, job, todo, job.generation.parallel):
        found.update(hits)
        missing.update(misses)
    stats.cached += len(found)
    tick(len(found))
    by_slug = {v.procedure.slug: i for i, v in enumerate(job.views)}
    for slug, svg in render_svgs(missing, job.generation.folder("charts"), stats, tick).items():
        found[slug] = _inline(job.views[by_slug[slug]].procedure, svg)
        inlined.put(job.chart_key(by_slug[slug]), found[slug])
    kept.charts = {key: found[job.views[index].procedure.slug] for index, key in keys.items()}
    return found


def _cached_charts(job: _Job, indices: Sequence[int]) -> tuple[dict[str, str], dict[str, str]]:
    """(inline SVG of the charts in the SVG cache, DOT source of the others) of some items, by slug."""
    inlined = Cache(job.generation.folder("pages"))
    views = {i: job.views[i] for i in indices}
    sources = {v.procedure.slug: flowchart_dot(v) for v in views.values()}
    hits, misses = cached_svgs(sources, job.generation.folder("charts"))
    found: dict[str, str] = {}
    for index, view in views.items():
        if view.procedure.slug in hits:
            found[view.procedure.slug] = _inline(view.procedure, hits[view.procedure.slug])
            inlined.put(job.chart_key(index), found[view.procedure.slug])
    return found, misses


def _inline(p: Procedure, svg: str) -> str:
    return inline_svg(svg, f"{p.name}办理流程图", f"{p.id}-steps")


def _items(job: _Job, kept: Kept) -> tuple[list[ItemParts], list[str], int]:
    """Each item's rendered parts (in catalog order), cache keys, and how many came from the cache.

    The key is a digest of the item's :class:`ItemView` (everything its pages show)
    and the addressing options (:meth:`_Job.item_key`); remembered items are read here (from ``kept`` first, which
    then holds this catalog's), the others rendered in workers.
    """
    cache = Cache(job.generation.folder("pages"))
    keys = [job.item_key(index) for index in range(len(job.views))]
    parts: dict[int, ItemParts] = {}
    todo: list[tuple[int, str]] = []
    for index, key in enumerate(keys):
        remembered = kept.items.get(key) or _remembered(cache.get(key), ItemParts.from_json)
        if remembered is not None:
            parts[index] = remembered
        else:
            todo.append((index, key))
    reused = len(parts)
    for done in fork_map(_render_items, job, todo, job.generation.parallel):
        parts.update(done)
    ordered = [parts[i] for i in range(len(keys))]
    kept.keep(keys, ordered)
    return ordered, keys, reused


def _render_items(job: _Job, work: Sequence[tuple[int, str]]) -> dict[int, ItemParts]:
    """Pages, printable forms, JSON-LD and open data records of some items (in a worker, or here)."""
    options = job.generation.options
    cache = Cache(job.generation.folder("pages"))
    renderer = PageRenderer(options.directory_urls, defer=True, site_url=options.site_url)
    data = OpenData(options.site_url, options.directory_urls)
    done: dict[int, ItemParts] = {}
    for index, key in work:
        done[index] = render_item(job.views[index], renderer, data, job.synonyms)
        cache.put(key, done[index].to_json())
    return done


def _shared(catalog: Catalog, records: list[Json], keys: list[str], generation: Generation) -> Parts:
    """Department, index and statistics pages and the open data collection; remembered while no item changes."""
    cache = Cache(generation.folder("pages"))
    bundles = [(b, generation.history.of(b.slug)) for b in catalog.bundles]  # their pages are shared pages
    key = key_of("shared", keys, catalog.departments, catalog.site, bundles, generation.options, generation.performance)
    remembered = _remembered(cache.get(key), Parts.from_json)
    if remembered is not None:
        return remembered
    options = generation.options
    renderer = PageRenderer(options.directory_urls, defer=True, site_url=options.site_url)
    data = OpenData(options.site_url, options.directory_urls)
    charts = generation.folder("charts")
    shared = render_shared(
        catalog,
        records,
        renderer,
        data,
        lambda p: generation.history.of(p.identity)[1],
        generation.performance,
        generation.history,
        lambda view: bundle_chart(view, lambda name, dot: _svg(name, dot, charts)),
    )
    cache.put(key, shared.to_json())
    return shared


def _svg(name: str, dot: str, folder: Path | None) -> str:
    """The SVG of a DOT source, from the SVG cache (the shared pages are drawn again after any item's change)."""
    return render_svgs({name: dot}, folder, ChartStats())[name]


def _remembered(hit: Json, read: Callable[[Mapping[str, Json]], P]) -> P | None:
    """A remembered value, or None when there is none or it is not what ``read`` expects (a miss)."""
    if not isinstance(hit, dict):
        return None
    try:
        return read(hit)
    except (ValueError, KeyError):
        return None

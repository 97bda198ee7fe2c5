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
from ..render.site import GeneratedSite, ItemParts, Options, finish, render_item, render_shared, site_wide
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


@dataclass(frozen=True)
class _Job:
    """What forked workers inherit: the views to render and how."""

    views: tuple[ItemView, ...]
    generation: Generation
    procedure_keys: tuple[str, ...] = ()
    """A digest of each view's procedure, the largest part of both of its cache keys, written out once."""
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The site's everyday words, for the items' search documents."""

    @classmethod
    def of(cls, views: tuple[ItemView, ...], generation: Generation, synonyms: Mapping[str, tuple[str, ...]]) -> _Job:
        return cls(views, generation, tuple(key_of("procedure", v.procedure) for v in views), synonyms)

    def chart_key(self, index: int) -> str:
        view = self.views[index]
        return key_of("chart", self.procedure_keys[index], view.departments, dot_version(), FONT)

    def item_key(self, index: int) -> str:
        view = self.views[index]
        rest = [getattr(view, f.name) for f in fields(view) if f.name != "procedure"]
        return key_of("item", self.procedure_keys[index], *rest, self.generation.options, self.synonyms)


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


def generate(catalog: Catalog, procedures_dir: Path, generation: Generation, progress: Progress) -> GeneratedSite:
    """Render charts (cached, in parallel), every generated page and the open data."""
    job = _Job.of(
        views_of(catalog, generation.history, generation.performance), generation, synonym_table(catalog.site)
    )
    with progress.stage("流程图", len(catalog.procedures)) as stage:
        stats = ChartStats()
        charts = _charts(job, stats, stage.advance)
        stage.note = f"（运行 dot {stats.rendered} 次，缓存 {stats.cached} 个）"
        progress.counts["dot"] = progress.counts.get("dot", 0) + stats.rendered
    site = GeneratedSite()
    with progress.stage("生成页面和开放数据") as stage:
        parts, keys, reused = _items(job)
        for part in parts:
            site.add(part)
        progress.counts["pages_reused"] = progress.counts.get("pages_reused", 0) + reused
        stage.note = f"（{reused} 个事项的页面未变，取自缓存）"
        site.add(_shared(catalog, [p.record for p in parts], keys, generation))
        renderer = PageRenderer(generation.options.directory_urls, site_url=generation.options.site_url)
        site_wide(site, catalog, job.views, generation.history, renderer, [p.search for p in parts])
        stage.advance(len(site.pages) + len(site.assets))
    return finish(site, catalog, procedures_dir, charts)


def _charts(job: _Job, stats: ChartStats, tick: Callable[[int], None]) -> dict[str, str]:
    """Every item's inline SVG, by slug.

    An unchanged item finds its finished SVG by its own digest, without
    writing DOT.  For the others, workers write DOT and ask the SVG cache;
    charts missing from both are rendered here, by dot, in parallel.
    """
    dot_version()  # once, before the workers fork; fails early when Graphviz is missing
    inlined = Cache(job.generation.folder("pages"))
    found: dict[str, str] = {}
    todo: list[int] = []
    for index, view in enumerate(job.views):
        if not view.procedure.flow:  # a guide whose flow is not stated has no chart
            continue
        svg = inlined.get(job.chart_key(index))
        if isinstance(svg, str):
            found[view.procedure.slug] = svg
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


def _items(job: _Job) -> tuple[list[ItemParts], list[str], int]:
    """Each item's rendered parts (in catalog order), cache keys, and how many came from the cache.

    The key is a digest of the item's :class:`ItemView` (everything its pages show)
    and the addressing options (:meth:`_Job.item_key`); remembered items are read here, the others rendered in workers.
    """
    cache = Cache(job.generation.folder("pages"))
    keys = [job.item_key(index) for index in range(len(job.views))]
    parts: dict[int, ItemParts] = {}
    todo: list[tuple[int, str]] = []
    for index, key in enumerate(keys):
        remembered = _remembered(cache.get(key), ItemParts.from_json)
        if remembered is not None:
            parts[index] = remembered
        else:
            todo.append((index, key))
    reused = len(parts)
    for done in fork_map(_render_items, job, todo, job.generation.parallel):
        parts.update(done)
    return [parts[i] for i in range(len(keys))], keys, reused


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
    shared = render_shared(
        catalog,
        records,
        renderer,
        data,
        lambda p: generation.history.of(p.identity)[1],
        generation.performance,
        generation.history,
    )
    cache.put(key, shared.to_json())
    return shared


def _remembered(hit: Json, read: Callable[[Mapping[str, Json]], P]) -> P | None:
    """A remembered value, or None when there is none or it is not what ``read`` expects (a miss)."""
    if not isinstance(hit, dict):
        return None
    try:
        return read(hit)
    except (ValueError, KeyError):
        return None

"""``generate``: every generated file of a catalog, with caches and forked workers around the pure renderers.

The story: which items are remembered (in memory, else in the cache, by a
digest of their :class:`ItemView`, chart included) → the charts of the others
(inline SVG from the cache, else DOT → the SVG cache, else dot) → the others
rendered in workers, their files written to the store
(:mod:`generator.speed.store`) → shared pages and open data (remembered while
no item changes) → :func:`~generator.render.site.finish`.  With a cache, no
item's files and no chart are held in memory.
"""

from __future__ import annotations

import contextlib
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
from ..render.opendata import COLLECTION, OpenData, collection
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
from . import store
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
    serve``): each item's rendered parts by key (their files are on disk, see :mod:`generator.speed.store`), and
    the digests of model objects by object (its workspace builds an unchanged file once, so its model is the very
    object of the last call)."""

    items: dict[str, ItemParts] = field(default_factory=dict)
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
        return key_of("item", *parts, self.generation.options, self.synonyms, dot_version(), FONT)


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
    keys = [job.item_key(index) for index in range(len(views))]
    parts, todo = _remembered_items(job, keys, kept)
    charts = _chart_stage(job, parts, [index for index, _ in todo], progress)
    site = GeneratedSite()
    with progress.stage("生成页面和开放数据") as stage:
        reused = len(parts)
        for done in fork_map(_render_items, (job, charts), todo, job.generation.parallel):
            parts.update(done)
        ordered = [parts[i] for i in range(len(keys))]
        kept.keep(keys, ordered)
        for part in ordered:
            site.add(part)
        progress.counts["pages_reused"] = progress.counts.get("pages_reused", 0) + reused
        stage.note = f"（{reused} 个事项的页面未变，取自缓存）"
        site.add(_shared(catalog, ordered, keys, generation))
        renderer = PageRenderer(generation.options.directory_urls, site_url=generation.options.site_url)
        site_wide(site, catalog, job.views, generation.history, renderer, [p.search for p in ordered])
        stage.advance(len(site.pages) + len(site.assets) + len(site.stored))
    return finish(site, catalog, procedures_dir)


def _remembered_items(job: _Job, keys: list[str], kept: Kept) -> tuple[dict[int, ItemParts], list[tuple[int, str]]]:
    """The parts of the items remembered (in ``kept``, else in the cache), by index; the others' (index, key).

    The key is a digest of the item's :class:`ItemView` (everything its pages show, its chart included) and the
    addressing options (:meth:`_Job.item_key`)."""
    cache = Cache(job.generation.folder("pages"))
    parts: dict[int, ItemParts] = {}
    todo: list[tuple[int, str]] = []
    for index, key in enumerate(keys):
        remembered = kept.items.get(key)
        if remembered is None or not store.present(remembered):
            remembered = _from_cache(cache, key)
        if remembered is not None:
            parts[index] = remembered
        else:
            todo.append((index, key))
    return parts, todo


def _from_cache(cache: Cache, key: str) -> ItemParts | None:
    if cache.folder is None:
        return None
    return store.found(_remembered(cache.get(key), ItemParts.from_json), cache.folder / store.STORE)


def _chart_stage(job: _Job, remembered: Mapping[int, ItemParts], todo: list[int], progress: Progress) -> dict[int, str]:
    """The 流程图 stage: the charts of the items to render (see :func:`_charts`); the remembered items' charts count
    as cached (they are in their files)."""
    views = job.views
    with progress.stage("流程图", sum(1 for v in views if v.procedure.flow)) as stage:
        stats = ChartStats(cached=sum(1 for index in remembered if views[index].procedure.flow))
        stage.advance(stats.cached)
        charts = _charts(job, todo, stats, stage.advance)
        stage.note = f"（运行 dot {stats.rendered} 次，缓存 {stats.cached} 个）"
        progress.counts["dot"] = progress.counts.get("dot", 0) + stats.rendered
    return charts


def _charts(job: _Job, todo: list[int], stats: ChartStats, tick: Callable[[int], None]) -> dict[int, str]:
    """The inline SVG of the charts of the items to render: put in the cache (by :meth:`_Job.chart_key`) for the
    workers that render the items to find, and returned only when there is no cache.

    A chart found in the cache of inline SVG is not read here.  For the others, workers write DOT and ask the SVG
    cache; charts missing from both are rendered here, by dot, in parallel.
    """
    dot_version()  # once, before the workers fork; fails early when Graphviz is missing
    inlined = Cache(job.generation.folder("pages"))
    drawn = [index for index in todo if job.views[index].procedure.flow]  # a guide whose flow is not stated has none
    missing = [index for index in drawn if not inlined.has(job.chart_key(index))]
    held: dict[int, str] = {}
    sources: dict[str, str] = {}
    for hits, misses in fork_map(_cached_charts, job, missing, job.generation.parallel):
        held.update(hits)
        sources.update(misses)
    by_slug = {job.views[index].procedure.slug: index for index in missing}

    def inline(slug: str, svg: str) -> None:
        index = by_slug[slug]
        _keep(job, index, _inline(job.views[index].procedure, svg), held)

    tick(len(drawn) - len(sources))
    render_svgs(sources, job.generation.folder("charts"), stats, tick, inline)
    stats.cached += len(drawn) - len(sources)
    return held


def _keep(job: _Job, index: int, svg: str, held: dict[int, str]) -> None:
    """An item's inline SVG into the cache, or (without one) into ``held``."""
    inlined = Cache(job.generation.folder("pages"))
    if inlined.folder is None:
        held[index] = svg
    else:
        inlined.put(job.chart_key(index), svg)


def _cached_charts(job: _Job, indices: Sequence[int]) -> tuple[dict[int, str], dict[str, str]]:
    """Of some items: the inline SVG of those in the SVG cache (kept: see :func:`_keep`), and the DOT source of the
    others, by slug."""
    views = {i: job.views[i] for i in indices}
    sources = {v.procedure.slug: flowchart_dot(v) for v in views.values()}
    hits, misses = cached_svgs(sources, job.generation.folder("charts"))
    held: dict[int, str] = {}
    for index, view in views.items():
        if view.procedure.slug in hits:
            _keep(job, index, _inline(view.procedure, hits[view.procedure.slug]), held)
    return held, misses


def _inline(p: Procedure, svg: str) -> str:
    return inline_svg(svg, f"{p.name}办理流程图", f"{p.id}-steps")


def _chart(job: _Job, index: int, held: Mapping[int, str]) -> str | None:
    """An item's inline SVG, from ``held`` or the cache (drawn again if it went missing there); None without flow."""
    view = job.views[index]
    if not view.procedure.flow:
        return None
    svg = held.get(index) or Cache(job.generation.folder("pages")).get(job.chart_key(index))
    if isinstance(svg, str):
        return svg
    dot = {view.procedure.slug: flowchart_dot(view)}
    return _inline(view.procedure, render_svgs(dot, job.generation.folder("charts"), ChartStats())[view.procedure.slug])


def _render_items(context: tuple[_Job, Mapping[int, str]], work: Sequence[tuple[int, str]]) -> dict[int, ItemParts]:
    """Pages, printable forms, JSON-LD and open data records of some items (in a worker, or here), with their
    charts; with a cache, their files are stored there (:mod:`generator.speed.store`) and the parts name them."""
    job, charts = context
    options = job.generation.options
    cache = Cache(job.generation.folder("pages"))
    renderer = PageRenderer(options.directory_urls, defer=True, site_url=options.site_url)
    data = OpenData(options.site_url, options.directory_urls)
    done: dict[int, ItemParts] = {}
    for index, key in work:
        parts = render_item(job.views[index], renderer, data, job.synonyms, _chart(job, index, charts))
        done[index] = _stored(parts, cache, key)
    return done


def _stored(parts: P, cache: Cache, key: str) -> P:
    """Parts with their files moved into the store (:mod:`generator.speed.store`) and remembered under ``key``; as
    they are without a cache, or when the store cannot be written (the cache is only an optimisation)."""
    if cache.folder is None:
        return parts
    folder = cache.folder / store.STORE
    try:
        named = store.put(parts, folder)
    except OSError:
        return parts
    cache.put(key, named.to_json())
    return store.whole(named, folder)


def _shared(catalog: Catalog, items: list[ItemParts], keys: list[str], generation: Generation) -> Parts:
    """Department, index and statistics pages and the open data collection; remembered while no item changes.
    With a cache, their files are stored there and the collection is written from the items' stored records."""
    cache = Cache(generation.folder("pages"))
    bundles = [(b, generation.history.of(b.slug)) for b in catalog.bundles]  # their pages are shared pages
    key = key_of("shared", keys, catalog.departments, catalog.site, bundles, generation.options, generation.performance)
    folder = cache.folder / store.STORE if cache.folder else None
    if folder is not None:
        remembered = store.found(_remembered(cache.get(key), Parts.from_json), folder)
        if remembered is not None:
            return remembered
    options = generation.options
    renderer = PageRenderer(options.directory_urls, defer=True, site_url=options.site_url)
    data = OpenData(options.site_url, options.directory_urls)
    charts = generation.folder("charts")
    shared = render_shared(
        catalog,
        None,  # the collection: below
        renderer,
        data,
        lambda p: generation.history.of(p.identity)[1],
        generation.performance,
        generation.history,
        lambda view: bundle_chart(view, lambda name, dot: _svg(name, dot, charts)),
    )
    records = store.Texts(items)
    if folder is not None:
        with contextlib.suppress(OSError):  # the store cannot be written: kept in memory
            named = store.put(shared, folder)
            named.stored[COLLECTION] = store.streamed(folder, collection(catalog.site.region, records))
            cache.put(key, named.to_json())
            return store.whole(named, folder)
    shared.files[COLLECTION] = "".join(collection(catalog.site.region, records))
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

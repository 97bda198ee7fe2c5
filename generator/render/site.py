"""Everything the site needs besides hand-written pages: rendered files, and the names of files kept on disk.

:func:`render_item` and :func:`render_shared` are pure: model in, :class:`Parts`
out.  :class:`GeneratedSite` collects them with the files to copy, and puts
the set-aside HTML back when a page is finished.  Caching, storing rendered
files on disk and forking are a layer around these
(:mod:`generator.speed.generate`, :mod:`generator.speed.store`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import orjson

from ..contract.yaml12 import Json
from ..model import Bundle, Catalog, Procedure
from ..records.figures import Performance
from ..versions import History
from ..workdays import WorkCalendar, calendar_script
from .bundle import BundleView, bundle_dot
from .completeness import stated_counts
from .escape import anchor
from .graphviz import inline_svg, run_dot
from .opendata import OpenData, record_text
from .pages import BUNDLES, DEPARTMENTS, INDEXES, STATS, PageRenderer, Parts, badge_path
from .performance import open_data as performance_data
from .search import bundle_document, item_document, synonym_table
from .summary import time_words, visits_words
from .urls import Paths, page_url
from .view import ItemView

CHART_SLOT = "<!-- banshi:chart -->"
"""Where an item page's SVG goes, inside the page's set-aside flowchart part.
Pages are cached apart from charts, so the SVG is put in after both are known."""

SNIPPETS = {
    "<!-- banshi:complaint-contacts -->": "_complaint_center.html.j2",
    "<!-- banshi:coverage -->": "_coverage.html.j2",
}
"""Markers that hand-written pages (content/*.md) may contain, and the template that replaces each:
the complaint centre's contacts and the hotline, from site.yml, so that they are written once; and how many
items state what, so that no page claims that every item states it."""

ROOT_MARK = "__BANSHI_ROOT__/"
"""In HTML the theme puts on every page: replaced by the way from that page to the site's root."""

CALENDAR_SCRIPT = "assets/javascripts/calendar-data.js"
"""The working-day calendar for deadline.js; mkdocs.yml loads it on every page."""


@dataclass(frozen=True)
class Options:
    """How pages are addressed; the MkDocs plugin fills these from mkdocs.yml."""

    directory_urls: bool = True
    """MkDocs' use_directory_urls: ``items/x/`` rather than ``items/x.html``."""
    site_url: str = ""
    """The public address of the site, for open data and JSON-LD; relative when empty."""


@dataclass
class ItemParts(Parts):
    """An item's pages, forms and JSON file, and its open data record."""

    record: str = ""
    """The item's open data record, compact JSON (as the collection lists it), or "" when it is stored."""
    record_file: str = ""
    """The file that holds the record, when the cache layer moved it out of memory."""
    search: Json = None
    """The item's search document, when it was asked for (see :func:`render_item`)."""

    def to_json(self) -> dict[str, object]:
        return {**super().to_json(), "record": self.record, "record_file": self.record_file, "search": self.search}

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> ItemParts:
        parts = Parts.from_json(data)
        record, record_file = data["record"], data["record_file"]
        if not isinstance(record, str) or not isinstance(record_file, str):
            raise ValueError("not a record")
        return cls(**vars(parts), record=record, record_file=record_file, search=data["search"])


def render_item(
    view: ItemView,
    renderer: PageRenderer,
    data: OpenData,
    synonyms: Mapping[str, tuple[str, ...]] | None = None,
    chart: str | None = None,
) -> ItemParts:
    """One item's page, printable forms, JSON file and record, with its ``chart`` (inline SVG; without one the page
    keeps :data:`CHART_SLOT`); with the site's ``synonyms``, its search document too (then it is remembered with
    the rest)."""
    renderer.item_pages(view, CHART_SLOT, data.json_ld(view))
    parts = renderer.take()
    record = data.record(view)
    path, text = data.item_file(view.procedure, record)
    parts.files[path] = text
    if chart is not None:
        put_chart(parts, view.procedure, chart)
    search = item_document(view, renderer.directory_urls, synonyms) if synonyms is not None else None
    return ItemParts(parts.files, parts.indexed, parts.unindexed, record=record_text(record), search=search)


def put_chart(parts: Parts, p: Procedure, svg: str) -> None:
    """Put an item's SVG into its page's set-aside part that holds :data:`CHART_SLOT`, and beside the page."""
    slots = parts.unindexed.get(Paths.item(p), {})
    marker = next((m for m, html in slots.items() if CHART_SLOT in html), None)
    if marker is not None:
        slots[marker] = slots[marker].replace(CHART_SLOT, svg, 1)
    else:  # not deferred: the slot is in the page itself
        parts.files[Paths.item(p)] = parts.files[Paths.item(p)].replace(CHART_SLOT, svg, 1)
    parts.files[Paths.chart(p)] = svg
    page = Paths.chart_page(p)
    if page in parts.files:  # the full-size page has no step list for the chart to point to
        standalone = svg.replace(f' aria-describedby="{p.id}-steps"', "", 1)
        parts.files[page] = parts.files[page].replace(CHART_SLOT, standalone, 1)


def render_shared(
    catalog: Catalog,
    records: Sequence[str] | None,
    renderer: PageRenderer,
    data: OpenData,
    updated: Callable[[Procedure], str],
    performance: Performance | None = None,
    history: History | None = None,
    chart: Callable[[BundleView], str] | None = None,
) -> Parts:
    """Department, index and statistics pages, the 一件事 pages, and the open data collection of the items'
    ``records`` (compact JSON; None leaves it out, see :func:`generator.render.opendata.collection`) with the case
    records' figures; ``chart`` draws a 一件事's chart (Graphviz by default)."""
    renderer.shared_pages(catalog, performance)
    views = bundle_views(catalog, history or History())
    for view in views:
        renderer.bundle_pages(view, (chart or bundle_chart)(view), data.bundle_json_ld(view))
    renderer.bundles_index(views, catalog.site)
    parts = renderer.take()
    parts.files.update(data.bundle_files(views))
    parts.files.update(data.shared_files(catalog, records, updated))
    if performance is not None:
        parts.files.update(performance_data(performance, catalog))
    return parts


def bundle_views(catalog: Catalog, history: History) -> list[BundleView]:
    """Every 一件事 as its pages show it, with its 变更记录."""
    return [BundleView.of(catalog, b, *history.of(b.slug), history.coverage) for b in catalog.bundles]


def bundle_chart(view: BundleView, draw: Callable[[str, str], str] = run_dot) -> str:
    """A 一件事's chart, inline SVG; ``draw(name, dot)`` makes the SVG of DOT (Graphviz by default)."""
    b = view.bundle
    return inline_svg(draw(b.slug, bundle_dot(view)), f"{b.name}办理流程图", f"{b.id}-chart")


Dates = tuple[str, str]
"""(发布日期, 更新日期) of a page, YYYY-MM-DD; "" where the history does not tell."""


@dataclass
class GeneratedSite:
    """Generated files, keyed by their path relative to the docs folder."""

    pages: dict[str, str] = field(default_factory=dict)
    """Markdown pages."""
    assets: dict[str, str] = field(default_factory=dict)
    """Text files served as they are: printable forms (HTML), standalone SVG charts, open data, scripts."""
    copies: dict[str, Path] = field(default_factory=dict)
    """Files copied as they are (blank forms and samples)."""
    stored: dict[str, Path] = field(default_factory=dict)
    """Generated files whose text the cache layer keeps on disk (:mod:`generator.speed.store`), served as they are."""
    parked: dict[str, Path] = field(default_factory=dict)
    """Pages whose set-aside HTML the cache layer keeps on disk, read when the page is filled."""
    indexed: dict[str, dict[str, str]] = field(default_factory=dict)
    unindexed: dict[str, dict[str, str]] = field(default_factory=dict)
    search: list[Json] = field(default_factory=list)
    """The search documents of the items (:mod:`generator.render.search`), merged into the theme's index."""
    search_words: list[str] = field(default_factory=list)
    """The everyday words of the synonym table, for the search (see :func:`generator.render.search.merge`)."""
    theme: dict[str, Json] = field(default_factory=dict)
    """What the theme's own templates show from procedures/: the hotline, the popular items, the topics."""
    snippets: dict[str, str] = field(default_factory=dict)
    """Marker → HTML, for hand-written pages (:data:`SNIPPETS`)."""
    dates: dict[str, Dates] = field(default_factory=dict)
    """Page path → (发布日期, 更新日期) from git, for the pages and the sitemap."""
    _read: tuple[str, dict[str, dict[str, str]]] = field(default=("", {}), repr=False, compare=False)
    """The parked HTML last read (a page rendered outside MkDocs' loop is filled twice in a row: before search and
    after)."""

    def add(self, parts: Parts) -> None:
        """Take rendered files (Markdown pages and others) and their set-aside parts."""
        for path, text in parts.files.items():
            (self.pages if path.endswith(".md") else self.assets)[path] = text
        self.indexed.update((path, dict(slots)) for path, slots in parts.indexed.items())
        self.unindexed.update((path, dict(slots)) for path, slots in parts.unindexed.items())  # charts go in here
        self.stored.update((path, Path(file)) for path, file in parts.stored.items())
        self.parked.update((path, Path(file)) for path, file in parts.parked.items())

    def fill_indexed(self, path: str, text: str) -> str:
        """Put a page's indexed HTML back, after Markdown and before search; and the snippets anywhere."""
        text = _fill(text, self._slots(path, "indexed"))
        return _fill(text, self.snippets) if "<!-- banshi:" in text else text

    def fill_unindexed(self, path: str, text: str) -> str:
        """Put the rest of a page's HTML (charts included) back, into the finished page."""
        return _fill(text, self._slots(path, "unindexed"))

    def fill(self, path: str, text: str) -> str:
        """Put all of a page's parts back (for builders other than MkDocs)."""
        return self.fill_unindexed(path, self.fill_indexed(path, text))

    def text(self, path: str) -> str:
        """A generated file's text, in memory or stored."""
        held = self.pages.get(path, self.assets.get(path))
        return held if held is not None else self.stored[path].read_bytes().decode("utf-8", "surrogatepass")

    def _slots(self, path: str, kind: str) -> Mapping[str, str]:
        held = (self.indexed if kind == "indexed" else self.unindexed).get(path)
        if held is not None or path not in self.parked:
            return held or {}
        if self._read[0] != path:
            self._read = (path, read_parked(self.parked[path]))
        return self._read[1].get(kind, {})


def park(indexed: Mapping[str, str], unindexed: Mapping[str, str]) -> bytes:
    """A page's set-aside HTML as a file (:attr:`GeneratedSite.parked`), read back by :func:`read_parked`."""
    value = {"indexed": indexed, "unindexed": unindexed}
    try:
        return orjson.dumps(value)
    except TypeError:  # what orjson refuses (a lone surrogate): the standard library's, escaped
        return json.dumps(value).encode("ascii")


def read_parked(file: Path) -> dict[str, dict[str, str]]:
    """A page's set-aside HTML as :func:`park` wrote it."""
    data = file.read_bytes()
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        value = json.loads(data)
    return {kind: dict(value[kind]) for kind in ("indexed", "unindexed")}


def _fill(text: str, slots: Mapping[str, str]) -> str:
    for marker, html in slots.items():
        text = text.replace(marker, html, 1)
    return text


def render_redirects(catalog: Catalog, history: History, renderer: PageRenderer) -> dict[str, str]:
    """A page at every earlier address of every item (from git: its file was renamed or moved), sending the
    reader on; printed QR codes, bookmarks and links elsewhere keep working.  An address that another item
    now has is left to that item."""
    current = {p.slug for p in catalog.procedures}
    files: dict[str, str] = {}
    for p in catalog.procedures:
        for slug in history.addresses.get(p.identity, ()):
            if slug == p.slug or slug in current:
                continue
            old = f"items/{slug}.md"
            canonical = renderer.site_url.rstrip("/") + "/" + page_url(Paths.item(p), renderer.directory_urls)
            renderer.render(
                "redirect.html.j2", old, p=p, site=catalog.site, canonical=canonical if renderer.site_url else ""
            )
            url = page_url(old, renderer.directory_urls)
            files[url + "index.html" if url.endswith("/") else url] = renderer.take().files[old]
    return files


def robots(site_url: str) -> str:
    """robots.txt: everything may be indexed (printable forms say noindex themselves); where the sitemap is."""
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"


def page_dates(catalog: Catalog, views: Iterable[ItemView], history: History) -> dict[str, Dates]:
    """When each generated page was first published and last changed, from git — never the build date.

    An item page: its item's 首次公布 and last change.  A department page: its department.yml's first commit,
    and the newest change of the file or of the items it takes part in.  The index and statistics pages: the
    oldest and newest of all items.  Pages whose dates the history does not tell are left out.
    """
    items: dict[str, Dates] = {view.procedure.identity: (view.published, view.last_changed) for view in views}
    dates: dict[str, Dates] = {Paths.item(p): items[p.identity] for p in catalog.procedures if items[p.identity][1]}
    changes: dict[str, list[str]] = {}  # department id → the last changes of the items it takes part in
    for p in catalog.procedures:
        if items[p.identity][1]:
            for department in p.departments:
                changes.setdefault(department, []).append(items[p.identity][1])
    for d in catalog.departments:
        first, last = history.files.get(f"{d.id}/department.yml", ("", ""))
        involved = changes.get(d.id, [])
        if first or involved:
            dates[Paths.department(d)] = (first, max([last, *involved]))
    published = [first for first, _ in items.values() if first]
    updated = [last for _, last in items.values() if last]
    if updated:
        for path in (*INDEXES, DEPARTMENTS, STATS):
            dates[path] = (min(published, default=""), max(updated))
    return dates | _bundle_dates(catalog, history)


def _bundle_dates(catalog: Catalog, history: History) -> dict[str, Dates]:
    """Each 一件事 page's dates, and the 一件事 index's: the oldest and newest of the bundles."""
    bundles = {Paths.bundle(b): history.dates(b.slug) for b in catalog.bundles}
    dates = {path: d for path, d in bundles.items() if d[1]}
    if dates:
        dates[BUNDLES] = (min((d[0] for d in dates.values() if d[0]), default=""), max(d[1] for d in dates.values()))
    return dates


def theme_data(catalog: Catalog, directory_urls: bool) -> dict[str, Json]:
    """The site-wide facts the theme shows around every page (footer, home page), from site.yml.

    Every text is HTML-escaped here: MkDocs' theme templates print values raw (as :func:`frontmatter_value`
    escapes page titles for them), and these texts come from the departments' YAML.
    """
    site = catalog.site
    by_slug = {p.slug: p for p in catalog.procedures}
    popular: list[Json] = [_tile(by_slug[slug], directory_urls) for slug in site.popular or ()]
    hotline = site.hotline and escape(site.hotline)
    return {
        "hotline": hotline,
        "title": escape(site.title),
        "popular": popular,
        "topics": _topics(catalog, directory_urls),
        "bundles": [_bundle_tile(b, directory_urls) for b in catalog.bundles],
    }


def _bundle_tile(b: Bundle, directory_urls: bool) -> Json:
    """A 一件事 on the home page: its name, address, how many items and its own promise (未公布 when none)."""
    committed = b.committed
    facts = f"{len(b.members)} 个事项一次办 · " + (f"承诺 {committed}" if committed else "时限未公布")
    return {"name": escape(b.name), "url": escape(page_url(Paths.bundle(b), directory_urls)), "facts": escape(facts)}


def _tile(p: Procedure, directory_urls: bool) -> Json:
    """A popular item on the home page: its name, address and how long and how many visits."""
    facts = " · ".join((time_words(p), visits_words(p)))
    return {"name": escape(p.name), "url": escape(page_url(Paths.item(p), directory_urls)), "facts": escape(facts)}


def _topics(catalog: Catalog, directory_urls: bool) -> list[Json]:
    """The topics that have items (a topic without items has no section to go to), with their counts."""
    counts = {t: sum(t in (p.topics or ()) for p in catalog.procedures) for t in catalog.site.topics or ()}
    by_topic = page_url("guide/by-topic.md", directory_urls)
    return [
        {"name": escape(topic), "url": escape(f"{by_topic}#{anchor(topic)}"), "count": count}
        for topic, count in counts.items()
        if count
    ]


def site_wide(
    site: GeneratedSite,
    catalog: Catalog,
    views: Iterable[ItemView],
    history: History,
    renderer: PageRenderer,
    documents: Sequence[Json] | None = None,
) -> None:
    """What depends on the whole catalog but is cheap: the search documents (``documents``, the items' own when
    they were rendered with them), the theme's data, the snippets of hand-written pages, the redirects from earlier
    addresses, robots.txt and each page's last change."""
    views = tuple(views)
    synonyms = synonym_table(catalog.site)
    if documents is None:
        documents = [item_document(view, renderer.directory_urls, synonyms) for view in views]
    site.search = list(documents)
    site.search += [bundle_document(b, catalog, renderer.directory_urls) for b in catalog.bundles]
    site.search_words = list(synonyms)
    site.theme = theme_data(catalog, renderer.directory_urls)
    stated = stated_counts(catalog)
    site.snippets = {
        marker: renderer.snippet(t, site=catalog.site, catalog=catalog, stated=stated) for marker, t in SNIPPETS.items()
    }
    site.theme["identity_html"] = renderer.snippet("_identity.html.j2", site=catalog.site, root=ROOT_MARK)
    site.assets.update(render_redirects(catalog, history, renderer))
    site.assets["robots.txt"] = robots(renderer.site_url)
    site.dates = page_dates(catalog, views, history)


def finish(site: GeneratedSite, catalog: Catalog, procedures_dir: Path) -> GeneratedSite:
    """Add the calendar script and the blank forms to the rendered pages."""
    site.assets[CALENDAR_SCRIPT] = calendar_script(WorkCalendar.load(catalog.site.calendar))
    for form in catalog.forms:
        site.copies[Paths.form(form.department, form.relative)] = procedures_dir / form.path
    identity = catalog.site.identity
    if identity and identity.badge:
        site.copies[badge_path(identity.badge)] = procedures_dir / identity.badge
    return site


def write_tree(site: GeneratedSite, out: Path, content: Path | None = None) -> int:
    """Write a complete docs folder (hand-written pages + generated ones, filled) for any MkDocs-like builder."""
    import shutil

    if content is not None:
        shutil.copytree(content, out, dirs_exist_ok=True)
        for page in out.rglob("*.md"):
            text = page.read_text(encoding="utf-8")
            if "<!-- banshi:" in text:
                page.write_text(_fill(text, site.snippets), encoding="utf-8")
    for path in [*site.pages, *site.assets, *site.stored]:
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(site.fill(path, site.text(path)), encoding="utf-8")
    for path, source in site.copies.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return len(site.pages) + len(site.assets) + len(site.stored) + len(site.copies)

"""Everything the site needs besides hand-written pages, as files in memory.

:func:`render_item` and :func:`render_shared` are pure: model in, :class:`Parts`
out.  :class:`GeneratedSite` collects them with the charts and the files to
copy, and puts the set-aside HTML back when a page is finished.  Caching and
forking are a layer around these (:mod:`generator.speed.generate`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..contract.yaml12 import Json
from ..model import Catalog, Procedure
from ..workdays import WorkCalendar, calendar_script
from .opendata import OpenData
from .pages import PageRenderer, Parts
from .urls import Paths
from .view import ItemView

CHART_SLOT = "<!-- banshi:chart -->"
"""Where an item page's SVG goes, inside the page's set-aside flowchart part.
Pages are cached apart from charts, so the SVG is put in after both are known."""

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

    record: Json = None

    def to_json(self) -> dict[str, object]:
        return {**super().to_json(), "record": self.record}

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> ItemParts:
        parts = Parts.from_json(data)
        return cls(parts.files, parts.indexed, parts.unindexed, data["record"])


def render_item(view: ItemView, renderer: PageRenderer, data: OpenData) -> ItemParts:
    """One item's page (with :data:`CHART_SLOT` for its chart), printable forms, JSON file and record."""
    renderer.item_pages(view, CHART_SLOT, data.json_ld(view))
    parts = renderer.take()
    record = data.record(view)
    path, text = data.item_file(view.procedure, record)
    parts.files[path] = text
    return ItemParts(parts.files, parts.indexed, parts.unindexed, record)


def render_shared(
    catalog: Catalog, records: list[Json], renderer: PageRenderer, data: OpenData, updated: Callable[[Procedure], str]
) -> Parts:
    """Department, index and statistics pages and the open data collection."""
    renderer.shared_pages(catalog)
    parts = renderer.take()
    parts.files.update(data.shared_files(catalog, records, updated))
    return parts


@dataclass
class GeneratedSite:
    """Generated files, keyed by their path relative to the docs folder."""

    pages: dict[str, str] = field(default_factory=dict)
    """Markdown pages."""
    assets: dict[str, str] = field(default_factory=dict)
    """Text files served as they are: printable forms (HTML), standalone SVG charts, open data, scripts."""
    copies: dict[str, Path] = field(default_factory=dict)
    """Files copied as they are (blank forms and samples)."""
    indexed: dict[str, dict[str, str]] = field(default_factory=dict)
    unindexed: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, parts: Parts) -> None:
        """Take rendered files (Markdown pages and others) and their set-aside parts."""
        for path, text in parts.files.items():
            (self.pages if path.endswith(".md") else self.assets)[path] = text
        self.indexed.update(parts.indexed)
        self.unindexed.update(parts.unindexed)

    def fill_indexed(self, path: str, text: str) -> str:
        """Put a page's indexed HTML back, after Markdown and before search."""
        return _fill(text, self.indexed.get(path, {}))

    def fill_unindexed(self, path: str, text: str) -> str:
        """Put the rest of a page's HTML (charts included) back, into the finished page."""
        return _fill(text, self.unindexed.get(path, {}))

    def fill(self, path: str, text: str) -> str:
        """Put all of a page's parts back (for builders other than MkDocs)."""
        return self.fill_unindexed(path, self.fill_indexed(path, text))

    def put_chart(self, p: Procedure, svg: str) -> None:
        """Put an item's SVG into its page's set-aside part that holds :data:`CHART_SLOT`, and beside the page."""
        slots = self.unindexed.get(Paths.item(p), {})
        marker = next((m for m, html in slots.items() if CHART_SLOT in html), None)
        if marker is not None:
            slots[marker] = slots[marker].replace(CHART_SLOT, svg, 1)
        else:  # not deferred: the slot is in the page itself
            self.pages[Paths.item(p)] = self.pages[Paths.item(p)].replace(CHART_SLOT, svg, 1)
        self.assets[Paths.chart(p)] = svg


def _fill(text: str, slots: Mapping[str, str]) -> str:
    for marker, html in slots.items():
        text = text.replace(marker, html, 1)
    return text


def finish(site: GeneratedSite, catalog: Catalog, procedures_dir: Path, charts: Mapping[str, str]) -> GeneratedSite:
    """Add the charts, the calendar script and the blank forms to the rendered pages."""
    for p in catalog.procedures:
        if p.slug in charts:
            site.put_chart(p, charts[p.slug])
    site.assets[CALENDAR_SCRIPT] = calendar_script(WorkCalendar.load(catalog.site.calendar))
    for relative in catalog.forms:
        department, _, rest = relative.partition("/")
        site.copies[Paths.form(department, rest)] = procedures_dir / relative
    return site


def write_tree(site: GeneratedSite, out: Path, content: Path | None = None) -> int:
    """Write a complete docs folder (hand-written pages + generated ones, filled) for any MkDocs-like builder."""
    import shutil

    if content is not None:
        shutil.copytree(content, out, dirs_exist_ok=True)
    for path, text in {**site.pages, **site.assets}.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(site.fill(path, text), encoding="utf-8")
    for path, source in site.copies.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return len(site.pages) + len(site.assets) + len(site.copies)

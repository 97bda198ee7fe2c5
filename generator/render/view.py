"""What one item's pages and chart are rendered from: the item, the departments it involves, the site, its history.

Everything an item page shows comes from its :class:`ItemView`, so a digest of
the view is a complete cache key for the page.  The view also answers which
statement applies when an item, its department and the site may each state
something (the complaint centre, the review body, the address…): the nearest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import quote

from ..contract.vocab import is_catch_all
from ..model import (
    Bodies,
    Bundle,
    Catalog,
    Channel,
    Department,
    FormFile,
    Position,
    Procedure,
    Site,
    Step,
    area_code,
    in_site_region,
    is_complaint_label,
)
from ..records.figures import ItemPerformance
from ..versions import Coverage, Entry, first_published


def _files(catalog: Catalog, p: Procedure) -> tuple[FormFile, ...]:
    """The forms and samples of its department that the item links to."""
    named = {m.form for m in p.materials} | {m.sample for m in p.materials} | {p.result and p.result.sample}
    return tuple(f for f in catalog.forms if f.department == p.department and f.relative in named)


@dataclass(frozen=True)
class ItemView:
    """Everything an item's pages and chart show; its digest is their cache key."""

    procedure: Procedure
    departments: tuple[Department, ...]
    """The item's own department first, then the others that take part."""
    site: Site
    entries: tuple[Entry, ...] = ()
    """变更记录, newest first."""
    last_changed: str = ""
    coverage: Coverage = field(default_factory=Coverage)
    files: tuple[FormFile, ...] = ()
    """The forms and samples the item links to, with their sizes."""
    performance: ItemPerformance | None = None
    """The item's figures from the case records (近 12 个月), when there are records."""
    bundles: tuple[Bundle, ...] = ()
    """The 一件事 that bundle the item (its page links to them)."""

    @classmethod
    def of(
        cls,
        catalog: Catalog,
        p: Procedure,
        entries: tuple[Entry, ...] = (),
        last: str = "",
        coverage: Coverage | None = None,
        performance: ItemPerformance | None = None,
    ) -> ItemView:
        departments = tuple(catalog.department(d) for d in p.departments)
        bundles = tuple(b for b in catalog.bundles if b.member(p.slug))
        return cls(
            p,
            departments,
            catalog.site,
            entries,
            last,
            coverage or Coverage(),
            _files(catalog, p),
            performance,
            bundles,
        )

    @property
    def published(self) -> str:
        """The date the item was first published (首次公布 in its 变更记录); "" when the history does not reach it."""
        return first_published(self.entries)

    @property
    def department(self) -> Department:
        return self.departments[0]

    # What applies to this item: its own statement, else its department's, else the site's when the department
    # belongs to the site's region (a county bureau on a city site does not answer to the city's bodies).

    @property
    def bodies(self) -> Bodies:
        return Bodies.of(self.site, self.department, self.procedure)

    @property
    def complaint_center(self) -> str | None:
        return self.bodies.complaint_center

    @property
    def review(self) -> str | None:
        return self.bodies.review

    @property
    def litigation(self) -> str | None:
        return self.bodies.litigation

    @property
    def area_code(self) -> str | None:
        return area_code(self.site, self.department)

    @property
    def pause_rule(self) -> str | None:
        """The department's (or, in the site's region, the site's) own statement of when the clock stops."""
        local = in_site_region(self.site, self.department)
        return self.department.pause_rule or (self.site.pause_rule if local else None)

    @property
    def notice_promise(self) -> str | None:
        """The 一次性告知 promise the department (or the site) makes; never for an item with a catch-all material."""
        if any(is_catch_all(m.name) for m in self.procedure.materials):
            return None
        local = in_site_region(self.site, self.department)
        return self.department.notice_promise or (self.site.notice_promise if local else None)

    @property
    def pause(self) -> str:
        """What the item's own steps say about time that does not count: 补正 and 特别程序 periods, when it has them."""
        special = any(s.special for s in self.procedure.flow)
        which = "和".join(name for name, has in (("补正", self.rework), ("特别程序", special)) if has)
        return f"{which}期间不计入" if which else ""

    @property
    def rework(self) -> bool:
        return any(o.is_rework for s in self.procedure.flow for o in s.alternatives)

    @property
    def complaint_channels(self) -> tuple[Channel, ...]:
        return tuple(c for c in self.channels if is_complaint_label(c.label))

    @property
    def place(self) -> str | None:
        return self.procedure.place or self.department.address

    @property
    def map_link(self) -> str | None:
        """The site's map service searching the place (none without a map service, as on an intranet)."""
        if not self.site.map_url or not self.place:
            return None
        return self.site.map_url + quote(self.place, safe="")

    @property
    def edit_link(self) -> str | None:
        """The editor's page of this item's file (internal preview sites only: site.yml edit_url)."""
        if not self.site.edit_url:
            return None
        return self.site.edit_url + quote(f"{self.procedure.department}/{PurePath(self.procedure.source).name}")

    @property
    def service_links(self) -> tuple[tuple[str, str], ...]:
        """The site's 办件进度查询 and 好差评 entries, for a department of the site's own region (another region's
        items are not the site's to query or rate)."""
        if not in_site_region(self.site, self.department):
            return ()
        own_progress = any("进度" in channel.label for channel in self.channels)  # the item's own query is the one
        progress = None if own_progress else self.site.progress_url
        links = (("办件进度查询", progress), ("评价服务（好差评）", self.site.rating_url))
        return tuple((label, url) for label, url in links if url)

    @property
    def hours(self) -> str | None:
        return self.procedure.hours or self.department.hours

    @property
    def channels(self) -> tuple[Channel, ...]:
        """Labelled contacts: the item's, then its department's."""
        return (*(self.procedure.contacts or ()), *(self.department.contacts or ()))

    @property
    def phone(self) -> str | None:
        """The number to ask: a 咨询 channel's, else the department's, else any labelled number that is not a
        complaint line (a guide that prints 办理电话 or 联系电话 gives a way to ask)."""
        consult = next((c.phone for c in self._asking if "咨询" in c.label), None)
        return consult or self.department.phone or next((c.phone for c in self._asking), None)

    @property
    def phone_label(self) -> str:
        """What the number to ask is called: 咨询电话, or the guide's own label (办理电话) when it gives only that."""
        if any("咨询" in c.label for c in self._asking) or self.department.phone or not self._asking:
            return "咨询电话"
        label = self._asking[0].label
        return label if label.endswith("电话") else f"{label}电话"

    @property
    def _asking(self) -> list[Channel]:
        return [c for c in self.channels if c.phone and not is_complaint_label(c.label)]

    def file_label(self, relative: str) -> str:
        """What a download link says about its file: ``PDF，86 KB``."""
        extension = relative.rpartition(".")[2].upper() if "." in relative else "文件"
        found = next((f for f in self.files if f.relative == relative), None)
        if found is None:
            return extension
        size = f"{-(-found.size // 1024)} KB" if found.size < 1024 * 1024 else f"{found.size / 1024 / 1024:.1f} MB"
        return f"{extension}，{size}"

    def position(self, step: Step) -> Position | None:
        """The position that handles a step, if the step names one and its department defines it."""
        if step.position is None:
            return None
        department = next((d for d in self.departments if d.id == step.department), None)
        return department.position(step.position.position) if department else None

    def post_of(self, step: Step) -> Position | None:
        """The position (岗位) that handles ``step``, in whichever department it is."""
        if step.position is None:
            return None
        department = next(d for d in self.departments if d.id == step.department)
        return department.position(step.position.position)

    def handler(self, step: Step, separator: str = " · ") -> str:
        """The title of the position handling ``step``, prefixed by its department when it is another one."""
        if step.position is None:
            return ""
        department = next(d for d in self.departments if d.id == step.department)
        position = department.position(step.position.position)
        title = position.title if position else step.position.position
        return title if department is self.department else f"{department.label}{separator}{title}"

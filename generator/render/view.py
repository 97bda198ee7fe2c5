"""What one item's pages and chart are rendered from: the item, the departments it involves, the site, its history.

Everything an item page shows comes from its :class:`ItemView`, so a digest of
the view is a complete cache key for the page.  The view also answers which
statement applies when an item, its department and the site may each state
something (the complaint centre, the review body, the address…): the nearest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Catalog, Channel, Contact, Department, FormFile, Position, Procedure, Site, Step
from ..records.figures import ItemPerformance
from ..versions import Coverage, Entry


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
        named = {m.form for m in p.materials} | {m.sample for m in p.materials} | {p.result and p.result.sample}
        files = tuple(f for f in catalog.forms if f.department == p.department and f.relative in named)
        return cls(p, departments, catalog.site, entries, last, coverage or Coverage(), files, performance)

    @property
    def published(self) -> str:
        """The date the item was first published (首次公布 in its 变更记录); "" when the history does not reach it."""
        for entry in reversed(self.entries):
            if any(change.kind == "added" for change in entry.changes):
                return entry.date
        return ""

    @property
    def department(self) -> Department:
        return self.departments[0]

    # What applies to this item: its own statement, else its department's, else the site's.

    @property
    def complaint(self) -> Contact:
        return self.procedure.complaint or self.department.complaint or self.site.complaint

    @property
    def complaint_center(self) -> str:
        return self.procedure.complaint_center or self.department.complaint_center or self.site.complaint_center

    @property
    def review(self) -> str:
        return self.procedure.review or self.department.review or self.site.review

    @property
    def litigation(self) -> str:
        return self.procedure.litigation or self.department.litigation or self.site.litigation

    @property
    def place(self) -> str | None:
        return self.procedure.place or self.department.address

    @property
    def hours(self) -> str | None:
        return self.procedure.hours or self.department.hours

    @property
    def channels(self) -> tuple[Channel, ...]:
        """Labelled contacts: the item's, then its department's."""
        return (*(self.procedure.contacts or ()), *(self.department.contacts or ()))

    @property
    def phone(self) -> str | None:
        """The consultation number: a 咨询 channel's, else the department's."""
        consult = next((c.phone for c in self.channels if c.phone and "咨询" in c.label), None)
        return consult or self.department.phone

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

    def handler(self, step: Step, separator: str = " · ") -> str:
        """The title of the position handling ``step``, prefixed by its department when it is another one."""
        if step.position is None:
            return ""
        department = next(d for d in self.departments if d.id == step.department)
        position = department.position(step.position.position)
        title = position.title if position else step.position.position
        return title if department is self.department else f"{department.short_name}{separator}{title}"

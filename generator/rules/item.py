"""Semantic checks of the model: rules that need more than one value, or more than one file.

Each check reports a key path and a message id; :class:`~generator.read.check.Locator`
turns them into located diagnostics.  A check runs whenever the keys it reads
were well formed, so a file with a structural error still gets every other
check in the same run (see ``NEEDS``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..contract.values import IDENT
from ..contract.vocab import is_catch_all
from ..diagnostics import Diagnostic
from ..messages import did_you_mean, quote_choices
from ..model import Bodies, Channel, Department, Procedure, Site, Step, in_site_region
from ..read.check import Locator
from ..read.files import EXTENSIONS
from ..workdays import WorkCalendar
from .files import check_files, inside_and_exists
from .flow import Problem, check_flow
from .situations import check_situations
from .times import check_times


def check_catalog(
    site: Site | None,
    departments: Mapping[str, Department],
    procedures: list[Procedure],
    locator: Locator,
    root: Path,
    others: Mapping[str, str] | None = None,
    unchecked: Iterable[str] = (),
    remembered: Remembered | None = None,
) -> list[Diagnostic]:
    """Semantic checks; ``others`` are the codes of items that were not read (code → path), ``unchecked``
    the departments whose files are broken (positions in them are not looked up); ``remembered`` keeps each item's
    problems for the next call (see :class:`Remembered`)."""
    diagnostics = list(_check_codes(procedures, locator, others or {}))
    diagnostics += _check_departments(departments, locator, site)
    if site is not None and not others:  # all items were read
        diagnostics += _check_popular(site, procedures, locator, root)
    if site is not None:
        diagnostics += _check_badge(site, locator, root)
    calendar = WorkCalendar.load(site.calendar if site else None)
    for procedure in procedures:
        check = ItemCheck(procedure, site, departments, locator, root, calendar, frozenset(unchecked))
        diagnostics += remembered.run(check) if remembered else check.run()
    if remembered:
        remembered.keep_only({p.source for p in procedures})
    return diagnostics


@dataclass
class Remembered:
    """Each item's problems, kept from one call of :func:`check_catalog` to the next in a long-running process
    (``mkdocs serve``'s :class:`generator.load.Workspace`, which builds an unchanged file once): an item whose model
    and file check, site and departments are the very objects of last time has the same problems, but for those
    about files on disk (:func:`check_files`), which are looked at again."""

    kept: dict[str, tuple[tuple[object, ...], list[Diagnostic]]] = field(default_factory=dict)

    def run(self, check: ItemCheck) -> list[Diagnostic]:
        p = check.procedure
        inputs = (p, check.locator.files.get(p.source), check.site, *check.departments.values())
        last = self.kept.get(p.source)
        if (
            last is None
            or last[0][-1] != check.unchecked
            or len(last[0]) != len(inputs) + 1
            or any(a is not b for a, b in zip(last[0], inputs, strict=False))
        ):
            last = ((*inputs, check.unchecked), check.run(on_disk=False))
            self.kept[p.source] = last
        return last[1] + (check.run(only_disk=True) if "" not in check.broken else [])

    def keep_only(self, sources: set[str]) -> None:
        """Forget the items that are gone."""
        for gone in self.kept.keys() - sources:
            del self.kept[gone]


def _check_codes(procedures: list[Procedure], locator: Locator, others: Mapping[str, str]) -> Iterator[Diagnostic]:
    first: dict[str, str] = dict(others)
    for procedure in procedures:
        if procedure.code is None:
            continue
        other = first.setdefault(procedure.code, procedure.source)
        if other != procedure.source:
            yield locator.at(procedure.source, "code", "duplicate_code", value=procedure.code, other=other)


def _check_popular(site: Site, procedures: list[Procedure], locator: Locator, root: Path) -> Iterator[Diagnostic]:
    """The home page's 热门事项 name item files that exist (a broken one is reported by its own check)."""
    file = next((name for name, checked in locator.files.items() if checked.kind == "site"), None)
    slugs = [p.slug for p in procedures]
    for index, slug in enumerate(site.popular or ()):
        if file is not None and not any((root / f"{slug}{extension}").is_file() for extension in EXTENSIONS):
            yield locator.at(file, f"popular[{index}]", "unknown_item", value=slug, hint=did_you_mean(slug, slugs))


IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _check_badge(site: Site, locator: Locator, root: Path) -> Iterator[Diagnostic]:
    """The 党政机关网站标识 is an image file inside procedures/ (it is copied into the site)."""
    badge = site.identity.badge if site.identity else None
    file = next((name for name, checked in locator.files.items() if checked.kind == "site"), None)
    if not badge or file is None:
        return
    if not inside_and_exists(root.resolve(), badge):
        yield locator.at(file, "identity.badge", "badge_missing", value=badge)
        return
    head = (root / badge).read_bytes()[:512]
    is_svg = badge.lower().endswith(".svg") and b"<svg" in head.lower()
    if not (head.startswith(IMAGE_MAGIC) or is_svg):
        yield locator.at(file, "identity.badge", "badge_not_image", value=badge)


def _check_departments(
    departments: Mapping[str, Department], locator: Locator, site: Site | None
) -> Iterator[Diagnostic]:
    by_label: dict[str, str] = {}
    for file, department_id, label, key in _labels(departments, locator):
        other = by_label.setdefault(label, department_id)
        if other != department_id:
            yield locator.at(file, key, "duplicate_short_name", value=label, other=other)
    for department in departments.values():
        file = f"{_folder_of(locator, department.id)}/department.yml"
        if file not in locator.files:
            continue
        yield from _check_bodies(department, file, locator, site)
        for position in department.positions:
            if position.accountability is None:
                key = f"positions.{position.id}.accountability"
                yield locator.at(file, key, "not_stated", what=f"岗位“{position.title}”的过错责任").warning()
        yield from _check_channels(department.contacts, file, locator)


def _check_bodies(department: Department, file: str, locator: Locator, site: Site | None) -> Iterator[Diagnostic]:
    """A department of another region names its own complaint centre, review body and court, or they are 未公布."""
    if site is None or in_site_region(site, department):
        return
    missing = Bodies.of(site, department).missing
    if missing:
        names = "、".join(f"{BODY_NAMES[k]}（{k}）" for k in missing)
        region = department.region
        yield locator.at(file, "region", "bodies_of_region", region=region, site=site.region, missing=names).warning()


def _labels(departments: Mapping[str, Department], locator: Locator) -> Iterator[tuple[str, str, str, str]]:
    """(file, department id, short name or full name, its key) of every department file, in file order, including
    files with errors elsewhere (so that a clash is reported in the same run as those errors)."""
    for file, checked in sorted(locator.files.items()):
        if checked.kind != "department" or checked.data is None:
            continue
        department_id = Path(file).parent.name
        built = departments.get(department_id)
        if built is not None:
            yield file, department_id, built.label, "short_name" if built.short_name else "name"
            continue
        for key in ("short_name", "name"):
            value = checked.data.get(key)
            if key not in checked.broken and isinstance(value, str):
                yield file, department_id, value.strip(), key
                break


def _folder_of(locator: Locator, department: str) -> str:
    return next((f.rsplit("/", 1)[0] for f in locator.files if f.endswith(f"/{department}/department.yml")), department)


def _check_channels(channels: tuple[Channel, ...] | None, file: str, locator: Locator) -> Iterator[Diagnostic]:
    for index, channel in enumerate(channels or ()):
        if not (channel.phone or channel.email or channel.url or channel.address):
            yield locator.at(file, f"contacts[{index}]", "contact_empty", label=channel.label).warning()


BODY_NAMES = {"complaint_center": "效能投诉中心", "review": "行政复议机关", "litigation": "行政诉讼的人民法院"}

Check = Callable[["ItemCheck"], Iterable[Diagnostic]]


@dataclass
class ItemCheck:
    """The semantic checks of one item."""

    procedure: Procedure
    site: Site | None
    departments: Mapping[str, Department]
    locator: Locator
    root: Path
    calendar: WorkCalendar
    unchecked: frozenset[str] = field(default_factory=frozenset)

    @property
    def broken(self) -> frozenset[str]:
        """The top-level keys of the item that had structural errors."""
        return self.locator.files[self.procedure.source].broken

    def run(self, on_disk: bool = True, only_disk: bool = False) -> list[Diagnostic]:
        """The item's problems; ``on_disk=False`` leaves out the checks of files on disk, ``only_disk`` does
        only those."""
        if "" in self.broken:
            return []
        found: list[Diagnostic] = []
        for check, keys in NEEDS:
            disk = check is check_files
            if not self.broken & keys and (on_disk or not disk) and (disk or not only_disk):
                found += check(self)
        return found

    def error(self, key: str, code: str, **values: object) -> Diagnostic:
        return self.locator.at(self.procedure.source, key, code, **values)

    def warning(self, key: str, code: str, **values: object) -> Diagnostic:
        return self.error(key, code, **values).warning()

    def check_type(self) -> Iterator[Diagnostic]:
        value = self.procedure.type
        if self.site is None or value is None:
            return
        names = self.site.type_names
        if value not in names:
            hint = did_you_mean(value, names)
            yield self.error("type", "unknown_type", value=value, choices=quote_choices(names), hint=hint)

    def check_stated(self) -> Iterator[Diagnostic]:
        """职能到岗、职责到人 is the goal; what a guide leaves out is published as 未公布, with a warning."""
        p = self.procedure
        stated = (
            ("basis", p.basis, "设定依据"),
            ("conditions", p.conditions, "受理条件"),
            ("steps", p.steps, "办理流程"),
        )
        for key, value, what in stated:
            if value is None and key not in self.broken:
                yield self.warning(key, "not_stated", what=what)
        if p.aliases is None and "aliases" not in self.broken:
            yield self.warning("aliases", "no_aliases")

    def check_steps(self) -> Iterator[Diagnostic]:
        handled = [(i, s) for i, s in enumerate(self.procedure.flow) if not s.end and not s.by_applicant]
        for name, what in (("position", "办理岗位"), ("time", "办理时限"), ("does", "办理内容")):
            yield from self._silent_steps(handled, name, what)
        for index, step in enumerate(self.procedure.flow):
            if step.position is not None and step.position.department not in self.unchecked:
                yield from self._check_position(index, step.position.department, step.position.position)

    def _silent_steps(self, handled: list[tuple[int, Step]], name: str, what: str) -> Iterator[Diagnostic]:
        """One line for the item's steps that leave out ``name``, at the first of them."""
        silent = [(i, s) for i, s in handled if getattr(s, name) is None]
        if silent:
            steps = "".join(f"“{s.name}”" for _, s in silent)
            yield self.warning(f"steps[{silent[0][0]}].{name}", "not_stated", what=f"环节{steps}的{what}")

    def _check_position(self, index: int, department_id: str, position: str) -> Iterator[Diagnostic]:
        key = f"steps[{index}].position"
        department = self.departments.get(department_id)
        if department is None:
            hint = did_you_mean(department_id, self.departments)
            yield self.error(key, "unknown_department", value=department_id, hint=hint)
        elif department.position(position) is None:
            choices = [p.id for p in department.positions]
            if department_id != self.procedure.department:
                choices = [f"{department_id}/{c}" for c in choices]
                position = f"{department_id}/{position}"
            yield self.error(key, "unknown_position", value=position, hint=did_you_mean(position, choices))

    def check_joint(self) -> Iterator[Diagnostic]:
        for index, department in enumerate(self.procedure.joint or ()):
            named = not IDENT.allows(department)  # a department of another site, by its name
            if not named and department not in self.departments and department not in self.unchecked:
                hint = did_you_mean(department, self.departments)
                yield self.error(f"joint[{index}]", "unknown_department", value=department, hint=hint)

    def check_online(self) -> Iterator[Diagnostic]:
        p = self.procedure
        online = p.online
        if online is not None and online.level != "不支持" and not online.url:
            yield self.warning("online", "url_missing", level=online.level)
        if online is not None and online.level == "全程网办" and p.visits and not p.onsite_reason:
            yield self.warning("visits", "visit_unexplained", visits=p.visits)

    def check_contacts(self) -> Iterator[Diagnostic]:
        yield from _check_channels(self.procedure.contacts, self.procedure.source, self.locator)

    def check_materials(self) -> Iterator[Diagnostic]:
        unsourced = [(i, m) for i, m in enumerate(self.procedure.materials) if m.source is None and m.to_bring]
        if unsourced:  # one line for the item, not one per material
            names = "".join(f"“{m.name}”" for _, m in unsourced[:3]) + ("等" if len(unsourced) > 3 else "")
            yield self.warning(f"materials[{unsourced[0][0]}]", "material_without_source", value=names,
                               count=len(unsourced))  # fmt: skip
        for index, material in enumerate(self.procedure.materials):
            key = f"materials[{index}]"
            if material.required is False:
                yield self.warning(f"{key}.required", "optional_without_condition", value=material.name)
            if is_catch_all(material.name):
                yield self.warning(f"{key}.name", "catch_all_material", value=material.name)

    def check_topics(self) -> Iterator[Diagnostic]:
        allowed = (self.site.topics or ()) if self.site else None
        if allowed is None:
            return
        for index, topic in enumerate(self.procedure.topics or ()):
            if topic not in allowed:
                choices = quote_choices(allowed) or "（site.yml 没有写 topics）"
                yield self.error(
                    f"topics[{index}]", "unknown_topic", value=topic, choices=choices, hint=did_you_mean(topic, allowed)
                )

    @cached_property
    def flow_problems(self) -> list[Problem]:
        """The problems of the step graph (the time checks need to know there are none)."""
        return check_flow(self.procedure)

    def check_flow(self) -> Iterator[Diagnostic]:
        for problem in self.flow_problems:
            yield self.error(problem.key, problem.code, **problem.values)


NEEDS: list[tuple[Check, frozenset[str]]] = [
    (ItemCheck.check_type, frozenset({"type"})),
    (ItemCheck.check_stated, frozenset()),
    (ItemCheck.check_steps, frozenset({"steps"})),
    (ItemCheck.check_joint, frozenset({"joint"})),
    (ItemCheck.check_online, frozenset({"online", "visits", "onsite_reason"})),
    (ItemCheck.check_contacts, frozenset({"contacts"})),
    (check_files, frozenset({"materials", "result"})),
    (ItemCheck.check_materials, frozenset({"materials"})),
    (ItemCheck.check_flow, frozenset({"steps"})),
    (check_situations, frozenset({"situations", "materials", "steps"})),
    (ItemCheck.check_topics, frozenset({"topics"})),
    (check_times, frozenset({"steps", "time_limits", "kind", "type", "situations"})),
]
"""Each check, and the keys it reads: it runs when none of them had a structural error."""

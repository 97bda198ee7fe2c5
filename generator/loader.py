"""Find the files under ``procedures/``, check their structure and build the model.

Each file is read (:mod:`generator.source`) and checked against its declaration
(:mod:`generator.formats`).  Files with structural errors are left out of the
model; the semantic checks (:mod:`generator.validate`) run on the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any

from .cache import Cache, key_of
from .diagnostics import Diagnostic
from .formats import DEFAULT_ITEM_TYPES, SCHEMAS
from .messages import message
from .model import (
    CalendarOverrides,
    Contact,
    Department,
    Duration,
    Fee,
    ItemType,
    LegalBasis,
    Material,
    Online,
    Outcome,
    Position,
    Procedure,
    Site,
    Step,
    TimeLimits,
)
from .parallel import fork_map
from .schema import INVALID, Checker
from .source import SourceFile, parse_yaml, read_yaml

SITE_FILE = "site.yml"
DEPARTMENT_FILE = "department.yml"
SKIPPED_FOLDERS = {"forms", "schema"}


@dataclass
class Checked:
    """One file after its structural check."""

    path: str
    """Display path."""
    kind: str
    """site, department or item."""
    data: dict[str, Any] | None
    """Plain values, or None when the file had structural errors."""
    locations: Mapping[str, Sequence[int]] = field(default_factory=dict)
    """Key path to (line, column); a list when read back from the cache."""


@dataclass
class Sources:
    """Every file found under ``procedures/``, checked for structure."""

    root: Path
    """The ``procedures/`` folder."""
    files: list[Checked] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Checked]:
        return [f for f in self.files if f.kind == kind and f.data is not None]


def discover(root: Path) -> list[tuple[Path, str]]:
    """(file, kind) for site.yml, each department.yml and each item, in a stable order."""
    found: list[tuple[Path, str]] = []
    if (root / SITE_FILE).is_file():
        found.append((root / SITE_FILE, "site"))
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name.startswith(".") or folder.name in SKIPPED_FOLDERS:
            continue
        if (folder / DEPARTMENT_FILE).is_file():
            found.append((folder / DEPARTMENT_FILE, "department"))
        items = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
        found += [(p, "item") for p in items if p.name != DEPARTMENT_FILE]
    return found


def kind_of(relative: str) -> str | None:
    """The kind of a file by its path inside ``procedures/``, as :func:`discover` sees it."""
    parts = relative.split("/")
    if parts == [SITE_FILE]:
        return "site"
    if len(parts) != 2 or parts[0].startswith(".") or parts[0] in SKIPPED_FOLDERS:
        return None
    if parts[1] == DEPARTMENT_FILE:
        return "department"
    return "item" if parts[1].endswith((".yml", ".yaml")) else None


def display_path(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_sources(root: Path, base: Path, items: set[str] | None = None, cache: Path | None = None) -> Sources:
    """Read and structurally check every file; ``base`` is what paths are shown relative to.

    With ``items`` (display paths), only those item files are read, besides
    site.yml and every department.yml.  With ``cache``, the check of a file
    whose bytes were checked before is taken from there.
    """
    sources = Sources(root)
    found = discover(root)
    if items is not None:
        found = [(p, k) for p, k in found if k != "item" or display_path(p, base) in items]
    if not any(kind == "site" for _, kind in found):
        sources.diagnostics.append(Diagnostic(display_path(root, base), 0, 0, "", message("site_missing")))
    # Remembered checks are read here; only the files not seen before go to the workers,
    # since sending results back from them costs more than reading a remembered one.
    store = Cache(cache)
    checked: dict[int, tuple[Checked, list[Diagnostic]]] = {}
    todo: list[tuple[int, Path, str, str, Path | None]] = []
    for index, (path, kind) in enumerate(found):
        display = display_path(path, base)
        hit = store.get(_check_key(path, kind, display)) if cache else None
        if hit is not None:
            diagnostics = [Diagnostic(*d) for d in hit["diagnostics"]]
            checked[index] = (Checked(display, kind, hit["data"], hit["locations"]), diagnostics)
        else:
            todo.append((index, path, kind, display, cache))
    for part in fork_map(_check_chunk, todo):
        checked.update(part)
    for index in range(len(found)):
        file, diagnostics = checked[index]
        sources.files.append(file)
        sources.diagnostics += diagnostics
    return sources


def _check_key(path: Path, kind: str, display: str) -> str:
    return key_of("checked", kind, display, path.read_bytes())


def _check_chunk(
    jobs: Sequence[tuple[int, Path, str, str, Path | None]],
) -> dict[int, tuple[Checked, list[Diagnostic]]]:
    """Check files and remember the checks (in a worker, or here)."""
    done = {}
    for index, path, kind, display, folder in jobs:
        data = path.read_bytes()
        diagnostics: list[Diagnostic] = []
        file = check_source(parse_yaml(data, display), kind, diagnostics)
        entry = {"data": file.data, "locations": file.locations, "diagnostics": [astuple(d) for d in diagnostics]}
        Cache(folder).put(key_of("checked", kind, display, data), entry)
        done[index] = (file, diagnostics)
    return done


def check_file(path: Path, kind: str, display: str, diagnostics: list[Diagnostic]) -> Checked:
    return check_source(read_yaml(path, display), kind, diagnostics)


def check_bytes(data: bytes, kind: str, display: str) -> Checked:
    """Check a file's bytes, e.g. an old version from git; problems are dropped."""
    return check_source(parse_yaml(data, display), kind, [])


def check_source(source: SourceFile, kind: str, diagnostics: list[Diagnostic]) -> Checked:
    display = source.path
    diagnostics += source.diagnostics
    if source.root is None:
        return Checked(display, kind, None)
    checker = Checker(display)
    data = SCHEMAS[kind].check(source.root, "", checker)
    diagnostics += checker.diagnostics
    failed = data is INVALID or any(d.severity == "error" for d in checker.diagnostics)
    return Checked(display, kind, None if failed else data, checker.locations)


# Building the model from checked, plain data ---------------------------------


def build_site(data: dict[str, Any]) -> Site:
    types = data.get("item_types") or [{"name": name} for name in DEFAULT_ITEM_TYPES]
    calendar = data.get("calendar", {})
    return Site(
        region=data["region"],
        title=data["title"],
        complaint_center=data["complaint_center"],
        complaint=build_contact(data["complaint"]),
        review=data["review"],
        litigation=data["litigation"],
        item_types=tuple(ItemType(t["name"], t.get("code", "")) for t in types),
        calendar=CalendarOverrides(
            holidays=tuple(calendar.get("holidays", ())),
            workdays=tuple(calendar.get("workdays", ())),
            years=tuple(calendar.get("years", ())),
        ),
        reviewers=tuple(data.get("reviewers", ())),
    )


def build_contact(data: dict[str, Any]) -> Contact:
    return Contact(**{k: data.get(k, "") for k in ("phone", "email", "address", "online")})


def build_department(department_id: str, data: dict[str, Any]) -> Department:
    positions = tuple(
        Position(pid, p["title"], p["duties"], p["accountability"]) for pid, p in data["positions"].items()
    )
    return Department(
        id=department_id,
        name=data["name"],
        short_name=data["short_name"],
        address=data["address"],
        hours=data["hours"],
        phone=data["phone"],
        website=data.get("website", ""),
        complaint=build_contact(data["complaint"]),
        reviewers=tuple(data["reviewers"]),
        positions=positions,
    )


def build_procedure(path: str, data: dict[str, Any], department: Department) -> Procedure:
    folder, stem = path.split("/")[-2], Path(path).stem
    return Procedure(
        id=stem,
        department=folder,
        source=path,
        code=data["code"],
        name=data["name"],
        type=data["type"],
        audience=tuple(data["audience"]),
        kind=data["kind"],
        basis=tuple(LegalBasis(**b) for b in data["basis"]),
        conditions=tuple(data["conditions"]),
        materials=tuple(build_material(m) for m in data["materials"]),
        time_limits=TimeLimits(
            statutory=_duration(data["time_limits"]["statutory"]),
            committed=_duration(data["time_limits"]["committed"]),
        ),
        fees=tuple(Fee(**f) for f in data.get("fees", [])),
        visits=data["visits"],
        online=Online(**data["online"]),
        place=data.get("place", department.address),
        hours=data.get("hours", department.hours),
        consult=data.get("consult", f"电话 {department.phone}"),
        complaint=build_contact(data["complaint"]) if "complaint" in data else department.complaint,
        commitments=tuple(data.get("commitments", [])),
        result=data["result"],
        steps=tuple(build_step(s, folder) for s in data["steps"]),
    )


def build_material(data: dict[str, Any]) -> Material:
    return Material(
        name=data["name"],
        required=data["required"],
        original=data["original"],
        copies=data["copies"],
        source=data.get("source", ""),
        form=data.get("form", ""),
        sample=data.get("sample", ""),
        notes=data.get("notes", ""),
    )


def build_step(data: dict[str, Any], owner: str) -> Step:
    department, _, position = data.get("position", "").rpartition("/")
    return Step(
        id=data["id"],
        name=data["name"],
        department=department or owner,
        position=position,
        time=_duration(data.get("time", "即办")),
        does=data.get("does", ""),
        next=tuple(data.get("next", ())),
        outcomes=tuple(Outcome(o["when"], o["result"]) for o in data.get("outcomes", ())),
        special=data.get("special", False),
        end=data.get("end", ""),
    )


def _duration(text: str) -> Duration:
    parsed = Duration.parse(text)
    assert parsed is not None, "durations are checked by the schema"
    return parsed

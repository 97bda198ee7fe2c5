"""Versions of ``procedures/`` from git: the change report and each item's 变更记录.

Everything here reads git through its plumbing commands and degrades: outside
a repository, without git, or in a shallow clone the site is still built, and
the pages say how much history there was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..model import Bundle, Department, Procedure
from ..read.assemble import build_bundle, build_department, build_procedure
from ..read.check import Checked, check_bytes
from ..read.files import kind_of
from ..versions import Change, Coverage, Entry, History
from .changes import ItemVersion, compare, compare_bundles, version
from .git import Git, GitError


@dataclass
class Snapshot:
    """Every readable file under ``procedures/`` at one version, checked and built."""

    prefix: str
    """The procedures folder, relative to the repository root, with a trailing slash."""
    items: dict[str, Procedure] = field(default_factory=dict)
    """Path inside the procedures folder → item; unreadable files are left out."""
    departments: dict[str, Department] = field(default_factory=dict)
    """Department id → department."""
    unreadable: set[str] = field(default_factory=set)
    """Files that did not pass the structural check at this version."""
    bundles: dict[str, Bundle] = field(default_factory=dict)
    """高效办成一件事 by id."""

    def update(self, relative: str, content: bytes | None) -> None:
        """Set a file's content; None removes it.  An invalid version keeps the last valid one."""
        kind = kind_of(relative)
        if kind is None or kind == "site":
            return
        self.unreadable.discard(relative)
        folder = relative.split("/")[0]
        if content is None:
            self.items.pop(relative, None)
            self.bundles.pop(PurePosixPath(relative).stem if kind == "bundle" else "", None)
            if kind == "department":
                self.departments.pop(folder, None)
            return
        checked, _ = check_bytes(content, kind, self.prefix + relative)
        if not checked.complete:  # well-formed parts are for the rules; a diff needs the whole file
            self.unreadable.add(relative)
        elif kind == "department":
            self.departments[folder] = build_department(checked)
        elif kind == "bundle":
            bundle = build_bundle(checked)
            self.bundles[bundle.id] = bundle
        else:
            self.items[relative] = build_procedure(Checked(checked.file, kind, checked.data))

    def versions(self, affected: Iterable[str] | None = None) -> dict[str, ItemVersion]:
        """The items (all, or those at the ``affected`` paths), keyed by code."""
        paths = self.items if affected is None else [p for p in affected if p in self.items]
        departments = dict(self.departments)  # as of now: later commits replace entries of self.departments
        return {self.items[p].identity: version(self.items[p], departments) for p in paths}

    def names(self) -> dict[str, str]:
        """部门/事项 → the item's name, as a bundle names its members."""
        return {p.slug: p.name for p in self.items.values()}

    def users_of(self, department: str) -> set[str]:
        """Items that belong to a department or name one of its positions."""
        return {path for path, p in self.items.items() if department in p.departments}


def snapshot(git: Git, rev: str, prefix: str) -> Snapshot:
    shot = Snapshot(prefix)
    for path in git.files(rev, prefix.rstrip("/")):
        shot.update(path[len(prefix) :], git.blob(rev, path))
    return shot


def prefix_of(git: Git, procedures: Path) -> str:
    return procedures.resolve().relative_to(git.root.resolve()).as_posix().rstrip("/") + "/"


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing two versions."""

    changes: list[Change]
    unreadable: list[str]
    """Files at ``head`` that could not be read, and so were not compared."""


def diff(procedures: Path, base: str, head: str = "HEAD") -> Comparison:
    """What changed for the public in ``procedures/`` from ``base`` to ``head``."""
    git = Git.containing(procedures)
    try:
        prefix = prefix_of(git, procedures)
        for rev in (base, head):
            try:
                git.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
            except GitError:
                raise GitError(f"仓库中没有版本“{rev}”（浅克隆时请先 git fetch 取得它）") from None
        old, new = snapshot(git, base, prefix), snapshot(git, head, prefix)
        hidden = {old.items[p].identity for p in new.unreadable if p in old.items}
        before = {code: item for code, item in old.versions().items() if code not in hidden}
        unreadable = sorted(prefix + p for p in new.unreadable)
        names = {**old.names(), **new.names()}
        changes = compare(before, new.versions()) + compare_bundles(old.bundles, new.bundles, names)
        return Comparison(changes, unreadable)
    finally:
        git.close()


# History of every item -----------------------------------------------------


def collect(procedures: Path) -> History:
    """Walk the first-parent history of ``procedures/``; never raises."""
    try:
        git = Git.containing(procedures)
    except GitError as error:
        return History(Coverage(reason=str(error)))
    try:
        return _walk(git, prefix_of(git, procedures))
    except (GitError, ValueError) as error:
        return History(Coverage(reason=str(error)))
    finally:
        git.close()


def _walk(git: Git, prefix: str) -> History:
    shallow = git.is_shallow()
    log = git.run(
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--reverse",
        "-M",
        "--name-status",
        "--format=%x1e%H%x1f%cs",
        "--",
        prefix.rstrip("/"),
    )
    history = History()
    since = ""
    state = Snapshot(prefix)
    for number, record in enumerate(r for r in log.split("\x1e") if r.strip()):
        header, *lines = record.strip("\n").split("\n")
        commit, date = header.split("\x1f")
        touched = _touched(lines, prefix)
        for old, new in touched:  # a renamed file keeps its dates; a deleted one has none
            carried = history.files.pop(old, None) if old and old != new else None
            if new and carried:
                history.files[new] = carried
            if new:
                _touch(history.files, new, date)
        bundles = dict(state.bundles)
        before, after = _apply(git, state, commit, touched)
        for item in after.values():
            if item.procedure.slug not in history.addresses[item.procedure.identity]:
                history.addresses[item.procedure.identity].append(item.procedure.slug)
        if number == 0 and shallow:
            since = date
            continue
        bundled = compare_bundles(bundles, state.bundles, state.names())
        for change_group in _by_code(compare(before, after) + bundled):
            code = change_group[0].code
            history.entries[code].insert(0, Entry(date, commit[:10], tuple(change_group)))
            history.last_changed[code] = date
    history.coverage = Coverage("shallow", since) if shallow else Coverage("complete")
    return history


def _touched(lines: list[str], prefix: str) -> list[tuple[str | None, str | None]]:
    """(old path, new path) inside the procedures folder for each changed file."""
    touched: list[tuple[str | None, str | None]] = []
    for line in lines:
        status, *paths = line.split("\t")
        inside = [p[len(prefix) :] if p.startswith(prefix) else None for p in paths]
        if status.startswith("R") and len(inside) == 2:
            touched.append((inside[0], inside[1]))
        elif status.startswith("D") and inside:
            touched.append((inside[0], None))
        elif inside:
            touched.append((inside[0], inside[0]) if not status.startswith("A") else (None, inside[0]))
    return touched


def _apply(
    git: Git, state: Snapshot, commit: str, touched: list[tuple[str | None, str | None]]
) -> tuple[dict[str, ItemVersion], dict[str, ItemVersion]]:
    """Apply one commit to ``state``; return the affected items before and after it."""
    paths = {p for pair in touched for p in pair if p is not None}
    departments = {p.split("/")[0] for p in paths if kind_of(p) == "department"}
    affected = set(paths)
    for department in departments:
        affected |= state.users_of(department)
    before = state.versions(affected)
    for old, new in touched:
        if old is not None and old != new:
            state.update(old, None)
        if new is not None:
            state.update(new, git.blob(commit, state.prefix + new))
    for department in departments:
        affected |= state.users_of(department)
    return before, state.versions(affected)


def _by_code(changes: list[Change]) -> list[list[Change]]:
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.code, []).append(change)
    return list(groups.values())


# Dates of any file ---------------------------------------------------------


def file_dates(folder: Path) -> dict[str, tuple[str, str]]:
    """Each file under ``folder`` (relative to it) → (first commit date, last commit date); empty without git.
    A shallow history gives the dates it has."""
    try:
        git = Git.containing(folder)
    except GitError:
        return {}
    try:
        prefix = prefix_of(git, folder)
        log = git.run("log", "--format=%x1e%cs", "--name-only", "--", prefix.rstrip("/"))
    except (GitError, ValueError):
        return {}
    finally:
        git.close()
    dates: dict[str, tuple[str, str]] = {}
    for record in (r for r in log.split("\x1e") if r.strip()):
        date, *names = record.strip("\n").split("\n")
        for name in names:
            if name.startswith(prefix):
                _touch(dates, name[len(prefix) :], date)
    return dates


def _touch(dates: dict[str, tuple[str, str]], path: str, date: str) -> None:
    first, last = dates.get(path, (date, date))
    dates[path] = (min(first, date), max(last, date))

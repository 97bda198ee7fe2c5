"""Versions of ``procedures/`` from git: the change report and each item's 变更记录.

Everything here reads git through its plumbing commands and degrades: outside
a repository, without git, or in a shallow clone the site is still built, and
the pages say how much history there was.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .changes import Change, ItemFacts, compare, facts
from .loader import check_bytes, kind_of


class GitError(Exception):
    """git is missing, or a command failed; the message says which."""


class Git:
    """A repository, read with git's plumbing commands."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._batch: subprocess.Popen[bytes] | None = None

    @classmethod
    def containing(cls, path: Path) -> Git:
        """The repository that contains ``path``; GitError when there is none."""
        folder = path if path.is_dir() else path.parent
        top = _run(["git", "rev-parse", "--show-toplevel"], folder).strip()
        return cls(Path(top))

    def run(self, *args: str) -> str:
        return _run(["git", "-c", "core.quotePath=false", *args], self.root)

    def is_shallow(self) -> bool:
        return self.run("rev-parse", "--is-shallow-repository").strip() == "true"

    def files(self, rev: str, prefix: str) -> list[str]:
        """Paths of all files under ``prefix`` at ``rev``."""
        return self.run("ls-tree", "-r", "--name-only", rev, "--", prefix).splitlines()

    def blob(self, rev: str, path: str) -> bytes | None:
        """The content of ``path`` at ``rev``, or None when it does not exist there."""
        if self._batch is None:
            self._batch = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        assert self._batch.stdin is not None and self._batch.stdout is not None
        self._batch.stdin.write(f"{rev}:{path}\n".encode())
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().decode().split()
        if len(header) != 3:
            return None
        size = int(header[2])
        data = self._batch.stdout.read(size + 1)[:size]
        return data if header[1] == "blob" else None

    def close(self) -> None:
        if self._batch is not None:
            assert self._batch.stdin is not None and self._batch.stdout is not None
            self._batch.stdin.close()
            self._batch.wait()
            self._batch.stdout.close()
            self._batch = None


def _run(command: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"无法运行 git：{error}") from error
    if done.returncode != 0:
        raise GitError(done.stderr.decode(errors="replace").strip() or f"{' '.join(command)} 失败")
    return done.stdout.decode(errors="replace")


@dataclass
class Snapshot:
    """The checked data of every readable file under ``procedures/`` at one version."""

    prefix: str
    """The procedures folder, relative to the repository root, with a trailing slash."""
    data: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Path inside the procedures folder → checked data; unreadable files are left out."""
    unreadable: set[str] = field(default_factory=set)
    """Files that did not pass the structural check at this version."""

    def update(self, relative: str, content: bytes | None) -> None:
        """Set a file's content; None removes it.  An invalid version keeps the last valid one."""
        kind = kind_of(relative)
        if kind is None:
            return
        self.unreadable.discard(relative)
        if content is None:
            self.data.pop(relative, None)
            return
        checked = check_bytes(content, kind, self.prefix + relative)
        if checked.data is not None:
            self.data[relative] = checked.data
        else:
            self.unreadable.add(relative)

    def items(self, affected: Iterable[str] | None = None) -> dict[str, ItemFacts]:
        """Facts of the items (all, or those at the ``affected`` paths), keyed by code."""
        departments = {path.split("/")[0]: d for path, d in self.data.items() if kind_of(path) == "department"}
        paths = self.data if affected is None else [p for p in affected if p in self.data]
        found = {}
        for path in paths:
            if kind_of(path) == "item":
                item = facts(self.prefix + path, self.data[path], departments.get(path.split("/")[0]), departments)
                found[item.code] = item
        return found

    def users_of(self, department: str) -> set[str]:
        """Items that belong to a department or name one of its positions."""
        users = set()
        for path, data in self.data.items():
            if kind_of(path) != "item":
                continue
            named = {s.get("position", "").rpartition("/")[0] for s in data.get("steps", [])}
            if path.split("/")[0] == department or department in named:
                users.add(path)
        return users


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
        hidden = {p for p in new.unreadable if p in old.data}
        before = {code: item for code, item in old.items().items() if item.path[len(prefix) :] not in hidden}
        unreadable = sorted(prefix + p for p in new.unreadable)
        return Comparison(compare(before, new.items()), unreadable)
    finally:
        git.close()


# History of every item -----------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """The changes one commit made to one item."""

    date: str
    """The commit date, YYYY-MM-DD."""
    commit: str
    changes: tuple[Change, ...]


@dataclass
class History:
    """Dated changes of every item, keyed by 实施编码."""

    status: Literal["complete", "shallow", "unavailable"] = "unavailable"
    since: str = ""
    """The date of the oldest version seen, when the history is shallow."""
    reason: str = ""
    """Why there is no history, when it is unavailable."""
    entries: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    """Newest first."""
    last_changed: dict[str, str] = field(default_factory=dict)
    """The date each item's content last changed."""


def collect(procedures: Path) -> History:
    """Walk the first-parent history of ``procedures/``; never raises."""
    try:
        git = Git.containing(procedures)
    except GitError as error:
        return History(reason=str(error))
    try:
        return _walk(git, prefix_of(git, procedures))
    except (GitError, ValueError) as error:
        return History(reason=str(error))
    finally:
        git.close()


def _walk(git: Git, prefix: str) -> History:
    shallow = git.is_shallow()
    history = History(status="shallow" if shallow else "complete")
    state = Snapshot(prefix)
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
    for number, record in enumerate(r for r in log.split("\x1e") if r.strip()):
        header, *lines = record.strip("\n").split("\n")
        commit, date = header.split("\x1f")
        touched = _touched(lines, prefix)
        if number == 0 and shallow:
            history.since = date
        affected = _apply(git, state, commit, touched)
        if number == 0 and shallow:
            continue
        before, after = affected
        for change_group in _by_code(compare(before, after)):
            code = change_group[0].code
            history.entries[code].insert(0, Entry(date, commit[:10], tuple(change_group)))
        for code, item in after.items():
            old = before.get(code)
            if old is None or old.data != item.data or old.positions != item.positions:
                history.last_changed[code] = date
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
) -> tuple[dict[str, ItemFacts], dict[str, ItemFacts]]:
    """Apply one commit to ``state``; return the affected items' facts before and after it."""
    paths = {p for pair in touched for p in pair if p is not None}
    departments = {p.split("/")[0] for p in paths if kind_of(p) == "department"}
    affected = set(paths)
    for department in departments:
        affected |= state.users_of(department)
    before = state.items(affected)
    for old, new in touched:
        if old is not None and old != new:
            state.update(old, None)
        if new is not None:
            state.update(new, git.blob(commit, state.prefix + new))
    for department in departments:
        affected |= state.users_of(department)
    return before, state.items(affected)


def _by_code(changes: list[Change]) -> list[list[Change]]:
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.code, []).append(change)
    return list(groups.values())

"""What changed in an item between versions: the data that the git tools produce and the pages show.

:mod:`generator.workflow.history` fills a :class:`History` from git; the
renderers only read it, so they need not know about git.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Change:
    """One change to one item."""

    code: str
    name: str
    department: str
    path: str
    text: str
    """What changed, as plain Chinese text, e.g. ``承诺办结时限 10 → 5 个工作日``."""
    worse: bool = False
    """True when the change makes things worse for applicants."""
    kind: Literal["added", "removed", "changed"] = "changed"
    """Whether the item itself was added or removed, or changed."""


@dataclass(frozen=True)
class Entry:
    """The changes one commit made to one item."""

    date: str
    """The commit date, YYYY-MM-DD."""
    commit: str
    changes: tuple[Change, ...]


HistoryStatus = Literal["complete", "shallow", "unavailable"]


@dataclass(frozen=True)
class Coverage:
    """How much history there was."""

    status: HistoryStatus = "unavailable"
    since: str = ""
    """The date of the oldest version seen, when the history is shallow."""
    reason: str = "未提供版本历史"
    """Why there is no history, when it is unavailable."""


@dataclass
class History:
    """Dated changes of every item, keyed by 实施编码."""

    coverage: Coverage = field(default_factory=Coverage)
    entries: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    """Newest first."""
    last_changed: dict[str, str] = field(default_factory=dict)
    """The date each item's content last changed."""
    files: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Each file inside procedures/ (as now named) → (first commit date, last commit date)."""
    addresses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Every ``部门/事项`` file an item (by code) has had, oldest first: its page's earlier addresses."""

    def of(self, code: str) -> tuple[tuple[Entry, ...], str]:
        """An item's entries and its last change date."""
        return tuple(self.entries.get(code, ())), self.last_changed.get(code, "")

    def dates(self, code: str) -> tuple[str, str]:
        """(首次公布, last change) of an item or 一件事: "" where the history does not reach."""
        return first_published(tuple(self.entries.get(code, ()))), self.last_changed.get(code, "")


def first_published(entries: tuple[Entry, ...]) -> str:
    """The date of the entry that added the item or 一件事 (首次公布); "" when the history does not reach it."""
    for entry in reversed(entries):
        if any(change.kind == "added" for change in entry.changes):
            return entry.date
    return ""

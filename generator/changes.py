"""What changed for the public between two versions of an item.

Items are matched by their 实施编码, so a renamed file is the same item, and
they are compared as checked data, so reformatting changes nothing.  Changes
that make things worse for applicants (a longer time, a new fee, more visits,
a new material, less online service) are marked ``worse``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Literal

from .escape import markdown_text
from .formats import ITEM, ONLINE_LEVELS
from .model import Duration, format_number
from .schema import title_at

COVERED = ("code", "name", "time_limits", "materials", "fees", "visits", "steps", "online")
"""Item fields compared one by one; every other field is reported as 已修改."""


@dataclass(frozen=True)
class ItemFacts:
    """One version of an item, as the public sees it."""

    code: str
    path: str
    department: str
    """The department's full name, or its folder when department.yml is unreadable."""
    data: Mapping[str, Any]
    """The item's checked data."""
    positions: Mapping[str, str]
    """Position id (``pos`` or ``dept/pos``) → title, for the positions the steps name."""

    @property
    def name(self) -> str:
        return str(self.data["name"])


@dataclass(frozen=True)
class Change:
    """One change to one item."""

    code: str
    name: str
    department: str
    path: str
    text: str
    """What changed, as plain Chinese text, e.g. ``承诺时限 10 → 5 个工作日``."""
    worse: bool = False
    """True when the change makes things worse for applicants."""
    kind: Literal["added", "removed", "changed"] = "changed"
    """Whether the item itself was added or removed, or changed."""


def facts(
    path: str,
    data: Mapping[str, Any],
    department: Mapping[str, Any] | None,
    others: Mapping[str, Mapping[str, Any]],
) -> ItemFacts:
    """Facts of one item; ``others`` are the other departments' data, by folder."""
    folder = path.split("/")[-2]
    positions: dict[str, str] = {}
    for step in data["steps"]:
        position = step.get("position", "")
        owner, _, local = position.rpartition("/")
        source = others.get(owner) if owner else department
        title = (source or {}).get("positions", {}).get(local, {}).get("title", position)
        positions[position] = title
    name = (department or {}).get("name", folder)
    return ItemFacts(str(data["code"]), path, name, data, positions)


def compare(old: Mapping[str, ItemFacts], new: Mapping[str, ItemFacts]) -> list[Change]:
    """Every change between two sets of items keyed by code, in a stable order."""
    changes: list[Change] = []
    for code in sorted(old.keys() | new.keys(), key=lambda c: _order(old.get(c) or new[c])):
        before, after = old.get(code), new.get(code)
        if after is None:
            assert before is not None
            changes.append(_change(before, f"撤销事项“{before.name}”", kind="removed"))
        elif before is None:
            changes.append(_change(after, f"新增事项“{after.name}”", kind="added"))
        else:
            changes += [_change(after, text, worse) for text, worse in _differences(before, after)]
    return changes


def _order(item: ItemFacts) -> tuple[str, str]:
    return item.path.split("/")[-2], item.code


def _change(
    item: ItemFacts, text: str, worse: bool = False, kind: Literal["added", "removed", "changed"] = "changed"
) -> Change:
    return Change(item.code, item.name, item.department, item.path, text, worse, kind)


def _differences(old: ItemFacts, new: ItemFacts) -> Iterator[tuple[str, bool]]:
    a, b = old.data, new.data
    if a["name"] != b["name"]:
        yield f"事项名称“{a['name']}” → “{b['name']}”", False
    for key, label in (("statutory", "法定时限"), ("committed", "承诺时限")):
        yield from _time(label, a["time_limits"][key], b["time_limits"][key])
    yield from _materials(a["materials"], b["materials"])
    yield from _fees(a.get("fees", []), b.get("fees", []))
    if a["visits"] != b["visits"]:
        yield f"到办事现场次数 {a['visits']} → {b['visits']} 次", b["visits"] > a["visits"]
    yield from _steps(old, new)
    level_a, level_b = a["online"]["level"], b["online"]["level"]
    if level_a != level_b:
        worse = ONLINE_LEVELS.index(level_b) > ONLINE_LEVELS.index(level_a)
        yield f"网上办理 {level_a} → {level_b}", worse
    for key in ITEM.fields:
        if key not in COVERED and a.get(key) != b.get(key):
            yield f"{title_at(ITEM, key)}已修改", False


def _time(label: str, before: str, after: str) -> Iterator[tuple[str, bool]]:
    if before == after:
        return
    old, new = Duration.parse(before), Duration.parse(after)
    if old is None or new is None or old == new:
        if old != new:
            yield f"{label} {before} → {after}", False
        return
    worse = new.days > old.days
    if old.unit == new.unit and old.unit not in ("即办",):
        unit = "小时" if old.unit == "小时" else f"个{old.unit}"
        yield f"{label} {format_number(old.amount)} → {format_number(new.amount)} {unit}", worse
    else:
        yield f"{label} {old} → {new}", worse


def _materials(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> Iterator[tuple[str, bool]]:
    old = {m["name"]: m for m in before}
    new = {m["name"]: m for m in after}
    for name in new:
        if name not in old:
            yield f"新增材料“{name}”", True
    for name in old:
        if name not in new:
            yield f"取消材料“{name}”", False
    for name in old:
        if name in new and old[name] != new[name]:
            yield f"材料“{name}”的要求已修改", False


def _fees(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> Iterator[tuple[str, bool]]:
    old = {f["item"]: f for f in before}
    new = {f["item"]: f for f in after}
    for item in sorted(new.keys() - old.keys()):
        yield f"新增收费“{item}”：{new[item]['standard']}", True
    for item in sorted(old.keys() - new.keys()):
        yield f"取消收费“{item}”", False
    for item in sorted(old.keys() & new.keys()):
        if old[item]["standard"] != new[item]["standard"]:
            standards = f"{old[item]['standard']} → {new[item]['standard']}"
            yield f"收费“{item}”标准 {standards}", False


def _steps(old: ItemFacts, new: ItemFacts) -> Iterator[tuple[str, bool]]:
    before = {s["name"]: s for s in old.data["steps"]}
    after = {s["name"]: s for s in new.data["steps"]}
    for name in after:
        if name not in before:
            yield f"新增环节“{name}”", False
    for name in before:
        if name not in after:
            yield f"取消环节“{name}”", False
    for name in before:
        if name not in after:
            continue
        a, b = before[name], after[name]
        who_a = old.positions.get(a.get("position", ""), "")
        who_b = new.positions.get(b.get("position", ""), "")
        if who_a != who_b:
            yield f"“{name}”办理岗位 {who_a or '无'} → {who_b or '无'}", False
        if a.get("time", "即办") != b.get("time", "即办"):
            yield from _time(f"“{name}”时限", a.get("time", "即办"), b.get("time", "即办"))


def report(changes: list[Change], base: str, head: str, unreadable: list[str] = ()) -> str:  # type: ignore[assignment]
    """The change report between two revisions, as Chinese Markdown."""
    lines = ["# 办事指南变更报告", ""]
    span = f"`{base.replace('`', '')}` → `{head.replace('`', '')}`"
    if unreadable:
        lines += ["## 未能比较的文件", "", "以下文件未通过校验，其中的变化没有列出：", ""]
        lines += [f"- `{path.replace('`', '')}`" for path in unreadable]
        lines.append("")
    if not changes:
        others = "其余文件" if unreadable else ""
        return "\n".join([*lines, f"{span}：{others}没有影响公众的变化。", ""])
    items = sorted({c.code for c in changes})
    worse = [c for c in changes if c.worse]
    verdict = f"其中 {len(worse)} 处对申请人不利" if worse else "没有对申请人不利的变化"
    lines += [f"{span}：{len(items)} 个事项有变化，{verdict}。", ""]
    if worse:
        lines += ["## 对申请人不利的变化", ""]
        lines += [f"- {_md(c.name)}（{_md(c.department)}）：{_md(c.text)}" for c in worse]
        lines.append("")
    lines += ["## 全部变化", ""]
    for _, group in groupby(changes, key=lambda c: c.code):
        first, *rest = group
        lines += [f"### {_md(first.name)}", "", f"{_md(first.department)} · `{first.path.replace('`', '')}`", ""]
        lines += [f"- {_md(c.text)}{'（不利）' if c.worse else ''}" for c in (first, *rest)]
        lines.append("")
    return "\n".join(lines)


def _md(text: object) -> str:
    """Text for the Markdown report: HTML and Markdown punctuation neutralised."""
    return str(markdown_text(str(text)))

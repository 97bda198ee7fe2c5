"""What changed for the public between two versions of an item.

Items are matched by their 实施编码, so a renamed file is the same item, and
they are compared as models, field by field, by the declarations'
:meth:`~generator.contract.spec.Spec.diff`: every declared key is compared,
and a new key is compared as soon as it is declared.  Reformatting changes
nothing.  Changes that make things worse for applicants (a longer time, a new
fee, more visits, a new material, less online service) are marked ``worse``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Literal

from ..contract.spec import Names, PositionRef, Sides
from ..model import BUNDLE, ITEM, Bundle, Department, Procedure
from ..render.escape import markdown_text
from ..versions import Change


@dataclass(frozen=True)
class ItemVersion:
    """One version of an item, with how that version names its positions."""

    procedure: Procedure
    department: str
    """The department's full name, or its folder when department.yml is unreadable at that version."""
    names: Names


def version(procedure: Procedure, departments: Mapping[str, Department]) -> ItemVersion:
    """An item as of one version, with the departments of that version (some may be missing)."""

    def name(ref: PositionRef) -> str:
        department = departments.get(ref.department)
        position = department.position(ref.position) if department else None
        title = position.title if position else ref.written
        if department is None or ref.department == procedure.department:
            return title
        return f"{department.label}·{title}"

    own = departments.get(procedure.department)
    return ItemVersion(procedure, own.name if own else procedure.department, name)


def compare(old: Mapping[str, ItemVersion], new: Mapping[str, ItemVersion]) -> list[Change]:
    """Every change between two sets of items keyed by code, in a stable order."""
    changes: list[Change] = []
    for code in sorted(old.keys() | new.keys(), key=lambda c: _order(old.get(c) or new[c])):
        before, after = old.get(code), new.get(code)
        if after is None:
            assert before is not None
            changes.append(_change(before, f"撤销事项“{before.procedure.name}”", kind="removed"))
        elif before is None:
            changes.append(_change(after, f"新增事项“{after.procedure.name}”", kind="added"))
        else:
            sides = Sides(before.names, after.names)
            if before.procedure.slug != after.procedure.slug:
                moved = (
                    f"网址由 items/{before.procedure.slug}/ 改为 items/{after.procedure.slug}/（旧网址自动转到新网址）"
                )
                changes.append(_change(after, moved))
            differences = ITEM.diff(before.procedure, after.procedure, "", sides)
            changes += [_change(after, d.text, d.worse) for d in differences]
    return changes


def compare_bundles(
    old: Mapping[str, Bundle], new: Mapping[str, Bundle], names: Mapping[str, str] = {}
) -> list[Change]:
    """Every change between two sets of 一件事 keyed by id: a member added or removed, a changed promise…; a
    member is called by its item's name where ``names`` (部门/事项 → name) knows it."""
    changes: list[Change] = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if after is None:
            assert before is not None
            changes.append(_bundle_change(before, f"撤销一件事“{before.name}”", kind="removed"))
        elif before is None:
            changes.append(_bundle_change(after, f"新增一件事“{after.name}”", kind="added"))
        else:
            sides = Sides(lambda ref: ref.written, lambda ref: ref.written)  # a bundle names no position
            differences = BUNDLE.diff(before, after, "", sides)
            changes += [_bundle_change(after, _named(d.text, names), d.worse) for d in differences]
    return changes


def _named(text: str, names: Mapping[str, str]) -> str:
    """“gaj/csdj” → “出生登记”: the report speaks of items by name."""
    return re.sub(r"“([a-z][a-z0-9-]*/[a-z][a-z0-9-]*)”", lambda m: f"“{names.get(m.group(1), m.group(1))}”", text)


def _bundle_change(
    bundle: Bundle, text: str, worse: bool = False, kind: Literal["added", "removed", "changed"] = "changed"
) -> Change:
    return Change(bundle.slug, bundle.name, "高效办成一件事", bundle.source, text, worse, kind)


def _order(item: ItemVersion) -> tuple[str, str]:
    return item.procedure.department, item.procedure.identity


def _change(
    item: ItemVersion, text: str, worse: bool = False, kind: Literal["added", "removed", "changed"] = "changed"
) -> Change:
    p = item.procedure
    return Change(p.identity, p.name, item.department, p.source, text, worse, kind)


def report(changes: list[Change], base: str, head: str, unreadable: Sequence[str] = ()) -> str:
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

"""Golden files for rendered output: one item page and the DOT source of a parallel chart.

The SVG is left out of the page golden (it varies with the Graphviz version);
the DOT source is compared instead.  After a deliberate change, regenerate with
``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.changes import Change
from generator.flowchart import flowchart_dot
from generator.history import Entry, History
from generator.pages import PageRenderer
from generator.validate import load

from .conftest import ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
CATALOG = load(ROOT / "procedures", ROOT).catalog
assert CATALOG is not None


def check(name: str, actual: str) -> None:
    target = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        target.write_text(actual, encoding="utf-8")
    assert actual == target.read_text(encoding="utf-8"), f"{name} 与金标准文件不同"


def item(slug: str):  # type: ignore[no-untyped-def]
    return next(p for p in CATALOG.procedures if p.slug == slug)


def test_item_page_golden() -> None:
    p = item("zrzy/jsgc-ghxk")
    history = History(status="shallow", since="2026-01-05")
    cut = Change(p.code, p.name, "示例市自然资源和规划局", p.source, "承诺时限 20 → 15 个工作日")
    fee = Change(p.code, p.name, "示例市自然资源和规划局", p.source, "新增收费“<b>证书工本费</b>”：10 元", worse=True)
    history.entries[p.code] = [Entry("2026-03-02", "abc", (cut, fee))]
    history.last_changed[p.code] = "2026-03-02"
    page = PageRenderer(CATALOG, history=history).item(p, '<svg role="img">…</svg>')
    check("item-zrzy-jsgc-ghxk.md", page)


def test_parallel_chart_dot_golden() -> None:
    check("flow-scjg-qykb.dot", flowchart_dot(item("scjg/qykb"), CATALOG))


@pytest.mark.parametrize("slug", ["zjj/sgxk", "scjg/qykb"])
def test_parallel_chart_has_fork_join_and_swimlanes(slug: str) -> None:
    dot = flowchart_dot(item(slug), CATALOG)
    assert "并联审批" in dot and "汇合" in dot
    assert dot.count("subgraph cluster_") == len(item(slug).departments)


def test_chart_shapes_follow_the_standard() -> None:
    dot = flowchart_dot(item("zrzy/jsgc-ghxk"), CATALOG)
    assert 'start [shape="oval"' in dot and 'end [shape="oval"' in dot
    assert 'shape="diamond"' in dot
    assert "时限中止" in dot and 'style="dashed"' in dot
    assert "不计时" in dot and 'style="dashed,rounded"' in dot

"""公开完整度: shown for every item and department, summed up on the statistics page, and it can go down."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from generator.model import Catalog
from generator.render.completeness import ELEMENTS, completeness
from generator.render.view import ItemView

from .conftest import item_of, item_page


def test_every_demo_item_is_complete(demo: Catalog) -> None:
    for p in demo.procedures:
        score = completeness(ItemView.of(demo, p))
        assert score.missing == () and score.stated == score.total == len(ELEMENTS), p.slug


def test_removing_one_step_position_lowers_it(demo: Catalog) -> None:
    p = item_of(demo, "zrzy/jsgc-ghxk")
    before = completeness(ItemView.of(demo, p))
    steps = list(p.flow)
    steps[1] = dataclasses.replace(steps[1], position=None)
    after = completeness(ItemView.of(demo, dataclasses.replace(p, steps=tuple(steps))))
    assert after.stated == before.stated - 2  # the step has no position, so no 过错责任 can be told for it either
    assert after.missing == ("环节岗位", "过错责任")
    page = item_page(demo, dataclasses.replace(p, steps=tuple(steps)))
    assert "公开完整度 <strong>13/15</strong>：未公布 环节岗位、过错责任" in page


def test_item_department_and_statistics_pages_show_it(built_site: Path, demo: Catalog) -> None:
    for p in demo.procedures:
        page = (built_site / f"items/{p.slug}/index.html").read_text(encoding="utf-8")
        assert "公开完整度</dt><dd><strong>15/15</strong>，各项要素均已公布" in page, p.slug
        assert "本指南公开完整度" not in page  # the summary card mentions it only when something is not stated
    for d in demo.departments:
        page = (built_site / f"departments/{d.id}/index.html").read_text(encoding="utf-8")
        assert re.search(r"本部门事项的公开完整度 <strong>100%</strong>（\d+/\d+ 项要素已公布）", page), d.id
    stats = (built_site / "stats/index.html").read_text(encoding="utf-8")
    table = stats[stats.index('id="stat-completeness"') :]
    for d in demo.departments:
        assert f">{d.short_name}</a></th>" in table
    assert "全部事项的各项要素均已公布" in stats and "全市已公布 <strong>100%</strong>" in stats

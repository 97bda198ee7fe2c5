"""Real guides fit without inventing facts (tests/fixtures/real/: a county's items, written as the guides read).

The guides leave out fees, statutory limits, visits, online service, material
counts, step positions and times, and 过错责任.  They must validate with no
errors, and nothing built from them (pages, printable forms, open data,
JSON-LD) may state a value the YAML does not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from generator.load import load
from generator.mkdocs.build import build_site
from generator.render.completeness import completeness
from generator.render.view import ItemView
from generator.speed.progress import Progress

from .conftest import FIXTURES, project_with, published

REAL = FIXTURES / "real"
ITEMS = sorted(p for p in REAL.glob("*/*.yml") if p.name != "department.yml")


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(project_with(REAL, tmp_path_factory.mktemp("real") / "project"), progress=Progress.silent())


def test_real_guides_validate_with_no_errors() -> None:
    result = load(REAL, REAL.parent)
    assert [d.text() for d in result.diagnostics if d.severity == "error"] == []
    assert result.catalog is not None and len(result.catalog.procedures) == len(ITEMS) == 3


@pytest.mark.parametrize("item", ITEMS, ids=lambda p: p.stem)
def test_nothing_unstated_is_published_as_a_fact(real_site: Path, item: Path) -> None:
    data = yaml.safe_load(item.read_text(encoding="utf-8"))
    out = published(real_site, f"{item.parent.name}/{item.stem}")
    everything = "\n".join(out.values())
    record = json.loads(out["data"])["item"]
    assert "内内" not in everything  # 10个工作日内 is not 10个工作日内内办结
    if "fees" not in data:
        assert "不收费" not in everything and "免费" not in everything
        assert record["fees"] is None
        assert "未公布" in out["page"]
    if "visits" not in data:
        assert not re.search(r"(?<![0-9])0 次|不用跑", out["page"] + out["checklist"])
        assert record["visits"] is None
    if "online" not in data:
        assert "不支持" not in out["page"] and record["online"] is None
    if all("original" not in m for m in data["materials"]):
        assert "原件 1 份" not in everything and "原件 1" not in everything
    if "statutory" not in data["time_limits"]:
        assert "data-statutory=" not in out["page"] and "法定最迟日期：" not in out["page"]
        assert "法定时限未公布" in out["page"]
        assert record["time_limits"]["statutory"] is None
    sources = (item, item.parent / "department.yml", REAL / "site.yml")
    stated_phones = set(re.findall(r"[0-9][0-9-]{4,}[0-9]", "".join(p.read_text("utf-8") for p in sources)))
    for number in re.findall(r'href="tel:([^"]+)"', out["page"]):
        assert number in stated_phones, number


def test_json_ld_leaves_out_what_the_guide_does_not_say(real_site: Path) -> None:
    page = (real_site / "items/xzrzy/bdc-scdj/index.html").read_text(encoding="utf-8")
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(script)
    assert "audience" not in data and "serviceOutput" not in data
    assert all("网上办理" not in channel["name"] for channel in data["availableChannel"])


def test_a_county_notice_names_the_county_review_body_and_court(real_site: Path) -> None:
    notice = (real_site / "print/xzrzy/bdc-scdj/notice.html").read_text(encoding="utf-8")
    assert "大成县人民政府行政复议办公室" in notice and "大成县人民法院" in notice
    assert "大成县行政效能投诉中心" in notice
    assert "廊阳市人民政府行政复议办公室" not in notice and "廊阳市中级人民法院" not in notice
    assert "对不予受理、不予登记决定不服" in notice  # the item's own wording of its refusals
    page = (real_site / "items/xzrzy/bdc-scdj/index.html").read_text(encoding="utf-8")
    assert "大成县行政效能投诉中心" in page and "廊阳市行政效能投诉中心" not in page


def test_labelled_contacts_are_separate_links(real_site: Path) -> None:
    page = (real_site / "items/xzrzy/bdc-scdj/index.html").read_text(encoding="utf-8")
    assert 'href="tel:0316-7868512"' in page and 'href="tel:0316-12345"' in page
    assert "监督" in page and "举报" in page


def test_applicant_steps_and_two_ends_are_drawn(real_site: Path) -> None:
    svg = (real_site / "items/xzrzy/bdc-scdj.svg").read_text(encoding="utf-8")
    assert "申请人" in svg and "窗口领取" in svg and "邮寄送达" in svg
    assert "岗位未公布" in svg  # the 审核 step names no position
    page = (real_site / "items/xscjg/spjy/index.html").read_text(encoding="utf-8")
    assert "办理岗位：未公布" in page and "时限：未公布" in page


def test_completeness_names_what_is_missing() -> None:
    result = load(REAL, REAL.parent)
    assert result.catalog is not None
    item = next(p for p in result.catalog.procedures if p.id == "bdc-scdj")
    score = completeness(ItemView.of(result.catalog, item))
    assert {"法定时限", "收费", "环节岗位", "过错责任", "办理时间"} <= set(score.missing)
    assert "事项名称" not in score.missing and score.stated < score.total


def test_build_counts_warnings_by_kind_and_shows_the_first_few_of_each(tmp_path: Path) -> None:
    import io
    from collections import Counter

    log = io.StringIO()
    build_site(project_with(REAL, tmp_path / "project"), progress=Progress(log, interactive=False))
    lines = log.getvalue().splitlines()
    warnings = [d for d in load(REAL, REAL.parent).diagnostics if d.severity == "warning"]
    kinds = Counter(d.code for d in warnings)
    [summary] = [line for line in lines if line.startswith("校验：") and "个警告" in line]
    assert summary.startswith(f"校验：{len(warnings)} 个警告（")
    for code, count in kinds.items():
        assert f"{code} {count} 个" in summary
    shown = [line for line in lines if ": warning: " in line]
    assert len(shown) == sum(min(count, 3) for count in kinds.values())


def test_a_notice_never_lists_an_empty_handler(real_site: Path) -> None:
    notice = (real_site / "print/xzrzy/bdc-scdj/notice.html").read_text(encoding="utf-8")
    assert '<td colspan="3">不动产登记受理窗口（部分环节的岗位未公布）</td>' in notice and "、）" not in notice

"""Say only what the guide says: county departments on a city site, omissions that the format allows, wordings as
printed (tests/fixtures/county/), and every derived sentence only when what it is derived from is stated.

Each test reads what the public gets (the built pages, printable forms, open data) and looks for the sentences the
fixture does not support.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path

import pytest

from generator.load import load
from generator.mkdocs.build import build_site
from generator.model import Catalog, Outcome, Procedure, Step
from generator.render.pages import PageRenderer
from generator.render.urls import Paths
from generator.render.view import ItemView
from generator.speed.progress import Progress
from generator.steps import all_timed

from .browser import new_page
from .conftest import FIXTURES, ROOT, project_with, published, serve

COUNTY = FIXTURES / "county"
CITY_BODIES = ("连港市行政效能投诉中心", "连港市人民政府行政复议办公室", "连港市中级人民法院", "0518-12345")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(project_with(COUNTY, tmp_path_factory.mktemp("county") / "project"), progress=Progress.silent())


def content(site: Path, path: str) -> str:
    """The article of a page (not the header and footer the theme adds)."""
    page = (site / path).read_text(encoding="utf-8")
    return page[page.index('<article class="md-content__inner') : page.index("</article>")]


def test_the_fixtures_validate_with_the_warnings_a_clerk_needs() -> None:
    result = load(COUNTY, COUNTY.parent)
    assert [d.text() for d in result.diagnostics if d.severity == "error"] == []
    warnings = [d.text() for d in result.diagnostics if d.severity == "warning"]
    [bodies] = [w for w in warnings if "region (所属地区)" in w]
    assert bodies.startswith("county/gnhb/department.yml:3:9: warning: ")
    assert "效能投诉中心（complaint_center）、行政复议机关（review）、行政诉讼的人民法院（litigation）" in bodies
    assert not any("gnmz/department.yml" in w and "region" in w for w in warnings)  # it names its own bodies
    assert any("gnmz/jhdj.yml:12:14: warning: time_limits.committed" in w and "即办件" in w for w in warnings)
    assert not any("catch_all" in w or "兜底" in w for w in warnings)  # 营业执照、法定代表人身份证等材料 is a list
    steps = [w for w in warnings if "gnhb/hpsp.yml" in w and "steps[" in w]
    assert len(steps) == 3 and all("环节“受理”“审批”" in w for w in steps)  # one line per kind, not per step


def test_a_county_department_without_its_own_bodies_is_never_given_the_citys(site: Path) -> None:
    out = published(site, "gnhb/hpsp")
    for text in (out["page"], out["checklist"], out["notice"], content(site, "departments/gnhb/index.html")):
        for body in CITY_BODIES:
            assert body not in text, body
    assert "可以自收到本告知书之日起六十日内依法申请行政复议" in out["notice"]
    assert "六个月内依法向人民法院提起行政诉讼" in out["notice"]
    assert "<dt>复议机关</dt><dd>未公布</dd>" in out["page"] and "<dt>管辖法院</dt><dd>未公布</dd>" in out["page"]
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', out["page"], re.S)
    assert json.loads(script)["areaServed"]["name"] == "灌南县"
    directory = content(site, "departments/index.html")
    card = directory[directory.index('id="gnhb"') :]
    assert "0518-12345" not in card[: card.index("</li>")]


def test_a_county_department_with_its_own_bodies_names_them(site: Path) -> None:
    out = published(site, "gnmz/jhdj")
    assert "灌南县人民政府行政复议办公室" in out["notice"] and "灌南县人民法院" in out["notice"]
    assert "灌南县行政效能投诉中心" in out["page"]
    assert not any(body in out["page"] + out["notice"] for body in CITY_BODIES)


def test_steps_without_times_give_no_critical_path_total(site: Path) -> None:
    out = published(site, "gnhb/hpsp")
    assert "关键路径决定承诺时限" not in out["page"] and "各环节当场办理" not in out["page"]
    assert "部分环节的办理时限未公布，不计算关键路径的合计时间" in out["page"]
    assert "bs-legend__critical" not in (site / "items/gnhb/hpsp/chart.html").read_text(encoding="utf-8")


def test_no_pause_clause_or_one_time_promise_that_nobody_stated(site: Path) -> None:
    for slug in ("gnhb/hpsp", "gnmz/jhdj", "gnmz/blzs"):
        everything = "\n".join(published(site, slug).values())
        assert "补正" not in everything.replace("补正、特别程序（不计时）", ""), slug  # the chart legend is a legend
        assert "特别程序期间" not in everything and "本单一次性告知" not in everything
        assert "窗口不得要求提交本单以外的材料" not in everything


def test_a_lower_bound_is_kept_as_written_and_never_a_promise(site: Path) -> None:
    out = published(site, "gnhb/hpsp")
    everything = "\n".join(out.values())
    assert "最短仅需5个工作日" in out["page"] and "最短仅需5个工作日" in out["checklist"]
    assert "最短仅需5个工作日内" not in everything and "承诺 最短" not in everything
    assert "bs-deadline" not in out["page"]  # no computed deadline
    committed = json.loads(out["data"])["item"]["time_limits"]["committed"]
    assert committed["lower_bound"] is True and committed["iso8601"] is None
    assert "30个工作日（《中华人民共和国环境影响评价法》第二十二条第三款）" in out["page"]  # a statutory note fits


def test_an_immediate_item_with_a_limit_is_published_as_written(site: Path) -> None:
    out = published(site, "gnmz/jhdj")
    assert "1个工作日内" in out["page"] and "1个工作日内内" not in out["page"]
    assert "男女双方各 " in out["page"] and "男女双方各提交" in out["checklist"]


def test_local_numbers_are_phones_and_labelled_numbers_are_ways_to_ask(site: Path) -> None:
    hpsp = published(site, "gnhb/hpsp")
    assert 'href="tel:83001234"' in hpsp["page"]  # no area code stated: dialled as written
    assert "咨询电话 未公布" not in hpsp["checklist"]
    assert '>办理电话</th><td headers="bs-meta-phone">83001234</td>' in hpsp["checklist"]  # its own label
    assert "咨询方式" not in re.sub(r"<[^>]+>", "", hpsp["page"]).split("未公布 ", 1)[-1].split("\n")[0]
    jhdj = published(site, "gnmz/jhdj")
    assert 'href="tel:+86-518-83221234"' in jhdj["page"]  # the department's area code


def test_an_item_without_code_kind_posts_or_short_name(site: Path) -> None:
    out = published(site, "gnhb/hpsp")
    assert "未公布（没有实施编码的事项不统计办件情况）" in out["page"]
    assert "实施编码" not in out["notice"]
    assert "即办件" not in out["page"] and "承诺件" not in out["page"]
    assert "岗位未公布" in (site / "items/gnhb/hpsp.svg").read_text(encoding="utf-8")
    assert "灌南县生态环境局" in out["page"]  # the full name where a short name would be
    assert '发布日期</dt><dd><time datetime="2025-03-01">' in out["page"]
    for shown in ("依申请类", "灌南县生态环境局行政审批科", "全县范围内的建设项目", "灌南县自然资源局"):
        assert shown in out["page"], shown
    rows = list(csv.DictReader(io.StringIO((site / "data/procedures.csv").read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["事项名称"] == "建设项目环境影响报告表审批")
    assert row["实施编码"] == "" and row["办件类型"] == "未公布"


def test_situations_without_an_item_limit_say_by_situation(site: Path) -> None:
    out = published(site, "gnmz/blzs")
    assert "按情形" in out["page"] and "data-by-situation" in out["page"]  # the calculator waits for a situation
    assert "办理时限按情形：选择您的情形后" in out["page"]
    rows = list(csv.DictReader(io.StringIO((site / "data/procedures.csv").read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["事项名称"] == "补领婚姻登记证")
    assert row["承诺办结时限"] == "按情形：当场办结、20个工作日" and row["法定办结时限"] == "未公布"
    record = json.loads(out["data"])["item"]
    assert record["time_limits"] is None


def test_the_home_page_counts_what_items_state(site: Path) -> None:
    home = content(site, "index.html")
    assert "每个事项都写明" not in home
    # a lower bound is not a committed limit; limits stated in every situation are
    assert "本站公开 3 个事项的办事指南，其中写明承诺时限的 2 个，写明收费的 1 个" in home
    assert "写明每一步办理岗位的 0 个，写明投诉渠道的 2 个" in home


# Derived sentences: each only when its inputs are stated ---------------------------------------------------------


def demo_item(slug: str) -> tuple[Catalog, Procedure]:
    catalog = load(ROOT / "procedures", ROOT).catalog
    assert catalog is not None
    return catalog, next(p for p in catalog.procedures if p.slug == slug)


def pages_of(catalog: Catalog, item: Procedure) -> str:
    catalog = dataclasses.replace(catalog, procedures=(item,))
    renderer = PageRenderer()
    renderer.item_pages(ItemView.of(catalog, item), "")
    files = renderer.take().files
    return "\n".join(files[p] for p in (Paths.item(item), Paths.checklist(item), Paths.notice(item)))


def with_steps(item: Procedure, steps: list[Step]) -> Procedure:
    return dataclasses.replace(item, steps=tuple(steps))


@pytest.mark.parametrize("rework", [True, False])
@pytest.mark.parametrize("special", [True, False])
def test_the_pause_clause_follows_the_items_own_steps(rework: bool, special: bool) -> None:
    catalog, item = demo_item("zrzy/jsgc-ghxk")
    steps = []
    for step in item.flow:
        outcomes = tuple(o for o in step.alternatives if rework or not o.is_rework)
        if rework and step is item.flow[0] and not any(o.is_rework for o in outcomes):
            outcomes += (Outcome(when="材料不全", result="补正"),)
        steps.append(dataclasses.replace(step, outcomes=outcomes or None, special=special if step.special else None))
    if special and not any(s.special for s in steps):
        steps[1] = dataclasses.replace(steps[1], special=True)
    shown = pages_of(catalog, with_steps(item, steps))
    assert ("补正和特别程序期间不计入" in shown) == (rework and special)
    assert ("补正期间不计入" in shown) == (rework and not special)
    assert bool(re.search("(?<!和)特别程序期间不计入", shown)) == (special and not rework)
    assert ("补正期间办理时限中止，自收到补正材料次日起重新计算" in shown) == rework


def test_a_stated_pause_rule_and_one_time_promise_are_the_departments_own_words() -> None:
    catalog, item = demo_item("zrzy/jsgc-ghxk")
    steps = [dataclasses.replace(s, outcomes=None, special=None) if s.outcomes else s for s in item.flow]
    plain = with_steps(item, steps)
    department = catalog.department(item.department)
    said = dataclasses.replace(department, pause_rule="补正期间不计时（本局规定）", notice_promise="本局一次告知。")
    stated = dataclasses.replace(
        catalog, departments=tuple(said if d is department else d for d in catalog.departments)
    )
    silent_site = dataclasses.replace(catalog.site, pause_rule=None, notice_promise=None)
    assert "本局规定" not in pages_of(dataclasses.replace(catalog, site=silent_site), plain)
    shown = pages_of(stated, plain)
    assert "补正期间不计时（本局规定）" in shown and "本局一次告知。" in shown
    catch_all = dataclasses.replace(
        plain, materials=(*plain.materials, dataclasses.replace(plain.materials[0], name="其他材料"))
    )
    assert "本局一次告知。" not in pages_of(stated, catch_all)


def test_the_critical_path_total_needs_every_counted_step_time() -> None:
    catalog, item = demo_item("zrzy/jsgc-ghxk")
    assert all_timed(item)
    assert "关键路径决定承诺时限" in pages_of(catalog, item)
    counted = next(i for i, s in enumerate(item.flow) if not (s.end or s.uncounted))
    untimed = list(item.flow)
    untimed[counted] = dataclasses.replace(untimed[counted], time=None)
    shown = pages_of(catalog, with_steps(item, untimed))
    assert "关键路径决定承诺时限" not in shown and "不计算关键路径的合计时间" in shown


@pytest.mark.browser
def test_the_calculator_waits_for_a_situation_when_only_situations_state_limits(site: Path, browser: object) -> None:
    with serve(site) as address:
        page = new_page(browser, 390, 844)
        page.goto(address + "items/gnmz/blzs/")
        result = page.locator(".bs-deadline__result")
        page.locator("input[type=date]").fill("2026-03-02")
        page.locator("input[type=date]").dispatch_event("change")
        assert "请先在上方“您的情形”中选择" in result.inner_text()
        assert "办结日期" not in result.inner_text().replace("再计算办结日期", "")
        page.locator("input[value=yidi]").check()
        assert "承诺办结日期：" in result.inner_text()  # 20 working days from the chosen situation
        page.locator("input[value=bendi]").check()  # 当场办结: no limit in days
        assert "本情形没有公布按日计算的承诺时限" in result.inner_text()
        page.locator('input[name="blzs-situation"][value=""]').check()
        assert "请先在上方“您的情形”中选择" in result.inner_text()
        assert page.external_requests == []

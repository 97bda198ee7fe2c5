"""Situations (情形): one guide per applicant's case, on the page, on paper and in the browser."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from generator.model import Catalog

from .browser import new_page, search, shot
from .conftest import item_of


def materials_of(checklist: str) -> list[str]:
    body = checklist[checklist.index("<tbody>") : checklist.index("</tbody>")]
    cells = re.findall(r'<td class="bs-tick">.*?</td><td class="bs-num">\d+</td><td>(.*?)</td>', body)
    return [re.sub(r"<[^>]+>.*", "", cell) for cell in cells]


def test_the_checklist_of_one_situation_lists_exactly_its_materials(built_site: Path, demo: Catalog) -> None:
    p = item_of(demo, "sthj/hpb")
    for situation in p.situations or ():
        expected = [m.name for m in p.materials if not m.situations or situation.id in m.situations]
        page = (built_site / f"print/sthj/hpb/checklist-{situation.id}.html").read_text(encoding="utf-8")
        assert materials_of(page) == expected
        assert f'<td colspan="3">{p.name}（{situation.name}）</td>' in page
    combined = (built_site / "print/sthj/hpb/checklist.html").read_text(encoding="utf-8")
    assert materials_of(combined) == [m.name for m in p.materials]


def limits_and_fees(form: str) -> tuple[str, str]:
    cells = dict(re.findall(r'<th scope="row"[^>]*>(办理时限|收费)</th><td[^>]*>(.*?)</td>', form))
    return cells["办理时限"], cells["收费"]


def test_each_checklist_states_its_situations_limits_and_fees_and_the_combined_one_their_ranges(
    built_site: Path,
) -> None:
    form = lambda name: (built_site / f"print/{name}.html").read_text(encoding="utf-8")  # noqa: E731
    assert limits_and_fees(form("sthj/hpb/checklist-baogaoshu")) == ("承诺 30个自然日（法定 60个自然日）", "不收费")
    assert limits_and_fees(form("sthj/hpb/checklist-baogaobiao"))[0] == "承诺 15个自然日（法定 30个自然日）"
    # the combined form is handed to anyone: never one situation's limit as if it were everyone's
    assert limits_and_fees(form("sthj/hpb/checklist"))[0] == "承诺 15–30 个自然日，按情形（法定 30–60 个自然日）"
    time, fee = limits_and_fees(form("zrzy/bdc-scdj/checklist"))
    assert time == "承诺 5个工作日（法定 30个工作日）"
    assert (
        fee.startswith("按情形：不动产登记费（住宅） 每件 80 元，证书工本费")
        and "；不动产登记费（非住宅） 每件 550 元" in fee
        and "住宅：不动产" not in fee  # the fee names its situation: no "住宅：" in front
    )
    assert limits_and_fees(form("zrzy/bdc-scdj/checklist-zhuzhai"))[1].startswith("不动产登记费（住宅） 每件 80 元；")
    listing = (built_site / "departments/zrzy/index.html").read_text(encoding="utf-8")
    assert re.search(r'bdc-scdj/">[^<]*</a><span class="bs-item-facts">.*?<span>收费按情形</span>', listing)


def test_the_summary_shows_ranges_until_a_situation_is_chosen(built_site: Path) -> None:
    page = (built_site / "items/sthj/hpb/index.html").read_text(encoding="utf-8")
    everyone = page[page.index('<span data-situation="">') :]
    assert everyone.startswith(
        '<span data-situation="">承诺 <strong>15–30 个自然日</strong><span class="bs-nobr">，按情形'
    )
    assert "法定 30–60 个自然日" in page
    fees = (built_site / "items/zrzy/bdc-scdj/index.html").read_text(encoding="utf-8")
    assert (
        '<a href="#situations">按情形</a>：不动产登记费（住宅） 每件 80 元；不动产登记费（非住宅） 每件 550 元' in fees
    )
    fee_section = fees[fees.index('id="fees"') : fees.index('id="place"')]
    assert "未公布" not in fee_section  # each situation's fees, under its name
    assert '<h3 id="fees-zhuzhai">住宅</h3>' in fee_section and "每件 550 元" in fee_section


@pytest.mark.browser
def test_choosing_a_situation_changes_materials_limits_fee_and_dates(server: str, browser: object) -> None:
    page = new_page(browser, 390, 844)
    page.goto(server + "items/sthj/hpb/")
    rows = page.locator(".bs-material-card")  # on a phone the materials are cards
    everything = rows.count()
    calculator = page.locator(".bs-deadline__result")
    page.locator("input[type=date]").fill("2026-03-02")
    page.locator("input[type=date]").dispatch_event("change")
    before = calculator.text_content()
    page.locator("input[value=baogaoshu]").check()
    shown = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(shown) < everything
    assert any("报告书" in r.text_content() for r in shown) and not any(
        "报告表（全本）" in r.text_content() for r in shown
    )
    assert page.locator('.bs-situation[data-situation="baogaoshu"]').is_visible()
    assert not page.locator('.bs-situation[data-situation="baogaobiao"]').is_visible()
    after = calculator.text_content()
    assert after != before and "2026 年 4 月 1 日" in after  # 30 calendar days from 2026-03-02
    shot(page, "situation-chosen-phone")
    page.goto(server + "items/zrzy/bdc-scdj/")
    page.locator("input[value=zhuzhai]").check()
    panel = page.locator('.bs-situation[data-situation="zhuzhai"]')
    assert "每件 80 元" in panel.text_content() and panel.is_visible()
    assert not page.locator('.bs-situation[data-situation="feizhuzhai"]').is_visible()


def shown_facts(page: object) -> dict[str, str]:
    """The summary's facts as a reader sees them: term → visible text."""
    facts = {}
    for fact in page.locator(".bs-fact").all():  # type: ignore[attr-defined]
        facts[fact.locator("dt").inner_text()] = fact.locator("dd").inner_text()
    return facts


@pytest.mark.browser
def test_the_chosen_situation_carries_through_summary_conditions_print_and_address(
    server: str, browser: object
) -> None:
    zxing = pytest.importorskip("zxingcpp")
    from PIL import Image

    page = new_page(browser, 390, 844)
    page.goto(server + "items/sthj/hpb/")
    assert "15–30 个自然日" in shown_facts(page)["办理时限"]
    shoushu_only = page.locator(".bs-conditions li", has_text="公众参与说明真实完整")
    assert shoushu_only.is_visible()  # all situations: every condition, each labelled with its situation
    page.locator("input[value=baogaobiao]").check()
    facts = shown_facts(page)
    assert facts["办理时限"].startswith("承诺 15个自然日") and "按情形" not in facts["办理时限"]
    assert facts["申请材料"].startswith("3 项")  # 申请, 报告表（全本）, and the conditional 删除…说明
    assert not shoushu_only.is_visible()  # the 报告书 situation's own condition
    assert page.locator(".bs-conditions li:visible").count() == 2
    checklist = page.locator(".bs-fact a", has_text="打印告知单").locator("visible=true")
    assert checklist.get_attribute("href").endswith("checklist-baogaobiao.html")
    assert page.url.endswith("?situation=baogaobiao")
    shot(page, "situation-summary-phone")

    page.reload()  # the choice is in the address: a reload, a bookmark or a shared link keeps it
    assert page.locator("input[value=baogaobiao]").is_checked()
    banner = page.locator(".bs-summary__situation")  # and the first screen says which situation it shows
    assert banner.is_visible() and "编制环境影响报告表的" in banner.inner_text()
    assert shown_facts(page)["办理时限"].startswith("承诺 15个自然日")
    assert not shoushu_only.is_visible()
    page.locator("input[type=date]").fill("2026-03-02")
    page.locator("input[type=date]").dispatch_event("change")
    assert "2026 年 3 月 17 日" in page.locator(".bs-deadline__result").text_content()  # 15 calendar days
    page.locator("input[value=baogaoshu]").check()
    assert page.url.endswith("?situation=baogaoshu") and shown_facts(page)["申请材料"].startswith("4 项")
    page.locator("input[value='']").check()
    assert "situation=" not in page.url and "按情形" in shown_facts(page)["办理时限"]
    assert not banner.is_visible()
    # the item's own limit is only some situations' limit: no date for everyone until a situation is chosen
    assert "请先在上方“您的情形”中选择" in page.locator(".bs-deadline__result").inner_text()

    page.goto(server + "print/sthj/hpb/checklist-baogaobiao.html")
    text = page.locator("main").inner_text()
    assert "公众参与说明真实完整" not in text and "报告书（表）由具备能力的技术单位编制" in text
    back = page.locator(".bs-print__actions a").get_attribute("href")
    assert back.endswith("?situation=baogaobiao")
    image = Image.open(io.BytesIO(page.locator(".bs-print__qr svg").screenshot(scale="device")))
    image = image.resize((image.width * 4, image.height * 4), Image.NEAREST)
    codes = [c.text for c in zxing.read_barcodes(image)]
    assert codes == ["https://banshi.example.gov.cn/items/sthj/hpb/?situation=baogaobiao"]
    page.close()


@pytest.mark.browser
def test_without_javascript_every_situation_is_readable(server: str, browser: object) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server + "items/sthj/hpb/")
    panels = page.locator(".bs-situation")
    assert panels.count() == 2 and all(p.is_visible() for p in panels.all())
    assert page.locator(".bs-situation h3").all_text_contents() == [
        "情形：编制环境影响报告书的",
        "情形：编制环境影响报告表的",
    ]
    assert not page.locator(".bs-situations__choice").is_visible()  # the selector needs JavaScript
    assert page.locator(".bs-material-card:visible").count() == page.locator(".bs-material-card").count() == 5
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("words", "item"), [("社保卡", "社会保障卡申领"), ("营业执照", "企业开办")])
def test_searching_an_everyday_name_finds_the_item(server: str, browser: object, words: str, item: str) -> None:
    page = new_page(browser)
    page.goto(server)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search(page, words)
    titles = " ".join(page.locator(".md-search-result__item").all_text_contents()).replace("\u200b", "")
    assert item in titles

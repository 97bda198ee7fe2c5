"""The person at the counter, round two: a material is either required or not submitted, on the web and on paper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browser import new_page, shot


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_materials_not_to_bring_are_a_group_of_their_own(server: str, browser: object, width: int) -> None:
    page = new_page(browser, width, 900)
    page.goto(server + "items/gaj/sfz-hl/")
    if width < 720:
        bring = page.locator("ol.bs-material-cards > li")
        spared = page.locator("ul.bs-material-cards--spared > li")
        assert page.locator(".bs-material-cards__spared").inner_text() == "以下无需您提交："
    else:
        bring = page.locator("table.bs-materials tbody:not(.bs-materials__spared) tr")
        spared = page.locator("table.bs-materials tbody.bs-materials__spared tr:has(td)")
        assert "以下无需您提交" in page.locator("tbody.bs-materials__spared th").inner_text()
    assert bring.count() == 1 and spared.count() == 2
    for index in range(spared.count()):
        text = spared.nth(index).inner_text()
        assert "必需" not in text and "无需提交" in text  # never both
    for index in range(bring.count()):
        assert "无需提交" not in bring.nth(index).inner_text()
    count = page.locator(".bs-facts a[href='#materials'] strong").inner_text()
    assert count == f"{bring.count()} 项"  # the summary counts what the applicant brings
    shot(page, f"materials-groups-{width}")


def test_the_printed_checklist_gives_no_checkbox_to_a_material_not_to_bring(built_site: Path) -> None:
    form = (built_site / "print/gaj/sfz-hl/checklist.html").read_text(encoding="utf-8")
    table = form[form.index('<table class="bs-checklist">') : form.index("</table>", form.index("bs-checklist"))]
    assert table.count('class="bs-box"') == 1 and "原居民身份证" in table
    assert "居民户口簿" not in table and "近期彩色照片" not in table
    spared = re.search(r'<p class="bs-print__spared">(.*?)</p>', form, re.S)
    assert spared and "居民户口簿（免提交" in spared.group(1) and "近期彩色照片（部门内部生成" in spared.group(1)

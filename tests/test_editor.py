"""The editor for clerks (python -m generator edit): its server, a form from the declaration, saving into the same
YAML file, the validator's messages on the fields, and refusals of what is not its own page's."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.edit.server import Editor, serve

from .browser import new_page
from .conftest import ROOT

FEE_ITEM = "gaj/sfz-hl.yml"


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[tuple[str, Editor]]:
    shutil.copytree(ROOT / "procedures", tmp_path / "procedures")
    editor = Editor(tmp_path / "procedures", tmp_path)
    server = serve(editor, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", editor
    finally:
        server.shutdown()
        server.server_close()


def request(url: str, body: object = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    sent = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(sent) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def opened(address: str, file: str) -> dict[str, object]:
    status, page = request(address + "edit/" + file)
    assert status == 200
    found = re.search(r'<script type="application/json" id="state">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def changed(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("- ", "+ ")]


def test_saving_the_form_changes_exactly_the_changed_lines_and_checks_the_file(editor: tuple[str, Editor]) -> None:
    address, served = editor
    path = served.procedures / FEE_ITEM
    before = path.read_text(encoding="utf-8")
    state = opened(address, FEE_ITEM)
    data = state["data"]
    assert isinstance(data, dict)
    data["fees"][0]["standard"] = "25 元/证"
    own = {"Origin": address.rstrip("/"), "X-Banshi-Token": served.guard.token, "Content-Type": "application/json"}
    status, answer = request(address + "api/save", {"file": FEE_ITEM, "version": state["version"], "data": data}, own)
    assert status == 200, answer
    after = path.read_text(encoding="utf-8")
    assert changed(before, after) == ["-     standard: 20 元/证", "+     standard: 25 元/证"]
    assert json.loads(answer)["messages"] == []  # the demo item has no problem
    stale = {"file": FEE_ITEM, "version": state["version"], "data": data}  # opened before that save
    status, answer = request(address + "api/save", stale, own)
    assert status == 409 and "已被修改" in json.loads(answer)["error"]
    assert path.read_text(encoding="utf-8") == after  # nothing written


def test_requests_not_from_the_editors_own_page_are_refused(editor: tuple[str, Editor]) -> None:
    address, served = editor
    state = opened(address, FEE_ITEM)
    body = {"file": FEE_ITEM, "version": state["version"], "data": state["data"]}
    wrong_token = {"Origin": address.rstrip("/"), "X-Banshi-Token": "guessed", "Content-Type": "application/json"}
    assert request(address + "api/save", body, wrong_token)[0] == 403
    foreign = {"Origin": "https://evil.example", "X-Banshi-Token": served.guard.token}
    assert request(address + "api/save", body, foreign)[0] == 403
    assert request(address, headers={"Host": "evil.example"})[0] == 403
    outside = {**body, "file": "../README.md"}
    own = {"Origin": address.rstrip("/"), "X-Banshi-Token": served.guard.token}
    assert request(address + "api/save", outside, own)[0] == 404
    assert request(address + "api/save", {**body, "data": ["not", "a", "record"]}, own)[0] == 400


@pytest.mark.browser
def test_a_clerk_changes_a_fee_from_the_list_in_a_few_steps(editor: tuple[str, Editor], browser: object) -> None:
    address, served = editor
    path = served.procedures / FEE_ITEM
    before = path.read_text(encoding="utf-8")
    page = new_page(browser, 1280, 900)
    page.goto(address)
    page.get_by_role("link", name="居民身份证换领").click()  # 1
    fee = page.locator('[data-key="fees[0].standard"]').get_by_role("textbox")
    fee.fill("25 元/证")  # typing the value
    page.get_by_role("button", name="保存").click()  # 2
    page.get_by_text("已保存。").wait_for()
    assert changed(before, path.read_text(encoding="utf-8")) == ["-     standard: 20 元/证", "+     standard: 25 元/证"]
    assert page.external_requests == []  # type: ignore[attr-defined]
    page.locator('[data-key="time_limits.committed"]').get_by_role("textbox").fill("五个工作日")
    page.get_by_role("button", name="保存").click()
    message = page.locator('[data-key="time_limits.committed"] .message')
    message.wait_for()
    assert "不是可识别的时限" in message.inner_text()  # the validator's message, on its field
    assert "不是可识别的时限" in page.locator("#problems").inner_text()
    page.close()


def test_the_editor_ships_little_and_loads_nothing_from_elsewhere() -> None:
    import gzip

    static = ROOT / "generator/edit/static"
    shipped = sum(len(gzip.compress(path.read_bytes(), 9)) for path in static.iterdir())
    assert shipped <= 80 * 1024  # the JavaScript and CSS the browser downloads, gzip
    for path in static.iterdir():
        assert not re.search(r"https?://", path.read_text(encoding="utf-8")), path.name


@pytest.mark.browser
def test_the_form_has_no_serious_accessibility_problem(editor: tuple[str, Editor], browser: object) -> None:
    """(The page's Content-Security-Policy forbids inline scripts; the test lets axe in past it.)"""
    from .test_accessibility import axe

    address, _ = editor
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)  # type: ignore[attr-defined]
    for path in ("", "edit/" + FEE_ITEM, "edit/sthj/hpb.yml", "edit/gaj/department.yml", "edit/site.yml"):
        page.goto(address + path)
        assert axe(page) == [], path
    page.close()

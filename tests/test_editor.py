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
from typing import Any

import pytest

from generator.edit.form import SECTIONS
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


def own(address: str, editor: Editor) -> dict[str, str]:
    return {"Origin": address.rstrip("/"), "X-Banshi-Token": editor.guard.token, "Content-Type": "application/json"}


def test_submitting_the_form_changes_exactly_the_changed_lines_and_refuses_a_stale_file(
    editor: tuple[str, Editor],
) -> None:
    address, served = editor
    path = served.procedures / FEE_ITEM
    before = path.read_text(encoding="utf-8")
    state = opened(address, FEE_ITEM)
    data: Any = state["data"]
    data["fees"][0]["standard"] = "25 元/证"
    body = {"file": FEE_ITEM, "version": state["version"], "data": data}
    status, answer = request(address + "api/report", body, own(address, served))
    assert status == 200 and path.read_text(encoding="utf-8") == before  # the report writes nothing
    report = json.loads(answer)
    assert report["errors"] == 0 and report["reviewers"] == ["@sls-gaj/editors"]
    fee = "收费项目“居民身份证工本费”收费标准 “20 元/证” → “25 元/证”"
    assert report["changes"] == [{"text": fee, "worse": False}]  # as diff says it (a fee's text is not compared)
    status, answer = request(
        address + "api/submit", {**body, "kind": "变更", "reason": "省发改委价格文件"}, own(address, served)
    )
    assert status == 200, answer
    after = path.read_text(encoding="utf-8")
    assert changed(before, after) == ["-     standard: 20 元/证", "+     standard: 25 元/证"]
    notes = path.with_name("sfz-hl.变更说明.md").read_text(encoding="utf-8")
    assert "变更" in notes and "省发改委价格文件" in notes and "25 元/证" in notes
    stale = {**body, "kind": "变更", "reason": "再改一次"}  # opened before that save
    status, answer = request(address + "api/submit", stale, own(address, served))
    assert status == 409 and "已被修改" in json.loads(answer)["error"]
    assert json.loads(answer)["data"]["fees"][0]["standard"] == "25 元/证"  # for the merge view
    assert path.read_text(encoding="utf-8") == after  # nothing written


def test_a_row_removed_and_a_row_added_change_only_their_own_lines(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "procedures", tmp_path / "procedures")
    path = tmp_path / "procedures" / FEE_ITEM
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - name: 近期彩色照片", "  # 窗口拍照\n  - name: 近期彩色照片")
    )
    before = path.read_text(encoding="utf-8")
    editor = Editor(tmp_path / "procedures", tmp_path)
    opened = editor.open(FEE_ITEM)
    assert opened is not None
    data: Any = opened[2]
    del data["materials"][1]  # the second of three, as its 删除 button does
    data["aliases"].insert(1, "身份证过期")
    assert editor.check(FEE_ITEM, data)[0] == 200
    assert changed(before, editor.latest[FEE_ITEM]) == [
        "- aliases: [身份证到期换证, 换身份证]",
        "+ aliases: [身份证到期换证, 身份证过期, 换身份证]",  # still one line
        "-   - name: 居民户口簿",
        "-     required: 必要",
        "-     original: 0",
        "-     copies: 0",
        "-     source: 公安机关核发",
        "-     provided_by: 免提交",
        "-     reason: 部门共享（户籍信息系统中核对）",
    ]  # and the comment above the third stays with it
    data["materials"].insert(1, {"name": "居住证", "required": "必要"})
    editor.check(FEE_ITEM, data)
    assert "  - name: 居住证\n    required: 必要\n  # 窗口拍照\n  - name: 近期彩色照片" in editor.latest[FEE_ITEM]


def test_the_change_kind_does_what_it_says(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "procedures", tmp_path / "procedures")
    editor = Editor(tmp_path / "procedures", tmp_path)
    path = tmp_path / "procedures" / FEE_ITEM
    opened = editor.open(FEE_ITEM)
    assert opened is not None
    data: Any = opened[2]
    data["hours"] = "工作日 9:00—17:00"  # a new key goes among the keys it belongs with
    status, answer = editor.submit(FEE_ITEM, opened[3], data, "新增", "试")
    assert status == 400 and answer["error"] == "这次修改的变更类别只能是“变更”、“暂停”、“取消”"
    status, answer = editor.submit(FEE_ITEM, opened[3], data, "暂停", "系统升级")
    assert status == 400 and "暂停办理" in str(answer["error"])  # 暂停 without saying so on the page
    data["suspended"] = "因系统升级，2026年12月1日起暂停受理，恢复时另行公告。"
    status, answer = editor.submit(FEE_ITEM, opened[3], data, "暂停", "系统升级")
    assert status == 200, answer
    keys = [line.split(":")[0] for line in path.read_text(encoding="utf-8").splitlines() if line[:1].isalpha()]
    assert keys[keys.index("aliases") + 1] == "suspended" and keys[keys.index("onsite_reason") + 1] == "hours"
    notes = path.with_name("sfz-hl.变更说明.md").read_text(encoding="utf-8")
    assert "新增暂停办理：因系统升级" in notes
    status, answer = editor.submit(FEE_ITEM, str(answer["version"]), data, "取消", "上级决定取消本事项")
    assert status == 200, answer
    assert not path.exists() and "撤销事项“居民身份证换领”" in path.with_name("sfz-hl.变更说明.md").read_text()
    new = editor.open("gaj/xin.yml")
    assert new is not None
    status, answer = editor.submit("gaj/xin.yml", new[3], {"name": "新事项"}, "变更", "试")
    assert status == 400 and answer["error"] == "这次修改的变更类别只能是“新增”"


def test_a_bundle_is_edited_like_an_item_and_reported_in_its_own_words(editor: tuple[str, Editor]) -> None:
    address, served = editor
    path = served.procedures / "bundles/csyjs.yml"
    before = path.read_text(encoding="utf-8")
    state = opened(address, "bundles/csyjs.yml")
    data: Any = state["data"]
    data["time_limits"]["committed"] = "3个工作日"
    data["visits"] = 2
    body = {"file": "bundles/csyjs.yml", "version": state["version"], "data": data}
    status, answer = request(address + "api/report", body, own(address, served))
    assert status == 200, answer
    report = json.loads(answer)
    assert report["errors"] == 0 and report["reviewers"] == ["@sls-zwfw/maintainers"]  # the office, as CODEOWNERS
    assert report["changes"] == [
        {"text": "到办事现场次数 1 次 → 2 次", "worse": True},  # worse for applicants first
        {"text": "承诺办结时限 5 → 3 个工作日", "worse": False},
    ]
    assert "新生儿出生一件事" in report["report"]
    status, answer = request(address + "api/submit", {**body, "kind": "变更", "reason": "试"}, own(address, served))
    assert status == 200, answer
    assert changed(before, path.read_text(encoding="utf-8")) == [
        "-   committed: 5个工作日",
        "+   committed: 3个工作日",
        "- visits: 1",
        "+ visits: 2",
    ]


def test_a_file_with_errors_is_not_submitted(editor: tuple[str, Editor]) -> None:
    address, served = editor
    path = served.procedures / FEE_ITEM
    before = path.read_text(encoding="utf-8")
    state = opened(address, FEE_ITEM)
    data: Any = state["data"]
    data["time_limits"]["committed"] = "五个工作日"
    body = {"file": FEE_ITEM, "version": state["version"], "data": data, "kind": "变更", "reason": "试"}
    status, answer = request(address + "api/submit", body, own(address, served))
    assert status == 422 and "草稿" in json.loads(answer)["error"]
    assert path.read_text(encoding="utf-8") == before
    status, answer = request(address + "api/submit", {**body, "kind": "随便"}, own(address, served))
    assert status == 400


def test_requests_not_from_the_editors_own_page_are_refused(editor: tuple[str, Editor]) -> None:
    address, served = editor
    state = opened(address, FEE_ITEM)
    body = {"file": FEE_ITEM, "version": state["version"], "data": state["data"], "kind": "变更", "reason": "r"}
    wrong_token = {**own(address, served), "X-Banshi-Token": "guessed"}
    for route in ("api/check", "api/report", "api/submit"):
        assert request(address + route, body, wrong_token)[0] == 403
        foreign = {**own(address, served), "Origin": "https://evil.example"}
        assert request(address + route, body, foreign)[0] == 403
    assert request(address, headers={"Host": "evil.example"})[0] == 403
    assert request(address + "preview/" + FEE_ITEM, headers={"Host": "evil.example"})[0] == 403
    outside = {**body, "file": "../README.md"}
    assert request(address + "api/submit", outside, own(address, served))[0] == 404
    assert request(address + "api/check", outside, own(address, served))[0] == 404
    assert request(address + "api/submit", {**body, "data": ["not", "a", "record"]}, own(address, served))[0] == 400
    assert request(address + "api/submit", {**body, "kind": "变更"}, own(address, served))[0] == 400  # no change
    long = "a" * 300 + ".yml"
    assert (
        request(address + "edit/gaj/" + long)[0] == 404 and request(address + f"new?folder=gaj&name={long}")[0] == 400
    )
    assert request(address + "api/check", {**body, "file": "gaj/" + long}, own(address, served))[0] == 404
    deep = '{"file": "gaj/sfz-hl.yml", "data": ' + "[" * 100_000 + "]" * 100_000 + "}"
    sent = urllib.request.Request(address + "api/check", data=deep.encode(), headers=own(address, served))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(sent)
    refused.value.close()
    assert refused.value.code == 400
    assert served.guard.refusal("POST", {**own(address, served), "X-Banshi-Token": "令牌"}) is not None


def test_messages_name_their_place_counting_from_one(editor: tuple[str, Editor]) -> None:
    address, served = editor
    state = opened(address, FEE_ITEM)
    data: Any = state["data"]
    data["steps"][2]["time"] = "很快"
    status, answer = request(address + "api/check", {"file": FEE_ITEM, "data": data}, own(address, served))
    assert status == 200
    [message] = json.loads(answer)["messages"]
    assert message["key"] == "steps[2].time" and message["place"] == "第 3 个办理环节 · 办理时限"


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
    page.get_by_role("button", name="保存…").click()  # 2
    dialog = page.get_by_role("dialog")
    assert "收费标准 “20 元/证” → “25 元/证”" in dialog.inner_text()  # the change report first
    dialog.get_by_label("变更", exact=True).check()  # 3
    dialog.get_by_label("理由或依据").fill("省发改委价格文件")  # typing
    dialog.get_by_role("button", name="确认提交").click()  # 4
    page.get_by_text("已保存到").wait_for()
    assert changed(before, path.read_text(encoding="utf-8")) == ["-     standard: 20 元/证", "+     standard: 25 元/证"]
    assert page.external_requests == []  # type: ignore[attr-defined]
    page.close()


@pytest.mark.browser
def test_messages_appear_on_their_fields_while_typing_and_the_preview_follows(
    editor: tuple[str, Editor], browser: object
) -> None:
    address, _ = editor
    page = new_page(browser, 1400, 900)
    page.goto(address + "edit/" + FEE_ITEM)
    frame = page.frame_locator("#preview")
    frame.get_by_text("20 元/证").first.wait_for()
    page.locator('[data-key="fees[0].standard"]').get_by_role("textbox").fill("38 元/证")
    frame.get_by_text("38 元/证").first.wait_for()  # the site's own page, with the changed value
    page.locator('[data-key="time_limits.committed"]').get_by_role("textbox").fill("五个工作日")
    message = page.locator('[data-key="time_limits.committed"] .message')
    message.wait_for()  # no button pressed: checked after typing stopped
    assert "不是可识别的时限" in message.inner_text()
    listed = page.locator("#problems").get_by_role("button")
    assert "办结时限 · 承诺办结时限" in listed.inner_text()
    listed.click()  # the list jumps to the field
    assert page.evaluate("document.activeElement.closest('[data-key]').dataset.key") == "time_limits.committed"
    page.reload()  # a reload (or a crash) keeps the work
    page.get_by_text("未提交的修改").wait_for()
    field = page.locator('[data-key="time_limits.committed"]').get_by_role("textbox")
    assert field.input_value() == "五个工作日"
    assert page.locator('[data-key="fees[0].standard"]').get_by_role("textbox").input_value() == "38 元/证"
    page.get_by_role("button", name="保存…").click()
    page.get_by_text("改正后才能提交").wait_for()  # a draft with an error is not submitted
    assert page.external_requests == []  # type: ignore[attr-defined]
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


HOOK = """#!/bin/sh
# What a forge receives: the pushed refs and the push options, one per line.
while read old new ref; do echo "ref $ref $new" >> "$GIT_DIR/received"; done
i=0
while [ "$i" -lt "${GIT_PUSH_OPTION_COUNT:-0}" ]; do
  eval "value=\\$GIT_PUSH_OPTION_$i"
  printf 'option %s\\n' "$value" >> "$GIT_DIR/received"
  i=$((i + 1))
done
"""


def git(folder: Path, *args: str) -> str:
    import subprocess

    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def forge(tmp_path: Path) -> tuple[Path, Path]:
    """A clerk's clone (with the demo procedures) and the forge's bare repository it pushes to, which records what
    arrives (a pre-receive hook, with push options advertised as GitLab, Gitea and Forgejo do)."""
    remote, clone = tmp_path / "forge.git", tmp_path / "clone"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(remote, "config", "receive.advertisePushOptions", "true")
    (remote / "hooks/pre-receive").write_text(HOOK, encoding="utf-8")
    (remote / "hooks/pre-receive").chmod(0o755)
    shutil.copytree(ROOT / "procedures", clone / "procedures")
    git(tmp_path, "init", "-q", "-b", "main", str(clone))
    for key, value in (("user.name", "张三"), ("user.email", "zhangsan@example.org")):
        git(clone, "config", key, value)
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "demo")
    git(clone, "remote", "add", "origin", str(remote))
    git(clone, "push", "-q", "origin", "main")
    (remote / "received").unlink()
    return clone, remote


def propose(clone: Path, forge: str, newline: bytes = b"\n") -> tuple[int, dict[str, Any]]:
    """The demo item's fee changed and submitted from ``clone`` (checked out with ``newline`` line endings); the
    clerk's working tree is left as it was."""
    from datetime import date

    from generator.edit.submit import Target

    path = clone / "procedures" / FEE_ITEM
    checkout = path.read_bytes().replace(b"\n", newline)
    path.write_bytes(checkout)
    editor = Editor(clone / "procedures", clone, Target(forge, "origin", "main", date(2026, 12, 2)))
    opened = editor.open(FEE_ITEM)
    assert opened is not None and opened[4]  # saving writes only what changed
    data: Any = opened[2]
    data["fees"][0]["standard"] = "25 元/证"
    status, answer = editor.submit(FEE_ITEM, opened[3], data, "变更", "省发改委价格文件")
    assert path.read_bytes() == checkout
    return status, answer


def received(remote: Path) -> tuple[list[str], list[str]]:
    lines = (remote / "received").read_text(encoding="utf-8").splitlines()
    return [line.split()[1] for line in lines if line.startswith("ref ")], [
        line.removeprefix("option ") for line in lines if line.startswith("option ")
    ]


def the_fee_commit(remote: Path, ref: str) -> str:
    """The commit at ``ref``: its only change is the fee's line; returns its message."""
    diff = git(remote, "diff", "main", ref)
    assert [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-    standard: 20 元/证",
        "+    standard: 25 元/证",
    ]
    assert git(remote, "log", "-1", "--format=%an", ref) == "张三"
    return git(remote, "log", "-1", "--format=%B", ref)


def test_gitlab_gets_a_branch_and_the_push_options_of_a_merge_request(forge: tuple[Path, Path]) -> None:
    clone, remote = forge
    status, answer = propose(clone, "gitlab")
    assert status == 200, answer
    branch = "edit/gaj/sfz-hl-2026-12-02"
    assert answer["branch"] == branch
    refs, options = received(remote)
    assert refs == [f"refs/heads/{branch}"]
    assert options[:2] == ["merge_request.create", "merge_request.target=main"]
    assert options[2] == "merge_request.title=变更：收费项目“居民身份证工本费”收费标准 “20 元/证” → “25 元/证”"
    assert options[3].startswith("merge_request.description=收费项目") and "省发改委价格文件" in options[3]
    message = the_fee_commit(remote, branch)
    assert "理由或依据：省发改委价格文件" in message and "# 办事指南变更报告" in message
    assert git(clone, "status", "--porcelain") == "" and git(clone, "branch", "--show-current") == "main"


def test_gitea_and_forgejo_get_an_agit_push_for_review(forge: tuple[Path, Path]) -> None:
    clone, remote = forge
    status, answer = propose(clone, "agit")
    assert status == 200, answer
    refs, options = received(remote)
    assert refs == ["refs/for/main"]
    assert options[0] == "topic=edit/gaj/sfz-hl-2026-12-02"
    assert options[1].startswith("title=变更：收费项目") and options[2].startswith("description=")
    assert "# 办事指南变更报告" in the_fee_commit(remote, "refs/for/main")


def test_a_windows_checkout_proposes_only_the_changed_line_in_the_repositorys_line_endings(
    forge: tuple[Path, Path],
) -> None:
    clone, remote = forge
    status, answer = propose(clone, "gitlab", newline=b"\r\n")  # git's core.autocrlf
    assert status == 200, answer
    the_fee_commit(remote, "edit/gaj/sfz-hl-2026-12-02")
    assert b"\r" not in git_bytes(remote, "show", "edit/gaj/sfz-hl-2026-12-02:procedures/" + FEE_ITEM)


def git_bytes(folder: Path, *args: str) -> bytes:
    import subprocess

    return subprocess.run(["git", *args], cwd=folder, capture_output=True, check=True).stdout


def test_github_gets_a_branch_and_the_clerk_its_compare_page(forge: tuple[Path, Path]) -> None:
    from urllib.parse import parse_qs, urlsplit

    clone, remote = forge
    git(clone, "config", "url." + str(remote) + ".insteadOf", "https://github.com/sls/banshi.git")  # no network
    git(clone, "remote", "set-url", "origin", "https://github.com/sls/banshi.git")
    status, answer = propose(clone, "github")
    assert status == 200, answer
    refs, options = received(remote)
    assert refs == ["refs/heads/edit/gaj/sfz-hl-2026-12-02"] and options == []
    url = urlsplit(str(answer["url"]))
    assert (url.netloc, url.path) == ("github.com", "/sls/banshi/compare/main...edit/gaj/sfz-hl-2026-12-02")
    query = parse_qs(url.query)
    assert query["title"] == ["变更：收费项目“居民身份证工本费”收费标准 “20 元/证” → “25 元/证”"]
    assert "省发改委价格文件" in query["body"][0] and "# 办事指南变更报告" in query["body"][0]
    the_fee_commit(remote, "edit/gaj/sfz-hl-2026-12-02")


def test_a_proposal_on_a_file_changed_on_the_forge_is_refused(forge: tuple[Path, Path], tmp_path: Path) -> None:
    clone, remote = forge
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    fee = other / "procedures" / FEE_ITEM
    fee.write_text(fee.read_text(encoding="utf-8").replace("20 元/证", "22 元/证"), encoding="utf-8")
    git(other, "-c", "user.name=李四", "-c", "user.email=lisi@example.org", "commit", "-qam", "李四改了收费")
    git(other, "push", "-q", "origin", "main")
    status, answer = propose(clone, "gitlab")
    assert status == 409 and "git pull" in str(answer["error"])


BROKEN = (
    "unknown_position.yml",
    "bad_duration.yml",
    "committed_exceeds_statutory.yml",
    "situations_unknown_id.yml",
    "missing_step_field.yml",
    "not_in_choices.yml",
    "wrong_type.yml",
    "unknown_key.yml",
    "cycle.yml",
    "syntax_error.yml",
)


@pytest.mark.browser
def test_every_message_of_a_broken_file_is_on_its_field(editor: tuple[str, Editor], browser: object) -> None:
    from generator.load import load

    address, served = editor
    page = new_page(browser, 1280, 900)
    for name in BROKEN:
        target = served.procedures / "gaj" / "broken.yml"
        shutil.copyfile(ROOT / "tests/fixtures/invalid" / name, target)
        expected = load(served.procedures, served.root, only=["procedures/gaj/broken.yml"]).diagnostics
        assert expected, name
        page.goto(address + "edit/gaj/broken.yml")
        page.locator("#problems li").first.wait_for()
        listed = page.locator("#problems li").all_inner_texts()
        assert len(listed) == len(expected), (name, listed)
        for diagnostic, shown in zip(expected, listed, strict=True):
            assert diagnostic.message in shown, name  # word for word
            key = diagnostic.key
            while key and not page.locator(f'#editor [data-key="{key}"]').count():
                key = re.sub(r"(\.[^.\[\]]*|\[\d+\])$", "", key) if re.search(r"[.\[]", key) else ""
            box = page.locator(f'#editor [data-key="{key}"]' if key else "#editor > *").first
            assert diagnostic.message in box.inner_text(), (name, diagnostic.key)
    page.close()


@pytest.mark.browser
def test_chinese_input_methods_compose_in_text_fields(editor: tuple[str, Editor], browser: object) -> None:
    """Pinyin being composed is not taken; the chosen characters are, in a one-line field and in a text area."""
    address, _ = editor
    page = new_page(browser, 1280, 900)
    page.goto(address + "edit/" + FEE_ITEM)
    cdp = page.context.new_cdp_session(page)
    for key, written in (("fees[0].standard", "每证二十元"), ("conditions", "本市户籍居民")):
        field = page.locator(f'[data-key="{key}"]').get_by_role("textbox").first
        field.fill("")
        field.focus()
        cdp.send("Input.imeSetComposition", {"text": "mei zheng", "selectionStart": 9, "selectionEnd": 9})
        page.wait_for_timeout(400)  # longer than the check's delay
        draft = page.evaluate("(key) => localStorage.getItem(key)", "banshi-draft:" + FEE_ITEM) or ""
        assert "mei zheng" not in draft
        cdp.send("Input.insertText", {"text": written})
        assert field.input_value() == written
        page.wait_for_function(
            "([k, w]) => (localStorage.getItem(k) || '').includes(w)", arg=["banshi-draft:" + FEE_ITEM, written]
        )
    page.close()


@pytest.mark.browser
def test_two_clerks_on_one_file_the_later_sees_a_merge_view(editor: tuple[str, Editor], browser: object) -> None:
    address, served = editor
    path = served.procedures / FEE_ITEM
    page = new_page(browser, 1280, 900)
    page.goto(address + "edit/" + FEE_ITEM)
    page.locator('[data-key="fees[0].standard"]').get_by_role("textbox").fill("25 元/证")
    page.locator('[data-key="materials"]').get_by_role("button", name="删除第 2 项").click()  # and a row goes
    path.write_text(path.read_text(encoding="utf-8").replace("20 元/证", "22 元/证"), encoding="utf-8")  # another
    page.get_by_role("button", name="保存…").click()
    merge = page.locator("#merge")
    merge.get_by_role("columnheader", name="别人保存的").wait_for()
    assert "第 1 个收费项目 · 收费标准\t22 元/证\t25 元/证" in merge.inner_text()  # in the form's words
    merge.get_by_role("button", name="在最新版本上重做我的修改").click()
    page.get_by_role("button", name="保存…").click()
    dialog = page.get_by_role("dialog")
    assert "“22 元/证” → “25 元/证”" in dialog.inner_text()  # against what is in the file now
    assert "取消申请材料“居民户口簿”" in dialog.inner_text() and "null" not in dialog.inner_text()
    assert dialog.get_by_label("变更", exact=True).is_checked()
    dialog.get_by_label("理由或依据").fill("价格文件")
    dialog.get_by_role("button", name="确认提交").click()
    page.get_by_text("已保存到").wait_for()
    assert "standard: 25 元/证" in path.read_text(encoding="utf-8")
    page.close()


def test_an_internal_preview_site_can_link_each_item_to_the_editor(demo: object) -> None:
    """site.yml edit_url (off by default): "编辑本事项" under the title, to the editor's page of the item's file."""
    import dataclasses

    from .conftest import item_of, item_page

    p = item_of(demo, "gaj/sfz-hl")
    assert "编辑本事项" not in item_page(demo, p)
    site = dataclasses.replace(demo.site, edit_url="http://127.0.0.1:8765/edit/")  # type: ignore[attr-defined]
    internal = dataclasses.replace(demo, site=site)  # type: ignore[type-var]
    assert '<a class="bs-edit" href="http://127.0.0.1:8765/edit/gaj/sfz-hl.yml">编辑本事项</a>' in item_page(
        internal, p
    )


def test_a_new_item_starts_from_nothing_and_is_written_in_the_forms_order(editor: tuple[str, Editor]) -> None:
    address, served = editor
    assert request(address + "new?folder=gaj&name=Bad_Name")[0] == 400
    assert request(address + "new?folder=gaj&name=sfz-hl")[0] == 400  # taken
    assert request(address + "new?folder=..&name=x")[0] == 400
    status, page = request(address + "new?folder=gaj&name=xin-shixiang")  # followed to the form
    assert status == 200 and "新事项" in page
    state = opened(address, "gaj/xin-shixiang.yml")
    assert state["data"] == {} and state["kind"] == "item"  # nothing filled in
    status, answer = request(address + "api/check", {"file": "gaj/xin-shixiang.yml", "data": {}}, own(address, served))
    assert status == 200 and any(m["severity"] == "error" for m in json.loads(answer)["messages"])
    data = opened(address, FEE_ITEM)["data"]
    assert isinstance(data, dict)
    data = {**data, "code": "XIN-0001", "name": "新的示范事项"}
    backwards = dict(reversed(list(data.items())))  # however the page sends it
    body = {"file": "gaj/xin-shixiang.yml", "version": state["version"], "data": backwards}
    status, answer = request(address + "api/report", body, own(address, served))
    assert json.loads(answer)["changes"] == [{"text": "新增事项“新的示范事项”", "worse": False}]
    status, answer = request(
        address + "api/submit", {**body, "kind": "新增", "reason": "新设事项"}, own(address, served)
    )
    assert status == 200, answer
    written = (served.procedures / "gaj/xin-shixiang.yml").read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in written.splitlines() if line[:1].isalpha()]
    assert keys == [k for _, section in SECTIONS["item"] for k in section if k in data]  # as the form has them
    status, answer = request(
        address + "api/submit", {**body, "kind": "新增", "reason": "再建一次"}, own(address, served)
    )
    assert status == 409  # not over the file that now exists


def test_an_office_server_accepts_the_names_it_is_given_and_no_other() -> None:
    editor = Editor(ROOT / "procedures", ROOT)
    server = serve(editor, "127.0.0.1", 0, ["bianji.zwfw.local"])
    port = server.server_address[1]
    server.server_close()
    assert editor.guard.refusal("GET", {"Host": f"bianji.zwfw.local:{port}"}) is None
    assert editor.guard.refusal("GET", {"Host": f"127.0.0.1:{port}"}) is None
    assert editor.guard.refusal("GET", {"Host": f"evil.example:{port}"}) is not None
    assert editor.guard.refusal("POST", {"Host": f"bianji.zwfw.local:{port}", "Origin": "http://evil.example"})


@pytest.mark.browser
def test_a_fee_is_changed_and_submitted_with_the_keyboard_alone(editor: tuple[str, Editor], browser: object) -> None:
    address, served = editor
    path = served.procedures / FEE_ITEM
    before = path.read_text(encoding="utf-8")
    page = new_page(browser, 1280, 900)
    page.goto(address + "edit/" + FEE_ITEM)
    page.locator("#problems li").first.wait_for()
    page.get_by_role("navigation", name="表单各部分").get_by_role("link", name="收费", exact=True).focus()
    page.keyboard.press("Enter")  # to the section; the next Tab goes on from there
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('[data-key]').dataset.key") == "fees[0].standard":
            break
    page.keyboard.press("Control+A")
    page.keyboard.type("25 元/证")
    page.locator("#problems").get_by_text("没有发现问题").wait_for()
    page.keyboard.press("Control+S")  # as in any editor: 保存…
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("“20 元/证” → “25 元/证”").wait_for()
    for _ in range(6):  # to the kinds of change
        if page.evaluate("document.activeElement.name") == "change-kind":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "变更"  # chosen already: an existing item is changed
    page.keyboard.press("Tab")
    page.keyboard.type("省发改委价格文件")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "确认提交"
    page.keyboard.press("Enter")
    page.get_by_text("已保存到").wait_for()
    assert changed(before, path.read_text(encoding="utf-8")) == ["-     standard: 20 元/证", "+     standard: 25 元/证"]
    page.close()


@pytest.mark.browser
def test_choices_in_the_form_mean_what_they_say(editor: tuple[str, Editor], browser: object) -> None:
    address, _ = editor
    page = new_page(browser, 1280, 900)
    page.goto(address + "edit/" + FEE_ITEM)
    page.locator("#problems li").first.wait_for()
    page.wait_for_function(  # the preview that the first check asked for has replaced the first one
        "() => { const w = document.getElementById('preview').contentWindow;"
        " return w.location.search.includes('n=') && w.document.readyState === 'complete'"
        " && w.document.querySelector('h1'); }"
    )
    page.evaluate("document.getElementById('preview').contentWindow.scrollTo(0, 600)")
    page.wait_for_timeout(100)  # the scroll event comes with the next frame: that is when the editor sees it
    page.locator('[data-key="name"] input').fill("居民身份证换领（预览）")
    page.wait_for_function(  # the new preview, where the clerk was reading
        "() => { const w = document.getElementById('preview').contentWindow;"
        " return w.document.querySelector('h1')?.textContent.includes('预览') && w.scrollY > 500; }"
    )
    required = page.locator('[data-key="materials[0].required"]')
    assert required.get_by_label("必需").is_checked()  # the file says 必要: the same choice, not a condition
    fees = page.locator('fieldset[data-key="fees"]')
    fees.get_by_label("不收费").check()
    fees.get_by_label("收费项目").check()  # a row to fill in, not an error about an empty list
    assert fees.locator('[data-key="fees[0].item"] textarea').count() == 1
    hall = page.locator('fieldset[data-key="hall"]')
    hall.get_by_role("button", name="整组改为未公布（不写）").click()  # an optional group back to not stated
    assert hall.locator('[data-key="hall.name"] textarea, [data-key="hall.name"] input').input_value() == ""
    page.wait_for_function("() => JSON.parse(localStorage['banshi-draft:gaj/sfz-hl.yml']).data.hall === undefined")
    place = page.locator('[data-key="place"] textarea')
    assert place.get_attribute("placeholder") == "不写（使用部门地址）"  # not 未公布: the department's address
    page.close()

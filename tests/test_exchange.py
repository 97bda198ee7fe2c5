"""Exchange with the provincial platform: export → import gives the same items; bad tables get located messages."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from generator.load import load
from generator.messages import TABLE_MESSAGES
from generator.workflow.exchange import HEADERS, ITEM_COLUMNS, mapping

from .conftest import ROOT


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national")
    done = run("export", "--national", str(out), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return out


def empty_tree(target: Path) -> Path:
    """The demo's site.yml, departments and forms, without items: where imported items go."""
    shutil.copytree(ROOT / "procedures", target, ignore=shutil.ignore_patterns("schema"))
    for item in target.glob("*/*.yml"):
        if item.name != "department.yml":
            item.unlink()
    return target


@pytest.mark.parametrize("files", [("事项.csv", "申请材料.csv", "办理环节.csv"), ("事项.xlsx",)])
def test_export_then_import_gives_the_same_items(exported: Path, tmp_path: Path, files: tuple[str, ...]) -> None:
    tree = empty_tree(tmp_path / "procedures")
    done = run("import", *(str(exported / f) for f in files), "--out", str(tree), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    original = load(ROOT / "procedures", ROOT)
    again = load(tree, tmp_path)
    assert original.catalog is not None and again.catalog is not None, again.diagnostics
    assert again.catalog.procedures == original.catalog.procedures


def test_every_column_has_a_national_name_once() -> None:
    for table, header in HEADERS.items():
        assert len(header) == len(set(header)), table
    names = dict(mapping())
    assert names["name"] == "事项名称" and names["time_limits.committed"] == "承诺办结时限"
    assert names["level"] == "行使层级" and names["hall.name"] == "大厅名称"


def test_the_readme_lists_the_mapping() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for key, column in mapping():
        assert f"| `{key}` | {column} |" in readme, key


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_a_gbk_csv_with_a_missing_column_and_a_formula_gets_located_messages(exported: Path, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO((exported / "事项.csv").read_text(encoding="utf-8-sig"))))
    header = rows[0]
    gone = header.index("办件类型")
    rows = [row[:gone] + row[gone + 1 :] for row in rows]
    rows[3][rows[0].index("事项名称")] = '=HYPERLINK("http://x")'
    table = write_csv(tmp_path / "gbk.csv", rows[:5], encoding="gbk")
    done = run("import", str(table), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 1
    assert "gbk.csv:1:1: warning: 编码: 表格是 GBK 编码（Excel 的默认写法），已按 GBK 读取" in done.stdout
    assert f"gbk.csv:1:{len(rows[0]) + 1}: error: 办件类型: 事项表缺少必需的列" in done.stdout
    column = rows[0].index("事项名称") + 1
    assert f'gbk.csv:4:{column}: error: 事项名称: 单元格是公式 =HYPERLINK("http://x")' in done.stdout
    assert not (tmp_path / "out").exists()  # nothing written


def test_merged_cells_and_a_bad_value_are_located(exported: Path, tmp_path: Path) -> None:
    book = load_workbook(exported / "事项.xlsx")
    sheet = book["事项"]
    sheet.merge_cells("E2:E3")
    column = HEADERS["事项"].index("到办事现场次数") + 1
    sheet.cell(row=4, column=column, value="两次")
    book.save(tmp_path / "merged.xlsx")
    done = run("import", str(tmp_path / "merged.xlsx"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 1
    assert "merged.xlsx:2:5: error: 事项: 合并单元格 E2:E3；每个单元格只能写一个值，请取消合并" in done.stdout


def test_partial_import_writes_the_good_rows_and_lists_the_rest(exported: Path, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO((exported / "事项.csv").read_text(encoding="utf-8-sig"))))
    rows[2][rows[0].index("到办事现场次数")] = "两次"
    table = write_csv(tmp_path / "items.csv", rows)
    tree = empty_tree(tmp_path / "procedures")
    done = run(
        "import",
        str(table),
        str(exported / "申请材料.csv"),
        str(exported / "办理环节.csv"),
        "--out",
        str(tree),
        cwd=tmp_path,
    )
    assert done.returncode == 1 and "items.csv:2:" not in done.stdout
    assert f'items.csv:3:{rows[0].index("到办事现场次数") + 1}: error: 到办事现场次数: "两次" 应为整数' in done.stdout
    assert not list(tree.glob("*/*.yml")) or {p.name for p in tree.glob("*/*.yml")} == {"department.yml"}
    partial = run(
        "import",
        str(table),
        str(exported / "申请材料.csv"),
        str(exported / "办理环节.csv"),
        "--out",
        str(tree),
        "--partial",
        cwd=tmp_path,
    )
    assert partial.returncode == 1 and "以下行有错误，没有写出：items.csv 第 3 行" in partial.stderr
    assert len([p for p in tree.glob("*/*.yml") if p.name != "department.yml"]) == len(rows) - 2


def test_a_table_of_fifty_thousand_rows_is_refused_with_its_location(tmp_path: Path) -> None:
    rows = [HEADERS["事项"]] + [["demo", f"x{i}"] for i in range(50_000)]
    table = write_csv(tmp_path / "huge.csv", rows)
    done = run("import", str(table), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 1
    assert "huge.csv:20002:1: error: 表格: 表格有 50000 行，超过 20000 行的上限；请按部门拆分后导入" in done.stdout


def test_what_the_table_does_not_state_is_left_out(exported: Path, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO((exported / "事项.csv").read_text(encoding="utf-8-sig"))))
    keep = {"部门标识", "事项标识", "实施编码", "事项名称", "办件类型", "承诺办结时限", "日期"}
    rows = [[cell if rows[0][i] in keep else "" for i, cell in enumerate(row)] for row in rows[:2]]
    table = write_csv(tmp_path / "bare.csv", rows)
    out = tmp_path / "out"
    done = run("import", str(table), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    [written] = out.glob("*/*.yml")
    text = written.read_text(encoding="utf-8")
    for key in ("fees:", "visits:", "online:", "statutory:", "type:"):
        assert key not in text
    assert "表格中没有写的要素这里也没有写" in text


def test_bad_files(tmp_path: Path) -> None:
    (tmp_path / "zero.csv").write_bytes(b"")
    (tmp_path / "other.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")
    (tmp_path / "latin.csv").write_bytes("事项名称\n\udcff".encode("utf-8", "surrogateescape") + b"\xff\xfe\xfa")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    for name, code_text in (
        ("zero.csv", "表格是空的"),
        ("other.csv", "认不出这是哪张表"),
        ("latin.csv", "表格既不是 UTF-8 也不是 GBK 编码"),
        ("broken.xlsx", "无法读取这个 XLSX 文件"),
    ):
        done = run("import", str(tmp_path / name), "--out", str(tmp_path / "out"), cwd=tmp_path)
        assert done.returncode == 1 and code_text in done.stdout, (name, done.stdout)
    book = Workbook()
    book.active.append(["材料名称", "实施编码"])
    book.save(tmp_path / "materials-only.xlsx")
    done = run("import", str(tmp_path / "materials-only.xlsx"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert "没有找到事项表" in done.stdout


def test_every_table_message_is_produced_by_a_test() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    produced = {
        "table_encoding": "表格既不是 UTF-8",
        "table_gbk": "已按 GBK 读取",
        "table_empty": "表格是空的",
        "table_unreadable": "无法读取这个 XLSX",
        "table_unknown": "认不出这是哪张表",
        "table_too_long": "超过 20000 行的上限",
        "table_formula": "单元格是公式",
        "table_merged": "合并单元格",
        "table_missing_column": "缺少必需的列",
        "table_no_items": "没有找到事项表",
        "table_bad_cell": "应为整数",
        "table_invalid_item": "不是允许的取值",
    }
    assert set(produced) == set(TABLE_MESSAGES)
    for text in produced.values():
        assert text in source


def test_an_invalid_item_row_is_located_at_its_cell(exported: Path, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO((exported / "事项.csv").read_text(encoding="utf-8-sig"))))
    rows[1][rows[0].index("办件类型")] = "承诺"
    table = write_csv(tmp_path / "kind.csv", rows[:2])
    done = run("import", str(table), "--out", str(tmp_path / "out"), cwd=tmp_path)
    column = rows[0].index("办件类型") + 1
    assert f'kind.csv:2:{column}: error: kind (办件类型): "承诺" 不是允许的取值' in done.stdout
    assert [c.name for c in ITEM_COLUMNS][:3] == ["实施编码", "事项名称", "事项类型"]

"""Exchange with the provincial platform: export → import gives the same items; bad tables get located messages."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from generator.load import load
from generator.messages import TABLE_MESSAGES
from generator.workflow.exchange import HEADERS, ITEM_COLUMNS, mapping, with_mapping_table

from .conftest import ROOT, write_bomb


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
    assert with_mapping_table(readme) == readme, "请运行 python -m generator schema"  # generated, never hand-kept
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
    gone = header.index("事项标识")
    rows = [row[:gone] + row[gone + 1 :] for row in rows]
    rows[3][rows[0].index("事项名称")] = '=HYPERLINK("http://x")'
    table = write_csv(tmp_path / "gbk.csv", rows[:5], encoding="gbk")
    done = run("import", str(table), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 1
    assert "gbk.csv:1:1: warning: 编码: 表格是 GBK 编码（Excel 的默认写法），已按 GBK 读取" in done.stdout
    assert f"gbk.csv:1:{len(rows[0]) + 1}: error: 事项标识: 事项表缺少必需的列" in done.stdout
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
    assert "huge.csv:20002:1: error: 表格: 表格超过 20000 行的上限；请按部门拆分后导入" in done.stdout


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
        "table_too_long": "表格超过 20000 行的上限",
        "table_formula": "单元格是公式",
        "table_merged": "合并单元格",
        "table_missing_column": "缺少必需的列",
        "table_no_items": "没有找到事项表",
        "table_bad_cell": "应为整数",
        "table_invalid_item": "不是允许的取值",
        "table_bad_id": "不能用作部门文件夹名",
        "table_reserved_id": "是保留的名字",
        "table_duplicate_id": "已在 twice.csv 第 2 行出现",
        "table_cell_too_big": "单元格超过 128 KiB 的上限",
        "table_too_big": "文件解压后有 300 MiB",
        "table_too_wide": "超过 1024 列的上限",
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


# Ids from tables name files: the same rule as file names, nothing written outside --out --------------------------


@pytest.mark.parametrize(
    ("department", "item", "expected"),
    [
        ("..", "x", '部门标识: ".." 不能用作部门文件夹名：只能使用小写字母、数字和连字符（-），并以字母开头'),
        ("/tmp/evil", "x", '部门标识: "/tmp/evil" 不能用作部门文件夹名'),
        (".", "site", '事项标识: "site" 是保留的名字，不能用作事项文件名'),
        ("rsj", "department", '事项标识: "department" 是保留的名字，不能用作事项文件名'),
        ("records", "x", '部门标识: "records" 是保留的名字，不能用作部门文件夹名'),
        ("rsj", "../../x", '事项标识: "../../x" 不能用作事项文件名'),
    ],
)
def test_an_unsafe_id_is_located_and_nothing_is_written(
    exported: Path, tmp_path: Path, department: str, item: str, expected: str
) -> None:
    rows = list(csv.reader(io.StringIO((exported / "事项.csv").read_text(encoding="utf-8-sig"))))
    rows[1][rows[0].index("部门标识")], rows[1][rows[0].index("事项标识")] = department, item
    table = write_csv(tmp_path / "ids.csv", rows[:2])
    out = tmp_path / "work" / "out"
    out.mkdir(parents=True)
    before = sorted(p for p in tmp_path.rglob("*"))
    for extra in ((), ("--partial",), ("--force", "--partial")):
        done = run("import", str(table), "--out", str(out), *extra, cwd=tmp_path)
        assert done.returncode == 1 and expected in done.stdout, done.stdout + done.stderr
        column = rows[0].index("部门标识" if "部门标识" in expected else "事项标识") + 1
        assert f"ids.csv:2:{column}: error: " in done.stdout
        assert sorted(p for p in tmp_path.rglob("*")) == before


def test_existing_files_are_listed_and_kept_unless_forced(exported: Path, tmp_path: Path) -> None:
    tree = empty_tree(tmp_path / "procedures")
    files = [str(exported / f) for f in ("事项.csv", "申请材料.csv", "办理环节.csv")]
    assert run("import", *files, "--out", str(tree), cwd=tmp_path).returncode == 0
    mine = tree / "rsj/sbk.yml"
    mine.write_text("# 本部门正在修改\n", encoding="utf-8")
    again = run("import", *files, "--out", str(tree), cwd=tmp_path)
    assert again.returncode == 1 and "已经存在，没有写出任何文件（确认要覆盖时加 --force）" in again.stderr
    assert str(mine) in again.stderr and mine.read_text(encoding="utf-8") == "# 本部门正在修改\n"
    assert (tree / "rsj/department.yml").read_text(encoding="utf-8") == (
        ROOT / "procedures/rsj/department.yml"
    ).read_text(encoding="utf-8")
    forced = run("import", *files, "--out", str(tree), "--force", cwd=tmp_path)
    assert forced.returncode == 0 and "社会保障卡" in mine.read_text(encoding="utf-8")


def test_a_link_inside_out_does_not_lead_outside(exported: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "rsj").symlink_to(outside)
    done = run("import", str(exported / "事项.csv"), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 1 and "之外" in done.stderr
    assert not list(outside.iterdir()) and not list(out.glob("*/*.yml"))


def test_a_second_row_with_the_same_ids_is_an_error(exported: Path, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO((exported / "事项.csv").read_text(encoding="utf-8-sig"))))
    for name in ("部门标识", "事项标识"):
        rows[2][rows[0].index(name)] = rows[1][rows[0].index(name)]
    table = write_csv(tmp_path / "twice.csv", rows[:3])
    done = run("import", str(table), "--out", str(tmp_path / "out"), "--partial", cwd=tmp_path)
    same = f"{rows[1][rows[0].index('部门标识')]}/{rows[1][rows[0].index('事项标识')]}"
    assert (
        f"twice.csv:3:{rows[0].index('事项标识') + 1}: error: 事项标识: {same} 已在 twice.csv 第 2 行出现"
        in done.stdout
    )
    assert len(list((tmp_path / "out").glob("*/*.yml"))) == 1


# Hostile tables: refused while reading, with one located line ------------------------------------------------------


def test_a_csv_cell_over_128_kib_is_located(exported: Path, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO((exported / "事项.csv").read_text(encoding="utf-8-sig"))))
    column = rows[0].index("事项名称")
    rows[1][column] = "长" * 140_000
    done = run("import", str(write_csv(tmp_path / "long.csv", rows[:2])), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 1
    assert f"long.csv:2:{column + 1}: error: 表格: 单元格超过 128 KiB 的上限" in done.stdout
    assert "没有可以导入的表格，没有写出任何文件。查看过的文件：long.csv" in done.stderr


def test_an_xlsx_without_a_row_count_is_refused_while_streaming(tmp_path: Path) -> None:
    """No <dimension> tag: the 20,000-row limit is enforced as the rows are read, not after loading them all."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("事项")
    sheet.append(HEADERS["事项"])
    for n in range(25_000):
        sheet.append(["demo", f"x{n}"])
    book.save(tmp_path / "undeclared.xlsx")
    with zipfile.ZipFile(tmp_path / "undeclared.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<dimension" not in xml  # write-only workbooks declare no size
    done = run("import", str(tmp_path / "undeclared.xlsx"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 1
    assert "undeclared.xlsx:20002:1: error: 事项: 表格超过 20000 行的上限" in done.stdout


def test_an_xlsx_that_unpacks_to_hundreds_of_megabytes_is_refused_unopened(tmp_path: Path) -> None:
    bomb = write_bomb(tmp_path / "bomb.xlsx", HEADERS["事项"])
    assert bomb.stat().st_size < 2 * 1024**2
    done = run("import", str(bomb), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 1
    assert "bomb.xlsx:0:0: error: 文件: 文件解压后有 300 MiB，超过 256 MiB 的上限" in done.stdout
    assert "查看过的文件：bomb.xlsx" in done.stderr


def test_a_row_wider_than_1024_columns_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(HEADERS["事项"])
    book.active.cell(row=2, column=3000, value="远")
    book.save(tmp_path / "wide.xlsx")
    done = run("import", str(tmp_path / "wide.xlsx"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 1 and "wide.xlsx:2:1025: error: Sheet: 表格超过 1024 列的上限" in done.stdout

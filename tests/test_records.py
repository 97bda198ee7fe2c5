"""Case records (效能公开): every case counted by the rules of the deadline calculator, bad input located and
left out, nothing about a single case published."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.messages import RECORD_MESSAGES
from generator.model import Catalog
from generator.records import read_records

from .conftest import FIXTURES, ROOT, copy_project, write_bomb

QYKB = "11000000MB0000003X4000112345801001"  # 企业开办: 1 个工作日
HPB = "11000000MB0000006X4000112346101001"  # 环评: 15 个自然日; 情形 baogaoshu: 30 个自然日
JHDJ = "11000000MB0000004X4000712345901001"  # 结婚登记: 即办
HEADER = ["实施编码", "办件编号", "受理时间", "办结时间", "办理状态", "补正时段", "情形", "办理渠道", "好差评"]

# (case, code, accepted, finished, status, 补正, 情形) → on time?  2026: 春节 2/15–2/23 off, Saturday 2/14 and
# 2/28 are make-up working days; 国庆 10/1–10/7 off, Saturday 10/10 a make-up working day.
KNOWN = [
    ("SPRING-1", QYKB, "2026-02-13 09:00", "2026-02-14 16:00", "办结", "", "", True),  # 调休 Saturday is day 1
    ("SPRING-2", QYKB, "2026-02-13 09:00", "2026-02-24 10:00", "办结", "", "", False),  # holidays do not stop it
    ("SPRING-3", QYKB, "2026/2/13", "2026/2/24", "办结", "2026-02-13~2026-02-24", "", True),  # 补正 paused it
    ("AUTUMN-1", QYKB, "2026-09-30 15:00", "2026-10-08 09:00", "办结", "", "", True),  # first working day after 国庆
    ("AUTUMN-2", QYKB, "2026-09-30 15:00", "2026-10-09 09:00", "办结", "", "", False),
    ("NATURAL-1", HPB, "2026-09-16", "2026-10-08", "办结", "", "", True),  # day 15 is 10/1: rolls to 10/8
    ("NATURAL-2", HPB, "2026-09-16", "2026-10-09", "办结", "", "", False),
    ("NATURAL-3", HPB, "2026-09-16", "2026-10-15", "办结", "", "baogaoshu", True),  # 30 days: 10/16
    ("NATURAL-4", HPB, "2026-09-16", "2026-10-19", "办结", "", "baogaoshu", False),
    ("SAME-DAY-1", JHDJ, "2026-03-02 09:00", "2026-03-02 11:00", "办结", "", "", True),
    ("SAME-DAY-2", JHDJ, "2026-03-02 09:00", "2026-03-03 09:00", "不予受理", "", "", False),
    ("EXCEL-1", QYKB, "46055", "46056", "办结", "", "", True),  # Excel serial numbers: 2026-02-02 → 02-03
]


def write_cases(folder: Path, rows: list[list[str]], name: str = "cases.csv", header: list[str] = HEADER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_every_case_is_counted_as_the_calendar_says(tmp_path: Path, demo: Catalog) -> None:
    rows = [[*case[:7], "窗口", ""] for case in KNOWN]
    rows.append(["UNKNOWN-CODE", "NO-SUCH-ITEM", "2026-03-02", "2026-03-03", "办结", "", "", "窗口", ""])
    rows.append(["OPEN-LATE", QYKB, "2026-11-02", "", "在办", "", "", "网上", ""])
    rows.append(["OPEN-FRESH", QYKB, "2026-11-26", "", "在办", "", "", "网上", ""])
    rows.append(["LAST", JHDJ, "2026-11-27 09:00", "2026-11-27 10:00", "办结", "", "", "窗口", "非常满意"])
    write_cases(tmp_path / "records", [[r[1], r[0], *r[2:]] for r in rows])
    result = read_records(tmp_path / "records", demo, tmp_path, explain=True)
    verdicts = {v.case: v for v in result.cases}
    for case, *_, expected in KNOWN:
        assert verdicts[case].on_time is expected, case
    assert verdicts["SPRING-3"].elapsed == 0  # 2 working days passed, both paused
    assert verdicts["UNKNOWN-CODE"].excluded == "unknown_item" and verdicts["UNKNOWN-CODE"].on_time is None
    assert verdicts["OPEN-LATE"].overdue and verdicts["OPEN-LATE"].on_time is None  # still open on 11/27, due 11/3
    assert not verdicts["OPEN-FRESH"].overdue
    a = result.aggregates  # the true figures (what the site publishes of them: tests/test_disclosure.py)
    assert a is not None and a.end.isoformat() == "2026-11-27" and a.start.isoformat() == "2025-12-01"
    late = sum(1 for *_, expected in KNOWN if not expected)
    assert a.site.counted == len(KNOWN) + 1 and a.site.on_time == len(KNOWN) + 1 - late
    assert a.site.late == late and a.site.open_overdue == 1  # OPEN-LATE: still open, past its deadline
    assert a.site.received == len(KNOWN) + 3  # the unknown code is in no item, department or site figure …
    assert a.unknown_codes == 1 and a.excluded == {}  # … but counted on its own
    assert [d.code for d in result.diagnostics] == ["records_unknown_code"]


def test_the_same_rows_give_the_same_figures_from_gbk_gzip_and_xlsx(tmp_path: Path, demo: Catalog) -> None:
    from openpyxl import Workbook

    rows = [[c[1], c[0], *c[2:7], "窗口", "满意"] for c in KNOWN]
    plain = read_records(write_cases(tmp_path / "a", rows).parent, demo).performance
    gbk = tmp_path / "b" / "cases.csv"
    gbk.parent.mkdir()
    gbk.write_bytes((tmp_path / "a/cases.csv").read_text(encoding="utf-8").encode("gbk"))
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    (tmp_path / "c").mkdir()
    book.save(tmp_path / "c/cases.xlsx")
    gbk_result = read_records(tmp_path / "b", demo)
    assert [d.code for d in gbk_result.diagnostics] == ["records_gbk"]
    assert gbk_result.performance == plain
    assert read_records(tmp_path / "c", demo).performance == plain


def test_a_mapped_header_is_read_and_personal_columns_are_never_read(tmp_path: Path, demo: Catalog) -> None:
    import dataclasses

    from generator.model import RecordColumns, RecordsSettings

    site = dataclasses.replace(demo.site, records=RecordsSettings(columns=RecordColumns(accepted="受理日期")))
    catalog = dataclasses.replace(demo, site=site)
    header = [h if h != "受理时间" else "受理日期" for h in HEADER] + ["申请人手机"]
    rows = [[c[1], c[0], *c[2:7], "窗口", "", "13912345678"] for c in KNOWN]
    result = read_records(write_cases(tmp_path / "r", rows, header=header).parent, catalog, tmp_path)
    assert result.aggregates is not None and result.aggregates.site.counted == len(KNOWN)
    assert [(d.code, d.title) for d in result.diagnostics] == [("records_personal", "申请人手机")]


# Privacy --------------------------------------------------------------------------------------------------------

SECRET_ID = "110101199003071234"
SECRET_PHONE = "13987654321"


def test_the_site_publishes_aggregates_only(tmp_path: Path) -> None:
    from generator.mkdocs.build import build_site

    project = copy_project(tmp_path / "project")
    records = project / "procedures/records"
    shutil.rmtree(records)
    rows = []
    for n in range(40):  # a busy item, and one with three cases only
        rows.append(
            [QYKB, f"CASE-QYKB-{n:04d}", "2026-06-01 09:00", "2026-06-01 15:00", "办结", "", "", "网上", "满意"]
        )
    for n in range(3):
        rows.append(
            [JHDJ, f"CASE-JHDJ-{n:04d}", "2026-06-02 09:00", "2026-06-02 10:00", "办结", "", "", "窗口", "满意"]
        )
    header = [*HEADER, "身份证号", "备注"]
    write_cases(records, [[*r, SECRET_ID, f"联系 {SECRET_PHONE}"] for r in rows], header=header)
    site = build_site(project / "mkdocs.yml")
    everything = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file())
    assert "CASE-" not in everything and SECRET_ID not in everything and SECRET_PHONE not in everything
    data = json.loads((site / "data/performance.json").read_text(encoding="utf-8"))
    jhdj = data["items"][JHDJ]
    assert jhdj["received"] is None and jhdj["on_time_rate"] is None  # 3 cases: no number, no rate
    assert data["site"]["received"] is None  # 43 = 40 + 3 would give the 3 back: hidden too
    for row in csv.DictReader(io.StringIO((site / "data/performance.csv").read_text(encoding="utf-8-sig"))):
        for column in ("办件量", "办结量", "按时办结", "超期办结", "在办超期", "好差评评价数", "满意评价数"):
            value = row[column]
            assert value in ("*", "") or int(value) == 0 or int(value) >= 5, (row, column)
    page = (site / "items/mzj/jhdj/index.html").read_text(encoding="utf-8")
    line = page.split("近 12 个月")[1].split("</p>")[0]
    assert "为保护个人信息不公布具体数字" in line and "按时办结" not in line
    stats = (site / "stats/index.html").read_text(encoding="utf-8")
    cases = stats[stats.index('id="cases"') : stats.index('id="catalogue"')]  # the catalogue counts items, not cases
    for number in re.findall(r'(?:<td class="bs-num">|<dd>)(\d[\d,]*)(?: 件)?</(?:td|dd)>', cases):
        assert int(number.replace(",", "")) == 0 or int(number.replace(",", "")) >= 5
    schema = json.loads((site / "data/performance.schema.json").read_text(encoding="utf-8"))
    import jsonschema

    jsonschema.validate(data, schema)


# Bad input: one case each -------------------------------------------------------------------------------------

BAD = FIXTURES / "records"
EXPECTED = BAD / "expected.yml"
UPDATE = os.environ.get("UPDATE_EXPECTED") == "1"


def _sparse(tmp: Path) -> None:
    with (tmp / "huge.csv").open("wb") as handle:
        handle.truncate(2 * 1024**3 + 1)


def _gbk(tmp: Path) -> None:
    (tmp / "gbk.csv").write_bytes(
        ("\n".join([",".join(HEADER), f"{QYKB},G1,2026-01-05,2026-01-05,办结,,,窗口,"]) + "\n").encode("gbk")
    )


def _not_text(tmp: Path) -> None:
    (tmp / "binary.csv").write_bytes(b"\xff\xfe\x00\x01" * 1000)


def _empty(tmp: Path) -> None:
    (tmp / "empty.csv").write_bytes(b"")


def _merged(tmp: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["办件记录", None, None, None, None])
    sheet.merge_cells("A1:E1")
    sheet.append(HEADER)
    book.save(tmp / "merged.xlsx")


def _formula(tmp: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([QYKB, "F1", "2026-01-05", "=A1+1", "办结", "", "", "窗口", ""])
    book.save(tmp / "formula.xlsx")


def _broken_xlsx(tmp: Path) -> None:
    (tmp / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")


def _huge_cell(tmp: Path) -> None:
    write_cases(tmp, [[QYKB, "H1", "2026-01-05", "2026-01-05", "办结", "", "长" * 140_000, "窗口", ""],
                      [QYKB, "H2", "2026-01-05", "2026-01-05", "办结", "", "", "窗口", ""]], name="huge-cell.csv")  # fmt: skip


def _zip_bomb(tmp: Path) -> None:
    """A workbook of a few hundred kilobytes whose one sheet unpacks to 300 MiB (and declares no size)."""
    write_bomb(tmp / "bomb.xlsx", HEADER)


GENERATED: dict[str, Callable[[Path], None]] = {
    "huge_cell": _huge_cell,
    "xlsx_unpacks_too_big": _zip_bomb,
    "two_gib_file": _sparse,
    "gbk_file": _gbk,
    "neither_utf8_nor_gbk": _not_text,
    "empty_file": _empty,
    "merged_header": _merged,
    "formula_cell": _formula,
    "damaged_xlsx": _broken_xlsx,
}


def _cases() -> dict[str, Callable[[Path], None]]:
    cases = dict(GENERATED)
    for path in sorted(BAD.glob("*.csv")):
        cases[path.stem] = lambda tmp, source=path: shutil.copy(source, tmp / source.name)  # type: ignore[misc]
    return cases


CASES = _cases()


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_located_and_checking_exits_1(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    CASES[case](folder)
    code = main(["records", "check", "--records", str(folder), "--procedures", str(ROOT / "procedures")])
    out = capsys.readouterr().out.replace(str(folder) + "/", "")
    lines = [f"{line} [{_code(line)}]" for line in out.splitlines() if line.strip()]
    if UPDATE:
        table = yaml.safe_load(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.exists() else {}
        table[case] = {"exit": code, "lines": lines}
        EXPECTED.write_text(yaml.safe_dump(dict(sorted(table.items())), allow_unicode=True, width=1000), "utf-8")
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))[case]
    assert lines == expected["lines"]
    assert code == expected["exit"]
    assert "Traceback" not in out


def _code(line: str) -> str:
    """Which message a line is: the catalogue entry whose fixed words it contains."""
    text = line.split(": ", 3)[-1]
    for code, message in RECORD_MESSAGES.items():
        fixed = [part for part in re.split(r"\{[a-z]+\}", message) if len(part) >= 4]
        if fixed and all(part in text for part in fixed):
            return code
    return "?"


def test_every_record_message_has_a_case() -> None:
    table = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    assert sorted(table) == sorted(CASES)
    produced = {line.rsplit(" [", 1)[1].rstrip("]") for case in table.values() for line in case["lines"]}
    assert sorted(set(RECORD_MESSAGES) - produced) == []
    assert "?" not in produced


def test_a_build_leaves_wrong_rows_out_and_says_so_but_stops_for_an_unreadable_file(tmp_path: Path) -> None:
    from generator.mkdocs.build import BuildFailed, build_site

    project = copy_project(tmp_path / "project")
    records = project / "procedures/records"
    rows = [[QYKB, f"R{n}", "2026-06-01", "2026-06-01", "办结", "", "", "窗口", ""] for n in range(10)]
    rows.append([QYKB, "R-WRONG", "2026-06-01", "2026-05-01", "办结", "", "", "窗口", ""])
    write_cases(records, rows, name="extra.csv")
    log = io.StringIO()
    from generator.speed.progress import Progress

    site = build_site(project / "mkdocs.yml", progress=Progress(log, interactive=False))
    assert "办件记录：1 个错误" in log.getvalue() and "extra.csv:12:4: error: finished (办结时间)" in log.getvalue()
    stats = (site / "stats/index.html").read_text(encoding="utf-8")
    assert "另有 * 行记录有误" in stats  # one row: a small count, hidden
    (records / "broken.xlsx").write_bytes(b"not a workbook")
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    with pytest.raises(BuildFailed, match=r"broken\.xlsx:0:0: error: 文件: 无法读取这个文件"):
        build_site(project / "mkdocs.yml", progress=Progress(io.StringIO(), interactive=False))
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_the_demo_records_are_labelled_demo_everywhere(built_site: Path) -> None:
    stats = (built_site / "stats/index.html").read_text(encoding="utf-8")
    assert "<strong>演示数据</strong>" in stats
    item = (built_site / "items/scjg/qykb/index.html").read_text(encoding="utf-8")
    assert re.search(r"近 12 个月：办件 [\d,]+ 件，按时办结 [\d.]+%，满意率 [\d.]+%", item)
    assert '<span class="bs-demo-tag">演示数据</span>' in item
    data = json.loads((built_site / "data/performance.json").read_text(encoding="utf-8"))
    assert data["demo"] is True and data["site"]["received"] > 10000


@pytest.mark.browser
def test_a_phone_shows_the_figures_readably_and_accessibly(server: str, browser: object) -> None:
    from .browser import new_page, overflowing, shot
    from .test_accessibility import axe

    page = new_page(browser, 390, 844)
    page.goto(server + "stats/")
    assert page.locator("#cases").is_visible() and "演示数据" in page.locator(".bs-demo").inner_text()
    kpis = dict(
        zip(page.locator(".bs-kpis dt").all_inner_texts(), page.locator(".bs-kpis dd").all_inner_texts(), strict=True)
    )
    assert re.fullmatch(r"[\d,]+ 件", kpis["办件量"]) and re.fullmatch(r"\d+\.\d%", kpis["按时办结率"])
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('#cases ~ .bs-stat svg.bs-barchart, .bs-stat svg.bs-barchart')]
            .filter(s => s.getBoundingClientRect().width > 0)
            .flatMap(s => [...s.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * s.getScreenCTM().a))"""
    )
    assert sizes and min(sizes) >= 12  # the monthly charts are readable on the phone
    assert overflowing(page) == []
    assert axe(page) == []
    shot(page, "stats-records-phone")
    page.goto(server + "items/scjg/qykb/")
    line = page.locator(".bs-summary__records")
    assert line.is_visible() and re.match(
        r"近 12 个月：办件 [\d,]+ 件，按时办结 [\d.]+%，满意率 [\d.]+%", line.inner_text()
    )
    assert axe(page) == []
    page.close()


def test_readme_lists_the_declared_columns_and_the_committed_benchmark() -> None:
    from generator.model import SITE

    from .bench.records import load_runs, table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    columns = SITE.fields["records"].spec.fields["columns"].spec  # type: ignore[attr-defined]
    for name, declared in columns.keys.items():
        assert f"| `{name}` | {declared.spec.title} | {declared.spec.description} |" in readme, name
    runs = load_runs(ROOT / "tests/bench/records.json")
    assert any(900_000 <= r.rows <= 1_100_000 and r.seconds <= 20 and r.peak_mib <= 1536 for r in runs)
    assert any(r.rows >= 9_000_000 for r in runs)
    assert table(runs) in readme


def test_records_do_not_change_the_change_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from .test_changes import NO_CHANGE, Repo

    repo = Repo(tmp_path)
    write_cases(repo.procedures / "records", [[QYKB, "X1", "2026-01-05", "2026-01-05", "办结", "", "", "窗口", ""]])
    repo.commit("新的办件记录", "2026-02-01")
    assert repo.diff(capsys) == NO_CHANGE

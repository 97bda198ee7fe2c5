"""Every CSV and XLSX file the project writes (the site's open data and the national export) shows a hostile text
as text: a cell that begins with =, +, -, @, a tab or a carriage return is never a live formula."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import copy_project

RISKY = ("=", "+", "-", "@", "\t", "\r")
NAME = '=HYPERLINK("https://evil.example/","点这里")'
DEPARTMENT = "-示例市人力资源和社会保障局"
MATERIAL = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The hostile demo, built and exported: every CSV and XLSX file written."""
    from generator.mkdocs.build import build_site

    project = copy_project(tmp_path_factory.mktemp("hostile"))
    item = project / "procedures/rsj/sbk.yml"  # has cases in the demo records: a row in performance.csv
    data = yaml.safe_load(item.read_text(encoding="utf-8"))
    data["name"] = NAME
    data["materials"][0]["name"] = MATERIAL
    item.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    department = project / "procedures/rsj/department.yml"
    department.write_text(
        department.read_text(encoding="utf-8").replace("name: 示例市人力资源和社会保障局", f"name: '{DEPARTMENT}'"),
        encoding="utf-8",
    )
    site = build_site(project / "mkdocs.yml")
    export = project / "national"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "export", "--national", str(export)],
        cwd=project, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = sorted([*site.rglob("*.csv"), *site.rglob("*.xlsx"), *export.rglob("*.csv"), *export.rglob("*.xlsx")])
    names = {p.name for p in found}
    assert {"procedures.csv", "performance.csv", "事项.csv", "申请材料.csv", "事项.xlsx"} <= names, names
    return found


def test_no_csv_cell_starts_a_formula(outputs: list[Path]) -> None:
    seen = set()
    for path in (p for p in outputs if p.suffix == ".csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            for cell in row:
                assert not cell.startswith(RISKY), (path.name, cell)
                seen.update(text for text in (NAME, DEPARTMENT, MATERIAL) if cell == "'" + text)
    assert seen == {NAME, DEPARTMENT, MATERIAL}  # each hostile text reached some file, neutralised


def test_no_xlsx_cell_is_a_formula(outputs: list[Path]) -> None:
    from openpyxl import load_workbook

    seen = set()
    for path in (p for p in outputs if p.suffix == ".xlsx"):
        for sheet in load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, cell.coordinate)
                    if isinstance(cell.value, str) and cell.value.startswith(RISKY):
                        assert cell.quotePrefix, (path.name, cell.coordinate, cell.value)
                        seen.add(cell.value)
    assert {NAME, MATERIAL} <= seen

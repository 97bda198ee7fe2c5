"""Statistical disclosure control (README 效能公开): an outsider who reads every number the built site publishes
from case records, and every relation between them, cannot work any hidden count, nor any small count that was
never printed, down to an interval narrower than the threshold (``records.min_cases``, 5).

The outsider is :mod:`tests.attacker`: it parses the built open data and HTML, never the engine's values.  The
true values come from the engine only to know which never-printed cells are small."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from generator.records import read_records
from generator.records.disclosure import Cell, Ledger
from generator.records.publish import ledger_of

from .attacker import read_site
from .bench.synthetic import make_project

MINIMUM = 5


def truth(project: Path) -> Ledger:
    """Every count the records give, true values (the engine's, before disclosure control)."""
    from generator.load import load

    result = load(project / "procedures", project)
    assert result.catalog is not None
    records = read_records(project / "procedures/records", result.catalog, project)
    return ledger_of(records.aggregates)


def exposures(site: Path, ledger: Ledger) -> dict[Cell, tuple[float, float]]:
    """Every hidden cell, and every small cell the site never printed, that the outsider pins to fewer than
    ``MINIMUM`` possible values."""
    know = read_site(site)
    for cell, value in know.values.items():  # what the outsider read is what the records say
        if cell in ledger.values:
            assert value == ledger.values[cell], cell
    unprinted = {c for c in know.cells - know.values.keys() if 0 < ledger.values.get(c, 0) < MINIMUM}
    found = know.intervals(know.hidden | unprinted, wide=MINIMUM - 1e-6)
    return {cell: (low, high) for cell, (low, high) in found.items() if high - low < MINIMUM - 1e-6}


def test_the_demo_site_hides_every_small_count_from_an_outsider(built_site: Path) -> None:
    ledger = truth(built_site.parent)
    know = read_site(built_site)
    small = {c for c in know.cells if c in ledger.shown and 0 < ledger.values[c] < MINIMUM}
    assert small and small <= know.hidden  # the demo has small counts, and the outsider sees them hidden
    assert exposures(built_site, ledger) == {}


# The hard set: 60 items over 40 departments (20 with one item), most items with 1–6 cases, months with one case,
# open and overdue cases, ratings and complaints.

HEADER = ["实施编码", "办件编号", "受理时间", "办结时间", "办理状态", "补正时段", "情形", "办理渠道", "好差评"]
RATINGS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意", ""]


def hard_records(procedures: Path, items: int) -> None:
    rng = random.Random(19)
    rows = []
    for number in range(items):
        code = f"BENCH{number:06d}"
        for case in range(rng.choice([1, 1, 2, 3, 4, 5, 6, 6, 12, 40])):
            month = rng.choice([1, 2, 3, 3, 3, 4, 4, 5, 6]) if number % 7 else 7  # July: one item's cases only
            day = rng.randint(1, 20)
            status = rng.choice(["办结"] * 6 + ["不予受理", "在办"])
            finished = "" if status == "在办" else f"2026-{month:02d}-{min(28, day + rng.choice([0, 1, 3, 30])):02d}"
            channel = rng.choice(["网上", "窗口"])
            rows.append([code, f"H-{number}-{case}", f"2026-{month:02d}-{day:02d}", finished, status, "", "",
                         channel, rng.choice(RATINGS) if status != "在办" else ""])  # fmt: skip
    rows.append(["BENCH000001", "H-ONE-JAN", "2026-01-31", "2026-01-31", "办结", "", "", "窗口", "不满意"])
    rows.append(["NO-SUCH-CODE", "H-UNKNOWN", "2026-02-02", "2026-02-03", "办结", "", "", "窗口", ""])
    folder = procedures / "records"
    folder.mkdir()
    with (folder / "cases.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    complaints = [["投诉编号", "实施编码", "部门", "受理日期", "办结日期", "结果"]]
    for n in range(23):
        department = "" if n % 5 else f"市{n % 3 + 1}局"
        code = f"BENCH{n * 7 % items:06d}" if n % 5 else ""
        closed, result = ("2026-03-20", rng.choice(["属实", "部分属实", "不属实"])) if n % 4 else ("", "")
        complaints.append([f"TS{n:03d}", code, department, "2026-03-02", closed, result])
    with (folder / "complaints.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(complaints)


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ledger]:
    from generator.mkdocs.build import build_site

    project = make_project(tmp_path_factory.mktemp("hard"), items=60)
    hard_records(project / "procedures", items=60)
    return build_site(project / "mkdocs.yml"), truth(project)


def test_a_hard_set_of_small_counts_stays_hidden(hard: tuple[Path, Ledger]) -> None:
    site, ledger = hard
    know = read_site(site)
    small = {c for c in know.cells if c in ledger.shown and 0 < ledger.values[c] < MINIMUM}
    assert len(small) > 100 and small <= know.hidden
    assert len(know.hidden) > len(small)  # the small ones alone would not do: others are hidden to protect them
    assert exposures(site, ledger) == {}


def test_without_secondary_suppression_the_outsider_finds_small_counts(
    hard: tuple[Path, Ledger], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attacker is not blind: hiding the small counts alone (what the site did before) gives many back."""
    from generator.mkdocs.build import build_site
    from generator.records import publish

    def small_only(ledger: Ledger, minimum: int, secondary: bool = True) -> frozenset[Cell]:
        return original(ledger, minimum, secondary=False)

    original = publish.secure
    monkeypatch.setattr(publish, "secure", small_only)
    project = make_project(tmp_path / "project", items=60)
    hard_records(project / "procedures", items=60)
    site = build_site(project / "mkdocs.yml")
    found = exposures(site, hard[1])
    assert len(found) > 50
    exact = [cell for cell, (low, high) in found.items() if high - low < 1e-6 and 0 < low < MINIMUM]
    assert exact  # some hidden counts come back exactly

"""Working-day deadlines on real 2026 dates, in Python, in the browser's JavaScript and in the case records' SQL,
which must agree."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.model import CalendarOverrides, Catalog, Duration
from generator.workdays import WorkCalendar, calendar_data

from .conftest import ROOT, item_of

DEADLINE_JS = ROOT / "site_templates/overrides/assets/javascripts/deadline.js"
CALENDAR = WorkCalendar.load()

# (accepted, limit, last day), from the State Council's 2026 notice (国办发明电〔2025〕7号).
KNOWN = [
    # 元旦: 1/1–1/3 off; Sunday 1/4 is a make-up working day.
    ("2025-12-31", "1个工作日", "2026-01-04"),
    ("2025-12-31", "2个工作日", "2026-01-05"),
    # 春节: 2/15–2/23 off; Saturdays 2/14 and 2/28 are make-up working days.
    ("2026-02-13", "1个工作日", "2026-02-14"),
    ("2026-02-13", "2个工作日", "2026-02-24"),
    ("2026-02-13", "5个工作日", "2026-02-27"),
    ("2026-02-13", "6个工作日", "2026-02-28"),
    ("2026-02-14", "1个工作日", "2026-02-24"),
    # 劳动节: 5/1–5/5 off; Saturday 5/9 is a make-up working day.
    ("2026-04-30", "1个工作日", "2026-05-06"),
    ("2026-05-08", "1个工作日", "2026-05-09"),
    # 国庆节、中秋节: 10/1–10/7 off; Sunday 9/20 and Saturday 10/10 are make-up working days.
    ("2026-09-18", "1个工作日", "2026-09-20"),
    ("2026-09-30", "1个工作日", "2026-10-08"),
    ("2026-09-30", "3个工作日", "2026-10-10"),
    ("2026-09-30", "4个工作日", "2026-10-12"),
    ("2026-09-29", "20个工作日", "2026-11-02"),
    # Fractions of a day round up to a whole working day.
    ("2026-03-02", "0.5个工作日", "2026-03-03"),
    # Natural days: a last day that is not a working day moves to the next working day.
    ("2026-09-25", "7个自然日", "2026-10-08"),
    ("2026-03-02", "30个自然日", "2026-04-01"),
    ("2026-03-06", "30个自然日", "2026-04-07"),  # 4/5 is Sunday, 4/6 清明 in lieu
]

# Counting that reaches a year without a published schedule gives no date.
UNKNOWN = [
    ("2026-12-20", "20个工作日"),
    ("2026-12-31", "1个工作日"),
    ("2027-03-01", "1个工作日"),
    ("2003-06-02", "5个工作日"),
    ("2026-12-20", "30个自然日"),
]


def limit(text: str) -> Duration:
    parsed = Duration.parse(text)
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(("accepted", "text", "expected"), KNOWN)
def test_python_deadline_on_known_2026_dates(accepted: str, text: str, expected: str) -> None:
    assert CALENDAR.deadline(dt.date.fromisoformat(accepted), limit(text)) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(("accepted", "text"), UNKNOWN)
def test_python_never_guesses_beyond_the_published_years(accepted: str, text: str) -> None:
    assert CALENDAR.deadline(dt.date.fromisoformat(accepted), limit(text)) is None


def test_site_overrides_extend_and_correct_the_calendar() -> None:
    overrides = CalendarOverrides(holidays=("2027-01-01",), workdays=(), years=(2027,))
    calendar = WorkCalendar.load(overrides)
    assert calendar.deadline(dt.date(2026, 12, 31), limit("1个工作日")) == dt.date(2027, 1, 4)
    corrected = WorkCalendar.load(CalendarOverrides(workdays=("2026-10-07",)))
    assert corrected.deadline(dt.date(2026, 9, 30), limit("1个工作日")) == dt.date(2026, 10, 7)


def run_js(
    cases: list[tuple[str, float, str]], calendar: WorkCalendar = CALENDAR, function: str = "deadline"
) -> list[str | None]:
    """deadline.js's ``function`` (deadline or estimate) on each case (accepted, amount, unit)."""
    node = shutil.which("node")
    assert node, "Node.js is needed to test deadline.js: run bash .ci/setup"
    script = (
        "const d = require(process.argv[1]);"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const cal = d.makeCalendar(input.calendar);"
        f"process.stdout.write(JSON.stringify(input.cases.map(c => d.{function}(cal, c[0], c[1], c[2]))));"
    )
    payload = json.dumps({"calendar": calendar_data(calendar), "cases": cases})
    done = subprocess.run(
        [node, "-e", script, str(DEADLINE_JS)], input=payload, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_javascript_on_known_and_unknown_dates() -> None:
    cases = [(a, float(limit(t).amount), limit(t).unit) for a, t, _ in KNOWN]
    cases += [(a, float(limit(t).amount), limit(t).unit) for a, t in UNKNOWN]
    assert run_js(cases) == [e for _, _, e in KNOWN] + [None] * len(UNKNOWN)


def test_javascript_and_python_agree_on_every_day_of_2026() -> None:
    limits = [
        limit(t)
        for t in (
            "1个工作日",
            "3个工作日",
            "5个工作日",
            "7个工作日",
            "20个工作日",
            "60个工作日",
            "7个自然日",
            "30个自然日",
        )
    ]
    days = [dt.date(2025, 12, 1) + dt.timedelta(days=n) for n in range(31 + 365)]
    cases = [(d.isoformat(), float(x.amount), x.unit) for d in days for x in limits]
    python = [CALENDAR.deadline(d, x) for d in days for x in limits]
    expected = [r.isoformat() if r else None for r in python]
    assert run_js(cases) == expected
    assert expected.count(None) > 0 and len(set(expected)) > 250  # both outcomes are compared


# Beyond the holiday data: an estimate that still knows the holidays fixed by date (元旦, 劳动节, 国庆节).
UP_TO_2026 = dataclasses.replace(CALENDAR, years=frozenset(y for y in CALENDAR.years if y <= 2026))
"""The calendar as it stands today, also once a newer chinesecalendar publishes 2027."""
ESTIMATES = [
    ("2026-12-31", "1个工作日", "2027-01-04"),  # 2027-01-01 元旦 is a Friday
    ("2026-12-28", "7个工作日", "2027-01-07"),
    ("2026-12-02", "30个自然日", "2027-01-04"),  # ends on 元旦: rolls over it and the weekend
    ("2027-04-29", "2个工作日", "2027-05-03"),  # 4/30 Friday, 5/1–5/2 weekend and 劳动节
    ("2027-04-30", "1个工作日", "2027-05-03"),
    ("2027-09-30", "1个工作日", "2027-10-04"),  # 10/1 Friday 国庆, 10/2–10/3
    ("2027-09-24", "7个自然日", "2027-10-04"),
    ("2028-09-29", "1个工作日", "2028-10-04"),  # 2028: 10/1 Sunday, 10/2–10/3 Monday and Tuesday
]


@pytest.mark.parametrize(("accepted", "text", "expected"), ESTIMATES)
def test_python_estimates_skip_the_fixed_holidays_beyond_the_data(accepted: str, text: str, expected: str) -> None:
    day = dt.date.fromisoformat(accepted)
    assert UP_TO_2026.deadline(day, limit(text)) is None  # never a date stated as certain
    assert UP_TO_2026.estimate(day, limit(text)) == dt.date.fromisoformat(expected)


def test_javascript_estimates_agree_with_python_on_every_day_of_2027_and_2028() -> None:
    limits = [limit(t) for t in ("1个工作日", "2个工作日", "5个工作日", "20个工作日", "7个自然日", "30个自然日")]
    days = [dt.date(2026, 12, 1) + dt.timedelta(days=n) for n in range(31 + 365 + 366)]
    cases = [(d.isoformat(), float(x.amount), x.unit) for d in days for x in limits]
    expected = [UP_TO_2026.estimate(d, x) for d in days for x in limits]
    assert run_js(cases, UP_TO_2026, "estimate") == [e.isoformat() if e else None for e in expected]
    fixed = {e for e in expected if e and (e.month, e.day) in ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))}
    assert fixed == set()  # no estimate ends on a fixed holiday


# The case records' SQL (generator/records/engine.py) against the same Python rule --------------------------------

PARITY_LIMITS = ("1个工作日", "5个工作日", "15个工作日", "15个自然日", "30个自然日", "即办")
PAUSES = (None, (1, 4))
"""No pause, or a 补正 pause from the day after acceptance to three days later (days after acceptance)."""


def _parity_catalog(demo: Catalog) -> Catalog:
    """The demo catalog with one item per limit (codes PARITY-0…), nothing else."""
    base = item_of(demo, "scjg/qykb")
    assert base.time_limits is not None
    items = tuple(
        dataclasses.replace(
            base,
            id=f"parity-{n}",
            code=f"PARITY-{n}",
            situations=None,
            time_limits=dataclasses.replace(base.time_limits, committed=limit(text)),
        )
        for n, text in enumerate(PARITY_LIMITS)
    )
    return dataclasses.replace(demo, procedures=items)


def _expected(calendar: WorkCalendar, years: set[int] | None = None) -> dict[str, dt.date]:
    """Case id → finishing day, by the Python rule: each case finishes on its last day (id …/on), and its twin the
    day after (…/late)."""
    cases = {}
    for year in sorted(years or calendar.years):
        day = dt.date(year, 1, 1)
        while day.year == year:
            for n, text in enumerate(PARITY_LIMITS):
                for pause in PAUSES:
                    paused = [(day + dt.timedelta(pause[0]), day + dt.timedelta(pause[1]))] if pause else []
                    last = calendar.deadline_after_pauses(day, limit(text), None, paused)
                    if last is None or not calendar.covers(last + dt.timedelta(days=1)):
                        continue
                    name = f"{day.isoformat()}/{n}/{'p' if pause else '-'}"
                    cases[f"{name}/on"], cases[f"{name}/late"] = last, last + dt.timedelta(days=1)
            day += dt.timedelta(days=1)
    return cases


def _judged_by_sql(demo: Catalog, cases: dict[str, dt.date], folder: Path) -> dict[str, bool | None]:
    """Each case (id → finishing day) as the records engine's SQL judges it: on time or not."""
    from generator.records import read_records

    from .test_records import write_cases

    rows = []
    for case, finished in cases.items():
        accepted, n, pause, _ = case.split("/")
        day = dt.date.fromisoformat(accepted)
        first, last = (day + dt.timedelta(days) for days in PAUSES[1] or ())
        period = f"{first.isoformat()}~{last.isoformat()}" if pause == "p" else ""
        rows.append([f"PARITY-{n}", case, accepted, finished.isoformat(), "办结", period, "", "窗口", ""])
    write_cases(folder / "records", rows)
    result = read_records(folder / "records", _parity_catalog(demo), folder, explain=True)
    assert result.diagnostics == []
    return {v.case: v.on_time for v in result.cases}


def _disagreements(cases: dict[str, dt.date], judged: dict[str, bool | None]) -> list[str]:
    return [case for case in cases if judged.get(case) is not case.endswith("/on")]


def test_the_records_sql_and_python_agree_on_every_day_of_the_calendar(tmp_path: Path, demo: Catalog) -> None:
    cases = _expected(WorkCalendar.load(demo.site.calendar))
    assert len(cases) > 150_000  # 2004–2026 × six limits × with and without a pause × on the day and after
    assert _disagreements(cases, _judged_by_sql(demo, cases, tmp_path))[:10] == []


def test_the_parity_check_fails_when_either_side_changes(
    tmp_path: Path, demo: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.records import engine

    calendar = WorkCalendar.load(demo.site.calendar)
    wrong = dataclasses.replace(calendar, holidays=calendar.holidays - {dt.date(2026, 10, 7)})  # 国庆 a day short
    cases = _expected(wrong, {2026})
    assert len(_disagreements(cases, _judged_by_sql(demo, cases, tmp_path / "python"))) > 20
    cases = _expected(calendar, {2026})
    old_rule = "finished_widx <= accepted_widx + amount + pause_workdays"  # a Saturday after the last day on time
    facts = re.sub(r"finished_widx < accepted_widx.*?AND finished_workday\)", old_rule, engine.FACTS, flags=re.S)
    assert facts != engine.FACTS
    monkeypatch.setattr(engine, "FACTS", facts)
    assert len(_disagreements(cases, _judged_by_sql(demo, cases, tmp_path / "sql"))) > 20

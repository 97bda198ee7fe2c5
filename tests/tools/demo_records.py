"""Deterministic synthetic case records (演示数据) for the demo items, and at any scale for the benchmark.

    .venv/bin/python -m tests.tools.demo_records          # writes procedures/records/ (about 40,000 cases)

A year of cases up to 2026-11-27: arrivals on working days (online ones on any
day), most decided in time, some late, some paused for 补正 or 特别程序, some
refused, withdrawn or still open; 好差评 for about two thirds; a few dozen
效能投诉.  The same seed gives the same files (gzip without a timestamp).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import math
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator.load import load
from generator.model import Catalog, Procedure
from generator.workdays import WorkCalendar

ROOT = Path(__file__).resolve().parents[2]
START = dt.date(2025, 12, 1)
END = dt.date(2026, 11, 27)
HEADER = [
    "实施编码",
    "办件编号",
    "受理时间",
    "办结时间",
    "办理状态",
    "补正时段",
    "特别程序时段",
    "情形",
    "办理渠道",
    "好差评",
]
RATINGS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
RATING_WEIGHTS = [80, 14, 3, 2, 1]
BUSY = {"qykb": 30, "sbk": 25, "sfz-hl": 22, "jzz": 16, "bdc-scdj": 15, "jhdj": 12, "jydj": 12, "wfzjl": 14}
"""Cases per working day of the busiest demo items; the others get 2 to 6."""


def _workday_after(calendar: WorkCalendar, day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        if not calendar.covers(day) or calendar.is_workday(day):
            count -= 1
    return day


def _limit(p: Procedure) -> tuple[int, str]:
    """(days, kind) of the committed limit: kind 工作日, 自然日 or 即办."""
    limit = p.time_limits.committed
    if limit.is_immediate or limit.unit == "小时":
        return 0, "即办"
    kind = p.day_kind_of(limit) or "工作日"
    return math.ceil(limit.amount), kind


def cases(
    catalog: Catalog,
    calendar: WorkCalendar,
    rng: random.Random,
    start: dt.date = START,
    end: dt.date = END,
    rate: dict[str, float] | None = None,
) -> Iterator[list[str]]:
    """One row per case, in acceptance order per item."""
    serial = 0
    for p in catalog.procedures:
        per_day = (rate or {}).get(p.code, BUSY.get(p.id, rng.randint(2, 6)))
        days, kind = _limit(p)
        online = {"全程网办": 0.7, "部分网办": 0.4}.get(p.online.level if p.online else "", 0.0)
        situations = [s.id for s in p.situations or ()]
        day = start
        while day <= end:
            workday = calendar.is_workday(day) if calendar.covers(day) else day.weekday() < 5
            arrivals = _poisson(rng, per_day if workday else per_day * online * 0.1)
            for _ in range(arrivals):
                serial += 1
                yield _case(p, calendar, rng, day, end, days, kind, online, situations, serial)
            day += dt.timedelta(days=1)


def _case(
    p: Procedure,
    calendar: WorkCalendar,
    rng: random.Random,
    day: dt.date,
    end: dt.date,
    days: int,
    kind: str,
    online: float,
    situations: Sequence[str],
    serial: int,
) -> list[str]:
    accepted = dt.datetime.combine(day, dt.time(9 + rng.randint(0, 7), rng.randint(0, 59)))
    channel = "网上" if rng.random() < online else "窗口"
    pause = ""
    paused = 0
    if rng.random() < 0.1 and kind != "即办":
        begin = day + dt.timedelta(days=1)
        paused = rng.randint(2, 7)
        pause = f"{begin.isoformat()}~{(begin + dt.timedelta(days=paused)).isoformat()}"
    late = rng.random() < 0.04
    if kind == "即办":
        finished_day = day if not late else _workday_after(calendar, day, 1)
    elif kind == "工作日":
        used = rng.randint(days + 1, days + 5) if late else rng.randint(max(days // 3, 0), days)
        extra = 0
        if pause:
            begin = day + dt.timedelta(days=1)
            extra = sum(
                1
                for n in range(1, paused + 1)
                if calendar.is_workday(begin + dt.timedelta(days=n)) or not calendar.covers(begin)
            )
        finished_day = _workday_after(calendar, day, used + extra)
    else:
        used = rng.randint(days + 2, days + 9) if late else rng.randint(max(days // 3, 1), max(days - 3, 1))
        finished_day = day + dt.timedelta(days=used + paused)
    roll = rng.random()
    status = "办结"
    if roll < 0.02:
        status = "不予受理"
    elif roll < 0.035 and p.type == "行政许可":
        status = "不予许可"
    elif roll < 0.05:
        status = "撤回"
    elif roll < 0.06:
        status = "退件"
    finished = dt.datetime.combine(finished_day, dt.time(10 + rng.randint(0, 6), rng.randint(0, 59)))
    if finished_day == day:  # decided at the counter: some minutes after acceptance
        finished = accepted + dt.timedelta(minutes=rng.randint(10, 120))
    if finished_day > end:
        status, finished_text = "在办", ""
    else:
        finished_text = finished.strftime("%Y-%m-%d %H:%M")
    rating = ""
    if status == "办结" and rng.random() < 0.65:
        rating = rng.choices(RATINGS, RATING_WEIGHTS)[0]
    return [
        p.code,
        f"DEMO{serial:08d}",
        accepted.strftime("%Y-%m-%d %H:%M"),
        finished_text,
        status,
        pause,
        "",
        rng.choice(situations) if situations else "",
        channel,
        rating,
    ]


def complaints(catalog: Catalog, rng: random.Random, count: int = 36) -> Iterator[list[str]]:
    for number in range(1, count + 1):
        p = rng.choice(catalog.procedures)
        accepted = START + dt.timedelta(days=rng.randint(0, (END - START).days))
        closed = accepted + dt.timedelta(days=rng.randint(5, 30))
        result = rng.choices(["属实", "部分属实", "不属实"], [2, 2, 6])[0]
        if closed > END:
            closed_text, result = "", ""
        else:
            closed_text = closed.isoformat()
        department = catalog.department(p.department).short_name
        by_item = rng.random() < 0.7
        yield [
            f"TS{number:05d}",
            p.code if by_item else "",
            "" if by_item else department,
            accepted.isoformat(),
            closed_text,
            result,
        ]


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def write_gzip_csv(path: Path, header: Sequence[str], rows: Iterator[list[str]]) -> int:
    """A CSV in UTF-8, gzipped without a timestamp (the same rows give the same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        text = io.TextIOWrapper(packed, encoding="utf-8", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
        text.flush()
        text.detach()
    return count


def main() -> None:
    result = load(ROOT / "procedures", ROOT)
    assert result.catalog is not None
    catalog = result.catalog
    calendar = WorkCalendar.load(catalog.site.calendar)
    folder = ROOT / "procedures" / "records"
    rng = random.Random(2026)
    n = write_gzip_csv(folder / "demo-cases-2025-12-to-2026-11.csv.gz", HEADER, cases(catalog, calendar, rng))
    complaint_header = ["投诉编号", "实施编码", "部门", "受理日期", "办结日期", "结果"]
    path = folder / "demo-complaints.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(complaint_header)
        writer.writerows(complaints(catalog, rng))
    print(f"{n} 件办件记录，写入 {folder}")


if __name__ == "__main__":
    main()

"""The case records benchmark: read, check and aggregate N synthetic case records with ``records check``.

    .venv/bin/python -m tests.bench.records [--rows 1000000 10000000] [--json tests/bench/records.json]

The records are the demo items' (tests/tools/demo_records.py) at the rate of a
large city, one CSV per month as service systems export them; 10,000,000 rows
are ten regions of the 1,000,000.  Each run is its own process: the wall time
and the peak resident memory of ``python -m generator records check``.
The targets (issue 14): 1,000,000 rows in under 20 s and 1.5 GiB.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

from generator.load import load
from generator.workdays import WorkCalendar

from ..tools.demo_records import HEADER, cases
from .__main__ import machine, timed

ROOT = Path(__file__).resolve().parents[2]
TARGET_SECONDS = 20.0
TARGET_MIB = 1536.0


@dataclass
class RecordsRun:
    rows: int
    files: int
    megabytes: float
    seconds: float
    peak_mib: float
    machine: str


def make_records(folder: Path, rows: int) -> tuple[int, int]:
    """About ``rows`` case records, one CSV per month (ten regions for ten city-years); (rows, files)."""
    folder.mkdir(parents=True, exist_ok=True)
    catalog = load(ROOT / "procedures", ROOT).catalog
    assert catalog is not None
    calendar = WorkCalendar.load(catalog.site.calendar)
    regions = max(1, round(rows / 1_000_000))
    per_day = rows / regions / len(catalog.procedures) / 243  # the working days from December to late November
    rate = {p.code: per_day for p in catalog.procedures}
    handles: list[TextIO] = []
    writers: dict[str, Any] = {}
    count = 0
    for row in cases(catalog, calendar, random.Random(2026), rate=rate):
        month = row[2][:7]
        writer = writers.get(month)
        if writer is None:
            handle = (folder / f"cases-r1-{month}.csv").open("w", encoding="utf-8", newline="")
            handles.append(handle)
            writer = writers[month] = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(HEADER)
        writer.writerow(row)
        count += 1
    for handle in handles:
        handle.close()
    for region in range(2, regions + 1):  # the same cases again, as other districts' exports
        for source in sorted(folder.glob("cases-r1-*.csv")):
            target = folder / source.name.replace("-r1-", f"-r{region}-")
            with source.open(encoding="utf-8") as read, target.open("w", encoding="utf-8") as write:
                for number, line in enumerate(read):
                    write.write(line if number == 0 else line.replace(",DEMO", f",R{region}-", 1))
    return count * regions, sum(1 for _ in folder.glob("*.csv"))


def measure(rows: int, work: Path) -> RecordsRun:
    folder = work / f"records-{rows}"
    shutil.rmtree(folder, ignore_errors=True)
    print(f"… 生成约 {rows:,} 行办件记录", file=sys.stderr, flush=True)
    made, files = make_records(folder, rows)
    size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 2**20
    run = timed(
        [sys.executable, "-m", "generator", "records", "check", "--records", str(folder), "--procedures", "procedures"],
        ROOT,
    )
    shutil.rmtree(folder, ignore_errors=True)
    return RecordsRun(made, files, round(size, 1), round(run.seconds, 2), round(run.peak_mib, 1), machine())


def table(runs: list[RecordsRun]) -> str:
    lines = ["| 办件记录 | 文件 | 大小 | 读取、检查和汇总 | 峰值内存 |", "|---|---|---|---|---|"]
    for r in runs:
        lines.append(
            f"| {r.rows:,} 行 | {r.files} 个 CSV | {r.megabytes:,.0f} MiB | {r.seconds:.1f} s | {r.peak_mib:.0f} MiB |"
        )
    return "\n".join(lines)


def load_runs(path: Path) -> list[RecordsRun]:
    return [RecordsRun(**data) for data in json.loads(path.read_text(encoding="utf-8"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.records", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--json", type=Path, default=ROOT / "tests/bench/records.json")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="banshi-records-bench-"))
    try:
        runs = [measure(rows, work) for rows in args.rows]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(table(runs))
    met = True
    for r in runs:
        if 900_000 <= r.rows <= 1_100_000:
            ok = r.seconds <= TARGET_SECONDS and r.peak_mib <= TARGET_MIB
            met &= ok
            print(
                ("✓ " if ok else "✗ ")
                + f"{r.rows:,} 行：{r.seconds:.1f} s ≤ 20 s，峰值内存 {r.peak_mib:.0f} MiB ≤ 1536 MiB"
            )
    print(f"\n机器：{machine()}")
    args.json.write_text(json.dumps([asdict(r) for r in runs], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

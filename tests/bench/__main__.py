"""The scale benchmark: ``.venv/bin/python -m tests.bench [--items 1000 2000 10000] [--json FILE]``.

For each N it generates N synthetic items (tests/bench/synthetic.py), then, each
build in its own process:

1. a cold build (empty caches), a warm build (nothing changed) and a build
   after one item changed, with ``python -m generator build``, timing every
   stage and the peak memory;
2. up to ``--baseline-max`` items, the naive baseline: the same item, department
   and index pages as plain Markdown (``render --out``) in a default
   mkdocs-material site, every page in the navigation (the printable forms,
   which are not MkDocs pages in our build, are left out of the baseline too);
3. at the largest N, what a phone downloads before its first search result
   (tests/bench/search.py), and at 1,000 items the edit-to-view time under
   ``mkdocs serve`` (tests/bench/serve.py).

It prints a table and the targets of issues 6 and 24, and writes the numbers as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .synthetic import make_project

WARM_10K_SECONDS = 60.0
PEAK_MIB = 1536.0
FIRST_RESULT_KB = 150.0
EDIT_SECONDS = 2.0

BASELINE_CONFIG = """site_name: 基准市办事指南（基线）
theme:
  name: material
  language: zh
  font: false
plugins:
  - search:
      lang: zh
markdown_extensions:
  - attr_list
  - tables
  - toc:
      permalink: true
"""


@dataclass
class Run:
    seconds: float
    peak_mib: float
    report: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class Result:
    items: int
    cold: Run
    warm: Run
    baseline: Run | None
    site_mib: float
    median_page_kib: float
    search_kib_per_item: float
    validate_seconds: float
    machine: str = ""
    changed: Run | None = None
    """A build after one item was renamed."""
    first_result_kb: float | None = None
    """The most any query of the search benchmark downloads before its first result (gzip)."""
    edit_seconds: float | None = None
    """The slowest edit-to-view under ``mkdocs serve`` (tests/bench/serve.py)."""


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command; its wall time and peak resident memory (of that process alone)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    with process.stderr:
        errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.decode(errors='replace')[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


def build(project: Path) -> Run:
    report = project / "timings.json"
    env = {**os.environ, "BANSHI_TIMINGS": str(report), "NO_MKDOCS_2_WARNING": "1"}
    run = timed([sys.executable, "-m", "generator", "build"], project, env)
    run.report = json.loads(report.read_text(encoding="utf-8"))
    return run


def baseline(project: Path, work: Path) -> Run:
    docs = work / "baseline" / "docs"
    shutil.rmtree(work / "baseline", ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "generator", "render", "--out", str(docs)],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    shutil.rmtree(docs / "print", ignore_errors=True)
    home = docs / "index.md"  # the stock theme has no home.html: the baseline's home is a plain page
    home.write_text(re.sub(r"^template: .*\n", "", home.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    (work / "baseline" / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    return timed([sys.executable, "-m", "mkdocs", "build", "-q"], work / "baseline", env)


def rename_one(project: Path) -> None:
    """Change one item the way a clerk would: a new name shows on its page, its department's page, the indexes."""
    item = sorted((project / "procedures").glob("d*/item-*.yml"))[-1]
    text = item.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name: "))
    item.write_text(text.replace(name, name + "（改）", 1), encoding="utf-8")


def measure(items: int, work: Path, with_baseline: bool, search: bool = False, edit: bool = False) -> Result:
    project = make_project(work / f"project-{items}", items)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    validate = timed([sys.executable, "-m", "generator", "validate"], project)
    cold = build(project)
    warm = build(project)
    rename_one(project)
    changed = build(project)
    site = project / "site"
    pages = [p.stat().st_size for p in (site / "items").rglob("index.html")]
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index = sum(p.stat().st_size for p in (site / "search").rglob("*.json"))  # whole, or split in parts
    base = baseline(project, work) if with_baseline else None
    first = None
    if search:
        from .search import measure as search_measure

        first = search_measure(items, work / "search").first_max_kb
    edited = None
    if edit:
        from .serve import edit_to_view

        edited = max(edit_to_view(project))
    return Result(
        items=items,
        cold=cold,
        warm=warm,
        baseline=base,
        site_mib=size / 2**20,
        median_page_kib=statistics.median(pages) / 1024,
        search_kib_per_item=index / 1024 / items,
        validate_seconds=validate.seconds,
        machine=machine(),
        changed=changed,
        first_result_kb=first,
        edit_seconds=edited,
    )


def load_results(path: Path) -> list[Result]:
    """Results written by an earlier run."""
    results = []
    for data in json.loads(path.read_text(encoding="utf-8")):
        runs = {k: Run(**data[k]) if data.get(k) else None for k in ("cold", "warm", "baseline", "changed")}
        results.append(Result(**{**data, **runs}))
    return results


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} × {cpu}, Python {platform.python_version()}, {platform.system()}"


def table(results: list[Result]) -> str:
    head = (
        "| 事项数 | 校验 | 流程图（冷/热） | 页面 | MkDocs | 冷构建 | 热构建 | 改一项 | 基线 | 热构建÷基线 "
        "| 峰值内存（冷/热） | 网站大小 | 事项页中位数 | 首个搜索结果前下载 | dot（热） | validate | 改动到看见（serve） |"
    )
    lines = [head, "|" + "---|" * 17]
    for r in results:
        cold, warm = r.cold.report["timings"], r.warm.report["timings"]
        ratio = f"{r.warm.seconds / r.baseline.seconds:.2f}" if r.baseline else "—"
        base = f"{r.baseline.seconds:.1f} s" if r.baseline else "—"
        changed = f"{r.changed.seconds:.1f} s" if r.changed else "—"
        first = f"{r.first_result_kb:.0f} KB" if r.first_result_kb is not None else "—"
        edit = f"{r.edit_seconds:.2f} s" if r.edit_seconds is not None else "—"
        lines.append(
            f"| {r.items:,} | {warm['校验']:.1f} s | {cold['流程图']:.1f} / {warm['流程图']:.1f} s "
            f"| {warm['生成页面和开放数据']:.1f} s | {warm['MkDocs 渲染']:.1f} s | {r.cold.seconds:.1f} s "
            f"| {r.warm.seconds:.1f} s | {changed} | {base} | {ratio} "
            f"| {r.cold.peak_mib:.0f} / {r.warm.peak_mib:.0f} MiB | {r.site_mib:.0f} MiB | {r.median_page_kib:.0f} KiB "
            f"| {first} | {r.warm.report['counts'].get('dot', 0)} | {r.validate_seconds:.1f} s | {edit} |"
        )
    return "\n".join(lines)


def targets(results: list[Result]) -> list[tuple[str, bool]]:
    """Issue 6's targets, each with whether this run met it."""
    by_items = {r.items: r for r in results}
    checks: list[tuple[str, bool]] = []
    if 1000 in by_items and 2000 in by_items:
        ratio = by_items[2000].warm.seconds / by_items[1000].warm.seconds
        checks.append((f"2,000 ÷ 1,000 构建时间 {ratio:.2f} ≤ 2.1", ratio <= 2.1))
        growth = by_items[2000].median_page_kib / by_items[1000].median_page_kib
        checks.append((f"事项页 2,000 比 1,000 大 {growth - 1:.1%} ≤ 5%", growth <= 1.05))
    for r in results:
        if r.baseline is not None and r.items == 1000:
            share = r.warm.seconds / r.baseline.seconds
            checks.append((f"1,000 项热构建 ÷ 基线 {share:.2f} ≤ 0.35", share <= 0.35))
        checks.append((f"{r.items:,} 项：事项页中位数 {r.median_page_kib:.0f} KiB ≤ 80 KiB", r.median_page_kib <= 80))
        checks.append(
            (
                f"{r.items:,} 项：热构建运行 dot {r.warm.report['counts'].get('dot', 0)} 次 = 0",
                r.warm.report["counts"].get("dot", 0) == 0,
            )
        )
        checks.extend(_province(r))
    return checks


def _province(r: Result) -> list[tuple[str, bool]]:
    """Issue 24's targets that this size measures."""
    checks: list[tuple[str, bool]] = []
    if r.items >= 10000:
        checks.append((f"{r.items:,} 项热构建 {r.warm.seconds:.1f} s ≤ 60 s", r.warm.seconds <= WARM_10K_SECONDS))
        for name, run in (("冷", r.cold), ("热", r.warm)):
            checks.append(
                (f"{r.items:,} 项{name}构建峰值内存 {run.peak_mib:.0f} MiB ≤ 1536 MiB", run.peak_mib <= PEAK_MIB)
            )
    if r.first_result_kb is not None:
        kb = r.first_result_kb
        checks.append((f"{r.items:,} 项：首个搜索结果前下载 {kb:.0f} KB ≤ 150 KB", kb <= FIRST_RESULT_KB))
    if r.edit_seconds is not None:
        seconds = r.edit_seconds
        checks.append((f"{r.items:,} 项：mkdocs serve 改动到看见 {seconds:.2f} s ≤ 2 s", seconds <= EDIT_SECONDS))
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 2000, 10000])
    parser.add_argument("--baseline-max", type=int, default=2000, help="the baseline only up to this many items")
    parser.add_argument("--no-serve", action="store_true", help="without the edit-to-view measurement")
    parser.add_argument("--json", type=Path, default=Path("tests/bench/results.json"))
    parser.add_argument("--work", type=Path, default=None, help="where to build (default: a temporary folder)")
    parser.add_argument(
        "--records", type=int, nargs="*", default=[], help="also the case records benchmark at these row counts"
    )
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="banshi-bench-"))
    results = []
    largest = max(args.items)
    for items in args.items:
        print(f"… {items} 个事项", file=sys.stderr, flush=True)
        edit = items == min(args.items) and not args.no_serve
        results.append(measure(items, work, items <= args.baseline_max, items == largest >= 10000, edit))
    print(table(results))
    print()
    met = targets(results)
    for text, ok in met:
        print(("✓ " if ok else "✗ ") + text)
    print(f"\n机器：{machine()}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    records_met = True
    if args.records:
        from .records import main as records_main

        records_met = records_main(["--rows", *map(str, args.records)]) == 0
    return 0 if all(ok for _, ok in met) and records_met else 1


if __name__ == "__main__":
    sys.exit(main())

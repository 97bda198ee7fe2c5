"""The scale benchmark: ``.venv/bin/python -m tests.bench [--items 1000 2000] [--json FILE]``.

For each N it generates N synthetic items (tests/bench/synthetic.py), then, each
build in its own process:

1. a cold build (empty chart cache) and a warm build (nothing changed) with
   ``python -m generator build``, timing every stage and the peak memory;
2. the naive baseline: the same item, department and index pages as plain
   Markdown (``render --out``) in a default mkdocs-material site, every page in
   the navigation (the printable forms, which are not MkDocs pages in our build,
   are left out of the baseline too).

It prints a table and the targets of issue 6, and writes the numbers as JSON.
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

    @property
    def ours_seconds(self) -> float:
        """Load, validate, charts and page rendering in the warm build."""
        timings = self.warm.report.get("timings", {})
        return sum(timings.get(k, 0.0) for k in ("校验", "流程图", "生成页面和开放数据"))


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


def measure(items: int, work: Path, with_baseline: bool) -> Result:
    project = make_project(work / f"project-{items}", items)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    validate = timed([sys.executable, "-m", "generator", "validate"], project)
    cold = build(project)
    warm = build(project)
    site = project / "site"
    pages = [p.stat().st_size for p in (site / "items").rglob("index.html")]
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index = sum(p.stat().st_size for p in (site / "search").rglob("*.json"))  # whole, or split in parts
    base = baseline(project, work) if with_baseline else None
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
    )


def load_results(path: Path) -> list[Result]:
    """Results written by an earlier run."""
    results = []
    for data in json.loads(path.read_text(encoding="utf-8")):
        runs = {k: Run(**data[k]) if data[k] else None for k in ("cold", "warm", "baseline")}
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
        "| 事项数 | 校验 | 流程图（冷/热） | 页面 | MkDocs | 冷构建 | 热构建 | 基线 | 热构建÷基线 | 我们的阶段占比 "
        "| 峰值内存 | 网站大小 | 事项页中位数 | 搜索索引/事项 | dot（热） | validate |"
    )
    lines = [head, "|" + "---|" * 16]
    for r in results:
        cold, warm = r.cold.report["timings"], r.warm.report["timings"]
        ratio = f"{r.warm.seconds / r.baseline.seconds:.2f}" if r.baseline else "—"
        base = f"{r.baseline.seconds:.1f} s" if r.baseline else "—"
        lines.append(
            f"| {r.items:,} | {warm['校验']:.1f} s | {cold['流程图']:.1f} / {warm['流程图']:.1f} s "
            f"| {warm['生成页面和开放数据']:.1f} s | {warm['MkDocs 渲染']:.1f} s | {r.cold.seconds:.1f} s "
            f"| {r.warm.seconds:.1f} s | {base} | {ratio} | {r.ours_seconds / r.warm.seconds:.0%} "
            f"| {max(r.cold.peak_mib, r.warm.peak_mib):.0f} MiB | {r.site_mib:.0f} MiB | {r.median_page_kib:.0f} KiB "
            f"| {r.search_kib_per_item:.1f} KiB | {r.warm.report['counts'].get('dot', 0)} | {r.validate_seconds:.1f} s |"
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
        share = r.ours_seconds / r.warm.seconds
        checks.append((f"{r.items:,} 项：我们的阶段占 {share:.0%} ≤ 15%", share <= 0.15))
        checks.append(
            (f"{r.items:,} 项：搜索索引 {r.search_kib_per_item:.1f} KiB/事项 ≤ 4", r.search_kib_per_item <= 4)
        )
        checks.append(
            (
                f"{r.items:,} 项：热构建运行 dot {r.warm.report['counts'].get('dot', 0)} 次 = 0",
                r.warm.report["counts"].get("dot", 0) == 0,
            )
        )
        if r.items >= 3000:
            peak = max(r.cold.peak_mib, r.warm.peak_mib)
            checks.append((f"{r.items:,} 项：峰值内存 {peak:.0f} MiB ≤ 1536 MiB", peak <= 1536))
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument(
        "--memory-items", type=int, default=3000, help="one more size, without baseline, for peak memory (0: skip)"
    )
    parser.add_argument("--json", type=Path, default=Path("tests/bench/results.json"))
    parser.add_argument("--work", type=Path, default=None, help="where to build (default: a temporary folder)")
    parser.add_argument(
        "--records", type=int, nargs="*", default=[], help="also the case records benchmark at these row counts"
    )
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="banshi-bench-"))
    results = []
    sizes = [(n, True) for n in args.items] + ([(args.memory_items, False)] if args.memory_items else [])
    for items, with_baseline in sizes:
        print(f"… {items} 个事项", file=sys.stderr, flush=True)
        results.append(measure(items, work, with_baseline))
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

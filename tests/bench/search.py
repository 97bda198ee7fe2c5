"""The search benchmark: what a phone downloads before its first result when the index is split (README 性能).

    .venv/bin/python -m tests.bench.search [--items 10000] [--json tests/bench/search.json]

A synthetic tree of ``--items`` items (tests/bench/synthetic.py) gives the item documents the build writes
(:func:`generator.render.search.item_document`); the hand-written pages of content/ are added as plain text, as the
theme indexes them.  The index is split as the build splits it (:func:`generator.render.search.shard`) and searched
under Node with the browser's own worker, fetching the parts from disk, for our everyday query set, broad queries
(证, 办理…), and names and parts of names of 100 items.  For each query: the bytes (gzip) fetched before the first
answer, the theme's search_index.json included (target: ≤ 150 KB), and whether the last answer is the whole
index's (target: always, so that recall is unchanged).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.load import load
from generator.render.search import item_document, merge, shard, synonym_table
from generator.render.view import ItemView

from .__main__ import machine
from .synthetic import make_tree

ROOT = Path(__file__).resolve().parents[2]
WORKER = ROOT / "site_templates/overrides/assets/javascripts/search-worker.js"
HARNESS = ROOT / "tests/search_shards.js"
FIRST_KB = 150.0
BROAD = ["证", "办理", "许可", "申请", "工作", "登记", "zheng", "jzz", "身份证 户口", "怎么办", "不存在的事项"]


@dataclass
class SearchRun:
    items: int
    queries: int
    whole_kb: float
    """The unsplit index, gzip: what every search downloaded before."""
    first_max_kb: float
    first_p95_kb: float
    first_median_kb: float
    same: bool
    """Every query's last answer is the whole index's."""
    shard_s: float
    files: int
    machine: str


def pages() -> list[dict[str, str]]:
    """The hand-written pages that the theme indexes (not the editors' guide), as plain text."""
    found = []
    for page in sorted((ROOT / "content").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        if "exclude: true" in text.split("---")[1 if text.startswith("---") else 0][:200]:
            continue
        title = next((line[2:] for line in text.splitlines() if line.startswith("# ")), page.stem)
        plain = re.sub(r"[#*`>\[\]()!|-]+", " ", text)
        found.append({"location": f"{page.stem}/", "title": title, "text": " ".join(plain.split())})
    return found


def queries(docs: list[dict[str, object]]) -> list[str]:
    import yaml

    everyday = yaml.safe_load((ROOT / "tests/fixtures/search/everyday.yml").read_text(encoding="utf-8"))
    rng = random.Random(2026)
    names = [str(d["title"]) for d in rng.sample(docs, 100)]
    parts = [name[i : i + rng.randint(2, 4)] for name in names for i in [rng.randrange(max(1, len(name) - 2))]]
    return list(dict.fromkeys([str(q["query"]) for q in everyday] + BROAD + names + parts))


def measure(items: int, work: Path) -> SearchRun:
    procedures = make_tree(work, items)
    result = load(procedures, work)
    assert result.catalog is not None, "the synthetic tree does not validate"
    catalog = result.catalog
    synonyms = synonym_table(catalog.site)
    docs = [item_document(ItemView.of(catalog, p), True, synonyms) for p in catalog.procedures]
    index = merge({"config": {"lang": ["zh"]}, "docs": pages()}, docs, synonyms)
    whole = work / "whole.json"
    whole.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    started = time.perf_counter()
    files = shard(index, least=0)  # split however small, as the build splits an index of 1,200 items or more
    took = time.perf_counter() - started
    site = work / "site"
    for path, data in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    asked = queries(docs)
    questions = work / "queries.json"
    questions.write_text(json.dumps(asked, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        ["node", str(HARNESS), str(WORKER), str(site), str(whole), str(questions)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout)
    first = sorted(r["bytes"] / 1000 for r in found.values())
    return SearchRun(
        items=items,
        queries=len(found),
        whole_kb=len(gzip.compress(json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode(), 6)) / 1000,
        first_max_kb=first[-1],
        first_p95_kb=statistics.quantiles(first, n=20)[-1],
        first_median_kb=statistics.median(first),
        same=all(r["sharded"] == r["whole"] for r in found.values()),
        shard_s=took,
        files=len(files),
        machine=machine(),
    )


def table(run: SearchRun) -> str:
    return "\n".join(
        [
            "| 事项数 | 查询数 | 整个索引（gzip） | 首个结果前下载：最多 | 95% 分位 | 中位数 | 结果与整个索引相同 | 拆分用时 | 文件数 |",
            "|---:|---:|---:|---:|---:|---:|:---:|---:|---:|",
            f"| {run.items:,} | {run.queries} | {run.whole_kb:.0f} KB | {run.first_max_kb:.0f} KB | "
            f"{run.first_p95_kb:.0f} KB | {run.first_median_kb:.0f} KB | {'是' if run.same else '否'} | "
            f"{run.shard_s:.1f} s | {run.files} |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        run = measure(args.items, Path(folder))
    print(table(run))
    met = run.first_max_kb <= FIRST_KB and run.same
    print(f"目标（首个结果前下载 ≤ {FIRST_KB:.0f} KB，结果与整个索引相同）：{'达到' if met else '未达到'}")
    if args.json:
        args.json.write_text(json.dumps(asdict(run), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

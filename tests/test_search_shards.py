"""The search index split for phones (generator/render/search.py, ``shard``): the worker fetches only the parts a
query needs and finds exactly what the whole index finds; a broad query gets a first answer within the budget.
What a phone downloads before its first result on 10,000 items is measured by ``python -m tests.bench.search``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.render.search import SHARD_DOCS, shard

from .browser import new_page, search
from .conftest import ROOT, serve, whole_search_file, whole_search_index
from .test_search_everyday import QUERIES, WORKER

HARNESS = ROOT / "tests/search_shards.js"
BROAD = ["证", "办理", "许可", "申请表", "zheng", "身份证 户口", "怎么办", "不存在的事项", "jzz", "营业执照"]


def compare(site: Path, whole: Path, queries: list[str], tmp_path: Path, budget: int = 0) -> dict[str, dict]:  # type: ignore[type-arg]
    asked = tmp_path / "queries.json"
    asked.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    extra = [str(budget)] if budget else []
    done = subprocess.run(
        ["node", str(HARNESS), str(WORKER), str(site), str(whole), str(asked), *extra],
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[str, dict] = json.loads(done.stdout)  # type: ignore[type-arg]
    return found


def split(built_site: Path, target: Path, chunk: int = SHARD_DOCS) -> Path:
    """The demo's index split as a province's is (the demo's is small enough to stay whole)."""
    assert "banshi_shards" not in json.loads((built_site / "search/search_index.json").read_text("utf-8"))["config"]
    for path, data in shard(whole_search_index(built_site), chunk, least=0).items():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes(data)
    return target


def test_the_split_index_finds_exactly_what_the_whole_index_finds(built_site: Path, tmp_path: Path) -> None:
    site = split(built_site, tmp_path / "site")
    whole = whole_search_file(built_site, tmp_path / "whole.json")
    docs = json.loads(whole.read_text(encoding="utf-8"))["docs"]
    names = [d["title"] for d in docs if "banshi" in d]
    pasted = "".join(names[:4])  # longer than a query is typed: any item holding one of its bigrams is fetched
    queries = [str(q["query"]) for q in QUERIES] + BROAD + names + [name[1:3] for name in names] + [pasted]
    found = compare(site, whole, queries, tmp_path)
    assert {q: r["sharded"] for q, r in found.items()} == {q: r["whole"] for q, r in found.items()}
    assert sum(bool(r["whole"]) for r in found.values()) > len(queries) * 0.8  # the queries do find things
    theme = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not any("banshi" in d for d in theme["docs"])  # the theme's file holds no item: the worker fetches them


def test_a_broad_query_is_answered_first_within_the_budget_then_in_full(built_site: Path, tmp_path: Path) -> None:
    """The demo's parts cut small (two items a chunk) and a small budget, as a province's weigh against 120 KB."""
    site = split(built_site, tmp_path / "site", chunk=2)
    whole = whole_search_file(built_site, tmp_path / "whole.json")
    manifest = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["config"]["banshi_shards"]
    budget = max(manifest["grams"]) + 2500  # the postings and some four chunks of eleven
    found = compare(site, whole, BROAD, tmp_path, budget)
    theme = len(__import__("gzip").compress((site / "search/search_index.json").read_bytes(), 6))
    within = (theme + budget) * 1.05  # the manifest's sizes are Python's gzip, the harness's Node's
    for query, result in found.items():
        assert result["sharded"] == result["whole"], query  # the last answer is the whole one
        assert result["bytes"] <= within or result["first"] == result["whole"], query
    early = found["证"]
    assert early["first"] and early["first"] != early["whole"] and set(early["first"]) <= set(early["whole"])
    assert early["bytes"] <= within  # its first answer came before most of the items were fetched


@pytest.mark.browser
def test_the_search_box_of_a_split_index_fetches_only_the_parts_it_needs(
    built_site: Path, browser: object, tmp_path: Path
) -> None:
    """In Chromium, with the theme: the demo site with its index split as a province's (two items a chunk)."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    shutil.rmtree(site / "search")
    split(built_site, site, chunk=2)
    theme = site / "search/search_index.json"
    index = json.loads(theme.read_text(encoding="utf-8"))
    index["config"]["banshi_shards"]["budget"] = max(index["config"]["banshi_shards"]["grams"]) + 2500
    theme.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    whole = compare(site, whole_search_file(built_site, tmp_path / "whole.json"), ["证"], tmp_path)["证"]["whole"]
    with serve(site) as address:
        page = new_page(browser, 390, 844)
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url.removeprefix(address)))
        page.goto(address)
        search(page, "社保卡")
        assert page.locator(".md-search-result__item").first.inner_text().startswith("社会保障卡申领")
        parts = [url for url in fetched if url.startswith(("search/d/", "search/g/"))]
        chunks = [url for url in parts if url.startswith("search/d/")]
        assert parts and len(chunks) < len(list((site / "search/d").iterdir())) / 2  # not the whole index
        search(page, "营业执照")
        page.wait_for_function("document.querySelector('.md-search-result').textContent.includes('企业开办')")
        search(page, "证")  # broad: a first answer within the budget, then the whole one replaces it
        meta = page.locator(".md-search-result__meta")
        page.wait_for_function(
            f"document.querySelector('.md-search-result__meta').textContent.includes('{len(whole)}')"
        )
        assert str(len(whole)) in meta.inner_text()
        assert page.external_requests == []  # type: ignore[attr-defined]
        page.close()


def test_the_search_benchmark_runs(tmp_path: Path) -> None:
    from .bench.search import measure

    run = measure(300, tmp_path)  # the index of 300 items stays whole: the benchmark splits it all the same
    assert run.same and run.queries > 150 and run.files > 10


def test_a_warm_build_splits_the_index_only_when_it_changed(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.speed import split as module

    index = whole_search_index(built_site)
    cache = tmp_path / "search.json"
    first = module.split_once(index, cache)
    calls: list[int] = []
    monkeypatch.setattr(module, "shard", lambda index: calls.append(1) or {"search/search_index.json": b"{}"})
    assert module.split_once(index, cache) == first and calls == []  # remembered
    changed = {**index, "docs": index["docs"][1:]}
    assert module.split_once(changed, cache) == {"search/search_index.json": "{}"} and calls == [1]

    monkeypatch.setattr(module, "latest", lambda cache, key: {"../../outside.json": "{}"})  # a tampered cache
    assert module.split_once(index, cache) == {"search/search_index.json": "{}"} and calls == [1, 1]

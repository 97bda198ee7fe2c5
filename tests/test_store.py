"""Rendered files kept on disk (generator.speed.store): the site is the same file for file, none of it is held."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.load import load
from generator.model import Catalog
from generator.render.opendata import COLLECTION
from generator.render.site import GeneratedSite, Options, write_tree
from generator.speed.generate import Generation, Kept, generate
from generator.speed.parallel import Parallel
from generator.speed.progress import Progress
from generator.speed.store import STORE

ROOT = Path(__file__).resolve().parent.parent
ONE = Parallel(threshold=10_000)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load(ROOT / "procedures", ROOT)
    assert result.catalog is not None
    return result.catalog


def _site(catalog: Catalog, cache: Path | None, kept: Kept | None = None) -> GeneratedSite:
    generation = Generation(Options(site_url="https://banshi.example.gov.cn/"), cache=cache, parallel=ONE)
    return generate(catalog, ROOT / "procedures", generation, Progress.silent(), kept)


def _tree(site: GeneratedSite, folder: Path) -> dict[str, bytes]:
    write_tree(site, folder)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_stored_site_is_the_site_held_in_memory_file_for_file(catalog: Catalog, tmp_path: Path) -> None:
    held = _tree(_site(catalog, None), tmp_path / "held")
    cold = _site(catalog, tmp_path / "cache")
    warm = _site(catalog, tmp_path / "cache")
    assert _tree(cold, tmp_path / "cold") == held == _tree(warm, tmp_path / "warm")
    assert COLLECTION in held and len(held) > 100
    for site in (cold, warm):  # no item's forms, charts or set-aside HTML in memory: only file names
        assert not [path for path in site.assets if path.startswith("items/")]
        assert not [path for path in [*site.indexed, *site.unindexed] if path.startswith("items/")]
        assert COLLECTION in site.stored
        assert all(f.is_relative_to(tmp_path / "cache" / "pages" / STORE) for f in site.stored.values())


def test_an_item_whose_stored_files_are_gone_is_rendered_again(catalog: Catalog, tmp_path: Path) -> None:
    kept = Kept()
    first = _site(catalog, tmp_path / "cache", kept)
    expected = _tree(first, tmp_path / "first")
    page = next(path for path in first.parked if path.startswith("items/"))
    chart = next(path for path in first.stored if path.startswith("items/") and path.endswith(".svg"))
    first.parked[page].unlink()  # as when someone empties the cache folder while mkdocs serve runs
    first.stored[chart].unlink()
    again = _site(catalog, tmp_path / "cache", kept)
    assert _tree(again, tmp_path / "again") == expected
    assert again.parked[page].is_file() and again.stored[chart].is_file()


def test_a_store_that_cannot_be_written_keeps_the_files_in_memory(catalog: Catalog, tmp_path: Path) -> None:
    held = _tree(_site(catalog, None), tmp_path / "held")
    (tmp_path / "cache" / "pages").mkdir(parents=True)
    (tmp_path / "cache" / "pages" / STORE).write_text("not a folder", encoding="utf-8")  # every write there fails
    site = _site(catalog, tmp_path / "cache")
    assert not site.stored and _tree(site, tmp_path / "built") == held


def test_a_cache_entry_naming_a_file_outside_the_store_is_a_miss(catalog: Catalog, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("不应公开的内容", encoding="utf-8")
    expected = _tree(_site(catalog, tmp_path / "cache"), tmp_path / "first")
    for entry in (tmp_path / "cache" / "pages").glob("*/*.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("stored"):
            data["stored"] = {path: str(secret) for path in data["stored"]}  # a tampered cache folder
            entry.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tree = _tree(_site(catalog, tmp_path / "cache"), tmp_path / "again")
    assert tree == expected and "不应公开的内容".encode() not in b"".join(tree.values())

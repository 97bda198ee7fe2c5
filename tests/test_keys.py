"""Every optional key of an item appears on its page, in open data and in the change report.

The cases are the declaration itself (``ITEM.keys``): a key added to the model
is tested here without a line of test code.  The fixture item
tests/fixtures/valid/demo/tebie.yml states every optional key.
"""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from generator.contract.spec import Sides
from generator.contract.yaml12 import Json
from generator.load import load
from generator.model import ITEM, Catalog, Procedure
from generator.render.opendata import OpenData
from generator.render.view import ItemView

from .conftest import VALID, item_page

OPTIONAL = [name for name, declared in ITEM.keys.items() if not declared.required]
WORDED = {
    "joint": lambda catalog, item: [catalog.department(d).name for d in item.joint],
    "visits": lambda catalog, item: [f"{item.visits} 次"],
    "delivery": lambda catalog, item: ["可以邮寄"],
}
"""Keys whose page shows words instead of the published value: department names, a count, yes/no."""


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load(VALID, VALID.parent)
    assert result.catalog is not None, [d.text() for d in result.diagnostics]
    return result.catalog


@pytest.fixture(scope="module")
def item(catalog: Catalog) -> Procedure:
    return next(p for p in catalog.procedures if p.id == "tebie")


@pytest.fixture(scope="module")
def page(catalog: Catalog, item: Procedure) -> str:
    """The item's page as a reader sees its text (rendered once for every key)."""
    return html.unescape(re.sub(r"<[^>]+>", "", item_page(catalog, item)))


def leaves(value: Json) -> list[str]:
    """The texts and numbers inside a published value."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in leaves(v)]
    if isinstance(value, bool) or value is None:
        return []
    return [str(value)]


def test_the_fixture_states_every_optional_key(item: Procedure) -> None:
    assert [name for name in OPTIONAL if getattr(item, name) in (None, ())] == []


@pytest.mark.parametrize("name", OPTIONAL)
def test_the_key_is_on_the_page_in_open_data_and_in_the_change_report(
    catalog: Catalog, item: Procedure, page: str, name: str
) -> None:
    view = ItemView.of(catalog, item)
    record = OpenData("https://banshi.example.gov.cn/").record(view)
    assert isinstance(record, dict) and record[name] not in (None, [])
    shown = [leaf for leaf in leaves(record[name]) if len(leaf) >= 2 and not leaf.startswith("https://banshi")]
    if name in WORDED:
        shown = WORDED[name](catalog, item)
    assert any(leaf in page for leaf in shown), (name, shown[:5])
    declared = ITEM.keys[name]
    if declared.compare:
        without = dataclasses.replace(item, **{name: ITEM.model.__dataclass_fields__[name].default})
        names = Sides(lambda ref: ref.written, lambda ref: ref.written)
        changes = [d.text for d in ITEM.diff(item, without, "", names)]
        assert changes, name

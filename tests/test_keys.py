"""Every optional key of an item appears on its page, in open data and in the change report; the outputs that show
a selection (the CSV, JSON-LD, the printed forms, the new-item template) show a key or list it as left out.

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


# Every output that shows a selection of the keys either shows a key or lists it here, on purpose. --------------

LEFT_OUT: dict[str, set[str]] = {
    "csv": {  # the CSV compares items at a glance: one column per comparable fact
        "category", "audience", "accepting", "undertaking", "deciding", "joint", "basis", "conditions", "place",
        "hours", "consult", "contacts", "complaint", "complaint_center", "review", "litigation", "commitments",
        "result", "quantity_limit", "handling", "appointment", "delivery", "intermediaries", "scope", "area",
        "level", "power_source", "hall", "onsite_reason", "directions", "faq", "published", "aliases", "topics",
        "steps",
    },
    "json-ld": {  # schema.org's GovernmentService has no place for the process, the law or the complaint route
        "suspended", "category", "kind", "accepting", "undertaking", "deciding", "joint", "basis", "conditions", "hours",
        "consult", "contacts", "complaint", "complaint_center", "review", "litigation", "commitments",
        "quantity_limit", "handling", "appointment", "delivery", "intermediaries", "scope", "area", "level",
        "power_source", "hall", "onsite_reason", "directions", "faq", "published", "steps",
    },
    "checklist": {  # the 一次性告知单 tells what to bring, where and when; the rest is on the page
        "category", "audience", "kind", "accepting", "undertaking", "deciding", "joint", "basis", "consult",
        "contacts", "review", "litigation", "commitments", "result", "quantity_limit", "handling",
        "appointment", "delivery", "intermediaries", "scope", "area", "level", "power_source", "hall",
        "onsite_reason", "directions", "faq", "aliases", "topics", "steps", "type", "visits", "published",
    },
    "notice": {  # the 滞办反馈告知书 names the item, the reason and the remedies
        "suspended", "category", "audience", "kind", "accepting", "undertaking", "deciding", "joint", "basis", "conditions",
        "time_limits", "fees", "visits", "online", "place", "hours", "consult", "contacts", "commitments",
        "result", "quantity_limit", "situations", "handling", "appointment", "delivery", "intermediaries", "scope",
        "area", "level", "power_source", "hall", "onsite_reason", "directions", "faq", "aliases", "topics", "type",
        "published",
    },
    "new": {  # the new-item template offers what most guides state; the editors' guide and schema name the rest
        "suspended", "category", "accepting", "undertaking", "deciding", "joint", "consult", "contacts", "complaint",
        "complaint_center", "review", "litigation", "commitments", "quantity_limit", "situations", "handling",
        "appointment", "delivery", "intermediaries", "scope", "area", "level", "power_source", "hall",
        "onsite_reason", "directions", "faq", "aliases", "topics",
    },
}  # fmt: skip


def _outputs(catalog: Catalog, item: Procedure) -> dict[str, str]:
    """What each selective output says of ``item``."""
    from generator.render.opendata import CSV_COLUMNS
    from generator.render.pages import PageRenderer
    from generator.render.urls import Paths

    view = ItemView.of(catalog, item)
    renderer = PageRenderer()
    renderer.item_pages(view, "<svg></svg>")
    files = renderer.take().files
    return {
        "csv": "\t".join(str(get(item, catalog)) for _, get in CSV_COLUMNS),
        "json-ld": OpenData("https://banshi.example.gov.cn/").json_ld(view),
        "checklist": files[Paths.checklist(item)],
        "notice": files[Paths.notice(item)],
    }


@pytest.fixture(scope="module")
def shown_in(catalog: Catalog, item: Procedure) -> dict[str, set[str]]:
    """Output → the optional keys whose absence changes what it says of the item."""
    full = _outputs(catalog, item)
    shown: dict[str, set[str]] = {output: set() for output in full}
    for name in OPTIONAL:
        without = dataclasses.replace(item, **{name: ITEM.model.__dataclass_fields__[name].default})
        others = dataclasses.replace(catalog, procedures=tuple(without if p is item else p for p in catalog.procedures))
        for output, text in _outputs(others, without).items():
            if text != full[output]:
                shown[output].add(name)
    return shown


@pytest.mark.parametrize("output", ["csv", "json-ld", "checklist", "notice"])
def test_each_output_shows_a_key_or_lists_it_as_left_out(shown_in: dict[str, set[str]], output: str) -> None:
    shown = shown_in[output]
    assert sorted(shown & LEFT_OUT[output]) == []  # listed as left out, yet shown: take it off the list
    assert sorted(set(OPTIONAL) - shown - LEFT_OUT[output]) == []  # neither shown nor left out on purpose


def test_the_new_item_template_offers_a_key_or_lists_it_as_left_out() -> None:
    template = (VALID.parent.parent.parent / "site_templates/scaffold/item.yml.j2").read_text(encoding="utf-8")
    offered = set(re.findall(r"^#? ?([a-z_]+):", template, re.M)) & set(ITEM.keys)
    assert sorted(offered & LEFT_OUT["new"]) == []
    assert sorted(set(OPTIONAL) - offered - LEFT_OUT["new"]) == []

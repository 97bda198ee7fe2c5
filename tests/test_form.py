"""The editor's form is described by the declaration: every key of every kind of file gets a widget, optional keys
can be left out (未公布), unions are a choice of their forms, and a kind of value without a widget is an error."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from generator.contract.spec import Spec, Text
from generator.contract.yaml12 import Json
from generator.edit.form import Unsupported, form_of
from generator.model import FILES, ITEM

WIDGETS = {"text", "textarea", "duration", "position", "file", "number", "yesno", "select", "union", "list", "table",
           "map", "group"}  # fmt: skip


def widgets(form: Json) -> list[str]:
    """Every widget of a form, nested ones included."""
    if isinstance(form, dict):
        found = [form["widget"]] if "widget" in form else []
        return found + [w for value in form.values() for w in widgets(value)]
    if isinstance(form, list):
        return [w for value in form for w in widgets(value)]
    return []


@pytest.mark.parametrize("kind", sorted(FILES))
def test_every_key_of_every_kind_of_file_has_a_widget(kind: str) -> None:
    form = form_of(FILES[kind])
    json.dumps(form, ensure_ascii=False)  # the browser reads it as JSON
    assert set(widgets(form)) <= WIDGETS
    keys = [f["key"] for f in form["fields"]]  # type: ignore[index, union-attr]
    declared = [name for name, key in FILES[kind].keys.items() if not key.derived]
    assert keys == declared  # every key, in the declaration's order (the order of the national guide elements)


def test_optional_keys_can_be_left_out_and_unions_are_choices() -> None:
    fields = {f["key"]: f for f in form_of(ITEM)["fields"]}  # type: ignore[index, union-attr]
    assert fields["name"]["optional"] is False and fields["fees"]["optional"] is True
    assert [f["label"] for f in fields["fees"]["forms"]] == ["不收费", "收费项目"]  # and 未公布 by leaving it out
    assert fields["fees"]["forms"][1]["form"]["widget"] == "table"
    materials = fields["materials"]
    assert materials["widget"] == "table" and materials["item"]["widget"] == "group"
    required = {f["key"]: f for f in materials["item"]["fields"]}["required"]
    assert [f["label"] for f in required["forms"]] == ["必需", "选交", "需要提交的情形"]
    assert fields["result"]["widget"] == "union" and fields["steps"]["widget"] == "table"
    assert fields["time_limits"]["fields"][0]["widget"] == "duration"


def test_a_kind_of_value_the_form_cannot_show_is_an_error() -> None:
    @dataclass(frozen=True)
    class Colour(Spec):
        pass

    with pytest.raises(Unsupported, match="编辑器表单不能显示 Colour（颜色）"):
        form_of(Colour("颜色"))
    assert form_of(Text("说明", "", 300))["widget"] == "textarea"


def test_every_key_of_an_item_is_in_one_section_of_its_form() -> None:
    from generator.edit.form import SECTIONS, file_form

    form = file_form("item", FILES["item"])
    fields = [f["key"] for f in form["fields"]]  # type: ignore[union-attr, index]
    placed = [key for section in form["sections"] for key in section["keys"]]  # type: ignore[union-attr, index]
    assert sorted(placed) == sorted(fields), set(placed) ^ set(fields)
    assert [title for title, _ in SECTIONS["item"]][:3] == ["基本信息", "实施机构", "设定依据"]

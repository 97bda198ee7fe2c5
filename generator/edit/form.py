"""The editor's form, described from the one declaration in :mod:`generator.model`: which widget each key gets, in
the declaration's order, with its Chinese title, help, limits and choices.

Every optional key may be left out (未公布): the form offers that as a choice of its own, so that not stating is as
easy as stating.  A union of the format (收费: 不收费 or a list of fees; 是否必需: 必需, 选交 or the situation that
needs it; 审批结果: a name or a record) is a choice between its forms.  A kind of value the form cannot show is an
error here, so a declaration never outgrows the editor unnoticed (tests/test_form.py).
"""

from __future__ import annotations

from collections.abc import Callable

from ..contract.spec import (
    Boolean,
    Choice,
    DurationText,
    Fees,
    FilePath,
    Integer,
    Label,
    ListOf,
    MapOf,
    PositionText,
    Record,
    Required,
    Spec,
    Text,
    TextOr,
)
from ..contract.yaml12 import Json

MULTILINE = 100
"""A text allowed more characters than this gets a text area."""


SECTIONS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "item": (
        ("基本信息", ("code", "name", "aliases", "type", "category", "audience", "kind", "scope", "area", "level")),
        ("实施机构", ("accepting", "undertaking", "deciding", "joint", "power_source")),
        ("设定依据", ("basis",)),
        ("受理条件", ("conditions", "quantity_limit")),
        ("办理情形", ("situations",)),
        ("申请材料", ("materials",)),
        ("办理时限", ("time_limits",)),
        ("收费", ("fees",)),
        (
            "办理方式、地点和时间",
            ("visits", "onsite_reason", "online", "handling", "appointment", "delivery", "place", "hall", "hours"),
        ),
        ("中介服务", ("intermediaries",)),
        ("办理流程", ("steps",)),
        ("办理结果", ("result",)),
        ("咨询和监督投诉", ("consult", "contacts", "complaint", "complaint_center", "review", "litigation")),
        ("服务承诺、常见问题和其他", ("commitments", "faq", "directions", "topics", "published")),
    ),
}
"""How a file's form is divided, in the order of the national guide's elements (an item is long: the form opens
with links to these sections).  Every key of the file is in one section (tests/test_form.py)."""


def file_form(kind: str, spec: Spec) -> dict[str, Json]:
    """The form of a whole file: its record's form, with its sections."""
    form = form_of(spec)
    if kind in SECTIONS:
        form["sections"] = [{"title": title, "keys": list(keys)} for title, keys in SECTIONS[kind]]
    return form


class Unsupported(TypeError):
    """The declaration uses a kind of value the form has no widget for."""


def form_of(spec: Spec) -> dict[str, Json]:
    """The form of a value of ``spec``."""
    describe = WIDGETS.get(type(spec))
    if describe is None:
        name = type(spec).__name__
        raise Unsupported(f"编辑器表单不能显示 {name}（{spec.title}）：请在 generator/edit/form.py 中为它写一种控件")
    return {"title": spec.title, "help": spec.description, **describe(spec)}


def _text(spec: Spec) -> dict[str, Json]:
    assert isinstance(spec, Text)
    rule = spec.rule
    return {
        "widget": "textarea" if spec.max_length > MULTILINE else "text",
        "max": spec.max_length,
        "examples": list(rule.examples if rule else spec.examples),
    }


def _special_text(widget: str) -> Callable[[Spec], dict[str, Json]]:
    def describe(spec: Spec) -> dict[str, Json]:
        return {**_text(spec), "widget": widget}

    return describe


def _integer(spec: Spec) -> dict[str, Json]:
    assert isinstance(spec, Integer)
    return {"widget": "number", "min": spec.minimum, "max": spec.maximum, "unit": spec.unit}


def _choice(spec: Spec) -> dict[str, Json]:
    assert isinstance(spec, Choice)
    return {"widget": "select", "options": list(spec.choices)}


def _required(spec: Spec) -> dict[str, Json]:
    assert isinstance(spec, Required)
    forms: list[Json] = [
        {"label": "必需", "value": True},
        {"label": "选交", "value": False},
        {"label": "需要提交的情形", "form": form_of(spec.condition)},
    ]
    return {"widget": "union", "forms": forms}


def _fees(spec: Spec) -> dict[str, Json]:
    assert isinstance(spec, Fees)
    forms: list[Json] = [{"label": "不收费", "value": "不收费"}, {"label": "收费项目", "form": form_of(spec.items)}]
    return {"widget": "union", "forms": forms}


def _list(spec: Spec) -> dict[str, Json]:
    assert isinstance(spec, ListOf)
    item = form_of(spec.item)
    widget = "table" if isinstance(spec.item, Record) else "list"
    return {"widget": widget, "item": item, "min": spec.min_items}


def _text_or(spec: Spec) -> dict[str, Json]:
    assert isinstance(spec, TextOr)
    forms: list[Json] = [
        {"label": "只写名称", "form": form_of(spec.text)},
        {"label": "详细", "form": form_of(spec.record)},
    ]
    return {"widget": "union", "forms": forms}


def _map(spec: Spec) -> dict[str, Json]:
    assert isinstance(spec, MapOf)
    return {"widget": "map", "value": form_of(spec.value), "key_pattern": spec.key_rule.pattern, "min": spec.min_items}


def _record(spec: Spec) -> dict[str, Json]:
    assert isinstance(spec, Record)
    fields: list[Json] = [
        {"key": name, "optional": not declared.required, **form_of(declared.spec)}
        for name, declared in spec.keys.items()
        if not declared.derived
    ]
    return {"widget": "group", "fields": fields}


WIDGETS: dict[type[Spec], Callable[[Spec], dict[str, Json]]] = {
    Text: _text,
    Label: _text,
    DurationText: _special_text("duration"),
    PositionText: _special_text("position"),
    FilePath: _special_text("file"),
    Integer: _integer,
    Boolean: lambda spec: {"widget": "yesno"},
    Choice: _choice,
    Required: _required,
    Fees: _fees,
    ListOf: _list,
    TextOr: _text_or,
    MapOf: _map,
    Record: _record,
}
"""The widget of each kind of value (by its exact class: a new kind needs a line here)."""

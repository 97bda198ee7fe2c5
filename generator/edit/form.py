"""The editor's form, described from the one declaration in :mod:`generator.model`: which widget each key gets, in
the declaration's order, with its Chinese title, help, limits and choices.

Every optional key may be left out (未公布): the form offers that as a choice of its own, so that not stating is as
easy as stating.  A union of the format (收费: 不收费 or a list of fees; 是否必需: 必需, 选交 or the situation that
needs it; 审批结果: a name or a record) is a choice between its forms.  A kind of value the form cannot show is an
error here, so a declaration never outgrows the editor unnoticed (tests/test_form.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache

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
    Notice,
    PositionText,
    Record,
    Required,
    Spec,
    Text,
    TextOr,
)
from ..contract.vocab import REQUIRED_WORDS
from ..contract.yaml12 import Json

MULTILINE = 100
"""A text allowed more characters than this gets a text area."""


SECTIONS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "item": (
        (
            "基本信息",
            ("code", "name", "aliases", "suspended", "type", "category", "audience", "kind", "scope", "area", "level"),
        ),
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
    return {
        "title": spec.title,
        "help": in_words(spec.description, _own_keys(spec)),
        "unstated": unstated(spec.description),
        **describe(spec),
    }


FILE_NAMES = {"site.yml": "全站设置", "department.yml": "部门信息"}
PLAIN_WORDS = frozenset({"id"})
"""Words that are keys too but read as themselves (岗位 id)."""
KEY_WORD = re.compile(r"(?<![\w.$/])([a-z][a-z_]*(?:\.yml)?)(?![\w./])")


def in_words(text: str, own: Mapping[str, str]) -> str:
    """A help text of the declaration for a clerk, who sees the form's titles, not the file's keys: a key is named by
    its title (the spec's own keys first), a file by what the list calls it."""

    def word(found: re.Match[str]) -> str:
        name = found.group(1)
        if name in PLAIN_WORDS:
            return name
        title = FILE_NAMES.get(name) or own.get(name) or _titles().get(name)
        return f"“{title}”" if title else name

    return KEY_WORD.sub(word, text)


def unstated(text: str) -> str:
    """What leaving a value out means, as the declaration says it (不写时使用部门地址 → 不写（使用部门地址）), or
    未公布."""
    found = re.search(r"不(?:写|填)时(?!段)([^；。]+)", text)
    return f"不写（{found.group(1).strip('，, ')}）" if found else "未公布（不写）"


def _own_keys(spec: Spec) -> dict[str, str]:
    inner = spec.record if isinstance(spec, TextOr) else spec.item if isinstance(spec, ListOf) else spec
    return {name: k.spec.title for name, k in inner.keys.items()} if isinstance(inner, Record) else {}


@cache
def _titles() -> dict[str, str]:
    """Every key of every file's declaration and its title (the first one met, breadth first)."""
    from ..model import FILES

    titles: dict[str, str] = {}
    todo: list[Spec] = list(FILES.values())
    while todo:
        spec = todo.pop(0)
        for name, title in _own_keys(spec).items():
            titles.setdefault(name, title)
        todo.extend(_inside(spec))
    return titles


def _inside(spec: Spec) -> list[Spec]:
    if isinstance(spec, Record):
        return [k.spec for k in spec.keys.values()]
    if isinstance(spec, TextOr):
        return [spec.record]
    if isinstance(spec, ListOf):
        return [spec.item]
    if isinstance(spec, MapOf):
        return [spec.value]
    return [spec.items] if isinstance(spec, Fees) else []


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
    words: dict[bool, list[Json]] = {True: [], False: []}
    for word, meaning in REQUIRED_WORDS.items():
        words[meaning].append(word)  # 必要 is 必需 written as a word: the same choice, kept as written
    forms: list[Json] = [
        {"label": "必需", "value": True, "same": words[True]},
        {"label": "选交", "value": False, "same": words[False]},
        {"label": "需要提交的情形", "form": form_of(spec.condition)},
    ]
    help = "必需、选交，或写明需要提交的情形，如 委托办理的。"  # the declaration's true/false are the file's words
    return {"widget": "union", "forms": forms, "help": help}


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
    Notice: _text,
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

"""Kinds of values that hold others: lists, records (the model's dataclasses), maps, text-or-list unions."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..messages import did_you_mean
from .base import (
    INVALID,
    Checker,
    Difference,
    Invalid,
    Names,
    Plain,
    Publisher,
    Schema,
    Sides,
    Spec,
)
from .scalars import (
    Label,
    Text,
)
from .values import (
    Rule,
)
from .vocab import FREE
from .yaml12 import Json, kind_name, resolve, shown


@dataclass(frozen=True)
class Fees(Spec):
    """不收费 (stated as free: the empty tuple), or a non-empty list of fees."""

    items: ListOf = field(default_factory=lambda: ListOf(""))

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        value = resolve(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, str) and value in FREE:
            return value
        if isinstance(node, SequenceNode) and not node.value:
            checker.report(node, key, self.title, "empty_fees")
            return INVALID
        if isinstance(node, ScalarNode):
            checker.report(node, key, self.title, "expected_fees", value=shown(node))
            return INVALID
        return self.items.check(node, key, checker)

    def schema(self) -> Schema:
        return {"anyOf": [{"enum": list(FREE)}, {**self.items.schema(), "minItems": 1}]}

    def build(self, plain: Plain, context: Mapping[str, object]) -> tuple[Any, ...]:
        return () if isinstance(plain, str) else self.items.build(plain, context)

    def publish(self, value: Any, publisher: Publisher) -> Json:
        return self.items.publish(value, publisher)

    def publish_schema(self) -> Schema:
        return self.items.publish_schema()

    def shown(self, value: Any, names: Names) -> str:
        return "不收费" if value == () else self.items.shown(value, names)

    def diff(self, old: Any, new: Any, prefix: str, sides: Sides) -> Iterator[Difference]:
        """Fee by fee when both versions state the fees (不收费 is no fee); else 未公布 → what is stated."""
        if old is not None and new is not None:
            yield from self.items.diff(old, new, prefix, sides)
        else:
            yield from super().diff(old, new, prefix, sides)


@dataclass(frozen=True)
class ListOf(Spec):
    """A list; in the change report, records are matched by their ``identity`` field."""

    item: Spec = field(default_factory=lambda: Text(""))
    min_items: int = 0
    single: bool = False
    """Accept a single item in place of a one-item list (as in ``next: s2``)."""
    identity: str = ""
    """For a list of records: the field that names an element in the change report (materials by name)."""
    detail: str = ""
    """For a list of records: a field shown after an added element (the standard of a new fee)."""
    added_is_worse: bool = False
    """Whether a new element is worse for applicants (a new material, a new fee)."""

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        if self.single and isinstance(node, ScalarNode) and resolve(node) is not None:
            value = self.item.check(node, key, checker)
            return INVALID if isinstance(value, Invalid) else [value]
        if not isinstance(node, SequenceNode):
            checker.report(node, key, self.title, "expected_list", got=kind_name(node))
            return INVALID
        if len(node.value) < self.min_items:
            checker.report(node, key, self.title, "too_few", min=self.min_items)
        values: list[Json] = []
        for index, child in enumerate(node.value):
            child_key = f"{key}[{index}]"
            checker.note(child, child_key)
            value = self.item.check(child, child_key, checker)
            if not isinstance(value, Invalid):
                values.append(value)
        return values

    def schema(self) -> Schema:
        array: Schema = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            array["minItems"] = self.min_items
        if self.single:
            return {"anyOf": [self.item.json_schema(), array]}
        return array

    def build(self, plain: Plain, context: Mapping[str, object]) -> tuple[Any, ...]:
        assert isinstance(plain, list)
        return tuple(self.item.build(p, context) for p in plain)

    def publish(self, value: Any, publisher: Publisher) -> Json:
        return [self.item.publish(v, publisher) for v in value]

    def publish_schema(self) -> Schema:
        return {"type": "array", "items": self.item.publish_schema()}

    def diff(self, old: Any, new: Any, prefix: str, sides: Sides) -> Iterator[Difference]:
        if old is None or new is None:
            yield from super().diff(old, new, prefix, sides)
        elif self.identity and isinstance(self.item, Record):
            yield from self._diff_records(old, new, prefix, sides)
        else:
            yield from self._diff_values(old, new, prefix, sides)

    def shown(self, value: Any, names: Names) -> str:
        return "、".join(self.item.shown(v, names) for v in value) or "无"

    def _diff_values(
        self, old: tuple[Any, ...], new: tuple[Any, ...], prefix: str, sides: Sides
    ) -> Iterator[Difference]:
        before = [_quoted(self.item.shown(v, sides.old)) for v in old]
        after = [_quoted(self.item.shown(v, sides.new)) for v in new]
        for text in after:
            if text not in before:
                yield Difference(f"新增{prefix}{self.item.title}{text}", self.added_is_worse)
        for text in before:
            if text not in after:
                yield Difference(f"取消{prefix}{self.item.title}{text}")

    def _diff_records(
        self, old: tuple[Any, ...], new: tuple[Any, ...], prefix: str, sides: Sides
    ) -> Iterator[Difference]:
        before = {getattr(v, self.identity): v for v in old}
        after = {getattr(v, self.identity): v for v in new}
        title = f"{prefix}{self.item.title}"
        for name, value in after.items():
            if name not in before:
                detail = getattr(value, self.detail) if self.detail else None
                yield Difference(f"新增{title}“{name}”" + (f"：{detail}" if detail else ""), self.added_is_worse)
        for name in before:
            if name not in after:
                yield Difference(f"取消{title}“{name}”")
        for name, value in before.items():
            if name in after:
                yield from self.item.diff(value, after[name], f"{title}“{name}”", sides)


def _quoted(text: str) -> str:
    return text if text.startswith("“") else f"“{text}”"


@dataclass(frozen=True)
class Key:
    """How a dataclass field of the model is declared."""

    spec: Spec
    required: bool = True
    derived: bool = False
    """Not written in YAML: taken from where the file is (its name, its folder, a map key)."""
    publish: bool = True
    """Part of the open data record."""
    compare: bool = True
    """Compared in the change report (ids and links between steps are not: they are wiring, not facts)."""
    national: str = ""
    """The element's name in the national implementation list, when it differs from the title (export, import)."""

    @property
    def column(self) -> str:
        """The column name in exchange tables: the national element name, else the Chinese title."""
        return self.national or self.spec.title


KEY = "banshi"


def key(
    spec: Spec,
    *,
    required: bool = True,
    publish: bool = True,
    compare: bool = True,
    absent: Any = None,
    national: str = "",
) -> Any:
    """Declare a model field read from YAML.

    An optional field is ``absent`` when the key is left out: None, "not stated",
    unless the format gives absence a meaning of its own (``absent=()``: none).
    """
    metadata = {KEY: Key(spec, required, publish=publish, compare=compare, national=national)}
    if required:
        return field(metadata=metadata)
    return field(default=absent, metadata=metadata)


def derived(title: str, *, publish: bool = False) -> Any:
    """Declare a model field that comes from where the file is, never from YAML."""
    return field(metadata={KEY: Key(Label(title), derived=True, publish=publish)})


@dataclass(frozen=True)
class Record(Spec):
    """A mapping with the keys declared on a model dataclass; any other key is an error."""

    model: type = object
    prefix: bool = False
    """In the change report, name a field with this record's title before its own (投诉渠道 · 电话)."""

    @cached_property
    def fields(self) -> dict[str, Key]:
        """The declared fields, in declaration order."""
        found = {f.name: f.metadata.get(KEY) for f in dataclasses.fields(self.model)}
        missing = [name for name, declared in found.items() if declared is None]
        assert not missing, f"{self.model.__name__}: fields without key() or derived(): {missing}"
        return {name: declared for name, declared in found.items() if declared is not None}

    @property
    def keys(self) -> dict[str, Key]:
        """The fields written in YAML."""
        return {name: k for name, k in self.fields.items() if not k.derived}

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        if not isinstance(node, MappingNode):
            checker.report(node, key, self.title, "expected_mapping", got=kind_name(node))
            return INVALID
        values: dict[str, Json] = {}
        misspelled: set[str] = set()
        for key_node, value_node in node.value:
            name = str(key_node.value)
            child_key = f"{key}.{name}" if key else name
            declared = self.keys.get(name)
            if declared is None:
                misspelled.update(difflib.get_close_matches(name, list(self.keys), 1, 0.6))
                checker.report(key_node, child_key, "", "unknown_key", hint=did_you_mean(name, self.keys))
                continue
            checker.note(value_node, child_key)
            value = declared.spec.check(value_node, child_key, checker)
            if not isinstance(value, Invalid):
                values[name] = value
        self._check_missing(node, key, checker, misspelled)
        checker.misspelt.update(f"{key}.{name}" if key else name for name in misspelled)
        return values

    def _check_missing(self, node: MappingNode, key: str, checker: Checker, misspelled: set[str]) -> None:
        """Report absent required keys, except one already reported as misspelled."""
        present = {str(k.value) for k, _ in node.value} | misspelled
        for name, declared in self.keys.items():
            if declared.required and name not in present:
                child_key = f"{key}.{name}" if key else name
                checker.report(
                    node, child_key, declared.spec.title, "missing_key", name=name, label=declared.spec.title
                )

    def schema(self) -> Schema:
        return {
            "type": "object",
            "properties": {name: k.spec.json_schema() for name, k in self.keys.items()},
            "required": [name for name, k in self.keys.items() if k.required],
            "additionalProperties": False,
        }

    @cached_property
    def _derived_and_required(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        derived = tuple(name for name, k in self.fields.items() if k.derived)
        return derived, tuple(name for name, k in self.fields.items() if k.required and not k.derived)

    def build(self, plain: Plain, context: Mapping[str, object]) -> Any:
        """The model of checked data: the keys it has (a 3,000-item catalog has few of the optional ones)."""
        assert isinstance(plain, dict)
        derived, required = self._derived_and_required
        values: dict[str, object] = {name: context[name] for name in derived}
        for name, item in plain.items():
            declared = self.fields.get(name)
            if declared is not None and not declared.derived:
                values[name] = declared.spec.build(item, context)
        for name in required:  # missing only in a file with errors, whose model the rules see and nobody else
            values.setdefault(name, None)
        return self.model(**values)

    @property
    def published(self) -> dict[str, Key]:
        return {name: k for name, k in self.fields.items() if k.publish}

    def publish(self, value: Any, publisher: Publisher) -> Json:
        data: dict[str, Json] = {}
        for name, declared in self.published.items():
            item = getattr(value, name)
            data[name] = None if item is None else declared.spec.publish(item, publisher)
        return data

    def publish_schema(self) -> Schema:
        properties: dict[str, Json] = {}
        for name, declared in self.published.items():
            schema = declared.spec.publish_schema()
            properties[name] = schema if declared.required else {"anyOf": [schema, {"type": "null"}]}
        return {"type": "object", "required": list(properties), "additionalProperties": False, "properties": properties}

    def diff(self, old: Any, new: Any, prefix: str, sides: Sides) -> Iterator[Difference]:
        """Field by field; a group (办结时限) adds nothing to its fields' names, a ``prefix`` record its title."""
        if old is None or new is None:
            yield from super().diff(old, new, prefix, sides)
            return
        inner = f"{prefix}{self.title} · " if self.prefix else prefix
        for name, declared in self.keys.items():
            if declared.compare:
                yield from declared.spec.diff(getattr(old, name), getattr(new, name), inner, sides)

    def shown(self, value: Any, names: Names) -> str:
        return "、".join(
            f"{k.spec.title} {k.spec.shown(getattr(value, n), names)}"
            for n, k in self.keys.items()
            if getattr(value, n) is not None
        )


@dataclass(frozen=True)
class TextOr(Spec):
    """A record that may also be written as plain text, which fills its ``text_field``.

    审批结果 is a name (the old form), or a record with the name, type, sample and validity.
    """

    record: Record = field(default_factory=lambda: Record(""))
    text_field: str = "name"

    @property
    def text(self) -> Spec:
        return self.record.keys[self.text_field].spec

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        if isinstance(node, ScalarNode):
            value = self.text.check(node, key, checker)
            return INVALID if isinstance(value, Invalid) else {self.text_field: value}
        return self.record.check(node, key, checker)

    def schema(self) -> Schema:
        return {"anyOf": [self.text.schema(), self.record.schema()]}

    def build(self, plain: Plain, context: Mapping[str, object]) -> Any:
        return self.record.build(plain, context)

    def publish(self, value: Any, publisher: Publisher) -> Json:
        return self.record.publish(value, publisher)

    def publish_schema(self) -> Schema:
        return self.record.publish_schema()

    def shown(self, value: Any, names: Names) -> str:
        return self.record.shown(value, names)

    def diff(self, old: Any, new: Any, prefix: str, sides: Sides) -> Iterator[Difference]:
        if old is None or new is None:
            yield from super().diff(old, new, prefix, sides)
        else:
            yield from self.record.diff(old, new, f"{prefix}{self.title}", sides)


@dataclass(frozen=True)
class MapOf(Spec):
    """A mapping from ids to records, such as the positions of a department; the id becomes the record's ``id``."""

    value: Record = field(default_factory=lambda: Record(""))
    min_items: int = 1
    key_rule: Rule = field(default_factory=lambda: Rule("bad_id", r"^[a-z][a-z0-9-]*$"))

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        if not isinstance(node, MappingNode):
            checker.report(node, key, self.title, "expected_mapping", got=kind_name(node))
            return INVALID
        if len(node.value) < self.min_items:
            checker.report(node, key, self.title, "too_few", min=self.min_items)
        values: dict[str, Json] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value)
            child_key = f"{key}.{name}"
            if not self.key_rule.allows(name):
                checker.report(key_node, key, self.title, self.key_rule.code, value=name)
                continue
            checker.note(value_node, child_key)
            value = self.value.check(value_node, child_key, checker)
            if not isinstance(value, Invalid):
                values[name] = value
        return values

    def schema(self) -> Schema:
        return {
            "type": "object",
            "propertyNames": {"pattern": self.key_rule.pattern},
            "additionalProperties": self.value.json_schema(),
            "minProperties": self.min_items,
        }

    def build(self, plain: Plain, context: Mapping[str, object]) -> tuple[Any, ...]:
        assert isinstance(plain, dict)
        return tuple(self.value.build(v, {**context, "id": k}) for k, v in plain.items())

    def publish(self, value: Any, publisher: Publisher) -> Json:
        return [self.value.publish(v, publisher) for v in value]

    def publish_schema(self) -> Schema:
        return {"type": "array", "items": self.value.publish_schema()}


def title_at(spec: Spec, key: str) -> str:
    """The Chinese title of the value at a key path such as ``steps[3].position``."""
    found = _walk(spec, key)
    return found[-1][1].title if found and found[-1][1] else ""


def place_at(spec: Spec, key: str) -> str:
    """Where a key path is, in words a clerk reads, counting from 1: ``steps[2].time`` is
    "第 3 个办理环节 · 办理时限"."""
    words: list[str] = []
    for part, inner in _walk(spec, key):
        if inner is None:
            break
        if part.startswith("[") and words:
            words[-1] = f"第 {int(part[1:-1]) + 1} 个{inner.title}"
        else:
            words.append(inner.title)
    return " · ".join(w for w in words if w)


def _walk(spec: Spec, key: str) -> list[tuple[str, Spec | None]]:
    """Each part of a key path with the declaration of the value there (None past what is declared)."""
    current: Spec | None = spec
    found: list[tuple[str, Spec | None]] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        current = current.items if isinstance(current, Fees) else current
        current = current.record if isinstance(current, TextOr) else current
        if isinstance(current, ListOf) and part.startswith("["):
            current = current.item
        elif isinstance(current, Record) and part in current.keys:
            current = current.keys[part].spec
        elif isinstance(current, MapOf):
            current = current.value
        else:
            current = None
        found.append((part, current))
        if current is None:
            break
    return found

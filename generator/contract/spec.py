"""Kinds of values.  A field declared with one of them gets, from that one declaration:

* ``check``: the structural check of a YAML node (located, Chinese messages) → plain JSON-able data;
* ``json_schema``: the editor JSON Schema, from the same :class:`~generator.contract.values.Rule` objects;
* ``build``: the typed value of the frozen model;
* ``publish`` / ``publish_schema``: the open data value and its JSON Schema;
* ``diff``: what changed between two versions, for ``diff`` and 变更记录.

Fields are declared on the model's dataclasses with :func:`key` (from YAML)
or :func:`derived` (from where the file is, never from YAML); :class:`Record`
reads those declarations.  Absent optional keys are ``None`` in the model,
``null`` in open data and "未公布" in the change report: absent is not zero.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol, TypeGuard

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Diagnostic
from ..messages import did_you_mean, quote_choices
from .values import (
    DURATION,
    NOT_BLANK,
    POSITION_REF,
    PRINTABLE,
    Duration,
    Rule,
    format_number,
    iso_duration,
    phone_problem,
)
from .vocab import DURATION_UNITS, FREE, REQUIRED_WORDS
from .yaml12 import Json, clip, kind_name, resolve, shown

Plain = Json
"""Checked data: what a spec's ``check`` returns and the cache stores."""
Schema = dict[str, Json]

PLACEHOLDER = "【请填写"
"""How ``python -m generator new`` marks what the editor must still fill in."""
NO_PLACEHOLDER = Rule("placeholder", r"^(?![\s\S]*【请填写)")
TEXT_RULES = (PRINTABLE, NOT_BLANK, NO_PLACEHOLDER)
"""Rules every text obeys, before its own."""
NOT_STATED = "未公布"
"""How the change report names a value that a version does not state."""


class Invalid:
    """The result of a check that failed; the caller drops the key."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = Invalid()


@dataclass
class Checker:
    """State of one file's structural check: where values are and what went wrong."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    locations: dict[str, tuple[int, int]] = field(default_factory=dict)
    misspelt: set[str] = field(default_factory=set)
    """Key paths that a misspelt key was probably meant to be."""

    def report(self, node: Node, key: str, title: str, code: str, **values: object) -> None:
        where = (node.start_mark.line + 1, node.start_mark.column + 1)
        self.diagnostics.append(Diagnostic.of(self.file, where, key, title, code, **values))

    def note(self, node: Node, key: str) -> None:
        self.locations[key] = (node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass(frozen=True)
class PositionRef:
    """A step's 办理岗位: a position of the item's department, or ``dept/pos`` of another one."""

    department: str
    """The department that holds the position (the item's own when the reference names none)."""
    position: str
    """The position id inside that department."""
    written: str
    """The reference as written: ``pos`` or ``dept/pos``."""


class Publisher(Protocol):
    """What open data needs to know beyond a value: where files are published and who positions are."""

    def file_url(self, path: str) -> str: ...

    def position(self, ref: PositionRef) -> Json: ...


Names = Callable[[PositionRef], str]
"""How one version of the catalog names a position (by its title), for the change report."""


@dataclass(frozen=True)
class Difference:
    """One public change between two versions of a value."""

    text: str
    """E.g. ``承诺办结时限 5 → 3 个工作日``."""
    worse: bool = False
    """True when the change makes things worse for applicants."""


@dataclass(frozen=True)
class Sides:
    """How each of the two versions names positions."""

    old: Names
    new: Names


def _is_integer(value: object) -> TypeGuard[int | float]:
    """An integer as JSON Schema counts it: an int, or a float without a fractional part (not a boolean)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value) and value.is_integer())


@dataclass(frozen=True)
class Spec:
    """What one value must be, and how it is published and compared."""

    title: str
    """The Chinese name, shown in messages, the editor and the change report."""
    description: str = ""
    """Help for editors (JSON Schema ``description``)."""

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        raise NotImplementedError

    def schema(self) -> Schema:
        """The JSON Schema of the value in YAML, without title and description."""
        raise NotImplementedError

    def json_schema(self) -> Schema:
        """The editor JSON Schema of the value."""
        annotated: Schema = {"title": self.title}
        if self.description:
            annotated["description"] = self.description
        return {**annotated, **self.schema()}

    def build(self, plain: Plain, context: Mapping[str, object]) -> Any:
        """The typed value of checked data."""
        return plain

    def publish(self, value: Any, publisher: Publisher) -> Json:
        """The value in open data: checked values are JSON already."""
        published: Json = value
        return published

    def publish_schema(self) -> Schema:
        """The JSON Schema of :meth:`publish`'s output."""
        return self.schema()

    def shown(self, value: Any, names: Names) -> str:
        """The value in the change report."""
        return str(value)

    def worse(self, old: Any, new: Any) -> bool:
        """Whether ``new`` is worse for applicants than ``old`` (both stated)."""
        return False

    def diff(self, old: Any, new: Any, prefix: str, sides: Sides) -> Iterator[Difference]:
        """The changes from ``old`` to ``new`` (None: not stated), named ``prefix`` + this spec's title."""
        before = NOT_STATED if old is None else self.shown(old, sides.old)
        after = NOT_STATED if new is None else self.shown(new, sides.new)
        if before != after:
            worse = old is not None and new is not None and self.worse(old, new)
            yield Difference(f"{prefix}{self.title} {before} → {after}", worse)


@dataclass(frozen=True)
class Text(Spec):
    """Text, kept as written (``no`` stays text); integers are accepted as their digits."""

    max_length: int = 2000
    rule: Rule | None = None
    """A rule on the value besides the rules of every text (e.g. :data:`~.values.URL`)."""
    integers: bool | None = None
    """Accept a plain integer (``code: 12345``); by default only when there is no rule."""
    examples: tuple[str, ...] = ()
    """Usual values, offered by editors (free text is allowed too)."""

    @property
    def _integers(self) -> bool:
        return self.rule is None if self.integers is None else self.integers

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        if not isinstance(node, ScalarNode):
            checker.report(node, key, self.title, "expected_text", got=kind_name(node))
            return INVALID
        value = resolve(node)
        if self._integers and _is_integer(value):
            return str(node.value)
        if value is None:
            checker.report(node, key, self.title, "empty_text")
            return INVALID
        if not isinstance(value, str):
            checker.report(node, key, self.title, "expected_text", got=kind_name(node))
            return INVALID
        for rule in TEXT_RULES:
            if not rule.allows(value):
                self._broken(rule, value, node, key, checker)
                return INVALID
        if len(value) > self.max_length:
            checker.report(node, key, self.title, "too_long", length=len(value), limit=self.max_length)
            return INVALID
        if self.rule is not None and not self.rule.allows(value):
            self._broken(self.rule, value, node, key, checker)
            return INVALID
        return value.strip()

    def _broken(self, rule: Rule, value: str, node: Node, key: str, checker: Checker) -> None:
        bad = next((i for i, c in enumerate(value) if not PRINTABLE.allows(c)), 0)
        char = f"U+{ord(value[bad]):04X}" if value else ""
        forms = quote_choices(rule.examples)
        why = phone_problem(value) if rule.code == "bad_phone" else ""
        checker.report(
            node, key, self.title, rule.code, value=clip(value), char=char, offset=bad + 1, forms=forms, why=why
        )

    def schema(self) -> Schema:
        rules: list[Json] = [{"pattern": r.pattern} for r in (*TEXT_RULES, *([self.rule] if self.rule else []))]
        text: Schema = {"type": "string", "maxLength": self.max_length, "allOf": rules}
        examples = self.examples or (self.rule.examples if self.rule else ())
        if examples:
            text["examples"] = list(examples)
        if self._integers:
            return {"anyOf": [text, {"type": "integer"}]}
        return text

    def publish_schema(self) -> Schema:
        return {"type": "string", "minLength": 1}

    def shown(self, value: Any, names: Names) -> str:
        return f"“{value}”"


@dataclass(frozen=True)
class Label(Text):
    """Text shown without quotes in the change report (names of units, levels, ids)."""

    def shown(self, value: Any, names: Names) -> str:
        return str(value)


@dataclass(frozen=True)
class DurationText(Text):
    """A time limit (:class:`~.values.Duration`), kept as written: 即办, 当场办结, 1个工作日内, 20日…"""

    max_length: int = 30
    rule: Rule | None = DURATION
    worse_if_longer: bool = True

    def build(self, plain: Plain, context: Mapping[str, object]) -> Duration:
        parsed = Duration.parse(str(plain))
        assert parsed is not None, "checked against the same rule"
        return parsed

    def publish(self, value: Any, publisher: Publisher) -> Json:
        data: dict[str, Json] = {"text": str(value), "amount": float(value.amount), "unit": value.unit}
        data["lower_bound"] = value.lower
        return {**data, "note": value.note or None, "iso8601": iso_duration(value)}

    def publish_schema(self) -> Schema:
        return {
            "type": "object",
            "required": ["text", "amount", "unit", "lower_bound", "note", "iso8601"],
            "additionalProperties": False,
            "properties": {
                "text": {"type": "string", "minLength": 1},
                "amount": {"type": "number", "minimum": 0},
                "unit": {"enum": list(DURATION_UNITS)},
                "lower_bound": {
                    "type": "boolean",
                    "description": "true：指南只写了最短时限（如 最短仅需5个工作日），不是承诺",
                },
                "note": {"type": ["string", "null"]},
                "iso8601": {
                    "type": ["string", "null"],
                    "pattern": r"^P(T?[0-9]+(\.[0-9]+)?[DHS]|[0-9]+D)$",
                    "description": "日历时长；按工作日计的时限没有固定的日历长度，为 null",
                },
            },
        }

    def worse(self, old: Any, new: Any) -> bool:
        return self.worse_if_longer and bool(new.days > old.days)

    def diff(self, old: Any, new: Any, prefix: str, sides: Sides) -> Iterator[Difference]:
        same = old is not None and new is not None and old.unit == new.unit and old.note == new.note
        if same and old.unit not in ("即办", "无") and old != new:
            unit = f"个{old.unit}" if old.unit in ("工作日", "自然日") else old.unit
            text = f"{prefix}{self.title} {format_number(old.amount)} → {format_number(new.amount)} {unit}"
            yield Difference(text, self.worse(old, new))
            return
        yield from super().diff(old, new, prefix, sides)


@dataclass(frozen=True)
class PositionText(Text):
    """A step's 办理岗位: ``pos`` of the item's department or ``dept/pos`` (:class:`PositionRef`)."""

    max_length: int = 130
    rule: Rule | None = POSITION_REF

    def build(self, plain: Plain, context: Mapping[str, object]) -> PositionRef:
        department, _, position = str(plain).rpartition("/")
        return PositionRef(department or str(context["owner"]), position, str(plain))

    def publish(self, value: Any, publisher: Publisher) -> Json:
        return publisher.position(value)

    def publish_schema(self) -> Schema:
        return {
            "type": "object",
            "required": ["department", "position", "title"],
            "additionalProperties": False,
            "properties": {
                "department": {"type": "string", "minLength": 1},
                "position": {"type": "string", "minLength": 1},
                "title": {"type": "string", "minLength": 1},
            },
        }

    def shown(self, value: Any, names: Names) -> str:
        return names(value)


@dataclass(frozen=True)
class FilePath(Text):
    """A file inside the department's folder (a blank form, a sample); published as its address."""

    max_length: int = 200

    def publish(self, value: Any, publisher: Publisher) -> Json:
        return publisher.file_url(value)


@dataclass(frozen=True)
class Integer(Spec):
    """A whole number in a range."""

    minimum: int = 0
    maximum: int = 999
    unit: str = ""
    """Shown after the number in the change report, e.g. 次."""
    worse_if_more: bool = False

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        value = resolve(node) if isinstance(node, ScalarNode) else None
        if _is_integer(value) and self.minimum <= value <= self.maximum:
            return int(value)
        checker.report(
            node, key, self.title, "expected_int", value=shown(node), minimum=self.minimum, maximum=self.maximum
        )
        return INVALID

    def schema(self) -> Schema:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}

    def shown(self, value: Any, names: Names) -> str:
        return f"{value} {self.unit}".strip()

    def worse(self, old: Any, new: Any) -> bool:
        return self.worse_if_more and bool(new > old)


@dataclass(frozen=True)
class Boolean(Spec):
    """``true`` or ``false`` (YAML 1.2: ``yes`` and ``on`` are text, as editors read them)."""

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        value = resolve(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool):
            return value
        checker.report(node, key, self.title, "expected_bool", value=shown(node))
        return INVALID

    def schema(self) -> Schema:
        return {"type": "boolean"}

    def shown(self, value: Any, names: Names) -> str:
        return "是" if value else "否"


@dataclass(frozen=True)
class Required(Spec):
    """``true`` or ``false``, 必要 or 非必要, or the text of the condition under which a material is needed."""

    condition: Text = field(default_factory=lambda: Text("需要提交的情形", max_length=200, integers=False))

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        value = resolve(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return self.condition.check(node, key, checker)
        checker.report(node, key, self.title, "expected_required", value=shown(node))
        return INVALID

    def schema(self) -> Schema:
        return {"anyOf": [{"type": "boolean"}, self.condition.schema()]}

    def build(self, plain: Plain, context: Mapping[str, object]) -> bool | str:
        if isinstance(plain, bool):
            return plain
        return REQUIRED_WORDS.get(str(plain), str(plain))

    def publish_schema(self) -> Schema:
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "minLength": 1}]}

    def shown(self, value: Any, names: Names) -> str:
        return "必需" if value is True else "非必需" if value is False else f"“{value}”时提交"


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
class Choice(Spec):
    """One of a fixed list of texts, from :mod:`generator.contract.vocab`."""

    choices: tuple[str, ...] = ()
    worse_if_later: bool = False
    """Whether a move to a later choice is worse for applicants (网上办理深度)."""

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        value = resolve(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, str) and value in self.choices:
            return value
        written = clip(node.value) if isinstance(node, ScalarNode) else kind_name(node)
        hint = did_you_mean(str(written), self.choices)
        choices = quote_choices(self.choices)
        checker.report(node, key, self.title, "not_in_choices", value=written, choices=choices, hint=hint)
        return INVALID

    def schema(self) -> Schema:
        return {"enum": list(self.choices)}

    def worse(self, old: Any, new: Any) -> bool:
        return self.worse_if_later and self.choices.index(new) > self.choices.index(old)


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
                checker.report(node, child_key, declared.spec.title, "missing_key", name=name)

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
    current: Spec | None = spec
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        if isinstance(current, ListOf) and part.startswith("["):
            current = current.item
        elif isinstance(current, Record) and part in current.keys:
            current = current.keys[part].spec
        elif isinstance(current, MapOf):
            current = current.value
        else:
            return ""
    return current.title if current else ""

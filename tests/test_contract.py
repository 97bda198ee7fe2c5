"""The editor JSON Schema and the validator agree, key by key, value by value.

For every key declared in :mod:`generator.model` (every field of every record,
list items and map entries included), a table of values is written into a
copy of the valid fixture file at that key and judged three ways:

* by the validator (``load`` of the whole fixture tree);
* by the ``jsonschema`` library against the emitted editor schema (Python ``re``);
* by the same schema with ECMA-262 regular expressions (``regress``, as the
  pre-commit ``check-jsonschema`` hook and editors evaluate ``pattern``).

The verdicts must be the same.  The only allowed difference is a value that
the schema accepts and a rule across keys or files refuses; each such rule is
listed in :data:`CROSS_KEY_RULES` with its reason, and the validator must give
exactly that rule's message there.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import regress
import yaml

from generator.contract.jsonschema import editor_schema
from generator.contract.spec import Boolean, Choice, Integer, ListOf, MapOf, Record, Required, Spec, Text
from generator.contract.yaml12 import Json, to_json
from generator.load import load
from generator.model import FILES

from .conftest import VALID

FILE_OF = {
    "site": "site.yml",
    "department": "demo/department.yml",
    "item": "demo/minimal.yml",
    "bundle": "bundles/shifan.yml",
}
PROBE = "__PROBE__"

COMMON = ["yes", "no", "on", "off", "True", "~", '""', '"  "', "[a, b]", "{a: 1}", "１２", "9" * 5000, '"a\\u0000b"']
"""Values tried at every key: YAML 1.1 booleans, empty and blank text, a list or a mapping, full-width digits,
a 5,000-digit number and a control character."""


@dataclass(frozen=True)
class CrossKeyRule:
    key: str
    """A regular expression over key paths."""
    codes: frozenset[str]
    """The messages the validator gives there."""
    reason: str


CROSS_KEY_RULES = [
    CrossKeyRule(r"type", frozenset({"unknown_type"}), "事项类型取自 site.yml 的 item_types，每个城市可以不同"),
    CrossKeyRule(
        r"item_types(\[\d+\]\.(name|code))?", frozenset({"unknown_type"}), "各事项的类型必须是 site.yml 列出的类型之一"
    ),
    CrossKeyRule(
        r"steps\[\d+\]\.position",
        frozenset({"unknown_position", "unknown_department"}),
        "岗位必须在本部门或其他部门的 department.yml 中定义",
    ),
    CrossKeyRule(
        r"steps\[\d+\]\.(id|next(\[\d+\])?|outcomes(\[\d+\]\.result)?|end|special)|steps",
        frozenset(
            {
                "unknown_step",
                "unknown_result",
                "dead_end",
                "many_starts",
                "end_with_next",
                "many_ends",
                "no_end",
                "cycle",
                "next_and_outcomes",
                "path_exceeds_committed",
                "missing_key",
            }
        ),
        "步骤之间的连接（起点、终点、汇合、环路）和关键路径是整个流程的规则",
    ),
    CrossKeyRule(
        r"materials\[\d+\]\.(form|sample)", frozenset({"file_missing"}), "表格文件必须存在于本部门的 forms 文件夹中"
    ),
    CrossKeyRule(
        r"time_limits\.(statutory|committed)|steps\[\d+\]\.time",
        frozenset(
            {
                "committed_exceeds_statutory",
                "path_exceeds_committed",
                "mixed_days",
                "immediate_not_immediate",
            }
        ),
        "承诺时限、法定时限和各环节时限要相互比较",
    ),
    CrossKeyRule(r"kind", frozenset({"immediate_not_immediate"}), "即办件的承诺时限必须是即办"),
    CrossKeyRule(
        r"identity\.badge", frozenset({"badge_missing", "badge_not_image"}), "标识图片必须存在于 procedures 文件夹中"
    ),
    CrossKeyRule(r"topics(\[\d+\])?", frozenset({"unknown_topic"}), "主题取自 site.yml 的 topics"),
    CrossKeyRule(
        r"(materials\[\d+\]|steps\[\d+\]\.outcomes\[\d+\])\.situations(\[\d+\])?|situations(\[\d+\]\.id)?",
        frozenset({"unknown_situation", "duplicate_situation"}),
        "情形 id 在事项内唯一，材料和办理结论只能指向本事项声明的情形",
    ),
    CrossKeyRule(
        r"situations\[\d+\]\.time_limits(\.(statutory|committed))?",
        frozenset(
            {"committed_exceeds_statutory", "committed_later_than_statutory", "mixed_days", "path_exceeds_committed"}
        ),
        "情形的承诺时限要与法定时限和流程的关键路径比较",
    ),
    CrossKeyRule(r"result(\.sample)?", frozenset({"file_missing"}), "结果样本文件必须存在于本部门文件夹中"),
    CrossKeyRule(r"online\.level", frozenset({"url_required"}), "网上办理深度不是“不支持”时须填网址"),
    CrossKeyRule(r"positions", frozenset({"unknown_position"}), "事项引用的岗位必须存在"),
    CrossKeyRule(
        r"joint(\[\d+\])?", frozenset({"unknown_department"}), "联办部门必须是已建立的部门（有 department.yml）"
    ),
    CrossKeyRule(r"lead", frozenset({"unknown_department"}), "一件事的牵头部门必须是已建立的部门"),
    CrossKeyRule(r"form", frozenset({"file_missing"}), "一件事的申请表必须存在于牵头部门的文件夹中"),
    CrossKeyRule(
        r"members(\[\d+\](\.(item|after(\[\d+\])?))?)?",
        frozenset({"bundle_unknown_member", "bundle_not_member", "bundle_duplicate_member", "bundle_cycle"}),
        "成员事项必须是本站的事项、各出现一次，办理顺序和情形只能指向成员事项，顺序不能成环",
    ),
    CrossKeyRule(
        r"members\[\d+\]\.provides(\[\d+\])?",
        frozenset({"bundle_unknown_provided"}),
        "产出的材料必须是某个成员事项要求的材料",
    ),
    CrossKeyRule(
        r"situations\[\d+\]\.members(\[\d+\])?", frozenset({"bundle_not_member"}), "情形只能选本一件事的成员事项"
    ),
    CrossKeyRule(
        r"shared(\[\d+\](\.(name|materials(\[\d+\])?))?)?",
        frozenset({"bundle_not_member", "bundle_unknown_material"}),
        "同一份材料必须是成员事项中的材料",
    ),
]


def _probes(spec: Spec) -> list[str]:
    """Values worth trying for one kind of value, besides :data:`COMMON`."""
    if isinstance(spec, Text):
        values = ["示范", "12345", "1.5", '"【请填写：内容】"', '"' + "长" * (spec.max_length + 1) + '"']
        if spec.rule is not None:
            values += [json.dumps(e, ensure_ascii=False) for e in spec.rule.examples]
        return values + RULE_PROBES.get(spec.rule.code if spec.rule else "", [])
    if isinstance(spec, Integer):
        return ["0", "1", "-1", str(spec.maximum), str(spec.maximum + 1), "1.0", "1.5", '"1"']
    if isinstance(spec, Boolean):
        return ["true", "false", "TRUE", '"true"', "1"]
    if isinstance(spec, Required):
        return ["true", "false", "委托办理的", "5"]
    if isinstance(spec, Choice):
        return [*spec.choices, spec.choices[0][:-1], f"[{spec.choices[0]}]"]
    if isinstance(spec, ListOf):
        return ["[]", *([] if not spec.single else ["shouli"])]
    return []


RULE_PROBES = {
    "bad_url": ['"https://x/<script>"', "'https://x.gov.cn/a\"b'", "javascript:alert(1)", "https://x.gov.cn/a b"],
    "bad_path": ["forms/./a.pdf", "~/a.pdf", "forms//a.pdf", "../site.yml", "/etc/passwd", "c:/a.pdf"],
    "bad_duration": ["5个工作日", "5 个工作日", "0.5个工作日", "即办", "二十天", "５个工作日", '"5个工作日\\n"'],
    "bad_date": ["2026-10-01", "2024-02-29", "2023-02-29", "2024-13-01", "0000-01-01", "２０２６-01-01", "2026-1-5"],
    "bad_id": ["shouli", "Shen Cha", "1a", "a_b"],
    "bad_owner": ["'@org/team'", "zhangsan@example.gov.cn", "张三"],
    "bad_code": ["TEST 0001", "11000000MB0000001X40", "甲"],
    "bad_position_ref": ["chuangkou", "other/xieban", "rsj/", "/", "a/b/c"],
}


def keys(spec: Spec, prefix: str = "") -> Iterator[tuple[str, Spec]]:
    """Every key path of a declaration with its spec; lists and maps by their first entry."""
    if isinstance(spec, Record):
        for name, declared in spec.keys.items():
            path = f"{prefix}.{name}" if prefix else name
            yield path, declared.spec
            yield from keys(declared.spec, path)
    elif isinstance(spec, ListOf):
        yield from keys(spec.item, f"{prefix}[0]")
    elif isinstance(spec, MapOf):
        yield from keys(spec.value, f"{prefix}.chuangkou")


def sample(spec: Spec, index: int = 0) -> Json:
    """A structurally valid value of ``spec``, for keys that the fixture file leaves out (ids differ by ``index``)."""
    if isinstance(spec, Record):
        return {n: sample(k.spec, index) for n, k in spec.keys.items() if k.required}
    if isinstance(spec, MapOf):
        return {"chuangkou": sample(spec.value)}
    if isinstance(spec, ListOf):
        return [sample(spec.item, i) for i in range(max(spec.min_items, 1))]
    if isinstance(spec, Integer):
        return spec.minimum
    if isinstance(spec, Boolean | Required):
        return True
    if isinstance(spec, Choice):
        return spec.choices[0]
    assert isinstance(spec, Text)
    if spec.rule is not None and spec.rule.code == "bad_id":
        return f"{spec.rule.examples[0]}{index or ''}"
    return spec.rule.examples[0] if spec.rule and spec.rule.examples else f"示范{index or ''}"


def with_probe(data: Json, path: str, record: Record) -> Json:
    """``data`` with :data:`PROBE` at ``path``, creating what is missing on the way with sample values."""
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    root = json.loads(json.dumps(data))
    current, spec = root, record
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part.startswith("["):
            assert isinstance(spec, ListOf)
            spec = spec.item
            if not current:
                current.append(sample(spec))
            if last:
                current[0] = PROBE
            else:
                current = current[0]
        else:
            spec = spec.keys[part].spec if isinstance(spec, Record) else spec.value  # type: ignore[attr-defined]
            if last:
                current[part] = PROBE
            else:
                current = current.setdefault(part, sample(spec))
                if isinstance(spec, MapOf):
                    current = current
    return root


def yaml_text(data: Json, snippet: str) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    assert text.count(PROBE) == 1
    return text.replace(PROBE, snippet)


@cache
def schema(kind: str) -> dict[str, object]:
    return json.loads(editor_schema(kind, FILES[kind]))  # type: ignore[no-any-return]


def _ecma_pattern(
    validator: object, pattern: str, instance: object, schema: object
) -> Iterator[jsonschema.ValidationError]:
    if isinstance(instance, str) and not regress.Regex(pattern, flags="u").find(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


ECMA = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _ecma_pattern})


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml when PyYAML has it: the test composes a few thousand small documents."""


@functools.cache
def valid_data(kind: str) -> Json:
    """The valid fixture of a kind of file, as JSON (read once; :func:`with_probe` copies it)."""
    return to_json(yaml.compose((VALID / FILE_OF[kind]).read_text(encoding="utf-8"), Loader=LOADER))


def judged_by_schema(kind: str, text: str) -> tuple[bool, bool | None]:
    """(valid by Python regular expressions, valid by ECMA-262 ones or None when regress cannot read the value)."""
    document = to_json(yaml.compose(text, Loader=LOADER))
    python = jsonschema.Draft202012Validator(schema(kind)).is_valid(document)
    if re.search(r"[\ud800-\udfff]", json.dumps(document, ensure_ascii=False)):
        return python, None
    return python, ECMA(schema(kind)).is_valid(document)


@dataclass(frozen=True)
class Case:
    kind: str
    key: str
    snippet: str


def cases() -> list[Case]:
    found = []
    for kind, record in FILES.items():
        for key, spec in keys(record):
            found += [Case(kind, key, s) for s in dict.fromkeys([*_probes(spec), *COMMON])]
    return found


CASES = cases()


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("contract") / "procedures"
    shutil.copytree(VALID, target)
    return target


def judged_by_validator(tree: Path, case: Case) -> set[str]:
    """The message ids the validator gives for the file with the value (empty: accepted)."""
    relative = FILE_OF[case.kind]
    original = (VALID / relative).read_text(encoding="utf-8")
    (tree / relative).write_text(
        yaml_text(with_probe(valid_data(case.kind), case.key, FILES[case.kind]), case.snippet), encoding="utf-8"
    )
    try:  # the unchanged files' structural checks come from the cache: only the probed file is read again
        result = load(tree, tree.parent, cache=tree.parent / "cache")
    finally:
        (tree / relative).write_text(original, encoding="utf-8")
    return {d.code for d in result.diagnostics if d.severity == "error"}


def test_every_kind_of_file_and_enough_keys_are_probed() -> None:
    assert {c.kind for c in CASES} == set(FILES)
    assert len({(c.kind, c.key) for c in CASES}) > 70 and len(CASES) > 1000


def test_the_three_reported_disagreements_are_among_the_cases() -> None:
    assert Case("item", "basis[0].url", '"https://x/<script>"') in CASES
    assert Case("item", "online.url", "'https://x.gov.cn/a\"b'") in CASES
    assert Case("item", "materials[0].form", "forms/./a.pdf") in CASES
    assert Case("item", "materials[0].form", "~/a.pdf") in CASES
    assert Case("item", "steps[0].special", "yes") in CASES


def test_schema_and_validator_agree(tree: Path) -> None:
    disagreements = []
    for case in CASES:
        text = yaml_text(with_probe(valid_data(case.kind), case.key, FILES[case.kind]), case.snippet)
        python, ecma = judged_by_schema(case.kind, text)
        if ecma is not None and ecma != python:
            disagreements.append(f"{case}: Python 正则 {python}，ECMA 正则 {ecma}")
        codes = judged_by_validator(tree, case)
        if python == (not codes):
            continue
        rule = next((r for r in CROSS_KEY_RULES if re.fullmatch(r.key, case.key)), None)
        if not (python and rule is not None and codes <= rule.codes):
            disagreements.append(
                f"{case}: 编辑器 Schema {'接受' if python else '拒绝'}，校验器 {sorted(codes) or '接受'}"
            )
    assert disagreements == [], "\n".join(disagreements)


@pytest.mark.parametrize(
    ("kind", "key", "snippet"),
    [
        ("item", "online.url", "'https://x.gov.cn/a\"b'"),
        ("item", "basis[0].url", '"https://x/<script>"'),
        ("item", "materials[0].form", "forms/./a.pdf"),
        ("item", "materials[0].form", "~/a.pdf"),
        ("item", "steps[1].special", "yes"),
    ],
)
def test_the_reported_disagreements_are_now_refused_by_both(tree: Path, kind: str, key: str, snippet: str) -> None:
    case = Case(kind, key, snippet)
    data = to_json(yaml.compose((VALID / FILE_OF[kind]).read_text(encoding="utf-8"), Loader=yaml.SafeLoader))
    python, ecma = judged_by_schema(kind, yaml_text(with_probe(data, key, FILES[kind]), snippet))
    assert (python, ecma) == (False, False)
    assert judged_by_validator(tree, case)

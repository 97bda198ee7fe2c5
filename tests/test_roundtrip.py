"""The editor's YAML files round-trip: unchanged is the same bytes, one changed value is one changed line, comments
and key order survive, new keys go where the declaration puts them, long Chinese lines are not folded."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import yaml as pyyaml

from generator.edit.roundtrip import Document, scalar_paths
from generator.model import ITEM

from .conftest import ROOT

FILES = sorted((ROOT / "procedures").rglob("*.yml"))


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("- ", "+ ")]


def other(value: object) -> object:
    """A different value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if value is None:
        return "改"
    return f"{value}改"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_scalar_of_every_demo_file_changes_exactly_its_line(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    document = Document.parse(text).again(text)  # the editor reads a file again in the style it found
    assert document.exact and document.text() == text  # saving an unchanged file gives the same bytes
    paths = scalar_paths(document.data)
    assert len(paths) > 5
    for where in paths:
        old = document.get(where)
        document.set(where, other(old))
        changed = changed_lines(text, document.text())
        assert len(changed) == 2 and changed[0].startswith("- ") and changed[1].startswith("+ "), (where, changed)
        assert pyyaml.safe_load(document.text()) is not None
        document.set(where, old)  # back as it was, for the next value


COMMENTED = """\
# 示范事项：注释在保存后仍在
name: 示范许可  # 名称照指南
fees: 不收费
# 以下是材料
materials:
  - name: 申请表
    required: true
visits: 1
commitments:
  - 受理后在门户网站公开受理信息和报告书（表）全本，并在作出决定后七个工作日内将审批意见送达申请人，同时在门户网站公告审批结果。
"""


def test_comments_key_order_quotes_and_long_lines_survive_a_change() -> None:
    document = Document.parse(COMMENTED)
    document.set(("fees",), "未公布的收费")
    document.set(("materials", 0, "required"), False)
    text = document.text()
    assert "# 示范事项：注释在保存后仍在" in text and "# 名称照指南" in text and "# 以下是材料" in text
    assert [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()] == [
        "name", "fees", "materials", "visits", "commitments",
    ]  # fmt: skip
    assert len(changed_lines(COMMENTED, text)) == 4  # two lines, each removed and added
    assert "  - 受理后在门户网站公开受理信息和报告书（表）全本，并在作出决定后七个工作日内" in text  # not folded
    quoted = Document.parse('hotline: "12345"\n')
    quoted.set(("hotline",), "12315")
    assert quoted.text() == 'hotline: "12315"\n'  # still a text, never a number


def test_a_new_key_goes_where_the_declaration_puts_it() -> None:
    document = Document.parse(COMMENTED)
    document.set(("kind",), "承诺件", order=list(ITEM.keys))  # declared after name, before materials
    keys = [line.split(":")[0] for line in document.text().splitlines() if line and line[0].isalpha()]
    assert keys.index("kind") < keys.index("materials") and keys.index("kind") > keys.index("name")
    document.set(("aliases",), ["示范证"], order=list(ITEM.keys))  # declared near the end, after visits
    keys = [line.split(":")[0] for line in document.text().splitlines() if line and line[0].isalpha()]
    assert keys.index("aliases") > keys.index("visits")


def test_a_file_in_pyyaml_style_round_trips_in_its_own_style() -> None:
    text = "name: 示范许可\nmaterials:\n- name: 申请表\n  required: true\n"  # as import and PyYAML write lists
    document = Document.parse(text)
    assert document.exact and document.text() == text
    document.set(("materials", 0, "name"), "申请书")
    assert document.text() == text.replace("申请表", "申请书")


def test_deleting_an_entry_takes_the_comment_written_above_it_and_says_so() -> None:
    document = Document.parse(COMMENTED)
    assert document.delete(("materials",)) == ["# 以下是材料"]
    assert "以下是材料" not in document.text() and "申请表" not in document.text()
    assert document.text() == COMMENTED.replace("# 以下是材料\nmaterials:\n  - name: 申请表\n    required: true\n", "")
    document = Document.parse(COMMENTED)
    assert document.delete(("name",)) == ["# 示范事项：注释在保存后仍在", "# 名称照指南"]
    assert document.text().startswith("fees: 不收费\n# 以下是材料\n")  # the next entry keeps its own comment
    document = Document.parse(COMMENTED)
    assert document.delete(("materials", 0)) == []
    assert "申请表" not in document.text() and "# 以下是材料\nmaterials: []" in document.text()


def test_a_windows_checkout_keeps_its_line_endings() -> None:
    text = COMMENTED.replace("\n", "\r\n")  # git's core.autocrlf on Windows
    document = Document.parse(text)
    assert document.exact and document.text() == text
    document.set(("visits",), 2)
    assert document.text() == text.replace("visits: 1\r\n", "visits: 2\r\n")
    document.delete(("fees",))
    assert document.text() == text.replace("visits: 1\r\n", "visits: 2\r\n").replace("fees: 不收费\r\n", "")
    mixed = Document.parse("name: 甲\r\nvisits: 1\n")  # saving would change a line ending: the editor warns
    assert not mixed.exact


def test_the_first_line_for_text_editors_stays_when_the_first_key_is_deleted() -> None:
    text = "# yaml-language-server: $schema=../schema/item.schema.json\n# 名称照指南\nname: 示范许可\nvisits: 1\n"
    document = Document.parse(text)
    assert document.delete(("name",)) == ["# 名称照指南"]
    assert document.text() == "# yaml-language-server: $schema=../schema/item.schema.json\nvisits: 1\n"


def test_rows_added_and_removed_leave_the_other_rows_and_their_comments_alone() -> None:
    text = "aliases: [甲证, 乙证, 丙证]\nmaterials:\n  # 第一份\n  - name: 申请表\n  # 第二份\n  - name: 身份证\n  - name: 照片\n"
    document = Document.parse(text)
    document.delete(("aliases", 1))
    document.insert(("aliases", 2), "丁证")
    assert document.text().startswith("aliases: [甲证, 丙证, 丁证]\n")  # still one line
    document.delete(("materials", 2))
    document.insert(("materials", 1), {"name": "户口簿"})
    assert document.text().endswith("  # 第一份\n  - name: 申请表\n  - name: 户口簿\n  # 第二份\n  - name: 身份证\n")

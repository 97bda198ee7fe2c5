"""One fixture per invalid case, checked against tests/fixtures/invalid/expected.yml.

A fixture ``<name>.yml`` is a copy of ``valid/demo/minimal.yml`` with one
mistake; ``<name>.department.yml``, ``<name>.site.yml`` and ``<name>.bundle.yml``
replace the department, site and 一件事 (``valid/bundles/shifan.yml``) files instead.  Cases that cannot be committed as files
(a FIFO, a symbolic link, a file deleted while it is validated, a 1 MiB file)
are made by the functions in :data:`GENERATED`.  Each case replaces its file
in a copy of the valid tree, and every reported problem is compared with the
expected table, in both directions: a case without an expectation, or an
expectation without a case, fails too.  Each line ends with the message id,
and every message of the catalogue must be produced by some case.

Regenerate the table after a deliberate message change with
``UPDATE_EXPECTED=1 python -m pytest tests/test_invalid_fixtures.py`` and
review the diff.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.load import load
from generator.messages import MESSAGES
from generator.read.files import Tree, discover

from .conftest import INVALID

EXPECTED_FILE = INVALID / "expected.yml"
Case = Callable[[Path, pytest.MonkeyPatch], None]
UPDATE = os.environ.get("UPDATE_EXPECTED") == "1"
ITEM = "procedures/demo/minimal.yml"
BUNDLE = "bundles/shifan.yml"


def _fifo(tree: Path, _: pytest.MonkeyPatch) -> None:
    os.mkfifo(tree / "demo" / "pipe.yml")


def _symlinks(tree: Path, _: pytest.MonkeyPatch) -> None:
    (tree / "demo" / "zero.yml").symlink_to("/dev/zero")
    (tree / "demo" / "dangling.yml").symlink_to(tree / "nowhere.yml")
    (tree / "demo" / "loop.yml").symlink_to(tree / "demo" / "loop.yml")
    (tree / "linked").symlink_to(tree / "other", target_is_directory=True)


def _folder_named_yml(tree: Path, _: pytest.MonkeyPatch) -> None:
    (tree / "demo" / "folder.yml").mkdir()


def _bad_names(tree: Path, _: pytest.MonkeyPatch) -> None:
    shutil.copy(tree / "demo" / "minimal.yml", tree / "demo" / 'q" onload="alert(1).yml')
    (tree / "Bad Folder").mkdir()
    shutil.copy(tree / "other" / "department.yml", tree / "Bad Folder" / "department.yml")


def _oversized(tree: Path, _: pytest.MonkeyPatch) -> None:
    (tree / "demo" / "minimal.yml").write_text("notes: |\n" + "  x\n" * 400_000, encoding="utf-8")


def _no_department(tree: Path, _: pytest.MonkeyPatch) -> None:
    (tree / "other" / "department.yml").unlink()
    shutil.copy(tree / "demo" / "minimal.yml", tree / "other" / "orphan.yml")


def _no_site(tree: Path, _: pytest.MonkeyPatch) -> None:
    (tree / "site.yml").unlink()


def _no_procedures(tree: Path, _: pytest.MonkeyPatch) -> None:
    shutil.rmtree(tree)


def _procedures_is_a_file(tree: Path, _: pytest.MonkeyPatch) -> None:
    shutil.rmtree(tree)
    tree.write_text("site.yml\n", encoding="utf-8")


def _deleted_while_validating(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The item disappears between finding the files and reading them, as when a branch is switched meanwhile."""

    def discover_then_delete(root: Path, base: Path) -> Tree:
        found = discover(root, base)
        (root / "demo" / "minimal.yml").unlink()
        return found

    # the module, not the function that generator/__init__.py exports under the same name
    monkeypatch.setattr(importlib.import_module("generator.load"), "discover", discover_then_delete)


def _letter_size_form(tree: Path, _: pytest.MonkeyPatch) -> None:
    """A blank form saved as US Letter (as a browser's print dialog does by default in some locales)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_blank_page(595, 842)
    writer.write(tree / "demo" / "forms" / "letter.pdf")
    item = tree / "demo" / "minimal.yml"
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("form: forms/form.pdf", "form: forms/letter.pdf", 1), "utf-8")


def _badge_not_image(tree: Path, _: pytest.MonkeyPatch) -> None:
    (tree / "identity").mkdir()
    (tree / "identity" / "badge.png").write_text("不是图片", encoding="utf-8")
    site = tree / "site.yml"
    site.write_text(
        site.read_text(encoding="utf-8").replace("  base_url:", "  badge: identity/badge.png\n  base_url:"), "utf-8"
    )


def _member_deleted(tree: Path, _: pytest.MonkeyPatch) -> None:
    """An item that a 一件事 bundles is deleted (or renamed) later: the bundle names it."""
    (tree / "demo" / "parallel.yml").unlink()


def _bundle_named_index(tree: Path, _: pytest.MonkeyPatch) -> None:
    """A 一件事 file takes the name of the 一件事 index page."""
    (tree / BUNDLE).rename(tree / "bundles" / "index.yml")


def _bundle_twice(tree: Path, _: pytest.MonkeyPatch) -> None:
    """The same 一件事 id as .yml and .yaml (a copy saved under the other extension)."""
    shutil.copyfile(tree / BUNDLE, tree / "bundles" / "shifan.yaml")


GENERATED: dict[str, Case] = {
    "bundle_member_deleted": _member_deleted,
    "bundle_id_reserved": _bundle_named_index,
    "bundle_id_duplicate": _bundle_twice,
    "badge_not_image": _badge_not_image,
    "form_not_a4": _letter_size_form,
    "fifo_named_yml": _fifo,
    "symlinks": _symlinks,
    "folder_named_yml": _folder_named_yml,
    "unsafe_names": _bad_names,
    "oversized": _oversized,
    "department_missing": _no_department,
    "site_missing": _no_site,
    "deleted_while_validating": _deleted_while_validating,
    "procedures_missing": _no_procedures,
    "procedures_is_a_file": _procedures_is_a_file,
}


def _file_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for path in sorted(INVALID.glob("*.yml")):
        if path.name == "expected.yml":
            continue
        replaced = ((".department.yml", "demo/department.yml"), (".site.yml", "site.yml"), (".bundle.yml", BUNDLE))
        for suffix, target in replaced:
            if path.name.endswith(suffix):
                cases[path.name.removesuffix(suffix)] = _copy(path, target)
                break
        else:
            cases[path.stem] = _copy(path, "demo/minimal.yml")
    return cases


def _copy(source: Path, target: str) -> Case:
    return lambda tree, _: shutil.copyfile(source, tree / target)


CASES = {**_file_cases(), **GENERATED}


def _expected() -> dict[str, list[str]]:
    if not EXPECTED_FILE.exists():
        return {}
    return yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8")) or {}


def reported(tree: Path, case: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each problem as ``[file:]line:column: severity: label: message [code]``, the item's own path left out."""
    CASES[case](tree, monkeypatch)
    result = load(tree, tree.parent)
    return [f"{d.text().removeprefix(ITEM + ':')} [{d.code}]" for d in result.diagnostics]


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_reports_exactly_the_expected_problems(tree: Path, case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    got = reported(tree, case, monkeypatch)
    if UPDATE:
        table = _expected()
        table[case] = got
        EXPECTED_FILE.write_text(
            yaml.safe_dump(dict(sorted(table.items())), allow_unicode=True, width=1000), encoding="utf-8"
        )
    assert got == _expected()[case]
    assert got, "an invalid case must report something"


def test_every_expectation_has_its_case() -> None:
    assert sorted(_expected()) == sorted(CASES)


def test_every_message_of_the_catalogue_is_produced_by_a_case() -> None:
    produced = {line.rsplit(" [", 1)[1].rstrip("]") for lines in _expected().values() for line in lines}
    assert sorted(set(MESSAGES) - produced) == []
    assert sorted(produced - set(MESSAGES)) == []

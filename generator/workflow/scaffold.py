"""``python -m generator new``: a commented item template for a department."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..contract.values import IDENT
from ..contract.vocab import AUDIENCES, DEFAULT_ITEM_TYPES, ONLINE_LEVELS
from ..messages import did_you_mean, quote_choices
from ..read.assemble import build_department, build_site
from ..read.check import Checked, check_bytes
from ..read.files import DEPARTMENT_FILE, SITE_FILE, Found, display_path, read_bytes

TEMPLATE = Path(__file__).resolve().parent.parent.parent / "site_templates" / "scaffold" / "item.yml.j2"


class ScaffoldError(Exception):
    """The department does not exist, the id is not valid, or the file exists already."""


@dataclass(frozen=True)
class Scaffold:
    path: Path
    text: str


def scaffold(procedures: Path, department: str, item: str, base: Path) -> Scaffold:
    """The path and text of a new item file; nothing is written."""
    folder = procedures / department
    path = folder / f"{item}.yml"
    _refuse(procedures, department, item, path, base)
    checked = _checked(Found(folder / DEPARTMENT_FILE, "department", f"{department}/{DEPARTMENT_FILE}"))
    owner = build_department(checked) if checked else None
    positions = [p.id for p in owner.positions] if owner else []
    site_file = _checked(Found(procedures / SITE_FILE, "site", SITE_FILE))
    types = list(build_site(site_file).type_names if site_file else DEFAULT_ITEM_TYPES)
    text = jinja2.Template(TEMPLATE.read_text(encoding="utf-8"), keep_trailing_newline=True).render(
        department=department,
        department_name=" ".join(owner.name.split()) if owner else department,
        item=item,
        path=display_path(path, base),
        types="、".join(types),
        audiences="、".join(AUDIENCES),
        online="、".join(ONLINE_LEVELS),
        positions="、".join(positions) or "部门尚未公布岗位表",
    )
    return Scaffold(path, text)


def _refuse(procedures: Path, department: str, item: str, path: Path, base: Path) -> None:
    """Stop, saying why, when the department does not exist, the id is not one, or the file exists."""
    if not (procedures / department / DEPARTMENT_FILE).is_file():
        known = sorted(p.parent.name for p in procedures.glob(f"*/{DEPARTMENT_FILE}"))
        raise ScaffoldError(
            f'没有部门 "{department}"{did_you_mean(department, known)}\n'
            f"现有部门：{quote_choices(known) or '（无）'}。新部门请先建立 {procedures}/<部门>/{DEPARTMENT_FILE}。"
        )
    if not IDENT.allows(item):
        raise ScaffoldError(f'事项 id "{item}" 只能用小写字母、数字和连字符，并以字母开头，如 sgxk-bg')
    if path.exists():
        raise ScaffoldError(f"{display_path(path, base)} 已经存在；修改已有事项请直接编辑该文件")


def _checked(found: Found) -> Checked | None:
    """A file's check, or None when it cannot be read or is not valid (the template then says less)."""
    data = read_bytes(found)
    if not isinstance(data, bytes):
        return None
    checked, _ = check_bytes(data, found.kind, found.display)
    return checked if checked.data is not None else None

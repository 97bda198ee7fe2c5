"""Checked plain data → the frozen model objects, through the declarations' ``build``.

Fields that come from where a file is (an item's id and department, a
position's id) are given here; everything else is read from the checked data.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from ..model import BUNDLE, DEPARTMENT, ITEM, SITE, Bundle, Department, Procedure, Site
from .check import Checked


def build_site(checked: Checked) -> Site:
    assert checked.data is not None
    site: Site = SITE.build(checked.data, {})
    return site


def build_department(checked: Checked) -> Department:
    assert checked.data is not None
    department: Department = DEPARTMENT.build(checked.data, {"id": PurePosixPath(checked.file).parent.name})
    return department


def build_procedure(checked: Checked) -> Procedure:
    assert checked.data is not None
    path = PurePosixPath(checked.file)
    folder = path.parent.name
    context = {"id": path.stem, "department": folder, "source": checked.file, "owner": folder}
    procedure: Procedure = ITEM.build(checked.data, context)
    return procedure


def build_bundle(checked: Checked) -> Bundle:
    assert checked.data is not None
    bundle: Bundle = BUNDLE.build(checked.data, {"id": PurePosixPath(checked.file).stem, "source": checked.file})
    return bundle

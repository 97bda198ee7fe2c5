"""Find the files under ``procedures/`` and read their bytes, refusing anything that is not safe to read.

Department folder names and item file names become URLs, HTML ids and SVG
attributes, so they must be lowercase letters, digits and hyphens.  Only
regular files are read: a symbolic link, a folder named ``x.yml``, a FIFO or
a device is refused before it is opened (and it is opened non-blocking, so a
FIFO swapped in meanwhile cannot block), and a file's size is checked before
its bytes are read.  Every refusal is a located diagnostic, never an exception.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..contract.values import IDENT
from ..diagnostics import Diagnostic
from ..model import FormFile
from .source import MAX_BYTES

FileKind = Literal["site", "department", "item", "bundle"]
SITE_FILE = "site.yml"
DEPARTMENT_FILE = "department.yml"
BUNDLES = "bundles"
"""The folder of the 一件事 files (``procedures/bundles/<id>.yml``)."""
SKIPPED_FOLDERS = frozenset({"forms", "schema", "records", "identity", BUNDLES})
"""Folders inside ``procedures/`` that are not departments."""
EXTENSIONS = (".yml", ".yaml")


@dataclass(frozen=True)
class Found:
    """A file to read."""

    path: Path
    kind: FileKind
    display: str
    """Path relative to the repository root, with forward slashes: how diagnostics name it."""

    @property
    def folder(self) -> str:
        """The department folder (items and department.yml)."""
        return self.path.parent.name


@dataclass
class Tree:
    """Every readable file under ``procedures/``, and why others were refused."""

    root: Path
    files: list[Found] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def display_path(path: Path, base: Path) -> str:
    try:
        return path.absolute().relative_to(base.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def discover(root: Path, base: Path) -> Tree:
    """site.yml, each department.yml and each item, then the 一件事, in a stable order."""
    tree = Tree(root)
    if not root.is_dir():
        code = "not_a_folder" if root.exists() else "procedures_missing"
        shown = display_path(root, base)
        tree.diagnostics.append(Diagnostic.of(shown, (0, 0), "", "文件夹", code, value=shown))
        return tree
    site = root / SITE_FILE
    if _admit(site, base, tree, missing_ok=True):
        tree.files.append(Found(site, "site", display_path(site, base)))
    elif not _exists(site):
        tree.diagnostics.append(Diagnostic.of(display_path(site, base), (0, 0), "", "文件", "site_missing"))
    for folder in _entries(root, base, tree):
        if folder.name.startswith(".") or folder.name in SKIPPED_FOLDERS or not _is_folder(folder):
            continue
        if not _admit(folder, base, tree, folder=True):
            continue
        tree.files += _department(folder, base, tree)
    tree.files += _bundles(root / BUNDLES, base, tree)
    return tree


def _bundles(folder: Path, base: Path, tree: Tree) -> list[Found]:
    """The 一件事 files, when there is a bundles folder."""
    if _is_folder(folder) and _admit(folder, base, tree, folder=True):
        return _files(folder, "bundle", base, tree)
    return []


def _department(folder: Path, base: Path, tree: Tree) -> list[Found]:
    found: list[Found] = []
    department = folder / DEPARTMENT_FILE
    if _admit(department, base, tree, missing_ok=True):
        found.append(Found(department, "department", display_path(department, base)))
    return found + _files(folder, "item", base, tree)


def _files(folder: Path, kind: FileKind, base: Path, tree: Tree) -> list[Found]:
    """The YAML files of ``folder`` (an item or 一件事 each), but for department.yml and hidden ones."""
    found: list[Found] = []
    for path in _entries(folder, base, tree):
        named = path.name.endswith(EXTENSIONS) and path.name != DEPARTMENT_FILE and not path.name.startswith(".")
        if named and _admit(path, base, tree):
            found.append(Found(path, kind, display_path(path, base)))
    return found


def _entries(folder: Path, base: Path, tree: Tree) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError as error:
        tree.diagnostics.append(_unreadable(display_path(folder, base), error))
        return []


def _exists(path: Path) -> bool:
    return os.path.lexists(path)


def _is_folder(path: Path) -> bool:
    """A folder, or a link (which :func:`_admit` then refuses with a message)."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return False
    return stat.S_ISDIR(mode) or stat.S_ISLNK(mode)


def _admit(path: Path, base: Path, tree: Tree, folder: bool = False, missing_ok: bool = False) -> bool:
    """Whether ``path`` is a regular file (or folder) with a safe name; otherwise say why not."""
    shown = display_path(path, base)
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        if not missing_ok:
            tree.diagnostics.append(Diagnostic.of(shown, (0, 0), "", "文件", "unreadable", reason="文件不存在"))
        return False
    except OSError as error:
        tree.diagnostics.append(_unreadable(shown, error))
        return False
    problem = _problem(path, mode, folder)
    if problem is not None:
        title, code, values = problem
        tree.diagnostics.append(Diagnostic.of(shown, (0, 0), "", title, code, **values))
        return False
    return True


def _problem(path: Path, mode: int, folder: bool) -> tuple[str, str, dict[str, object]] | None:
    """(title, message id, values) of what is wrong with a file or folder, or None."""
    if stat.S_ISLNK(mode):
        return "文件", "symlink", {}
    if folder != stat.S_ISDIR(mode) or not (folder or stat.S_ISREG(mode)):
        return "文件", "not_regular_file", {}
    stem = path.name if folder else path.name.rsplit(".", 1)[0]
    if path.name not in (SITE_FILE, DEPARTMENT_FILE) and not IDENT.allows(stem):
        return "文件名", "bad_name", {"value": stem, "what": "部门文件夹名" if folder else "事项文件名"}
    return None


def read_bytes(found: Found) -> bytes | Diagnostic:
    """The file's bytes, or why they could not be read; never blocks, never reads an oversized file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(found.path, flags)
    except OSError as error:
        return _unreadable(found.display, error)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return Diagnostic.of(found.display, (0, 0), "", "文件", "not_regular_file")
        if info.st_size > MAX_BYTES:
            return Diagnostic.of(found.display, (0, 0), "", "文件", "too_large", size=info.st_size)
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        return _unreadable(found.display, error)
    finally:
        os.close(descriptor)
    if len(data) > MAX_BYTES:  # it grew while being read
        return Diagnostic.of(found.display, (0, 0), "", "文件", "too_large", size=len(data))
    return data


_REASONS = {
    errno.ENOENT: "文件不存在（可能在校验过程中被删除）",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ELOOP: "是符号链接",
    errno.EISDIR: "是文件夹",
}


def _unreadable(shown: str, error: OSError) -> Diagnostic:
    reason = _REASONS.get(error.errno or 0) or error.strerror or type(error).__name__
    return Diagnostic.of(shown, (0, 0), "", "文件", "unreadable", reason=reason)


def form_files(root: Path, departments: set[str]) -> tuple[FormFile, ...]:
    """Regular files under each department's ``forms/`` folder; links are never followed."""
    found: list[FormFile] = []
    for department in sorted(departments):
        for folder, subfolders, names in os.walk(root / department / "forms", followlinks=False):
            subfolders.sort()
            for name in sorted(names):
                path = Path(folder) / name
                status = path.lstat()
                if not name.startswith(".") and stat.S_ISREG(status.st_mode):
                    found.append(FormFile(path.relative_to(root).as_posix(), status.st_size))
    return tuple(found)


def kind_of(relative: str) -> FileKind | None:
    """The kind of a file by its path inside ``procedures/``, as :func:`discover` would see it (for git versions)."""
    parts = relative.split("/")
    if parts == [SITE_FILE]:
        return "site"
    if len(parts) != 2:
        return None
    folder, name = parts
    if folder == BUNDLES:
        return "bundle" if _named(name) else None
    if folder.startswith(".") or folder in SKIPPED_FOLDERS or not IDENT.allows(folder):
        return None
    if name == DEPARTMENT_FILE:
        return "department"
    return "item" if _named(name) else None


def _named(name: str) -> bool:
    """An item's or 一件事's file name: an identifier with a YAML extension."""
    stem, dot, extension = name.rpartition(".")
    return bool(dot) and f".{extension}" in EXTENSIONS and IDENT.allows(stem)

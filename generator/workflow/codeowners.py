"""CODEOWNERS for GitHub and GitLab, written from the departments' ``reviewers``.

A department's reviewers must approve every change to its folder; the site's
reviewers own everything else (site.yml, templates, code, pipelines).  The
files are generated, and ``codeowners --check`` fails when they are stale.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Catalog

HEADER = (
    "# 由 python -m generator codeowners 根据 procedures/ 中的 reviewers 生成，请勿手工修改。",
    "# 修改审核人：编辑 procedures/<部门>/department.yml 或 procedures/site.yml 的 reviewers，再运行该命令。",
)


TARGETS = (".github/CODEOWNERS", ".gitlab/CODEOWNERS")
"""Where GitHub and GitLab look first.  Both read the same syntax: the last matching rule wins."""


def codeowners(catalog: Catalog, procedures: str) -> str:
    """The CODEOWNERS text; ``procedures`` is the folder relative to the repository root."""
    folder = "/" + procedures.strip("/")
    blocks = ["\n".join(HEADER)]
    if catalog.site.reviewers:
        comment = f"# {_comment(catalog.site.title)}：全站设置、模板、程序和流水线"
        blocks.append(f"{comment}\n* {' '.join(catalog.site.reviewers)}")
    for d in catalog.departments:
        blocks.append(f"# {_comment(d.name)}\n{folder}/{_path(d.id)}/ {' '.join(d.reviewers)}")
    return "\n\n".join(blocks) + "\n"


def _comment(text: str) -> str:
    return " ".join(text.split())


def _path(text: str) -> str:
    return text.replace("\\", "\\\\").replace(" ", "\\ ").replace("#", "\\#")


def write(catalog: Catalog, root: Path, procedures: str, check: bool) -> list[str]:
    """Write (or only compare) every target; return the paths that were stale."""
    stale = []
    text = codeowners(catalog, procedures)
    for target in TARGETS:
        path = root / target
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(target)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return stale

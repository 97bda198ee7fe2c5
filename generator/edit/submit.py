"""Where a clerk's change goes once it is submitted: written to disk, or proposed for review on the office's forge.

- ``disk`` (offices without a git server): the file is replaced atomically and the change report is added to
  ``<事项>.变更说明.md`` beside it.
- ``gitlab``, ``agit`` (Gitea, Forgejo), ``github``: a commit on a new branch ``edit/<部门>/<事项>-<日期>`` whose
  message is the change report, made with git's plumbing commands in a temporary index (the clerk's working tree
  and branch are not touched), on top of the target branch as the remote has it now, then pushed so that the forge
  opens the review itself, with no API token: GitLab reads push options (``merge_request.create`` …); Gitea and
  Forgejo read an AGit push to ``refs/for/<target>`` with ``topic``, ``title`` and ``description`` (this also works
  for clerks without write access); GitHub gets the branch and the clerk its prefilled compare page.

Push options cannot hold a line break, so the forge's description is the one-line summary; the commit message holds
the whole report.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode

from ..workflow.git import Git, GitError

KINDS = ("新增", "变更", "暂停", "取消")
"""The kinds of change a clerk chooses from (as the catalogue's 事项变更 are named)."""
FORGES = ("disk", "gitlab", "agit", "github")


class Refused(Exception):
    """The change cannot be submitted; the message says why, in Chinese."""


@dataclass(frozen=True)
class Proposal:
    """A change to one file, ready to be submitted."""

    file: str
    """The path inside the procedures folder, e.g. ``gaj/sfz-hl.yml``."""
    before: str
    after: str
    kind: str
    reason: str
    report: str
    """The change report (Markdown)."""
    summary: str
    """The report in one line."""

    @property
    def withdrawn(self) -> bool:
        """Whether the item is withdrawn (取消): its file is deleted."""
        return not self.after

    @property
    def title(self) -> str:
        return f"{self.kind}：{self.summary}"[:200]

    def message(self) -> str:
        """The commit message: the title, the reason, the report."""
        return f"{self.title}\n\n变更类别：{self.kind}\n理由或依据：{self.reason}\n\n{self.report}\n"

    def branch(self, today: date) -> str:
        folder, _, name = self.file.rpartition("/")
        return f"edit/{folder or 'site'}/{name.rsplit('.', 1)[0]}-{today.isoformat()}"


@dataclass(frozen=True)
class Submitted:
    """What the clerk is told: what happened, and a page to open (the forge's compare page) if any."""

    message: str
    url: str = ""
    branch: str = ""


@dataclass(frozen=True)
class Target:
    """Where submitted changes go (``python -m generator edit --submit …``)."""

    forge: str = "disk"
    remote: str = "origin"
    branch: str = "main"
    """The target branch of the review."""
    day: date | None = None
    """The date branches and notes are named with (None: today)."""

    def submit(self, procedures: Path, proposal: Proposal) -> Submitted:
        today = self.day or date.today()
        if self.forge == "disk":
            return _to_disk(procedures, proposal, today)
        return _to_forge(self, procedures, proposal, today)


def _to_disk(procedures: Path, proposal: Proposal, today: date) -> Submitted:
    path = procedures / proposal.file
    if (path.read_bytes().decode("utf-8", "replace") if path.exists() else "") != proposal.before:
        raise Refused("这个文件在您打开之后已被修改（可能是别人保存的）")
    if proposal.withdrawn:
        path.unlink()
    else:
        _replace(path, proposal.after)
    notes = path.with_name(path.stem + ".变更说明.md")
    earlier = notes.read_text(encoding="utf-8") if notes.is_file() else ""
    entry = f"## {today.isoformat()} {proposal.title}\n\n理由或依据：{proposal.reason}\n\n{proposal.report}\n"
    _replace(notes, earlier + ("\n" if earlier else "") + entry)
    return Submitted(f"已保存到 procedures/{proposal.file}，变更说明记入 {notes.name}。")


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically: a reader sees the old file or the new one, never a part."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _to_forge(target: Target, procedures: Path, proposal: Proposal, today: date) -> Submitted:
    try:
        git = Git.containing(procedures)
        git.run("fetch", "--quiet", target.remote, target.branch)
        base = git.run("rev-parse", "FETCH_HEAD").strip()
        path = (procedures / proposal.file).resolve().relative_to(git.root.resolve()).as_posix()
        there = git.blob(base, path)
        git.close()
        forged = there.decode("utf-8", "replace") if there is not None else ""
        if there is not None and _lf(forged) != _lf(proposal.before):
            raise Refused(f"{target.remote} 上 {target.branch} 分支的这个文件与您打开的不同：请先更新（git pull）再改")
        branch = _free_branch(git, proposal.branch(today))
        # A checkout on Windows has CRLF where the repository has LF (core.autocrlf): commit the repository's.
        after = proposal.after if "\r\n" in forged else _lf(proposal.after)
        commit = _commit(git, base, path, after, proposal.message())
        git.run("update-ref", f"refs/heads/{branch}", commit)
        return _push(git, target, proposal, branch, commit)
    except GitError as error:
        raise Refused(f"git 没有完成：{error}") from error


def _free_branch(git: Git, wanted: str) -> str:
    existing = set(git.run("for-each-ref", "--format=%(refname:short)", "refs/heads/edit/").split())
    name, number = wanted, 2
    while name in existing:
        name, number = f"{wanted}-{number}", number + 1
    return name


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def _commit(git: Git, base: str, path: str, text: str, message: str) -> str:
    """A commit on ``base`` whose only change is ``path`` (now ``text``; deleted when empty), made in a temporary
    index."""
    with tempfile.TemporaryDirectory() as folder:
        env = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        _git_env(git, env, "read-tree", base)
        if text:
            blob = _git_input(git, text, "hash-object", "-w", "--stdin")
            _git_env(git, env, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}")
        else:  # withdrawn
            _git_env(git, env, "update-index", "--force-remove", path)
        tree = _git_env(git, env, "write-tree")
    known = all(git.run("config", "--default", "", key).strip() for key in ("user.name", "user.email"))
    who = [] if known else _EDITOR_IDENTITY
    return _git_input(git, message, *who, "commit-tree", tree, "-p", base, "-F", "-")


_EDITOR_IDENTITY = ["-c", "user.name=办事指南编辑器", "-c", "user.email=editor@localhost"]


def _push(git: Git, target: Target, proposal: Proposal, branch: str, commit: str) -> Submitted:
    title = _one_line(proposal.title)
    description = _one_line(f"{proposal.summary}　理由或依据：{proposal.reason}　完整的变更报告在提交说明中。")
    if target.forge == "gitlab":
        options = [
            "merge_request.create",
            f"merge_request.target={target.branch}",
            f"merge_request.title={title}",
            f"merge_request.description={description}",
        ]
        _git_push(git, target.remote, f"refs/heads/{branch}:refs/heads/{branch}", options)
        return Submitted(f"已推送分支 {branch}，GitLab 已为它建立合并请求，等待审核。", branch=branch)
    if target.forge == "agit":
        options = [f"topic={branch}", f"title={title}", f"description={description}"]
        _git_push(git, target.remote, f"{commit}:refs/for/{target.branch}", options)
        return Submitted(f"已提交到 {target.branch} 的审核（{branch}），等待审核。", branch=branch)
    _git_push(git, target.remote, f"refs/heads/{branch}:refs/heads/{branch}", [])
    url = _compare_page(
        git.run("config", "--default", "", f"remote.{target.remote}.url").strip(), target.branch, branch, proposal
    )
    return Submitted(f"已推送分支 {branch}。请在打开的页面上点“Create pull request”。", url=url, branch=branch)


def _compare_page(remote: str, target: str, branch: str, proposal: Proposal) -> str:
    """GitHub's page that opens a pull request of ``branch`` with the title and report filled in."""
    found = re.search(r"github\.com[:/]+([^/]+)/([^/]+?)(?:\.git)?/?$", remote)
    if not found:
        return ""
    owner, name = (quote(part, safe="") for part in found.groups())
    query = urlencode({"expand": "1", "title": proposal.title, "body": proposal.message().split("\n", 2)[2]})
    return f"https://github.com/{owner}/{name}/compare/{quote(target)}...{quote(branch)}?{query}"


def _one_line(text: str) -> str:
    return " ".join(text.split())[:1000]


def _git_push(git: Git, remote: str, refspec: str, options: list[str]) -> None:
    pushed = [part for option in options for part in ("--push-option", option)]
    git.run("push", "--quiet", "--porcelain", *pushed, remote, refspec)


def _git_input(git: Git, text: str, *args: str) -> str:
    return _git_env(git, {}, *args, stdin=text)


def _git_env(git: Git, env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=git.root,
            input=(stdin or "").encode("utf-8"),
            capture_output=True,
            env={**os.environ, **env},
            check=False,
            timeout=600,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"无法运行 git：{error}") from error
    if done.returncode != 0:
        raise GitError(done.stderr.decode(errors="replace").strip() or f"git {args[0]} 失败")
    return done.stdout.decode().strip()

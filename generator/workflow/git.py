"""A git repository, read with plumbing commands; every failure is a :class:`GitError` with a message."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """git is missing, or a command failed; the message says which."""


class Git:
    """A repository, read with git's plumbing commands."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._batch: subprocess.Popen[bytes] | None = None

    @classmethod
    def containing(cls, path: Path) -> Git:
        """The repository that contains ``path``; GitError when there is none."""
        folder = path if path.is_dir() else path.parent
        top = _run(["git", "rev-parse", "--show-toplevel"], folder).strip()
        return cls(Path(top))

    def run(self, *args: str) -> str:
        return _run(["git", "-c", "core.quotePath=false", *args], self.root)

    def is_shallow(self) -> bool:
        return self.run("rev-parse", "--is-shallow-repository").strip() == "true"

    def files(self, rev: str, prefix: str) -> list[str]:
        """Paths of all files under ``prefix`` at ``rev``."""
        return self.run("ls-tree", "-r", "--name-only", rev, "--", prefix).splitlines()

    def blob(self, rev: str, path: str) -> bytes | None:
        """The content of ``path`` at ``rev``, or None when it does not exist there."""
        if self._batch is None:
            self._batch = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        assert self._batch.stdin is not None and self._batch.stdout is not None
        try:
            self._batch.stdin.write(f"{rev}:{path}\n".encode())
            self._batch.stdin.flush()
        except OSError as error:
            raise GitError(f"git cat-file 已退出：{error}") from error
        header = self._batch.stdout.readline().decode(errors="replace").split()
        if len(header) != 3:
            return None
        size = int(header[2])
        data = self._batch.stdout.read(size + 1)[:size]
        return data if header[1] == "blob" else None

    def close(self) -> None:
        if self._batch is not None:
            assert self._batch.stdin is not None and self._batch.stdout is not None
            self._batch.stdin.close()
            self._batch.wait()
            self._batch.stdout.close()
            self._batch = None


def _run(command: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"无法运行 git：{error}") from error
    if done.returncode != 0:
        raise GitError(done.stderr.decode(errors="replace").strip() or f"{' '.join(command)} 失败")
    return done.stdout.decode(errors="replace")

"""What the editor's local server accepts: requests from its own page only, and files inside the procedures folder.

Another website open in the same browser can send requests to a server on 127.0.0.1 (CSRF), and a name it controls
can resolve to 127.0.0.1 (DNS rebinding).  So every request must name the server's own address as ``Host``; a request
that changes something must also come from the server's own page (``Origin``) and carry the random session token
that only that page was given.  A path is accepted only when it resolves inside the procedures folder, after
symbolic links.

What this does not keep out, by design: a program running on the same computer can load the page as the browser
does and use its token, but such a program can write the files directly under the clerk's account anyway.  On an
office server (``--host``) anyone who can reach the address can edit: serve it only inside the office network or
behind its login, as the editors' guide says.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

SAFE_METHODS = frozenset({"GET", "HEAD"})
TOKEN_HEADER = "X-Banshi-Token"


@dataclass(frozen=True)
class Guard:
    """The checks of one editor session, served at ``hosts`` (such as ``127.0.0.1:8765`` and ``localhost:8765``)."""

    hosts: frozenset[str]
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @classmethod
    def local(cls, port: int) -> Guard:
        return cls(frozenset({f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}))

    def refusal(self, method: str, headers: Mapping[str, str]) -> str | None:
        """Why a request is refused, in Chinese; None when it is accepted."""
        lowered = {name.lower(): value for name, value in headers.items()}
        if lowered.get("host", "") not in self.hosts:
            return "请求的主机名不是编辑器自己的地址"
        if method.upper() in SAFE_METHODS:
            return None
        origin = lowered.get("origin")
        if origin is None or origin.removeprefix("http://") not in self.hosts:
            return "请求不是来自编辑器自己的页面"
        sent = lowered.get(TOKEN_HEADER.lower(), "").encode("utf-8", "replace")
        if not hmac.compare_digest(sent, self.token.encode()):
            return "会话令牌不对：请重新打开编辑器页面"
        return None


def inside(folder: Path, relative: str) -> Path | None:
    """The file ``relative`` names inside ``folder`` (after symbolic links), or None when it would be outside."""
    if not relative or relative.startswith(("/", "\\")) or "\x00" in relative:
        return None
    root = folder.resolve()
    try:
        target = (root / relative).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop
        return None
    return target if target.is_relative_to(root) and target != root else None

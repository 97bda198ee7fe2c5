"""The editor's server accepts requests only from its own page, and paths only inside the procedures folder."""

from __future__ import annotations

from pathlib import Path

from generator.edit.guard import TOKEN_HEADER, Guard, inside

GUARD = Guard.local(8765)
OWN = {"Host": "127.0.0.1:8765", "Origin": "http://127.0.0.1:8765", TOKEN_HEADER: GUARD.token}


def test_the_own_page_may_read_and_write() -> None:
    assert GUARD.refusal("GET", {"Host": "localhost:8765"}) is None
    assert GUARD.refusal("POST", OWN) is None


def test_another_site_cannot_write_or_rebind_a_name_to_the_server() -> None:
    assert GUARD.refusal("POST", {**OWN, TOKEN_HEADER: "guessed"}) == "会话令牌不对：请重新打开编辑器页面"
    assert GUARD.refusal("POST", {**OWN, "Origin": "https://evil.example"}) == "请求不是来自编辑器自己的页面"
    no_origin = {k: v for k, v in OWN.items() if k != "Origin"}
    assert GUARD.refusal("PUT", no_origin) == "请求不是来自编辑器自己的页面"
    assert GUARD.refusal("GET", {"Host": "evil.example:8765"}) == "请求的主机名不是编辑器自己的地址"  # DNS rebinding
    assert GUARD.refusal("POST", {**OWN, "Host": "evil.example"}) is not None
    assert Guard.local(8765).token != GUARD.token and len(GUARD.token) >= 40  # a new random token per session


def test_paths_stay_inside_the_procedures_folder(tmp_path: Path) -> None:
    procedures = tmp_path / "procedures"
    (procedures / "zjj").mkdir(parents=True)
    (procedures / "zjj" / "sgxk.yml").write_text("name: x\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    (procedures / "zjj" / "link.yml").symlink_to(tmp_path / "secret.txt")
    assert inside(procedures, "zjj/sgxk.yml") == (procedures / "zjj" / "sgxk.yml").resolve()
    for bad in ("../secret.txt", "/etc/passwd", "zjj/../../secret.txt", "zjj/link.yml", "", ".", "a\x00b"):
        assert inside(procedures, bad) is None, bad

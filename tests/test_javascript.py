"""The site's JavaScript held to the same standard as the Python: a linter and a layout check (ESLint, pinned in
tests/package.json), and unit tests of the search worker's excerpts and highlights on the inputs that break them:
characters outside the BMP, regular-expression characters in the query, and titles and texts written to attack.

The worker runs under Node with the browser's own file (tests/search_worker_units.js); its answers are checked here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT

SCRIPTS = ROOT / "site_templates/overrides/assets/javascripts"
WORKER = SCRIPTS / "search-worker.js"
UNITS = ROOT / "tests/search_worker_units.js"
NODE_MODULES = ROOT / "tests/node_modules"
ESLINT = NODE_MODULES / "eslint/bin/eslint.js"
ESLINT_CONFIG = ROOT / "tests/eslint.config.mjs"
PACKAGE = json.loads((ROOT / "tests/package.json").read_text(encoding="utf-8"))


def node() -> str:
    found = shutil.which("node")
    assert found, "Node.js is needed to test the site's JavaScript: run bash .ci/setup"
    return found


# ESLint -----------------------------------------------------------------------------------------------------------


def eslint(*args: str, stdin: str | None = None) -> list[dict[str, Any]]:
    """ESLint's JSON report, run from the repository root with tests/eslint.config.mjs."""
    assert ESLINT.is_file(), "ESLint is missing from tests/node_modules: run bash .ci/setup (npm ci --prefix tests)"
    done = subprocess.run(
        [node(), str(ESLINT), "--config", str(ESLINT_CONFIG), "--format", "json", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 2: ESLint itself failed (config, crash)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def problems(report: list[dict[str, Any]]) -> list[str]:
    return [
        f"{Path(r['filePath']).relative_to(ROOT)}:{m.get('line', 0)}:{m.get('column', 0)}: "
        f"{m['message']} ({m.get('ruleId')})"
        for r in report
        for m in r["messages"]
    ]


def test_the_tools_are_pinned_and_installed() -> None:
    for name, version in PACKAGE["devDependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} {version}: pin an exact version in tests/package.json"
    installed = json.loads((NODE_MODULES / "eslint/package.json").read_text(encoding="utf-8"))["version"]
    assert installed == PACKAGE["devDependencies"]["eslint"], "tests/node_modules is stale: run bash .ci/setup"


def test_the_site_javascript_passes_eslint() -> None:
    files = sorted([*SCRIPTS.glob("*.js"), *(ROOT / "generator/edit/static").glob("*.js")])  # the editor's too
    assert WORKER in files
    report = eslint(*(str(f.relative_to(ROOT)) for f in files))
    assert sorted(Path(r["filePath"]) for r in report) == files  # every file linted, none ignored
    found = problems(report)
    assert not found, "ESLint (tests/eslint.config.mjs) finds:\n" + "\n".join(found)


def test_eslint_does_find_problems() -> None:
    """The configuration applies to the site's scripts: mistakes, layout and syntax newer than ES2015 are caught."""
    bad = '(function () {\n  "use strict";\n  var unused = 1\n  if (window.name == "x") alert(undefinedName);\n})();\n'
    stdin = ["--stdin", "--stdin-filename", str((SCRIPTS / "example.js").relative_to(ROOT))]
    rules = {m.get("ruleId") for m in eslint(*stdin, stdin=bad)[0]["messages"]}
    assert {"no-unused-vars", "no-undef", "eqeqeq", "@stylistic/semi"} <= rules
    newer = '(function () {\n  "use strict";\n  window.x = window.y?.z;\n})();\n'
    assert "Parsing error" in eslint(*stdin, stdin=newer)[0]["messages"][0]["message"]


# The search worker --------------------------------------------------------------------------------------------------

Result = list[list[dict[str, str]]]
"""The groups a query brings up, each a list of {location, title, text}, best first."""


def search(cases: list[tuple[list[dict[str, Any]], str]]) -> list[Result]:
    """The worker's answer to each (docs, query)."""
    payload = json.dumps([{"docs": docs, "query": query} for docs, query in cases])
    done = subprocess.run(
        [node(), str(UNITS), str(WORKER)], input=payload, capture_output=True, text=True, check=True, cwd=ROOT
    )
    answers: list[Any] = json.loads(done.stdout)
    for (_, query), answer in zip(cases, answers, strict=True):
        assert not isinstance(answer, dict), f"the worker throws on {query!r}: {answer['error']}"
    return answers


MARK = re.compile(r"<mark data-md-highlight>([^<]*)</mark>")
HALF = re.compile("[\ud800-\udfff]")


def read(html: str) -> tuple[str, list[str]]:
    """The plain text of a title or text the worker rendered, and the texts it marked. Fails unless the HTML is
    escaped text with nothing but <p>, <br> and <mark data-md-highlight> in it, and no half of a surrogate pair."""
    assert not HALF.search(html), f"half a character in {html!r}"
    bare = re.sub(r"</?p>|<br>", "", MARK.sub(r"\1", html))
    assert not re.search("[<>\"']", bare), f"not escaped: {html!r}"
    assert not re.search(r"&(?!(amp|lt|gt|quot|#39);)", bare), f"not escaped: {html!r}"
    return unescape(bare), [unescape(m) for m in MARK.findall(html)]


def page(location: str, title: str, text: str = "") -> dict[str, Any]:
    """A hand-written page (its text is shown as an excerpt)."""
    return {"location": location, "title": title, "text": text}


def item(location: str, title: str, text: str = "", **banshi: Any) -> dict[str, Any]:
    """An item page, with its searchable names."""
    return {"location": location, "title": title, "text": text, "banshi": banshi}


def excerpt_of(html: str, text: str) -> tuple[str, list[str]]:
    """A page's rendered excerpt, checked to be one piece of ``text`` of at most 80 characters."""
    assert html.startswith("<p>") and html.endswith("</p>"), html
    plain, marks = read(html)
    piece = plain.removeprefix("…").removesuffix("…")
    assert piece in text and len(piece) <= 80, plain
    return piece, marks


ASTRAL = [
    page("astral/", "𠀀字😀证明办理👨‍👩‍👧登记👍🏽", "说明𠀀字"),
    page("other/", "普通页面", "无关"),
]


@pytest.mark.parametrize("query", ["𠀀", "😀", "😀证", "𠀀字😀", "👨‍👩‍👧", "👍🏽", "登记👍🏽"])
def test_characters_outside_the_bmp_are_found_and_highlighted_whole(query: str) -> None:
    [found] = search([(ASTRAL, query)])
    assert [g[0]["location"] for g in found] == ["astral/"]
    title, marks = read(found[0][0]["title"])
    assert title == ASTRAL[0]["title"]
    assert marks == [query]


def test_a_lone_surrogate_in_the_query_never_splits_a_character() -> None:
    """A JavaScript string, and so a query, can hold half of a pair; no highlight may cut a pair in two."""
    queries = ["\ud840", "\udc00", "\ud83d", "\ude00", "证\ud83d", "\udc68\u200d"]
    for query, found in zip(queries, search([(ASTRAL, q) for q in queries]), strict=True):
        for group in found:
            for doc in group:
                title, marks = read(doc["title"])
                assert title in (d["title"] for d in ASTRAL), query
                assert marks == [], query
                read(doc["text"])


@pytest.mark.parametrize("before", [0, 1, 19, 20, 21, 40, 59, 60, 61, 79, 80, 100, 139])
def test_excerpts_cut_between_characters_never_inside_one(before: int) -> None:
    text = "😀" * before + "办理目标" + "𠀀👍🏽" * 60 + "尾"
    [found] = search([([page("long/", "长页面", text)], "目标")])
    piece, marks = excerpt_of(found[0][0]["text"], text)
    assert "办理目标" in piece
    assert marks == ["目标"]


@pytest.mark.parametrize(
    ("text", "query", "marked"),
    [
        ("İ" * 50 + "y" * 50 + "办理目标" + "z" * 100, "目标", "目标"),  # İ is two characters in lower case
        ("说明" * 50 + "ABC申请表" + "尾" * 50, "abc申请表", "ABC申请表"),
    ],
)
def test_the_excerpt_shows_the_term_found(text: str, query: str, marked: str) -> None:
    [found] = search([([page("long/", "长页面", text)], query)])
    piece, marks = excerpt_of(found[0][0]["text"], text)
    assert marked in piece
    assert marked in marks


METACHARACTERS = [*".*+?()[]{}|\\^$", ".*+?()[]{}|\\^$", "$&", "$1", "a.b", "(c)", "[^a]", "\\d+"]


def test_regular_expression_characters_in_a_query_are_plain_characters() -> None:
    docs = [page(f"m{i}/", f"表{q}格", "说明" + q * 2) for i, q in enumerate(METACHARACTERS)]
    docs.append(page("plain/", "普通表格abd", "说明1234 a.b.c"))
    answers = search([(docs, q) for q in METACHARACTERS])
    for i, (query, found) in enumerate(zip(METACHARACTERS, answers, strict=True)):
        title = f"表{query}格"
        pages = [g[0]["location"] for g in found]
        assert pages[0] == f"m{i}/", (query, pages)
        # others only where the query's characters really occur
        assert all(query in next(d["title"] + d["text"] for d in docs if d["location"] == p) for p in pages), query
        assert read(found[0][0]["title"]) == (title, [query])
        text, marks = read(found[0][0]["text"])
        assert text == "说明" + query * 2
        assert "".join(marks) == query * 2


def test_regular_expression_characters_in_two_terms() -> None:
    docs = [page("m/", "a.b(c)说明", "第[1]条和第{2}条")]
    [found] = search([(docs, "a.b(c) [1] {2}")])
    assert read(found[0][0]["title"]) == ("a.b(c)说明", ["a.b(c)"])
    assert read(found[0][0]["text"]) == ("第[1]条和第{2}条", ["[1]", "{2}"])


HOSTILE = [
    page(
        "evil/",
        "<script>alert('标题')</script>社保卡",
        "<img src=x onerror=alert(1)> 说明 \"引号\" '单引号' & &amp; &lt;b&gt; </p><p>" + "填充" * 40 + "社保卡 script",
    ),
    item(
        "items/evil/",
        '<b onmouseover="alert(1)">社保卡</b>申领',
        "<svg onload=alert(1)>摘要",
        aliases=["<i>社保</i>卡别名", "社保卡"],
        result='"><script>alert(2)</script>',
    ),
]
HOSTILE_QUERIES = [
    "社保卡",
    "script",
    "<script>",
    "onerror",
    '"',
    "'",
    "&",
    "&amp;",
    "<",
    ">",
    "社保 script",
    "alert(2)",
]


def test_hostile_titles_and_texts_come_out_as_escaped_text() -> None:
    titles = {d["location"]: d["title"] for d in HOSTILE}
    texts = {d["location"]: d["text"] for d in HOSTILE}
    answers = search([(HOSTILE, q) for q in HOSTILE_QUERIES])
    for query, found in zip(HOSTILE_QUERIES, answers, strict=True):
        assert found, query
        terms = {t.lower() for t in query.split()}
        for group in found:
            for doc in group:
                title, marks = read(doc["title"])
                assert title == titles[doc["location"]], query
                assert {m.lower() for m in marks} <= terms, query
                if doc["location"] == "evil/":
                    excerpt_of(doc["text"], texts["evil/"])
                else:
                    text, marks = read(doc["text"])
                    assert text.startswith(texts["items/evil/"]), query
                    assert {m.lower() for m in marks} <= terms, query


def test_a_marked_quote_or_ampersand_is_escaped_inside_the_mark() -> None:
    [found] = search([(HOSTILE, "<script>")])
    title = next(d["title"] for g in found for d in g if d["location"] == "evil/")
    assert title == "<mark data-md-highlight>&lt;script&gt;</mark>alert(&#39;标题&#39;)&lt;/script&gt;社保卡"


@pytest.mark.parametrize("query", ["amp", "lt", "gt", "quot", "#39", "mark", "data-md-highlight", "highlight"])
def test_a_query_never_matches_the_escaping_or_the_markup(query: str) -> None:
    docs = [page("plain/", "甲 & 乙", "丙 < 丁 > 戊 \" 己 ' 庚")]
    [found] = search([(docs, query)])
    assert found == []


def test_a_note_is_shown_once_when_two_terms_match_it() -> None:
    docs = [item("items/card/", "居民证件换领", "摘要", aliases=["社保卡"])]
    [found] = search([(docs, "社保 保卡")])
    text, _ = read(found[0][0]["text"])
    assert text == "摘要又称：社保卡"

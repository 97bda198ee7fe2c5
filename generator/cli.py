"""Command line: ``python -m generator <command>``.

Every command is a thin shell over library functions that the tests and the
MkDocs plugin call too.  Problems of the data are located diagnostics (exit
status 1); misuse and problems of the set-up are one Chinese sentence (exit
status 2).  No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from .contract.jsonschema import SCHEMA_FOLDER, editor_schema
from .diagnostics import format_diagnostics, has_errors, summary
from .load import load
from .model import FILES, Catalog
from .read.files import display_path
from .speed.memory import collector_paused

PROCEDURES = Path("procedures")
RECORDS = "records"
"""The case records' folder inside the procedures folder, unless told otherwise."""
USAGE = 2
INVALID = 1


class Usage(Exception):
    """A misuse or a set-up problem; the message is the one sentence shown."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE, f"错误：命令参数有误（{message}）。运行 python -m generator --help 查看用法。\n")


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # a terminal that cannot show a character gets an escape
    parser = _parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        return command(args)
    except Usage as problem:
        print(f"错误：{problem}", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m generator", description="办事指南生成器")

    def usage(_: argparse.Namespace) -> int:
        parser.print_help()
        return USAGE

    parser.set_defaults(command=usage)
    commands = parser.add_subparsers(title="命令", parser_class=_Parser)

    validate = commands.add_parser("validate", help="校验 procedures/ 下的 YAML 文件")
    validate.add_argument("paths", nargs="*", type=Path, help="只报告这些文件（默认全部）")
    validate.add_argument("--format", choices=["text", "json", "github"], default="text")
    validate.add_argument("--procedures", type=Path, default=PROCEDURES)
    validate.set_defaults(command=cmd_validate)

    schema = commands.add_parser("schema", help="写出（或用 --check 检查）JSON Schema")
    schema.add_argument("--check", action="store_true", help="只检查，文件过期时退出码为 1")
    schema.add_argument("--procedures", type=Path, default=PROCEDURES)
    schema.set_defaults(command=cmd_schema)

    render = commands.add_parser("render", help="生成 Markdown + SVG 页面树，不调用 MkDocs")
    render.add_argument("--out", type=Path, required=True)
    render.add_argument("--procedures", type=Path, default=PROCEDURES)
    render.add_argument("--content", type=Path, default=Path("content"), help="手写页面文件夹（默认 content）")
    render.set_defaults(command=cmd_render)

    diff = commands.add_parser("diff", help="列出两个 git 版本之间对公众有影响的变化（Markdown）")
    diff.add_argument("base", help="比较的起点，如 origin/main")
    diff.add_argument("head", nargs="?", default="HEAD", help="比较的终点（默认 HEAD）")
    diff.add_argument("--procedures", type=Path, default=PROCEDURES)
    diff.set_defaults(command=cmd_diff)

    owners = commands.add_parser("codeowners", help="根据各部门 reviewers 写出（或用 --check 检查）CODEOWNERS")
    owners.add_argument("--check", action="store_true", help="只检查，文件过期时退出码为 1")
    owners.add_argument("--procedures", type=Path, default=PROCEDURES)
    owners.set_defaults(command=cmd_codeowners)

    new = commands.add_parser("new", help="为部门新建一个带注释的事项模板")
    new.add_argument("department", help="部门文件夹名，如 zjj")
    new.add_argument("item", help="事项 id（文件名），如 sgxk-bg")
    new.add_argument("--procedures", type=Path, default=PROCEDURES)
    new.set_defaults(command=cmd_new)

    export = commands.add_parser("export", help="导出事项表格（省级事项管理系统）或页面片段（省级平台栏目）")
    export.add_argument("--national", type=Path, metavar="OUT", help="写出 CSV、XLSX 和 JSON 的文件夹")
    export.add_argument("--fragments", type=Path, metavar="OUT", help="写出每个事项的 HTML 片段、JSON 和样式表的文件夹")
    export.add_argument("--base-url", help="片段中链接的网站地址（https；默认 site.yml 的 identity.base_url）")
    export.add_argument("--procedures", type=Path, default=PROCEDURES)
    export.set_defaults(command=cmd_export)

    imports = commands.add_parser("import", help="从事项管理系统导出的表格（CSV 或 XLSX）生成事项 YAML")
    imports.add_argument("files", nargs="+", type=Path, help="事项表、申请材料表、办理环节表（CSV 或 XLSX）")
    imports.add_argument("--out", type=Path, required=True, help="写出事项 YAML 的文件夹（如 procedures）")
    imports.add_argument("--partial", action="store_true", help="有的行出错时，仍写出没有错误的行")
    imports.add_argument("--force", action="store_true", help="覆盖 --out 中已有的事项文件（默认列出它们并停止）")
    imports.set_defaults(command=cmd_import)

    check = commands.add_parser("check", help="按政府网站检查指标自查已构建的网站，写出报告；有单项否决时退出码为 1")
    check.add_argument("--site", type=Path, default=Path("site"), help="已构建的网站（默认 site/）")
    check.add_argument("--procedures", type=Path, default=PROCEDURES)
    check.set_defaults(command=cmd_check)

    records = commands.add_parser("records", help="办件记录（效能公开的数据）")
    records_commands = records.add_subparsers(title="子命令", parser_class=_Parser)
    rows = records_commands.add_parser("check", help="检查服务系统导出的办件记录和效能投诉表，逐行报告问题")
    rows.add_argument("--records", type=Path, default=None, help="办件记录文件夹（默认 procedures/records）")
    rows.add_argument("--procedures", type=Path, default=PROCEDURES)
    rows.add_argument("--format", choices=["text", "json", "github"], default="text")
    rows.set_defaults(command=cmd_records_check)

    def records_usage(_: argparse.Namespace) -> int:
        records.print_help()
        return USAGE

    records.set_defaults(command=records_usage)

    edit = commands.add_parser("edit", help="在浏览器中用表单修改事项（本机服务，只接受本机页面的请求）")
    edit.add_argument("--procedures", type=Path, default=Path("procedures"))
    edit.add_argument("--host", default="127.0.0.1", help="监听的地址；默认只在本机（127.0.0.1）")
    edit.add_argument("--port", type=int, default=8765)
    edit.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="办公室服务器上同事在浏览器中输入的主机名（可写多次），如 --host 0.0.0.0 --allow-host bianji.zwfw.local",
    )
    edit.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    edit.add_argument(
        "--submit",
        choices=("disk", "gitlab", "agit", "github"),
        default="disk",
        help="提交到哪里：disk 直接写入文件（默认）；gitlab 用推送选项建合并请求；"
        "agit 推送到 Gitea/Forgejo 的 refs/for/（无需写权限）；github 推送分支并打开建拉取请求的页面",
    )
    edit.add_argument("--remote", default="origin", help="推送到的远程仓库（默认 origin）")
    edit.add_argument("--target", default="main", help="审核合并到的分支（默认 main）")
    edit.set_defaults(command=cmd_edit)

    build = commands.add_parser("build", help="校验并原子地构建网站到 site/（事项文件夹取自 mkdocs.yml）")
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    build.add_argument("--site-dir", type=Path, default=None)
    build.set_defaults(command=cmd_build)
    return parser


def _procedures(path: Path) -> Path:
    """The procedures folder, or a :class:`Usage` problem that says what to do."""
    if not path.is_dir():
        what = "不是文件夹" if path.exists() else "不存在"
        raise Usage(f"事项文件夹 {path} {what}；请在仓库根目录运行，或用 --procedures 指定事项文件夹。")
    return path


def cmd_validate(args: argparse.Namespace) -> int:
    root: Path = args.procedures
    paths = [p for p in args.paths if p.resolve() != root.resolve()]
    if len(paths) == 1 and paths[0].is_dir() and not (paths[0] / "department.yml").exists():
        root, paths = paths[0], []
    _procedures(root)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise Usage(f"找不到 {'、'.join(missing)}。")
    base = Path.cwd()
    only = _expand(paths, base)
    with collector_paused():
        result = load(root, base, only)
    output = format_diagnostics(result.diagnostics, args.format)
    if output:
        print(output)
    if args.format == "text":
        print(summary(result.diagnostics, len(only) or result.files), file=sys.stderr)
    return INVALID if has_errors(result.diagnostics) else 0


def _expand(paths: list[Path], base: Path) -> list[str]:
    """Display paths of the given files, folders expanded to the YAML files in them."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    return [display_path(f, base) for f in files]


def cmd_schema(args: argparse.Namespace) -> int:
    folder = _procedures(args.procedures) / SCHEMA_FOLDER
    stale = []
    for name, record in FILES.items():
        target = folder / f"{name}.schema.json"
        text = editor_schema(name, record)
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(display_path(target, Path.cwd()))
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    stale += _write_mapping(_procedures(args.procedures).parent / "README.md", args.check)
    return _stale(stale, args.check, "python -m generator schema 更新 JSON Schema 和 README 中的国家要素对应表")


def _write_mapping(readme: Path, check: bool) -> list[str]:
    """The README's national mapping table, from the exchange columns (when the README has its markers)."""
    from .workflow.exchange import with_mapping_table

    if not readme.is_file():
        return []
    text = readme.read_text(encoding="utf-8")
    updated = with_mapping_table(text)
    if updated == text:
        return []
    if not check:
        readme.write_text(updated, encoding="utf-8")
    return [display_path(readme, Path.cwd())]


def _stale(paths: Sequence[object], check: bool, remedy: str) -> int:
    """Report written or stale generated files; with --check, stale files fail."""
    for path in paths:
        print(f"{path}: {'已过期' if check else '已写入'}", file=sys.stderr)
    if check and paths:
        print(f"请运行 {remedy}。", file=sys.stderr)
        return INVALID
    return 0


def _catalog(procedures: Path) -> Catalog | None:
    """The valid catalog, or None after printing why there is none."""
    with collector_paused():
        result = load(_procedures(procedures), Path.cwd())
    if result.catalog is None or has_errors(result.diagnostics):
        print(format_diagnostics(result.diagnostics, "text"), file=sys.stderr)
        return None
    return result.catalog


def cmd_render(args: argparse.Namespace) -> int:
    from .render.graphviz import ChartError
    from .render.site import write_tree
    from .speed.generate import Generation, generate
    from .speed.progress import Progress
    from .workflow.history import collect

    catalog = _catalog(args.procedures)
    if catalog is None:
        return INVALID
    generation = Generation(history=collect(args.procedures), cache=Path(".cache"))
    try:
        site = generate(catalog, args.procedures, generation, Progress.silent())
    except ChartError as error:
        raise Usage(str(error)) from None
    count = write_tree(site, args.out, args.content if args.content.is_dir() else None)
    print(f"已写入 {count} 个文件到 {args.out}", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .mkdocs.build import BuildFailed, build_site

    try:
        site_dir = build_site(args.config, args.site_dir)
    except BuildFailed as failure:
        print(str(failure), file=sys.stderr)
        print("构建失败：原有网站保持不变。", file=sys.stderr)
        return failure.status
    print(f"网站已生成：{site_dir}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """The self-check: exit 1 on a veto item (单项否决)."""
    from datetime import date

    from .workflow.inspect import RULES, inspect, write

    site: Path = args.site
    if not (site / "index.html").is_file():
        raise Usage(f"{site} 中没有构建好的网站；请先运行 python -m generator build。")
    catalog = _catalog(args.procedures)
    if catalog is None:
        return INVALID
    report = inspect(site, catalog)
    folder = write(report, site, catalog.site, date.today())
    verdict = "合格" if report.passed else "不合格"
    print(f"网站自检：{verdict}（单项否决 {len(report.vetoes)} 项；其余指标得分 {report.score}/100）")
    for finding in report.vetoes:
        print(f"  单项否决 · {RULES[finding.rule][0]}：{finding.page}：{finding.detail}")
    scored = [f for f in report.findings if not f.veto]
    for finding in scored[:20]:
        print(f"  扣分 · {RULES[finding.rule][0]}：{finding.page}：{finding.detail}")
    if len(scored) > 20:
        print(f"  另有 {len(scored) - 20} 个扣分项，见报告。")
    print(f"报告：{folder / 'report.md'}、{folder / 'report.json'}")
    return 0 if report.passed else INVALID


def cmd_records_check(args: argparse.Namespace) -> int:
    """Exit 1 when any row or file is wrong (a build would leave the rows out, or stop for a file)."""
    from .records import read_records
    from .records.figures import count_text, rate, rate_text

    procedures = _procedures(args.procedures)
    folder: Path = args.records or procedures / RECORDS
    if not folder.is_dir():
        raise Usage(f"办件记录文件夹 {folder} 不存在；请用 --records 指定。")
    catalog = _catalog(procedures)
    if catalog is None:
        return INVALID
    result = read_records(folder, catalog, Path.cwd())
    diagnostics = result.diagnostics
    if diagnostics:
        print(format_diagnostics(diagnostics, args.format))
    totals, p = result.aggregates, result.performance
    if totals is not None and p is not None and args.format == "text":
        print(
            f"读取了 {totals.files} 个文件、{totals.rows:,} 行；{p.start:%Y-%m}—{p.end:%Y-%m}："
            f"办件 {count_text(p.site.received)} 件，"
            f"按时办结率 {rate_text(rate(p.site, 'on_time', p.minimum))}；"
            f"{totals.rejected:,} 行有误未计入。",
            file=sys.stderr,
        )
    return INVALID if has_errors(diagnostics) else 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .workflow.changes import report
    from .workflow.git import GitError
    from .workflow.history import diff

    try:
        comparison = diff(_procedures(args.procedures), args.base, args.head)
    except GitError as error:
        raise Usage(f"无法比较 {args.base} 和 {args.head}：{error}") from None
    print(report(comparison.changes, args.base, args.head, comparison.unreadable), end="")
    return 0


def cmd_codeowners(args: argparse.Namespace) -> int:
    from .workflow.codeowners import write

    catalog = _catalog(args.procedures)
    if catalog is None:
        return INVALID
    stale = write(catalog, Path.cwd(), display_path(args.procedures, Path.cwd()), args.check)
    return _stale(stale, args.check, "python -m generator codeowners 更新审核人文件")


def cmd_new(args: argparse.Namespace) -> int:
    from .workflow.scaffold import ScaffoldError, scaffold

    try:
        new = scaffold(_procedures(args.procedures), args.department, args.item, Path.cwd())
    except ScaffoldError as error:
        raise Usage(str(error)) from None
    new.path.write_text(new.text, encoding="utf-8")
    shown = display_path(new.path, Path.cwd())
    print(f"已写入 {shown}。请填写其中的“【请填写：……】”，再运行 python -m generator validate {shown}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .workflow.exchange import tables, write

    if not args.national and not args.fragments:
        raise Usage("请用 --national OUT（事项表格）或 --fragments OUT（页面片段）指定要导出什么。")
    catalog = _catalog(args.procedures)
    if catalog is None:
        return INVALID
    if args.national:
        written = write(tables(catalog, args.procedures, Path.cwd()), args.national)
        print(
            f"已写入 {len(catalog.procedures)} 个事项：{'、'.join(p.name for p in written)}（{args.national}）",
            file=sys.stderr,
        )
    if args.fragments:
        _export_fragments(args, catalog)
    return 0


def _export_fragments(args: argparse.Namespace, catalog: Catalog) -> None:
    from .render.graphviz import ChartError
    from .workflow.fragments import write_fragments
    from .workflow.history import collect

    base = args.base_url or (catalog.site.identity.base_url if catalog.site.identity else None)
    if not base or not base.startswith("https://"):
        raise Usage("片段需要网站的 https 地址：用 --base-url 指定，或写在 site.yml 的 identity.base_url 中。")
    try:
        write_fragments(catalog, args.procedures, args.fragments, base, collect(args.procedures))
    except ChartError as error:
        raise Usage(str(error)) from error
    print(f"已写入 {len(catalog.procedures)} 个事项的页面片段（{args.fragments}）", file=sys.stderr)


def cmd_edit(args: argparse.Namespace) -> int:
    from .edit.server import Editor, run
    from .edit.submit import Target

    procedures = _procedures(args.procedures).resolve()
    editor = Editor(
        procedures,
        Path.cwd().resolve() if procedures.is_relative_to(Path.cwd().resolve()) else procedures.parent,
        Target(args.submit, args.remote, args.target),
    )
    try:
        for address in run(editor, args.host, args.port, not args.no_browser, args.allow_host):
            print(f"编辑器已启动：{address}（按 Ctrl+C 停止）", file=sys.stderr)
    except OSError as error:
        raise Usage(
            f"无法在 {args.host}:{args.port} 启动编辑器（{error.strerror or error}）；请用 --port 换一个端口"
        ) from error
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .workflow.exchange import items_from_tables, read_tables, targets, write_items

    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        raise Usage(f"找不到 {'、'.join(missing)}。")
    sheets, problems = read_tables(args.files, Path.cwd())
    items, row_problems, unmapped = items_from_tables(sheets)
    problems += row_problems
    if problems:
        print(format_diagnostics(problems, "text"))
    if not sheets:
        looked_at = "、".join(display_path(p, Path.cwd()) for p in args.files)
        print(f"导入失败：没有可以导入的表格，没有写出任何文件。查看过的文件：{looked_at}", file=sys.stderr)
        return INVALID
    for column in unmapped:
        print(f"未能对应的列（没有导入）：{column}", file=sys.stderr)
    failed_rows = {(d.file, d.line) for d in problems if d.severity == "error"}
    if failed_rows and not args.partial:
        print(
            f"导入失败：{len(failed_rows)} 处有错误，没有写出任何文件（用 --partial 只写出没有错误的行）。",
            file=sys.stderr,
        )
        return INVALID
    try:
        paths = targets(items, args.out)
    except ValueError as outside:
        print(f"导入失败：{outside} 会写到 {args.out} 之外（链接？），没有写出任何文件。", file=sys.stderr)
        return INVALID
    existing = [p for p in paths if p.exists()]
    if existing and not args.force:
        listed = "\n".join(f"  {p}" for p in existing)
        print(
            f"导入失败：以下 {len(existing)} 个文件已经存在，没有写出任何文件（确认要覆盖时加 --force）：\n{listed}",
            file=sys.stderr,
        )
        return INVALID
    write_items(items, paths)
    print(f"已写入 {len(paths)} 个事项到 {args.out}。", file=sys.stderr)
    if failed_rows:
        rows = "、".join(f"{file} 第 {line} 行" for file, line in sorted(failed_rows))
        print(f"以下行有错误，没有写出：{rows}", file=sys.stderr)
        return INVALID
    return 0

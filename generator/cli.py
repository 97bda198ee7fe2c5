"""Command line: ``python -m generator <command>``.

Every command is a thin shell over library functions that the tests and the
MkDocs plugin call too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .diagnostics import format_diagnostics, has_errors, summary
from .formats import SCHEMA_PATH, SCHEMAS, json_schema
from .validate import display_path, load

PROCEDURES = Path("procedures")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.command
    return command(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="办事指南生成器")

    def usage(_: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    parser.set_defaults(command=usage)
    commands = parser.add_subparsers(title="命令")

    validate = commands.add_parser("validate", help="校验 procedures/ 下的 YAML 文件")
    validate.add_argument("paths", nargs="*", type=Path, help="只报告这些文件（默认全部）")
    validate.add_argument("--format", choices=["text", "json", "github"], default="text")
    validate.add_argument("--procedures", type=Path, default=PROCEDURES)
    validate.set_defaults(command=cmd_validate)

    schema = commands.add_parser("schema", help="写出（或用 --check 检查）JSON Schema")
    schema.add_argument("--check", action="store_true", help="只检查，文件过期时退出码为 1")
    schema.set_defaults(command=cmd_schema)

    render = commands.add_parser("render", help="生成 Markdown + SVG 页面树，不调用 MkDocs")
    render.add_argument("--out", type=Path, required=True)
    render.add_argument("--procedures", type=Path, default=PROCEDURES)
    render.set_defaults(command=cmd_render)

    build = commands.add_parser("build", help="校验并原子地构建网站到 site/")
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    build.add_argument("--site-dir", type=Path, default=None)
    build.set_defaults(command=cmd_build)
    return parser


def cmd_validate(args: argparse.Namespace) -> int:
    root: Path = args.procedures
    paths = [p for p in args.paths if p.resolve() != root.resolve()]
    if len(paths) == 1 and paths[0].is_dir() and not (paths[0] / "department.yml").exists():
        root, paths = paths[0], []
    base = Path.cwd()
    only = _expand(paths, base)
    result = load(root, base, only)
    output = format_diagnostics(result.diagnostics, args.format)
    if output:
        print(output)
    if args.format == "text":
        print(summary(result.diagnostics, len(only) or result.files), file=sys.stderr)
    return 1 if has_errors(result.diagnostics) else 0


def _expand(paths: list[Path], base: Path) -> list[str]:
    """Display paths of the given files, folders expanded to the YAML files in them."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    return [display_path(f, base) for f in files]


def cmd_schema(args: argparse.Namespace) -> int:
    stale = []
    for name in SCHEMAS:
        target = Path(SCHEMA_PATH) / f"{name}.schema.json"
        text = json_schema(name)
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(target)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    for target in stale:
        verb = "已过期" if args.check else "已写入"
        print(f"{target}: {verb}", file=sys.stderr)
    if args.check and stale:
        print("请运行 python -m generator schema 更新 JSON Schema。", file=sys.stderr)
        return 1
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from .site import render_tree

    result = load(args.procedures, Path.cwd())
    if result.catalog is None:
        print(format_diagnostics(result.diagnostics, "text"), file=sys.stderr)
        return 1
    count = render_tree(result.catalog, args.procedures, args.out, content=Path("content"))
    print(f"已写入 {count} 个文件到 {args.out}", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildFailed, build_site

    try:
        site_dir = build_site(args.config, args.site_dir)
    except BuildFailed as failure:
        print(str(failure), file=sys.stderr)
        print("构建失败：原有网站保持不变。", file=sys.stderr)
        return 1
    print(f"网站已生成：{site_dir}", file=sys.stderr)
    return 0

"""Regenerate the demo departments' blank forms and filled-in samples (procedures/*/forms/*.pdf), on A4 paper.

    .venv/bin/python -m tests.tools.blank_forms

Each form is a small HTML table printed to PDF by headless Chromium with the
page size A4, so the validator's A4 check (form_not_a4) passes on the demo.
The forms are fictional (演示数据).
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]

FORMS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "mzj/forms/jhdj-shengming.pdf": (
        "申请结婚登记声明书",
        [
            ("本人姓名", ""),
            ("性别", ""),
            ("出生日期", ""),
            ("身份证件号码", ""),
            ("国籍", ""),
            (
                "本人声明",
                "本人无配偶，与对方当事人没有直系血亲和三代以内旁系血亲关系，了解对方当事人的身体健康状况。"
                "以上声明如有虚假，愿承担法律责任。",
            ),
            ("声明人签名（在婚姻登记员面前签署）", ""),
            ("日期", ""),
        ],
    ),
    "scjg/forms/qykb-sqs.pdf": (
        "企业设立登记申请书",
        [(k, "") for k in ("企业名称", "住所", "法定代表人", "注册资本（万元）", "企业类型", "经营范围")]
        + [(k, "") for k in ("股东（发起人）", "联系人及电话", "申请日期")],
    ),
    "scjg/forms/spjy-sqs.pdf": (
        "食品经营许可申请书",
        [
            (k, "")
            for k in (
                "经营者名称",
                "统一社会信用代码",
                "法定代表人（负责人）",
                "经营场所",
                "主体业态",
                "经营项目",
                "食品安全管理人员",
                "联系电话",
                "申请日期",
            )
        ],
    ),
    "zjj/forms/sgxk-sqb.pdf": (
        "建筑工程施工许可证申请表",
        [
            (k, "")
            for k in (
                "建设单位（盖章）",
                "工程名称",
                "建设地址",
                "建设规模（平方米）",
                "合同价格（万元）",
                "施工单位",
                "监理单位",
                "合同工期",
                "建设工程规划许可证编号",
                "申请日期",
            )
        ],
    ),
    "zrzy/forms/bdc-sqs.pdf": (
        "不动产登记申请书",
        [
            (k, "")
            for k in (
                "申请登记事项",
                "不动产坐落",
                "不动产单元号",
                "权利人名称",
                "证件种类及号码",
                "通讯地址",
                "登记原因",
                "申请证书版式",
                "申请人签章",
                "申请日期",
            )
        ],
    ),
    "zrzy/forms/bdc-sqs-yangbiao.pdf": (
        "不动产登记申请书（示例样表）",
        [
            ("申请登记事项", "国有建设用地使用权及房屋所有权首次登记"),
            ("不动产坐落", "示例市东城区建设路 1 号"),
            ("不动产单元号", "000000 000000 GB00000 F00000000"),
            ("权利人名称", "示例市某某置业有限公司"),
            ("证件种类及号码", "营业执照 91000000MA00000000"),
            ("通讯地址", "示例市东城区建设路 1 号"),
            ("登记原因", "新建房屋竣工"),
            ("申请证书版式", "单一版"),
            ("申请人签章", "（盖章）"),
            ("申请日期", "2026 年 5 月 8 日"),
        ],
    ),
    "zrzy/forms/jsgc-ghxk-sqb.pdf": (
        "建设工程规划许可申请表",
        [
            (k, "")
            for k in (
                "建设单位（盖章）",
                "统一社会信用代码",
                "法定代表人",
                "联系人及电话",
                "项目名称",
                "建设位置",
                "用地面积（平方米）",
                "总建筑面积（平方米）",
                "建设规模及主要内容",
                "设计单位",
                "申请日期",
            )
        ],
    ),
    "zrzy/forms/jsgc-ghxk-sqb-yangbiao.pdf": (
        "建设工程规划许可申请表（示例样表）",
        [
            ("建设单位（盖章）", "示例市某某置业有限公司"),
            ("统一社会信用代码", "91000000MA00000000"),
            ("法定代表人", "张某某"),
            ("联系人及电话", "李某 0000-0000000"),
            ("项目名称", "示例市某某花园二期"),
            ("建设位置", "示例市东城区建设路以北"),
            ("用地面积（平方米）", "25000"),
            ("总建筑面积（平方米）", "68000"),
            ("建设规模及主要内容", "住宅 12 栋及配套"),
            ("设计单位", "某某建筑设计研究院有限公司"),
            ("申请日期", "2026 年 3 月 2 日"),
        ],
    ),
    "zrzy/forms/jsyd-ghxk-sqb.pdf": (
        "建设用地规划许可申请表",
        [
            (k, "")
            for k in (
                "申请单位（盖章）",
                "统一社会信用代码",
                "项目名称",
                "项目批准（核准、备案）文号",
                "用地位置",
                "拟用地面积（平方米）",
                "用地性质",
                "申请日期",
            )
        ],
    ),
}

PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{title}</title><style>
@page {{ size: A4; margin: 25mm 22mm; }}
body {{ font-family: "Noto Serif CJK SC", serif; font-size: 12pt; color: #000; }}
h1 {{ text-align: center; font-size: 20pt; letter-spacing: .1em; margin: 0 0 8mm; }}
{sample}
table {{ width: 100%; border-collapse: collapse; }}
th, td {{ border: 1px solid #000; padding: 4mm 3mm; vertical-align: top; text-align: left; }}
th {{ width: 38%; font-weight: 700; }}
p {{ font-size: 9pt; margin-top: 6mm; }}
</style><h1>{title}</h1>{note}<table>{rows}</table><p>示例市政务服务（演示数据）。本表可复印使用。</p></html>"""


def page(title: str, rows: list[tuple[str, str]]) -> str:
    sample = "示例样表" in title
    return PAGE.format(
        title=html.escape(title),
        sample=".note { color: #b71c1c; font-weight: 700; text-align: center; }" if sample else "",
        note='<div class="note">示例样表：仅供填写参考，请勿直接提交。</div>' if sample else "",
        rows="".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows),
    )


def main() -> None:
    with sync_playwright() as p, tempfile.TemporaryDirectory() as folder:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        tab = browser.new_page()
        for relative, (title, rows) in FORMS.items():
            source = Path(folder) / "form.html"
            source.write_text(page(title, rows), encoding="utf-8")
            tab.goto(source.as_uri())
            tab.pdf(path=str(ROOT / "procedures" / relative), format="A4", prefer_css_page_size=True)
            print(relative)
        browser.close()


if __name__ == "__main__":
    main()

"""The contract with the departments: every key of site.yml, department.yml and items.

Key names are part of the public format: add keys, never rename them.
"""

from __future__ import annotations

import json
from typing import Any

from .schema import (
    Boolean,
    Choice,
    Field,
    Integer,
    ListOf,
    MapOf,
    Record,
    Required,
    Text,
    date,
    duration,
    ident,
    owner,
    relpath,
    url,
)

SCHEMA_PATH = "procedures/schema"
"""Where the JSON Schemas are written, relative to the repository root."""

DEFAULT_ITEM_TYPES = (
    "行政许可",
    "行政确认",
    "行政裁决",
    "行政给付",
    "行政奖励",
    "行政备案",
    "其他行政权力",
    "公共服务",
)
AUDIENCES = ("自然人", "企业法人", "事业法人", "社会组织法人", "非法人企业", "行政机关", "其他组织")
PERSONAL_AUDIENCES = ("自然人",)
ONLINE_LEVELS = ("全程网办", "部分网办", "不支持")
KINDS = ("即办件", "承诺件")


def _optional(spec: Any) -> Field:
    return Field(spec, required=False)


CONTACT = Record(
    "联系方式",
    "电话、电子邮箱、地址、网上渠道，至少填写一项。",
    {
        "phone": _optional(Text("电话", "如 0000-12345678 或 12345。", 50)),
        "email": _optional(Text("电子邮箱", "", 100)),
        "address": _optional(Text("地址", "信函或来访地址。", 200)),
        "online": _optional(url("网上渠道", "网上投诉或咨询入口，仅限 http/https 网址。")),
    },
)

SITE = Record(
    "站点设置",
    "全站设置：地区名称、效能投诉中心、事项类型和节假日更正。",
    {
        "region": Field(Text("地区名称", "如 示例市。", 50)),
        "title": Field(Text("网站名称", "显示在每页页眉。", 50)),
        "complaint_center": Field(Text("效能投诉中心", "全市效能投诉中心的名称。", 100)),
        "complaint": Field(CONTACT),
        "review": Field(Text("行政复议", "行政复议机关及联系方式，写入滞办反馈告知书。", 300)),
        "litigation": Field(Text("行政诉讼", "有管辖权的人民法院，写入滞办反馈告知书。", 300)),
        "item_types": _optional(
            ListOf(
                "事项类型",
                "允许的事项类型及其编码；不填时使用国家默认的八类。",
                Record(
                    "事项类型",
                    "",
                    {
                        "name": Field(Text("类型名称", "如 行政许可。", 20)),
                        "code": _optional(Text("类型编码", "如 01。", 10)),
                    },
                ),
                min_items=1,
            )
        ),
        "reviewers": _optional(
            ListOf(
                "全站审核人",
                "修改全站设置、模板、程序和流水线须经其批准的账号或团队，如 @org/maintainers。",
                owner("全站审核人"),
                min_items=1,
            )
        ),
        "calendar": _optional(
            Record(
                "节假日更正",
                "国务院放假通知发布后、日历数据更新前的本地更正。",
                {
                    "years": _optional(
                        ListOf(
                            "补录年份",
                            "日历数据包尚未收录、已按国务院放假通知在此补录的年份，如 2027。",
                            Integer("补录年份", ""),
                        )
                    ),
                    "holidays": _optional(ListOf("放假日期", "YYYY-MM-DD。", date("放假日期"))),
                    "workdays": _optional(ListOf("调休上班日期", "YYYY-MM-DD。", date("调休上班日期"))),
                },
            )
        ),
    },
)

POSITION = Record(
    "岗位",
    "职能到岗、职责到人。",
    {
        "title": Field(Text("岗位名称", "如 受理窗口。", 50)),
        "duties": Field(Text("岗位职责", "本岗位在办理中负责什么。", 500)),
        "accountability": Field(Text("过错责任", "未履行职责时承担的责任。", 500)),
    },
)

DEPARTMENT = Record(
    "部门",
    "一个部门的联系方式、效能投诉渠道、审核人和岗位表。",
    {
        "name": Field(Text("部门全称", "如 示例市自然资源和规划局。", 100)),
        "short_name": Field(Text("部门简称", "如 市自然资源规划局。", 30)),
        "address": Field(Text("办公地址", "", 200)),
        "hours": Field(Text("办公时间", "如 工作日 9:00—12:00，13:30—17:00。", 200)),
        "phone": Field(Text("咨询电话", "", 50)),
        "website": _optional(url("门户网站", "仅限 http/https 网址。")),
        "complaint": Field(CONTACT),
        "reviewers": Field(
            ListOf(
                "审核人",
                "修改本部门文件须经其批准的代码托管账号，如 @zrzy-zhangsan。",
                owner("审核人"),
                min_items=1,
            )
        ),
        "positions": Field(MapOf("岗位表", "岗位 id 到岗位的映射；岗位 id 用小写字母。", POSITION)),
    },
)

BASIS = Record(
    "设定依据",
    "",
    {
        "law": Field(Text("法律法规", "如《中华人民共和国行政许可法》。", 200)),
        "article": Field(Text("条款", "如 第四十条。", 200)),
        "url": _optional(url("原文链接", "仅限 http/https 网址。")),
    },
)

MATERIAL = Record(
    "申请材料",
    "一次性告知单中的一项。",
    {
        "name": Field(Text("材料名称", "", 200)),
        "required": Field(Required("是否必需", "true 表示必须提交；否则写明需要提交的情形，如 委托办理的。")),
        "original": Field(Integer("原件份数", "需提交或核验的原件份数。")),
        "copies": Field(Integer("复印件份数", "")),
        "source": _optional(Text("来源渠道", "如 申请人自备、政府部门核发。", 200)),
        "form": _optional(relpath("空白表格", "本部门文件夹内的路径，如 forms/申请表.pdf。")),
        "sample": _optional(relpath("示例样表", "本部门文件夹内的路径。")),
        "notes": _optional(Text("填报须知", "", 500)),
    },
)

FEE = Record(
    "收费项目",
    "",
    {
        "item": Field(Text("收费项目", "", 200)),
        "standard": Field(Text("收费标准", "", 300)),
        "basis": Field(Text("收费依据", "", 300)),
    },
)

OUTCOME = Record(
    "办理结论",
    "互斥的分支之一。",
    {
        "when": Field(Text("情形", "出现此结论的条件；不予受理、不予许可时即为书面告知的理由。", 300)),
        "result": Field(
            Text(
                "结论",
                "补正、不予受理、不予许可，或下一步骤的 id。",
                64,
                examples=("补正", "不予受理", "不予许可"),
            )
        ),
    },
)

STEP = Record(
    "办理环节",
    "",
    {
        "id": Field(ident("步骤 id", "本事项内唯一，如 shouli。")),
        "name": Field(Text("环节名称", "如 受理。", 30)),
        "position": _optional(Text("办理岗位", "本部门岗位 id，或 其他部门/岗位 表示并联审批的协办部门。", 130)),
        "time": _optional(duration("办理时限", "本环节的时限。end 步骤可省略，表示不计时。")),
        "does": _optional(Text("办理内容", "本环节审查或办理什么。", 500)),
        "next": _optional(
            ListOf(
                "下一步",
                "一个步骤 id；写成列表表示并联分支，全部完成后汇合。",
                ident("下一步"),
                1,
                True,
            )
        ),
        "outcomes": _optional(ListOf("办理结论", "互斥的分支。", OUTCOME, min_items=1)),
        "special": _optional(Boolean("特别程序", "听证、检验、专家评审等，时间不计入办结时限。")),
        "end": _optional(Text("办结", "结束流程的步骤写 end: 办结。", 20)),
    },
)

ITEM = Record(
    "办事事项",
    "一个办事事项的办事指南。",
    {
        "code": Field(Text("实施编码", "全站唯一。", 64)),
        "name": Field(Text("事项名称", "", 100)),
        "type": Field(Text("事项类型", "site.yml 中定义的类型之一。", 20, examples=DEFAULT_ITEM_TYPES)),
        "audience": Field(ListOf("服务对象", "", Choice("服务对象", "", AUDIENCES), 1)),
        "kind": Field(Choice("办件类型", "即办件 或 承诺件。", KINDS)),
        "basis": Field(ListOf("设定依据", "至少一条。", BASIS, 1)),
        "conditions": Field(ListOf("受理条件", "至少一条。", Text("受理条件", "", 500), 1)),
        "materials": Field(ListOf("申请材料", "一次性告知的完整清单。", MATERIAL)),
        "time_limits": Field(
            Record(
                "办结时限",
                "",
                {
                    "statutory": Field(duration("法定办结时限")),
                    "committed": Field(duration("承诺办结时限", "不得超过法定办结时限。")),
                },
            )
        ),
        "fees": _optional(ListOf("收费", "不填或留空表示不收费。", FEE)),
        "visits": Field(Integer("到办事现场次数", "")),
        "online": Field(
            Record(
                "网上办理",
                "",
                {
                    "level": Field(Choice("网上办理深度", "", ONLINE_LEVELS)),
                    "url": _optional(url("网上办理网址", "除 不支持 外必填。")),
                },
            )
        ),
        "place": _optional(Text("办理地点", "不填时使用部门地址。", 200)),
        "hours": _optional(Text("办理时间", "不填时使用部门办公时间。", 200)),
        "consult": _optional(Text("咨询方式", "不填时使用部门咨询电话。", 200)),
        "complaint": _optional(CONTACT),
        "commitments": _optional(ListOf("服务承诺", "", Text("服务承诺", "", 300))),
        "result": Field(Text("审批结果", "如 建设工程规划许可证。", 100)),
        "steps": Field(ListOf("办理流程", "第一个步骤是起点。", STEP, 2)),
    },
)

SCHEMAS = {"site": SITE, "department": DEPARTMENT, "item": ITEM}


def json_schema(name: str) -> str:
    """The JSON Schema of one file kind, as stable, pretty JSON."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{name}.schema.json",
        **SCHEMAS[name].json_schema(),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"

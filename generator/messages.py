"""The one catalogue of validation messages, in one house style.

A message states what was expected, quotes the value and lists the allowed
choices or offers "did you mean".  The field (key path and its Chinese title)
is printed before the message by :mod:`generator.diagnostics`.  Every entry is
produced by at least one fixture under ``tests/fixtures/invalid/``
(``tests/test_invalid_fixtures.py`` checks this).

Values quoted in a message are shown on one line: line breaks and control
characters appear as escapes, so a diagnostic is always one line and never
writes a control character to a terminal.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

MESSAGES: dict[str, str] = {
    # files and folders
    "procedures_missing": "找不到事项文件夹 {value}",
    "not_a_folder": "{value} 不是文件夹",
    "site_missing": "缺少 site.yml；全站设置写在 procedures/site.yml",
    "department_missing": '文件夹 "{value}" 中没有 department.yml；请先建立部门',
    "bad_name": '"{value}" 不能用作{what}：只能使用小写字母、数字和连字符（-），并以字母开头',
    "symlink": "不接受符号链接；请把文件或文件夹本身放在这里",
    "not_regular_file": "不是普通文件（可能是文件夹、管道或设备）",
    "unreadable": "无法读取：{reason}",
    # encoding, syntax and shape of the file
    "too_large": "文件有 {size} 字节，超过 1 MiB 的上限；请拆分事项或删去无关内容",
    "gbk": "文件似乎是 GBK 编码，请另存为 UTF-8",
    "not_utf8": "文件不是 UTF-8 编码（第 {offset} 个字节无法解码），请另存为 UTF-8",
    "tab_indent": "缩进中有制表符（Tab）；YAML 只能用空格缩进",
    "syntax": "{problem}",
    "too_deep": "嵌套超过 {limit} 层；事项文件不需要这么深的结构",
    "empty": "文件是空的；每个文件应包含一个 YAML 映射",
    "multi_document": '一个文件只能有一个 YAML 文档；请删去多余的 "---" 分隔线',
    "anchor": '不允许使用锚点 "&{name}"；请直接写出内容',
    "alias": '不允许使用别名 "*{name}"；请直接写出内容',
    "merge_key": '不允许使用合并键 "<<"；请直接写出内容',
    "duplicate_key": '键 "{name}" 重复出现（第一次在第 {first} 行）；每个键只能写一次',
    "non_string_key": "键必须是文字，而不是 {got}",
    # types and shapes
    "unknown_key": "未知的键{hint}",
    "missing_key": "缺少必填项：请写出{label}（{name}）",
    "expected_mapping": "应为映射（键: 值），实际是{got}",
    "expected_list": '应为列表（每项以 "- " 开头），实际是{got}',
    "expected_text": "应为文字，实际是{got}",
    "expected_int": "应为 {minimum} 到 {maximum} 之间的整数，实际是 {value}",
    "expected_bool": "应为 true 或 false，实际是 {value}",
    "expected_required": '应为 true、false，或写明需要提交的情形（如 "委托办理的"），实际是 {value}',
    "empty_fees": "收费不能写空列表；不收费时写 不收费，收费时列出收费项目",
    "expected_fees": "应为 不收费，或收费项目的列表（每项写 item、standard，可写 basis），实际是 {value}",
    "empty_text": "不能为空",
    "control_character": "含有不可见的控制字符 {char}（第 {offset} 个字）；请删去",
    "too_long": "文字过长（{length} 字），上限为 {limit} 字",
    "too_few": "至少需要 {min} 项",
    "not_in_choices": '"{value}" 不是允许的取值；可选：{choices}{hint}',
    "bad_duration": '"{value}" 不是可识别的时限；可写作：{forms}',
    "bad_id": '"{value}" 不是合法的标识；只能使用小写字母、数字和连字符（-），并以字母开头',
    "bad_code": '"{value}" 不是合法的实施编码；只能使用字母、数字、点、下划线和连字符',
    "bad_url": '"{value}" 不是 http 或 https 网址（网址中不能有空格、引号或尖括号）',
    "bad_date": '"{value}" 不是存在的日期；请写作 YYYY-MM-DD，如 2026-10-01',
    "placeholder": '还是模板中的占位内容 "{value}"，请换成实际内容',
    "bad_owner": '"{value}" 不是代码托管平台的账号或团队（如 @zhangsan、@org/team）或电子邮箱',
    "bad_path": '"{value}" 不是本部门文件夹内的相对路径',
    "bad_phone": (
        '"{value}" 不是一个电话号码：{why}。几个号码或带文字的写法请分别写在 contacts 中'
        "（如 label: 监督、phone: 0316-7868512）"
    ),
    "bad_email": '"{value}" 不是电子邮箱地址',
    "bad_result": '"{value}" 不是办理结论；可写 补正、退件、不予受理、不予许可、不予登记等“不予……”，或下一步骤的 id',
    "bad_position_ref": '"{value}" 不是岗位 id；本部门岗位写 岗位id，其他部门的岗位写 部门/岗位id',
    "bad_https": '"{value}" 不是 https 网址；政府网站的公开网址应使用 HTTPS',
    "bad_area_code": '"{value}" 不是长途区号；写 0 加两三位数字，如 0316、010',
    "bad_site_code": '"{value}" 不是政府网站标识码；应为十位数字，部门网站为 bm 加八位数字',
    "bad_icp": '"{value}" 不是 ICP 备案号；写法如 京ICP备05070218号 或 京ICP备05070218号-1',
    "bad_police": '"{value}" 不是公安机关备案号；写法如 京公网安备 11010202000001号',
    "bad_item_ref": '"{value}" 不是事项；写 部门文件夹/事项文件名（不含 .yml），如 rsj/sbk',
    "bad_material_ref": (
        '"{value}" 不是事项中的材料；写 部门文件夹/事项文件名：材料名称，如 gaj/csdj：父母双方居民身份证'
    ),
    # semantic checks
    "badge_missing": '标识图片 "{value}" 不存在（应位于 procedures 文件夹内）',
    "badge_not_image": '"{value}" 不是图片文件；党政机关网站标识应为 PNG、JPEG、GIF 或 SVG 图片',
    "unknown_item": '"{value}" 不是已有的事项：procedures/{value}.yml 不存在{hint}',
    "duplicate_code": '实施编码 "{value}" 已被 {other} 使用；实施编码在全站必须唯一',
    "unknown_position": '"{value}" 不是本部门或其他部门已定义的岗位{hint}',
    "unknown_department": '"{value}" 不是已定义的部门{hint}',
    "duplicate_step": '步骤 id "{value}" 重复；同一事项内步骤 id 必须唯一',
    "unknown_step": '"{value}" 不是本事项的步骤 id{hint}',
    "many_starts": "有多个起始步骤（{starts}）；流程只能有一个起点",
    "dead_end": '步骤 "{value}" 既没有 next、outcomes，也不是 end 步骤；流程在此中断',
    "no_end": '没有 end 步骤；请添加一个 "end: 办结" 的步骤',
    "end_with_next": "end 步骤不能再有 next 或 outcomes",
    "cycle": '流程有环路（{cycle}）；只有 "补正" 可以退回',
    "unknown_result": (
        '"{value}" 不是本事项的步骤 id；办理结论可写 补正、退件、不予受理、不予许可、不予登记等“不予……”，'
        "或步骤 id：{steps}{hint}"
    ),
    "no_join": "并联分支 {branches} 没有汇合到同一步骤",
    "mixed_days": "同一事项不能混用工作日和自然日（此处为 {value}，而本事项其他时限用的是 {other}）",
    "committed_exceeds_statutory": "承诺时限 {committed} 超过法定时限 {statutory}",
    "committed_later_than_statutory": (
        "按节假日日历计算，承诺时限 {committed} 可能晚于法定时限 {statutory} 到期（如 {date} 受理时）"
    ),
    "duplicate_situation": '情形 id "{value}" 重复；同一事项内情形 id 必须唯一',
    "unknown_situation": '"{value}" 不是本事项的情形 id；本事项的情形：{choices}{hint}',
    "unknown_topic": '"{value}" 不是 site.yml 中列出的主题；可选：{choices}{hint}',
    "duplicate_short_name": (
        '部门简称 "{value}" 已被部门 {other} 使用；页面上按简称区分部门，简称必须唯一（没有简称的部门按全称比较）'
    ),
    "path_exceeds_committed": "关键路径（{path}）合计 {total}，超过承诺时限 {committed}",
    "immediate_not_immediate": (
        "办件类型写的是即办件，承诺时限却是 {value}；照指南原样公布，请核对两处是否都是指南的写法"
    ),
    "bodies_of_region": (
        "部门属于{region}，与全站（{site}）不是同一地区，全站的投诉中心、复议机关和法院不适用于本部门；"
        "本部门没有写{missing}，网站上显示为“未公布”。请按指南补写，或由事项自己写明"
    ),
    "file_missing": '文件 "{value}" 不存在（应位于 {folder} 文件夹内）',
    "bundle_unknown_member": '"{value}" 不是本站的事项：procedures/{value}.yml 不存在（已删除或改名？）{hint}',
    "bundle_duplicate_member": '"{value}" 在成员事项中出现了两次',
    "bundle_cycle": "办理顺序（after）形成循环：{value}",
    "bundle_not_member": '"{value}" 不是本一件事的成员事项',
    "bundle_unknown_material": "成员事项 {value} 中没有名为“{name}”的申请材料",
    "bundle_unknown_provided": "没有哪个成员事项要求“{name}”这份材料；产出的材料写它在后续事项中的名称",
    "bundle_provided_early": (
        "“{name}”由 {other} 产出，但要求它的 {value} 不在 {other} 之后办理：请在 {value} 的 after 中写 {other}，"
        "否则申请人仍要提交它"
    ),
    "bundle_duplicate_situation": '情形 id "{value}" 重复；同一件事内情形 id 必须唯一',
    "bundle_id_reserved": '一件事的文件名 "{value}" 是“高效办成一件事”索引页的网址，不能使用；请换一个文件名',
    "bundle_id_duplicate": '一件事的文件名 "{value}" 已被 {other} 使用（.yml 和 .yaml 不能同名）；请删除或改名其中一个',
    "unknown_type": '"{value}" 不是 site.yml 中定义的事项类型；可选：{choices}{hint}',
    # warnings: what a guide leaves out is published as 未公布
    "form_not_a4": (
        'PDF 文件 "{value}" 的页面是 {size}，不是 A4（210×297 mm）；群众打印时会被缩放或裁切，请另存为 A4 纸张大小'
    ),
    "not_stated": "没有写明{what}；网站上显示为“未公布”，公开完整度相应降低",
    "bundle_situation_without": (
        "本情形办理 {value}，却不办理它须先办结的 {other}：请把 {other} 加入本情形，或说明为何不需要（如已在别处办结）"
    ),
    "bundle_member_in_no_situation": (
        "成员事项 {value} 不在任何办理情形中：选了情形的申请人不会办理它；请把它加入相应情形"
    ),
    "no_aliases": (
        "没有写别名（aliases）；群众常按俗称搜索（如 身份证到期换领、房本），"
        "请写出一两个群众常用的叫法，否则按俗称可能搜不到本事项"
    ),
    "visit_unexplained": (
        "网上办理深度为全程网办，但到现场次数为 {visits} 次；"
        "请在 onsite_reason 写明为什么还要到现场（如 领取实体卡），否则群众会以为两者矛盾"
    ),
    "url_missing": '网上办理深度为 "{level}"，但没有写办理网址 url；网站上显示“入口未公布”',
    "cannot_compare": "无法比较承诺时限 {committed} 和法定时限 {statutory}：{why}",
    "optional_without_condition": '申请材料 "{value}" 写的是非必要；请写明在什么情形下需要提交（如 委托办理的）',
    "catch_all_material": '申请材料 "{value}" 是兜底写法；一次性告知单承诺不再要求清单以外的材料，请逐项列出',
    "situation_unchanged": (
        '情形 "{value}" 与事项本身没有任何不同（没有改写时限、收费、次数或网上办理，也没有专属材料）'
    ),
    "situation_names_other": (
        "这段文字只在情形“{situation}”下显示，却写了“{value}”，那是情形“{other}”的说法；"
        "选择本情形的群众会看到它，请核对是否写错了情形"
    ),
    "contact_empty": '联系渠道 "{label}" 没有写电话、电子邮箱、网址或地址',
    "committed_equals_statutory": "承诺时限与法定时限相同（{value}）；请确认能否压缩",
    "bundle_promise_exceeds": (
        "一件事承诺 {value}，多于各成员事项承诺时限沿办理顺序的合计 {total}；请核对指南（页面两者都显示）"
    ),
    "bundle_material_differs": (
        "同一份材料“{value}”在各成员事项中的要求不同（{detail}）；告知单分别列出各事项的要求，请与各部门核对"
    ),
    "material_without_source": "{count} 项申请材料没有写明来源渠道（source）：{value}；网站上显示为“未公布”",
}


TABLE_MESSAGES: dict[str, str] = {
    # python -m generator import: tables from a 事项管理系统 (tests/test_exchange.py covers every entry)
    "table_encoding": "表格既不是 UTF-8 也不是 GBK 编码，无法读取；请另存为 UTF-8 的 CSV 或 XLSX",
    "table_gbk": "表格是 GBK 编码（Excel 的默认写法），已按 GBK 读取",
    "table_empty": "表格是空的",
    "table_unreadable": "无法读取这个 XLSX 文件（{reason}）；请用 Excel 重新保存",
    "table_unknown": "认不出这是哪张表{sheet}：表头中应有 事项名称、材料名称 或 环节名称",
    "table_too_long": "表格超过 {limit} 行的上限；请按部门拆分后导入",
    "table_formula": "单元格是公式 {value}；请复制后“粘贴为数值”再导入",
    "table_merged": "合并单元格 {cells}；每个单元格只能写一个值，请取消合并",
    "table_missing_column": "{table}表缺少必需的列",
    "table_no_items": "没有找到事项表（表头中应有 事项名称）",
    "table_bad_cell": '"{value}" {reason}',
    "table_invalid_item": "{message}",
    "table_bad_id": '"{value}" 不能用作{what}：只能使用小写字母、数字和连字符（-），并以字母开头',
    "table_reserved_id": '"{value}" 是保留的名字，不能用作{what}',
    "table_duplicate_id": "{value} 已在 {table} 第 {row} 行出现；同一个部门标识和事项标识只能有一行",
    "table_cell_too_big": "单元格超过 {limit} 的上限；事项表中的文字不会这么长，请检查这个单元格",
    "table_too_wide": "表格超过 {limit} 列的上限；请检查是否选错了文件",
    "table_too_big": "文件解压后有 {size}，超过 {limit} 的上限；请按部门拆分后导入",
}

RECORD_MESSAGES: dict[str, str] = {
    # python -m generator records check: the service system's case records (tests/test_records.py covers every entry)
    "records_too_big": "文件有 {size}，超过 {limit} 的上限；请按月拆分导出",
    "records_unpacks_too_big": "XLSX 文件解压后有 {size}，超过 {limit} 的上限；请按月拆分导出",
    "records_empty": "文件是空的，或没有表头",
    "records_unreadable": "无法读取这个文件（{reason}）；请用 Excel 或原系统重新导出",
    "records_encoding": "文件既不是 UTF-8 也不是 GBK 编码，无法读取；请另存为 UTF-8 的 CSV 或 XLSX",
    "records_gbk": "文件是 GBK 编码（Excel 的默认写法），已按 GBK 读取",
    "records_merged": "合并单元格 {cells}；每个单元格只能写一个值，请取消合并后重新保存",
    "records_formula": "单元格是公式 {value}；请复制后“粘贴为数值”再保存",
    "records_unknown_table": "认不出这是哪种表：表头中应有“{case}”（办件记录）或“{complaint}”（效能投诉）",
    "records_missing_column": "缺少必需的列；表头不同时，在 site.yml 的 records.columns 中写明对照",
    "records_personal": "这一列{what}，已忽略，不会读取或公开；办件记录不需要它",
    "records_blank": "这一列每行必填，这里是空的；本行未计入",
    "records_bad_date": (
        '"{value}" 不是可识别的时间，可写 2026-01-05、2026/1/5、2026-01-05 09:30 或 Excel 日期，'
        "年份在 1990—2100 之间；本行未计入"
    ),
    "records_bad_status": (
        '"{value}" 不是办理状态，可写 办结、不予受理、不予许可等“不予……”、退件、撤回、在办；本行未计入'
    ),
    "records_no_finish": "办理状态为“{value}”，却没有办结时间；本行未计入",
    "records_open_finished": "办理状态为“在办”，却写了办结时间；本行未计入",
    "records_finished_before": "办结时间 {value} 早于受理时间 {other}；本行未计入",
    "records_duplicate": '编号 "{value}" 已在 {other} 出现，同一件只能有一行；本行未计入',
    "records_bad_pause": '"{value}" 不是时段，写成 2026-01-06~2026-01-09，几段用分号隔开；本行未计入',
    "records_bad_days": '"{value}" 不是天数（0 至 3660 之间的数）；本行未计入',
    "records_cell_too_big": "单元格超过 128 KiB 的上限，不是办件记录；本行未计入",
    "records_bad_result": '"{value}" 不是投诉结果，可写 属实、部分属实、不属实；本行未计入',
    "records_bad_rating": '"{value}" 不是好差评等级（非常满意、满意、基本满意、不满意、非常不满意），这一评价未计入',
    "records_bad_channel": '"{value}" 不是办理渠道（窗口 或 网上），不计入网办率',
    "records_unknown_code": '实施编码 "{value}" 不是本站的事项（共 {other} 件）：计入办件量，不计入按时办结率',
    "records_unknown_situation": '情形 "{value}" 不是事项 {other} 的情形，按事项的承诺时限计算',
    "records_more": "另有 {count} 行有同样的问题（{kind}），未一一列出",
}


_UNPRINTABLE = re.compile(r"[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def one_line(text: str) -> str:
    """Text with line breaks and control characters written as escapes (``\\n``, ``\\u0085``)."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\u{ord(char):04x}")


def message(code: str, **values: object) -> str:
    """The catalogue's message ``code``, filled with ``values``, on one line."""
    return one_line((MESSAGES.get(code) or TABLE_MESSAGES.get(code) or RECORD_MESSAGES[code]).format(**values))


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ``；是否指 "x"？`` suffix, or an empty string when nothing is close."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f'；是否指 "{close[0]}"？' if close else ""


def quote_choices(choices: Iterable[str]) -> str:
    return "、".join(f'"{c}"' for c in choices)

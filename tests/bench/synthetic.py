"""Realistic synthetic procedures for the benchmark: N items over 40 departments.

Every item has 5–12 steps (some with a parallel branch and a 补正 outcome),
5–15 materials, and time limits that pass validation.  The same seed gives
the same tree.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

from ..conftest import ROOT

DEPARTMENTS = 40
WORDS = "申请 审查 登记 备案 许可 证明 变更 注销 延续 核准 确认 补办 换发 年检 评估 核查 公示 发放 受理 复核".split()  # noqa: SIM905
THINGS = "道路运输 食品经营 药品零售 建筑施工 排污 取水 医疗机构 民办学校 旅馆业 娱乐场所 出版物 广告 林木采伐 危险化学品 特种设备 公共场所 户外广告 燃气经营 养老机构 职业培训".split()  # noqa: SIM905
AUDIENCES = ["自然人", "企业法人", "事业法人", "社会组织法人"]


def site() -> dict[str, object]:
    data = yaml.safe_load((ROOT / "procedures/site.yml").read_text(encoding="utf-8"))
    data["region"], data["title"] = "基准市", "基准市办事指南"
    data.pop("popular", None)  # the demo's items are not in the benchmark
    return data  # type: ignore[no-any-return]


def department(index: int) -> dict[str, object]:
    positions = {
        "chuangkou": ("受理窗口", "接收申请材料并一次性告知。"),
        "shenhe": ("审查岗", "审查申请条件和材料。"),
        "xianchang": ("现场核查岗", "现场核查。"),
        "fuhe": ("科室负责人", "复核审查意见。"),
        "qianfa": ("分管领导", "签发决定。"),
        "xieban": ("协办审查岗", "在并联审批中出具意见。"),
    }
    return {
        "name": f"基准市第{index + 1}局",
        "short_name": f"市{index + 1}局",
        "address": f"基准市人民路 {index + 1} 号市民中心 {index % 5 + 1} 楼",
        "hours": "工作日 上午 9:00—12:00，下午 13:30—17:00",
        "phone": f"0000-{1000000 + index}",
        "complaint": {"phone": f"0000-{2000000 + index}", "email": f"d{index}@example.gov.cn"},
        "reviewers": [f"@bench-d{index}/editors"],
        "positions": {
            pid: {"title": title, "duties": duties, "accountability": "未履行职责的，依法追究责任。"}
            for pid, (title, duties) in positions.items()
        },
    }


def steps(rng: random.Random, count: int, other: str) -> tuple[list[dict[str, object]], int]:
    """A flow of ``count`` steps and its critical-path length in working days."""
    middle = count - 3  # besides 受理, 决定 and 办结
    flow: list[dict[str, object]] = [
        {
            "id": "shouli",
            "name": "受理",
            "position": "chuangkou",
            "time": "1个工作日",
            "does": "查验申请材料，一次性告知需要补正的全部内容。",
            "outcomes": [
                {"when": "材料齐全、符合法定形式", "result": "s1"},
                {"when": "材料不齐全或者不符合法定形式", "result": "补正"},
                {"when": "申请事项不属于本部门职权范围", "result": "不予受理"},
            ],
        }
    ]
    total, index = 1, 1
    while index <= middle:
        days = rng.randint(1, 3)
        parallel = middle - index >= 2 and rng.random() < 0.3
        if parallel:  # s<i> forks to s<i+1> (here) and s<i+2> (another department), joining at s<i+3>
            after = f"s{index + 3}" if index + 3 <= middle else "jueding"
            flow.append(
                {
                    "id": f"s{index}",
                    "name": f"分送{index}",
                    "position": "chuangkou",
                    "time": "即办",
                    "does": "分送并联审查。",
                    "next": [f"s{index + 1}", f"s{index + 2}"],
                }
            )
            flow.append(
                {
                    "id": f"s{index + 1}",
                    "name": f"审查{index + 1}",
                    "position": "shenhe",
                    "time": f"{days}个工作日",
                    "does": "审查。",
                    "next": after,
                }
            )
            flow.append(
                {
                    "id": f"s{index + 2}",
                    "name": f"协办{index + 2}",
                    "position": f"{other}/xieban",
                    "time": f"{days}个工作日",
                    "does": "出具协办意见。",
                    "next": after,
                }
            )
            total += days
            index += 3
        else:
            after = f"s{index + 1}" if index + 1 <= middle else "jueding"
            position = rng.choice(["shenhe", "xianchang", "fuhe"])
            flow.append(
                {
                    "id": f"s{index}",
                    "name": f"审查{index}",
                    "position": position,
                    "time": f"{days}个工作日",
                    "does": "审查申请条件。",
                    "next": after,
                }
            )
            total += days
            index += 1
    flow.append(
        {
            "id": "jueding",
            "name": "决定",
            "position": "qianfa",
            "time": "1个工作日",
            "does": "作出决定。",
            "outcomes": [
                {"when": "符合法定条件", "result": "banjie"},
                {"when": "不符合法定条件", "result": "不予许可"},
            ],
        }
    )
    flow.append(
        {
            "id": "banjie",
            "name": "办结",
            "position": "chuangkou",
            "time": "1个工作日",
            "does": "送达决定。",
            "end": "办结",
        }
    )
    return flow, total + 2


def item(rng: random.Random, number: int, department_index: int) -> dict[str, object]:
    other = f"d{(department_index + 1) % DEPARTMENTS:02d}"
    flow, critical = steps(rng, rng.randint(5, 12), other)
    committed = critical + rng.randint(0, 5)
    thing = rng.choice(THINGS)
    name = f"{thing}{rng.choice(WORDS)}{rng.choice(WORDS)}（第{number}号）"
    return {
        "code": f"BENCH{number:06d}",
        "name": name,
        "aliases": [f"{thing}{rng.choice(['证', '许可证', '备案'])}{number}号"],
        "type": rng.choice(["行政许可", "行政确认", "公共服务", "行政备案"]),
        "audience": rng.sample(AUDIENCES, rng.randint(1, 3)),
        "kind": "承诺件",
        "basis": [{"law": f"《基准市{rng.choice(THINGS)}管理条例》", "article": f"第{rng.randint(1, 60)}条"}],
        "conditions": [f"符合{rng.choice(THINGS)}管理规定的第{k + 1}项条件。" for k in range(rng.randint(2, 5))],
        "materials": [
            {
                "name": f"{rng.choice(THINGS)}{rng.choice(WORDS)}材料{k + 1}",
                "required": True if rng.random() < 0.8 else "委托办理的",
                "original": rng.randint(0, 1),
                "copies": rng.randint(0, 2),
                "source": "申请人自备",
            }
            for k in range(rng.randint(5, 15))
        ],
        "time_limits": {"statutory": f"{committed + rng.randint(1, 15)}个工作日", "committed": f"{committed}个工作日"},
        "fees": "不收费"
        if rng.random() < 0.8
        else [{"item": "工本费", "standard": "10 元/件", "basis": "基准市收费标准"}],
        "visits": rng.randint(0, 2),
        "online": {"level": "全程网办", "url": f"https://zwfw.example.gov.cn/item/{number}"}
        if rng.random() < 0.5
        else {"level": "不支持"},
        "result": f"{name}决定书",
        "onsite_reason": "领取证照原件",
        "steps": flow,
    }


def dump(data: object, path: Path) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_tree(target: Path, items: int, seed: int = 2026) -> Path:
    """Write ``target/procedures`` with ``items`` items; return the procedures folder."""
    rng = random.Random(seed)
    procedures = target / "procedures"
    shutil.rmtree(procedures, ignore_errors=True)
    procedures.mkdir(parents=True)
    dump(site(), procedures / "site.yml")
    shutil.copytree(ROOT / "procedures/identity", procedures / "identity")  # the site's badge
    for d in range(DEPARTMENTS):
        (procedures / f"d{d:02d}").mkdir()
        dump(department(d), procedures / f"d{d:02d}" / "department.yml")
    for number in range(items):
        d = number % DEPARTMENTS
        dump(item(rng, number, d), procedures / f"d{d:02d}" / f"item-{number:05d}.yml")
    return procedures


def make_project(target: Path, items: int, seed: int = 2026) -> Path:
    """A complete project (mkdocs.yml, content/, site_templates/, procedures/) to build."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("content", "site_templates"):
        shutil.rmtree(target / folder, ignore_errors=True)
        shutil.copytree(ROOT / folder, target / folder)
    make_tree(target, items, seed)
    return target

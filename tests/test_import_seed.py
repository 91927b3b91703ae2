"""``rubric import`` of the seed's table, filed as an XLSX, scores like the shipped ruleset.

The XLSX is built in the layout of the seed report's 指标完成情况表 (一级指标 | 二级指标 | 分值 |
三级指标 | 指标完成情况 | 评价标准 | 分值 | 得分; 一级/二级 and the group 分值 merged down), with
every 评价标准 as the report prints it (the extraction's spaces inside words are the cell's
line breaks). The imported ruleset is loaded and every row, subtotal and the total is
scored against the shipped ruleset (rulesets/xiangtan-kgxj-2023) on the seed's facts and
on facts drawn by ``rubric.testing.facts_for``.

The two rulesets name some facts differently (the seed derives 预算调整率 from 预算调整数 and
预算数, names checklist facts and category values by hand, and reads 绩效目标按时完成 as a
date against 2023-12-31 where the criterion only says 按时完成). ``_translate`` carries
each shipped row's input to the imported row's: the same number, the state or item at the
same position, and for the deadline row ``完成日期 ≤ 2023-12-31`` as the yes/no 按时完成.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings

from rubric import evaluate, load_ruleset
from rubric.cli import main
from rubric.facts import UNDEFINED
from rubric.io.facts_file import load_facts_mapping
from rubric.testing import facts_for

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023"

# 评价标准 as the seed report (/work/shared/seeds/000_fc1344094c475667.txt) prints them, in
# table order; a space the extraction left inside a word is the cell's line break.
PRINTED = [
    ("预算调整率=0, 计 5 分; 0-10%(含), 计 4 分; 10-20% (含), 计 3 分; 20-30% (含), 计 2 分; "
     "大于 30% 不得分。"),
    ("基本支出预算控制率≦ 100%, 计 5 分; 100-110% (含), 计 4 分; 110-120% (含), 计 3 分; "
     "120-130% (含), 计 2 分; 大于 130% 不得分。"),
    ("项目支出预算控制率≦ 100%, 计 5 分; 100-110% (含), 计 4 分; 110-120% (含), 计 3 分; "
     "120-130% (含), 计 2 分; 大于 130% 不得分。"),
    "无结余,5分;有结余,但 不超过上年结余,3分;结 余超过上年结余,不得分。",
    "是否分项目核算结余结转,是,5分;否,0分。",
    "以100%为标准。三公经费 控制率≦100%,计5分; 每超过一个百分点扣1分, 扣完为止。",
    ("①已制定或具有预算资金管理办法,内部财务管理制度、会计核算制度等管理制度,3分;"
     "②相关管理制度合法、合规、完整,2分。"),
    "项目支出是否分项目单独 核算,是5;否,0分。",
    "①按规定内容公开预决算信息,3分;②按规定时限公开预决算信息,2分。",
    "达到政府采购要求的是否 进行了政府采购,是,5分; 否,0分。",
    "①已制定或具有资产管理制度,3分;②相关资产管理制度合法、合规、完整,2分。",
    "131人计3分,增减幅度每 超过5%扣1分",
    "8%以上5分;每少10%扣1 分",
    "20 家以上 5 分; 每少 10% 扣 1 分",
    "15 家以上 3 分; 每少 10% 扣 1 分",
    "1家以上2分;每少10%扣 1分",
    "3 家以上 2 分; 每少 10%扣 1 分",
    "628 亿元以上 2 分, 每少 10% 扣 1 分",
    "100人以上5分;每少10% 扣1分",
    "是否完成工作任务,是3分,否0分",
    "按时完成任务 3 分; 否 0 分",
    "是否完成工作任务,是3 分,否0分",
    "社会稳定,环境良好3分",
    "是否完成工作任务,是3 分,否0分",
    "90%以上 3 分, 每降低 1% 扣 1 分",
]

_CJK = r"[\u4e00-\u9fff（）()、,;，；]"


def _as_cell(text: str) -> str:
    """A space between two Chinese characters is where the printed cell wrapped."""
    return re.sub(rf"(?<={_CJK}) (?={_CJK})", "\n", text)


def build_seed_xlsx(path: Path) -> None:
    """The seed's table in its filed layout, merged cells and all."""
    import openpyxl

    seed = load_ruleset(SEED / "ruleset.yaml")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["部门整体支出绩效评价指标完成情况表"])
    ws.append(["一级指标", "二级指标", "分值", "三级指标", "指标完成情况", "评价标准", "分值",
               "得分"])
    printed = iter(PRINTED)
    row = 3
    for top in seed.root.children:
        top_start = row
        for mid in top.children:
            mid_start = row
            for leaf in mid.children:
                ws.append([top.name, mid.name, float(mid.points), leaf.name, leaf.definition or "",
                           _as_cell(next(printed)), float(leaf.points), None])
                row += 1
            for column in (2, 3):
                ws.merge_cells(start_row=mid_start, end_row=row - 1, start_column=column,
                               end_column=column)
        ws.merge_cells(start_row=top_start, end_row=row - 1, start_column=1, end_column=1)
    ws.append(["合计", "", 100, "", "", "", 100, 98])
    wb.save(path)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("seed-import")
    table = folder / "seed.xlsx"
    build_seed_xlsx(table)
    assert main(["import", str(table), "-o", str(folder / "out")]) == 0
    return load_ruleset(folder / "out" / "ruleset.yaml")


@pytest.fixture(scope="module")
def shipped() -> Any:
    return load_ruleset(SEED / "ruleset.yaml")


def _pairs(shipped: Any, imported: Any) -> list[tuple[Any, Any]]:
    a, b = list(shipped.indicators()), list(imported.indicators())
    assert [r.name for r in a] == [r.name or r.id for r in b]
    return list(zip(a, b, strict=True))


def _value(result: Any, name: str) -> Any:
    if name in result.facts:
        return result.facts[name]
    return result.derived.get(name)


def _translate(shipped: Any, imported: Any, facts: dict[str, Any]) -> dict[str, Any] | None:
    """The imported ruleset's facts for the same unit: each row's input carried over
    (None when a rate the seed derives is 0/0, see ``_same``)."""
    result = evaluate(shipped, facts)
    out: dict[str, Any] = {}
    for a, b in _pairs(shipped, imported):
        ra, rb = a.rule, b.rule
        if ra.kind == "checklist":
            for ia, ib in zip(ra.items, rb.items, strict=True):
                if (v := _value(result, ia.fact)) is not None:
                    out[ib.fact] = v
            continue
        (fa,), (fb,) = ra.inputs, rb.inputs
        v = _value(result, fa)
        # A rate the seed derives from two amounts, 0/0: its policy scores the row in full;
        # the draft asks for the rate itself, and a rate 0/0 is nobody's number.
        if v is UNDEFINED:
            return None
        if v is None or not isinstance(v, (Decimal, bool, str, dt.date)):
            continue  # missing (or not applicable) stays missing
        if isinstance(v, Decimal) and v.as_tuple().exponent < -18:  # type: ignore[operator]
            # 1/3 of a budget: a given fact has at most 18 decimal places.
            v = v.quantize(Decimal(1).scaleb(-18))
        if ra.kind == "categorical":
            names = [s.value for s in ra.states]
            out[fb] = rb.states[names.index(v)].value
        elif ra.kind == "deadline" and rb.kind == "boolean":
            out[fb] = v <= ra.deadline if ra.inclusive else v < ra.deadline
        elif isinstance(v, Decimal) and imported.units.get(fb) != shipped.units.get(fa):
            out[fb] = f"{v} {shipped.units.get(fa)}"
        else:
            out[fb] = v
    return out


def _scores(ruleset: Any, facts: dict[str, Any]) -> list[tuple[str, Decimal, Decimal]]:
    result = evaluate(ruleset, facts)
    rows = []

    def walk(node: Any, depth: int) -> None:
        rows.append((node.name if depth else "合计", node.low, node.high))
        for child in node.children:
            walk(child, depth + 1)

    walk(result.total, 0)
    return rows


def _same(shipped: Any, imported: Any, facts: dict[str, Any]) -> None:
    translated = _translate(shipped, imported, facts)
    # A rate the seed derives from two amounts, 0/0: its policy scores the row in full; the
    # draft asks for the rate itself, and 0/0 is no rate anyone can give.
    assume(translated is not None)
    assert translated is not None
    assert _scores(imported, translated) == _scores(shipped, facts)


def test_the_filed_xlsx_imports_every_row(imported: Any, shipped: Any) -> None:
    assert len(list(imported.indicators())) == 25
    assert all(row.rule.kind != "not_assessed" for row in imported.indicators())
    assert imported.root.points == 100
    groups = {g.name or g.id: g.points for g in imported.root.children}
    assert groups == {"过程": 55, "产出与效果": 45}
    kinds_a = [a.rule.kind for a, _ in _pairs(shipped, imported)]
    kinds_b = [b.rule.kind for _, b in _pairs(shipped, imported)]
    # The one row read as another kind: 按时完成任务3分;否0分 names no date (see module doc).
    assert [(x, y) for x, y in zip(kinds_a, kinds_b, strict=True) if x != y] == [
        ("deadline", "boolean")]


def test_the_seed_facts_score_alike(imported: Any, shipped: Any) -> None:
    given = load_facts_mapping(SEED / "facts.yaml")
    facts = {k: v for k, v in given.items() if k in shipped.specs}
    translated = _translate(shipped, imported, facts)
    assert translated is not None
    assert _scores(imported, translated) == _scores(shipped, facts)


_SHIPPED = load_ruleset(SEED / "ruleset.yaml")
_RATES = [(m[1], m[2]) for spec in _SHIPPED.specs.values() if spec.formula
          and (m := re.fullmatch(r"(\S+) / (\S+) \* 100", str(spec.formula)))]


def _no_zero_budget(facts: dict[str, Any]) -> dict[str, Any]:
    """A rate over a zero budget (0/0, or spending against nothing) is what the seed's
    policy settles and the draft cannot be given; the spending is left out instead, so
    both rulesets see the rate missing."""
    out = dict(facts)
    for numerator, denominator in _RATES:
        if out.get(denominator) == 0:
            out.pop(numerator, None)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st_facts=facts_for(_SHIPPED, missing=True).map(_no_zero_budget))
def test_generated_facts_score_alike(st_facts: dict[str, Any]) -> None:
    _same(_SHIPPED, _IMPORTED.get(_SHIPPED), st_facts)


class _Imported:
    """The imported ruleset, built once for the property test (fixtures do not mix with
    ``given`` under function scope)."""

    def __init__(self) -> None:
        self._ruleset: Any = None

    def get(self, shipped: Any) -> Any:
        if self._ruleset is None:
            import tempfile

            folder = Path(tempfile.mkdtemp(prefix="seed-import-"))
            build_seed_xlsx(folder / "seed.xlsx")
            assert main(["import", str(folder / "seed.xlsx"), "-o", str(folder / "out")]) == 0
            self._ruleset = load_ruleset(folder / "out" / "ruleset.yaml")
        return self._ruleset


_IMPORTED = _Imported()

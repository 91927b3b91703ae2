"""``rubric import`` of the seed's table, filed as an XLSX, scores like the shipped ruleset.

The XLSX is built in the layout of the seed report's 指标完成情况表 (its title, then 一级指标 |
二级指标 | 分值 | 三级指标 | 指标解释 | 评价标准 | 分值 | 得分; 一级/二级 and the group 分值 merged
down), with every 评价标准 and 指标解释 as the report prints it (the extraction's spaces inside
words are the cell's line breaks). The report heads its fifth column 指标完成情况 but prints
the 指标解释 in it (the rates' formulas, the definitions of 预决算信息 and 资产管理制度); the
XLSX files them under 指标解释. Rows the report prints no definition for get none.

**With ``--names-from`` the seed's ruleset** (last year's names kept, as policy staff
import next year's table): the imported ruleset reads the seed's ``facts.yaml`` as it is,
loaded with ``load_facts`` against it, and scores every row, subtotal, the total and the
grade exactly like the shipped ruleset (rulesets/xiangtan-kgxj-2023), on those facts and
on facts drawn by ``rubric.testing.facts_for`` for the shipped ruleset, given as they are.

**Without it** the import reads the seed's facts by the seed's own names on 19 of the 25
rows: the four rates are derived from the 指标解释's ``A/B×100%`` exactly as the seed derives
them (预算调整率 = 预算调整数 / 预算数 * 100, …), 绩效目标按时完成 is read as a deadline on
绩效目标完成日期 against 2023-12-31 (the date from the row's name 绩效目标完成时间12月31日前, the
year from the title), the other 14 are named from the criterion or the row. The table
states no unit for the rates' amounts (the seed's 万元), so the draft declares them without
one and a value the seed gives with its unit (``三公经费实际支出数: 3.63 万元``) is given as
the number. The six ``MAPPED`` rows name their facts by hand in the seed (checklist items,
category values, 政府采购执行, 四G…): for those rows only, ``_translate`` carries the shipped
row's input to the imported row's (the state or item at the same position).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from rubric import evaluate, load_ruleset
from rubric.cli import main
from rubric.io.facts_file import load_facts, load_facts_mapping
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

# 指标解释 as the report prints them (the column it heads 指标完成情况 holds them), by row
# index; the other rows print none (the 产出 rows' cells there repeat the 三级指标 name).
# Row 1: the extraction interleaves the 三级指标 cell's words (基本 支出 预算 控制 率) into
# this cell ("基本支出实 预算 际支出/…)   控制   *100%"); they are left out.
DEFINITIONS = {
    0: ("预算调整率=(预算调整数/预算数) ×100%。 预算调整数:部门(单位)在本年度 内涉及预算的"
        "追加、追减或结构调整 的资金总和(因落实国家政策,发生 不可抗力、上级部门或本级党委政府 "
        "临时交办而产生的调整除外)。"),
    1: "基本支出预算控制率=(基本支出实 际支出/基本支出年度总预算) *100%",
    2: "项目支出预算控制率=(项目支出实际支出/项目支出年度总预算) *100%。",
    5: '"三公经费"控制率=("三公经费"实际支出数/"三公经费"预算安排数)×100%。',
    8: "预决算信息是指与部门预算、执行、 决算、监督、绩效等管理相关的信息。",
    10: ("部门(单位)为加强资产管理,规范 资产管理行为而制定的管理制度是 否健全完整、用以反映 "
         "和考核部门(单位)资产管理制度对 完成主要职责或促进社会发展的保 障情况。"),
}

# Rows whose facts the import without ``--names-from`` cannot name as the seed does from
# the table's own text, with the reason; the test carries the seed's input over for these
# rows only. With ``--names-from`` the seed's ruleset names them (see test_names_from_*).
MAPPED = {
    "资金结余": "category values named by hand (未超过上年结余 for 有结余,但不超过上年结余)",
    "管理制度健全性": "checklist item facts named by hand (已制定管理制度, 管理制度合法合规完整)",
    "预决算信息公开": "checklist item facts shortened by hand (按规定内容公开)",
    "政府采购完成情况": "fact named by hand (政府采购执行 for 进行了政府采购)",
    "资产管理制度健全性": "checklist item facts named by hand (已制定资产管理制度, …)",
    "四G和光纤宽带自然村全覆盖": "fact named by hand (四G… for the row's 实现4G…, a name a "
                                 "formula cannot start with a digit)",
}
# The rates the imported ruleset derives from the 指标解释's A/B×100%, as the seed does: the
# amounts' unit is not in the table (declared without one), so a value the seed gives with
# its 万元 is given as the number. With ``--names-from`` the seed's 万元 is declared.
UNIT_UNSTATED = ("预算调整数", "预算数", "基本支出实际支出", "基本支出年度总预算",
                 "项目支出实际支出", "项目支出年度总预算", "三公经费实际支出数",
                 "三公经费预算安排数")

# The table's title as the report prints it: the year of 12月31日前 (row 绩效目标按时完成).
TITLE = "湘潭县科技和工业信息化局 2023 年 部门整体支出绩效评价指标完成情况表"

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
    ws.append([TITLE])
    ws.append(["一级指标", "二级指标", "分值", "三级指标", "指标解释", "评价标准", "分值",
               "得分"])
    printed = iter(PRINTED)
    index = 0
    row = 3
    for top in seed.root.children:
        top_start = row
        for mid in top.children:
            mid_start = row
            for leaf in mid.children:
                ws.append([top.name, mid.name, float(mid.points), leaf.name,
                           _as_cell(DEFINITIONS.get(index, "")), _as_cell(next(printed)),
                           float(leaf.points), None])
                row += 1
                index += 1
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


def _formula_inputs(ruleset: Any, name: str) -> tuple[str, str | None]:
    spec = ruleset.specs[name]
    return name, str(spec.formula) if spec.formula else None


def _reads(ruleset: Any, row: Any) -> list[tuple[str, str | None]]:
    """The facts a row reads, each with the formula it is derived by."""
    rule = row.rule
    names = [i.fact for i in rule.items] if rule.kind == "checklist" else list(rule.inputs)
    return [_formula_inputs(ruleset, n) for n in names]


def _direct(shipped: Any, imported: Any) -> list[tuple[Any, Any]]:
    return [(a, b) for a, b in _pairs(shipped, imported) if a.id not in MAPPED]


def _as_given(spec: Any, name: str, value: Any) -> Any:
    """A value as the imported ruleset takes it: as it is, except an amount of a rate the
    table states no unit for, given as the number in the seed's unit."""
    if name in UNIT_UNSTATED and isinstance(value, str):
        return spec.coerce(value)
    return value


def _translate(shipped: Any, imported: Any, facts: dict[str, Any]) -> dict[str, Any]:
    """The imported ruleset's facts for the same unit: the seed's facts as they are for
    every row but the ``MAPPED`` ones, whose input is carried over."""
    result = evaluate(shipped, facts)
    direct = {n for a, _ in _direct(shipped, imported) for n in _names(shipped, a)}
    out = {k: _as_given(shipped.specs[k], k, v) for k, v in facts.items() if k in direct}
    for a, b in _pairs(shipped, imported):
        if a.id not in MAPPED:
            continue
        ra, rb = a.rule, b.rule
        if ra.kind == "checklist":
            for ia, ib in zip(ra.items, rb.items, strict=True):
                if (v := _value(result, ia.fact)) is not None:
                    out[ib.fact] = v
            continue
        (fa,), (fb,) = ra.inputs, rb.inputs
        v = _value(result, fa)
        if v is None or not isinstance(v, (Decimal, bool, str, dt.date)):
            continue  # missing (or not applicable) stays missing
        if ra.kind == "categorical":
            names = [s.value for s in ra.states]
            out[fb] = rb.states[names.index(v)].value
        else:
            out[fb] = v
    return out


def _names(ruleset: Any, row: Any) -> set[str]:
    """The given facts a row reads (a derived fact's formula inputs in its place)."""
    out: set[str] = set()
    for name, formula in _reads(ruleset, row):
        if formula is None:
            out.add(name)
        else:
            out.update(re.findall(r"[^\W\d]\w*", formula))
    return out


def _scores(ruleset: Any, facts: Any) -> list[tuple[str, Decimal, Decimal]]:
    result = evaluate(ruleset, facts)
    rows = []

    def walk(node: Any, depth: int) -> None:
        rows.append((node.name if depth else "合计", node.low, node.high))
        for child in node.children:
            walk(child, depth + 1)

    walk(result.total, 0)
    return rows


def test_the_filed_xlsx_imports_every_row(imported: Any, shipped: Any) -> None:
    assert len(list(imported.indicators())) == 25
    assert all(row.rule.kind != "not_assessed" for row in imported.indicators())
    assert imported.root.points == 100
    groups = {g.name or g.id: g.points for g in imported.root.children}
    assert groups == {"过程": 55, "产出与效果": 45}
    # Every row is read as the seed's kind: 按时完成任务3分;否0分 under the name
    # 绩效目标完成时间12月31日前 is the deadline 2023-12-31 (the year from the title).
    assert [a.rule.kind for a, _ in _pairs(shipped, imported)] == [
        b.rule.kind for _, b in _pairs(shipped, imported)]
    row = next(r for r in imported.indicators() if r.rule.kind == "deadline")
    assert (row.rule.fact, str(row.rule.deadline), row.rule.inclusive) == (
        "绩效目标完成日期", "2023-12-31", True)


def test_19_rows_read_the_seed_facts_names_and_formulas(imported: Any, shipped: Any) -> None:
    direct = _direct(shipped, imported)
    assert len(direct) == 19
    for a, b in direct:
        assert _reads(imported, b) == _reads(shipped, a), a.id
    # The four rates are derived from the 指标解释's A/B×100%, exactly as the seed does.
    derived = [(a.id, f) for a, _ in direct for _, f in _reads(shipped, a) if f]
    assert [i for i, _ in derived] == ["预算调整率", "基本支出预算控制率", "项目支出预算控制率",
                                       "三公经费控制率"]
    for name in UNIT_UNSTATED:
        assert imported.specs[name].unit is None and shipped.specs[name].unit == "万元"
    for a, b in _pairs(shipped, imported):
        if a.id in MAPPED:
            assert _reads(imported, b) != _reads(shipped, a), a.id


def test_the_seed_facts_score_alike(imported: Any, shipped: Any, tmp_path: Path) -> None:
    import yaml

    given = load_facts_mapping(SEED / "facts.yaml")
    facts = {k: v for k, v in given.items() if k in shipped.specs}
    # The seed's facts.yaml, its entries of the direct rows as they are, loaded against the
    # imported ruleset (the mapped rows' entries carried over).
    raw = yaml.safe_load((SEED / "facts.yaml").read_text(encoding="utf-8"))
    translated = _translate(shipped, imported, facts)
    out = {}
    for name, entry in raw.items():
        if name == "基本信息" or (name in imported.specs and name not in UNIT_UNSTATED):
            out[name] = entry  # as it is, source and all
    for name, value in translated.items():
        out.setdefault(name, value if not isinstance(value, Decimal) else str(value))
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(out, allow_unicode=True), encoding="utf-8")
    as_is = [n for n in raw if n in out and out[n] == raw[n]]
    assert sorted(as_is) == sorted(["基本信息", "规模工业增加值增长率", "新增规模工业企业",
                                    "选派科技特派员"])
    loaded = load_facts(path, imported)
    assert _scores(imported, loaded) == _scores(shipped, load_facts(SEED / "facts.yaml", shipped))


_SHIPPED = load_ruleset(SEED / "ruleset.yaml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st_facts=facts_for(_SHIPPED, missing=True))
def test_generated_facts_score_alike(st_facts: dict[str, Any]) -> None:
    imported = _IMPORTED.get(_SHIPPED)
    assert _scores(imported, _translate(_SHIPPED, imported, st_facts)) == _scores(
        _SHIPPED, st_facts)


class _Imported:
    """The imported ruleset, built once for the property tests (fixtures do not mix with
    ``given`` under function scope); ``options`` are the import's extra arguments."""

    def __init__(self, *options: str) -> None:
        self._options = options
        self._ruleset: Any = None

    def get(self, shipped: Any) -> Any:
        if self._ruleset is None:
            import tempfile

            folder = Path(tempfile.mkdtemp(prefix="seed-import-"))
            build_seed_xlsx(folder / "seed.xlsx")
            assert main(["import", str(folder / "seed.xlsx"), "-o", str(folder / "out"),
                         *self._options]) == 0
            self._ruleset = load_ruleset(folder / "out" / "ruleset.yaml")
        return self._ruleset


_IMPORTED = _Imported()
_NAMED = _Imported("--names-from", str(SEED / "ruleset.yaml"))


# ---------------------------------------------------------- --names-from the seed's ruleset

@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, str, str]:
    """The import with the seed's ruleset as the prior: the ruleset, its text and the
    summary printed."""
    import contextlib
    import io

    folder = tmp_path_factory.mktemp("seed-named")
    table = folder / "seed.xlsx"
    build_seed_xlsx(table)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["import", str(table), "-o", str(folder / "out"),
                     "--names-from", str(SEED / "ruleset.yaml")])
    assert code == 0
    text = (folder / "out" / "ruleset.yaml").read_text(encoding="utf-8")
    return load_ruleset(folder / "out" / "ruleset.yaml"), text, out.getvalue()


def _graded(ruleset: Any, facts: Any) -> tuple[Any, ...]:
    """Every node's score range, the grade and the grades the range spans."""
    result = evaluate(ruleset, facts)
    return (*_scores(ruleset, facts), result.grade, tuple(result.grades))


def test_names_from_reads_every_row_as_the_seed_does(named: Any, shipped: Any) -> None:
    ruleset, _, _ = named
    for a, b in _pairs(shipped, ruleset):
        assert b.rule.kind == a.rule.kind, a.id
        assert _reads(ruleset, b) == _reads(shipped, a), a.id
        if a.rule.kind == "categorical":
            assert [s.value for s in b.rule.states] == [s.value for s in a.rule.states]
    for name in UNIT_UNSTATED:  # the seed's 万元, declared from the prior
        assert ruleset.specs[name].unit == shipped.specs[name].unit == "万元"
    for name, spec in shipped.specs.items():
        mine = ruleset.specs[name]
        assert (mine.type, mine.unit, mine.minimum, mine.maximum) == (
            spec.type, spec.unit, spec.minimum, spec.maximum), name


def test_names_from_reports_each_adopted_name(named: Any) -> None:
    _, text, summary = named
    prior = str(SEED / "ruleset.yaml")
    renamed = {line.split(": ")[1] for line in summary.splitlines()
               if line.startswith(f"  named from {prior}: ")}
    # the six rows the import alone names otherwise (MAPPED), by their imported ids
    assert renamed == {"资金结余", "管理制度健全性", "预决算信息公开性和完善性", "政府采购完成情况",
                       "资产管理制度健全性", "实现4G和光纤宽带自然村全覆盖"}
    assert (f"named from {prior}: 资金结余: 资金结余情况 ← 资金结余; 资金结余情况 states "
            "未超过上年结余 ← 有结余但不超过上年结余、超过上年结余 ← 结余超过上年结余") in summary
    assert f"# named from {prior}: 政府采购执行 ← 进行了政府采购" in text
    assert f"  # declared from {prior}: unit 万元、minimum 0\n  三公经费实际支出数:" in text
    assert "not renamed" not in summary and "CONFLICT" not in summary
    assert "# READING (domain §3.10): “12月31日前”含截止当日（inclusive: true）" in text


def _renamed(rule: Any, like: Any) -> Any:
    """``rule`` with the fact names (and category values) of ``like``."""
    if rule.kind == "checklist":
        return attrs.evolve(rule, items=tuple(attrs.evolve(i, fact=j.fact) for i, j in zip(
            rule.items, like.items, strict=True)))
    changes: dict[str, Any] = {"fact": like.fact}
    if rule.kind == "categorical":
        changes["states"] = tuple(attrs.evolve(s, value=t.value) for s, t in zip(
            rule.states, like.states, strict=True))
    return attrs.evolve(rule, **changes)


def test_names_from_changes_names_only(named: Any, imported: Any) -> None:
    """The criterion decides the rule: with the prior's names the rules are the import's
    own, number for number (the prior's targets, bands and points are never taken)."""
    ruleset, _, _ = named
    rows = list(zip(imported.indicators(), ruleset.indicators(), strict=True))
    assert [(a.id, a.points) for a, _ in rows] == [(b.id, b.points) for _, b in rows]
    for a, b in rows:
        assert _renamed(a.rule, b.rule) == b.rule, a.id


def test_names_from_scores_the_seed_facts_as_they_are(named: Any, shipped: Any) -> None:
    ruleset, _, _ = named
    path = SEED / "facts.yaml"
    got = _graded(ruleset, load_facts(path, ruleset))
    assert got == _graded(shipped, load_facts(path, shipped))
    assert got[0] == ("合计", Decimal("18.00"), Decimal("100.00"))  # ranges: facts missing


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st_facts=facts_for(_SHIPPED, missing=True, units=True))
def test_names_from_scores_generated_facts_as_they_are(st_facts: dict[str, Any]) -> None:
    assert _graded(_NAMED.get(_SHIPPED), st_facts) == _graded(_SHIPPED, st_facts)

"""``parse_criterion``: a 评价标准 read into a checked rule, or the reason it cannot be.

The text is normalised (``lexer``), its whole-criterion phrases read off (``clauses``),
and the recognisers of ``forms`` tried in turn. A parsed rule is then proven: its
mapping, with the fact declarations, is written as a one-row ruleset and loaded by the
ruleset loader (so the rule object is exactly what a ruleset file with that mapping
gives), and ``rubric check`` runs on it; a load error or a check error makes the text
unparsed with that reason. Nothing is guessed: every choice the text leaves open is in
``readings`` and written out in ``restatement``.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import attrs
import yaml

from ..errors import RubricError
from ..io.loader import load_ruleset
from ..tree import Indicator
from ..verify.check import check_ruleset
from .clauses import JUDGEMENT, prepare, split
from .count_bands import read_count_bands
from .draft import clean_name
from .forms import RECOGNISERS, Context, Draft, read_qualitative
from .intervals import Unreadable
from .lexer import GAP, normalise
from .restate import restate
from .vetoes import RowVeto, split_row_veto, table_veto
from .wording import bracketed_formula, metric_echo, trailing_degree

__all__ = ["ParsedCriterion", "parse_criterion", "to_json", "to_yaml"]


@attrs.frozen
class ParsedCriterion:
    """What ``parse_criterion`` read.

    ``rule`` is the rule object (None when unparsed); ``mapping`` the same rule as the
    YAML mapping under ``rule:``; ``facts`` the fact declarations it reads (as under a
    ruleset's ``facts:``); ``readings`` every ambiguous choice made; ``restatement``
    the rule in plain Chinese (parsing it gives the same rule); ``unparsed`` None or
    the reason the text could not be read; ``findings`` the warnings and notes of
    ``rubric check`` on the one-row ruleset; ``text`` the criterion as given. ``row``
    holds the keys that go on the row beside ``rule:`` (``{"veto": {"fact", "text"}}``
    when the text ends in a row's veto, else empty); with them ``rule`` is the
    ``RowOptions`` wrapping the rule ``mapping`` gives, as a ruleset row holding both.
    """

    text: str
    rule: Any = None
    mapping: dict[str, Any] | None = None
    facts: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    readings: tuple[str, ...] = ()
    restatement: str | None = None
    unparsed: str | None = None
    findings: tuple[str, ...] = ()
    row: dict[str, Any] = attrs.field(factory=dict)

    @property
    def ok(self) -> bool:
        return self.unparsed is None

    def ruleset_data(self, row_id: str = "指标") -> dict[str, Any]:
        """A one-row ruleset (as data) holding the parsed rule."""
        if self.mapping is None:
            raise ValueError(f"criterion not parsed: {self.unparsed}")
        return _ruleset(row_id, self.text, self.mapping, self.facts, None, self.row)

    def as_data(self) -> dict[str, Any]:
        """The result as plain data (the CLI's output)."""
        if self.mapping is None:
            return {"criterion": self.text, "unparsed": self.unparsed}
        out: dict[str, Any] = {"criterion": self.text, "rule": self.mapping,
                               "facts": self.facts, "restatement": self.restatement,
                               "readings": list(self.readings)}
        if self.row:
            out = {"criterion": self.text, "rule": self.mapping, **self.row,
                   **{k: v for k, v in out.items() if k not in ("criterion", "rule")}}
        if self.findings:
            out["findings"] = list(self.findings)
        return out


_REFUSE = (
    (re.compile(r"不适用|(?:没有|无|不涉及|未涉及)[^,;]{0,15}?(?:项目|任务|业务|此项|该项|内容)"
                r"[^,;]{0,4}?(?:的|时),?[^,;]{0,8}?(?:按满分(?:计算|计)?|得满分|计满分|不扣分|不考核"
                r"|不参与)"),
     ("文中写了不适用的情形（“{0}”）：不适用不是评分规则，请在事实里给出不适用"
      "（not applicable），再读其余的评价标准")),
    (re.compile(r"加分|奖励分|附加分|另加|加(?:\d+(?:\.\d+)?|[一二两三四五])分"),
     "加分项超出分值的读法需要人工确定"),
    (re.compile(r"择其一|任选"), "二者择其一：请在规则集里用 select: one_of 分组"),
    (re.compile(r"±\s*\d+(?:\.\d+)?%?|正负\s*\d+(?:\.\d+)?%?"),
     "“{0}”是两侧的界限（偏差的绝对值）：rubric 读不出这种写法，请手工建模"),
)


def parse_criterion(text: str, *, points: Any = None, fact: str | None = None,
                    unit: str | None = None) -> ParsedCriterion:
    """Read one 评价标准 into a rule (see docs/criteria.md).

    ``points`` is the row's 分值 when the text does not state it; ``fact`` names the
    fact the rule reads (default: the metric the text names); ``unit`` the fact's unit.
    """
    pts = None if points is None else Decimal(str(points))
    ctx = Context(pts, fact or None, unit or None)
    try:
        draft, notes, veto = _read(text, ctx)
    except Unreadable as exc:
        return ParsedCriterion(text, unparsed=str(exc))
    readings = notes + draft.readings
    facts = draft.facts
    row_keys: dict[str, Any] = {}
    restatement = restate(draft.mapping, facts)
    if veto is not None:
        if draft.mapping["kind"] == "categorical":
            return ParsedCriterion(text, unparsed=f"末句“{veto.text}”可能是状态之一，也可能是否决："
                                   "读不出是哪一种，请手工建模")
        if veto.fact in facts:
            return ParsedCriterion(text, unparsed=f"否决的条件“{veto.fact}”也是本行规则读的事实："
                                   "否决要读一个自己的是否事实，请手工建模")
        facts = {**facts, veto.fact: {"type": "boolean"}}
        row_keys = {"veto": {"fact": veto.fact, "text": veto.text}}
        readings.append(f"“{veto.text}”是本行的否决：“{veto.fact}”是一个是否事实，为是时本行计0分"
                        f"（不论规则得分），为否时按规则计分，未给出时本行是从0分起的区间")
        restatement = f"{restatement}；{veto.text}"
    try:
        ruleset = load_ruleset(to_json(_ruleset("指标", text, draft.mapping, facts, pts,
                                                row_keys), compact=True),
                               filename="<parse>")
    except RubricError as exc:
        return ParsedCriterion(text, unparsed=f"读出的规则不能加载：{exc}")
    row = ruleset.node("指标")
    assert isinstance(row, Indicator)
    # One row is not a table: its total is not the policy's 100.
    found = [f for f in check_ruleset(ruleset) if f.code != "total"]
    errors = [f.message for f in found if f.severity == "error"]
    if errors:
        return ParsedCriterion(text, unparsed="读出的规则未通过 rubric check：" + "；".join(errors))
    return ParsedCriterion(
        text, rule=row.rule, mapping=draft.mapping, facts=facts, readings=tuple(readings),
        restatement=restatement, row=row_keys,
        findings=tuple(f"{f.severity}: {f.message}" for f in found))


def _read(text: str, ctx: Context) -> tuple[Draft, list[str], RowVeto | None]:
    if not text or not text.strip():
        raise Unreadable("评价标准是空的")
    degree_notes: list[str] = []
    s, notes = normalise(trailing_degree(text, degree_notes))
    notes += degree_notes
    if GAP in s:
        raise Unreadable("两个数字之间只有空格，读不出是一个数还是两个数")
    reason = table_veto(s)
    if reason is not None:
        raise Unreadable(reason)
    counted = read_count_bands(s, ctx)  # before a veto: 2次及以上不得分 bounds the count
    if counted is not None:
        return counted, notes, None
    s, veto = split_row_veto(text, s)
    s = metric_echo(s, notes)
    s, explained = bracketed_formula(s, notes)
    try:
        body, phrase_notes = prepare(s)
    except ValueError as exc:
        raise Unreadable(str(exc)) from exc
    clauses = split(body)
    if not clauses:
        raise Unreadable("评价标准里没有评分条件")
    draft = read_qualitative(clauses, phrase_notes, ctx)
    if draft is None:
        m = JUDGEMENT.search(s)
        if m:
            raise Unreadable(f"需要评价人判断（“{m.group(0)}”）：不能读成规则")
        for pattern, reason in _REFUSE:
            found = pattern.search(s)
            if found:
                raise Unreadable(reason.format(found.group(0)))
        for recognise in RECOGNISERS[1:]:
            draft = recognise(clauses, phrase_notes, ctx)
            if draft is not None:
                break
    if draft is None:
        raise Unreadable("读不出：不是 rubric 认得的评分写法"
                         "（区间、扣分、是否、清单、状态、比率、时限、档次）")
    kind = draft.mapping["kind"]
    if explained is not None and (kind not in ("ratio", "coefficient") or veto is not None):
        raise Unreadable(f"除括号里的公式外还有文字没有用上：{explained}")
    if kind != "deduction" and (phrase_notes.partial or phrase_notes.boundary
                                or phrase_notes.relative is not None):
        raise Unreadable("文中关于不足一步、整步或步长的说明不适用于这种评分方式")
    if phrase_notes.max_deduction is not None and kind not in ("deduction", "per_occurrence"):
        raise Unreadable("“最多扣…分”只用于扣分")
    if phrase_notes.definition is not None:
        metric, formula = phrase_notes.definition
        named = clean_name(metric)
        read = [f for f in draft.facts if f.endswith(named) or named.endswith(f)]
        unnamed = [r for r in draft.readings if r.startswith("文中没有写指标名称")]
        if (not read and unnamed and ctx.fact is None and len(draft.facts) == 1
                and draft.mapping.get("fact") in draft.facts and named
                and (draft.facts[draft.mapping["fact"]].get("unit") == "%") == ("100%" in formula)):
            # 完工及时率=…×100%,以100%为标准,每降低1个百分点扣0.1分: the formula names
            # the metric the rest of the text leaves unnamed.
            old_name = draft.mapping["fact"]
            draft.mapping["fact"] = named
            draft.facts = {named: draft.facts[old_name]}
            draft.readings = [r for r in draft.readings if r not in unnamed]
            draft.readings.append(f"指标名称取自公式：事实命名为“{named}”（可用 fact 指定）")
            read = [named]
        if (not read and ctx.fact is not None and len(draft.facts) == 1 and named
                and named in body and ctx.fact in draft.facts
                and (draft.facts[ctx.fact].get("unit") == "%") == ("100%" in formula)):
            # fact= given: the metric the text names (在职人员控制率≦100%) is read as that
            # fact, so the formula the text gives for it is that fact's.
            read = [ctx.fact]
        if not read:
            raise Unreadable(f"除得满分的条件和扣分外还有文字没有用上：{formula}")
        draft.readings.append(f"“{formula}”是{read[0]}的计算公式（指标解释），不影响计分："
                              f"{read[0]}按算好的值给出")
    if phrase_notes.evidence:
        draft.readings.append(f"“{phrase_notes.evidence}”是核实得分的要求，不影响计分")
    draft.readings = list(dict.fromkeys(draft.readings))
    if phrase_notes.standard is not None and kind != "deduction":
        raise Unreadable("“以…为标准”没有用上")
    if phrase_notes.inclusive is not None and kind != "deadline":
        raise Unreadable("“含当日”只用于时限")
    return draft, notes, veto


def _ruleset(row_id: str, text: str, mapping: dict[str, Any],
             facts: dict[str, dict[str, Any]], points: Decimal | None,
             row_keys: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"id": row_id, "criterion": text, "rule": mapping, **row_keys}
    if points is not None:
        row["max_points"] = points
    return {"rubric": 1, "facts": facts, "indicators": [row]}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def to_json(data: Any, *, compact: bool = False) -> str:
    """JSON text with Decimals written exactly as numbers (never through float)."""
    if compact:
        marked = json.dumps(_mark(data), ensure_ascii=False, separators=(",", ":"))
    else:
        marked = json.dumps(_mark(data), ensure_ascii=False, indent=2)
    return re.sub(r'"\\u0000NUM:([^"]*)"', r"\1", marked)


def _mark(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"\u0000NUM:{value.normalize():f}"
    if isinstance(value, dict):
        return {k: _mark(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mark(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = f"{value.normalize():f}"
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal)


def to_yaml(data: Any) -> str:
    """YAML text in the ruleset format's style (exact numbers, keys in order)."""
    return yaml.dump(_plain(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None, width=100)

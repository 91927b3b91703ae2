"""Trace steps: typed records of how a row was scored, rendered in Chinese or English.

A step is a small immutable tuple ``(type, *fields)`` with named fields. Each kind of
step is a subclass of ``Step`` that declares its fields as annotations, in order, and
its ``type`` (the name in the JSON result) as a class keyword; it is made like a named
tuple, ``Capped(high, max_points)``, and read by name, ``step.max_points``. Each step
renders itself (``zh``, ``en``); evaluation only records steps, and text is made when
someone asks (``NodeResult.explain``).

The steps every rule and the engine share are defined here; a rule kind defines its own
next to the rule (``rubric.rules``). ``STEP_TYPES`` holds them all by type name and
``STEP_FIELDS`` their fields: the shape of ``trace`` in the JSON result
(docs/result-format.md).
"""

from __future__ import annotations

import datetime as _dt
import inspect
import re
import types
from collections.abc import Iterator, Mapping
from decimal import Decimal
from operator import itemgetter
from typing import Any, ClassVar

from .errors import UnknownLanguage
from .facts import Facts
from .text import LANGS, fmt, pct, score_text, show

__all__ = [
    "STEP_FIELDS",
    "STEP_TYPES",
    "AssertedRange",
    "AssertedScore",
    "Capped",
    "GivenText",
    "PercentReading",
    "given_steps",
    "Missing",
    "MissingAsZero",
    "NotApplicable",
    "NotAssessed",
    "OneOf",
    "Overachieved",
    "Range",
    "Renormalised",
    "Rounded",
    "RowNotApplicable",
    "Step",
    "Undefined",
    "UnsettledValue",
    "Value",
    "ZeroOverZero",
    "NotApplicableScored",
    "RowRounded",
    "TableVetoStep",
    "NotAdded",
    "VetoStep",
    "WeightMoved",
    "YES_NO",
    "explain_steps",
    "template_step",
    "unit_suffix",
]

STEP_TYPES: dict[str, type[Step]] = {}
_new = tuple.__new__


class Step(tuple):  # type: ignore[type-arg]
    """One typed step of a trace: a tuple ``(type, *fields)`` whose fields are named by
    the subclass and read by name (``step.points``); made like a named tuple,
    ``Capped(high, max_points)``.

    ``OPTIONAL`` names trailing fields that may be ``None`` and are then left out of the
    JSON form (a step recorded before its points are known).
    """

    __slots__ = ()
    type: ClassVar[str]
    FIELDS: ClassVar[tuple[str, ...]] = ()
    OPTIONAL: ClassVar[frozenset[str]] = frozenset()
    ZH: ClassVar[str] = ""
    EN: ClassVar[str] = ""

    def __new__(cls, *fields: Any) -> Step:  # replaced per subclass (fixed arity)
        return _new(cls, (cls.type, *fields))

    def __init_subclass__(cls, type: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not type:
            raise TypeError(f"{cls.__name__}: a trace step needs type='name'")
        if type in STEP_TYPES:
            raise TypeError(f"trace step type '{type}' is defined twice")
        cls.type = type
        cls.FIELDS = fields = tuple(inspect.get_annotations(cls))
        for i, name in enumerate(fields, start=1):
            setattr(cls, name, property(itemgetter(i), doc=f"field {name} of {type}"))
        # A constructor of fixed arity, generated from the field names (hot paths make
        # steps with tuple.__new__ and the type tag first, skipping even this).
        params = ", ".join(f"{n}=None" if n in cls.OPTIONAL else n for n in fields)
        values = "".join(f"{n}, " for n in fields)
        body = f"def __new__(_cls, {params}):\n    return _new(_cls, ({type!r}, {values}))\n"
        namespace: dict[str, Any] = {"_new": _new}
        exec(body, namespace)
        cls.__new__ = namespace["__new__"]  # type: ignore[method-assign]
        for lang in ("zh", "en"):  # a ZH/EN template becomes an f-string method, once
            template = cls.__dict__.get(lang.upper())
            if template and lang not in cls.__dict__:
                setattr(cls, lang, _compile(cls, lang, template))
        STEP_TYPES[type] = cls

    def __getnewargs__(self) -> tuple[Any, ...]:  # pickling: the fields, not the tag
        return tuple(self[1:])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={v!r}' for n, v in self.items())})"

    def items(self) -> Iterator[tuple[str, Any]]:
        """``(field, value)`` pairs, in order."""
        return zip(self.FIELDS, self[1:])

    def zh(self, units: Mapping[str, str]) -> str:
        """The step in Chinese: its ``ZH`` template with every field as ``fmt`` prints it,
        compiled once per class (a step whose text needs more defines ``zh`` itself)."""
        raise NotImplementedError(f"trace step '{self.type}' has no Chinese text")

    def en(self, units: Mapping[str, str]) -> str:
        """The step in English (``EN``), like ``zh``."""
        raise NotImplementedError(f"trace step '{self.type}' has no English text")

    def render(self, lang: str, units: Mapping[str, str]) -> str:
        """This step as text in ``lang`` (``zh`` or ``en``)."""
        return self.zh(units) if lang == "zh" else self.en(units)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: ``{"type": ..., field: value, ...}``."""
        out: dict[str, Any] = {"type": self.type}
        optional = self.OPTIONAL
        for name, value in self.items():
            if value is None and name in optional:
                continue
            out[name] = _json(value)
        return out


_PLACE = re.compile(r"\{(\w+)(?:~(\w+)|:(\w+))?\}")


def _compile(cls: type[Step], lang: str, template: str) -> Any:
    """A step's ``ZH``/``EN`` template as its ``zh``/``en`` method: ``{name}`` prints the
    field with ``show``, ``{name:pct}`` as a percent, ``{low~high}`` a score or a range
    (``score_text``), ``{name:WORDS}`` the field's entry in the class's mapping ``WORDS``."""
    index = {name: i for i, name in enumerate(cls.FIELDS, start=1)}

    def place(match: re.Match[str]) -> str:
        name, high, spec = match.groups()
        if name not in index or (high is not None and high not in index):
            return match.group(0)
        field = f"self[{index[name]}]"
        if high is not None:
            return "{_range(" + field + f", self[{index[high]}])" + "}"
        if spec is None:
            return "{_fmt(" + field + ")}"
        if spec == "pct":
            return "{_pct(" + field + ")}"
        if not isinstance(getattr(cls, spec, None), Mapping):
            raise TypeError(f"{cls.__name__}: {match.group(0)} names no mapping {spec}")
        return "{type(self)." + spec + "[" + field + "]}"

    code = _PLACE.sub(place, template)
    namespace: dict[str, Any] = {"_fmt": show, "_pct": pct, "_range": score_text}
    exec(f"def {lang}(self, units):\n    return f{code!r}\n", namespace)
    return namespace[lang]


def template_step(name: str, type: str, fields: str, zh: str, en: str, *, module: str,
                  doc: str = "", words: Mapping[str, Mapping[Any, str]] | None = None,
                  ) -> type[Step]:
    """A step whose text is two templates of its fields (``fields``: their names, space
    separated), e.g. ``template_step("Capped", "capped", "points max_points", …)``;
    ``words`` names the mappings a ``{field:WORDS}`` place reads."""
    namespace = {"__slots__": (), "__module__": module, "__qualname__": name,
                 "__doc__": doc or f"The trace step '{type}'.", "ZH": zh, "EN": en,
                 "__annotations__": dict.fromkeys(fields.split(), "Any"), **(words or {})}
    return types.new_class(name, (Step,), {"type": type}, lambda ns: ns.update(namespace))


class _Fields(Mapping[str, tuple[str, ...]]):
    """Each step type's field names, read live from ``STEP_TYPES``."""

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return STEP_TYPES[key].FIELDS

    def __iter__(self) -> Iterator[str]:
        return iter(STEP_TYPES)

    def __len__(self) -> int:
        return len(STEP_TYPES)


STEP_FIELDS: Mapping[str, tuple[str, ...]] = _Fields()


def _json(value: Any) -> Any:
    if isinstance(value, Decimal) or hasattr(value, "label"):
        return fmt(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def unit_suffix(units: Mapping[str, str], fact: str) -> str:
    """The text after a fact's value: ``%`` or `` 万元`` (nothing without a unit)."""
    unit = units.get(fact)
    if not unit:
        return ""
    return "%" if unit in ("%", "percent") else f" {unit}"


def explain_steps(steps: tuple[Step, ...], lang: str = "zh",
                  units: Mapping[str, str] | None = None) -> str:
    """Render trace steps as one line of text in ``lang`` (``zh`` or ``en``)."""
    if lang not in LANGS:
        raise UnknownLanguage(lang, LANGS)
    sep = "；" if lang == "zh" else "; "
    u = units or {}
    if lang == "zh":
        return sep.join(step.zh(u) for step in steps)
    return sep.join(step.en(u) for step in steps)


# ------------------------------------------------------------------ the shared steps


class Value(Step, type="value"):
    """The value of a fact the rule read."""

    fact: str
    value: Any

    def zh(self, units: Mapping[str, str]) -> str:
        return f"{self.fact} = {show(self.value)}{unit_suffix(units, self.fact)}"

    en = zh


Missing = template_step("Missing", "missing", "fact", module=__name__,
                        zh="缺少事实：{fact}",
                        en="missing fact: {fact}")
UnsettledValue = template_step("UnsettledValue", "unsettled", "fact text", module=__name__,
                               doc="A fact given as text that is not a number (达成预期指标).",
                               zh="{fact} 为非数值“{text}”，无法定分",
                               en="{fact} is not a number ('{text}'), so it cannot be "
                                  "scored exactly")
Undefined = template_step("Undefined", "undefined", "fact", module=__name__,
                          zh="{fact} 无法计算（0/0）",
                          en="{fact} is undefined (0/0)")
NotApplicable = template_step("NotApplicable", "not_applicable", "fact", module=__name__,
                              zh="{fact} 不适用，不考核",
                              en="{fact} is not applicable")
RowNotApplicable = template_step("RowNotApplicable", "row_not_applicable", "row",
                                 module=__name__,
                                 doc="A whole row (or group) the facts give as not applicable.",
                                 zh="{row} 整行不适用，不考核",
                                 en="{row}: the whole row is not applicable")
NotAssessed = template_step("NotAssessed", "not_assessed", "row", module=__name__,
                            doc="A row the ruleset declares not assessed (assessed: false).",
                            zh="{row} 不考核（规则未设评分标准）",
                            en="{row} is not assessed (the ruleset gives it no rule)")
Range = template_step("Range", "range", "low high", module=__name__,
                      zh="得分范围 {low}–{high} 分",
                      en="score range {low}-{high} points")
Capped = template_step("Capped", "capped", "points max_points", module=__name__,
                       zh="{points} 分超过分值，按 {max_points} 分封顶",
                       en="{points} points capped at {max_points}")
MissingAsZero = template_step("MissingAsZero", "missing_as_zero", "points", module=__name__,
                              zh="按政策缺少事实按最低分计，得 {points} 分",
                              en="policy scores missing facts at the minimum: {points} points")


#: a yes/no value in English text (Chinese prints it as ``fmt`` does: 是/否)
YES_NO = {True: "yes", False: "no"}

_ZH_ROUND = {"half_up": "四舍五入", "half_even": "四舍六入五成双", "down": "舍去尾数",
             "up": "进一"}


class Rounded(Step, type="rounded"):
    exact: Decimal
    points: Decimal
    mode: str

    ZH_ROUND = _ZH_ROUND
    ZH = "{exact} {mode:ZH_ROUND}为 {points} 分"
    EN = "{exact} rounded ({mode}) to {points}"


Overachieved = template_step(
    "Overachieved", "overachieved", "ratio threshold", module=__name__,
    doc="A warning: the actual value is far above the target (10号 lets evaluators trim "
        "such scores; rubric warns and never deducts).",
    zh="注意：完成值为目标的 {ratio:pct}，超过 {threshold:pct}，目标可能偏低（不扣分）",
    en="note: actual is {ratio:pct} of the target, above {threshold:pct}; the target may "
       "be set too low (no deduction)")


OneOf = template_step("OneOf", "one_of", "chosen", module=__name__,
                      zh="择一考核：{chosen}",
                      en="one of several: {chosen}")


Renormalised = template_step(
    "Renormalised", "renormalised", "applicable_max total_points", module=__name__,
    zh="不适用指标不考核，适用指标满分 {applicable_max}，按 {total_points} 分制折算",
    en="not-applicable rows left out: rescaled from {applicable_max} to {total_points} points")


_ZH_00 = {"full": "0/0 视为达标", "zero": "0/0 不得分", "undefined": "0/0 无法计算"}
_EN_00 = {"full": "0/0 read as meeting the standard", "zero": "0/0 scores 0",
          "undefined": "0/0 is undefined"}


class ZeroOverZero(Step, type="zero_over_zero"):
    """A rate of 0/0 read by the rule's or the policy's ``zero_over_zero`` reading;
    ``points`` is None when the reading leaves the row a range."""

    OPTIONAL = frozenset({"points"})
    reading: str
    points: Decimal | None

    def zh(self, units: Mapping[str, str]) -> str:
        tail = f"，计 {show(self.points)} 分" if self.points is not None else ""
        return f"分子分母均为 0（{_ZH_00[self.reading]}）{tail}"

    def en(self, units: Mapping[str, str]) -> str:
        tail = f": {show(self.points)} points" if self.points is not None else ""
        return f"0/0 ({_EN_00[self.reading]}){tail}"


# ------------------------------------------------ asserted states (issue 10 item 4)

ZH_STATE = {"met": "达成", "not_met": "未达成", "partly_met": "部分达成", "echo": "比较式"}
EN_STATE = {"met": "met", "not_met": "not met", "partly_met": "partly met",
            "echo": "a comparison"}
#: what a rule kind decided an asserted state scores (``AssertedScore.reading``)
ZH_ASSERTED_READING = {
    "full": "达成目标即得满分",
    "best_band": "达成目标即落在满分区间",
    "lowest": "未达成且规则只有一档低于满分，得最低分",
    "echo_met": "即目标本身的表述，读作达成，得满分",
}
EN_ASSERTED_READING = {
    "full": "the target met earns full marks",
    "best_band": "the target met falls in the band of full marks",
    "lowest": "not met, and the rule has one score below full marks: the lowest",
    "echo_met": "exactly the target's own statement, read as met: full marks",
}
#: why a rule kind cannot score an asserted state (``AssertedRange.reason``)
ZH_ASSERTED_REASON = {
    "no_ratio": "未给出完成值，完成比例未知",
    "no_deviation": "未给出完成值，偏差未知",
    "band_unknown": "未给出数值，落在满分区间以外的哪一档未知",
    "partly": "部分达成，程度未知",
    "echo_mismatch": "比较式不是目标本身的表述",
    "not_meaningful": "本规则不按是否达成计分，须给出数值",
    "tier": "由评价人在对应档次内定分",
    "no_tier": "规则未设分档，无法对应",
}
EN_ASSERTED_REASON = {
    "no_ratio": "no actual value, so the completion ratio is unknown",
    "no_deviation": "no actual value, so the deviation is unknown",
    "band_unknown": "no value, so which band below full marks is unknown",
    "partly": "partly met: how far is not stated",
    "echo_mismatch": "the comparison is not the target's own statement",
    "not_meaningful": "this rule does not score whether a target was met; give the number",
    "tier": "the evaluator picks the score inside the matching tier",
    "no_tier": "the rule has no tiers to match",
}


class AssertedScore(Step, type="asserted"):
    """A fact given as an asserted state (``已完成``, ``≥266米``) that the rule kind
    scores; ``reading`` names its decision, ``text`` is the value as given."""

    fact: str
    text: str
    state: str
    reading: str
    points: Decimal

    ZH_STATE, EN_STATE = ZH_STATE, EN_STATE
    ZH_READING, EN_READING = ZH_ASSERTED_READING, EN_ASSERTED_READING
    ZH = ("{fact} 给出“{text}”（读作{state:ZH_STATE}），{reading:ZH_READING}，"
          "计 {points} 分")
    EN = ("{fact} given as '{text}' (read as {state:EN_STATE}): {reading:EN_READING}, "
          "{points} points")


class AssertedRange(Step, type="asserted_range"):
    """A fact given as an asserted state that the rule kind cannot score exactly:
    ``reason`` says why and ``detail`` (optional) what it compared with (the target's
    statement, the tier); a ``range`` step follows."""

    OPTIONAL = frozenset({"detail"})
    fact: str
    text: str
    state: str
    reason: str
    detail: str | None

    def zh(self, units: Mapping[str, str]) -> str:
        detail = f"（{self.detail}）" if self.detail else ""
        return (f"{self.fact} 给出“{self.text}”（读作{ZH_STATE[self.state]}），无法确定得分："
                f"{ZH_ASSERTED_REASON[self.reason]}{detail}")

    def en(self, units: Mapping[str, str]) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return (f"{self.fact} given as '{self.text}' (read as {EN_STATE[self.state]}) "
                f"cannot be scored exactly: {EN_ASSERTED_REASON[self.reason]}{detail}")


class PercentReading(Step, type="percent_reading"):
    """A plain number given for a % fact, read as the ``percent_numbers`` reading says
    (shown when it is a fraction read as a percent, or a percent that looks like one)."""

    fact: str
    text: str
    reading: str
    value: Decimal

    def zh(self, units: Mapping[str, str]) -> str:
        how = "小数" if self.reading == "fraction" else "百分数"
        return (f"{self.fact} 原文 {self.text}，按{how}读作 {show(self.value)}%"
                f"（percent_numbers: {self.reading}）")

    def en(self, units: Mapping[str, str]) -> str:
        return (f"{self.fact} given as {self.text}, read as {show(self.value)}% "
                f"(percent_numbers: {self.reading})")


class GivenText(Step, type="given_text"):
    """A yes/no fact given in words other than 是/否 (``已完成``, ``合格``): the text as
    given and the value it was read as."""

    fact: str
    text: str
    value: bool

    YES_NO = YES_NO
    ZH = "{fact} 原文“{text}”，读作“{value}”"
    EN = "{fact} given as '{text}', read as {value:YES_NO}"


# -- a row's own options and the table's vetoes (rules.row_options, rubric.vetoes) --


_VETO_UNKNOWN = {"zh": "否决条件“{fact}”未知：{text}",
                 "en": "veto condition '{fact}' unknown: {text}"}
_VETO_OFF = {"zh": "否决条件不成立：{text}（{fact}：否）",
             "en": "veto does not apply: {text} ({fact}: no)"}


def _veto_text(step: VetoStep | TableVetoStep, lang: str, held: str, unknown: str,
               **values: str) -> str:
    """A row's or the table's veto in ``lang``: ``held`` when it held, the shared opening
    and ``unknown`` when its fact is unknown, else the shared text of a veto not applying
    (templates of ``fact``, ``text`` and ``values``)."""
    if step.held:
        template = held
    elif step.held is None:
        template = _VETO_UNKNOWN[lang] + unknown
    else:
        template = _VETO_OFF[lang]
    return template.format(fact=step.fact, text=step.text, **values)


class VetoStep(Step, type="veto"):
    """A row's veto: its fact, the table's text, and whether it held (None: unknown)."""

    fact: str
    text: str
    held: bool | None

    def zh(self, units: Mapping[str, str]) -> str:
        return _veto_text(self, "zh", "否决：{text}（{fact}：是），本项计 0 分", "，可能计 0 分")

    def en(self, units: Mapping[str, str]) -> str:
        return _veto_text(self, "en", "veto: {text} ({fact}: yes), the row scores 0",
                          "; the row may score 0")


class NotApplicableScored(Step, type="not_applicable_scored"):
    """A row that does not apply, scored by its own reading (``full`` or ``points``)."""

    reading: str
    points: Decimal

    def zh(self, units: Mapping[str, str]) -> str:
        how = "不扣分，计满分" if self.reading == "full" else "计"
        return f"本行规定不适用时{how} {show(self.points)} 分"

    def en(self, units: Mapping[str, str]) -> str:
        how = "no deduction, full points" if self.reading == "full" else "fixed points"
        return f"the row's reading when not applicable: {how}, {show(self.points)} points"


class RowRounded(Step, type="row_rounded"):
    """A row rounded to its own precision (``precision:``/``rounding:`` of the row)."""

    low: Decimal
    high: Decimal
    points_low: Decimal
    points_high: Decimal
    precision: int
    mode: str

    ZH_ROUND = _ZH_ROUND
    ZH = "本行保留 {precision} 位小数（{mode:ZH_ROUND}）：{low~high} 为 {points_low~points_high} 分"
    EN = "this row to {precision} decimal(s) ({mode}): {low~high} to {points_low~points_high}"


class TableVetoStep(Step, type="table_veto"):
    """A veto of the table on the total's trace: held (True), not (False) or unknown
    (None); ``grade`` the cap of a grade veto; ``low``/``high`` the total it leaves."""

    fact: str
    text: str
    effect: str
    held: bool | None
    grade: str | None
    low: Any
    high: Any

    def zh(self, units: Mapping[str, str]) -> str:
        what = "总分计 0 分" if self.effect == "zero" else f"等级至多为{self.grade}"
        return _veto_text(self, "zh", "一票否决：{text}（{fact}：是），{what}",
                          "（可能{what}），总分 {total} 分", what=what,
                          total=score_text(self.low, self.high))

    def en(self, units: Mapping[str, str]) -> str:
        what = "the total is 0" if self.effect == "zero" else f"the grade is at most {self.grade}"
        return _veto_text(self, "en", "veto: {text} ({fact}: yes): {what}",
                          " (perhaps {what}); total {total}", what=what,
                          total=score_text(self.low, self.high))


class WeightMoved(Step, type="weight_moved"):
    """A row that does not apply, its 分值 moved to siblings (``if_not_applicable: {to}``):
    scored at their rate, ``low``–``high``."""

    to: str
    points: Decimal
    low: Decimal
    high: Decimal

    ZH = "本行分值 {points} 分移至{to}：按其得分率计 {low~high} 分"
    EN = "the row's {points} points moved to {to}: scored at their rate, {low~high} points"


class NotAdded(Step, type="not_added"):
    """A row printed and scored but not summed into its group (``adds: false``: 其中)."""

    ZH = "本行单列（其中项），不计入上级合计"
    EN = "shown on its own (of which): not added into its group"


def given_steps(facts: Facts) -> dict[str, Step]:
    """The steps that open the trace of each row reading a fact whose given text was
    read by a convention (``GivenText``, ``PercentReading``), by fact name."""
    out: dict[str, Step] = {f: GivenText(f, text, bool(facts.values[f]))
                            for f, text in facts.texts.items()}
    for f, (text, reading) in facts.readings.items():
        value = facts.values[f]
        if isinstance(value, Decimal):
            out[f] = PercentReading(f, text, reading, value)
    return out

"""The 年度指标值 and 实际完成值 cells of a self-evaluation row, read as filed.

A target (``parse_target``) is one of four kinds:

* ``quantity``: an operator, a value and a unit (``≥95%``, ``不少于3次``, ``≤90万元``,
  ``100%``, ``266米以上``). The value is kept as written (95 for ``95%``) with its unit as
  written (``%``, ``万元``), checked against rubric's units. ``≥ > 不低于 不少于 达到 以上``
  are forward, ``≤ < 不超过 不高于 以内 以下`` reverse, ``=`` exact; a bare number
  (``100%``, ``3家``) is forward with no operator (the 10号 "正向" reading).
  ``closed`` says whether the bound itself satisfies the target (``≥ ≤ = 以上 以下``
  and a bare number yes; ``> < 超过 低于`` no).
* ``date``: a deadline. A day (``2023年12月31日前``, ``2023.12.31前``) includes the day
  itself (domain.md §3.10). A month is a ``rubric.dates.Month`` with ``month_reading``:
  ``end`` when the text says so (``12月底前``, ``年底前``, ``9月内``, a month alone:
  ``9月``), ``None`` when it leaves it open (``9月前``: by the end of August or of
  September; the template says which); ``selfeval.deadline_text`` reads them.
* ``statement``: no number and no date (``达成预期``, ``有所提升``): judged by the
  evaluator's tier choice, never computed.
* ``none``: ``/``, ``—``, ``无``, ``不适用``: the row has no target (not applicable).

Refused, each with a ``TargetError`` naming the cell: a blank cell, an approximate target
(``约95%``, ``95%左右``), a range (``90%-100%``: the template scores one bound), two
targets (``≥95%或≤5%``) or two numbers, an operator without a number, a negative bound, a
letter among digits (``1O0%``), an unknown unit, and an impossible date. Repairs that do
not change a reading are silent (full width, spaces around a decimal point); those that
read something are kept in ``notes``: digits spaced out (``9 5%`` is 95%), the
indicator's name before the number (``合格率≥95%``; refused when the words change what
the number means: ``较上年增长≥5%``), a verb or a remark after it (``100%完成``,
``≤90万元(含税)``). docs/selfeval-targets.md lists every form.

An actual (``parse_actual``) is read against its target: a value (in the target's unit,
``in_target_unit``; a bare number is read in the target's unit, noted, and refused where
that is ambiguous), a date, an asserted state (``rubric.states``: ``已完成``, ``达成预期指标``,
``未完成``, and an echo of a comparison such as ``≥266米``), a statement (only against a
statement target), ``none`` (``/``) or ``missing`` (blank).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any, NoReturn

import attrs

from ..criteria.lexer import GAP, normalise
from ..dates import Month
from ..errors import ActualError, FactError, Location, TargetError, UnitError
from ..numbers import accepted, problem, shown
from ..states import ECHO, MET, NOT_MET, PARTLY_MET, Asserted, read_state
from ..units import BUILTIN, UnitSystem, conversion_factor, converted, normalize_unit
from .deadline_text import DATE_HINT, DEADLINE_DAY, DEADLINE_MONTH, month_of, read_deadline

__all__ = [
    "ACTUAL_KINDS", "COUNTERS", "SELFEVAL_UNITS", "TARGET_KINDS", "Actual", "ActualError",
    "Target", "TargetError", "parse_actual", "parse_target",
]

QUANTITY, DATE, STATEMENT, NONE, STATE, MISSING = (
    "quantity", "date", "statement", "none", "state", "missing")
#: the kinds of target
TARGET_KINDS = (QUANTITY, DATE, STATEMENT, NONE)
#: the kinds of actual
ACTUAL_KINDS = (QUANTITY, DATE, STATE, STATEMENT, NONE, MISSING)
_DIRECTION = {"≥": "forward", ">": "forward", None: "forward", "≤": "reverse",
              "<": "reverse", "=": "exact"}
MAX_CELL = 500
#: counting units real 年度指标值 use that rubric's built-in units lack, each a kind of
#: its own (``0起`` 安全事故, ``≥90分`` 满意度 as a score, ``≥3条`` 线路)
COUNTERS = ("起", "例", "张", "条", "本", "栋", "间", "盏", "根", "宗", "分", "村", "镇",
            "人日", "工作日", "门", "节", "部", "支", "队", "笔", "家次")


def _counting(system: UnitSystem) -> UnitSystem:
    for name in COUNTERS:
        system = system.declare(name, "count")
    return system.declare("个工作日", "1 工作日")


#: rubric's built-in units and ``COUNTERS``: a template's units (pass as ``units=`` to
#: both parsers, and as the facts' ``unit_system``)
SELFEVAL_UNITS = _counting(BUILTIN)
_TARGET_EXPECTED = ("a target: a comparison with one number and unit (≥95%, ≤90万元, 100%), "
                    "a deadline (12月底前, 2023年12月31日前), a statement (达成预期) or / "
                    "for not applicable")
_UNITS_EXPECTED = ("a unit of rubric's registry (元, 万元, %, 人, 人次, 个, 家, 项, 次, 米, "
                   "公里, 亩 ...; `rubric units` lists them)")


def _kind_of(what: str, kinds: tuple[str, ...]) -> Callable[[object, Any, str], None]:
    """The validator of a ``Target``'s or an ``Actual``'s kind: one of ``kinds``."""
    def check(_inst: object, _attr: Any, kind: str) -> None:
        if kind not in kinds:
            raise ValueError(f"{what} kind '{kind}' is not one of {kinds}")

    return check


@attrs.frozen
class Target:
    """A 年度指标值 as read (see the module docstring for each field's reading)."""

    kind: str = attrs.field(validator=_kind_of("target", TARGET_KINDS))
    text: str
    operator: str | None = None
    value: Decimal | None = None
    unit: str | None = None
    date: _dt.date | Month | None = None
    month_reading: str | None = None
    statement: str | None = None
    closed: bool | None = None
    direction: str | None = None
    notes: tuple[str, ...] = ()

    def value_in(self, unit: str | None, units: UnitSystem = BUILTIN) -> Decimal:
        """The bound in ``unit`` (UnitError when the units are of different kinds)."""
        if self.value is None:
            raise ValueError(f"target '{self.text}' has no value")
        return converted(self.value, conversion_factor(self.unit, unit, units))


@attrs.frozen
class Actual:
    """A 实际完成值 as read against its target.

    ``value``/``unit`` as written; ``in_target_unit`` the value in the target's unit
    (None when the target has none to compare with); ``state`` an ``Asserted``
    (``met``, ``not_met``, ``partly_met``, or ``echo`` with its bound in the target's
    unit); ``notes`` the readings applied (a bare number read in the target's unit).
    """

    kind: str = attrs.field(validator=_kind_of("actual", ACTUAL_KINDS))
    text: str
    value: Decimal | None = None
    unit: str | None = None
    in_target_unit: Decimal | None = None
    date: _dt.date | Month | None = None
    state: Asserted | None = None
    statement: str | None = None
    notes: tuple[str, ...] = ()


# -- lexing -------------------------------------------------------------------------

_NOT_APPLICABLE = frozenset({"/", "-", "--", "---", "无", "不适用", "n/a", "na", "\\", "//"})
_ZH = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
       "七": 7, "八": 8, "九": 9}
_PERCENT_WORDS = re.compile(
    r"百分之([零〇一二两三四五六七八九十百]+)(?:点([零〇一二三四五六七八九]+))?")


def _zh_number(word: str) -> int | None:
    """一百, 九十五, 十, 八: a Chinese numeral up to 100, or None."""
    if word in ("百", "一百"):
        return 100
    if "百" in word:
        return None
    if "十" not in word:
        return _ZH[word] if len(word) == 1 else None
    tens, _, ones = word.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_ZH[tens] if tens else 1) * 10 + (_ZH[ones] if ones else 0)


def _percent_words(text: str) -> str:
    """百分之九十五 -> 95%, 百分之百 -> 100%, 百分之九十点五 -> 90.5%."""
    def repl(m: re.Match[str]) -> str:
        whole = _zh_number(m[1])
        if whole is None:
            return m[0]
        frac = "".join(str(_ZH[c]) for c in m[2]) if m[2] else ""
        return f"{whole}.{frac}%" if frac else f"{whole}%"
    return _PERCENT_WORDS.sub(repl, text)


def _join_gaps(s: str, notes: list[str]) -> str:
    """Digits a space split (``9 5``, ``1 000``): joined when every later group is one
    digit (spaced-out digits) or exactly three (thousands); else left apart (refused)."""
    if GAP not in s:
        return s
    def repl(m: re.Match[str]) -> str:
        groups = m[0].split(GAP)
        later = {len(g) for g in groups[1:]}
        if (later == {1} and len(groups[0]) == 1) or (later == {3} and len(groups[0]) <= 3):
            joined = "".join(groups)
            notes.append(f"数字中的空格不计：“{' '.join(groups)}”读作 {joined}")
            return joined
        return m[0]
    return re.sub(rf"\d+(?:{GAP}\d+)+", repl, s)


@lru_cache(maxsize=8192)
def _lexed(text: str) -> tuple[str, tuple[str, ...]]:
    """The canonical text of a cell and the notes of its repairs (cells repeat across
    projects: ``≥95%`` is lexed once)."""
    s = _percent_words(unicodedata.normalize("NFKC", text))
    s, notes = normalise(s)
    s = s.replace("(含)", "")
    s = _join_gaps(s, notes)
    return s, tuple(notes)


# -- quantities ---------------------------------------------------------------------

_PREFIX = {"≥": "≥", "大于等于": "≥", "大于或等于": "≥", "不低于": "≥", "不少于": "≥",
           "不小于": "≥", "达到": "≥", "至少": "≥", "≤": "≤", "小于等于": "≤",
           "小于或等于": "≤", "不高于": "≤", "不超过": "≤", "不大于": "≤", "不多于": "≤",
           "最多": "≤", ">": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">",
           "<": "<", "小于": "<", "低于": "<", "少于": "<", "=": "=", "等于": "="}
_SUFFIX = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤", "之内": "≤",
           "内": "≤"}
_LEADS = ("控制在", "保持在")
_OPS = "|".join(sorted(map(re.escape, _PREFIX), key=len, reverse=True))
_SUFS = "|".join(sorted(map(re.escape, _SUFFIX), key=len, reverse=True))
_VERBS = "完成|达标|覆盖|到位|落实|实现"
_QUANTITY = re.compile(
    rf"^(?P<label>[\u4e00-\u9fff]{{1,12}}?)??(?P<lead>{'|'.join(_LEADS)})?(?P<op>{_OPS})?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?P<unit>.*?)(?P<suf>{_SUFS})?(?P<verb>{_VERBS})?$")
# words in front of a number that change what it means: a change against a base, a
# comparison or a period the reader does not know, a bound left unsaid, a rank (第1名,
# not 第三方), or a negation (未达到95%, not 未成年); 逾: more than
_LABEL_REFUSED = re.compile(r"较|比|增长|增加|增幅|降低|下降|减少|降幅|提高|提升|上升|缩短|控制|"
                            r"不|超|低于|高于|大于|小于|少于|多于|以上|以下|以内|前|后|每|平均|累计|近|"
                            r"第$|排名|名次|位次|"
                            r"未(?!成年)|没|尚|逾")
_REMARK = re.compile(r"\([^()\d]{1,30}\)$")
_INCLUSIVE = re.compile(r"\(含(\d+(?:\.\d+)?)([^()\d]{0,8})\)$")
_APPROX = re.compile(r"(大约|约|大概|≈)(?=\d)|(左右|上下)$|≈")
_NUMBER_RUN = re.compile(r"\d+(?:\.\d+)?")
_SYMBOL_OPS = "≥≤<>="


def _quantity(s: str, text: str, units: UnitSystem, fail: _Fail) -> Target | None:
    m = _QUANTITY.match(s)
    if m is None:
        return None
    notes = []
    if m["label"]:
        if _LABEL_REFUSED.search(m["label"]):
            fail(f"has words before the number ('{m['label']}') that change what it means",
                 expected="the target alone, the indicator's name in 三级指标",
                 example="≥95%")
        notes.append(f"数字前的“{m['label']}”为指标名称，不计")
    if m["verb"]:
        notes.append(f"数字后的“{m['verb']}”不计")
    unit_text = m["unit"]
    if re.search(r"\d", unit_text) and not _known(unit_text, units):
        letter = re.match(r"^[A-Za-z]+(?=\d)", unit_text)
        if letter:
            fail(f"has a letter among its digits ('{letter[0]}')",
                 expected="digits only in the number", example="100%")
        fail("has more than one number", expected="one number with its unit",
             example="≥95%")
    op = _PREFIX[m["op"]] if m["op"] else None
    suffix = _SUFFIX[m["suf"]] if m["suf"] else None
    if op is not None and suffix is not None and op != suffix:
        fail(f"says two comparisons that disagree ('{m['op']}' and '{m['suf']}')",
             expected="one comparison", example="≥95% or 95%以上")
    op = op or suffix
    if m["lead"] and op is None:
        fail(f"'{m['lead']}' does not say whether the number is an upper or a lower bound",
             expected="a comparison", example=f"{m['lead']}90万元以内 or ≤90万元")
    value = Decimal(m["num"].replace(",", ""))
    if not accepted(value):
        fail(f"has a number that {problem(value)}", expected="a number of at most 10^18",
             example="≥95%")
    unit = _unit(unit_text, units, fail)
    return Target(QUANTITY, text, operator=op, value=value, unit=unit,
                  closed=op not in (">", "<"), direction=_DIRECTION[op], notes=tuple(notes))


def _known(unit_text: str, units: UnitSystem) -> bool:
    """Whether a unit with a digit is a unit (``m2``, ``km2``: ㎡ as NFKC writes it)."""
    try:
        normalize_unit(unit_text, units)
    except UnitError:
        return False
    return True


def _unit(unit_text: str, units: UnitSystem, fail: _Fail) -> str | None:
    if not unit_text:
        return None
    try:
        normalize_unit(unit_text, units)
    except UnitError:
        fail(f"unknown unit '{shown(unit_text)}'", expected=_UNITS_EXPECTED, example="≥5个")
    return unit_text


def _date(s: str, text: str, year: int | None, fail: _Fail) -> Target | None:
    found = read_deadline(s, year, fail)
    if found is None:
        return None
    when, reading, notes = found
    return Target(DATE, text, date=when, month_reading=reading, closed=True, notes=notes)


# -- targets ------------------------------------------------------------------------

class _Fail:
    """Raises the located error of one cell."""

    def __init__(self, cell: str, text: str, where: Location | str | None,
                 error: type[FactError]) -> None:
        self.cell, self.text, self.error = cell, text, error
        self.location = where if isinstance(where, Location) else None
        self.where = where if isinstance(where, str) else None

    def __call__(self, reason: str, *, expected: str, example: str) -> NoReturn:
        raise self.error(f"{self.cell} '{shown(self.text)}' {reason}", where=self.where,
                         location=self.location, expected=expected, example=example)


def parse_target(text: object, *, where: Location | str | None = None,
                 year: int | None = None, units: UnitSystem = BUILTIN) -> Target:
    """Read a 年度指标值 cell; ``TargetError`` (naming ``where``) when it cannot be read.

    ``year`` is the project's year, for a day written without one (``12月20日前``);
    ``units`` the unit system a unit is checked against.
    """
    raw = "" if text is None else str(text)
    fail = _Fail("年度指标值", raw.strip(), where, TargetError)
    if not raw.strip():
        fail("is blank", expected=_TARGET_EXPECTED.replace("a target: ", "a target or /: "),
             example="≥95%")
    if len(raw) > MAX_CELL:
        fail(f"is longer than {MAX_CELL} characters", expected=_TARGET_EXPECTED,
             example="≥95%")
    original = raw.strip()
    s, notes = _lexed(original)
    if s.lower() in _NOT_APPLICABLE:
        return Target(NONE, original)
    found = _read(s, original, year, units, fail)
    if found.kind == QUANTITY and found.value == 0 and found.operator in (None, "="):
        # 安全事故 0起: forward, any count would meet a 0 (2/0, full marks)
        found = attrs.evolve(found, direction="reverse", notes=(
            *found.notes, "指标值为 0：按反向指标（不超过 0）读"))
    return attrs.evolve(found, notes=tuple(notes) + found.notes) if notes else found


def _read(s: str, text: str, year: int | None, units: UnitSystem, fail: _Fail) -> Target:
    has_digit = re.search(r"\d", s) is not None
    if not has_digit:
        if any(c in s for c in _SYMBOL_OPS) or "%" in s:
            fail("has a comparison but no number", expected="a number after it",
                 example="≥95%")
        if DATE_HINT.search(s):
            found = _date(s, text, year, fail)
            if found is not None:
                return found
        return Target(STATEMENT, text, statement=text)
    approx = _APPROX.search(s)
    if approx:
        fail(f"is approximate ('{approx[0]}'): a score is computed against an exact bound",
             expected="one exact number", example="≥95%, ≤95% or =95%")
    inclusive = _INCLUSIVE.search(s)
    if inclusive:  # ≥95%（含95%）: the bound itself said to count, as ≥ says already
        found = _read(s[: inclusive.start()], text, year, units, fail)
        if not (found.kind == QUANTITY and found.closed and found.value == Decimal(inclusive[1])
                and inclusive[2] in ("", found.unit)):
            fail(f"says '{inclusive[0]}', which is not its bound", expected="(含) after a "
                 "bound that includes itself", example="≥95%（含）")
        return attrs.evolve(found, notes=(*found.notes, f"“{inclusive[0]}”即含界限本身"))
    remark = _REMARK.search(s)
    if remark:
        found = _read(s[: remark.start()], text, year, units, fail)
        return attrs.evolve(found, notes=(*found.notes, f"括号内的说明“{remark[0]}”不计"))
    if "或" in s or re.search(r"\d[^\d/]*/[^\d/]*\d", s):
        fail("gives alternative targets; a row is scored against one target",
             expected="one target", example="≥95%")
    if re.search(rf"(?:^|[{_SYMBOL_OPS}]|{_OPS})-\d", s) or s.startswith("-"):
        fail("has a negative bound", expected="a bound of 0 or more", example="≥0")
    if DATE_HINT.search(s):
        found = _date(s, text, year, fail)
        if found is not None:
            return found
    if len(_NUMBER_RUN.findall(s)) > 1 and re.search(r"\d[^\d]*(?:-|至|到)[^\d]*\d", s):
        fail("is a range: the template scores a row against one bound",
             expected="the bound that counts, or a qualitative target", example="≥90%")
    whole = _QUANTITY.match(s)
    digit_unit = whole is not None and bool(re.search(r"\d", whole["unit"])) and _known(
        whole["unit"], units)  # 1000m2 (㎡): one number and a unit with a digit
    if GAP in s or (len(_NUMBER_RUN.findall(s.replace(",", ""))) > 1 and not digit_unit):
        letter = re.search(r"\d[A-Za-z]\d", s)
        if letter:
            fail(f"has a letter among its digits ('{letter[0][1]}')",
                 expected="digits only in the number", example="100%")
        fail("has more than one number", expected="one number with its unit",
             example="≥95%")
    found = _quantity(s, text, units, fail)
    if found is not None:
        return found
    m = re.search(rf"({_OPS})(?!\d)", s)
    if m and not re.search(rf"({_OPS})\d", s):
        fail(f"'{m[1]}' is not followed by a number", expected="a number after it",
             example="≥95%")
    fail("is not a target rubric can read", expected=_TARGET_EXPECTED, example="≥95%")


# -- actuals ------------------------------------------------------------------------

_EARLY = re.compile(r"^(?:已|均已)?(?:提前|如期)(?:完成|实现|达成)(?:任务|目标|指标)?$")
# "预期" alone after the verb (达成预期, 达到预期效果): as rubric.states reads 达成预期指标
_EXPECTED = r"(?:达成|达到|实现|完成)预期(?:效果|目标|指标|要求)?$"
_EXPECTATION = ((re.compile(rf"^(?:未能|未|没有|尚未){_EXPECTED}"), NOT_MET),
                (re.compile(rf"^(?:基本|部分|大部分){_EXPECTED}"), PARTLY_MET),
                (re.compile(rf"^(?:已|均已|全部|已全部)?{_EXPECTED}"), MET))
_ECHO_OPS = {"≥": "≥", ">": ">", "≤": "≤", "<": "<"}
_PERCENT = "percent"


def parse_actual(text: object, target: Target, *, where: Location | str | None = None,
                 year: int | None = None, units: UnitSystem = BUILTIN) -> Actual:
    """Read a 实际完成值 cell against its ``target``; ``ActualError`` (naming ``where``)
    when it cannot be compared with it. ``year`` is the project's year (for a day
    written without one); a blank cell is ``missing``, ``/`` is ``none``."""
    raw = "" if text is None else str(text)
    original = raw.strip()
    fail = _Fail("实际完成值", original, where, ActualError)
    if not original:
        return Actual(MISSING, "")
    if len(raw) > MAX_CELL:
        fail(f"is longer than {MAX_CELL} characters", expected="a value, a date or a state",
             example="98%")
    s, notes = _lexed(original)
    if s.lower() in _NOT_APPLICABLE:
        return Actual(NONE, original)
    state = read_state(original) or read_state(s)
    if state is None and _EARLY.match(s):
        state = MET
    plain = s.rstrip(";.!")
    for pattern, said in _EXPECTATION if state is None else ():
        if pattern.match(plain):
            state = said
            break
    if state is not None:
        return Actual(STATE, original, state=Asserted(state, original))
    if target.kind == DATE:
        found = _actual_date(s, original, target, year, fail)
    elif re.search(r"\d", s) and not (target.kind != QUANTITY and DATE_HINT.search(s)):
        found = _actual_quantity(s, original, target, units, fail)
    elif target.kind == QUANTITY:
        fail(f"is not a value to compare with the target '{shown(target.text)}'",
             expected="a number with its unit, or a state (已完成, 未完成, 部分完成)",
             example="98%")
    elif target.kind == NONE and DATE_HINT.search(s):
        found = _actual_date(s, original, target, year, fail)
    else:
        found = Actual(STATEMENT, original, statement=original)
    return attrs.evolve(found, notes=tuple(notes) + found.notes) if notes else found


# words before an actual's number saying it is not what was achieved: the target, a
# plan, an estimate, another year's, a share of something (完成目标的90%)
_NOT_ACHIEVED = re.compile(r"目标|计划|预计|预期|上年|去年|前年|的")


def _actual_quantity(s: str, text: str, target: Target, units: UnitSystem,
                     fail: _Fail) -> Actual:
    lead = re.match(r"[\u4e00-\u9fff]+", s)
    if lead and _NOT_ACHIEVED.search(lead[0]):
        fail(f"has words before the number ('{lead[0]}') that change what it means",
             expected="the value achieved alone, the indicator's name in 三级指标",
             example="98%")
    negative = s.startswith("-") and target.kind == QUANTITY
    read = _read(s[1:] if negative else s, text, None, units, fail)
    if read.kind != QUANTITY or read.value is None:
        fail(f"is not a value to compare with the target '{shown(target.text)}'",
             expected="a number with its unit, or a state (已完成, 未完成, 部分完成)",
             example="98%")
    value = -read.value if negative else read.value
    if target.kind != QUANTITY:
        return Actual(QUANTITY, text, value=value, unit=read.unit, notes=read.notes)
    notes: list[str] = list(read.notes)
    in_target = _in_target_unit(value, read.unit, target, units, fail, notes)
    if read.operator in _ECHO_OPS:
        return Actual(STATE, text, value=value, unit=read.unit, in_target_unit=in_target,
                      state=Asserted(ECHO, text, _ECHO_OPS[read.operator], in_target),
                      notes=tuple(notes))
    return Actual(QUANTITY, text, value=value, unit=read.unit, in_target_unit=in_target,
                  notes=tuple(notes))


def _in_target_unit(value: Decimal, unit: str | None, target: Target, units: UnitSystem,
                    fail: _Fail, notes: list[str]) -> Decimal:
    if unit is not None and target.unit is not None:
        try:
            return converted(value, conversion_factor(unit, target.unit, units))
        except UnitError:
            fail(f"is in {unit}, which cannot compare with the target's {target.unit}",
                 expected=f"a value in {target.unit} or a unit of the same kind",
                 example=f"{_plain(target.value or Decimal(0))}{target.unit}")
    if unit == target.unit:
        return value
    written, other = ("指标值", unit) if unit is not None else ("完成值", target.unit)
    bound = target.value if target.value is not None else Decimal(0)
    if normalize_unit(other, units) == _PERCENT and 0 < value <= 1 < bound:
        fail(f"has no unit and could be a fraction or a percent against "
             f"'{shown(target.text)}'", expected="the value with its unit",
             example=f"{_plain(value * 100)}%")
    if normalize_unit(other, units) == _PERCENT and 0 < bound <= 1 < value:
        # the target is the bare number (≥0.95 against 96%): 95% or 0.95%?
        fail(f"is a percent against the target '{shown(target.text)}', which has no unit "
             "and could be a fraction or a percent", expected="the target with its unit",
             example=f"{_plain(bound * 100)}%")
    if value > 0 and bound > 0 and not Decimal("0.001") < value / bound < 1000:
        fail(f"has no unit and is a thousand times off the target '{shown(target.text)}'",
             expected="the value with its unit",
             example=f"{_plain(bound)}{target.unit or ''}")
    notes.append(f"{written}未写单位，按{other}读")
    return value


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _actual_date(s: str, text: str, target: Target, year: int | None,
                 fail: _Fail) -> Actual:
    if target.kind == DATE and _lexed(target.text)[0] == s:
        return Actual(STATE, text, state=Asserted(MET, text),
                      notes=("完成值重述指标值，读作已完成",))
    known = year
    if known is None and target.date is not None and target.date.year is not None:
        known = target.date.year
    m = DEADLINE_DAY.match(s)
    if m and not m["before"] and not m["within"]:
        y = int(m["y"]) if m["y"] else known
        if y is None:
            fail("gives a day without its year", expected="the project's year (年度), or "
                 "the day with its year", example="2023年11月20日")
        try:
            return Actual(DATE, text, date=_dt.date(y, int(m["m"]), int(m["d"])))
        except ValueError:
            fail(f"{y}-{m['m']}-{m['d']} is not a day of the calendar",
                 expected="a day that exists", example="2023年11月20日")
    m = DEADLINE_MONTH.match(s)
    if m and (m["y"] or "月" in s) and not m["before"] and m["end"] != "内":
        month = month_of(m["y"], int(m["m"]), fail)
        y = month.year if month.year is not None else known
        if m["end"] and y is not None:
            return Actual(DATE, text, date=month.last(y), notes=("“月底/月末”读作该月最后一天",))
        return Actual(DATE, text, date=month)
    fail(f"is not a completion date to compare with the deadline '{shown(target.text)}'",
         expected="the day or month it was done, or a state (按时完成, 未完成)",
         example="2023年11月20日 or 11月")

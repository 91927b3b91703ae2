"""Asserted states: an outcome given instead of a number, and the words yes/no facts read.

Real 实际完成值 cells often say ``达成预期指标``, ``已完成``, ``未完成``, ``部分完成`` or echo
the target (``≥266米``). A number fact declared with ``states: true`` reads such a text
as an ``Asserted(state, text)``: ``met``, ``not_met``, ``partly_met``, or ``echo`` (a
comparison ``op`` with a ``bound``, converted to the fact's unit by ``rubric.facts``).
What a state scores is each rule kind's decision (``rubric.rules``). Boolean facts read
the yes/no pairs of ``BOOLEAN_PAIRS``, and the words a fact was given in are kept
(``boolean_texts``) for the row's explanation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal

import attrs

from .errors import RulesetError

__all__ = [
    "ASSERTED_STATES",
    "BOOLEAN_EXPECTED",
    "BOOLEAN_PAIRS",
    "ECHO",
    "ECHO_OPS",
    "ECHO_SUFFIX_TEXT",
    "ECHO_TEXT",
    "MET",
    "NOT_MET",
    "PARTLY_MET",
    "STATE_TEXT",
    "Asserted",
    "boolean_texts",
    "read_asserted",
    "read_state",
]

MET, NOT_MET, PARTLY_MET, ECHO = "met", "not_met", "partly_met", "echo"
#: the states an asserted outcome can have (``echo``: a comparison restating a target)
ASSERTED_STATES: tuple[str, ...] = (MET, NOT_MET, PARTLY_MET, ECHO)


@attrs.frozen
class Asserted:
    """An outcome asserted instead of a number, with the text as given.

    ``state`` is ``met`` (``已完成``, ``达成预期指标``, ``全部完成``), ``not_met``
    (``未完成``), ``partly_met`` (``部分完成``, ``基本完成``) or ``echo``: a comparison
    (``≥266米``) whose ``op`` (one of ``≥ ≤ > <``) and ``bound`` (in the fact's unit)
    a rule compares with its own target. Not a usable number (``is_known`` is False):
    each rule kind decides what it scores, or leaves the row a range with the reason.
    """

    state: str
    text: str
    op: str | None = None
    bound: Decimal | None = None

    def __attrs_post_init__(self) -> None:
        if self.state not in ASSERTED_STATES:
            raise RulesetError(f"asserted state '{self.state}' is not known",
                               expected="one of " + ", ".join(ASSERTED_STATES))
        if (self.state == ECHO) != (self.op is not None and self.bound is not None):
            raise RulesetError("an echo (and only an echo) has a comparison and a bound",
                               example="Asserted('echo', '≥266米', '≥', Decimal(266))")


#: the Chinese yes/no forms a boolean fact reads, as pairs (shown in its error message)
BOOLEAN_PAIRS: tuple[tuple[str, str], ...] = (
    ("是", "否"), ("已完成", "未完成"), ("完成", "未完成"), ("达到", "未达到"),
    ("已达到", "未达到"), ("达成", "未达成"), ("已达成", "未达成"), ("达标", "未达标"),
    ("符合", "不符合"), ("合格", "不合格"), ("有", "无"))


_DONE = "(?:完成|达成|达到|实现|达标)"
_GOAL = "(?:(?:预期|年度|既定|计划|绩效)?(?:指标值|目标值|指标|目标|任务|要求))?"
_STANDARD = "(?:要求|标准|规定|预期)?"
#: the texts read as each asserted state (whitespace and a final 。 ignored)
STATE_TEXT: tuple[tuple[str, re.Pattern[str]], ...] = (
    (NOT_MET, re.compile(rf"(?:未能|未全部|尚未|没有|未|没){_DONE}{_GOAL}|"
                         rf"(?:不符合|不满足|未满足){_STANDARD}")),
    (PARTLY_MET, re.compile(rf"(?:部分|部份|基本|大部分|大部){_DONE}{_GOAL}")),
    (MET, re.compile(rf"(?:已经|已全部|均已|已|全部|全面|均|按时|按期|按计划)?{_DONE}了?"
                     rf"{_GOAL}|(?:符合|满足){_STANDARD}")),
)
ECHO_OPS = {"≥": "≥", ">=": "≥", "＞=": "≥", "≧": "≥", "不低于": "≥", "不少于": "≥",
             "不小于": "≥", "大于等于": "≥", "≤": "≤", "<=": "≤", "＜=": "≤", "≦": "≤",
             "不高于": "≤", "不超过": "≤", "不大于": "≤", "不多于": "≤", "小于等于": "≤",
             ">": ">", "＞": ">", "<": "<", "＜": "<"}
_SUFFIX_OPS = {"以上": "≥", "及以上": "≥", "以下": "≤", "及以下": "≤", "以内": "≤"}
#: a comparison restating a target: ``≥266米``, ``不低于 90%``
ECHO_TEXT = re.compile("^(?P<op>" + "|".join(sorted(map(re.escape, ECHO_OPS), key=len,
                                                     reverse=True))
                       + r")\s*(?P<rest>[+-]?\d.*)$")
ECHO_OPS.update(_SUFFIX_OPS)  # every comparison word -> its symbol
#: the same written after the number (以上/以下/以内 include it): ``266米以上``
ECHO_SUFFIX_TEXT = re.compile(r"^(?P<rest>[+-]?\d.*?)\s*(?P<op>及以上|以上|及以下|以下|以内)$")
BOOLEAN_EXPECTED = ("a boolean: true/false or 是/否 (also "
                    + ", ".join(f"{t}/{f}" for t, f in BOOLEAN_PAIRS[1:]) + ")")


def read_state(text: str) -> str | None:
    """The asserted state a text says (``met``, ``not_met``, ``partly_met``), or None."""
    plain = "".join(text.split()).rstrip("。．.；;！!")
    for state, pattern in STATE_TEXT:
        if pattern.fullmatch(plain):
            return state
    return None


def read_asserted(text: str, bound: Callable[[str, str], Decimal | None]) -> Asserted | None:
    """The asserted state ``text`` says (``已完成``, ``≥266米``, ``266米以上``), or None;
    ``bound(quantity, text)`` converts a comparison's quantity to the fact's unit (None:
    not a number)."""
    state = read_state(text)
    if state is not None:
        return Asserted(state, text)
    echo = ECHO_TEXT.match(text) or ECHO_SUFFIX_TEXT.match(text)
    if echo is not None:
        value = bound(echo["rest"], text)
        if value is not None:
            return Asserted(ECHO, text, ECHO_OPS[echo["op"]], value)
    return None


def boolean_texts(mapping: Mapping[str, object], values: Mapping[str, object]
                  ) -> dict[str, str]:
    """The words each yes/no fact was given in, when not 是/否 (``已完成``, ``合格``,
    ``true``): kept so the row's explanation shows the text as given."""
    out: dict[str, str] = {}
    for name, value in values.items():
        if value is True or value is False:
            raw = mapping[name]
            if type(raw) is str and raw not in _PLAIN_YES_NO:
                out[name] = raw.strip()
    return out


_PLAIN_YES_NO = frozenset({"是", "否"})

"""Classifying one claim against its computed score: achievable scores, rounding,
the evaluator's chosen range."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..engine.evaluation import NodeResult
from ..policy import ROUNDING_MODES
from ..rules.base import ChosenRange
from ..text import fmt, score_text, word
from ..text import zh_en as _zh_en
from ..trace import AssertedRange
from ..tree import Indicator, Node, Ruleset
from .classes import ZERO, lang_of

__all__ = ["achievable_scores", "classify", "rounding_match"]


def achievable_scores(node: Indicator, ruleset: Ruleset) -> frozenset[Decimal] | None:
    """Every score a discrete rule can give this row (capped and rounded as scored), or
    ``None`` when the rule's scores are continuous (ratios, formulas, proportional steps).

    Each kind says which scores it can award (``achievable``): bands, boolean, checklist
    (subset sums), categorical, deadline without per-day deduction, and step deductions
    with whole steps (floor/ceil) are discrete.
    """
    raw = node.rule.achievable(ruleset.defaults)  # type: ignore[attr-defined]
    if raw is None:
        return None
    policy = ruleset.policy
    cap = ruleset.points[node.id]
    out = set()
    for raw_score in raw:
        score = min(raw_score, cap)
        if policy.round_rows:
            score = policy.round(score)
        out.add(score)
    return frozenset(out)


def rounding_match(claim: Decimal, low: Decimal, high: Decimal, ruleset: Ruleset) -> int | None:
    """The number of decimals k < precision such that rounding the computed score (or
    some score of the computed range) to k decimals gives the claim; None if none does."""
    policy = ruleset.policy
    mode = ROUNDING_MODES[policy.rounding]
    for k in range(policy.precision):
        q = Decimal(1).scaleb(-k)
        if claim != claim.quantize(q):
            continue
        if low.quantize(q, mode) <= claim <= high.quantize(q, mode):
            return k
    return None


def _settling(res: NodeResult, lang: str) -> list[str]:
    """The facts that would settle ``res``; one given only as an asserted state (a range
    row) says so, with its text."""
    given = {s.fact: s.text for s in res.trace if isinstance(s, AssertedRange)}
    en = lang_of(lang) == "en"
    return [n if n not in given else
            (f"{n} (given only as '{given[n]}')" if en else f"{n}（仅给出“{given[n]}”）")
            for n in res.missing]


def classify(
    node: Node, res: NodeResult, claim: Decimal, ruleset: Ruleset, lang: str
) -> tuple[str, str | None]:
    """The score class of one claim, with a message unless it is consistent."""
    low, high, top = res.low, res.high, res.max_points
    c, lo, mx = fmt(claim), fmt(low), fmt(top)
    span = score_text(low, high)  # used once the facts leave a range
    if claim < 0 or claim > top:
        return "impossible", _zh_en(lang, f"申报 {c} 超出 [0, {mx}]",
                                    f"claimed {c} is outside [0, {mx}]")
    allowed = achievable_scores(node, ruleset) if isinstance(node, Indicator) else None
    if not res.applicable:
        allowed = frozenset({ZERO})
    if allowed is not None and claim not in allowed:
        shown = "、".join(fmt(s) for s in sorted(allowed)) if lang != "en" else ", ".join(
            fmt(s) for s in sorted(allowed))
        if low == high and rounding_match(claim, low, high, ruleset) is not None:
            pass  # handled below as rounding: the row's computed score rounded
        else:
            return "impossible", _zh_en(lang, f"申报 {c} 不是该规则可能给出的得分 ({shown})",
                                        f"claimed {c} is not a score this rule can give ({shown})")
    if low == high:
        if claim == low:
            return "consistent", None
        return _rounded_else(
            claim, low, high, ruleset, lang,
            lambda k: (f"计算得分 {lo} 被舍入为 {c} ({k} 位小数)",
                       f"computed {lo} was rounded to {c} ({k} decimals)"),
            ("wrong", f"申报 {c}, 按规则应得 {lo}", f"claimed {c}, the rule gives {lo}"))
    if not res.missing:  # a range no fact would settle: the evaluators' choices
        chosen = next((s for s in res.trace if isinstance(s, ChosenRange)
                       and (s.low, s.high) == (low, high)), None)  # not a part's
        return _chosen(chosen, claim, low, high, ruleset, lang)
    if low <= claim <= high:
        missing = f"{word('missing_facts', lang_of(lang))}: {', '.join(_settling(res, lang))}"
        return "feasible", _zh_en(lang, f"申报 {c} 在可能范围 {span} 内; {missing}",
                                  f"claimed {c} is inside the possible range {span}; {missing}")
    return _rounded_else(
        claim, low, high, ruleset, lang,
        lambda k: (f"申报 {c} 是范围 {span} 舍入到 {k} 位小数",
                   f"claimed {c} is the range {span} rounded to {k} decimals"),
        ("impossible", f"申报 {c} 超出可能范围 {span}",
         f"claimed {c} is outside the possible range {span}"))


def _chosen(step: ChosenRange | None, claim: Decimal, low: Decimal, high: Decimal,
            ruleset: Ruleset, lang: str) -> tuple[str, str | None]:
    """A claim on a node whose chosen tier or band (``step``; None for a group of such
    rows) is a range the evaluator scores within: inside it the claim stands
    (``consistent``), outside it is ``impossible``."""
    if step.allows(claim) if step is not None else low <= claim <= high:
        return "consistent", None
    c, span = fmt(claim), score_text(low, high)
    what = (step.name(lang_of(lang)) if step
            else _zh_en(lang, "评价人可给分", "the evaluators' range"))
    if low <= claim <= high:  # an open end of the tier: it belongs to the next one
        return "impossible", _zh_en(lang, f"{what} 应在 {span} 之间（不含 {c}）, 申报 {c}",
                                    f"{what} must be within {span} (excluding {c}), "
                                    f"claimed {c}")
    return _rounded_else(
        claim, low, high, ruleset, lang,
        lambda k: (f"申报 {c} 是 {what} {span} 舍入到 {k} 位小数",
                   f"claimed {c} is {what} {span} rounded to {k} decimals"),
        ("impossible", f"{what} 应在 {span} 之间, 申报 {c}",
         f"{what} must be within {span}, claimed {c}"))


def _rounded_else(claim: Decimal, low: Decimal, high: Decimal, ruleset: Ruleset, lang: str,
                  rounded: Callable[[int], tuple[str, str]],
                  otherwise: tuple[str, str, str]) -> tuple[str, str | None]:
    """A claim off the computed score or range: ``rounding`` when it is that rounded to
    k decimals (``rounded(k)``: the message in Chinese and English), else the class and
    message of ``otherwise`` (class, Chinese, English)."""
    k = rounding_match(claim, low, high, ruleset)
    if k is not None:
        return "rounding", _zh_en(lang, *rounded(k))
    kind, zh, en = otherwise
    return kind, _zh_en(lang, zh, en)

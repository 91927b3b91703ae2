"""How a filed table rounded its row scores, said once for the table.

Tables often print every row rounded to whole points (8.62 printed as 9). When claimed
rows are the computed scores rounded, the audit looks for the one rounding (to 0 ..
precision−1 decimals, the policy's mode) that reproduces every claimed row, or the most
of them, and says so once: ``得分按整数取整：8.62 → 9``. The total is shown under both
readings: the rules' (rows at the policy's precision) and the table's (the ruleset
evaluated with rows rounded that way), so a printed or implied 合计 of 98 against a
computed 97.24 reads as the rounding it is, not as an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..engine.evaluation import NodeResult, Result, evaluate
from ..errors import RubricError
from ..facts import Facts
from ..policy import ROUNDING_MODES
from ..text import fmt, score_text
from ..text import zh_en as _zh_en
from ..tree import Indicator, Node, Ruleset

__all__ = ["TableRounding", "rounded_claim", "table_rounding"]


@attrs.frozen
class TableRounding:
    """The rounding of the claimed rows: ``decimals`` (0: whole points), an example row
    (name, computed, claimed), the ids of the claimed rows it reproduces and of those it
    does not (``exceptions``), and the total under both readings (``exact``: the rules';
    ``rounded``: every row rounded to ``decimals``), each a (low, high) range; ``rounded``
    is None when the ruleset cannot be evaluated at that precision."""

    decimals: int
    example: tuple[str, Decimal, Decimal]
    rows: tuple[str, ...]
    exceptions: tuple[str, ...]
    exact: tuple[Decimal, Decimal]
    rounded: tuple[Decimal, Decimal] | None
    #: every node's score with the rows rounded that way, by id
    scores: Mapping[str, tuple[Decimal, Decimal]] = attrs.field(factory=dict, repr=False)

    def rule(self, lang: str = "zh") -> str:
        """``得分按整数取整：8.62 → 9`` (``row scores rounded to whole points: 8.62 → 9``)."""
        _name, computed, claim = self.example
        k = self.decimals
        how = _zh_en(lang, "整数" if k == 0 else f"{k} 位小数",
                     "whole points" if k == 0 else f"{k} decimals")
        return _zh_en(lang, f"得分按{how}取整：{fmt(computed)} → {fmt(claim)}",
                      f"row scores rounded to {how}: {fmt(computed)} → {fmt(claim)}")

    def text(self, lang: str = "zh") -> str:
        """The rule, which claimed rows it reproduces, and the total under both readings."""
        n = len(self.rows) + len(self.exceptions)
        if not self.exceptions:
            which = _zh_en(lang, f"重现全部 {n} 行申报得分", f"reproduces all {n} claimed rows")
        else:
            sep = _zh_en(lang, "、", ", ")
            which = _zh_en(lang, f"重现 {n} 行申报得分中的 {len(self.rows)} 行，不符："
                           f"{sep.join(self.exceptions)}",
                           f"reproduces {len(self.rows)} of {n} claimed rows, not "
                           f"{sep.join(self.exceptions)}")
        exact = score_text(*self.exact)
        rounded = _zh_en(lang, "无法汇总", "not computable") if self.rounded is None \
            else score_text(*self.rounded)
        totals = _zh_en(lang, f"合计：按规则精度 {exact}，按取整后各行 {rounded}",
                        f"total: {exact} at the rules' precision, {rounded} with the rows "
                        "rounded")
        return _zh_en(lang, f"{self.rule(lang)}（{which}）；{totals}",
                      f"{self.rule(lang)} ({which}); {totals}")

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        name, computed, claim = self.example
        return {"decimals": self.decimals, "rule": self.rule(lang),
                "example": {"row": name, "computed": fmt(computed), "claimed": fmt(claim)},
                "rows": list(self.rows), "exceptions": list(self.exceptions),
                "total": score_text(*self.exact),
                "total_rounded": None if self.rounded is None else score_text(*self.rounded),
                "text": self.text(lang)}


def table_rounding(ruleset: Ruleset, facts: Facts, result: Result,
                   results: Mapping[str, NodeResult], scores: Mapping[str, Decimal]
                   ) -> TableRounding | None:
    """The rounding that reproduces the claimed rows (``scores``), or None when no claimed
    row is a computed score rounded."""
    policy = ruleset.policy
    mode = ROUNDING_MODES[policy.rounding]
    claimed: list[tuple[Node, Decimal, Decimal]] = []  # settled rows with a claim
    for node in ruleset.indicators():
        res, claim = results[node.id], scores.get(node.id)
        if claim is not None and res.applicable and res.low == res.high:
            claimed.append((node, res.low, claim))
    best: tuple[int, list[tuple[Node, Decimal, Decimal]]] | None = None
    for k in range(policy.precision):
        q = Decimal(1).scaleb(-k)
        hit = [c for c in claimed if c[1].quantize(q, mode) == c[2]]
        if any(computed != claim for _n, computed, claim in hit) and (
                best is None or len(hit) > len(best[1])):
            best = (k, hit)
    if best is None:
        return None
    k, hit = best
    row, computed, claim = next(c for c in hit if c[1] != c[2])
    try:
        reading: Result | None = _rounded_reading(ruleset, facts, k)
    except RubricError:  # the ruleset refuses that precision: the rows, said; no total
        reading = None
    return TableRounding(
        k, (row.name, computed, claim), tuple(n.id for n, _c, _x in hit),
        tuple(n.id for n, _c, _x in claimed if all(n is not h[0] for h in hit)),
        (result.low, result.high), None if reading is None else (reading.low, reading.high),
        {} if reading is None else reading.scores())


def _rounded_reading(ruleset: Ruleset, facts: Facts, decimals: int) -> Result:
    """The ruleset's scores with every row rounded to ``decimals``."""
    policy = attrs.evolve(ruleset.policy, precision=decimals, round_rows=True)
    return evaluate(attrs.evolve(ruleset, policy=policy), facts)


def rounded_claim(rounding: TableRounding | None, node: Node, res: NodeResult,
                  claim: Decimal, lang: str) -> str | None:
    """A group's claim (or the 合计) that is the table's rounded reading of its rows, not
    the rules' (``res``): the message saying so, else None."""
    if rounding is None or isinstance(node, Indicator):
        return None
    low, high = rounding.scores.get(node.id, (None, None))
    if low is None or low != high or low != claim:
        return None
    k = rounding.decimals
    how = _zh_en(lang, "整数" if k == 0 else f"{k} 位小数",
                 "whole points" if k == 0 else f"{k} decimals")
    exact = score_text(res.low, res.high)
    return _zh_en(lang, f"申报 {fmt(claim)} 是各行按{how}取整后之和；按规则为 {exact}",
                  f"claimed {fmt(claim)} is the sum of the rows rounded to {how}; the rules "
                  f"give {exact}")

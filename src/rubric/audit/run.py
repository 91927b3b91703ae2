"""``audit``: evaluate the facts and classify every claimed score and printed 分值."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..engine.evaluation import NodeResult, evaluate
from ..engine.plan import plan_of
from ..errors import LoadError, Problem
from ..facts import Facts, suggest
from ..rules.row_options import adds_up
from ..text import fmt, score_text
from ..text import zh_en as _zh_en
from ..tree import Group, Indicator, Node, Ruleset
from .claimed import Claimed, claim_at
from .classes import ACCEPTABLE, CLASSES, ZERO, lang_of
from .classify import classify
from .maxima import maxima_findings, printed_maxima
from .printed import check_printed, printed_problems, rows_of
from .report import AuditEntry, AuditReport
from .rounding import TableRounding, rounded_claim, table_rounding
from .row_warnings import row_warnings

__all__ = ["audit"]


def audit(ruleset: Ruleset, facts: Mapping[str, Any] | Facts, claimed: Claimed,
          *, lang: str = "zh") -> AuditReport:
    """Evaluate ``facts`` and classify every claimed score and printed 分值.

    Claimed ids must be nodes of the ruleset (LoadError listing every unknown id, with
    ``file:line`` and a "did you mean"), printed values number facts of it. ``lang`` is
    the language of the messages and explanations (``zh`` or ``en``).
    """
    _check_ids(ruleset, claimed)
    coerced = plan_of(ruleset).coerce(facts)
    result = evaluate(ruleset, coerced)
    root_id = ruleset.root.id
    scores = dict(claimed.scores)
    if claimed.total is not None:
        scores[root_id] = claimed.total
    blank = set(claimed.blank_ids(root_id))
    results = {r.id: r for r in result.nodes()}
    printed = check_printed(ruleset, result, claimed, lang)
    printed_rows = rows_of(printed)
    implied: dict[str, Decimal | None] = {}
    rounding = table_rounding(ruleset, coerced, result, results, scores)
    maxima = printed_maxima(ruleset, claimed)

    def claim_of(node: Node) -> Decimal | None:
        """The node's claim, or the capped sum of its children's when all are claimed."""
        if node.id in implied:
            return implied[node.id]
        value = scores.get(node.id)
        if value is None and node.id not in blank and isinstance(node, Group) \
                and node.select == "all":
            summed = [c for c in node.children if adds_up(c)]  # not a 其中 row (adds: false)
            parts = [p for c in summed if (p := claim_of(c)) is not None]
            if len(parts) == len(summed):
                value = min(sum(parts, ZERO), ruleset.points[node.id])
        implied[node.id] = value
        return value

    entries = []
    for node, depth in ruleset.walk():
        res = results[node.id]
        claim = scores.get(node.id)
        key = ("total" if node.id == root_id and (claimed.total is not None or claimed.total_blank)
               else f"scores.{node.id}")
        found: list[tuple[str, str | None]] = []
        total_of_rows = None
        if claim is not None:
            found.append(_as_rounded(classify(node, res, claim, ruleset, lang), rounding, node,
                                     res, claim, lang))
            if isinstance(node, Group):
                sum_msg = _sum_check(node, res, claim, claim_of, ruleset, lang)
                if sum_msg:
                    found.append(("sum_mismatch", sum_msg))
        elif node.id in blank:
            found.append(("not_scored", _blank(res, lang)))
        else:
            found.append(("unclaimed", None))
            if node.id == root_id and not _renormalised(res):
                total_of_rows = claim_of(node)  # the 合计 the printed rows imply
                if total_of_rows is not None:
                    found.extend(_implied_total(node, res, total_of_rows, ruleset, rounding,
                                                lang))
        problems, notes = maxima_findings(node, ruleset, maxima, lang)
        for msg in problems:
            found.append(("maxima_mismatch", msg))
            if claim is None and node.id not in blank:
                key = f"maxima.{node.id}"
        for check in printed_rows.get(node.id, ()):
            found.append(("printed_mismatch", check.message))
        found.sort(key=lambda f: CLASSES.index(f[0]))
        classes = tuple(dict.fromkeys(f[0] for f in found))
        if classes != ("unclaimed",) and "unclaimed" in classes:
            classes = tuple(c for c in classes if c != "unclaimed")
        entries.append(AuditEntry(
            node.id, node.name, res.kind, depth, classes, claim, res.low, res.high,
            res.max_points, claimed.maxima.get(node.id),
            tuple(m for _c, m in found if m), res.explain(lang) if res.kind == "indicator" else "",
            claimed.where(key), res.applicable, blank=node.id in blank, implied=total_of_rows,
            warnings=(row_warnings(ruleset, result, node, res, lang)
                      if isinstance(node, Indicator) else ()),
            notes=tuple(notes),
        ))
    return AuditReport(tuple(entries), result, claimed, printed=printed, rounding=rounding,
                       lang=lang_of(lang))


def _as_rounded(found: tuple[str, str | None], rounding: TableRounding | None, node: Node,
                res: NodeResult, claim: Decimal, lang: str) -> tuple[str, str | None]:
    """A subtotal or total claimed as the sum of the rows the table rounded: ``rounding``."""
    if found[0] in ("wrong", "rounding"):
        message = rounded_claim(rounding, node, res, claim, lang)
        if message is not None:
            return "rounding", message
    return found


def _renormalised(res: NodeResult) -> bool:
    return any(step.type == "renormalised" for step in res.trace)


def _blank(res: NodeResult, lang: str) -> str:
    """A 得分 cell printed empty: not scored, with what the rule gives."""
    if not res.applicable:
        return _zh_en(lang, "得分空白（未评分）；本行不适用", "得分 left blank (not scored); "
                      "the row is not applicable")
    span = score_text(res.low, res.high)
    return _zh_en(lang, f"得分空白（未评分）；按规则应得 {span}",
                  f"得分 left blank (not scored); the rule gives {span}")


def _implied_total(node: Node, res: NodeResult, total: Decimal, ruleset: Ruleset,
                   rounding: TableRounding | None, lang: str) -> list[tuple[str, str | None]]:
    """The 合计 not printed, but implied by the printed rows (their capped sum), against
    the computed total: a finding when it differs."""
    status, message = _as_rounded(classify(node, res, total, ruleset, lang), rounding, node,
                                  res, total, lang)
    if message is None or status in ACCEPTABLE:  # nothing printed, nothing to report
        return []
    head = _zh_en(lang, f"合计未印刷，按下级申报之和 {fmt(total)} 核对：",
                  f"no 合计 printed; the printed rows add up to {fmt(total)}: ")
    return [(status, head + message)]


def _sum_check(node: Group, res: NodeResult, claim: Decimal, claim_of: Any, ruleset: Ruleset,
               lang: str) -> str | None:
    if node.select != "all" or _renormalised(res):
        return None
    parts = [claim_of(c) for c in node.children if adds_up(c)]
    if any(p is None for p in parts):
        return None
    total = sum(parts, ZERO)
    expected = min(total, ruleset.points[node.id])
    if claim == expected:
        return None
    detail = " + ".join(fmt(p) for p in parts)
    capped = "" if expected == total else _zh_en(lang, f", 封顶 {fmt(expected)}",
                                                   f", capped at {fmt(expected)}")
    return _zh_en(lang, f"合计 {fmt(claim)} ≠ 下级申报之和 {detail} = {fmt(total)}{capped}",
                  f"subtotal {fmt(claim)} ≠ sum of claimed children {detail} = "
                  f"{fmt(total)}{capped}")


def _check_ids(ruleset: Ruleset, claimed: Claimed) -> None:
    known = [n.id for n, _d in ruleset.walk()]
    problems = []
    for section, ids in (("scores", claimed.scores), ("scores", claimed.blank),
                         ("maxima", claimed.maxima)):
        for node_id in ids:
            if node_id not in known:
                hint = suggest(node_id, known)
                file, line = claim_at(claimed, f"{section}.{node_id}")
                problems.append(Problem(
                    f"'{node_id}' is not an indicator or group of ruleset "
                    f"'{ruleset.metadata.id or ruleset.root.id}'"
                    + (f" (did you mean '{hint}'?)" if hint else ""),
                    file=file, line=line, path=f"$.{section}.{node_id}",
                    expected="an id of the ruleset", example=hint or known[-1]))
    if claimed.total is not None and ruleset.root.id in claimed.scores \
            and claimed.scores[ruleset.root.id] != claimed.total:
        file, line = claim_at(claimed, "total")
        problems.append(Problem(
            f"total {fmt(claimed.total)} differs from scores.{ruleset.root.id} "
            f"{fmt(claimed.scores[ruleset.root.id])}", file=file, line=line, path="$.total",
            expected="one claim for the total"))
    problems.extend(printed_problems(ruleset, claimed))
    if problems:
        raise LoadError(problems)

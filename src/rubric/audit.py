"""Audit a claimed (already scored) table: recompute every node and classify each claim.

Reviewers re-score what units claimed: the 得分 of a filed table are the unit's own
claims, checked against the facts. ``audit(ruleset, facts, claimed)`` evaluates the
facts and compares each claimed 得分 and printed 分值 with what the ruleset gives.
Every node gets one or more classes, most severe first:

- ``impossible``: outside the computed range, above the node's 分值, below 0, or not a
  score the rule can give at all (4 for a 5-or-0 boolean row);
- ``wrong``: the facts settle the row and the rule gives another (achievable) score;
- ``sum_mismatch``: a subtotal or total that is not the (capped) sum of its claimed
  children (a group whose children are all claimed counts as claimed by their sum);
- ``maxima_mismatch``: a printed 分值 that differs from the ruleset's, or printed
  children's 分值 that do not add up to the printed parent's;
- ``rounding``: the claim is the computed score rounded to fewer decimals than the
  policy's precision (8.62 printed as 9);
- ``feasible``: facts are missing and the claim lies inside the possible range;
- a row whose tier or band leaves the score to the evaluator within a range (a
  ``tier`` rule, a band with a score range) is ``consistent`` for a claim inside the
  range and ``impossible`` outside it (``不可能: “达成”档 应在 6.4–8 之间, 申报 5``);
- ``consistent``: the claim equals the computed score;
- ``unclaimed``: nothing was claimed for this node.

``consistent``, ``feasible`` and ``unclaimed`` are acceptable (``AuditReport.ok``);
anything else is a finding. The warnings about the unit's facts (plain numbers read for
% facts, violated constraints) come with the report (``AuditReport.warnings``), listed
before the summary line. ``load_claimed`` reads the claimed YAML file and keeps line
numbers so findings and bad input point at ``file:line``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from .engine.evaluation import NodeResult, Result, evaluate
from .errors import LoadError, Location, Problem, RubricError
from .facts import Facts, suggest, to_decimal
from .policy import ROUNDING_MODES
from .rules.base import ChosenRange
from .rules.row_options import adds_up
from .text import display_width, fmt, score_text, word
from .text import zh_en as _zh_en
from .trace import AssertedRange
from .tree import Group, Indicator, Node, Ruleset

__all__ = [
    "ACCEPTABLE",
    "CLASSES",
    "AuditEntry",
    "AuditReport",
    "Claimed",
    "achievable_scores",
    "audit",
    "format_audit",
    "load_claimed",
    "status_label",
]

ZERO = Decimal(0)
# Most severe first; an entry's ``status`` is the first of its classes in this order.
CLASSES = ("impossible", "wrong", "sum_mismatch", "maxima_mismatch", "rounding", "feasible",
           "consistent", "unclaimed")
ACCEPTABLE = frozenset({"consistent", "feasible", "unclaimed"})

_LABELS = {
    "zh": {"impossible": "不可能", "wrong": "错误", "sum_mismatch": "合计不符",
           "maxima_mismatch": "分值不符", "rounding": "舍入", "feasible": "可能",
           "consistent": "一致", "unclaimed": "未申报"},
    "en": {c: c.replace("_", " ") for c in CLASSES},
}


def status_label(status: str, lang: str = "zh") -> str:
    """An audit class as the reports print it (``impossible`` is 不可能 in Chinese)."""
    return _LABELS[_lang(lang)][status]


def _dec_map(value: Mapping[str, Any] | None) -> Mapping[str, Decimal]:
    return {str(k): to_decimal(v, f"claimed value of '{k}'") for k, v in (value or {}).items()}


def _opt_dec(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, "claimed total")


@attrs.frozen
class Claimed:
    """What a filed table claims: 得分 by node id, printed 分值 by node id, the total.

    ``total`` is the claim for the root (合计); ``lines`` maps ``"scores.<id>"``,
    ``"maxima.<id>"`` and ``"total"`` to line numbers in ``source`` (for messages).
    """

    scores: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_dec_map)
    maxima: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_dec_map)
    total: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    source: str | None = attrs.field(default=None, eq=False)
    lines: Mapping[str, int] = attrs.field(factory=dict, eq=False, repr=False)

    def where(self, key: str) -> str | None:
        """``file:line`` of a key (``scores.预算调整率``), or just the file, or None."""
        if self.source is None:
            return None
        line = self.lines.get(key)
        return f"{self.source}:{line}" if line else self.source


@attrs.frozen
class AuditEntry:
    """The audit of one node: its classes (most severe first) and why.

    ``low``/``high`` are the computed score range (equal when the facts settle it);
    ``messages`` explain each non-acceptable class; ``explanation`` is the computed
    row's own explanation (the rule's trace).
    """

    id: str
    name: str
    kind: str
    depth: int
    classes: tuple[str, ...]
    claimed: Decimal | None
    low: Decimal
    high: Decimal
    max_points: Decimal
    printed_max: Decimal | None = None
    messages: tuple[str, ...] = ()
    explanation: str = ""
    where: str | None = None
    #: False for a row or group that is not applicable (its 计算 column says 不计, not 0)
    applicable: bool = True

    @property
    def status(self) -> str:
        """The most severe class."""
        return self.classes[0]

    @property
    def ok(self) -> bool:
        return all(c in ACCEPTABLE for c in self.classes)

    @property
    def computed(self) -> Decimal | None:
        return self.low if self.low == self.high else None

    def computed_text(self, lang: str = "zh") -> str:
        """The computed score, or its range: ``5`` or ``0–5``; ``不计`` when the node is
        not applicable (as the score table prints it)."""
        return score_text(self.low, self.high) if self.applicable else word("not_scored",
                                                                             _lang(lang))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "depth": self.depth,
            "status": self.status, "classes": list(self.classes),
            "claimed": None if self.claimed is None else fmt(self.claimed),
            "low": fmt(self.low), "high": fmt(self.high),
            "max_points": fmt(self.max_points),
            "printed_max": None if self.printed_max is None else fmt(self.printed_max),
            "messages": list(self.messages), "explanation": self.explanation,
            "where": self.where, "applicable": self.applicable,
        }


@attrs.frozen
class AuditReport:
    """Every node's audit in table order (root first), and the evaluation behind it."""

    entries: tuple[AuditEntry, ...]
    result: Result = attrs.field(repr=False)
    claimed: Claimed = attrs.field(repr=False)

    @property
    def ok(self) -> bool:
        """True when every claim is consistent, feasible or absent."""
        return all(e.ok for e in self.entries)

    @property
    def findings(self) -> tuple[AuditEntry, ...]:
        return tuple(e for e in self.entries if not e.ok)

    def __getitem__(self, node_id: str) -> AuditEntry:
        for entry in self.entries:
            if entry.id == node_id:
                return entry
        raise KeyError(node_id)

    def counts(self) -> dict[str, int]:
        """How many entries have each status (most severe class)."""
        out = dict.fromkeys(CLASSES, 0)
        for entry in self.entries:
            out[entry.status] += 1
        return {k: v for k, v in out.items() if v}

    @property
    def warnings(self) -> tuple[str, ...]:
        """The warnings about the unit's facts behind the recomputed scores (plain
        numbers read for % facts, violated constraints): ``Result.fact_warnings``.
        They are not findings about the claims and do not change ``ok``."""
        return self.result.fact_warnings

    def to_dict(self, *, all_nodes: bool = True) -> dict[str, Any]:
        """The audit as JSON-ready data; ``all_nodes=False`` keeps only entries with a
        claim or a finding (as ``format_audit`` does), ``counts`` still covers all."""
        return {"format": "rubric.audit/1", "ok": self.ok, "counts": self.counts(),
                "warnings": list(self.warnings),
                "rescaled": self.result.rescaling_text(),
                "entries": [e.to_dict() for e in self.entries
                            if all_nodes or e.status != "unclaimed"]}


# ----------------------------------------------------------------------------- scores


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


def _rounding_match(claim: Decimal, low: Decimal, high: Decimal, ruleset: Ruleset) -> int | None:
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
    en = _lang(lang) == "en"
    return [n if n not in given else
            (f"{n} (given only as '{given[n]}')" if en else f"{n}（仅给出“{given[n]}”）")
            for n in res.missing]


def _classify(
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
        if low == high and _rounding_match(claim, low, high, ruleset) is not None:
            pass  # handled below as rounding: the row's computed score rounded
        else:
            return "impossible", _zh_en(lang, f"申报 {c} 不是该规则可能给出的得分 ({shown})",
                                        f"claimed {c} is not a score this rule can give ({shown})")
    if low == high:
        if claim == low:
            return "consistent", None
        k = _rounding_match(claim, low, high, ruleset)
        if k is not None:
            return "rounding", _zh_en(lang, f"计算得分 {lo} 被舍入为 {c} ({k} 位小数)",
                                      f"computed {lo} was rounded to {c} ({k} decimals)")
        return "wrong", _zh_en(lang, f"申报 {c}, 按规则应得 {lo}",
                               f"claimed {c}, the rule gives {lo}")
    if not res.missing:  # a range no fact would settle: the evaluators' choices
        chosen = next((s for s in res.trace if isinstance(s, ChosenRange)
                       and (s.low, s.high) == (low, high)), None)  # not a part's
        return _chosen(chosen, claim, low, high, ruleset, lang)
    if low <= claim <= high:
        missing = f"{word('missing_facts', _lang(lang))}: {', '.join(_settling(res, lang))}"
        return "feasible", _zh_en(lang, f"申报 {c} 在可能范围 {span} 内; {missing}",
                                  f"claimed {c} is inside the possible range {span}; {missing}")
    k = _rounding_match(claim, low, high, ruleset)
    if k is not None:
        return "rounding", _zh_en(lang, f"申报 {c} 是范围 {span} 舍入到 {k} 位小数",
                                  f"claimed {c} is the range {span} rounded to {k} decimals")
    return "impossible", _zh_en(lang, f"申报 {c} 超出可能范围 {span}",
                                f"claimed {c} is outside the possible range {span}")


def _chosen(step: ChosenRange | None, claim: Decimal, low: Decimal, high: Decimal,
            ruleset: Ruleset, lang: str) -> tuple[str, str | None]:
    """A claim on a node whose chosen tier or band (``step``; None for a group of such
    rows) is a range the evaluator scores within: inside it the claim stands
    (``consistent``), outside it is ``impossible``."""
    if step.allows(claim) if step is not None else low <= claim <= high:
        return "consistent", None
    c, span = fmt(claim), score_text(low, high)
    what = step.name(_lang(lang)) if step else _zh_en(lang, "评价人可给分", "the evaluators' range")
    if low <= claim <= high:  # an open end of the tier: it belongs to the next one
        return "impossible", _zh_en(lang, f"{what} 应在 {span} 之间（不含 {c}）, 申报 {c}",
                                    f"{what} must be within {span} (excluding {c}), "
                                    f"claimed {c}")
    k = _rounding_match(claim, low, high, ruleset)
    if k is not None:
        return "rounding", _zh_en(lang, f"申报 {c} 是 {what} {span} 舍入到 {k} 位小数",
                                  f"claimed {c} is {what} {span} rounded to {k} decimals")
    return "impossible", _zh_en(lang, f"{what} 应在 {span} 之间, 申报 {c}",
                                f"{what} must be within {span}, claimed {c}")


def audit(ruleset: Ruleset, facts: Mapping[str, Any] | Facts, claimed: Claimed,
          *, lang: str = "zh") -> AuditReport:
    """Evaluate ``facts`` and classify every claimed score and printed 分值.

    Claimed ids must be nodes of the ruleset (LoadError listing every unknown id, with
    ``file:line`` and a "did you mean"). ``lang`` is the language of the messages and
    explanations (``zh`` or ``en``).
    """
    _check_ids(ruleset, claimed)
    result = evaluate(ruleset, facts)
    root_id = ruleset.root.id
    scores = dict(claimed.scores)
    if claimed.total is not None:
        scores[root_id] = claimed.total
    results = {r.id: r for r in result.nodes()}
    implied: dict[str, Decimal | None] = {}

    def claim_of(node: Node) -> Decimal | None:
        """The node's claim, or the capped sum of its children's when all are claimed."""
        if node.id in implied:
            return implied[node.id]
        value = scores.get(node.id)
        if value is None and isinstance(node, Group) and node.select == "all":
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
        key = "total" if node.id == root_id and claimed.total is not None else f"scores.{node.id}"
        found: list[tuple[str, str | None]] = []
        if claim is not None:
            found.append(_classify(node, res, claim, ruleset, lang))
            if isinstance(node, Group):
                sum_msg = _sum_check(node, res, claim, claim_of, ruleset, lang)
                if sum_msg:
                    found.append(("sum_mismatch", sum_msg))
        else:
            found.append(("unclaimed", None))
        for msg in _maxima_check(node, claimed, ruleset, lang):
            found.append(("maxima_mismatch", msg))
            if claim is None:
                key = f"maxima.{node.id}"
        found.sort(key=lambda f: CLASSES.index(f[0]))
        classes = tuple(dict.fromkeys(f[0] for f in found))
        if classes != ("unclaimed",) and "unclaimed" in classes:
            classes = tuple(c for c in classes if c != "unclaimed")
        entries.append(AuditEntry(
            node.id, node.name, res.kind, depth, classes, claim, res.low, res.high,
            res.max_points, claimed.maxima.get(node.id),
            tuple(m for _c, m in found if m), res.explain(lang) if res.kind == "indicator" else "",
            claimed.where(key), res.applicable,
        ))
    return AuditReport(tuple(entries), result, claimed)


def _sum_check(node: Group, res: NodeResult, claim: Decimal, claim_of: Any, ruleset: Ruleset,
               lang: str) -> str | None:
    if node.select != "all" or any(step.type == "renormalised" for step in res.trace):
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


def _maxima_check(node: Node, claimed: Claimed, ruleset: Ruleset, lang: str) -> Iterator[str]:
    printed = claimed.maxima.get(node.id)
    if printed is None:
        return
    own = ruleset.points[node.id]
    if printed != own:
        yield _zh_en(lang, f"印刷分值 {fmt(printed)} ≠ 规则集分值 {fmt(own)}",
                     f"printed 分值 {fmt(printed)} ≠ the ruleset's {fmt(own)}")
    if isinstance(node, Group) and node.select == "all":
        summed = [c for c in node.children if adds_up(c)]
        kids = [claimed.maxima[c.id] for c in summed if c.id in claimed.maxima]
        if len(kids) == len(summed):
            total = sum(kids, ZERO)
            if total != printed:
                yield _zh_en(lang, f"印刷分值 {fmt(printed)} ≠ 下级印刷分值之和 {fmt(total)}",
                             f"printed 分值 {fmt(printed)} ≠ sum of printed children's "
                             f"{fmt(total)}")


def _check_ids(ruleset: Ruleset, claimed: Claimed) -> None:
    known = [n.id for n, _d in ruleset.walk()]
    problems = []
    for section in ("scores", "maxima"):
        for node_id in getattr(claimed, section):
            if node_id not in known:
                hint = suggest(node_id, known)
                file, line = _claim_at(claimed, f"{section}.{node_id}")
                problems.append(Problem(
                    f"'{node_id}' is not an indicator or group of ruleset "
                    f"'{ruleset.metadata.id or ruleset.root.id}'"
                    + (f" (did you mean '{hint}'?)" if hint else ""),
                    file=file, line=line, path=f"$.{section}.{node_id}",
                    expected="an id of the ruleset", example=hint or known[-1]))
    if claimed.total is not None and ruleset.root.id in claimed.scores \
            and claimed.scores[ruleset.root.id] != claimed.total:
        file, line = _claim_at(claimed, "total")
        problems.append(Problem(
            f"total {fmt(claimed.total)} differs from scores.{ruleset.root.id} "
            f"{fmt(claimed.scores[ruleset.root.id])}", file=file, line=line, path="$.total",
            expected="one claim for the total"))
    if problems:
        raise LoadError(problems)


def _claim_at(claimed: Claimed, key: str) -> tuple[str | None, int | None]:
    """The file and line of a claimed key (``scores.预算调整率``), as ``Claimed`` keeps them."""
    return claimed.source, claimed.lines.get(key) if claimed.source is not None else None


# ------------------------------------------------------------------------------ files


def load_claimed(path: str | os.PathLike[str]) -> Claimed:
    """Read a claimed-scores YAML file (``scores``, ``maxima``, ``total``).

    The file is read by the located reader (``io.located_yaml``), as rulesets and
    facts are. Every problem is reported at once as a ``LoadError`` with ``file:line``:
    unknown top-level keys, duplicate keys and ids, values that are not numbers.
    """
    from .io.files import check_text_file
    from .io.located_yaml import Doc, PathT, parse

    name = os.fspath(path)

    def duplicate(at_path: PathT, at: Location, first: int | None) -> Problem | None:
        if len(at_path) == 2 and at_path[0] in ("scores", "maxima"):
            return Problem(f"'{at_path[1]}' is listed twice under {at_path[0]} (first on line "
                           f"{first})", file=name, line=at.line, path=at.path,
                           expected="each id once")
        return None  # the reader's "duplicate key" problem

    doc: Doc
    doc, problems = parse(check_text_file(name), filename=name, duplicate=duplicate)
    lines: dict[str, int] = {}
    data: dict[str, Any] = {"scores": {}, "maxima": {}, "total": None}
    root = {} if doc.data is None else doc.data
    if not isinstance(root, dict):
        raise LoadError([Problem("a claimed file is a mapping", file=name,
                                 line=doc.where(())[0], expected="keys scores, maxima, total",
                                 example="scores: {预算调整率: 5}")])
    for raw_key, value in root.items():
        key = str(raw_key)
        line = doc.where_key((raw_key,))[0]
        if key == "total":
            lines["total"] = doc.where((raw_key,))[0]
            data["total"] = _number(value, doc, (raw_key,), problems)
        elif key in ("scores", "maxima"):
            if value is None:
                continue
            if not isinstance(value, dict):
                problems.append(Problem(f"'{key}' maps node ids to numbers", file=name,
                                        line=line, path=f"$.{key}",
                                        example=f"{key}: {{预算调整率: 5}}"))
                continue
            for raw_id, v in value.items():
                node_id = str(raw_id)
                lines[f"{key}.{node_id}"] = doc.where_key((raw_key, raw_id))[0]
                number = _number(v, doc, (raw_key, raw_id), problems)
                if number is not None:
                    data[key][node_id] = number
        else:
            hint = suggest(key, ("scores", "maxima", "total"))
            problems.append(Problem(
                f"unknown key '{key}'" + (f" (did you mean '{hint}'?)" if hint else ""),
                file=name, line=line, path=f"$.{key}", expected="scores, maxima or total",
                example="total: 98"))
    if problems:
        raise LoadError(problems)
    return Claimed(data["scores"], data["maxima"], data["total"], source=name, lines=lines)


def _number(value: object, doc: Any, path: tuple[Any, ...], problems: list[Problem]
            ) -> Decimal | None:
    """``value`` (at ``path`` in ``doc``) as a number of points, else a Problem there."""
    line, col = doc.where(path)
    where = "$." + ".".join(str(p) for p in path)
    if any((p.line, p.col) == (line, col) for p in problems):  # the reader refused it (0x10)
        return None
    if value is None or isinstance(value, (dict, list)) or value == "":
        problems.append(Problem("expected a number of points", file=doc.filename, line=line,
                                col=col, path=where, expected="a number",
                                example="5 or 8.62"))
        return None
    try:
        return to_decimal(value)
    except RubricError:
        text = str(value).lower() if isinstance(value, bool) else value  # as written
        problems.append(Problem(f"'{text}' is not a number", file=doc.filename, line=line,
                                col=col, path=where, expected="a number of points",
                                example="5 or 8.62"))
        return None


# ---------------------------------------------------------------------------- rendering


def format_audit(report: AuditReport, lang: str = "zh", *, all_nodes: bool = True) -> str:
    """The audit as a plain-text table (indented by depth), findings explained below."""
    labels = _LABELS[_lang(lang)]
    head = (("node", "class", "claimed", "computed", "max") if lang == "en"
            else ("指标", "结论", "申报", "计算", "分值"))
    rows = []
    for e in report.entries:
        if not all_nodes and e.status == "unclaimed":
            continue
        rows.append(("  " * e.depth + e.name, "+".join(labels[c] for c in e.classes),
                     "—" if e.claimed is None else fmt(e.claimed), e.computed_text(lang),
                     fmt(e.max_points)))
    widths = [max(display_width(r[i]) for r in itertools.chain([head], rows)) for i in range(5)]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(r, widths)).rstrip()
             for r in itertools.chain([head], rows)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    rescaled = report.result.rescaling_text(_lang(lang))
    if rescaled is not None:  # how the computed total was rescaled, under the table
        lines.append(rescaled)
    findings = [e for e in report.entries if not e.ok or e.status == "feasible"]
    if findings:
        lines.append("")
    for e in findings:
        where = f"{e.where}: " if e.where else ""
        lines.append(f"{where}{e.name} [{'+'.join(labels[c] for c in e.classes)}]: "
                     + "; ".join(e.messages))
        if e.explanation and e.status != "feasible":
            lines.append(("    computed: " if lang == "en" else "    计算: ") + e.explanation)
    if report.warnings:
        lines.append("")
        prefix = "warning: " if lang == "en" else "警告："
        lines.extend(prefix + text for text in report.warnings)
    counts = ", ".join(f"{labels[k]} {v}" for k, v in report.counts().items())
    lines.append("")
    lines.append(("OK" if report.ok else "FINDINGS") + f" ({counts})" if lang == "en"
                 else ("通过" if report.ok else "有问题") + f" ({counts})")
    return "\n".join(lines)


def _lang(lang: str) -> str:
    """The audit's language: English for ``en``, Chinese for anything else."""
    return "en" if lang == "en" else "zh"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))

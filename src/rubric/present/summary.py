"""What a scoring run established, in two or three lines that lead the table.

A newcomer who scores a table with half its facts missing sees ``0–5`` in most rows and
a total of ``18–100``: honest, but it reads as broken. These lines say first what rubric
did: how many rows the facts settle and what they score, how many are open and how many
facts would settle them, the total's range and grades, how many rows are not
applicable, each veto of the table that held or may hold, and (when the caller audited
published scores) whether those scores are consistent with the stated facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol

from ..audit import ACCEPTABLE, status_label
from ..engine.evaluation import Result
from ..text import fmt, score_text, words

__all__ = ["Published", "grade_text", "published_line", "summary_lines"]

_TEXT = {
    "zh": {
        "all": "本表 {rows} 行，已全部确定",
        "some": "本表 {rows} 行：已确定 {settled} 行（共 {points} 分），待定 {open} 行"
                "（缺少 {facts} 项事实，见表下）",
        "chosen": "本表 {rows} 行：已确定 {settled} 行（共 {points} 分），{open} 行由评价人在"
                  "所选档次或区间内给分（申报得分用 rubric audit 核对）",
        "chosen_some": "，其中 {chosen} 行由评价人在所选档次或区间内给分",
        "na": "，不适用 {na} 行",
        "total": "总分 {total}，等级 {grade}。",
        "published_ok": "公布的得分（{source}）与所给事实相容：{what}，无一矛盾。",
        "published_bad": "公布的得分（{source}）与所给事实不符：{n} 项（{classes}；"
                         "用 rubric audit 查看）。",
        "claims": "总分 {total} 及已申报的 {n} 项",
        "claims_no_total": "已申报的 {n} 项",
        "sep": "、",
    },
    "en": {
        "all": "{rows} rows, all settled by the facts",
        "some": "{rows} rows: {settled} settled ({points} points), {open} open "
                "({facts} facts missing, listed below)",
        "chosen": "{rows} rows: {settled} settled ({points} points), {open} scored by the "
                  "evaluator within the chosen tier or band (check claimed scores with "
                  "rubric audit)",
        "chosen_some": "; {chosen} of them scored by the evaluator within the chosen tier "
                       "or band",
        "na": "; {na} not applicable",
        "total": "Total {total}, grade {grade}.",
        "published_ok": "The published scores ({source}) are consistent with the facts: "
                        "{what}, none contradicted.",
        "published_bad": "The published scores ({source}) contradict the facts in {n} "
                         "places ({classes}; see rubric audit).",
        "claims": "the total {total} and {n} claimed rows",
        "claims_no_total": "{n} claimed rows",
        "sep": ", ",
    },
}


def _text(lang: str) -> Mapping[str, str]:
    words(lang)  # a ValueError naming the languages for an unknown one
    return _TEXT[lang]


def summary_lines(result: Result, lang: str = "zh") -> list[str]:
    """The lead lines of a scored table: rows settled and open, the total and grade."""
    t = _text(lang)
    rows = list(result.rows())
    na = sum(1 for r in rows if not r.applicable)
    settled = [r for r in rows if r.applicable and r.low == r.high]
    open_rows = len(rows) - na - len(settled)
    # open rows no fact would settle: the evaluator's choice within a tier or band
    chosen = sum(1 for r in rows if r.applicable and r.low != r.high and not r.missing)
    if open_rows == 0:
        head = t["all"].format(rows=len(rows))
    else:
        points = sum((r.low for r in settled), Decimal(0))
        form = "chosen" if chosen == open_rows else "some"
        head = t[form].format(rows=len(rows), settled=len(settled), points=fmt(points),
                              open=open_rows, facts=len(result.missing))
        if chosen and chosen != open_rows:
            head += t["chosen_some"].format(chosen=chosen)
    if na:
        head += t["na"].format(na=na)
    grade = grade_text(result, lang) or "—"
    total = score_text(result.low, result.high)
    return [head + ("。" if lang == "zh" else "."), t["total"].format(total=total, grade=grade),
            *result.veto_texts(lang)]  # 一票否决


def grade_text(result: Result, lang: str = "zh") -> str:
    """The grade, or the range of grades best first (``优/良``); English adds each
    grade's ``label_en``."""
    names = result.grades
    if lang == "en":
        labels = {g.name: g.label_en for g in result.ruleset.policy.grades
                  if getattr(g, "label_en", "")}
        names = tuple(f"{n} ({labels[n]})" if n in labels else n for n in names)
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return "/".join(names)  # best first, as batch output and reports write a range


class Published(Protocol):
    """What ``published_line`` reads of an audit (``rubric.audit.AuditReport``)."""

    @property
    def ok(self) -> bool: ...

    def counts(self) -> dict[str, int]: ...


def published_line(report: Published, source: str, total: Decimal | None,
                   lang: str = "zh") -> str:
    """One line on published scores audited against the facts: consistent, or how many
    claims the facts contradict and of which classes (``rubric.audit``'s labels)."""
    t = _text(lang)
    counts = report.counts()
    claimed = sum(n for status, n in counts.items() if status != "unclaimed")
    if report.ok:
        what = (t["claims"].format(total=fmt(total), n=claimed - 1) if total is not None
                else t["claims_no_total"].format(n=claimed))
        return t["published_ok"].format(source=source, what=what)
    bad = {s: n for s, n in counts.items() if s not in ACCEPTABLE}
    classes = t["sep"].join(f"{status_label(s, lang)} {n}" for s, n in bad.items())
    return t["published_bad"].format(source=source, n=sum(bad.values()), classes=classes)

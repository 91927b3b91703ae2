"""Many projects' self-evaluations scored at once, a summary row for each.

``score_many`` scores projects (as ``selfeval.long_format.read_many`` reads them
from a long-format file or a workbook of one sheet per project) one by one with a
template (``selfeval.build.score_project``): a project that could not be read, or whose
scoring fails, is an outcome with its error, and the others are still scored.
``summary_record`` is the project's summary row: 项目名称, 总分 (or its range when rows
are unsettled), 等级, the printed 总分, the audit's 复核, and the rows not scored and
why (unreadable rows, rows left a range, rows not applicable). ``score_many_file``
reads a file, scores every project, and writes the summary and one 自评表 per project
(``present.selfeval_report``, XLSX or HTML) into a folder, each file atomically.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..audit import status_label
from ..errors import EvaluationError, FileError, RubricError
from ..text import fmt, score_text
from .build import ProjectScore, score_project
from .long_format import ProjectNotRead, read_many
from .project import Project
from .template import Template, load_template

__all__ = ["SUMMARY_COLUMNS", "ManySummary", "ProjectOutcome", "score_many", "score_many_file",
           "summary_record"]

#: the summary's columns, in order
SUMMARY_COLUMNS = ["序号", "项目名称", "主管部门", "实施单位", "总分", "等级", "自评总分",
                   "复核", "未评分行数", "未评分行及原因", "提示", "自评表", "错误"]
_UNSAFE = re.compile(r"[\\/:*?\"<>|\s\x00-\x1f]+")
_NAME_LIMIT = 60


@attrs.frozen
class ProjectOutcome:
    """One project of a batch: ``index`` its place in the file (0-based), ``name``,
    the ``project`` as read (None when it could not be read), its ``score`` (None when
    it could not be scored), the ``error`` that stopped it, and ``output`` the 自评表
    file written for it."""

    index: int
    name: str
    project: Project | None = None
    score: ProjectScore | None = None
    error: RubricError | None = None
    output: str | None = None
    #: the summary row, kept instead of ``project`` and ``score`` by a batch that does
    #: not keep them (``score_many_file(keep=False)``: not every scored table in memory)
    record: Mapping[str, Any] | None = None
    #: scored; how many rows could not be read; whether the audit has a finding
    scored: bool = attrs.field(default=attrs.Factory(lambda o: o.score is not None,
                                                     takes_self=True))
    rows_not_read: int = attrs.field(default=attrs.Factory(
        lambda o: len({p.index for p in o.score.built.problems}) if o.score else 0,
        takes_self=True))
    audit_findings: bool = attrs.field(default=attrs.Factory(
        lambda o: bool(o.score and o.score.audit and not o.score.audit.ok), takes_self=True))

    def not_scored(self) -> tuple[str, ...]:
        """The rows not scored, each with why: unreadable (the error, naming the cell),
        left a range (the facts that would settle it) or not applicable."""
        if self.score is None:
            return ()
        built, result = self.score.built, self.score.result
        out = [f"{p.row.level3 or p.row.level2 or '第' + str(p.index + 1) + '行'}: {p.message}"
               for p in built.problems]
        unread = {built.row_ids[p.index] for p in built.problems if p.index < len(built.row_ids)}
        for node in result.rows():
            if node.id in unread:
                continue
            if not node.applicable:
                out.append(f"{node.name}: 不适用")
            elif node.low != node.high:
                missing = "、".join(node.missing)
                out.append(f"{node.name}: 得分未定 {score_text(node.low, node.high)}"
                           + (f"（缺 {missing}）" if missing else ""))
        return tuple(out)

    def unsettled(self) -> int:
        """How many rows are not scored to one number (unreadable, or left a range)."""
        if self.score is None:
            return 0
        built = self.score.built
        unread = {built.row_ids[p.index] for p in built.problems if p.index < len(built.row_ids)}
        ranges = sum(1 for n in self.score.result.rows()
                     if n.applicable and n.low != n.high and n.id not in unread)
        return len({p.index for p in built.problems}) + ranges  # a row with two problems: one


@attrs.frozen
class ManySummary:
    """A batch scored: every ``outcome`` in file order, the file's ``warnings``, and
    ``summary`` the summary file written (None when none was)."""

    outcomes: tuple[ProjectOutcome, ...]
    warnings: tuple[str, ...] = ()
    summary: str | None = None

    @property
    def failed(self) -> tuple[ProjectOutcome, ...]:
        """The projects that could not be read or scored."""
        return tuple(o for o in self.outcomes if not o.scored)

    @property
    def ok(self) -> bool:
        """Every project scored, none with an unreadable row."""
        return all(o.scored and not o.rows_not_read for o in self.outcomes)


def score_many(items: Iterable[Project | ProjectNotRead], template: Template | str, *,
               audit: bool = True, lang: str = "zh") -> Iterator[ProjectOutcome]:
    """Score each project with ``template`` (a ``Template``, or a name or file for
    ``load_template``; ``audit``: audit its printed 得分), in order; a project that
    could not be read or scored is an outcome with its error."""
    if not isinstance(template, Template):
        template = load_template(template)
    for index, item in enumerate(items):
        if isinstance(item, ProjectNotRead):
            yield ProjectOutcome(index, item.name or "", error=item.error)
            continue
        try:
            score = score_project(item, template, audit=audit, lang=lang)
        except RubricError as exc:
            yield ProjectOutcome(index, item.name, item, error=exc)
            continue
        except Exception as exc:  # noqa: BLE001 - one project must not stop the batch
            failed = EvaluationError(f"project '{item.name}' could not be scored "
                                     f"({type(exc).__name__}: {exc})", where=item.source)
            yield ProjectOutcome(index, item.name, item, error=failed)
            continue
        yield ProjectOutcome(index, item.name, item, score)


def _review(score: ProjectScore) -> str:
    """The audit in one cell: ``一致``, ``一致；可能 1`` (a claim the facts allow but do
    not settle), ``2 处不符：错误 1、舍入 1``; nodes not claimed (subtotals, blank 得分)
    are not counted."""
    if score.audit is None:
        return ""
    counts = score.audit.counts()
    others = "、".join(f"{status_label(c)} {n}" for c, n in counts.items()
                      if c not in ("consistent", "unclaimed"))
    if not score.audit.ok:
        return f"{len(score.audit.findings)} 处不符：{others}"
    return "一致" + (f"；{others}" if others else "")


def summary_record(outcome: ProjectOutcome) -> dict[str, Any]:
    """The project's summary row (``SUMMARY_COLUMNS``)."""
    if outcome.record is not None:
        return dict(outcome.record)
    project, score = outcome.project, outcome.score
    record: dict[str, Any] = dict.fromkeys(SUMMARY_COLUMNS)
    record.update({"序号": outcome.index + 1, "项目名称": outcome.name})
    if project is not None:
        record.update({"主管部门": project.department, "实施单位": project.unit,
                       "自评总分": None if project.claimed_total is None
                       else fmt(project.claimed_total)})
    if score is not None:
        result = score.result
        reasons = outcome.not_scored()
        record.update({
            "总分": score_text(result.low, result.high),
            "等级": result.grade or "/".join(result.grades),
            "复核": _review(score),
            "未评分行数": outcome.unsettled(),
            "未评分行及原因": "; ".join(reasons),
            "提示": "; ".join((*score.built.warnings, *score.warnings)),
        })
    record["自评表"] = os.path.basename(outcome.output) if outcome.output else None
    record["错误"] = str(outcome.error) if outcome.error is not None else None
    return record


def file_name(outcome: ProjectOutcome, kind: str) -> str:
    """The 自评表 file of a project: its place in the batch and its name, made safe."""
    name = _UNSAFE.sub("_", outcome.name).strip("._")[:_NAME_LIMIT] or "项目"
    return f"{outcome.index + 1:04d}_{name}.{kind}"


def score_many_file(source: str | os.PathLike[str], template: Template | str,
                     out_dir: str | os.PathLike[str] | None = None, *, audit: bool = True,
                     kind: str = "xlsx", summary_kind: str = "xlsx", sheet: str | None = None,
                     year: int | None = None, lang: str = "zh", keep: bool = True,
                     report: Callable[[ProjectOutcome], None] | None = None) -> ManySummary:
    """Read ``source``, score every project, and (``out_dir``) write ``汇总.<summary_kind>``
    and one 自评表 per scored project (``kind``: xlsx or html) into that folder.
    ``year`` is the 年度 of projects whose file gives none; ``report`` is called with each
    outcome as it is done (to print errors as they come). ``keep=False`` keeps each
    outcome's summary row (``record``) instead of its project and score, once its file
    is written and ``report`` has seen it."""
    if not isinstance(template, Template):
        template = load_template(template)
    items, warnings = read_many(os.fspath(source), sheet=sheet, year=year)
    folder = Path(out_dir) if out_dir is not None else None
    if folder is not None:
        if folder.exists() and not folder.is_dir():
            raise FileError("the output is not a folder", file=str(folder),
                            expected="a folder for the summary and one file per project",
                            example="-o 自评结果/")
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise FileError(f"cannot make the output folder: {exc.strerror}",
                            file=str(folder), expected="a folder that can be written",
                            example="-o 自评结果/") from None
    outcomes: list[ProjectOutcome] = []
    for scored in score_many(items, template, audit=audit, lang=lang):
        outcome = (_written(scored, folder, kind)
                   if folder is not None and scored.score is not None else scored)
        if report is not None:
            report(outcome)
        if not keep:
            outcome = attrs.evolve(outcome, project=None, score=None,
                                   record=summary_record(outcome))
        outcomes.append(outcome)
    written = None
    if folder is not None:
        from ..io.tabular import write_records

        written = str(folder / f"汇总.{summary_kind}")
        write_records((summary_record(o) for o in outcomes), SUMMARY_COLUMNS, written,
                      summary_kind)
    return ManySummary(tuple(outcomes), tuple(warnings), written)


def _written(outcome: ProjectOutcome, folder: Path, kind: str) -> ProjectOutcome:
    from ..present.selfeval_report import write_selfeval_report

    assert outcome.score is not None
    path = folder / file_name(outcome, kind)
    try:
        write_selfeval_report(outcome.score, path, kind)
    except RubricError as exc:
        return attrs.evolve(outcome, error=exc)
    return attrs.evolve(outcome, output=str(path))

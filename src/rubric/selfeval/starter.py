"""Starting files for ``rubric new``: the shipped templates, listed and written out.

``rulesets/templates/`` holds two kinds of template. A *ruleset template* is a normal
rubric ruleset (``rubric: 1``: the 53号 部门整体 frame, the seed's 部门整体 table for
next year); its starting file is its own text, provenance comments included, with the
fiscal year filled in when one is given. A *project template* (``rubric-template: 1``,
``selfeval.template``: 10号, the provincial variant) fixes a scoring method, not rows;
its starting file is a self-evaluation file to fill in, with the template's 一级/二级
指标 and two placeholder rows, 指标1 and 指标2, under each 二级 (a row left as a
placeholder is not scored): the YAML that ``selfeval.read.read_project`` reads
(``project_skeleton``), or the blank form as XLSX, laid out as the report of a
self-evaluation is (``write_project_form``), which it reads as well.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import attrs

from ..errors import LoadError, RubricError
from ..facts import suggest
from ..io import located_yaml
from .project import Funds, Project, ProjectRow
from .template import TEMPLATES_DIR, Template, load_template

__all__ = ["KINDS", "Starter", "blank_project", "find_starter", "project_skeleton",
           "starter_text", "starters", "write_project_form"]

KINDS = ("ruleset", "project")
#: other names of the ruleset templates (a project template declares its own ``aliases``)
RULESET_ALIASES = {
    "czyj-2013-53-department": ("53号", "财预〔2013〕53号", "czyj-2013-53"),
    "xiangtan-kgxj-department": ("湘潭部门整体", "xiangtan-kgxj", "seed"),
}
_FISCAL_YEAR = re.compile(r"^  # fiscal_year: TODO.*$", re.M)


@attrs.frozen
class Starter:
    """A shipped template: ``name`` (its file's stem), ``kind`` (``ruleset`` or
    ``project``), the file, its title, and the other names it is found by."""

    name: str
    kind: str
    path: Path
    title: str
    aliases: tuple[str, ...] = ()


def starters(folder: Path | None = None) -> tuple[Starter, ...]:
    """Every template under ``folder`` (the shipped ``rulesets/templates``), by name."""
    folder = TEMPLATES_DIR if folder is None else folder
    out = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        try:
            data = located_yaml.read(path).data
        except LoadError:
            continue
        if not isinstance(data, dict):
            continue
        if "rubric-template" in data:
            aliases = tuple(str(a) for a in data.get("aliases") or ())
            out.append(Starter(path.stem, "project", path, str(data.get("name") or path.stem),
                               aliases))
        elif "rubric" in data:
            meta = data.get("metadata")
            meta = meta if isinstance(meta, dict) else {}
            out.append(Starter(path.stem, "ruleset", path, str(meta.get("name") or path.stem),
                               RULESET_ALIASES.get(path.stem, ())))
    return tuple(out)


def find_starter(name: str, folder: Path | None = None) -> Starter:
    """The template called ``name`` (its file's stem or an alias); RubricError listing the
    templates, with a suggestion, for another name."""
    found = starters(folder)
    names = {n: s for s in found for n in (s.name, *s.aliases)}
    if name in names:
        return names[name]
    if not found:
        raise RubricError(f"no template '{name}': no templates found in "
                          f"{folder if folder is not None else TEMPLATES_DIR}",
                          expected="rubric installed with its templates (rubric/templates)")
    hint = suggest(name, names)
    raise RubricError(
        f"no template '{name}'" + (f" (did you mean '{hint}'?)" if hint else ""),
        expected="one of " + ", ".join(s.name for s in found) + " (rubric new --list)",
        example="rubric new --template 10号 -o 自评表.yaml")


def starter_text(starter: Starter, *, year: int | None = None) -> str:
    """The starting file of ``starter``: a ruleset template's text (its fiscal year set
    to ``year`` when given), or a project template's self-evaluation skeleton."""
    if starter.kind == "project":
        return project_skeleton(load_template(starter.path), year=year)
    text = starter.path.read_text(encoding="utf-8")
    if year is not None:
        text = _FISCAL_YEAR.sub(f"  fiscal_year: {year}", text, count=1)
    return text


def _q(text: str) -> str:
    """``text`` as a YAML scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def project_skeleton(template: Template, *, year: int | None = None) -> str:
    """A self-evaluation file to fill in for ``template``: the header block, the 资金
    block, the 年度总体目标, and rows 指标1 / 指标2 under each 二级指标 of each 一级指标."""
    lines = [
        f"# {template.name}：项目支出绩效自评（待填写）",
        f"# Score it with: rubric score THIS_FILE --template {template.id}",
        "# Replace each placeholder row (指标1, 指标2) with a 三级指标 and its 年度指标值,",
        "# 实际完成值, 分值 and 得分, add rows as needed, and delete the ones left over: a row",
        "# left as 指标1 is not scored. 年度指标值 as filed: ≥95%, ≤90万元, =100%, 12月底前,",
        "# 达成预期; 实际完成值: 98%, 已完成, / (不适用).",
        "项目名称: \"\"",
        "主管部门: \"\"",
        "实施单位: \"\"",
        f"年度: {year}" if year is not None else "年度:            # the year, e.g. 2024",
        "项目资金:",
        "  单位: 万元",
        "  年初预算数:",
        "  全年预算数:",
        "  全年执行数:",
        (f"  分值: {template.budget_points}          # {template.budget_name} = 全年执行数 / "
         f"{template.budget_denominator} × {template.budget_points}"),
        "  得分:",
        "年度总体目标:",
        "  预期目标: \"\"",
        "  实际完成情况: \"\"",
        "绩效指标:",
    ]
    for level in template.levels:
        weight = (f"（{level.points}分）: the 分值 of its rows add up to {level.points}"
                  if level.points is not None else ": its weight is the user's")
        lines.append(f"  # {level.name}{weight}")
        for sub in level.subgroups or ("",):
            for n in (1, 2):
                lines.append(f"  - {{一级指标: {_q(level.name)}, 二级指标: {_q(sub)}, "
                             f"三级指标: 指标{n}, 年度指标值: \"\", 实际完成值: \"\", 分值: , "
                             "得分: , 偏差原因分析及改进措施: \"\"}")
    lines += ["总分:", "自评等级:", ""]
    return "\n".join(lines)


def blank_project(template: Template, *, year: int | None = None) -> Project:
    """The project of a blank form: rows 指标1 / 指标2 under each 二级 of ``template``,
    the 资金 block with the template's 预算执行率 分值, nothing else filed."""
    rows = tuple(ProjectRow(level.name, sub, f"指标{n}", "", "", None)
                 for level in template.levels for sub in level.subgroups or ("",)
                 for n in (1, 2))
    return Project("", Funds(points=template.budget_points), rows, year=year)


def write_project_form(template: Template, path: str | os.PathLike[str], *,
                       year: int | None = None) -> None:
    """Write the blank 自评表 of ``template`` as an XLSX workbook to fill in (atomically)."""
    from ..present.selfeval_layout import selfeval_sheet
    from ..present.selfeval_xlsx import write_selfeval_xlsx
    from .build import score_project

    project = blank_project(template, year=year)
    score = score_project(project, template, audit=False)
    write_selfeval_xlsx(selfeval_sheet(project, score.result, score.built.row_ids,
                                       budget_id=score.built.budget_id, filed=True), path)

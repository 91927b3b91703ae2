"""``rubric score FILE --template NAME`` and ``rubric audit FILE --template NAME``: one
project's self-evaluation (财预〔2020〕10号 附件2) scored or audited with a template.

Thin: it reads the file (``selfeval.read``), loads the template (``selfeval.template``),
scores and audits (``selfeval.build.score_project``) and prints the existing table,
Markdown or JSON of the result, with the rows that could not be read and the template's
warnings as lead lines; ``--output`` ending in ``.xlsx`` / ``.html`` writes the filed
自评表 layout (``present.selfeval_report``). ``--many`` hands the file to the batch of
many projects (``cli.selfeval_batch``). Exit codes: 0 scored (audit: every claim
consistent or feasible), 1 a row could not be read (the others are still scored and
printed) or, for audit, a finding.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import attrs

from .output import write_output

__all__ = ["add_arguments", "run_audit", "run_score"]

REPORT_SUFFIXES = (".xlsx", ".html", ".htm")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options ``score`` and ``audit`` share for a self-evaluation file."""
    parser.add_argument("--template", metavar="NAME",
                        help="score RULESET as a project's self-evaluation file (YAML, XLSX or "
                             "CSV in the filed 自评表 layout) with this template: a shipped name "
                             "(10号, 湖北) or a template file; see docs/selfeval.md")
    parser.add_argument("--sheet", metavar="NAME", default=None,
                        help="with --template: the XLSX sheet holding the project")
    parser.add_argument("--many", action="store_true",
                        help="with --template: the file holds many projects (one sheet per "
                             "project, or the long format); see docs/selfeval.md")


def _lead(score: Any, lang: str, explain: bool = False) -> list[str]:
    en = lang == "en"
    colon = ": " if en else "："
    lines = [f"{'template' if en else '模板'}{colon}{score.template.name}"]
    if explain:  # the reading applied to each row, in words
        for node_id, readings in score.built.readings.items():
            name = score.result[node_id].name
            lines.extend(f"{'reading' if en else '口径'}{colon}{name}{colon}{r}"
                         for r in readings)
    for problem in score.built.problems:
        lines.append(("row not scored: " if en else "无法读取的行：") + problem.error.text(lang))
    for warning in (*score.built.warnings, *score.warnings):
        lines.append(("warning: " if en else "提示：") + warning)
    unscored = [n for n in score.built.unscored if score.result[n].applicable]
    if unscored:
        names = "、".join(score.result[n].name for n in unscored)
        lines.append(("得分 left blank (not scored): " if en else "未填得分（未评分）：") + names)
    return lines


def _load(args: argparse.Namespace) -> Any:
    from ..selfeval.build import score_project
    from ..selfeval.read import read_project
    from ..selfeval.template import load_template

    template = load_template(args.template)
    project = read_project(args.ruleset, sheet=args.sheet)
    year = getattr(args, "year", None)
    if year is not None and project.year is None:  # the 年度 the file does not print
        project = attrs.evolve(project, year=year)
    return score_project(project, template, lang=args.lang)


def _many(args: argparse.Namespace) -> int:
    import importlib

    from ..errors import RubricError

    try:
        batch = importlib.import_module(f"{__package__}.selfeval_batch")
    except ImportError:
        raise RubricError("--many is not available in this build",
                          expected="one project's file without --many",
                          example="rubric score project.xlsx --template 10号") from None
    return int(batch.run(args))


def _write_report(score: Any, output: str, *, review: bool) -> bool:
    """The filed 自评表 layout when ``output`` is .xlsx / .html: rubric's scores
    (``score``), or the filed 得分 with the 复核 column (``audit``: ``review``)."""
    if Path(output).suffix.lower() not in REPORT_SUFFIXES:
        return False
    from ..present.selfeval_report import write_selfeval_report

    write_selfeval_report(score, output, review=review)
    return True


def run_score(args: argparse.Namespace) -> int:
    """``rubric score FILE --template NAME``."""
    if args.many:
        return _many(args)
    score = _load(args)
    if args.output not in (None, "", "-") and _write_report(score, args.output,
                                                               review=False):
        return 1 if score.built.problems else 0
    from ..present.render import render_json, render_markdown, render_table

    fmt = args.format or "table"
    result = score.result
    if fmt == "json":
        data = json.loads(render_json(result, lang=args.lang))
        data["selfeval"] = _selfeval_dict(score)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "markdown":
        text = "\n".join(f"> {line}" for line in _lead(score, args.lang, args.explain)) \
            + "\n\n" \
            + render_markdown(result, explain=args.explain, lang=args.lang)
    else:
        text = render_table(result, explain=args.explain, lang=args.lang,
                            notes=_lead(score, args.lang, args.explain))
    write_output(text, args.output, quiet=args.quiet)
    return 1 if score.built.problems else 0


def _selfeval_dict(score: Any) -> dict[str, Any]:
    built = score.built
    return {"template": score.template.id, "project": score.project.name,
            "row_ids": list(built.row_ids), "budget_id": built.budget_id,
            "problems": [{"row": p.index, "message": p.message} for p in built.problems],
            "warnings": [*built.warnings, *score.warnings],
            "readings": {k: list(v) for k, v in built.readings.items()},
            "unscored": list(built.unscored)}


def run_audit(args: argparse.Namespace) -> int:
    """``rubric audit FILE --template NAME``."""
    if args.many:
        return _many(args)
    from ..audit import format_audit

    score = _load(args)
    report = score.audit
    output = getattr(args, "output", None)
    if output not in (None, "", "-") and _write_report(score, output, review=True):
        return 0 if score.ok else 1
    if args.json:
        data = report.to_dict(all_nodes=not args.findings_only)
        data["selfeval"] = _selfeval_dict(score)
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:
        text = "\n".join([*_lead(score, args.lang), "",
                          format_audit(report, args.lang, all_nodes=not args.findings_only)])
    write_output(text + "\n", output)
    sys.stdout.flush()
    return 0 if score.ok else 1

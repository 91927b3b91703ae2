"""A filed indicator table turned into a draft ruleset (``rubric import``).

``draft_ruleset(table)`` builds, from the rows ``table.read_table`` found: the tree
(一级/二级 groups, a ``(15分)`` in a group's name as its 分值), every row with its
评价标准 verbatim as ``criterion`` and the rule ``parse_criterion`` read from it, with
the row's veto beside it when the text ends in one (``veto: {fact, text}``; the
row's 分值 given as ``points``; the row's name as the fact when the text names none), or,
where the text cannot be read, the row declared ``assessed: false`` under a ``# TODO``
comment with the reason; the fact declarations; a facts skeleton; and the printed
scores when the table has an 得分 column. ``write_draft`` writes ``ruleset.yaml``,
``facts.yaml`` and ``claimed.yaml`` into a folder and checks the ruleset.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from ..errors import FileError
from ..io.files import atomic_path
from ..io.loader import load_ruleset
from ..verify.check import check_ruleset
from ..verify.messages import Lang, msg
from .deadline_names import DeadlineRule, deadline_rule, title_year, year_source
from .draft import clean_name
from .parse import parse_criterion, to_yaml
from .prior_names import Adopted, Prior, adopt_names
from .rates import read_rate
from .table import Table, TableRow

__all__ = ["TableDraft", "draft_ruleset", "write_draft"]

_POINTS_IN_NAME = re.compile(r"[(（](\d+(?:\.\d+)?)分?[)）]\s*$")


@attrs.define
class TableDraft:
    ruleset: dict[str, Any]
    facts: dict[str, Any]
    claimed: dict[str, Any] | None
    parsed: list[str] = attrs.field(factory=list)
    todo: list[tuple[str, str]] = attrs.field(factory=list)  # (row id, reason)
    # parsed rows and facts a person should still look at: (row id or fact, reason)
    notes: list[tuple[str, str]] = attrs.field(factory=list)
    fact_notes: list[tuple[str, str]] = attrs.field(factory=list)
    # readings the importer made on a row (a deadline read from the row's name)
    readings: list[tuple[str, str]] = attrs.field(factory=list)
    year: int | None = None  # the year dates without one are read in (title or --year)
    year_source: str | None = None  # how readings name it: None for the title's
    adopted: Adopted | None = None  # what --names-from renamed and declared


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(re.sub(r"分$", "", text.strip()))
    except InvalidOperation:
        return None


def _group_name(text: str) -> tuple[str, Decimal | None]:
    flat = re.sub(r"\s", "", text)
    m = _POINTS_IN_NAME.search(flat)
    if m:
        return flat[: m.start()], Decimal(m.group(1))
    return flat, None


def _unique(name: str, used: set[str]) -> str:
    base = name or "指标"
    out, n = base, 2
    while out in used:
        out, n = f"{base}{n}", n + 1
    used.add(out)
    return out


def _row(row: TableRow, used: set[str], facts: dict[str, Any],
         draft: TableDraft, shared: bool) -> dict[str, Any]:
    """One scored row: its node, its facts added to ``facts``."""
    name = re.sub(r"\s", "", row.name) or f"第{row.line}行"
    row_id = _unique(clean_name(name), used)
    node: dict[str, Any] = {"id": row_id}
    if name != row_id:
        node["name"] = name
    points = _number(row.points)
    if points is not None:
        node["max_points"] = points
    if row.definition:
        node["definition"] = row.definition
    node["criterion"] = row.criterion
    result = parse_criterion(row.criterion, points=points)
    if result.ok and (shared or any("可用 fact 指定" in r for r in result.readings)):
        result = parse_criterion(row.criterion, points=points, fact=row_id)
    vetoed = {v["fact"] for v in result.row.values()}
    if result.ok and any(f in facts for f in result.facts if f not in vetoed):
        # Another row reads this fact already: two rows printing the same words (是否完成
        # 工作任务) assess different things, so this row reads its own fact, named after it.
        result = parse_criterion(row.criterion, points=points, fact=row_id)
    if result.ok:
        assert result.mapping is not None
        rule, specs = result.mapping, result.facts
        if not result.row:  # 绩效目标完成时间12月31日前 | 按时完成任务3分;否0分
            named = deadline_rule(name, row.criterion, rule, draft.year, draft.year_source)
            if isinstance(named, DeadlineRule):
                rule, specs = named.mapping, {named.fact: {"type": "date"}}
                draft.readings += [(row_id, r) for r in named.readings]
            elif named is not None:
                draft.notes.append((row_id, named))
        mapping, own = _own_facts({"rule": rule, **result.row}, specs, row_id, facts)
        own = _derived(row, row_id, mapping["rule"], own, facts, draft)
        node.update(mapping)  # the rule, and a row's veto beside it
        floor = mapping["rule"].get("floor")
        if floor:  # 最多扣N分: the row's lowest score is above 0 on purpose
            node["min_points"] = floor
        facts.update(own)
        draft.parsed.append(row_id)
    else:
        node["assessed"] = False
        draft.todo.append((row_id, result.unparsed or "事实与其他行重名：请为这一行的事实另取名字"))
    return node


_NO_UNIT = "指标解释没有写单位：按不带单位的数给出（两个量同一单位），或写明 unit（如 万元）"


def _derived(row: TableRow, row_id: str, rule: dict[str, Any], own: dict[str, Any],
             taken: dict[str, Any], draft: TableDraft) -> dict[str, Any]:
    """The row's facts with the rate its rule reads derived, when the 指标解释 (or the
    criterion) defines it as ``A / B × 100%`` (``rates.read_rate``): the rate gets the
    formula, A and B are declared as given facts (their stated units, else none and a
    note); a definition that is there but not certain is a note on the row."""
    fact = rule.get("fact")
    if not isinstance(fact, str):
        return own
    spec = own.get(fact)
    if spec is None or spec.get("unit") != "%" or "type" in spec or "formula" in spec:
        return own
    metric = fact.removeprefix(f"{row_id}·")  # renamed when another row reads it too
    rate = read_rate(row.definition, metric)
    if rate is None:
        rate = read_rate(row.criterion, metric)
    if rate is None:
        return own
    if isinstance(rate, str):
        draft.notes.append((row_id, f"{rate}（规则按算好的{fact}给出）"))
        return own
    parts = [p if p not in taken and p not in own else f"{row_id}·{p}"
             for p in (rate.numerator, rate.denominator)]
    if any(p in taken or p in own for p in parts):
        draft.notes.append((row_id, f"{rate.text}：公式中的量与其他事实重名，请手写 formula"))
        return own
    out: dict[str, Any] = {}
    for part, unit in zip(parts, rate.units, strict=True):
        out[part] = {"unit": unit} if unit else {}
        if not unit:
            draft.fact_notes.append((part, _NO_UNIT))
    for name, decl in own.items():
        out[name] = {**decl, "formula": f"{parts[0]} / {parts[1]} * 100"} if name == fact else decl
    return out


def _own_facts(mapping: dict[str, Any], specs: dict[str, Any], row_id: str,
               taken: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The row's keys (``rule``, ``veto``) and their facts with every fact another row
    reads already renamed after this row (``指标3·目标明确``): a checklist item, a ratio's
    计划值 or a veto's condition the text names alike on two rows is two facts."""
    renamed = {f: f"{row_id}·{f}" for f in specs if f in taken}
    if not renamed:
        return mapping, specs

    def swap(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: swap(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v, key) for v in value]
        if key in ("fact", "actual", "target") and isinstance(value, str):
            return renamed.get(value, value)
        return value

    return swap(mapping), {renamed.get(f, f): spec for f, spec in specs.items()}


def draft_ruleset(table: Table, *, name: str = "", year: int | None = None,
                  prior: Prior | None = None) -> TableDraft:
    """The draft ruleset, facts skeleton and claimed scores of a filed table.

    ``year`` reads a date a row's name states without its year (``12月31日前``); by
    default the one year the table's title states. ``prior`` (``prior_names.read_prior``)
    renames the rows' facts after last year's ruleset where the rules' shapes match.
    """
    facts: dict[str, Any] = {}
    titled = title_year(table.title)
    draft = TableDraft({}, {}, None, year=year if year is not None else titled,
                       year_source=year_source(year, titled))
    used: set[str] = set()
    top: list[dict[str, Any]] = []
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    scores: dict[str, Any] = {}
    repeated = Counter(re.sub(r"\s", "", r.criterion) for r in table.rows)
    for row in table.rows:
        parent: list[dict[str, Any]] = top
        path: tuple[str, ...] = ()
        for level, level_points in ((row.level1, row.level1_points),
                                    (row.level2, row.level2_points)):
            if not level.strip():
                continue
            gname, gpoints = _group_name(level)
            if gpoints is None:
                gpoints = _number(level_points)
            path = (*path, gname)
            group = groups.get(path)
            if group is None:
                group = {"id": _unique(clean_name(gname), used)}
                if gname != group["id"]:
                    group["name"] = gname
                if gpoints is not None:
                    group["max_points"] = gpoints
                group["children"] = []
                groups[path] = group
                parent.append(group)
            parent = group["children"]
        # The same words on several rows (是否完成工作任务,是3分,否0分) assess different
        # things: each such row reads a fact named after the row.
        node = _row(row, used, facts, draft, repeated[re.sub(r"\s", "", row.criterion)] > 1)
        parent.append(node)
        score = _number(row.score)
        if score is not None:
            scores[node["id"]] = score
    declared: list[Decimal] = [g["max_points"] for g in top if g.get("max_points") is not None]
    if declared and len(declared) == len(top):
        total = sum(declared, Decimal(0))
    else:
        total = sum((_number(r.points) or Decimal(0) for r in table.rows), Decimal(0))
    data: dict[str, Any] = {"rubric": 1}
    if name:
        data["metadata"] = {"name": name}
    if total != 100:
        data["policy"] = {"total_points": total}
    data["facts"] = facts
    data["indicators"] = top
    draft.ruleset = data
    draft.facts = {f: None for f, spec in facts.items() if "formula" not in spec}
    if prior is not None:
        places = [-int(d.as_tuple().exponent) for d in scores.values()]
        draft.adopted = adopt_names(prior, data, draft.facts,
                                    max((0, *places)) if places else None)
        draft.fact_notes = [(f, r) for f, r in draft.fact_notes
                            if f not in draft.adopted.unit_adopted]
    if scores:
        draft.claimed = {"scores": scores}
        printed = _number(table.total)
        if printed is not None:
            draft.claimed["total"] = printed
    return draft


def _with_fact_todo(text: str, notes: list[tuple[str, str]]) -> str:
    """``# comment`` lines above the facts' declarations: (fact, comment) pairs."""
    start = text.find("\nfacts:\n")
    if start < 0:
        return text
    for fact, comment in notes:
        m = re.compile(rf"^  {re.escape(fact)}:", re.M).search(text, start)
        if m:
            text = text[: m.start()] + f"  # {comment}\n" + text[m.start():]
        elif fact == "policy" and (p := re.search(r"^policy:", text, re.M)):
            text = text[: p.start()] + f"# {comment}\n" + text[p.start():]
    return text


def _with_todo(text: str, todo: list[tuple[str, str]]) -> str:
    """``# comment`` lines above the rows: (row id, comment) pairs."""
    for row_id, comment in todo:
        pattern = re.compile(rf"^(\s*)- \{{?id: {re.escape(row_id)}(?=[,}}]|$)", re.M)
        m = pattern.search(text)
        if m:
            text = text[: m.start()] + f"{m.group(1)}# {comment}\n" + text[m.start():]
    return text


def _comments(draft: TableDraft) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The rows' and the facts' comments: TODOs, readings, names from the prior."""
    rows = [(r, f"TODO: {t}") for r, t in (*draft.todo, *draft.notes)]
    rows += [(r, t) for r, t in draft.readings]
    facts = [(f, f"TODO: {t}") for f, t in draft.fact_notes]
    done = draft.adopted
    if done is not None:
        rows += [(r, f"named from {done.label}: {t}") for r, t in done.named]
        rows += [(r, t) for r, t in done.not_renamed]
        facts += [(f, f"declared from {done.label}: {t}") for f, t in done.declared]
        facts += [(f, f"CONFLICT with {done.label}: {t}") for f, t in done.conflicts]
    return rows, facts


def _write(path: Path, text: str) -> None:
    """``text`` to ``path`` atomically (an existing file is replaced whole or left as it was);
    a path that cannot be written is a FileError naming it."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


def write_draft(draft: TableDraft, folder: str | Path,
                lang: Lang = "en") -> list[tuple[str, str]]:
    """Write ruleset.yaml, facts.yaml (and claimed.yaml); the check's findings as
    (severity, the finding's line in ``lang``) pairs."""
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file of that name, a parent that is a file, no permission
        raise FileError(f"cannot write: {exc.strerror or exc}", file=os.fspath(folder),
                        expected="a folder to write the draft into", example="draft/") from None
    head = "# Draft ruleset written by `rubric import`: check every rule against its criterion.\n"
    rows, facts = _comments(draft)
    text = _with_fact_todo(_with_todo(to_yaml(draft.ruleset), rows), facts)
    _write(out / "ruleset.yaml", head + text)
    specs = draft.ruleset.get("facts", {})
    lines = ["# Facts skeleton: give each fact's value (blank = missing)."]
    for fact in draft.facts:
        spec = specs.get(fact, {})
        hint = spec.get("unit") or spec.get("type") or ""
        if spec.get("categories"):
            hint = "one of " + "、".join(spec["categories"])
        if any(f == fact for f, _ in draft.fact_notes):
            hint = "TODO: 单位未写明（见 ruleset.yaml）"
        lines.append(f"{fact}:" + (f"   # {hint}" if hint else ""))
    _write(out / "facts.yaml", "\n".join(lines) + "\n")
    if draft.claimed is not None:
        _write(out / "claimed.yaml", to_yaml(draft.claimed))
    ruleset = load_ruleset(out / "ruleset.yaml")
    colon = "：" if lang == "zh" else ": "
    return [(f.severity, f"{msg('cli', f.severity).render(lang)}{colon}{f.text(lang)}"
             + (f" [{f.indicator}]" if f.indicator else "")) for f in check_ruleset(ruleset)]

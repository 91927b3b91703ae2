"""A self-evaluation template's scoring method as data (``rulesets/templates/*.yaml``).

A template (财预〔2020〕10号 附件2, a provincial variant) fixes how a project's rows are
scored while the rows themselves come from the project's file: the 一级 weights and
their 二级 names, the 预算执行率 row (points and denominator), how quantitative targets
are read (forward ratio, reverse ratio, an ``=`` target), the qualitative tiers, how a
deadline month is read, what a not-applicable row does to the total, the grades, and
the threshold of the 偏离度 warning. Every template says where it comes from
(``provenance``: source, the parts seen verbatim, the project's readings).
``load_template`` takes a path or a shipped name or alias (``10号``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..errors import LoadError, Problem
from ..io import located_yaml
from ..policy import Grade
from ..rules.analysis import bands_overlap, gaps
from ..rules.qualitative import Tier

__all__ = ["BUDGET_DENOMINATORS", "EXACT_READINGS", "Template", "TemplateLevel",
           "load_template", "template_names"]

#: the denominators a template's 预算执行率 may divide by (the 资金 block's cells)
BUDGET_DENOMINATORS = ("全年预算数", "年初预算数", "实际到位资金")
#: how a target written ``= X`` is read: ``forward`` (完成值/指标值, capped) or ``met``
#: (full 分值 when the actual equals the target, else 0)
EXACT_READINGS = ("forward", "met")
WEIGHT_CHECKS = ("warn", "error")
NOT_APPLICABLE_READINGS = ("renormalise", "redistribute")
MONTH_READINGS = ("end", "start")

#: where the shipped templates live: ``rubric/templates``, package data (so an installed
#: rubric has them; ``rulesets/templates`` of the source tree is a link to it)
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"


@attrs.frozen
class TemplateLevel:
    """An 一级指标 of the template: its name, other names it is filed under, its weight
    (``None`` when the template leaves it to the user) and its 二级指标 names."""

    name: str
    points: Decimal | None
    subgroups: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        """Whether an 一级 cell names this level: its name or an alias, also written
        with 类 or without the final 指标 (产出类指标, 产出)."""
        key = _key(text)
        return text in (self.name, *self.aliases) or any(
            key == _key(n) for n in (self.name, *self.aliases))

    def has_subgroup(self, text: str) -> bool:
        """Whether an 二级 cell names one of this level's 二级指标 (also without 指标)."""
        key = _key(text)
        return any(key == _key(n) for n in self.subgroups)


def _key(text: str) -> str:
    plain = "".join(text.split()).replace("类", "")
    return plain[:-2] if plain.endswith("指标") and len(plain) > 2 else plain


@attrs.frozen
class Template:
    """A self-evaluation template: the method every row of a project is scored by.

    ``levels`` the 一级指标 in table order; ``weights`` what a mismatch between the
    rows' 分值 and an 一级 weight is (``warn``/``error``); ``budget_name``,
    ``budget_points`` and ``budget_denominator`` the 预算执行率 row (全年执行数 /
    denominator × points, capped); ``exact`` the reading of an ``=`` target;
    ``overachievement_warn`` the completion ratio above which a forward row warns
    "按照偏离度适度调减分值" (never deducts); ``tiers`` the qualitative bands;
    ``month_reading`` how a deadline month is read; ``not_applicable`` what a
    not-applicable row does to the total; ``grades``; ``provenance`` the source, the
    verbatim parts and the readings, as filed.
    """

    id: str
    name: str
    levels: tuple[TemplateLevel, ...]
    budget_name: str
    budget_points: Decimal
    budget_denominator: str = "全年预算数"
    aliases: tuple[str, ...] = ()
    total_points: Decimal = Decimal(100)
    precision: int = 2
    weights: str = "warn"
    exact: str = "forward"
    overachievement_warn: Decimal | None = Decimal("1.2")
    tiers: tuple[Tier, ...] = ()
    month_reading: str = "end"
    not_applicable: str = "renormalise"
    grades: tuple[Grade, ...] = ()
    provenance: Mapping[str, Any] = attrs.field(factory=dict)
    source: str | None = None

    def level(self, text: str) -> TemplateLevel | None:
        """The 一级指标 filed as ``text`` (its name or an alias), or None."""
        return next((lv for lv in self.levels if lv.matches(text)), None)

    @property
    def readings(self) -> tuple[str, ...]:
        """The project's readings of the template, as its provenance states them."""
        return tuple(str(r) for r in self.provenance.get("readings", ()))


def template_names() -> dict[str, Path]:
    """Every shipped template by id and alias."""
    out: dict[str, Path] = {}
    if not TEMPLATES_DIR.is_dir():
        return out
    for path in sorted(TEMPLATES_DIR.glob("*.yaml")):
        try:
            doc = located_yaml.read(path)
        except LoadError:
            continue
        data = doc.data if isinstance(doc.data, dict) else {}
        if "rubric-template" not in data:
            continue
        for name in (data.get("id"), *(data.get("aliases") or ())):
            if name:
                out.setdefault(str(name), path)
        out.setdefault(path.stem, path)
    return out


def load_template(name_or_path: str | Path) -> Template:
    """The template at a path, or shipped under a name or alias (``10号``,
    ``czyj-2020-10-project``); LoadError naming file, line and field otherwise."""
    path = Path(name_or_path)
    if not path.is_file():
        names = template_names()
        found = names.get(str(name_or_path))
        if found is None:
            from ..facts import suggest

            hint = suggest(str(name_or_path), names)
            raise LoadError([Problem(
                f"no template '{name_or_path}'" + (f" (did you mean '{hint}'?)" if hint else ""),
                expected="a template file or one of " + ", ".join(sorted(names)),
                example="--template 10号")])
        path = found
    doc = located_yaml.read(path)
    return _template(doc)


def _template(doc: located_yaml.Doc) -> Template:
    problems: list[Problem] = []
    data = doc.data

    def bad(message: str, path: tuple[Any, ...], expected: str, example: str) -> None:
        problems.append(doc.problem(message, path, expected=expected, example=example))

    if not isinstance(data, dict) or "rubric-template" not in data:
        raise LoadError([doc.problem("not a self-evaluation template",
                                     expected="a mapping with 'rubric-template: 1'",
                                     example="rubric-template: 1")])

    def text(key: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            bad(f"'{key}' must be a non-empty text", (key,), "a text", f"{key}: 项目支出绩效自评表")
            return default or ""
        return value.strip()

    def number(value: object, path: tuple[Any, ...], *, optional: bool = False
               ) -> Decimal | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            bad(f"expected a number, got {value!r}", path, "a number of points", "50")
            return None
        number_ = Decimal(value)
        if number_ < 0:
            bad(f"expected 0 or more, got {value}", path, "a number of points", "50")
            return None
        return number_

    def choice(key: str, allowed: tuple[str, ...], default: str,
               within: Mapping[str, Any] | None = None, path: tuple[Any, ...] = ()) -> str:
        source = data if within is None else within
        value = source.get(key, default)
        if value not in allowed:
            bad(f"'{key}': {value!r} is not a known reading", (*path, key),
                "one of " + ", ".join(allowed), f"{key}: {allowed[0]}")
            return default
        return str(value)

    levels: list[TemplateLevel] = []
    raw_levels = data.get("levels")
    if not isinstance(raw_levels, list) or not raw_levels:
        bad("'levels' must list the 一级指标", ("levels",), "a list of levels",
            "levels: [{name: 产出指标, points: 50, subgroups: [数量指标]}]")
        raw_levels = []
    for i, raw in enumerate(raw_levels):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            bad("an 一级指标 needs a name", ("levels", i), "a mapping with name",
                "{name: 产出指标, points: 50}")
            continue
        points = number(raw.get("points"), ("levels", i, "points"), optional=True)
        subs = raw.get("subgroups") or []
        aliases = raw.get("aliases") or []
        if not isinstance(subs, list) or not isinstance(aliases, list):
            bad("subgroups and aliases are lists of names", ("levels", i), "lists",
                "subgroups: [数量指标, 质量指标]")
            continue
        levels.append(TemplateLevel(raw["name"].strip(), points,
                                    tuple(str(s) for s in subs), tuple(str(a) for a in aliases)))

    budget = data.get("budget") if isinstance(data.get("budget"), dict) else None
    if budget is None:
        bad("'budget' must describe the 预算执行率 row", ("budget",), "a mapping",
            "budget: {name: 预算执行率, points: 10, denominator: 全年预算数}")
        budget = {}
    budget_points = number(budget.get("points"), ("budget", "points")) or Decimal(0)
    denominator = choice("denominator", BUDGET_DENOMINATORS, "全年预算数", budget, ("budget",))

    quantitative = data.get("quantitative") or {}
    warn = number(quantitative.get("overachievement_warn"),
                  ("quantitative", "overachievement_warn"), optional=True)
    exact = choice("exact", EXACT_READINGS, "forward", quantitative, ("quantitative",))

    tiers: list[Tier] = []
    for i, raw in enumerate((data.get("qualitative") or {}).get("tiers") or ()):
        try:
            tiers.append(Tier(str(raw["label"]), raw["lower"], raw["upper"],
                              bool(raw.get("lower_closed", True)),
                              bool(raw.get("upper_closed", True))))
        except (KeyError, TypeError, ValueError) as exc:
            bad(f"tier {i}: {exc}", ("qualitative", "tiers", i), "label, lower, upper in "
                "percent of the row's 分值", "{label: 达成, lower: 80, upper: 100}")
    if tiers:  # the tiers must cover 0–100% of a row's 分值 once each
        holes = list(gaps(tiers, Decimal(0), Decimal(100)))
        twice = [(a.label, b.label) for i, a in enumerate(tiers) for b in tiers[i + 1:]
                 if bands_overlap(a, b)]
        if holes or twice:
            what = (f"leave {', '.join(holes)} uncovered" if holes
                    else f"overlap ({twice[0][0]}, {twice[0][1]})")
            bad(f"the qualitative tiers {what}", ("qualitative", "tiers"),
                "tiers covering 0–100% of the row's 分值 once each",
                "[{label: 达成, lower: 80, upper: 100}, {label: 未达成, lower: 0, upper: 80, "
                "upper_closed: false}]")
    grades: list[Grade] = []
    for i, raw in enumerate(data.get("grades") or ()):
        try:
            grades.append(Grade(str(raw["name"]), raw["minimum"]))
        except (KeyError, TypeError, ValueError) as exc:
            bad(f"grade {i}: {exc}", ("grades", i), "name and minimum",
                "{name: 优, minimum: 90}")
    deadline = data.get("deadline") or {}
    month_reading = choice("month_reading", MONTH_READINGS, "end", deadline, ("deadline",))
    precision = data.get("precision", 2)
    if not isinstance(precision, int) or isinstance(precision, bool) or not 0 <= precision <= 6:
        bad(f"precision: {precision!r} is not allowed", ("precision",), "an integer 0-6",
            "precision: 2")
        precision = 2
    provenance = data.get("provenance")
    if not isinstance(provenance, dict) or not provenance.get("source"):
        bad("a template says where it comes from", ("provenance",),
            "provenance: {source, verbatim, readings}",
            "provenance: {source: 财预〔2020〕10号 附件2}")
        provenance = {}
    template = Template(
        id=text("id"), name=text("name"), levels=tuple(levels),
        budget_name=str(budget.get("name") or "预算执行率"),
        budget_points=budget_points, budget_denominator=denominator,
        aliases=tuple(str(a) for a in data.get("aliases") or ()),
        total_points=number(data.get("total_points", 100), ("total_points",)) or Decimal(100),
        precision=precision, weights=choice("weights", WEIGHT_CHECKS, "warn"), exact=exact,
        overachievement_warn=warn, tiers=tuple(tiers), month_reading=month_reading,
        not_applicable=choice("not_applicable", NOT_APPLICABLE_READINGS, "renormalise"),
        grades=tuple(grades), provenance=provenance, source=doc.filename)
    if problems:
        raise LoadError(problems)
    return template

"""Last year's fact names kept on an imported table (``rubric import --names-from PRIOR``).

Policy staff import next year's filed table and want the fact names of last year's
ruleset kept, so the systems that fill facts keep working. ``read_prior(path)`` loads the
prior ruleset (a located ``RubricError`` when it is not one). ``adopt_names(prior, rows,
facts)`` then goes over the draft's rows (the mappings ``importer`` built, changed in
place): each finds the prior's row by id, else by name (the 三级指标 text normalised as
``draft.clean_name`` does). When the parsed rule has the prior rule's shape — the same
kind; the same number of checklist items, categorical states or bands with the same
points in the same order; the same points (and the row's 分值) — the row's facts,
checklist item facts and category values are renamed to the prior's (a derived fact's
formula inputs too, when both formulas are the same but for the names), and the prior's
fact declarations (type, unit, minimum, maximum, description) fill what the table
leaves undeclared. A stated unit (or bound, or type) that differs from the prior's is a
conflict: the table's is kept and the conflict reported. Not taken either, each reported,
is what would change what a stated number means: the unit of a fact the rule compares
with numbers the criterion writes without one, a bound in another unit or one the
criterion's numbers go past, a ``precision`` below the decimals the table prints, grades
in points of a table of another total. The rule's numbers are never taken from the
prior: the criterion text decides the rule. A row whose shape differs, whose prior name
another row already reads, or whose names the prior uses in another order (a rename by
position would swap their meanings: a rate's numerator and denominator, items or states
of equal points) is left as parsed, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import yaml

from ..facts import FactSpec
from ..io.loader import load_ruleset
from ..tree import Indicator, Ruleset
from .draft import clean_name, fmt

__all__ = ["Adopted", "Prior", "adopt_names", "read_prior"]

_IDENT = re.compile(r"[^\W\d]\w*")
_FACT_KEYS = ("fact", "actual", "target", "deadline_fact")
_POLICY_KEYS = ("grades", "grade_basis", "precision", "rounding", "round_rows")


@attrs.frozen
class Prior:
    label: str  # the path as given, shown in comments and the summary
    ruleset: Ruleset
    by_id: dict[str, Indicator]
    by_name: dict[str, Indicator]
    policy: dict[str, Any]  # the prior's grades and rounding, as written


@attrs.define
class Adopted:
    """What ``adopt_names`` did: (row id or fact, text) pairs for comments and the summary."""

    label: str  # the prior, as ``Prior.label``
    named: list[tuple[str, str]] = attrs.field(factory=list)
    not_renamed: list[tuple[str, str]] = attrs.field(factory=list)
    declared: list[tuple[str, str]] = attrs.field(factory=list)
    conflicts: list[tuple[str, str]] = attrs.field(factory=list)
    unit_adopted: set[str] = attrs.field(factory=set)


def _key(text: str) -> str:
    return clean_name(re.sub(r"\s", "", text))


def read_prior(path: str | Path) -> Prior:
    """The prior ruleset, its rows by id and by normalised name (a name two rows share
    finds neither)."""
    ruleset = load_ruleset(path)
    by_id: dict[str, Indicator] = {}
    names: dict[str, list[Indicator]] = {}
    for row in ruleset.indicators():
        by_id[row.id] = row
        names.setdefault(_key(row.name or row.id), []).append(row)
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    written = raw.get("policy") if isinstance(raw, dict) else None
    policy = ({k: written[k] for k in _POLICY_KEYS if k in written}
              if isinstance(written, dict) else {})
    return Prior(str(path), ruleset, by_id,
                 {k: v[0] for k, v in names.items() if len(v) == 1}, policy)


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _shape_of_mapping(m: dict[str, Any], points: Any) -> tuple[Any, ...]:
    kind = m.get("kind")
    listed = {"checklist": "items", "categorical": "states", "bands": "bands"}.get(str(kind))
    if listed:
        parts: tuple[Any, ...] = tuple(_d(x["points"]) for x in m.get(listed, ()))
    elif kind == "boolean":
        parts = (_d(m["yes_points"]), _d(m.get("no_points", 0)))
    elif kind == "deadline":
        parts = (_d(m["points"]), _d(m.get("late_points", 0)),
                 _d(m["per_day"]) if "per_day" in m else None)
    else:
        parts = (_d(m["points"]) if "points" in m else None,)
    return (kind, parts, _d(points) if points is not None else None)


def _shape_of_rule(rule: Any, points: Decimal | None) -> tuple[Any, ...]:
    kind = rule.kind
    listed = {"checklist": "items", "categorical": "states", "bands": "bands"}.get(kind)
    if listed:
        parts: tuple[Any, ...] = tuple(x.points for x in getattr(rule, listed))
    elif kind == "boolean":
        parts = (rule.yes_points, rule.no_points)
    elif kind == "deadline":
        parts = (rule.points, rule.late_points, rule.per_day)
    else:
        parts = (getattr(rule, "points", None),)
    return (kind, parts, points)


def _shape_text(shape: tuple[Any, ...], points: bool = False) -> str:
    """``checklist 3+2``; another kind by its name, with its points (``boolean 3/0``) when
    ``points`` (two rules of one kind that differ in them)."""
    kind, parts, _ = shape
    listed = kind in ("checklist", "categorical", "bands")
    shown = ("+" if listed else "/").join(fmt(p) for p in parts if p is not None)
    return f"{kind} {shown}" if shown and (listed or points) else str(kind)


def _pairs(node: dict[str, Any], prior_rule: Any, prior_veto: Any
           ) -> list[tuple[str, str]]:
    """The (parsed fact, prior fact) pairs of a row whose shape matches."""
    m = node["rule"]
    out: list[tuple[str, str]] = []
    if m["kind"] == "checklist":
        out += [(a["fact"], b.fact) for a, b in zip(m["items"], prior_rule.items, strict=True)]
    for key in _FACT_KEYS:
        old = getattr(prior_rule, key, None)
        if isinstance(m.get(key), str) and isinstance(old, str):
            out.append((m[key], old))
    veto = node.get("veto")
    if isinstance(veto, dict) and prior_veto is not None:
        out.append((veto["fact"], prior_veto.fact))
    return out


def _formula_pairs(new: str, old: str) -> list[tuple[str, str]] | None:
    """Two formulas that are the same but for their names: the names' pairs."""
    a, b = _IDENT.findall(new), _IDENT.findall(old)
    if _IDENT.sub("_", new).replace(" ", "") != _IDENT.sub("_", old).replace(" ", ""):
        return None
    return list(zip(a, b, strict=True))


def _swap(value: Any, names: dict[str, str]) -> None:
    """Rename, in place, every fact a rule mapping (or a list of rows) reads."""
    if isinstance(value, list):
        for v in value:
            _swap(v, names)
    elif isinstance(value, dict):
        for k, v in value.items():
            if k in _FACT_KEYS and isinstance(v, str):
                value[k] = names.get(v, v)
            else:
                _swap(v, names)


def _rename_formula(text: str, names: dict[str, str]) -> str:
    return _IDENT.sub(lambda m: names.get(m.group(0), m.group(0)), text)


def _declare(name: str, decl: dict[str, Any], spec: FactSpec, done: Adopted,
             rule: dict[str, Any] | None) -> None:
    """Fill ``decl`` (the table's) from the prior's ``spec`` where the table is silent.

    ``rule`` is the row's rule when it compares the fact with numbers the criterion
    states (``_compared``): then a unit is not taken (written without a unit, the prior's
    would decide what the numbers mean), nor a bound the criterion's numbers reach past
    (``_beyond``). A bound other than 0 is taken only in the unit the fact ends up with."""
    prior: dict[str, Any] = {"type": spec.type, "unit": spec.unit, "minimum": spec.minimum,
                             "maximum": spec.maximum, "description": spec.description or None}
    table_type = decl.get("type", "number")
    if table_type != spec.type:
        why = (f"the table's type {table_type} differs from the prior's {spec.type}: "
               "kept the table's")
        done.conflicts.append((name, why))
        return
    taken: list[str] = []
    for key in ("unit", "minimum", "maximum", "description"):
        value = prior[key]
        if value is None:
            continue
        if key == "unit" and rule is not None and key not in decl:
            why = (f"the prior's unit {value} is not taken: the criterion's numbers are "
                   "written without a unit, and a unit would decide what they mean; write "
                   "the unit in the criterion or declare it")
            done.conflicts.append((name, why))
            continue
        if (key in ("minimum", "maximum") and key not in decl and value != 0
                and decl.get("unit") != spec.unit):
            unit = decl.get("unit") or "没有单位"
            why = (f"the prior's {key} {fmt(value)} is in {spec.unit or '没有单位'}, the "
                   f"table's fact in {unit}: not taken")
            done.conflicts.append((name, why))
            continue
        if key in ("minimum", "maximum") and key not in decl and rule is not None and (
                _beyond(rule, key, value)):
            why = (f"the prior's {key} {fmt(value)} is not taken: the criterion scores "
                   "values past it")
            done.conflicts.append((name, why))
            continue
        if key not in decl:
            decl[key] = value
            taken.append(f"{key} {fmt(value) if isinstance(value, Decimal) else value}")
            if key == "unit":
                done.unit_adopted.add(name)
        elif key != "description" and not _same(decl[key], value):
            why = (f"the table's {key} {decl[key]} differs from the prior's {value}: "
                   "kept the table's")
            done.conflicts.append((name, why))
    if taken:
        done.declared.append((name, "、".join(taken)))


def _compared(rule: dict[str, Any], facts: dict[str, Any]) -> set[str]:
    """The facts a rule compares with numbers the criterion states: a band's or a
    deduction's fact, a ratio's actual against a stated target (a ratio of two facts
    states none: their units cancel, the prior's are taken)."""
    kind = rule.get("kind")
    if kind in ("bands", "deduction"):
        return {v for k, v in rule.items() if k in _FACT_KEYS and isinstance(v, str)}
    if kind == "ratio" and not (isinstance(rule.get("target"), str) and rule["target"] in facts):
        return {rule["actual"]} if isinstance(rule.get("actual"), str) else set()
    return set()


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _beyond(rule: dict[str, Any], key: str, bound: Decimal) -> bool:
    """Whether the criterion's numbers for the fact (a band's ends, a deduction's target)
    go past the prior's ``minimum``/``maximum`` ``bound``: a band above a maximum of 100,
    a deduction for going over a target the maximum does not exceed. Such a bound would
    refuse values the criterion scores."""
    above = key == "maximum"
    stated: list[Decimal] = []
    for band in rule.get("bands", ()):
        stated += [Decimal(n) for n in _NUMBER.findall(str(band.get("range", "")))]
    target = rule.get("target")
    if rule.get("kind") == "deduction" and target is not None:
        numbers = _NUMBER.findall(str(target))
        side = rule.get("side", "both")
        if numbers and (side == "both" or (side == "above") == above):
            t = Decimal(numbers[0])
            if (t >= bound) if above else (t <= bound):
                return True
    return any(n > bound for n in stated) if above else any(n < bound for n in stated)


def _same(a: Any, b: Any) -> bool:
    if isinstance(b, Decimal):
        try:
            return _d(a) == b
        except ArithmeticError:
            return False
    return str(a) == str(b)


def _rows_of(indicators: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for node in indicators:
        if "children" in node:
            yield from _rows_of(node["children"])
        elif "rule" in node:
            yield node


def _find(prior: Prior, node: dict[str, Any]) -> Indicator | str:
    """The prior's row of a draft row: by id, else by name; the reason when there is none,
    or when the id finds one row and the name another (which is meant is not known)."""
    by_id = prior.by_id.get(node["id"])
    by_name = prior.by_name.get(_key(node.get("name", node["id"])))
    if by_id is not None and by_name is not None and by_id is not by_name:
        return (f"not renamed: {prior.label} has this id on row {by_id.id} and "
                f"this name on row {by_name.id}")
    found = by_id or by_name
    return found if found is not None else (
        f"not renamed: no row of {prior.label} has this id or name")


def adopt_names(prior: Prior, ruleset: dict[str, Any], skeleton: dict[str, Any],
                decimals: int | None = None) -> Adopted:
    """Rename the draft ``ruleset``'s rows' facts (and ``skeleton``'s) after ``prior``'s
    where the shapes match; see the module docstring. ``decimals``: the most decimals a
    printed score of the table has (the prior's ``precision`` is not taken below it)."""
    done = Adopted(prior.label)
    facts: dict[str, Any] = ruleset["facts"]
    specs = prior.ruleset.specs
    for node in list(_rows_of(ruleset["indicators"])):
        row_id = node["id"]
        old = _find(prior, node)
        if isinstance(old, str):
            done.not_renamed.append((row_id, old))
            continue
        prior_rule = getattr(old.rule, "rule", old.rule)  # a row's veto wraps its rule
        prior_veto = getattr(old.rule, "veto", None)
        mine = _shape_of_mapping(node["rule"], node.get("max_points"))
        theirs = _shape_of_rule(prior_rule, old.points)
        if mine[:2] != theirs[:2]:
            alike = mine[0] == theirs[0]
            what = f"prior: {_shape_text(theirs, alike)}, parsed: {_shape_text(mine, alike)}"
            done.not_renamed.append((row_id, f"not renamed: shape differs ({what})"))
            continue
        if mine[2] is not None and theirs[2] is not None and mine[2] != theirs[2]:
            what = f"prior 分值 {fmt(theirs[2])}, parsed 分值 {fmt(mine[2])}"
            done.not_renamed.append((row_id, f"not renamed: shape differs ({what})"))
            continue
        pairs = [(a, b) for a, b in _pairs(node, prior_rule, prior_veto) if a in facts]
        for new, was in list(pairs):
            formula, prior_formula = facts.get(new, {}).get("formula"), specs[was].formula
            if formula and prior_formula:
                pairs += _formula_pairs(str(formula), str(prior_formula)) or []
        names = {a: b for a, b in pairs if a != b}
        values = _state_values(node["rule"], prior_rule)
        refused = _refused(pairs, names, facts, prior.label) or _crossed(values, "状态")
        if refused is not None:
            done.not_renamed.append((row_id, refused))
            continue
        changes = [f"{b} ← {a}" for a, b in names.items()]
        _rename(ruleset, skeleton, names)
        if values:
            changes += _states(node["rule"], values, facts)
        direct = _compared(node["rule"], facts)
        for _, was in pairs:
            if was in facts and was in specs:
                _declare(was, facts[was], specs[was], done,
                         node["rule"] if was in direct else None)
        if changes:
            done.named.append((row_id, "; ".join(changes)))
    taken = _policy(prior, ruleset, done, decimals)
    if taken and not any(k in ruleset.get("policy", {}) for k in _POLICY_KEYS):
        policy = {**ruleset.get("policy", {}), **taken}
        entries = [(k, v) for k, v in ruleset.items() if k != "policy"]
        ruleset.clear()
        for key, value in entries:  # the policy before the facts, as a ruleset writes it
            if key == "facts":
                ruleset["policy"] = policy
            ruleset[key] = value
        done.declared.append(("policy", "、".join(taken)))
    return done


def _policy(prior: Prior, ruleset: dict[str, Any], done: Adopted,
            decimals: int | None) -> dict[str, Any]:
    """The prior's policy keys to take: not a ``precision`` that would round off decimals
    the table prints in its scores (8.62 to 9); grades written in points (``grade_basis:
    points``) only with that basis and for a table of the same total (points of a
    100-point table are its percents). What is left is reported."""
    taken = {k: v for k, v in prior.policy.items() if k != "grade_basis"}
    basis = prior.ruleset.policy
    if "precision" in taken and decimals is not None and decimals > basis.precision:
        del taken["precision"]
        why = (f"the prior's precision {basis.precision} would round off the {decimals} "
               "decimals the table prints in its scores: not taken")
        done.conflicts.append(("policy", why))
    if "grades" not in taken or basis.grade_basis != "points":
        return taken
    total = _d(ruleset.get("policy", {}).get("total_points", 100))
    if basis.total_points == total:
        taken["grade_basis"] = "points"
    elif basis.total_points != 100:
        del taken["grades"]
        why = (f"the prior's grades are points of a {fmt(basis.total_points)}-point table, "
               f"this table's total is {fmt(total)}: not taken")
        done.conflicts.append(("policy", why))
    return taken


def _refused(pairs: list[tuple[str, str]], names: dict[str, str], facts: dict[str, Any],
             label: str) -> str | None:
    """Why a row's (parsed, prior) fact pairs are not a rename, or None: a parsed fact
    paired with two prior facts (or two with one), a prior name another row reads, or a
    parsed name the prior gives another fact of the row (see ``_crossed``)."""
    given: dict[str, set[str]] = {}
    for a, b in pairs:
        given.setdefault(a, set()).add(b)
    split = sorted(a for a, bs in given.items() if len(bs) > 1)
    if split:
        return f"not renamed: {label} pairs {'、'.join(split)} with two of its facts"
    clash = [b for a, b in names.items() if b in facts and b not in names]
    if len(set(names.values())) != len(names) or clash:
        return (f"not renamed: {label} names {'、'.join(clash) or '两个事实同名'}, "
                "which another row reads")
    return _crossed(names, "事实")


def _crossed(names: dict[str, str], what: str) -> str | None:
    """Why a rename by position is refused when a parsed name is one the prior gives to
    another place of the same rule (the same words in another order: renaming would swap
    their meanings, checklist items or states of equal points, a rate's numerator and
    denominator), or None."""
    crossed = [b for b in names.values() if b in names]
    if not crossed:
        return None
    return (f"not renamed: the prior reads {'、'.join(crossed)} in another order; renaming "
            f"by position would swap their meanings ({what})")


def _state_values(rule: dict[str, Any], prior_rule: Any) -> dict[str, str]:
    """A categorical row's state values renamed by position to the prior's."""
    if rule.get("kind") != "categorical":
        return {}
    return {s["value"]: p.value for s, p in zip(rule["states"], prior_rule.states, strict=True)
            if s["value"] != p.value}


def _states(rule: dict[str, Any], values: dict[str, str], facts: dict[str, Any]) -> list[str]:
    for state in rule["states"]:
        state["value"] = values.get(state["value"], state["value"])
    decl = facts.get(rule["fact"], {})
    if "categories" in decl:
        decl["categories"] = [values.get(c, c) for c in decl["categories"]]
    return [f"{rule['fact']} states {'、'.join(f'{b} ← {a}' for a, b in values.items())}"]


def _rename(ruleset: dict[str, Any], skeleton: dict[str, Any], names: dict[str, str]) -> None:
    """Rename the facts ``names`` maps everywhere, in place, keeping the order."""
    if not names:
        return
    _swap(ruleset["indicators"], names)
    facts: dict[str, Any] = ruleset["facts"]
    entries = list(facts.items())
    facts.clear()
    for fact, decl in entries:
        if isinstance(decl, dict) and "formula" in decl:
            decl["formula"] = _rename_formula(str(decl["formula"]), names)
        facts[names.get(fact, fact)] = decl
    given = list(skeleton.items())
    skeleton.clear()
    skeleton.update((names.get(f, f), v) for f, v in given)

"""Load rulesets from YAML or JSON (format: docs/ruleset-format.md).

The file maps one-to-one onto the engine's constructors: every key is the name of an
attrs field, and a rule's ``kind`` picks its class from ``rules.RULE_TYPES``. The
loader reads ruleset files (``io.facts_file`` reads facts files, ``io.ranges`` the
band-range strings); the domain classes never parse.

Every problem in a file is collected (unknown keys with "did you mean", wrong types,
bad bands, unknown facts, unit mismatches, engine ``RulesetError``s) and raised
together as one ``LoadError`` whose ``Problem``s carry ``file:line:col``, the path
inside the file (``$.indicators[3].rule.bands[1].upper``) and the indicator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..collector import paused
from ..errors import LoadError, Problem, RulesetError
from ..expressions import Formula, compile_formula, dependency_order
from ..facts import FactSpec, suggest
from ..policy import Grade, Policy, RuleDefaults
from ..precompiled import compiled_formulas
from ..rules import (
    RULE_TYPES,
    Band,
    ChecklistItem,
    Rule,
    State,
    Tier,
)
from ..rules.base import identity_field
from ..tree import Group, Indicator, Metadata, Ruleset
from ..units import BUILTIN, UnitSystem
from . import located_yaml as _yaml
from .band_fields import read_band
from .constraints_section import read_constraints
from .declared_units import read_units
from .error_fields import error_cycle, error_field, error_names_fact
from .field_types import CHECKS, EXAMPLES, EXPECTED, describe, non_finite
from .ranges import ANY_UNIT, quantity
from .row_inputs import input_path, value_at
from .row_section import ROW_KEYS, read_row_options, read_vetoes

__all__ = ["FORMAT_VERSION", "load_ruleset"]

FORMAT_VERSION = 1

PathT = tuple[Any, ...]

#: Classes of the nested lists inside rules, by the attrs annotation that names them.
_NESTED: dict[str, type] = {
    "tuple[Band, ...]": Band,
    "tuple[ChecklistItem, ...]": ChecklistItem,
    "tuple[State, ...]": State,
    "tuple[Tier, ...]": Tier,
    "tuple[Rule, ...]": Rule,  # the parts of a composite rule
    "tuple[Grade, ...]": Grade,
}

_TOP_KEYS = ("rubric", "metadata", "policy", "units", "facts", "root", "indicators",
             "constraints", "vetoes")
_GROUP_KEYS = ("id", "name", "max_points", "select", "children")
_INDICATOR_KEYS = ("id", "name", "max_points", "criterion", "definition", "rule", "min_points",
                   "assessed", *ROW_KEYS)
_HIDDEN = frozenset({"min_points", "assessed", *ROW_KEYS})  # keys the "expected" hint omits
#: an indicator's keys that are its own fields (not its rule, nor the row's options)
_INDICATOR_FIELDS = frozenset(_INDICATOR_KEYS) - {"rule", *ROW_KEYS}
#: an indicator's and a group's fields and their types, as check_field checks them
_ROW_TYPES = (("id", "str"), ("name", "str"), ("max_points", "Decimal | None"),
              ("criterion", "str"), ("definition", "str"), ("assessed", "bool"))
_GROUP_TYPES = (("id", "str"), ("name", "str"), ("max_points", "Decimal | None"),
                ("select", "str"))


# ---------------------------------------------------------------------- the builder


class _Loader:
    """Walks one parsed document, collecting Problems instead of stopping at the first."""

    def __init__(self, doc: _yaml.Doc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.node_paths: dict[str, PathT] = {}
        self.fact_paths: dict[str, PathT] = {}
        self.units: dict[str, str | None] = {}
        self.failed_facts: set[str] = set()
        self.built: list[Indicator] = []  # indicators built so far, checked even if others fail
        self.system: UnitSystem = BUILTIN  # the built-in units and the file's units: section
        self.formulas: dict[str, Formula] = {}  # the derived facts', for the Ruleset to reuse
        self.bands: dict[tuple[Any, ...], Band] = {}  # bands read without problems (band_fields)

    # -- problems ---------------------------------------------------------------

    def problem(self, message: str, path: PathT, *, key: bool = False, indicator: str | None = None,
                expected: str | None = None, example: str | None = None) -> None:
        self.problems.append(self.doc.problem(message, path, key=key, indicator=indicator,
                                              expected=expected, example=example))

    def from_error(self, exc: RulesetError, path: PathT, indicator: str | None = None) -> None:
        self.problem(exc.message, path, indicator=indicator or exc.indicator,
                     expected=exc.expected, example=exc.example)

    def source(self, path: PathT) -> str:
        line, _col = self.doc.where(path)
        return f"{self.doc.filename or '<string>'}:{line}"

    # -- shapes -----------------------------------------------------------------

    def mapping(self, value: object, path: PathT, allowed: tuple[str, ...], what: str,
                indicator: str | None = None, example: str | None = None) -> dict[str, Any] | None:
        """``value`` as a mapping with only ``allowed`` keys (unknown ones are problems)."""
        if not isinstance(value, dict):
            self.problem(f"{what} must be a mapping, got {describe(value)}", path,
                         indicator=indicator, expected="key: value pairs", example=example)
            return None
        for key in value:
            if key not in allowed:
                hint = suggest(str(key), allowed)
                self.problem(f"unknown key '{key}' in {what}"
                             + (f" (did you mean '{hint}'?)" if hint else ""), (*path, key),
                             key=True, indicator=indicator,
                             expected="one of " + ", ".join(a for a in allowed if a not in _HIDDEN),
                             example=f"{hint}: ..." if hint else None)
        return value

    def check_field(self, value: object, annotation: str, path: PathT, indicator: str | None
                    ) -> bool:
        """Type check one attrs field by its annotation (converters then do the rest)."""
        read = _ANNOTATIONS.get(annotation)
        if read is None:
            base = annotation.removesuffix("| None").strip()
            read = _ANNOTATIONS[annotation] = (annotation.endswith("| None"), base,
                                               CHECKS.get(base))
        optional, base, check = read
        if value is None:
            if optional:
                return True
            self.problem("a value is required here", path, indicator=indicator,
                         expected=EXPECTED.get(base, base))
            return False
        if check is None or check(value):
            return True
        if base.startswith("Decimal") and non_finite(value):
            self.problem(f"'{path[-1]}' must be a finite number (got {describe(value)})", path,
                         indicator=indicator, expected="a finite number",
                         example=EXAMPLES.get(base))
            return False
        self.problem(f"'{path[-1]}' has the wrong type ({describe(value)})", path,
                     indicator=indicator, expected=EXPECTED.get(base, base),
                     example=EXAMPLES.get(base))
        return False

    def check_fields(self, fields: Mapping[str, Any], types: tuple[tuple[str, str], ...],
                     path: PathT, indicator: str | None) -> bool:
        """``check_field`` of each of ``types`` in ``fields``, in that order, up to the
        first that fails (text, the common case, passes without the call)."""
        for name, annotation in types:
            if name in fields:
                value = fields[name]
                if type(value) is str and annotation == "str":
                    continue
                if not self.check_field(value, annotation, (*path, name), indicator):
                    return False
        return True

    def build(self, cls: type, value: object, path: PathT, what: str,
              indicator: str | None = None, skip: tuple[str, ...] = (),
              convert: Callable[[str, Any, PathT], Any] | None = None,
              extra: Mapping[str, Any] | None = None) -> Any:
        """Construct attrs class ``cls`` from a mapping, problem-collecting."""
        names, fields = _fields_of(cls, skip)
        data = self.mapping(value, path, names, what, indicator)
        if data is None:
            return None
        kwargs: dict[str, Any] = dict(extra or {})
        ok = True
        for name, required, ftype, annotation, nested, check in fields:
            if name not in data:
                if required:
                    shown = EXPECTED.get(annotation, ftype)
                    self.problem(f"missing key '{name}' in {what}", path, indicator=indicator,
                                 expected=f"'{name}' ({shown})",
                                 example=f"{name}: {EXAMPLES.get(annotation, '...')}")
                    ok = False
                continue
            raw = data[name]
            if nested is not None:
                fpath = (*path, name)
                if not isinstance(raw, list):
                    self.problem(f"'{name}' must be a list, got {describe(raw)}", fpath,
                                 indicator=indicator, expected="a list of mappings")
                    ok = False
                    continue
                items = [self.nested(nested, item, (*fpath, i), indicator)
                         for i, item in enumerate(raw)]
                if any(item is None for item in items):
                    ok = False
                kwargs[name] = items
                continue
            if convert is not None:
                try:
                    raw = convert(name, raw, (*path, name))
                except RulesetError as exc:
                    self.from_error(exc, (*path, name), indicator)
                    ok = False
                    continue
            if (raw is None or (check is not None and not check(raw))) and not \
                    self.check_field(raw, annotation, (*path, name), indicator):  # the problem
                ok = False
                continue
            kwargs[name] = raw
        if not ok:
            return None
        try:
            return cls(**kwargs)
        except RulesetError as exc:
            self.from_error(exc, self._field_path(exc, path, data), indicator)
        return None

    def _field_path(self, exc: RulesetError, path: PathT, data: Mapping[str, Any]) -> PathT:
        """The path of the field an engine error is about (``bands[1]``, ``step``)."""
        field, index = error_field(exc)
        if field is not None and field in data:
            # "bands[0] ... and bands[1] ... overlap": the error points at the later one.
            if index is not None and isinstance(data[field], list):
                return (*path, field, index)
            return (*path, field)
        return path

    def nested(self, cls: type, value: object, path: PathT, indicator: str | None) -> Any:
        if cls is Band:
            return read_band(self, value, path, indicator, self._unit)
        if cls is Rule:
            return self.rule(value, path, indicator or "", self._defaults)
        return self.build(cls, value, path, cls.__name__.lower(), indicator)

    _unit: str | None = ANY_UNIT  # the unit of the fact the rule being built reads
    _defaults: RuleDefaults = RuleDefaults()  # the defaults of the rule being built

    # -- rules --------------------------------------------------------------------

    def rule(self, value: object, path: PathT, indicator: str, defaults: RuleDefaults) -> Any:
        if not isinstance(value, dict):
            self.problem(f"rule must be a mapping, got {describe(value)}", path,
                         indicator=indicator, example="{kind: boolean, fact: X, yes_points: 5}")
            return None
        kind = value.get("kind")
        if kind is None:
            self.problem("a rule needs a 'kind'", path, indicator=indicator,
                         expected="one of " + ", ".join(RULE_TYPES), example="kind: bands")
            return None
        cls = RULE_TYPES.get(kind) if isinstance(kind, str) else None
        if cls is None:
            known = ", ".join(RULE_TYPES)
            hint = suggest(str(kind), RULE_TYPES)
            self.problem(f"unknown rule kind '{kind}'"
                         + (f" (did you mean '{hint}'?)" if hint else ""),
                         (*path, "kind"), indicator=indicator, expected="one of " + known,
                         example=f"kind: {hint or 'bands'}")
            return None
        fact = value.get("fact", value.get("actual"))
        # An undeclared fact is reported by check_references; its numbers keep their value.
        self._unit = self.units[fact] if isinstance(fact, str) and fact in self.units else ANY_UNIT
        basis = value.get("basis") or defaults.step_basis
        self._defaults = defaults
        body = {k: v for k, v in value.items() if k != "kind"}
        kind_cls: Any = cls
        convert = None  # every field as written (identity_field): no call per field
        if kind_cls.convert_field is not identity_field:

            def convert(name: str, raw: Any, _p: PathT) -> Any:
                # A field written with a unit ("20 家", "10%"): the kind says how to read it.
                return kind_cls.convert_field(name, raw, quantity=self.quantity,
                                              unit=self._unit, basis=basis,
                                              fact_names=self.units)

        try:
            return self.build(cls, body, path, f"rule '{kind}'", indicator, convert=convert)
        finally:
            self._unit = ANY_UNIT

    # -- the tree -----------------------------------------------------------------

    def node(self, value: object, path: PathT, defaults: RuleDefaults) -> Any:
        if not isinstance(value, dict):
            self.problem(f"an indicator or group must be a mapping, got {describe(value)}", path,
                         example="{id: 预算调整率, max_points: 5, rule: {...}}")
            return None
        node_id = value.get("id")
        ind = node_id if isinstance(node_id, str) else None
        if "children" in value and "rule" in value:
            self.problem("a node has either 'children' (a group) or 'rule' (an indicator), "
                         "not both", path, indicator=ind)
            return None
        if "children" not in value and "rule" not in value and "assessed" not in value:
            self.problem("a node needs 'children' (a group) or 'rule' (an indicator)", path,
                         indicator=ind, example="rule: {kind: boolean, fact: X, yes_points: 5}")
            return None
        if ind is not None:
            if ind in self.node_paths:
                first = self.doc.where(self.node_paths[ind])[0]
                self.problem(f"id '{ind}' is used twice (first at line {first})", (*path, "id"),
                             indicator=ind, expected="a unique id for every indicator and group")
            else:
                self.node_paths[ind] = path
        if "children" in value:
            return self.group(value, path, defaults, ind)
        data = self.mapping(value, path, _INDICATOR_KEYS, "indicator", ind)
        if data is None:
            return None
        assessed = data.get("assessed", True)
        rule: Any = None  # without one, a placeholder row not assessed: Indicator makes it
        if "rule" in data:
            rule = self.rule(data.get("rule"), (*path, "rule"), ind or "?", defaults)
        elif assessed is True:
            self.problem("an indicator needs a rule (or assessed: false for a row that is not "
                         "assessed)", path, indicator=ind,
                         example="rule: {kind: boolean, fact: X, yes_points: 5}")
        rule, row_ok = read_row_options(self, data, path, ind, rule)  # veto, precision…
        fields = {k: v for k, v in data.items() if k in _INDICATOR_FIELDS}
        ok = self.check_fields(fields, _ROW_TYPES, path, ind)
        if (rule is None and assessed is not False) or not ok or not row_ok or ind is None:
            if ind is None and "id" not in data:
                self.problem("missing key 'id' in indicator", path, example="id: 预算调整率")
            return None
        try:
            indicator = Indicator(rule=rule, source=self.source(path), **fields)
        except RulesetError as exc:
            self.from_error(exc, path, ind)
            return None
        self.built.append(indicator)
        return indicator

    def group(self, value: dict[str, Any], path: PathT, defaults: RuleDefaults,
              ind: str | None) -> Group | None:
        data = self.mapping(value, path, _GROUP_KEYS, "group", ind)
        if data is None:
            return None
        children_raw = data.get("children")
        children: list[Any] = []
        if not isinstance(children_raw, list):
            self.problem(f"'children' must be a list, got {describe(children_raw)}",
                         (*path, "children"), indicator=ind, expected="a list of indicators/groups")
            children = [None]
        else:
            children = [self.node(c, (*path, "children", i), defaults)
                        for i, c in enumerate(children_raw)]
        fields = {k: v for k, v in data.items() if k in _GROUP_KEYS and k != "children"}
        ok = self.check_fields(fields, _GROUP_TYPES, path, ind)
        if ind is None and "id" not in data:
            self.problem("missing key 'id' in group", path, example="id: 预算执行")
        if ind is None or not ok or any(c is None for c in children):
            return None
        try:
            return Group(children=children, source=self.source(path), **fields)
        except RulesetError as exc:
            self.from_error(exc, path, ind)
        return None

    # -- declared units -------------------------------------------------------------

    def quantity(self, value: object, unit: str | None) -> Any:
        """``ranges.quantity`` among this file's units."""
        return quantity(value, unit, self.system)

    # -- facts --------------------------------------------------------------------

    def facts(self, value: object) -> list[FactSpec]:
        path: PathT = ("facts",)
        if value is None:
            return []
        if not isinstance(value, dict):
            self.problem(f"facts must be a mapping from fact name to its declaration, got "
                         f"{describe(value)}", path, example="预算数: {unit: 万元, minimum: 0}")
            return []
        for name, decl in value.items():  # units first: minimum/maximum convert to them
            unit = decl.get("unit") if isinstance(decl, dict) else None
            self.units[str(name)] = unit if isinstance(unit, str) else None
        specs: list[FactSpec] = []
        for name, decl in value.items():
            fpath = (*path, name)
            if not isinstance(name, str):
                self.problem(f"a fact name must be text, got {describe(name)}", fpath, key=True,
                             example="预算数")
                continue
            self.fact_paths[name] = fpath
            convert = None  # most declarations: every field as written, no call per field
            if isinstance(decl, dict) and (isinstance(decl.get("minimum"), str)
                                           or isinstance(decl.get("maximum"), str)):
                unit = self.units.get(name)

                def convert(field: str, raw: Any, _p: PathT, unit: str | None = unit) -> Any:
                    if field in ("minimum", "maximum") and isinstance(raw, str):
                        return self.quantity(raw, unit)
                    return raw

            spec = self.build(FactSpec, {} if decl is None else decl, fpath, f"fact '{name}'",
                              skip=("name", "unit_system"), convert=convert,
                              extra={"name": name, "source": self.source(fpath),
                                     "unit_system": self.system})
            if spec is not None:
                specs.append(spec)
            else:  # reported already; rules reading it must not cascade into more problems
                self.units[name] = ANY_UNIT
                self.failed_facts.add(name)
        return specs

    def check_references(self, specs: list[FactSpec], nodes: list[Indicator]) -> None:
        """Unknown facts in formulas and rules, with suggestions, all of them."""
        by_name = {s.name: s for s in specs}
        compiled: dict[str, Formula] = {}
        if not self.failed_facts:  # compiled against exactly the ruleset's declarations
            self.formulas = compiled
        known = {**by_name, **dict.fromkeys(self.failed_facts)}  # once: not per formula
        for spec in specs:
            if spec.formula is None:
                continue
            try:
                compiled[spec.name] = compile_formula(spec.formula, known, unit=spec.unit,
                                                      strict=True,
                                                      what=f"formula of fact '{spec.name}'")
            except RulesetError as exc:
                self.from_error(exc, (*self.fact_paths[spec.name], "formula"))
        try:  # cycles too, with the other problems rather than after them
            dependency_order(compiled)
        except RulesetError as exc:
            self.engine_error(exc)
        failed = self.failed_facts
        for node in nodes:
            for name, types in node.rule.input_types.items():
                declared = by_name.get(name)
                if (declared is not None and declared.type in types) or name in failed:
                    continue
                where = input_path(self.doc.data, name, (*self.node_paths[node.id], "rule"))
                if declared is None:
                    hint = suggest(name, by_name)
                    self.problem(f"rule reads fact '{name}', which is not declared"
                                 + (f" (did you mean '{hint}'?)" if hint else ""), where,
                                 indicator=node.id, expected="a fact declared under facts",
                                 example=hint or name)
                elif declared.type not in types:
                    self.problem(f"rule '{node.rule.kind}' needs fact '{name}' to be "
                                 + " or ".join(types) + f", but it is declared as {declared.type}",
                                 where, indicator=node.id, expected=f"type: {types[0]}")

    def doc_value(self, path: PathT) -> Any:
        return value_at(self.doc.data, path)

    # -- the whole file -------------------------------------------------------------

    def ruleset(self) -> Ruleset | None:
        data = self.mapping(self.doc.data, (), _TOP_KEYS, "a ruleset file",
                            example="rubric: 1")
        if data is None:
            return None
        version = data.get("rubric")
        if version is None:
            self.problem("missing 'rubric: 1' (the format version) at the top of the file", (),
                         expected="rubric: 1", example="rubric: 1")
        elif version != FORMAT_VERSION:
            self.problem(f"unsupported format version {version!r}", ("rubric",),
                         expected=f"rubric: {FORMAT_VERSION}", example=f"rubric: {FORMAT_VERSION}")
        metadata = self.build(Metadata, data.get("metadata") or {}, ("metadata",), "metadata")
        policy = self.policy(data.get("policy"))
        if policy is not None and metadata is not None and metadata.fiscal_year is not None \
                and policy.defaults.deadline_year is None:  # 7月 is a month of the fiscal year
            policy = attrs.evolve(policy, defaults=attrs.evolve(
                policy.defaults, deadline_year=metadata.fiscal_year))
        self.system = read_units(data.get("units"), lambda message, path, expected, example:
                                 self.problem(message, path, expected=expected, example=example))
        specs = self.facts(data.get("facts"))
        defaults = policy.defaults if policy is not None else RuleDefaults()
        root_raw = data.get("root") or {}
        root_fields = self.mapping(root_raw, ("root",), ("id", "name", "max_points", "select"),
                                   "root") or {}
        indicators = data.get("indicators")
        if indicators is None:
            self.problem("missing key 'indicators' (the indicator tree)", (),
                         example="indicators: [{id: 过程, max_points: 55, children: [...]}]")
            return None
        tree = {"id": "总分", **root_fields, "children": indicators}
        self.node_paths["总分" if "id" not in root_fields else str(root_fields["id"])] = ("root",)
        root = self._root(tree, defaults)
        self.check_references(specs, self.built)
        constraints = read_constraints(self, data.get("constraints"), specs)
        vetoes = read_vetoes(self, data.get("vetoes"), {s.name: s for s in specs}, tuple(
            g.name for g in (policy or Policy()).grades))
        if self.problems or root is None or policy is None or metadata is None:
            return None
        try:
            with compiled_formulas(specs, self.formulas):  # compiled once, by check_references
                # attrs' converter=tuple makes mypy expect an unbound Iterable[_T_co]
                return Ruleset(root, specs, policy, metadata,  # type: ignore[arg-type]
                               constraints, vetoes)  # type: ignore[arg-type]
        except RulesetError as exc:
            self.engine_error(exc)
        return None

    def _root(self, tree: dict[str, Any], defaults: RuleDefaults) -> Group | None:
        ind = str(tree["id"])
        if not isinstance(tree["children"], list):
            self.problem(f"indicators must be a list, got {describe(tree['children'])}",
                         ("indicators",), example="indicators: [{id: 过程, children: [...]}]")
            return None
        children = [self.node(c, ("indicators", i), defaults)
                    for i, c in enumerate(tree["children"])]
        fields = {k: v for k, v in tree.items() if k in _GROUP_KEYS and k != "children"}
        ok = self.check_fields(fields, _GROUP_TYPES, ("root",), ind)
        if not ok or any(c is None for c in children):
            return None
        try:
            return Group(children=children, source=self.source(("root",)), **fields)
        except RulesetError as exc:
            self.from_error(exc, ("indicators",), ind)
        return None

    def engine_error(self, exc: RulesetError) -> None:
        """Place an error the Ruleset constructor raised at the right line."""
        path: PathT = ()
        if exc.indicator and exc.indicator in self.node_paths:
            path = self.node_paths[exc.indicator]
            node = self.doc_value(path)
            key = next((k for k in ROW_KEYS if k in exc.message), "rule")  # veto, precision…
            if isinstance(node, dict) and key in node:
                path = (*path, key)
        else:
            members = set(error_cycle(exc))
            for name, fpath in self.fact_paths.items():  # the first in file order
                if name in members:
                    path = (*fpath, "formula")
                    break
                if error_names_fact(exc, name):
                    path = fpath
                    break
        self.from_error(exc, path)

    def policy(self, value: object) -> Policy | None:
        if value is None:
            return Policy()
        path: PathT = ("policy",)
        data = self.mapping(value, path, tuple(f.name for f in attrs.fields(Policy)), "policy")
        if data is None:
            return None
        defaults = RuleDefaults()
        if "defaults" in data:
            defaults = self.build(RuleDefaults, data["defaults"], (*path, "defaults"),
                                  "policy defaults")
        body = {k: v for k, v in data.items() if k != "defaults"}
        policy = self.build(Policy, body, path, "policy", skip=("defaults",))
        if policy is None or defaults is None:
            return None
        return attrs.evolve(policy, defaults=defaults)  # type: ignore[no-any-return]


# a field's annotation -> (whether None is allowed, the type without it, its check)
_ANNOTATIONS: dict[str, tuple[bool, str, Callable[[object], bool] | None]] = {}
# (cls, skipped names) -> (the keys read, per field: key, required, type, its text, its
# nested items' class, its type check); fixed per class, built ~40 000 times in 10 000 rows
_Field = tuple[str, bool, Any, str, "type | None", "Callable[[object], bool] | None"]
_FIELDS: dict[tuple[type, tuple[str, ...]], tuple[tuple[str, ...], tuple[_Field, ...]]] = {}


def _fields_of(cls: type, skip: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[_Field, ...]]:
    found = _FIELDS.get((cls, skip))
    if found is None:
        fields = tuple((f.alias or f.name, f.default is attrs.NOTHING, f.type, str(f.type),
                        _NESTED.get(str(f.type)),
                        CHECKS.get(str(f.type).removesuffix("| None").strip()))
                       for f in attrs.fields(cls) if f.init and f.eq and f.name not in skip)
        found = _FIELDS[(cls, skip)] = (tuple(f[0] for f in fields), fields)
    return found


# ------------------------------------------------------------------------ public API


def load_ruleset(source: str | Path, *, filename: str | None = None) -> Ruleset:
    """Load a ruleset from a YAML/JSON file (a ``Path`` or file name) or from YAML text.

    Raises ``LoadError`` listing every problem found, each at its ``file:line:col``.
    """
    with paused():  # millions of long-lived objects: see rubric.collector
        loader = _Loader(_yaml.read(source, filename=filename))
        ruleset = loader.ruleset()
        if ruleset is None and not loader.problems:  # pragma: no cover - never without one
            loader.problem("invalid ruleset", ())
        problems = loader.problems
        del loader  # the document freed before the collector resumes: it scans less
    if problems or ruleset is None:
        raise LoadError(problems)
    return ruleset

"""The rule protocol: what every rule kind provides, and the helpers kinds share.

A rule is a frozen attrs class; the protocol is structural (``Rule`` is checked by the
attributes a class has, not by a base class). A kind may take shared parts from the
small mixins below (``PlainFields``: a kind whose fields carry no unit and that any
declaration suits; ``OneFact``: such a kind that reads one fact; ``FixedPoints``: a kind
worth its ``points`` field). Besides its fields, every kind provides, in its own module:

- ``kind``: its tag in ruleset files; ``inputs``/``input_types``: the facts it reads and
  the fact types each must have; ``max_points``; ``direction`` (``higher``/``lower``/
  ``target``/``none``: how the score should move as its main fact grows);
- ``evaluate(values, ctx) -> Outcome`` and ``prepare(defaults, domain)``, the same
  bound once to a ruleset's defaults and fact domains;
- ``STEPS``: the trace steps it records (``rubric.trace.Step`` subclasses, each with its
  zh/en text);
- ``analyse(analysis)``: its static analysis for ``rubric check``;
- ``test_hints(hints, defaults)`` and ``directions()``: what ``rubric.testing`` should
  probe and how each input should move;
- ``achievable(defaults)``: the scores it can award (audit), or None when continuous;
- ``compile_into(code, out, defaults)``: its scores-only form, or False to fall back;
- ``SCHEMA``: the JSON Schema of its mapping in a ruleset file; ``convert_field``: how
  the loader reads a field written with a unit.

``rubric.rules.RULE_TYPES`` maps each kind to its class, and a test walks it to make
sure no kind lacks a part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple, Protocol, cast, runtime_checkable

import attrs

from ..errors import RulesetError
from ..facts import UNDEFINED, Unsettled, to_decimal
from ..policy import RuleDefaults
from ..states import ECHO, MET, Asserted
from ..text import fmt, show
from ..trace import (
    AssertedRange,
    AssertedScore,
    Missing,
    NotApplicable,
    Range,
    Step,
    Undefined,
    UnsettledValue,
    template_step,
)

__all__ = [
    "DIRECTION",
    "DIRECTIONS",
    "FACT_NAME",
    "POINTS",
    "INF",
    "OVERACHIEVEMENT_WARN",
    "ZERO",
    "accept_declarations",
    "asserted_range",
    "asserted_reader",
    "asserted_score",
    "asserted_state",
    "statement_text",
    "BoundContext",
    "ChosenRange",
    "Context",
    "DomainFn",
    "FixedPoints",
    "OneFact",
    "Outcome",
    "PlainFields",
    "Prepared",
    "Rule",
    "Statement",
    "check_direction",
    "choice_or_none",
    "dec",
    "dec_or_name",
    "identity_field",
    "list_schema",
    "mapping_schema",
    "non_empty",
    "non_negative",
    "not_applicable",
    "one_fact_schema",
    "opt_dec",
    "outcome",
    "positive",
    "prepare_generic",
    "rule_schema",
    "scored_value_step",
    "settled",
    "unknown",
]

ZERO = Decimal(0)
INF = Decimal("Infinity")
DIRECTIONS = ("higher", "lower", "target", "none")


class Outcome(NamedTuple):
    """What a rule returns, and the record the engine keeps for every node.

    ``low == high`` when the score is settled; ``missing`` names the facts that would
    settle it; ``trace`` and ``warnings`` hold typed steps.
    """

    low: Decimal
    high: Decimal
    trace: tuple[Step, ...]
    missing: tuple[str, ...] = ()
    warnings: tuple[Step, ...] = ()
    applicable: bool = True


_new = tuple.__new__


def settled(points: Decimal, trace: tuple[Step, ...], warnings: tuple[Step, ...] = (),
            _new: Any = _new, _cls: Any = Outcome) -> Outcome:
    """``Outcome(points, points, trace, (), warnings)``: a settled score, made without
    the named tuple's slower constructor (every rule's hot path ends here)."""
    return _new(_cls, (points, points, trace, (), warnings, True))  # type: ignore[no-any-return]


def outcome(low: Decimal, high: Decimal, trace: tuple[Step, ...], missing: tuple[str, ...] = (),
            warnings: tuple[Step, ...] = (), applicable: bool = True,
            _new: Any = _new, _cls: Any = Outcome) -> Outcome:
    """``Outcome(...)`` made cheaply, for the engine's per-node records."""
    return _new(_cls, (low, high, trace, missing, warnings, applicable))  # type: ignore[no-any-return]


DomainFn = Callable[[str], tuple["Decimal | None", "Decimal | None"]]
Prepared = Callable[[Mapping[str, object]], Outcome]


class Context(Protocol):
    """What a rule may ask of the ruleset while it evaluates."""

    defaults: RuleDefaults

    def domain(self, name: str) -> tuple[Decimal | None, Decimal | None]: ...


@runtime_checkable
class Rule(Protocol):
    """The protocol every rule follows (see the module docstring); checked structurally."""

    kind: str

    @property
    def inputs(self) -> tuple[str, ...]: ...

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]: ...

    @property
    def max_points(self) -> Decimal: ...

    @property
    def direction(self) -> str: ...

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome: ...

    def prepare(self, defaults: RuleDefaults, domain: DomainFn) -> Prepared: ...


@attrs.frozen
class BoundContext:
    """A fixed evaluation context: a ruleset's rule defaults and its fact domains."""

    defaults: RuleDefaults
    domain: DomainFn


def prepare_generic(rule: Any, defaults: RuleDefaults, domain: DomainFn) -> Prepared:
    """For rules that are cheap as they are: bind ``evaluate`` to a fixed context."""
    evaluate, ctx = rule.evaluate, BoundContext(defaults, domain)
    return lambda values: evaluate(values, ctx)


def accept_declarations(specs: Mapping[str, Any]) -> None:
    """``check_declarations`` of kinds that any declaration of the right type suits."""


def identity_field(name: str, raw: Any, *, quantity: Callable[[Any, str | None], Decimal],
                   unit: str | None, basis: str, fact_names: Any) -> Any:
    """``convert_field`` of kinds whose fields carry no unit: the value as written."""
    return raw


# ------------------------------------------------------------------- shared parts


class PlainFields:
    """Parts of a kind whose fields carry no unit of their own (``convert_field``: each
    as written) and that any declaration of the right type suits (``check_declarations``)."""

    __slots__ = ()
    convert_field = staticmethod(identity_field)
    check_declarations = staticmethod(accept_declarations)


class OneFact(PlainFields):
    """Parts of a kind that reads one fact, ``fact``, of the types ``FACT_TYPES``, with
    plain fields (``PlainFields``; a kind overrides what differs)."""

    __slots__ = ()
    FACT_TYPES: ClassVar[tuple[str, ...]] = ("number",)
    fact: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.fact,)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return {self.fact: self.FACT_TYPES}

    def directions(self) -> dict[str, str]:
        return {self.fact: self.direction}  # type: ignore[attr-defined]


class FixedPoints:
    """``max_points`` of a kind worth its ``points`` field."""

    __slots__ = ()
    points: Decimal

    @property
    def max_points(self) -> Decimal:
        return self.points


# ------------------------------------------------------------ converters and validators


def dec(value: object) -> Decimal:
    return to_decimal(value)


def dec_or_name(value: object) -> Decimal | str:
    return value if isinstance(value, str) else dec(value)


def opt_dec(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value)


def non_empty(value: object, field: str, item: str, example: str, *,
              each: tuple[Callable[[Any], bool], str, str] | None = None) -> tuple[Any, ...]:
    """A rule's list (``bands``, ``states``, ``parts`` …) as a tuple: a RulesetError
    when it has no ``item`` (``example``: one written in a ruleset), or, with ``each`` =
    (test, what, example), when an element fails the test."""
    items = tuple(cast("Iterable[Any]", value))
    if not items:
        raise RulesetError(f"{field}: at least one {item} is needed", example=example)
    if each is not None and not all(map(each[0], items)):
        test, what, item_example = each
        i = next(i for i, x in enumerate(items) if not test(x))
        raise RulesetError(f"{field}[{i}]: expected {what}", example=item_example)
    return items


def non_negative(inst: object, attr: attrs.Attribute, value: Decimal) -> None:  # type: ignore[type-arg]
    if value < 0:
        raise RulesetError(
            f"{attr.name} must not be negative (got {value})",
            expected="0 or more points", example=f"{attr.name}: 5",
        )


def positive(inst: object, attr: attrs.Attribute, value: Decimal) -> None:  # type: ignore[type-arg]
    if value <= 0:
        raise RulesetError(f"{attr.name} must be positive (got {value})",
                           expected="a number above 0", example=f"{attr.name}: 1")


def choice_or_none(allowed: tuple[str, ...]) -> Callable[[object, Any, object], None]:
    def check(_inst: object, attr: attrs.Attribute, value: object) -> None:  # type: ignore[type-arg]
        if value is not None and value not in allowed:
            raise RulesetError(f"{attr.name}: '{value}' is not a known reading",
                               expected="one of " + ", ".join(allowed),
                               example=f"{attr.name}: {allowed[0]}")

    return check


def check_direction(_inst: object, attr: attrs.Attribute, value: str) -> None:  # type: ignore[type-arg]
    if value not in DIRECTIONS:
        raise RulesetError(f"direction: '{value}' is not known", expected="one of "
                           + ", ".join(DIRECTIONS), example="direction: higher")


# ---------------------------------------------------------------- outcomes of no value


def unknown(name: str, value: object, low: Decimal, high: Decimal) -> Outcome:
    """The outcome of a fact that is missing, unsettled or undefined: a range (and of
    an asserted state a kind does not score: ``not_meaningful``)."""
    trace: tuple[Step, ...]
    if type(value) is Asserted:
        return asserted_range(name, value, low, high, "not_meaningful")
    if type(value) is Unsettled:
        trace = (UnsettledValue(name, value.text), Range(low, high))
    elif value is UNDEFINED:
        trace = (Undefined(name), Range(low, high))
    else:
        trace = (Missing(name), Range(low, high))
    return Outcome(low, high, trace, (name,))


# ------------------------------------------------------------ asserted states

Statement = tuple[str, Decimal] | None  # a target's own statement: ("≥", 266)


def asserted_state(value: Asserted, statement: Statement) -> str:
    """The state ``value`` asserts for a rule whose target states ``statement``: a
    comparison echo (``≥266米``) is ``met`` only when it is exactly that statement (the
    same comparison and the same bound in the fact's unit); any other echo stays
    ``echo``, which no kind reads as met."""
    if value.state == ECHO:
        if statement is not None and (value.op, value.bound) == statement:
            return MET
        return ECHO
    return value.state


def statement_text(statement: Statement) -> str | None:
    """A target's statement as text, ``≥266``, for the trace (None without one)."""
    return None if statement is None else statement[0] + fmt(statement[1])


def asserted_score(name: str, value: Asserted, points: Decimal, reading: str) -> Outcome:
    """An asserted state the kind scores: ``points``, by the decision ``reading``
    (``full``, ``best_band``, ``lowest``; an echo read as met says ``echo_met``)."""
    if value.state == ECHO:
        reading = "echo_met"
    return settled(points, (AssertedScore(name, value.text, value.state, reading, points),))


def asserted_range(name: str, value: Asserted, low: Decimal, high: Decimal, reason: str,
                   detail: str | None = None) -> Outcome:
    """An asserted state the kind cannot score exactly: the range, with the reason."""
    return Outcome(low, high, (AssertedRange(name, value.text, value.state, reason, detail),
                               Range(low, high)), (name,))


def asserted_reader(name: str, statement: Statement, full: Decimal, reading: str,
                    every: tuple[Decimal, Decimal], not_met: tuple[Decimal, Decimal] | None,
                    unknown_reason: str) -> Callable[[Asserted], Outcome]:
    """How a kind reads an asserted state of its fact ``name``: met (an echo of
    ``statement`` too) scores ``full`` by ``reading``; any other echo is the range
    ``every``; not met and partly met score ``not_met`` (the lowest when it is one
    score; None: the range ``every``), a range for ``partly`` or ``unknown_reason``."""

    def read(value: Asserted) -> Outcome:
        state = asserted_state(value, statement)
        if state == MET:
            return asserted_score(name, value, full, reading)
        if state == ECHO:
            return asserted_range(name, value, *every, "echo_mismatch",
                                  statement_text(statement))
        if not_met is not None and not_met[0] == not_met[1]:
            return asserted_score(name, value, not_met[0], "lowest")
        reason = "partly" if state == "partly_met" else unknown_reason
        return asserted_range(name, value, *(every if not_met is None else not_met), reason)

    return read


class ChosenRange(Step, type="chosen_range"):
    """A tier (``what="tier"``) or band (``"band"``) that leaves the score to the
    evaluator within ``low``-``high``: the score is a claim, not a fact (audit checks it)."""

    OPTIONAL = frozenset({"open"})
    what: str
    label: str
    low: Decimal
    high: Decimal
    #: the ends a claim may not take (``"low"``, ``"high"``, ``"both"``): a tier's open
    #: end belongs to the next tier (部分达成 80-60%(含60%): 6.4 of 8 is 达成)
    open: str | None

    def name(self, lang: str) -> str:
        """The tier or band as the texts name it: ``“达成”档``, ``区间 ≥50``."""
        if lang == "zh":
            return f"“{self.label}”档" if self.what == "tier" else f"区间 {self.label}"
        return f"tier '{self.label}'" if self.what == "tier" else f"band {self.label}"

    def zh(self, units: Mapping[str, str]) -> str:
        return f"{self.name('zh')}：由评价人在 {show(self.low)}–{show(self.high)} 分之间给分"

    def en(self, units: Mapping[str, str]) -> str:
        return (f"{self.name('en')}: the evaluator scores within {show(self.low)}-"
                f"{show(self.high)} points")

    def allows(self, claim: Decimal) -> bool:
        """Whether a claimed score lies in the range (its open ends excluded)."""
        if claim < self.low or claim > self.high:
            return False
        if claim == self.low and self.open in ("low", "both") and self.low != self.high:
            return False
        return not (claim == self.high and self.open in ("high", "both")
                    and self.low != self.high)


def scored_value_step(name: str, type: str, *, module: str, subject: str = "fact",
                      zh_value: str = "{value}", en_value: str = "{value}",
                      words: Mapping[str, Mapping[Any, str]] | None = None,
                      doc: str = "") -> type[Step]:
    """The step of a value a kind read and the points it gives, ``{subject}：{value}，计
    {points} 分``: ``subject`` names the fact (or a checklist's item); ``zh_value`` and
    ``en_value`` write the value (``{value:WORDS}``: by the mapping ``words[WORDS]``)."""
    return template_step(name, type, f"{subject} value points", module=module, doc=doc,
                         zh=f"{{{subject}}}：{zh_value}，计 {{points}} 分",
                         en=f"{{{subject}}}: {en_value}, {{points}} points", words=words)


def not_applicable(name: str) -> Outcome:
    return Outcome(ZERO, ZERO, (NotApplicable(name),), applicable=False)


# ------------------------------------------------------------- schema fragments

FACT_NAME: dict[str, Any] = {"description": "Name of a declared fact.", "type": "string",
                             "minLength": 1}
POINTS: dict[str, Any] = {"$ref": "#/$defs/points"}
DIRECTION: dict[str, Any] = {"$ref": "#/$defs/direction"}
OVERACHIEVEMENT_WARN: dict[str, Any] = {
    "description": ("Warn (never deduct) when actual/target exceeds this ratio; default "
                    "policy.defaults.overachievement_warn."),
    "$ref": "#/$defs/number",
}


def mapping_schema(properties: dict[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
    """The JSON Schema of a mapping of ``properties`` and no others (a rule, a checklist's
    item, a state, a tier), ``required`` among them."""
    return {"type": "object", "properties": properties, "required": list(required),
            "additionalProperties": False}


def list_schema(description: str, items: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a rule's list of at least one item (``non_empty`` reads it)."""
    return {"description": description, "type": "array", "minItems": 1, "items": items}


def rule_schema(kind: str, description: str, properties: dict[str, Any],
                required: tuple[str, ...]) -> dict[str, Any]:
    """The JSON Schema of a rule kind's mapping: ``kind`` and ``properties``, no others."""
    return {"description": description,
            **mapping_schema({"kind": {"const": kind}, **properties}, ("kind", *required))}


def one_fact_schema(kind: str, description: str, properties: dict[str, Any],
                    required: tuple[str, ...]) -> dict[str, Any]:
    """The JSON Schema of a ``OneFact`` kind: its ``fact`` (a declared fact's name, required)
    first, then ``properties``."""
    return rule_schema(kind, description, {"fact": FACT_NAME, **properties},
                       ("fact", *required))

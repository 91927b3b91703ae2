"""Every rule kind provides every part of the rule protocol, in its own class
(``rubric.rules.PARTS``); the protocol is checked by structure, not by class name."""

from __future__ import annotations

import importlib
from decimal import Decimal

import attrs
import pytest

from rubric import Bands, Group, Indicator, RulesetError
from rubric.rules import PARTS, RULE_TYPES, is_rule
from rubric.rules.base import Outcome
from rubric.trace import STEP_FIELDS, STEP_TYPES, Step

KINDS = sorted(RULE_TYPES)


def missing_parts(cls: type) -> list[str]:
    """The parts of the rule protocol ``cls`` does not provide."""
    fields = {a.name for a in attrs.fields(cls)} if attrs.has(cls) else set()
    return [p for p in PARTS if not hasattr(cls, p) and p not in fields]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_every_part(kind: str) -> None:
    cls = RULE_TYPES[kind]
    assert missing_parts(cls) == []
    assert cls.kind == kind  # type: ignore[attr-defined]
    steps = cls.STEPS  # type: ignore[attr-defined]
    assert steps and all(issubclass(s, Step) for s in steps)
    assert all(STEP_TYPES[s.type] is s for s in steps)  # registered, once
    schema = cls.SCHEMA  # type: ignore[attr-defined]
    assert schema["properties"]["kind"] == {"const": kind}


def own_parts(cls: type) -> dict[str, object]:
    """The parts a kind provides itself or takes from the shared parts in rules.base
    (``OneFact``, ``FixedPoints``), as a flat namespace without any base class."""
    namespace: dict[str, object] = {}
    for klass in reversed(cls.__mro__[:-1]):
        assert klass is cls or klass.__module__ == "rubric.rules.base", klass
        namespace.update((k, v) for k, v in vars(klass).items() if not k.startswith("__"))
    return namespace


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_without_a_part_is_found(kind: str) -> None:
    """Removing any one part from a kind makes the completeness check fail."""
    cls = RULE_TYPES[kind]
    for part in PARTS:
        if part in {a.name for a in attrs.fields(cls)}:
            continue  # a field (``direction`` of some kinds): attrs needs it
        stripped = type(f"No_{part}", (), {k: v for k, v in own_parts(cls).items()
                                          if k != part})
        assert part in missing_parts(stripped), (kind, part)


def test_every_step_type_belongs_to_a_kind_or_is_shared() -> None:
    own = {s.type for cls in RULE_TYPES.values() for s in cls.STEPS}  # type: ignore[attr-defined]
    shared = {s.type for s in STEP_TYPES.values() if s.__module__ == "rubric.trace"}
    assert own | shared == set(STEP_TYPES) == set(STEP_FIELDS)
    assert not own & shared


def test_steps_have_named_fields_and_a_type_tag() -> None:
    capped = STEP_TYPES["capped"](Decimal(6), Decimal(5))
    assert capped.type == "capped" and capped[0] == "capped"
    assert (capped.points, capped.max_points) == (Decimal(6), Decimal(5))
    assert capped.to_dict() == {"type": "capped", "points": "6", "max_points": "5"}


def test_the_protocol_is_structural_not_by_name() -> None:
    @attrs.frozen
    class Bands:  # the name of a rubric rule, none of its parts
        fact: str = "x"

    assert not is_rule(Bands())
    with pytest.raises(RulesetError, match="is not a rubric rule"):
        Indicator("行", Bands())  # type: ignore[arg-type]
    real = RULE_TYPES["bands"]
    assert real is importlib.import_module("rubric").Bands
    assert is_rule(real("x", [importlib.import_module("rubric").Band(1, None, None)]))
    Group("g", [Indicator("行", real("x", [importlib.import_module("rubric").Band(1)]))])


def test_rules_return_outcomes() -> None:
    rule = Bands("x", [importlib.import_module("rubric").Band(1)])
    from rubric.rules.base import BoundContext

    out = rule.evaluate({"x": Decimal(3)}, BoundContext(
        importlib.import_module("rubric").RuleDefaults(), lambda _n: (None, None)))
    assert isinstance(out, Outcome) and out.low == out.high == 1

"""The given facts' plain conversions, compiled once per ruleset into one function.

``facts.coerce_facts`` converts a mapping fact by fact through each declaration's
converter, checks every value and collects every problem; it costs a call, a lookup and
a few tests per fact. Most units give plain values: decimal text or numbers inside
rubric's limits and the fact's domain, ``True``/``False``, a known category, an ISO day.
``compile_convert`` writes the straight-line function a careful person would write for
exactly those values of one ruleset (``convert(mapping) -> values | None``): the same
conversions (``numbers.simple_number``: the value is ``Decimal(text)``), and ``None`` for
anything else (units, other spellings, 不适用, numbers beyond the limits or the domain,
undeclared, derived or ``None`` values, a plain number a % fact would warn about or read
otherwise), so the caller takes the general path, which converts and reports exactly.

``words`` is the yes/no text the function reads: evaluation passes only 是/否 (other
words are shown in the row's trace as given, ``facts.Facts.texts``: the general path
records them), the scores-only path every word ``facts.BOOLEAN_TEXT`` reads.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Set
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from ..facts import BOOLEAN_TEXT, FactSpec
from ..numbers import MAX_MAGNITUDE, accepted, in_range, plain_decimal, simple_number
from ..rules.analysis import CodeWriter
from ..tree import Ruleset

__all__ = ["INT_LIMIT", "MAX_COMPILED_FACTS", "PLAIN_UNSIGNED", "PLAIN_WORDS", "Convert",
           "compile_convert", "fraction_warns", "plain_unsigned", "write_boolean_read",
           "write_convert", "write_date_read", "write_fact_read", "write_given",
           "write_int_read", "write_number_read"]

#: the most input facts converted by a compiled function (beyond: the general path only;
#: compiling some 30 lines per fact of a 10 000-row table would cost seconds)
MAX_COMPILED_FACTS = 2000

#: the yes/no text whose reading no trace shows (``states.boolean_texts`` keeps others)
PLAIN_WORDS: Mapping[str, bool] = {"是": True, "否": False}

Convert = Callable[[Mapping[str, object]], "dict[str, object] | None"]


def compile_convert(ruleset: Ruleset, words: Mapping[str, bool] = BOOLEAN_TEXT
                    ) -> Convert | None:
    """``convert(mapping)``: the values of a mapping of plain given values, converted as
    ``coerce_facts`` converts them, or None (the general path); None instead of a
    function when the ruleset declares more than ``MAX_COMPILED_FACTS`` input facts."""
    specs = ruleset.input_facts()
    if len(specs) > MAX_COMPILED_FACTS:
        return None
    assert words.keys() <= BOOLEAN_TEXT.keys()  # the words read as coerce_facts reads them
    src = CodeWriter()
    write_convert(src, ruleset, src.const(dict(words)))
    namespace: dict[str, Any] = {"D": Decimal, "DATE": _dt.date, "SIMPLE": simple_number,
                                 "PLAIN": plain_decimal, "IN_RANGE": in_range,
                                 "ACCEPTED": accepted, **src.consts}
    exec(compile("\n".join(src.lines),
                 f"<rubric facts of {ruleset.metadata.id or 'ruleset'}>", "exec"), namespace)
    return namespace["convert"]  # type: ignore[no-any-return]


def write_number_read(src: CodeWriter, indent: int, x: str = "x",
                      unsigned: bool = True, defer: str | None = None) -> None:
    """The lines that read the given value ``x`` (its type in ``t``) as a number, as
    ``facts_from`` accepts it (``numbers.accepted``: magnitude, places, digits): plain
    decimal text, an int or a Decimal within the limits; anything else returns None (the
    general path converts and reports it). Text of at most 18 characters that
    ``numbers.plain_decimal`` matches is below 10^18 (18 digits at most): converted
    without the magnitude test. Unsigned text is first tested without the regular
    expression (``plain_unsigned``: the same strings; ``unsigned=False`` when the caller
    tested it already; ``defer``: ``unsigned_read``); an int is tested against the limits
    as an int (``numbers.in_range`` of ``Decimal(x)``: the same answer), then converted."""
    src.emit("if t is str:", indent)
    if unsigned:
        src.emit(f"if {unsigned_read(x, defer)}", indent + 1)
        src.emit(f"elif len({x}) < 19 and PLAIN({x}): {x} = D({x})", indent + 1)
    else:
        src.emit(f"if len({x}) < 19 and PLAIN({x}): {x} = D({x})", indent + 1)
    src.emit("else:", indent + 1)
    src.emit(f"{x} = SIMPLE({x})", indent + 2)  # a plain decimal within the limits, else None
    src.emit(f"if {x} is None: return None", indent + 2)
    src.emit("elif t is int:", indent)
    src.emit(f"if {-INT_LIMIT} <= {x} <= {INT_LIMIT}: {x} = D({x})", indent + 1)
    src.emit("else: return None", indent + 1)
    src.emit(f"elif t is not D or not ACCEPTED({x}): return None", indent)


#: ``numbers.MAX_MAGNITUDE`` as an int: ``in_range(Decimal(i)) == (-INT_LIMIT <= i <= INT_LIMIT)``
INT_LIMIT = int(MAX_MAGNITUDE)

#: the test of unsigned plain decimal text ``x`` written into the compiled code: ASCII
#: digits with at most one point, a digit first (``plain_decimal``'s strings without a
#: sign; the others are tested by ``plain_decimal`` itself). ``strip`` takes off the
#: ASCII digits at both ends: what is left is empty or the lone point only when every
#: character is an ASCII digit but for at most one point (anything else stays, a second
#: point with the digits between); ``x >= '0'`` is then "not empty, and a digit first"
#: ('.' < '0'). Two C calls fewer than isascii + replace + isdigit + x[0], and for the text it
#: takes no new string (what strip leaves is the empty string or the cached '.').
PLAIN_UNSIGNED = "x.strip('0123456789') in ('', '.') and x >= '0'"


def unsigned_test(x: str) -> str:
    """``PLAIN_UNSIGNED`` of the text in the variable ``x``."""
    return PLAIN_UNSIGNED.replace("x.", f"{x}.").replace("x >=", f"{x} >=")


def unsigned_read(x: str, defer: str | None = None) -> str:
    """The test and conversion of unsigned plain text in ``x`` (of at most 18
    characters): ``cond: x = D(x)``. With ``defer`` (a local's name), only the length
    and the first character are tested here and the text is kept in that local;
    ``write_given`` tests all the kept texts at once (``DEFERRED_TEST``) before any of
    them is used."""
    if defer is None:
        return f"len({x}) < 19 and {unsigned_test(x)}: {x} = D({x})"
    return f"len({x}) < 19 and {x} >= '0': {defer} = {x}; {x} = D({x})"


#: the test of ``J``, the kept texts (``unsigned_read``) joined, written into the compiled
#: code: ASCII (one flag, no scan) and nothing left of its bytes once the ASCII digits and
#: points are deleted (``bytes.translate``, one pass over a table: about half the cost
#: of ``replace`` and ``str.isdigit``, which looks every character up in the Unicode
#: tables). With each text's first character at least '0' and at most 18 characters,
#: each is then unsigned plain decimal text (``PLAIN_UNSIGNED``; a digit first, so ``J``
#: holds a digit), or has a second point ("1.2.3"), on which ``Decimal`` raised
#: ``InvalidOperation`` already (as on "是"): trapped in the context the compiled
#: function runs in (``DECIMAL_CONTEXT``, which ``score_only`` sets), and ``write_given``
#: returns None for it. Text that fails it (``5 ``, ``1_0``, ``1e5``, ``١٢``: Decimal
#: reads them) would have failed ``PLAIN`` and ``SIMPLE`` too: the function returns
#: None, as it would have. One test of the joined texts costs less than one ``strip``
#: per text.
DEFERRED_TEST = "J.isascii() and not J.encode().translate(None, b'.0123456789')"


#: the compiled code's test ``PLAIN_UNSIGNED`` as a function of the text (for tests)
plain_unsigned: Callable[[str], bool] = eval(f"lambda x: {PLAIN_UNSIGNED}")


def write_boolean_read(src: CodeWriter, table: str, depth: int, x: str = "x") -> None:
    """The lines reading the given value ``x`` as yes/no: True, False or text of the dict
    ``table`` (a constant of ``src``); anything else returns None."""
    src.emit(f"if {x} is not True and {x} is not False:", depth)
    src.emit(f"{x} = {table}.get({x}) if type({x}) is str else None", depth + 1)
    src.emit(f"if {x} is None: return None", depth + 1)


def write_date_read(src: CodeWriter, depth: int, x: str = "x") -> None:
    """The lines reading the given value ``x`` as a day: a ``datetime.date`` or ISO text
    YYYY-MM-DD (``fromisoformat`` reads 2023-W01-1 too: refused); else None."""
    src.emit(f"if type({x}) is str and len({x}) == 10 and {x}[4] == '-' and {x}[7] == '-':",
             depth)
    src.emit(f"try: {x} = DATE.fromisoformat({x})", depth + 1)
    src.emit("except ValueError: return None", depth + 1)
    src.emit(f"elif type({x}) is not DATE: return None", depth)


def write_fact_read(src: CodeWriter, ruleset: Ruleset, spec: FactSpec, table: str,
                    depth: int, x: str = "x", ints: bool = False,
                    defer: str | None = None, warn: str | None = None) -> str:
    """The lines converting the given value ``x`` of ``spec`` as ``coerce_facts``
    converts a plain value, returning None for anything else, None included; the kind
    of value ``x`` then holds (``CodeWriter.known``). Unsigned plain text of a number
    whose minimum is at most 0 is read first, and needs no test of the minimum.
    ``ints``: a number fact (not a %) given as an ``int`` within the limits and its
    domain stays an int (kind "count", ``write_int_read``). ``defer``: the local that
    keeps unsigned text, tested later (``unsigned_read``). ``warn``: the local collecting
    the names of % facts whose plain number looks like a fraction (``write_number_bounds``)."""
    if _percent(spec) and _reading(ruleset, spec) != "percent":
        src.emit("return None", depth)  # a plain number's reading: the general path
        return "number"
    if spec.type == "number":
        ints = ints and not _percent(spec)
        write_number_conversion(src, spec, depth, x, ints, defer)
        write_number_bounds(src, spec, depth, x, warn)
        return "count" if ints else "number"
    if spec.type == "boolean":
        write_boolean_read(src, table, depth, x)
        return "boolean"
    if spec.type == "category":
        src.emit(f"if type({x}) is not str or {x} not in "
                 f"{src.const(frozenset(spec.categories))}: return None", depth)
        return "text"
    if spec.type == "date":
        write_date_read(src, depth, x)
        return "date"
    src.emit(f"if type({x}) is not str: return None", depth)
    return "text"


def write_number_conversion(src: CodeWriter, spec: FactSpec, depth: int, x: str,
                            ints: bool, defer: str | None = None) -> None:
    """``write_fact_read``'s conversion of the given value ``x`` of the number fact
    ``spec`` (with its test of the minimum; ``write_number_bounds`` follows it)."""
    src.emit(f"t = type({x})", depth)
    low = spec.minimum
    if low is not None and low <= 0:  # unsigned text: at least 0
        src.emit(f"if t is str and {unsigned_read(x, defer)}", depth)
        if ints:
            write_int_read(src, spec, depth, x)
        src.emit("else:", depth)
        write_number_read(src, depth + 1, x, unsigned=False)
        src.emit(f"if {x} < {src.const(low)}: return None", depth + 1)
    elif ints:  # an int first: its tests of the limits and the domain are one
        src.emit("if t is int:", depth)
        write_int_read(src, spec, depth, x, first=True)
        src.emit("else:", depth)
        write_number_read(src, depth + 1, x, defer=defer)
        if low is not None:
            src.emit(f"if {x} < {src.const(low)}: return None", depth + 1)
    else:
        write_number_read(src, depth, x, defer=defer)
        if low is not None:
            src.emit(f"if {x} < {src.const(low)}: return None", depth)


def write_number_bounds(src: CodeWriter, spec: FactSpec, depth: int, x: str,
                        warn: str | None = None) -> None:
    """The tests after the conversion of a number fact: its maximum (an int is tested in
    ``write_int_read`` too), and a plain number of a % fact that looks like a fraction
    (it warns: the general path; with ``warn``, the fact's name is added to that local's
    tuple instead and the value read as it is, as the general path reads it). Finite:
    ``numbers.accepted`` takes no infinity."""
    if spec.maximum is not None:
        src.emit(f"if {x} > {src.const(spec.maximum)}: return None", depth)
    if fraction_warns(spec):  # looks like a fraction: warns
        then = f"{warn} += ({spec.name!r},)" if warn else "return None"
        # a Decimal compared with Decimals: half the time of a comparison with the ints 0, 1
        src.emit(f"if {src.const(Decimal(0))} < {x} <= {src.const(Decimal(1))}: {then}", depth)


def fraction_warns(spec: FactSpec) -> bool:
    """Whether a plain number of ``spec`` read as a percent warns when it is in (0, 1]
    (``facts.read_percent_number``): a % fact whose domain reaches 100."""
    return _percent(spec) and (spec.maximum is None or spec.maximum >= 100)


def _percent(spec: FactSpec) -> bool:
    """Whether ``spec`` is a number fact in percent."""
    return spec.type == "number" and spec.unit in ("%", "percent")


def _reading(ruleset: Ruleset, spec: FactSpec) -> str:
    """How a plain number given for ``spec`` is read, if it is a %."""
    return spec.percent_numbers or ruleset.defaults.percent_numbers


def write_int_read(src: CodeWriter, spec: FactSpec, depth: int, x: str = "x",
                   first: bool = False) -> None:
    """The ``elif t is int:`` (``first``: the body of an ``if t is int:`` already
    written) of a number fact whose int stays an int: None unless the int is within
    rubric's limits and the fact's domain, in one chained comparison of ints. For an
    int ``i`` and a Decimal ``m``, ``i >= m`` exactly when ``i >= ceil(m)`` and ``i <= m``
    exactly when ``i <= floor(m)``; ``Decimal(i)`` is within the limits exactly when
    ``-INT_LIMIT <= i <= INT_LIMIT`` (``INT_LIMIT``): so the test is that of the
    conversion, the minimum and the maximum."""
    low, high = -INT_LIMIT, INT_LIMIT
    if spec.minimum is not None:
        low = max(low, int(spec.minimum.to_integral_value(ROUND_CEILING)))
    if spec.maximum is not None:
        high = min(high, int(spec.maximum.to_integral_value(ROUND_FLOOR)))
    if not first:
        src.emit("elif t is int:", depth)
    src.emit(f"if not {low} <= {x} <= {high}: return None", depth + 1)


def write_convert(src: CodeWriter, ruleset: Ruleset, table: str) -> None:
    """Emit ``def convert(m)`` (module level), reading yes/no text by the dict ``table``
    (a constant of ``src``)."""
    src.emit("def convert(m):", 0)
    src.emit("v = {}")
    for spec in ruleset.input_facts():
        src.emit(f"x = m.get({spec.name!r})")
        src.emit("if x is not None:")
        write_fact_read(src, ruleset, spec, table, 2)
        src.emit(f"v[{spec.name!r}] = x", 2)
    # every given name converted: none undeclared, derived or None (v holds no None)
    src.emit("if len(v) != len(m): return None")
    src.emit("return v")


def write_given(src: CodeWriter, ruleset: Ruleset, table: str,
                ints: Set[str] = frozenset(),
                warned: list[str] | None = None) -> dict[str, tuple[str, str]]:
    """The lines converting every input fact of the mapping ``m``, all given, into locals
    ``a0, a1, …`` (as ``write_convert`` converts them), returning None when one is not
    given or None (no conversion takes None); the facts' locals and kinds
    (``CodeWriter.known``). A number fact of ``ints`` given as an int stays an int
    (kind "count": ``write_fact_read``'s ``ints``). With ``warned`` (a list), a % fact
    read as a percent whose value looks like a fraction does not return None: its name
    is added to the tuple in the local ``W`` (empty when none does), and the names of
    the facts that may be added are put in ``warned``."""
    known: dict[str, tuple[str, str]] = {}
    specs = ruleset.input_facts()
    if not specs:  # nothing to convert (an empty ``try:`` does not compile)
        return known
    if warned is not None:
        warned += [s.name for s in specs if fraction_warns(s) and _reading(ruleset, s) == "percent"]
        if warned:
            src.emit("W = ()")
    kept = [f"r{i}" for i, spec in enumerate(specs) if spec.type == "number"]
    src.emit("try:")  # m[name], without the call of m.get: a name not given raises KeyError
    if kept:
        src.emit(" = ".join(kept) + " = ''", 2)  # the texts kept (unsigned_read)
    for i, spec in enumerate(specs):
        src.emit(f"a{i} = m[{spec.name!r}]", 2)
        known[spec.name] = (f"a{i}", write_fact_read(src, ruleset, spec, table, 2, f"a{i}",
                                                     ints=spec.name in ints, defer=f"r{i}",
                                                     warn="W" if warned else None))
    if kept:  # every kept text tested at once
        src.emit(f"J = ''.join(({', '.join(kept)},))", 2)  # one string made, not one per +
        src.emit(f"if J and not ({DEFERRED_TEST}): return None", 2)
    # KeyError: a name not given; ArithmeticError: Decimal of kept text that is no
    # number ("1.2.3", "是": DEFERRED_TEST), trapped in DECIMAL_CONTEXT
    src.emit("except (KeyError, ArithmeticError): return None")
    return known


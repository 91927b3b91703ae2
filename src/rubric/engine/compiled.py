"""A scores-only path: the ruleset compiled once into one Python function.

``evaluate`` records a trace per row and handles every edge case (ranges, not-applicable
rows, 0/0 readings). Scoring thousands of units mostly needs neither: every fact is
given and every row settles. ``compile_scores`` turns a ruleset into the function a
careful person would write by hand for that case, exact in ``Decimal``: each rule kind
writes its own code (``compile_into``: band tables become comparison chains, step
deductions inline arithmetic with their readings resolved, and int arithmetic for a
count given as an ``int``, yes/no rows and checklists plain lookups), and kinds that
decline call their prepared rule. Whenever a
unit leaves that case (a missing, unsettled or not-applicable value, an error), the
function returns ``None`` and ``score_only`` falls back to ``evaluate``, so both paths
give the same scores (a property test holds them to it). Rows and groups above their
分值 are capped in the function as evaluation caps them; a row reading a derived rate
that is 0/0 (``UNDEFINED``) or x/0 (infinite) is scored by ``score_row``, evaluation's
own general path for one row (the 0/0 reading), and leaves the function only if that row
stays unsettled (``engine.compiled_rows``).
"""

from __future__ import annotations

import contextvars
import datetime as _dt
import decimal
import re
import threading
from collections.abc import Callable, Mapping, Sequence, Set
from decimal import Decimal, getcontext, setcontext
from typing import Any, NamedTuple

from ..collector import paused
from ..constraints import check_constraints
from ..errors import EvaluationError
from ..facts import BOOLEAN_TEXT, UNDEFINED, Facts
from ..numbers import accepted, in_range, plain_decimal, simple_number
from ..policy import DEFINITION_CONTEXT, ROUNDING_MODES
from ..rules.analysis import CodeWriter
from ..tree import Ruleset
from . import compiled_loops
from .column_values import percent_warning
from .compiled_facts import write_convert, write_given
from .compiled_formulas import write_formula
from .compiled_loops import write_derived, write_raw_entry, write_rows
from .compiled_rows import general_row
from .evaluation import DECIMAL_CONTEXT, Rescaling, evaluate
from .plan import Plan, plan_of
from .vetoes import grade_minima, grade_of

__all__ = ["Scores", "compile_scores", "score_only"]

ZERO = Decimal(0)

ScoreFn = Callable[[Mapping[str, object]], "tuple[Decimal, ...] | None"]


class Scores(NamedTuple):
    """Every node's score range in plan order (``plan_of(ruleset).steps``), the total and
    grade."""

    lows: tuple[Decimal, ...]
    highs: tuple[Decimal, ...]
    grade: str | None
    grades: tuple[str, ...]
    missing: tuple[str, ...] = ()  # facts that would settle the total
    applicable: tuple[bool, ...] = ()  # per node; empty when every node is applicable
    #: how the total was rescaled to the applicable rows (``evaluation.Rescaling``), or None
    rescaled: Rescaling | None = None
    #: warnings about the unit's facts (``Result.fact_warnings``: readings, constraints)
    warnings: tuple[str, ...] = ()

    def is_applicable(self, index: int) -> bool:
        """Whether node ``index`` (plan order) is assessed (False: 不适用, left out)."""
        return not self.applicable or self.applicable[index]

    @property
    def total(self) -> Decimal | None:
        return self.lows[-1] if self.lows[-1] == self.highs[-1] else None


def _fallback(code: CodeWriter, prepared: Any, out: str) -> None:
    """Call the prepared rule; anything but a settled, applicable score leaves the path."""
    fn = code.const(prepared)
    code.emit(f"o = {fn}(v)")
    code.emit("if o.missing or not o.applicable or o.low != o.high: return None")
    code.emit(f"{out} = o.low")


def compile_scores(ruleset: Ruleset) -> ScoreFn | None:
    """The ruleset as one function from coerced fact values to node scores, or None.

    The function returns every node's score in plan order, or ``None`` when the unit
    needs the general path. ``compile_scores`` itself returns ``None`` for policies it
    does not compile (rows not rounded, "one of" groups, redistribution): ``score_only``
    then always evaluates.
    """
    policy = ruleset.policy
    if (not policy.round_rows or policy.not_applicable == "redistribute"
            or policy.missing != "range" or ruleset.vetoes):  # the table's vetoes: evaluate
        return None
    plan = plan_of(ruleset)
    src = CodeWriter()
    src.emit("def scores(v):", 0)
    if len(plan.steps) >= compiled_loops.LOOP_FROM:  # large: one loop per shape of row
        return _loop_form(src, ruleset, plan)
    if not _write_body(src, ruleset, plan):
        return None
    _raw_entry(src, ruleset)
    _given_entry(src, ruleset, plan)
    return _built(src, ruleset)


def _write_body(src: CodeWriter, ruleset: Ruleset, plan: Plan, fused: bool = False) -> bool:
    """The derived facts, every row and group, and the return of the scores; False for
    a group not compiled ("one of"). ``fused``: every input fact is in a local
    (``src.known``, ``_given_entry``), the derived ones are put in locals too, and the
    mapping ``v`` is built only when a row's code reads it; else all are read from ``v``."""
    policy = ruleset.policy
    ints = {name for name in src.known if src.may_be_int(name)}  # may hold an int
    for j, (name, formula) in enumerate(ruleset.derived):
        _as_decimals(src, formula.names, len(src.lines))
        local = f"b{j}" if fused else None
        # every input a number; inline when it can be
        write_formula(src, formula, src.const(formula),
                      settle=_derived_store(src, ruleset, name, formula.names, local))
        if local:  # a Decimal or UNDEFINED: typed "derived" (tested where read)
            src.known[name] = (local, "derived")
            src.finite[name] = f"g{j}"
    derived = {name for name, _formula in ruleset.derived}
    for name in derived & src.known.keys():  # the rows read them where finite (below)
        src.known[name] = (src.known[name][0], "number")
    quantum, mode = src.const(policy.quantum), src.const(ROUNDING_MODES[policy.rounding])
    rounding = _row_rounding(policy)
    rows_from = len(src.lines)
    plain: set[int] = set()  # the steps whose score is always _plain
    for i, step in enumerate(plan.steps):
        out = f"s{i}"
        node = step.node
        cap = src.const(step.max_points)
        if step.rule is None:
            if getattr(node, "select", "all") != "all":
                return False
            # from ZERO as evaluate sums: ZERO + -0 is 0, and a lone -0 child would stay -0;
            # ZERO + a is a itself when a is "plain" (_plain): then the sum starts at a
            kids = [f"s{k}" for k in step.children]
            if not (kids and step.children[0] in plain):
                kids.insert(0, "ZERO")
            src.emit(f"{out} = {' + '.join(kids)}")
            if not _within(plan, step, policy):  # a capped subtotal: min(sum, 分值)
                src.emit(f"if {out} > {cap}: {out} = {cap}")
                if not _plain(step.max_points):
                    continue
            plain.add(i)  # a sum from a plain value (or ZERO) is plain, its cap too
            continue
        rule = node.rule  # type: ignore[union-attr]
        start = len(src.lines)
        src.cap, src.rounding, src.settled = step.max_points, rounding, False
        src.int_read, src.context = set(), DECIMAL_CONTEXT
        try:
            if not rule.compile_into(src, out, ruleset.defaults):  # type: ignore[union-attr]
                del src.lines[start:]  # a rule that declines writes nothing
                src.settled, src.int_read = False, set()
                _fallback(src, plan.prepared(node.id), out)
        finally:
            src.cap = src.rounding = src.context = None
        if not src.settled and not _fold_constants(src, start, out, step.max_points, policy):
            src.emit(f"if {out} > {cap}: {out} = {cap}")  # a capped row: min(score, 分值)
            src.emit(f"{out} = {out}.quantize({quantum}, {mode})")
        undefined = [n for n in rule.inputs if n in derived]
        if fused:  # every derived local the row's code reads: finite there, or score_row
            undefined = [n for n in sorted(derived) if n in undefined or re.search(
                rf"\b{src.known[n][0]}\b", "\n".join(src.lines[start:]))]
        if undefined:
            general_row(src, start, out, undefined, ruleset, node,  # type: ignore[arg-type]
                        values_of(src.known, ints) if fused else "v")
        # every count the row's code does not read as an int too: a Decimal before it
        _as_decimals(src, [n for n in rule.inputs if n not in src.int_read], start)
        if _sets_plain(src, start, out):  # read after general_row's lines: all of them
            plain.add(i)
    if fused and any(re.search(r"\bv\b", line) for line in src.lines[rows_from:]):
        src.lines.insert(rows_from, "    v = " + values_of(src.known, ints))  # prepared rules
    scores = "(" + "".join(f"s{i}, " for i in range(len(plan.steps))) + ")"
    if fused:  # the values, derived ones included, for the constraints
        src.emit(f"if keep is not None: keep.append({values_of(src.known, ints)})")
    src.emit(f"return {scores}")
    return True


def _derived_store(src: CodeWriter, ruleset: Ruleset, name: str, operands: Sequence[str],
                   local: str | None) -> Callable[[int, bool], None]:
    """``write_formula``'s ``settle`` of the derived fact ``name``: its value ``x`` kept
    (in ``local``, else in ``v``; beside a local, ``gJ`` says whether it is finite: 0/0
    and x/0 are not, ``compiled_rows.general_row``); a value outside the declared domain
    returns None (evaluate raises). The inline expression's value needs no test of its
    type, and none of a minimum of 0 or less when every operand's minimum is 0 or more:
    a product or quotient of such numbers and of literals (never negative in the inline
    form) is 0 or more, or -0, which no such minimum refuses either."""
    spec = ruleset.specs[name]
    store = f"{local} = x" if local else f"v[{name!r}] = x"
    flag = "g" + local[1:] if local else None
    lows = [ruleset.specs[n].minimum for n in operands]
    signless = spec.minimum is not None and spec.minimum <= 0 and all(
        low is not None and low >= 0 for low in lows)

    def settle(depth: int, finite: bool) -> None:
        if not finite:
            src.emit("if x is UNDEFINED:", depth)  # 0/0 (or x/0): the rows take score_row
            src.emit(store + (f"; {flag} = False" if flag else ""), depth + 1)
            src.emit("elif type(x) is not D: return None", depth)
            src.emit("else:", depth)
            depth += 1
        if spec.minimum is not None and not (finite and signless):
            src.emit(f"if x < {src.const(spec.minimum)}: return None", depth)
        if spec.maximum is not None:
            src.emit(f"if x > {src.const(spec.maximum)}: return None", depth)
        finiteness = "True" if finite else "x.is_finite()"
        src.emit(store + (f"; {flag} = {finiteness}" if flag else ""), depth)
    return settle


def _as_decimals(src: CodeWriter, facts: Sequence[str], at: int) -> None:
    """Put at line ``at`` (the function's top level) the conversion of every fact of
    ``facts`` whose local may hold an int (``CodeWriter.may_be_int``) to Decimal, as
    ``write_convert`` converts it (``Decimal(int)``: exact); from there on it is a
    "number"."""
    for name in dict.fromkeys(facts):
        if src.may_be_int(name):
            local = src.known[name][0]
            src.lines.insert(at, f"    if type({local}) is int: {local} = D({local})")
            src.known[name] = (local, "number")
            at += 1


def _within(plan: Plan, step: Any, policy: Any) -> bool:
    """Whether a group's sum can never exceed its 分值, so that it needs no cap: the
    children's 分值 summed as the function sums their scores is at most the group's, and
    no child scores above its own 分值. A group is capped at it; a row is capped at it,
    then rounded (``_write_body``, ``score_row``, the settled rows), which keeps it at
    most its 分值 when that 分值 is a number of the rounding's places (rounding is
    monotone). Sums and rounding are monotone too, in any context."""
    mode = ROUNDING_MODES[policy.rounding]
    try:
        with decimal.localcontext(DECIMAL_CONTEXT):
            total = ZERO
            for k in step.children:
                child = plan.steps[k]
                most = child.max_points
                if child.rule is not None and most.quantize(policy.quantum, mode) != most:
                    return False
                total += most
            return bool(total <= step.max_points)
    except ArithmeticError:
        return False


def _row_rounding(policy: Any) -> Callable[[Sequence[Decimal], Decimal | None], Decimal]:
    """``CodeWriter.rounding`` of the policy: constants summed from 0 in order, capped,
    rounded to the policy's places, in evaluation's context, as the function would
    compute them for one unit (``ArithmeticError`` where it would raise)."""
    mode = ROUNDING_MODES[policy.rounding]

    def rounding(values: Sequence[Decimal], cap: Decimal | None) -> Decimal:
        with decimal.localcontext(DECIMAL_CONTEXT):
            total = ZERO
            for value in values:
                total += value
            if cap is not None and total > cap:
                total = cap
            return total.quantize(policy.quantum, mode)
    return rounding


def _plain(value: object) -> bool:
    """Whether ``ZERO + value`` is ``value`` itself, in any context of rounding
    ROUND_HALF_EVEN and ``DECIMAL_CONTEXT``'s precision: a finite Decimal, not -0 (ZERO +
    -0 is 0), with an exponent of 0 or less (the sum's is the smaller of the two: ZERO +
    5E+1 is 50) and no more digits than the precision (the sum is then exact). A sum of
    plain values from a plain one is plain: its exponent is at most the first's, and a
    sum that is zero is +0 (half-even rounding; only ROUND_FLOOR gives -0)."""
    if type(value) is not Decimal or not value.is_finite():
        return False
    sign, digits, exponent = value.as_tuple()
    return (not (sign and value.is_zero()) and isinstance(exponent, int) and exponent <= 0
            and len(digits) <= DECIMAL_CONTEXT.prec)


def _sets_plain(src: CodeWriter, start: int, out: str) -> bool:
    """Whether every line from ``start`` that names ``out`` sets it to a constant that is
    ``_plain`` (a row ``_fold_constants`` folded), and one does."""
    named = re.compile(rf"\b{re.escape(out)}\b")
    constant = re.compile(rf"^\s*(?:(?:el)?if [^:]*: |else: )?{re.escape(out)} = (c\d+)$")
    lines = [line for line in src.lines[start:] if named.search(line)]
    matches = [constant.match(line) for line in lines]
    return bool(lines) and all(m is not None and _plain(src.consts.get(m[1]))
                               for m in matches)


def _fold_constants(src: CodeWriter, start: int, out: str, cap: Decimal, policy: Any) -> bool:
    """When every line from ``start`` that sets ``out`` sets it to a Decimal constant
    (band tables, yes/no rows), put each constant's capped and rounded value in its place,
    computed once as the function would compute it, and return True: the row then needs
    no cap and no rounding per unit."""
    named = re.compile(rf"\b{re.escape(out)}\b")
    constant = re.compile(rf"^(\s*(?:(?:el)?if [^:]*: |else: )?){re.escape(out)} = (c\d+)$")
    folded, mode = [], ROUNDING_MODES[policy.rounding]
    for line in src.lines[start:]:
        if named.search(line) is None:
            folded.append(line)  # neither sets nor reads the row's score
            continue
        match = constant.match(line)
        value = src.consts.get(match[2]) if match else None
        if type(value) is not Decimal:
            return False
        try:
            with decimal.localcontext(DECIMAL_CONTEXT):
                rounded = min(value, cap).quantize(policy.quantum, mode)
        except ArithmeticError:  # the function would raise: keep its code
            return False
        folded.append(f"{match[1]}{out} = {src.const(rounded)}")  # type: ignore[index]
    if any(named.search(line) for line in folded):  # the row sets its score
        src.lines[start:] = folded
        return True
    return False


def _loop_form(src: CodeWriter, ruleset: Ruleset, plan: Plan) -> ScoreFn | None:
    """``compile_scores`` of a large ruleset (``engine.compiled_loops``)."""
    policy = ruleset.policy
    quantum, mode = src.const(policy.quantum), src.const(ROUNDING_MODES[policy.rounding])
    write_derived(src, ruleset)
    if not write_rows(src, ruleset, plan, quantum, mode, _fallback):
        return None
    write_raw_entry(src, ruleset)
    return _built(src, ruleset)


def _built(src: CodeWriter, ruleset: Ruleset) -> ScoreFn:
    """The function ``src`` writes, with ``.raw`` beside it."""
    namespace: dict[str, Any] = {"D": Decimal, "ZERO": Decimal(0), "DATE": _dt.date,
                                 "UNDEFINED": UNDEFINED, "SIMPLE": simple_number,
                                 "PLAIN": plain_decimal,
                                 "IN_RANGE": in_range, "ACCEPTED": accepted,
                                 **src.consts}
    exec(compile("\n".join(src.lines), f"<rubric scores of {ruleset.metadata.id or 'ruleset'}>",
                 "exec"), namespace)
    scores = namespace["scores"]
    scores.raw = namespace["scores_raw"]  # the same from a plain mapping of given values
    scores.graded = _grader(grade_minima(ruleset))  # score_only grades as grade_of does
    return scores  # type: ignore[no-any-return]


def _raw_entry(src: CodeWriter, ruleset: Ruleset) -> None:
    """``scores_some(m)``: the plain values converted by ``convert``
    (``engine.compiled_facts``: plain decimal text and numbers inside rubric's number
    limits, booleans, known categories, ISO dates), then ``scores``; anything else
    (units, 是/否 spelled otherwise, 不适用, numbers beyond the limits, unknown names)
    returns None, and ``score_only`` takes the general path, which converts and reports
    exactly. A list given as ``keep`` receives the converted values (the derived ones
    added by ``scores``), for the ruleset's constraints."""
    write_convert(src, ruleset, src.const(dict(BOOLEAN_TEXT)))
    src.emit("def scores_some(m, keep=None):", 0)
    src.emit("v = convert(m)")
    src.emit("if v is None: return None")
    src.emit("if keep is not None: keep.append(v)")  # the values, derived ones added
    src.emit("return scores(v)")


def _given_entry(src: CodeWriter, ruleset: Ruleset, plan: Plan) -> None:
    """``scores_raw(m, keep=None)``: when ``m`` gives every input fact, each converted
    into a local (``compiled_facts.write_given``: the conversions of ``convert``) and the
    rows written again over those locals, with no mapping of the values and no test of a
    type the conversion settled (``CodeWriter.known``); a mapping of another size (a fact
    not given, or not declared) or not a plain dict takes ``scores_some``."""
    body = CodeWriter()
    body.consts = src.consts  # one namespace
    body.emit("def scores_raw(m, keep=None):", 0)
    # m[name] of a plain dict only: a Counter or defaultdict answers a name it does not
    # hold (0, its default), and the size test would then let an unknown name through
    body.emit(f"if type(m) is not dict or len(m) != {len(ruleset.input_facts())}: "
              "return scores_some(m, keep)")
    # an int stays an int where only rows read it (a formula's operands: Decimals)
    operands = {name for _name, formula in ruleset.derived for name in formula.names}
    warned: list[str] = []  # % facts whose value may look like a fraction: W names them
    body.known = write_given(body, ruleset, src.const(dict(BOOLEAN_TEXT)),
                             {spec.name for spec in ruleset.input_facts()} - operands, warned)
    if not _write_body(body, ruleset, plan, fused=True):
        raise AssertionError("the rows compiled once already")
    if warned:  # the scores with those facts' warnings (_fraction_warnings)
        scores = body.lines.pop()
        assert scores.startswith("    return (")
        body.emit(f"if W: return {body.const(_fraction_warnings(ruleset))}(m, W, "
                  f"{scores[len('    return '):]})")
        body.lines.append(scores)
    src.lines.extend(body.lines)


class Warned(NamedTuple):
    """What ``scores_raw`` returns for a unit whose % facts warn (a plain number that
    looks like a fraction, read as a percent): its scores and those warnings."""

    scores: tuple[Decimal, ...]
    warnings: tuple[str, ...]


def _fraction_warnings(ruleset: Ruleset) -> Callable[..., Warned | None]:
    """``warned(m, names, scores)``: ``scores`` with the warnings the general conversion
    gives for the values of ``names`` in ``m`` (``column_values.percent_warning``, the
    one-fact ``coerce_facts``), in the order of the declarations; None (the general path)
    if one of them gives no warning text."""
    specs = ruleset.specs

    def warned(m: Mapping[str, object], names: tuple[str, ...],
               scores: tuple[Decimal, ...]) -> Warned | None:
        texts = []
        for name in names:
            text = percent_warning(specs[name], m[name], "percent")
            if type(text) is not str:
                return None
            texts.append(text)
        return Warned(scores, tuple(texts))

    return warned


def values_of(known: Mapping[str, tuple[str, str]], ints: Set[str] = frozenset()) -> str:
    """The dict display of the values held in locals, in the order of ``known``; the
    facts of ``ints`` (locals that may hold an int somewhere) as ``D(local)``: the
    Decimal ``write_convert`` gives (of a Decimal: the same number, sign and exponent)."""
    return "{" + ", ".join(f"{name!r}: D({local})" if name in ints else f"{name!r}: {local}"
                           for name, (local, _kind) in known.items()) + "}"


_NOT_COMPILED = object()


def scores_function(ruleset: Ruleset) -> Any:
    """``compile_scores(ruleset)`` (None or the function, with ``.raw`` taking plain
    values), compiled on first use and kept in ``ruleset.memo`` beside the plan."""
    fn = ruleset.memo.get("scores", _NOT_COMPILED)
    if fn is _NOT_COMPILED:
        # the plan and the code of a large ruleset: see rubric.collector; the constants
        # (a relative step's size, the grades' minima) in DEFINITION_CONTEXT, not the context
        # of whichever call comes first (kept in the memo for every later call)
        with paused(), decimal.localcontext(DEFINITION_CONTEXT):
            fn = ruleset.memo["scores"] = compile_scores(ruleset)
    return fn



_new = tuple.__new__


def _entry(ruleset: Ruleset) -> tuple[Any, ...]:
    """What ``score_only`` reads of a compiled ruleset, kept in its memo: the function
    from plain values, its grading and the constraints; empty when not compiled."""
    fn = scores_function(ruleset)
    entry = (fn.raw, fn.graded, ruleset.checks) if fn is not None else ()
    ruleset.memo["score_only"] = entry
    return entry


def _grader(minima: Sequence[tuple[Decimal, str]]) -> Callable[[Decimal], tuple[str, Any]]:
    """``total -> (grade, (grade,))``: ``vetoes.grade_of`` (the first grade whose minimum
    the total reaches, best first; else the last) written out as one chain of tests."""
    namespace: dict[str, Any] = {}
    lines = ["def graded(t):"]
    for j, (minimum, name) in enumerate(minima):
        namespace[f"m{j}"], namespace[f"g{j}"] = minimum, (name, (name,))
        lines.append(f"    if t >= m{j}: return g{j}")
    namespace["last"] = (minima[-1][1], (minima[-1][1],))
    lines.append("    return last")
    exec(compile("\n".join(lines), "<rubric grades>", "exec"), namespace)
    return namespace["graded"]  # type: ignore[no-any-return]


def _settled(scores: tuple[Decimal, ...], grade: str, warnings: tuple[str, ...]) -> Scores:
    """``Scores(scores, scores, grade, (grade,), warnings=warnings)``, without the named
    tuple's keyword constructor."""
    return _new(Scores, (scores, scores, grade, (grade,), (), (), None, warnings))


_contexts = threading.local()


def _thread_context() -> decimal.Context:
    """This thread's own copy of ``DECIMAL_CONTEXT``, made once: ``score_only`` sets it
    for a unit instead of entering ``decimal.localcontext`` (which copies the context each
    time, about 1 µs). Its flags accumulate; rubric reads no flags, and a unit computes in
    the same precision, rounding and traps either way."""
    try:
        return _contexts.context  # type: ignore[no-any-return]
    except AttributeError:
        context = _contexts.context = DECIMAL_CONTEXT.copy()
        return context


def _thread_run() -> Callable[..., Any]:
    """``run(fn, *args)``: ``fn(*args)`` with this thread's copy of ``DECIMAL_CONTEXT``
    current, in a ``contextvars.Context`` of its own made once (``Context.run`` switches
    to it without the allocation of ``setcontext``, which costs about 0.1 µs and
    ``score_only`` would call twice). Its other context variables keep their defaults:
    nothing the compiled function or the constraints call reads one (``precompiled``'s
    formulas are read while a ruleset is built, the service's language by the service)."""
    scope = contextvars.Context()
    scope.run(setcontext, _thread_context())
    run = _contexts.run = scope.run
    return run


def _in_context(raw: Any, facts: Any, checks: Any, ruleset: Ruleset) -> Any:
    """``(scores, warnings)`` of ``raw`` with ``setcontext``, or None: ``score_only``
    where this thread's scope cannot be entered (it is already, further up the stack)."""
    kept: list[dict[str, object]] | None = [] if checks else None
    outer = getcontext()
    setcontext(_thread_context())
    try:
        got = raw(facts, kept)
        if got is None:
            return None
        return got, check_constraints(checks, kept[0], ruleset.units) if kept else ()
    except (ArithmeticError, EvaluationError):
        return None
    finally:
        setcontext(outer)


def score_only(ruleset: Ruleset, facts: Mapping[str, Any] | Facts) -> Scores:
    """Every node's score and the grade, without traces: the batch path.

    Exactly the scores ``evaluate`` gives (ranges included); settled units take the
    compiled function, the rest ``evaluate``.
    """
    entry = ruleset.memo.get("score_only")
    if entry is None:
        entry = _entry(ruleset)  # compiled once per ruleset, on first use
    # a plain dict is no Facts (the test only for other mappings)
    if entry and (type(facts) is dict or not isinstance(facts, Facts)):
        raw, graded, checks = entry  # constraints read the values, derived ones included
        kept: list[dict[str, object]] | None = [] if checks else None
        try:
            run = _contexts.run
        except AttributeError:
            run = _thread_run()
        try:  # in DECIMAL_CONTEXT, without localcontext's copy nor setcontext's twice
            got = run(raw, facts, kept)
            # a value the raw path takes raises no reading warning: only constraints
            warnings = run(check_constraints, checks, kept[0], ruleset.units) \
                if kept and got is not None else ()
        except (ArithmeticError, EvaluationError):  # evaluate raises it, located
            got = None
        except RuntimeError:  # this thread's scope entered already (run from inside it)
            got, warnings = _in_context(raw, facts, checks, ruleset), ()
            if got is not None:
                got, warnings = got
        if got is not None:  # grade_of, without its loop
            if type(got) is not tuple:  # Warned: the facts' warnings come first
                got, warned = got
                warnings = warned + warnings
            grade, grades = graded(got[-1])
            return _new(Scores, (got, got, grade, grades, (), (), None, warnings))
    fn = scores_function(ruleset)
    checks = ruleset.checks
    prepared = plan_of(ruleset).coerce(facts)
    if fn is not None and not prepared.not_applicable_rows:  # rows given as 不适用: evaluate
        values = dict(prepared.values)  # the compiled function adds the derived facts
        try:
            with decimal.localcontext(DECIMAL_CONTEXT):  # the context evaluate computes in
                got = fn(values)
        except (ArithmeticError, EvaluationError):  # evaluate raises it, located
            got = None
        if got is not None:
            warnings = prepared.warnings
            if checks:
                with decimal.localcontext(DECIMAL_CONTEXT):
                    warnings += check_constraints(checks, values, ruleset.units)
            grade = grade_of(ruleset, got[-1])
            return _settled(got, grade, warnings)
    result = evaluate(ruleset, prepared)
    return Scores(tuple(r.low for r in result.records), tuple(r.high for r in result.records),
                  result.grade, result.grades, result.missing,
                  tuple(r.applicable for r in result.records), result.rescaled,
                  result.fact_warnings)

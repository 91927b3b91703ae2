"""The fast path of the located reader (``io.block_yaml``) reads what the full reader reads.

Every document is read twice, through ``located_yaml.parse`` as it is and with the fast
path turned off (``_FAST``): the data (values and their types), the position of every
value and key, the fallback positions of missing paths, the problems and the errors
must be the same. Documents are generated (hypothesis) in the styles PyYAML writes and
rulesets are written in, then damaged by random edits, so both what the fast path reads
and what it hands back to the full reader are compared. The shipped rulesets load to
the same ``Ruleset`` either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rubric.errors import LoadError
from rubric.io import block_yaml, located_yaml
from rubric.io.dump import dump_ruleset
from rubric.io.loader import load_ruleset

ROOT = Path(__file__).parent.parent
FILES = sorted({*ROOT.glob("rulesets/**/*.yaml"), *ROOT.glob("tests/data/*.yaml"),
                *ROOT.glob("src/rubric/templates/**/*.yaml"), *ROOT.glob("docs/**/*.yaml")})
RULESETS = [p for p in FILES if "\nrubric: 1\n" in "\n" + p.read_text(encoding="utf-8")]


def _read(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """(doc, problems) or the LoadError's problems, read with or without the fast path."""
    with monkeypatch.context() as m:
        m.setattr(located_yaml, "_FAST", fast)
        try:
            return located_yaml.parse(text, filename="t.yaml")
        except LoadError as exc:
            return [attrs.asdict(p) for p in exc.problems]


def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], bool]]:
    """Every path in ``data`` (with whether it names a mapping key), and a missing one
    under each collection (positions fall back to the nearest ancestor)."""
    yield path, bool(path) and not isinstance(path[-1], int)
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
        yield (*path, "no such key"), True
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*path, i))
        yield (*path, len(data)), False


def _typed(data: Any) -> Any:
    """``data`` with the type of every scalar beside it (1 == True == Decimal(1))."""
    if isinstance(data, dict):
        return [(_typed(k), _typed(v)) for k, v in data.items()]
    if isinstance(data, list):
        return [_typed(v) for v in data]
    return type(data).__name__, data


def _same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, full = _read(text, True, monkeypatch), _read(text, False, monkeypatch)
    if isinstance(full, list) or isinstance(fast, list):
        assert fast == full  # the same LoadError
        return
    (doc, problems), (want, want_problems) = fast, full
    assert [attrs.asdict(p) for p in problems] == [attrs.asdict(p) for p in want_problems]
    assert _typed(doc.data) == _typed(want.data)
    for path, is_key in _paths(want.data):
        assert doc.where(path) == want.where(path), path
        if is_key:
            assert doc.where_key(path) == want.where_key(path), path


def _fast_reads(text: str) -> bool:
    builder = located_yaml._Builder(None, None)
    try:
        block_yaml.read_block(text, located_yaml._plain_values(builder),
                              located_yaml._NOT_ONLY_TEXT, 10**6)
    except block_yaml.NotSubset:
        return False
    return True


# -- generated documents -------------------------------------------------------------

_WORDS = st.sampled_from([
    "预算执行率", "指标 1", "a", "x-y", "-5", "+3", "010", "09", "0x1F", "1:30", "2e3", "1_000",
    "4.5", "0.1", ".5", "1.", "yes", "No", "on", "null", "~", "true", "2023-12-31",
    "2023-12-31 10:00:00", ".inf", "-.nan", "a: b", "a:b", "a #b", "a#b", "#x", "'q'", '"d"',
    "it's", "[x]", "{y}", "x, y", "≤100", "(100, 110]", ">120", "<<", "=", "%", "@at", "&a",
    "*b", "!t", "|", ">", "? k", "- i", "a\\b", "  padded  ", "", " ", "行1\n行2", "tab\there",
])
_SCALARS = st.one_of(
    _WORDS, st.text(alphabet="ab 指标:#,-'\"[]{}.", max_size=8), st.integers(-10**6, 10**6),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6,
                max_value=10**6), st.booleans(), st.none(),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)))
_KEYS = st.one_of(_WORDS, st.text(alphabet="ab指标 :-", min_size=1, max_size=6),
                  st.integers(0, 20))
_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=25)


def _plain(data: Any) -> Any:
    """``data`` as ``yaml.safe_dump`` writes it (Decimal as its text, a plain scalar)."""
    if isinstance(data, dict):
        return {_plain(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    if isinstance(data, Decimal):
        return float(data) if data == data.to_integral_value() else str(data)
    return data


class _Decimals(yaml.SafeDumper):
    pass


_Decimals.add_representer(Decimal, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:float", str(v)))


@st.composite
def documents(draw: st.DrawFn) -> str:
    data = {"root": draw(_DATA), **draw(st.dictionaries(_KEYS, _DATA, max_size=3))}
    flow = draw(st.sampled_from([None, False, True]))
    text = yaml.dump(data, Dumper=_Decimals, allow_unicode=draw(st.booleans()),
                     default_flow_style=flow, sort_keys=False,
                     width=draw(st.sampled_from([20, 40, 100, 1000])),
                     indent=draw(st.sampled_from([2, 4])))
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):  # comments and blank lines
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(["", "# 注释", "   # x: y", "  "])))
    if lines and draw(st.booleans()):
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] += draw(st.sampled_from(["  # 说明", " #", "#not", "   "]))
    return "\n".join(lines)


@st.composite
def damaged(draw: st.DrawFn) -> str:
    text = draw(documents())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from([" ", "  ", "-", ": ", ":", "#", "'", '"', "{", "}", "[",
                                      "]", ",", "\n", "\n  ", "&a ", "*a", "!x ", "|", "? ",
                                      "a", "指", "\t", "\r", "---\n", "x: 1\n"]))
        if edit == "insert":
            text = text[:at] + piece + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + len(piece):]
        else:
            text = text[:at] + piece + text[at + 1:]
    return text


@settings(max_examples=300)
@given(documents())
@example("a: 1\nb: {c: 2, d: [3, '4']}\nc:\n- x\n- {e: 5}\n")
@example("k: 1\nk: 2\n")  # a duplicate key: the full reader's problem
@example("rule: {kind: deduction, fact: 新增企业3, target: 24 家,\n  step: 10}\n")
def test_generated_documents_read_the_same(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same(text, monkeypatch)


@settings(max_examples=300)
@given(damaged())
def test_damaged_documents_read_or_fail_the_same(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same(text, monkeypatch)


@pytest.mark.parametrize("text", [
    "a: 1\nb:\n  c: [1, 2]\n  d: {e: x}\n",
    "- {fact: 制度0第0项, points: 2, label: 检查项0}\n- 'x'\n",
    "facts:\n  预算执行率: {unit: '%', minimum: 0, formula: a / b * 100}  # 说明\n",
    "x: {a: 1,\n    b: [2,\n      3]}\n",
    "a: 一段很长的\n  评价标准 文字\nb: 'it''s\n    quoted ' # c\nc: 'x\n  y''z'\n",
    "- a\n  b\n- 'c\n  d'\n",
    "a: >-\n  一段很长的\n  评价标准\nb: |\n  line1\n  line2 # x\n\nc:\n  d: >\n    x\n  e: 1\n",
    "a: |\n  x\n\n# c\nb: >-\n  y\n  z\n\n\n",
])
def test_the_fast_path_reads_the_common_forms(text: str, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    assert _fast_reads(text)  # else the comparisons above would test the full reader only
    _same(text, monkeypatch)


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: b\n\n  c\n", "a:\nb: 1\n",
    "a: 'x\n\n  y'\n", "a: b # c\n  d\n", "a: b\n  # c\n  d\n", "a: \"x\\ty\"\n",
    "---\na: 1\n", "a:\n\t- 1\n", "? a\n: 1\n", "a: |\n  x\n  # text\nb: 1\n",
    "a: |\n  x\n\n  y\n", "a: >\n  x\n    more\n", "a: |+\n  x\n", "a: >2\n   x\n", "a: |\n  x \n",
    "'" + "k" * 1100 + "': 1\n", "{" + "k" * 1100 + ": 1}\n",
    "a: {b: 1,}\n", "a: 1\na: 2\n", "a: 0x10\n", "a: [1, 2\n", "<<: {a: 1}\n", "a: 1\n  b: 2\n",
])
def test_what_the_fast_path_leaves_to_the_full_reader(text: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert not _fast_reads(text)
    _same(text, monkeypatch)


def test_decimals_are_not_shared_between_values() -> None:
    data = located_yaml.read("a: 0.5\nb: 0.5\nc: [0.5, 7, 7]\n").data
    assert data["a"] == data["b"] == data["c"][0] == Decimal("0.5")
    assert data["a"] is not data["b"] and data["b"] is not data["c"][0]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_files_read_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _same(path.read_text(encoding="utf-8"), monkeypatch)


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_rulesets_load_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = load_ruleset(path)
    with monkeypatch.context() as m:
        m.setattr(located_yaml, "_FAST", False)
        full = load_ruleset(path)
    assert fast == full
    assert dump_ruleset(fast) == dump_ruleset(full)


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_dumped_rulesets_load_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = dump_ruleset(load_ruleset(path))  # as rubric writes rulesets: the fast path's
    assert _fast_reads(text)
    _same(text, monkeypatch)
    fast = load_ruleset(text)
    with monkeypatch.context() as m:
        m.setattr(located_yaml, "_FAST", False)
        full = load_ruleset(text)
    assert fast == full
    assert dump_ruleset(fast) == dump_ruleset(full)

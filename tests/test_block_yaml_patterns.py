"""The fast reader's line patterns match exactly what the patterns they replace matched.

``io.block_yaml`` reads a ``key: value`` line with one greedy pattern (``_KEY_LINE``)
where it used two lazy ones (a key line, then the key alone when the line held no
one-line scalar), and a one-line flow mapping pair by pair (``_OPEN`` then ``_PAIR`` up to
the ``}``) where it matched the whole mapping and then each pair again. The replaced
patterns are kept here, as they were written, and both are run on generated lines: the
same groups, the same starts, the same ends, the same refusals. (``test_block_yaml``
compares whole documents with the full reader.)
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from rubric.io import block_yaml

# -- the replaced patterns, verbatim ------------------------------------------------------

_FIRST = r"""(?:[^ \-?:,\[\]{}#&*!|>'"%@`]|-(?=[^ ,\[\]{}]))"""
_QUOTED = r"""'((?:[^']|'')*)'(?!')|"([^"\\]*)\""""
_KEY = re.compile(r"(?:" + _QUOTED + r"""|([^ \-?:,\[\]{}#&*!|>'"%@`]"""
                  + r"(?:[^:#]|:(?=[^ ])|(?<=[^ ])#)*?)) *:(?: |$)")
_KEY_SCALAR = re.compile(_KEY.pattern[:-len(":(?: |$)")] + r": +(?:" + _QUOTED
                         + r"""|((?:[^ \-?:,\[\]{}#&*!|>'"%@`]|-(?=[^ ]))"""
                         + r"(?:[^:#]|:(?=[^ ])|(?<=[^ ])#)*?)) *(?: #.*)?$")
_FLOW_KEY = r"(?:(" + _FIRST + r"[^,\[\]{}:#]*?)|" + _QUOTED + r") *: +"
_FLOW_VALUE = r"(?:(" + _FIRST + r"[^,\[\]{}:#]*?)|" + _QUOTED + r") *"
_PAIR = re.compile(_FLOW_KEY + _FLOW_VALUE + "(?=[,}])")
_SIMPLE_MAP = re.compile(r"\{ *" + _FLOW_KEY + _FLOW_VALUE + r"(?:, *" + _FLOW_KEY + _FLOW_VALUE
                         + r")*\}")


def _old_line(line: str, c: int) -> Any:
    """What the reader took from a mapping line at column ``c`` with the old patterns:
    the key line's groups and value starts, else the key's groups and end, else None."""
    m = _KEY_SCALAR.match(line, c)
    if m is not None:
        return ("scalar", m.groups(), m.start(4), m.start(5), m.start(6))
    m = _KEY.match(line, c)
    return None if m is None else ("key", m.groups(), m.end())


def _new_line(line: str, c: int) -> Any:
    m = block_yaml._KEY_LINE.match(line, c)
    if m is None:
        return None
    sq, dq, text, scalar, vsq, vdq, vtext = m.groups()
    if scalar is not None:
        return ("scalar", (sq, dq, text, vsq, vdq, vtext), m.start(5), m.start(6), m.start(7))
    return ("key", (sq, dq, text), m.end())


def _old_pairs(text: str) -> Any:
    simple = _SIMPLE_MAP.match(text)
    return None if simple is None else (simple.end(), tuple(
        (*m.groups(), m.start(), m.start(1), m.start(4), m.start(5), m.start(6))
        for m in _PAIR.finditer(text, 1, simple.end())))


# -- generated lines --------------------------------------------------------------------

_PIECES = st.sampled_from([
    "a", "b c", "指标", "x-y", "-", "- ", "-5", ":", ": ", "::", ":x", "#", " #", "a#b", "# c",
    " ", "  ", "'", "''", "'q'", "'a''b'", "'x, y'", '"', '"d"', '"a\\b"', ",", ", ", "{", "}",
    "[", "]", "?", "&", "*", "!", "|", ">", "%", "@", "`", "1", "4.5", "≤100", "(100, 110]",
])
_TEXT = st.lists(_PIECES, max_size=10).map("".join)


@st.composite
def key_lines(draw: st.DrawFn) -> tuple[str, int]:
    """A line of a block mapping (``key: value`` mostly) and the column its key starts."""
    indent = " " * draw(st.integers(0, 3))
    key = draw(st.one_of(_TEXT, st.sampled_from(["id", "名称", "'k'", '"k"', "a b", "a:b", "a#b"])))
    sep = draw(st.sampled_from([": ", ":  ", ":", " : ", "", ": # c"]))
    value = draw(st.one_of(_TEXT, st.sampled_from(["1", "x  ", "x # c", "x #", "{a: 1}", ""])))
    return indent + key + sep + value, len(indent)


@st.composite
def flow_maps(draw: st.DrawFn, *, well_formed: bool = False) -> str:
    """A one-line flow mapping, well formed (mostly) or not, from its ``{``."""
    tame = st.sampled_from(["unit", "万元", "'%'", "0", "a b", '"q"', "'x, y'", "'a''b'", "-5",
                            "x-y", "a:b", "a#b", "≤100", "''", "a  b", "指标 1"])
    scalar = tame if well_formed else st.one_of(tame, tame, tame, _TEXT)
    colon = st.sampled_from([": ", ":  ", " : "] if well_formed else [": ", ": ", ":", ""])
    pairs = draw(st.lists(st.tuples(scalar, colon, scalar), max_size=4))
    body = draw(st.sampled_from([", ", ",", " , ", ",  "])).join(k + s + v for k, s, v in pairs)
    end = draw(st.sampled_from(["}", " }", "} # c"] if well_formed else ["}", "", "}x"]))
    return "{" + draw(st.sampled_from(["", " "])) + body + end


@settings(max_examples=1500)
@given(key_lines())
@example(("id: R0001", 0))
@example(("    criterion: 第1行评价标准（生成） # 注", 4))
@example(("a :b: c", 0))
@example(("a #b: c", 0))
@example(("a#b: c  #d", 0))
@example(("k: v:", 0))
@example(("'a''b': 'c''d'  ", 0))
@example(("rule:", 2))
def test_a_key_line_matches_as_the_two_patterns_did(line_at: tuple[str, int]) -> None:
    line, c = line_at
    assert _new_line(line, c) == _old_line(line, c)
    assert _new_line(line, 0) == _old_line(line, 0)


@settings(max_examples=1500)
@given(st.one_of(flow_maps(well_formed=True), flow_maps(), _TEXT.map(lambda t: "{" + t)))
@example("{unit: 万元, minimum: 0}")
@example("{range: '(100, 110]', points: 4}")
@example("{a: b , c: 'd''e'  }")
@example("{a: b,}")
@example("{a b : c d}")
@example("{a: b #c}")
def test_a_flow_mapping_reads_as_the_two_patterns_did(text: str) -> None:
    assert block_yaml._pairs(text) == _old_pairs(text)

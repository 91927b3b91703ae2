"""``io.csv_lines`` writes the bytes ``csv.writer`` writes: a field alone (every code
point that could make the writer quote), lines joined from constant, listed and coded
columns (merged into combinations or not), and rows of cells (``written``)."""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubric.io.csv_lines import TERMINATOR, Coded, field, lines, written


def by_writer(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()


def test_only_four_characters_make_the_writer_quote() -> None:
    """Every code point alone, first and last in a field: ``field`` is the writer's."""
    for code in range(0x110000):
        ch = chr(code)
        for text in (ch, "a" + ch, ch + "a"):
            assert field(text) + ",b" + TERMINATOR == by_writer([[text, "b"]]), hex(code)


TEXTS = st.one_of(st.text(max_size=6), st.sampled_from(["", ",", '"', "a,b", 'x"y', "\r\n",
                                                        "优", "2.5–5", "'=1", " "]))


@st.composite
def columns(draw: Any) -> tuple[list[Any], int]:
    n = draw(st.integers(0, 40))
    cols: list[Any] = []
    shared: list[Any] = []
    for _ in range(draw(st.integers(2, 9))):
        kind = draw(st.sampled_from(["const", "list", "coded", "coded", "same"]))
        if kind == "const":
            cols.append(draw(TEXTS))
        elif kind == "list":
            cols.append(draw(st.lists(TEXTS, min_size=n, max_size=n)))
        elif kind == "same" and shared:  # another column coded by the same codes
            codes, size = shared[-1]
            cols.append(Coded(draw(st.lists(TEXTS, min_size=size, max_size=size)), codes))
        else:
            size = draw(st.integers(1, 12))
            texts = draw(st.lists(TEXTS, min_size=size, max_size=size))
            codes = np.array(draw(st.lists(st.integers(0, size - 1), min_size=n, max_size=n)),
                             dtype=np.int64)
            shared.append((codes, size))
            cols.append(Coded(texts, codes))
    return cols, n


def rows_of(cols: list[Any], n: int) -> list[list[str]]:
    def cell(col: Any, i: int) -> str:
        if isinstance(col, str):
            return col
        if isinstance(col, list):
            return col[i]
        return str(col.texts[int(col.codes[i])])

    return [[cell(c, i) for c in cols] for i in range(n)]


@given(columns())
@settings(deadline=None, max_examples=300)
def test_lines_are_the_writers_lines(given_cols: tuple[list[Any], int]) -> None:
    cols, n = given_cols
    got = lines(np, cols, n)
    assert len(got) == n
    assert "".join(line + TERMINATOR for line in got) == by_writer(rows_of(cols, n))


def test_many_coded_columns_are_merged_and_split_where_they_would_grow() -> None:
    """Thirty coded columns of 3 texts over 2000 lines: merged in groups (never more
    combinations than lines/16), the same text as the writer's."""
    rng = np.random.default_rng(7)
    n = 2000
    cols: list[Any] = [[str(i) for i in range(n)], "x,y"]
    cols += [Coded([f"{k}.5", str(k), f'"{k}"'], rng.integers(0, 3, n)) for k in range(30)]
    cols += ["", ""]
    got = lines(np, cols, n)
    assert "".join(line + TERMINATOR for line in got) == by_writer(rows_of(cols, n))


@given(st.lists(st.lists(TEXTS, min_size=2, max_size=5), max_size=8))
@settings(deadline=None)
def test_written_rows_are_the_writers(rows: list[list[str]]) -> None:
    assert "".join(line + TERMINATOR for line in written(rows)) == by_writer(rows)


def test_a_line_of_one_field_is_refused() -> None:
    with pytest.raises(ValueError, match="one field"):
        lines(np, [["a"]], 1)


@given(st.lists(st.one_of(TEXTS, st.sampled_from(["=1", "+a", "-5", "-x", "@b", "\tq", "\rz",
                                                  "a\n=b", "5–6", "'-"])), max_size=12))
def test_csv_safe_all_is_csv_safe_of_each(texts: list[str]) -> None:
    from rubric.io.tabular import csv_safe, csv_safe_all

    assert csv_safe_all(texts) == [csv_safe(t) for t in texts]

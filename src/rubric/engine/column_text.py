"""Text columns as exact scaled integers, in bulk: ``text_numbers(np, cells)``.

A batch read from CSV gives every fact as a column of text cells. ``text_numbers``
takes a column's *plain-number* cells (``[+-]digits[.digits]`` in ASCII digits, at most 30
before the point, so a cell stays shorter than ``numbers.MAX_NUMBER_TEXT``, and
``MAX_SCALE`` after; nothing else: no spaces, units, thousands separators, percent signs,
full-width digits) and gives each as the integer ``n`` with
``cell = n / 10**s``, ``s`` the most decimals any taken cell has; every other cell is
left (``ok`` False) for the per-unit path, which reads it as it always does. Validation
runs once over the whole column: one compiled regular expression over
``"\\n".join(cells) + "\\n"``, with a line count so that a cell holding a line break
cannot pass as two cells; only when it fails is each cell matched alone.

*Why the integers are exact.* A taken cell is the decimal ``t = n / 10**s`` with at most
``s`` decimals. ``float(cell)`` is the correctly rounded binary float of ``t`` (Python's
``float`` of a string), so ``x = t(1 + e1)`` with ``|e1| ≤ 2**-53``; ``10**s`` is exact
in binary for ``s ≤ 22`` (here ``s ≤ MAX_SCALE``), and the product is rounded once more:
``y = x · 10**s · (1 + e2)``, ``|e2| ≤ 2**-53``. So ``|y - n| ≤ |n| · 2.3e-16``, which is
below ``0.5`` whenever ``|n| < 10**15``, and ``rint(y)`` is ``n`` exactly. A cell whose
``rint(y)`` is ``10**15`` or more in magnitude (then ``|n| ≥ 10**15 - 1`` too, so the
bound is checked on the result without losing a cell it admits) is not taken: the
per-unit path reads it in Decimal. No binary float decides anything else: the float is
only a fast way to the integer, and the integer is proven to be the cell's digits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["EXACT_DIGITS", "MAX_SCALE", "text_numbers"]

#: the most decimals a taken cell may have (``column_values``' bound for float columns)
MAX_SCALE = 9
#: a taken cell's digits at the column's scale stay below 10**EXACT_DIGITS (docstring)
EXACT_DIGITS = 15

_CELL = rf"[+-]?[0-9]{{1,30}}(?:\.[0-9]{{1,{MAX_SCALE}}})?"
_COLUMN = re.compile(rf"(?:{_CELL}\n)*")
_ONE = re.compile(rf"{_CELL}\Z")
_DECIMALS = [re.compile(rf"\.[0-9]{{{k}}}") for k in range(1, MAX_SCALE + 1)]


def _scale(joined: str) -> int:
    """The most decimals a cell of ``joined`` (validated cells, one per line) has."""
    for k, pattern in enumerate(_DECIMALS):
        if pattern.search(joined) is None:
            return k
    return MAX_SCALE


def text_numbers(np: Any, cells: Sequence[Any]) -> tuple[Any, Any, int] | None:
    """``(n, ok, s)``: int64 integers with ``cell = n / 10**s`` where ``ok``, 0 elsewhere;
    None when a cell is not text (the caller converts that column its own way)."""
    size = len(cells)
    try:
        joined = "\n".join(cells) + "\n"
    except TypeError:
        return None
    if _COLUMN.fullmatch(joined) is not None and joined.count("\n") == size:
        ok = np.ones(size, dtype=bool)
        taken: Sequence[str] = cells
    else:
        ok = np.fromiter((_ONE.match(c) is not None for c in cells), dtype=bool, count=size)
        if not ok.any():
            return np.zeros(size, dtype=np.int64), ok, 0
        taken = [c if good else "0" for c, good in zip(cells, ok.tolist())]
        joined = "\n".join(taken) + "\n"
    s = _scale(joined)
    x = np.fromiter(map(float, taken), dtype=np.float64, count=size)
    with np.errstate(all="ignore"):
        r = np.rint(x * 10.0 ** s)
        exact = np.abs(r) < 10.0 ** EXACT_DIGITS  # also False for inf, nan
    ok &= exact
    return np.where(ok, r, 0).astype(np.int64), ok, s

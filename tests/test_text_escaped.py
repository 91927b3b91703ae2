"""``text.escaped``: the one escaping of characters a line or a file cannot hold (batch
unit names and errors, XLSX cells), against the per-character definition."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from rubric.text import escaped

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def reference(text: str, chars: re.Pattern[str]) -> str:
    return "".join((f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
                   if chars.fullmatch(ch) else ch for ch in text)


def test_examples() -> None:
    assert escaped("B\x01x", CONTROL) == "B\\x01x"
    assert escaped("a\udc80b\x9f", CONTROL) == "a\\udc80b\\x9f"
    assert escaped("达成 ok", CONTROL) == "达成 ok"


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_every_matched_character_and_only_those_is_escaped(text: str) -> None:
    assert escaped(text, CONTROL) == reference(text, CONTROL)
    assert CONTROL.search(escaped(text, CONTROL)) is None

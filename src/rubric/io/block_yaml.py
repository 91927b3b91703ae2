"""The fast path of the located YAML reader: the block-style subset rulesets are written in.

A 10 000-row ruleset is some 90 000 lines; libyaml's event stream, one Python event object
per value, cost most of its load time. Rulesets (and facts files) use a small part of
YAML: block mappings and sequences; plain and single-quoted scalars, on one line or folded
over several; double-quoted ones on one line; ``|`` and ``>`` block scalars of one
indentation; flow ``{}`` and ``[]`` collections (spanning lines too); comments.
``read_block`` reads exactly that subset straight from the lines, with the line and column
of every value and key (``io.positions``), and gives up (``NotSubset``) on anything else:
anchors, aliases, tags, escapes, explicit keys, directives and document markers, tabs,
blank lines inside a scalar, odd indentation, empty values, duplicate keys, any syntax
error. ``io.located_yaml`` then reads the text again through libyaml, so every error, its
message and its position are the full reader's; what this reader returns is what that
reader would (``tests/test_block_yaml.py`` compares them on generated documents).

Plain scalars are resolved by the caller (``plain(text, line, col)``: YAML's implicit
tags and rubric's number rules), which may raise ``NotSubset`` too (a problem to report)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .positions import Positions

__all__ = ["NotSubset", "PlainScalar", "read_block"]

PathT = tuple[Any, ...]
Plain = Callable[[str, int, int], Any]


class NotSubset(Exception):
    """The text is outside the subset: the full reader must read it."""


#: characters libyaml refuses, reads as line breaks (NEL, LS, PS, CR) or this reader
#: leaves to it (tab, BOM), and lines that are directives or document markers
_OUTSIDE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    r"|^(?:---|\.\.\.|%)", re.M)
# a plain scalar's first character: not an indicator, '-' only before a non-space
_FIRST = r"""(?:[^ \-?:,\[\]{}#&*!|>'"%@`]|-(?=[^ ,\[\]{}]))"""
_QUOTED = r"""'((?:[^']|'')*)'(?!')|"([^"\\]*)\""""  # one line, no escapes
# a plain key's or value's characters after its first: ':' only when not followed by a
# space, '#' only right after a non-space, spaces only before such a character (so the
# trailing spaces are left out); read greedily, in runs, without backtracking
_RUN = r"(?:[^:# ]++|:(?=[^ ])|(?<=[^ ])#| ++(?=[^ :#]|:[^ ]))*+"
_VALUE_RUN = r"(?:[^:# ]++|:(?=[^ ])|(?<=[^ ])#| ++(?=[^ #]))*+"  # up to ' #' or the end
# a block mapping key: quoted, or plain, then ':' and a space or the end of the line
_KEY_PART = r"(?:" + _QUOTED + r"""|([^ \-?:,\[\]{}#&*!|>'"%@`]""" + _RUN + r")) *:"
#: a block mapping key (its ':' then a space or the end of the line) and, when the line is
#: ``key: one-line scalar`` (the common line), that scalar, in one match: group 4 is empty
#: and set only when the scalar is there (5 and 6 its quoted text, 7 its plain text);
#: without it the match ends after the ':' and its space
_KEY_LINE = re.compile(_KEY_PART + r"(?: +()(?:" + _QUOTED
                       + r"""|((?:[^ \-?:,\[\]{}#&*!|>'"%@`]|-(?=[^ ]))""" + _VALUE_RUN
                       + r")) *(?: #.*)?$| |$)")
_SQ = re.compile(r"'((?:[^']|'')*)'(?!')")
_SQ_END = re.compile(r"((?:[^']|'')+)'(?!')")  # a quoted scalar's last line
_DQ = re.compile(r'"([^"\\]*)"')
# a plain scalar in a flow collection, up to a flow indicator, ':' or '#'
_FLOW_PLAIN = re.compile(_FIRST + r"[^,\[\]{}:#]*")
_FLOW_RUN = r"(?:[^,\[\]{}:# ]++| ++(?=[^,\[\]{}:# ]))*+"  # spaces only inside, greedy
_FLOW_KEY = r"(?:(" + _FIRST + _FLOW_RUN + r")|" + _QUOTED + r") *: +"
_FLOW_VALUE = r"(?:(" + _FIRST + _FLOW_RUN + r")|" + _QUOTED + r") *"
#: a one-line flow mapping of scalars, ``{unit: 万元, minimum: 0}``, the common case, is
#: read pair by pair from its ``{``: ``_OPEN``, then ``_PAIR`` up to the pair whose group 7
#: (the closing ``}``) is set (anything else goes through ``_Reader.flow``)
_OPEN = re.compile(r"\{ *")
_PAIR = re.compile(_FLOW_KEY + _FLOW_VALUE + r"(?:(\})|, *)")
_STARTS_BLOCK_PLAIN = frozenset("-?:,[]{}#&*!|>'\"%@`")
_UNSEEN = object()
#: a flow mapping's pair: ``_PAIR``'s groups 1-6, the starts of it and of groups 1, 4, 5, 6
_Pair = tuple[Any, ...]
_SHARED = (str, int, bool, type(None))
_MAX_DEPTH = 60  # the full reader refuses deeper nesting (MAX_DEPTH) with its message
#: the longest line read here: libyaml refuses a key of over 1024 characters
_MAX_LINE = 1000


class _Mark:
    """A position as libyaml's marks give it (0-based)."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


class PlainScalar:
    """A plain scalar at 1-based ``line``, ``col``, shaped as the located reader's
    builder reads a libyaml scalar event (its text, style and marks)."""

    __slots__ = ("end_mark", "start_mark", "value")
    style = None
    implicit = (True, False)

    def __init__(self, value: str, line: int, col: int) -> None:
        self.value = value
        self.start_mark = self.end_mark = _Mark(line - 1, col - 1)


def read_block(text: str, plain: Plain, special: frozenset[str], max_values: int
               ) -> tuple[Any, Positions, Positions]:
    """``(data, value positions, key positions)`` of ``text``: positions 1-based
    ``(line, col)`` by path, as ``located_yaml.Doc`` keeps them; ``NotSubset`` if the
    text is outside the subset, or may hold more than ``max_values`` values. A plain
    scalar is its own text unless it starts with a character in ``special``; ``plain``
    gives the value of the others."""
    # a line holds at most 3 values besides one per comma and bracket
    if 3 * text.count("\n") + 3 + text.count(",") + text.count("[") + text.count("{") \
            > max_values or _OUTSIDE.search(text):
        raise NotSubset
    data, root = _Reader(text, plain, special).document()
    return data, Positions(root, keys=False), Positions(root, keys=True)


def _pairs(text: str) -> tuple[int, tuple[_Pair, ...]] | None:
    """The one-line flow mapping of scalars ``text`` opens (``{``): its length and its
    pairs (``_Pair``, the starts from that of ``text``), or None when it is not one."""
    pos = _OPEN.match(text).end()  # type: ignore[union-attr]
    pairs = []
    while True:
        m = _PAIR.match(text, pos)
        if m is None:
            return None
        pairs.append((*m.groups()[:6], m.start(), m.start(1), m.start(4), m.start(5), m.start(6)))
        pos = m.end()
        if m.group(7) is not None:  # the closing '}'
            return pos, tuple(pairs)


def _offsets(pair: _Pair) -> tuple[int, int]:
    """The columns of ``pair``'s key and value, 1-based from its ``{`` (a ``FlowTable``)."""
    _pk, _sk, _dk, pv, _sv, dv, start, _s1, s4, s5, s6 = pair
    return start + 1, s4 + 1 if pv is not None else (s5 if dv is None else s6)


class _Reader:
    def __init__(self, text: str, plain: Plain, special: frozenset[str]) -> None:
        self.special = special
        self.lines = lines = text.split("\n")
        self.n = len(lines)
        if max(map(len, lines)) > _MAX_LINE:
            raise NotSubset
        # per line: the column of its first character, or -1 (blank or a comment only)
        indents = [len(line) - len(stripped) if (stripped := line.lstrip(" "))
                   and stripped[0] != "#" else -1 for line in lines]
        indents.append(0)  # a sentinel after the last line
        self.indents = indents
        self.plain = plain
        self.cache: dict[str, Any] = {}  # plain text -> its value (immutable values only)
        self.decimals: dict[str, Decimal] = {}  # plain text -> its number, copied for each
        self.flows: dict[str, Any] = {}  # a line's text from a '{' -> simple_pairs of it
        self.i = 0  # the next content line once a node is read

    def next_content(self, i: int) -> int:
        indents = self.indents
        while indents[i] < 0:
            i += 1
        return i

    def document(self) -> tuple[Any, tuple[int, int, Any]]:
        i = self.next_content(0)
        if i >= self.n:
            raise NotSubset  # an empty document
        c = self.indents[i]
        line = self.lines[i]
        if line[c] in "[{":
            data, table = self.inline(i, c, -1, 0)
        else:
            data, table = self.block(i, c, 0)
            if table is None:
                raise NotSubset  # a scalar document may go on over lines
        if self.i < self.n:
            raise NotSubset  # content after the top node
        return data, (i + 1, c + 1, table)

    # -- block nodes ----------------------------------------------------------------

    def block(self, i: int, c: int, depth: int) -> tuple[Any, Any]:
        """The node at line ``i`` column ``c``, its first character, and its table."""
        line = self.lines[i]
        if line[c] == "-" and line[c + 1:c + 2] in ("", " "):
            return self.sequence(i, c, depth + 1)
        first = _KEY_LINE.match(line, c)  # a key: a mapping's first
        if first is not None:
            return self.mapping(i, c, depth + 1, first)
        return self.inline(i, c, c, depth)

    def mapping(self, i: int, c: int, depth: int, first: re.Match[str] | None = None
                ) -> tuple[dict[Any, Any], Any]:
        """The block mapping whose first key is at ``(i, c)`` (``first``: that line's
        ``_KEY_LINE`` match, if the caller has it)."""
        if depth > _MAX_DEPTH:
            raise NotSubset
        lines, indents, cache = self.lines, self.indents, self.cache
        out: dict[Any, Any] = {}
        table: dict[Any, tuple[int, int, int, int, Any]] = {}
        while True:
            line = lines[i]
            m = _KEY_LINE.match(line, c) if first is None else first
            first = None
            if m is None:
                raise NotSubset
            sq, dq, text, scalar, vsq, vdq, vtext = m.groups()
            if scalar is not None and indents[i + 1] <= c:  # key and value at once
                if text is not None:
                    key = cache.get(text, _UNSEEN)
                    if key is _UNSEEN:
                        key = self.resolve(text, i + 1, c + 1)
                else:
                    key = dq if sq is None else sq.replace("''", "'")
                if key in out:
                    raise NotSubset
                if vtext is not None:
                    value = cache.get(vtext, _UNSEEN)
                    if value is _UNSEEN:
                        value = self.resolve(vtext, i + 1, m.start(7) + 1)
                    table[key] = (i + 1, c + 1, i + 1, m.start(7) + 1, None)
                else:
                    value = vdq if vsq is None else vsq.replace("''", "'")
                    table[key] = (i + 1, c + 1, i + 1, m.start(5 if vdq is None else 6), None)
                out[key] = value
                i += 1
                while indents[i] < 0:
                    i += 1
                self.i = i
                ind = indents[i]
                if i >= self.n or ind < c:
                    return out, table
                if ind > c:
                    raise NotSubset
                continue
            if text is not None:
                key = cache.get(text, _UNSEEN)
                if key is _UNSEEN:
                    key = self.resolve(text, i + 1, c + 1)
            elif sq is not None:
                key = sq.replace("''", "'")
            else:
                key = dq
            if key in out:
                raise NotSubset  # the full reader reports the repeated key
            # after the key: the scalar the line holds (its value goes on below), or the rest
            vc = m.end() if scalar is None else m.start(4)
            end = len(line)
            while vc < end and line[vc] == " ":
                vc += 1
            if vc == end or line[vc] == "#":  # the value on the lines below
                j = self.next_content(i + 1)
                if j >= self.n:
                    raise NotSubset  # an empty value
                ind = indents[j]
                if ind > c:
                    value, inner = self.block(j, ind, depth)
                elif ind == c and lines[j][c] == "-" and lines[j][c + 1:c + 2] in ("", " "):
                    value, inner = self.sequence(j, c, depth + 1)
                else:
                    raise NotSubset  # an empty value
                table[key] = (i + 1, c + 1, j + 1, ind + 1, inner)
            else:
                value, inner = self.inline(i, vc, c, depth)
                table[key] = (i + 1, c + 1, i + 1, vc + 1, inner)
            out[key] = value
            i = self.i
            ind = indents[i]
            if i >= self.n or ind < c:
                return out, table
            if ind > c:
                raise NotSubset

    def sequence(self, i: int, c: int, depth: int) -> tuple[list[Any], Any]:
        if depth > _MAX_DEPTH:
            raise NotSubset
        lines, indents = self.lines, self.indents
        out: list[Any] = []
        table: list[tuple[int, int, Any]] = []
        while True:
            line = lines[i]
            d, end = c + 1, len(line)
            while d < end and line[d] == " ":
                d += 1
            if d == end or line[d] == "#" or (line[d] == "-" and line[d + 1:d + 2] in ("", " ")):
                raise NotSubset  # an item on the lines below, or a nested compact list
            key = None if line[d] in "{[" else _KEY_LINE.match(line, d)  # no key starts so
            if key is not None:
                value, inner = self.mapping(i, d, depth + 1, key)
            else:
                value, inner = self.inline(i, d, c, depth)
            out.append(value)
            table.append((i + 1, d + 1, inner))
            i = self.i
            ind = indents[i]
            if i >= self.n or ind < c:
                return out, table
            if ind > c:
                raise NotSubset
            line = lines[i]
            if line[c] != "-" or line[c + 1:c + 2] not in ("", " "):
                return out, table  # the next key of the mapping this list is the value of

    # -- one-line values and flow collections -----------------------------------------

    def inline(self, i: int, c: int, owner: int, depth: int) -> tuple[Any, Any]:
        """The value starting at line ``i`` column ``c`` (a scalar or a flow collection) in
        a block node indented ``owner``; the rest of its last line must be a comment."""
        line = self.lines[i]
        ch = line[c]
        table: Any = None
        value: Any
        if ch == "{" and (simple := self.simple_pairs(line, c)) is not None:
            value = self.simple_values(simple[1], i + 1, c, {})
            table = (i + 1, c, tuple(value), simple[1], _offsets)  # a FlowTable
            c += simple[0]
        elif ch in "|>" and owner >= 0:
            value, last = self.block_scalar(i, c, owner)
            self.i = self.next_content(last + 1)
            return value, None
        elif ch in "[{":
            value, table, i, c = self.flow(i, c, owner, depth + 1)
            line = self.lines[i]
        elif ch in "'\"":
            m = (_SQ if ch == "'" else _DQ).match(line, c)
            if m is not None:
                value = m.group(1).replace("''", "'") if ch == "'" else m.group(1)
                c = m.end()
            elif ch == "'":
                value, i, c = self.quoted_lines(i, c, owner)
                line = self.lines[i]
            else:
                raise NotSubset  # escapes, or over several lines
        else:
            if ch in _STARTS_BLOCK_PLAIN and not (
                    ch == "-" and line[c + 1:c + 2] not in ("", " ")):
                raise NotSubset
            cut = line.find(" #", c)
            text = (line[c:] if cut < 0 else line[c:cut]).rstrip(" ")
            if ": " in text or text.endswith(":"):
                raise NotSubset
            if cut < 0 and self.indents[i + 1] > owner:  # it goes on over the next lines
                text, last = self.plain_lines(text, i, owner)
                if last > i:
                    value = self.resolve(text, i + 1, c + 1)
                    self.i = self.next_content(last + 1)
                    return value, None
            value = self.cache.get(text, _UNSEEN)
            if value is _UNSEEN:
                value = self.resolve(text, i + 1, c + 1)
            c = len(line) if cut < 0 else cut
        rest = line[c:]
        if rest and rest.strip(" ") and not (rest[0] == " " and rest.lstrip(" ")[0] == "#"):
            raise NotSubset
        self.i = self.next_content(i + 1)
        return value, table

    def block_scalar(self, i: int, c: int, owner: int) -> tuple[str, int]:
        """A literal (``|``) or folded (``>``) block scalar whose indicator is at ``(i, c)``,
        kept (clip) or stripped (``-``) of its final line break: its text and its last
        line. Only lines of one indentation past ``owner``, without blank lines between
        them or spaces at their ends, are read here."""
        lines, indents = self.lines, self.indents
        header = lines[i][c:]
        if header not in ("|", "|-", ">", ">-"):
            raise NotSubset  # an indentation indicator, keep (+), a comment
        j = i + 1
        ind = indents[j]
        if j >= self.n or ind <= owner:
            raise NotSubset  # empty
        parts = []
        while j < self.n and indents[j] == ind:
            line = lines[j]
            if line.endswith(" "):
                raise NotSubset
            parts.append(line[ind:])
            j += 1
        for k in range(j, self.n):  # up to the first line indented at most owner: blanks
            line = lines[k]
            stripped = line.lstrip(" ")
            if stripped and len(line) - len(stripped) <= owner:
                break
            if line:  # more text ('#' too is text here), or spaces that may be
                raise NotSubset
        text = ("\n" if header[0] == "|" else " ").join(parts)
        return text if header.endswith("-") else text + "\n", j - 1

    def plain_lines(self, text: str, i: int, owner: int) -> tuple[str, int]:
        """A plain scalar starting with ``text`` on line ``i`` and going on over the next
        lines indented past ``owner``, folded (one space for each line break), and its
        last line. Blank or comment lines, or a line that could be another token, are
        left to the full reader."""
        lines, indents = self.lines, self.indents
        parts = [text]
        j = i + 1
        while indents[j] > owner and j < self.n:
            more = lines[j].strip(" ")
            if more[0] in _STARTS_BLOCK_PLAIN or ": " in more or more.endswith(":") \
                    or " #" in more:
                raise NotSubset
            parts.append(more)
            j += 1
        if indents[j] < 0 and indents[self.next_content(j)] > owner:
            raise NotSubset  # after a blank line (a line break kept) or a comment
        return " ".join(parts), j - 1

    def quoted_lines(self, i: int, c: int, owner: int) -> tuple[str, int, int]:
        """A single-quoted scalar opening at ``(i, c)`` and closing on a later line, each
        indented past ``owner``, folded: its text, its last line and the column after it."""
        lines, indents = self.lines, self.indents
        first = lines[i][c + 1:].rstrip(" ")
        if not first or "'" in first.replace("''", ""):
            raise NotSubset
        parts = [first]
        j = i + 1
        while True:
            if j >= self.n or indents[j] <= owner:
                raise NotSubset  # a blank line (a line break kept), or not closed
            line = lines[j]
            m = _SQ_END.match(line, indents[j])
            if m is not None:
                parts.append(m.group(1))
                return " ".join(parts).replace("''", "'"), j, m.end()
            more = line.strip(" ")
            if "'" in more.replace("''", ""):
                raise NotSubset
            parts.append(more)
            j += 1

    def simple_pairs(self, line: str, c: int) -> tuple[int, tuple[_Pair, ...]] | None:
        """The one-line flow mapping of scalars at ``line[c]`` (``{``) as ``_pairs`` reads
        it, kept by the text from ``c`` on: a table writes the same mapping row after row
        (``{unit: 万元, minimum: 0}``, a band)."""
        rest = line[c:]
        found = self.flows.get(rest, _UNSEEN)
        if found is _UNSEEN:
            found = self.flows[rest] = _pairs(rest)
        return found  # type: ignore[no-any-return]

    def simple_values(self, pairs: tuple[_Pair, ...], lineno: int, c: int,
                      out: dict[Any, Any]) -> dict[Any, Any]:
        """``out`` with the pairs (``simple_pairs``) at column ``c`` of line ``lineno``."""
        cache = self.cache
        unseen = _UNSEEN
        for pk, sk, dk, pv, sv, dv, _start, s1, s4, _s5, _s6 in pairs:
            if pk is not None:
                key = cache.get(pk, unseen)
                if key is unseen:
                    key = self.resolve(pk, lineno, c + s1 + 1)
            else:
                key = dk if sk is None else sk.replace("''", "'")
            if key in out:
                raise NotSubset
            if pv is not None:
                value = cache.get(pv, unseen)
                if value is unseen:
                    value = self.resolve(pv, lineno, c + s4 + 1)
            else:
                value = dv if sv is None else sv.replace("''", "'")
            out[key] = value
        return out

    def resolve(self, text: str, line: int, col: int) -> Any:
        """A plain scalar's value (the caller's ``plain``), kept for the next same text.

        Only text, whole numbers, booleans and null are shared between scalars: a
        ``Decimal`` or a date is a new object each time, as the full reader makes it
        (``yaml.dump`` of a ruleset would write a shared one as an anchor and aliases)."""
        if text[0] not in self.special:  # surely text: no resolver call
            self.cache[text] = text
            return text
        decimal = self.decimals.get(text)
        if decimal is not None:
            return decimal.copy_sign(decimal)  # a new object (Decimal(d) is d itself)
        value = self.plain(text, line, col)
        if type(value) in _SHARED:
            self.cache[text] = value
        elif type(value) is Decimal:
            self.decimals[text] = value
        return value

    def flow(self, i: int, c: int, owner: int, depth: int) -> tuple[Any, Any, int, int]:
        """The flow collection opening at ``(i, c)``: its value, table and where it ends."""
        if depth > _MAX_DEPTH:
            raise NotSubset
        is_map = self.lines[i][c] == "{"
        close = "}" if is_map else "]"
        out: Any = {} if is_map else []
        table: Any = {} if is_map else []
        pos = c + 1
        while True:
            i, pos = self.space(i, pos, owner)
            line = self.lines[i]
            if line[pos] == close and not out:
                return out, table, i, pos + 1
            if is_map and (m := _PAIR.match(line, pos)) is not None:
                # a pair of scalars and its ',' or '}' on this line, as below reads it
                pair = (*m.groups()[:6], 0, m.start(1) - pos, m.start(4) - pos,
                        m.start(5) - pos, m.start(6) - pos)
                self.simple_values((pair,), i + 1, pos, out)  # its key is the last
                kc, vc = _offsets(pair)
                table[next(reversed(out))] = (i + 1, pos + kc, i + 1, pos + vc, None)
                if m.group(7) is not None:
                    return out, table, i, m.end()
                i, pos = self.space(i, m.end(), owner)
                if self.lines[i][pos] == close:
                    raise NotSubset  # a trailing comma: left to libyaml
                continue
            if is_map:
                key, kline, kcol, i, pos = self.flow_scalar(i, pos, owner, key=True)
                if key in out:
                    raise NotSubset
                line = self.lines[i]
                if line[pos:pos + 1] != ":":
                    raise NotSubset  # a key without a value, or a multi-line key
                i, pos = self.space(i, pos + 1, owner)
                vline, vcol = i + 1, pos + 1
                value, inner, i, pos = self.flow_node(i, pos, owner, depth)
                out[key] = value
                table[key] = (kline, kcol, vline, vcol, inner)
            else:
                vline, vcol = i + 1, pos + 1
                value, inner, i, pos = self.flow_node(i, pos, owner, depth)
                out.append(value)
                table.append((vline, vcol, inner))
            i, pos = self.space(i, pos, owner)
            ch = self.lines[i][pos]
            if ch == close:
                return out, table, i, pos + 1
            if ch != ",":
                raise NotSubset
            i, pos = self.space(i, pos + 1, owner)
            if self.lines[i][pos] == close:
                raise NotSubset  # a trailing comma: left to libyaml

    def flow_node(self, i: int, pos: int, owner: int, depth: int) -> tuple[Any, Any, int, int]:
        if self.lines[i][pos] in "[{":
            return self.flow(i, pos, owner, depth + 1)
        value, _line, _col, i, pos = self.flow_scalar(i, pos, owner, key=False)
        return value, None, i, pos

    def flow_scalar(self, i: int, pos: int, owner: int, *, key: bool
                    ) -> tuple[Any, int, int, int, int]:
        """A quoted or plain scalar in a flow collection: value, its line and column, and
        where the next token (after spaces on the same line) starts."""
        line = self.lines[i]
        ch = line[pos]
        if ch in "'\"":
            m = (_SQ if ch == "'" else _DQ).match(line, pos)
            if m is None:
                raise NotSubset
            value: Any = m.group(1).replace("''", "'") if ch == "'" else m.group(1)
            end = m.end()
        else:
            m = _FLOW_PLAIN.match(line, pos)
            if m is None:
                raise NotSubset
            end = m.end()
            after = line[end:end + 1]
            if after == ":" and not (key and line[end + 1:end + 2] in ("", " ")):
                raise NotSubset  # ':' inside a plain scalar, or a pair in a list
            if after == "#" and line[end - 1] != " ":
                raise NotSubset
            text = m.group().rstrip(" ")
            if end == len(line) or after == "#":  # may go on over the next line
                j, p = self.space(i, end, owner)
                if self.lines[j][p] not in ",]}" or j > i + 1:
                    raise NotSubset
            value = self.cache.get(text, _UNSEEN)
            if value is _UNSEEN:
                value = self.resolve(text, i + 1, pos + 1)
        while end < len(line) and line[end] == " ":
            end += 1
        return value, i + 1, pos + 1, i, end

    def space(self, i: int, pos: int, owner: int) -> tuple[int, int]:
        """Past spaces, line ends and comments inside a flow collection; its continuation
        lines must be indented past the block node it is in (``owner``)."""
        lines = self.lines
        line = lines[i]
        while True:
            end = len(line)
            while pos < end and line[pos] == " ":
                pos += 1
            if pos < end and not (line[pos] == "#" and (pos == 0 or line[pos - 1] == " ")):
                return i, pos
            i += 1
            if i >= self.n:
                raise NotSubset  # the collection is not closed
            line = lines[i]
            ind = self.indents[i]
            if ind < 0:
                pos = len(line)
                continue
            if ind <= owner:
                raise NotSubset
            pos = ind

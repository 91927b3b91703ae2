"""A safe YAML (and JSON) reader that remembers where every value came from.

Rulesets, fact files and claimed-score files are written by people; when one is wrong
the message must name ``file:line:col``. PyYAML's ``compose`` gives a node tree with
marks; this module turns it into plain Python (dict, list, str, int, ``Decimal``,
bool, None, date/datetime) and keeps a table from each path to its position.

Why not ``yaml.safe_load``: it loses positions, silently keeps the last of duplicate
keys, and turns ``0.1`` into a float. Here duplicate keys are errors, numbers written
with a decimal point or exponent become ``Decimal`` of the exact text written, and
every tag outside YAML's core scalar/collection tags is refused (no object is ever
constructed). Aliases to plain data are allowed; merge keys (``<<``) are refused so
that what is read is what is written.

Numbers are read the way a person writing a budget table means them, not the way
YAML 1.1 would (the rule, applied to rulesets, facts files and every other file):

* plain decimal digits are a decimal integer, leading zeros and all: ``010`` is 10,
  never octal 8, and ``09`` is 9 (YAML 1.1 would make it text); ``1_000`` is 1000;
* ``0x10``, ``0b11`` (hexadecimal, binary) and ``1:30`` (sexagesimal, = 90 in YAML 1.1)
  are refused as a Problem at their position ("quote it for text"): nobody writes a
  score or an amount that way, and reading them silently would change the value;
* ``.nan``, ``.inf`` and ``-.inf`` are refused ("expected a finite number"): no point,
  bound, target or fact value is infinite, and letting them through would surface
  later as an internal error far from the line that caused it;
* ``2e3`` (an exponent without a point, a number in JSON and YAML 1.2) is a number.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Hashable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
import yaml

from ..collector import paused
from ..errors import LoadError, Location, Problem
from ..numbers import problem as number_problem
from ..numbers import shown, text_problem
from .block_yaml import NotSubset, PlainScalar, read_block

__all__ = [
    "MAX_DEPTH", "MAX_FILE_BYTES", "DuplicateKey", "Doc", "PathT", "format_path", "parse",
    "plain_is_text", "read",
]

#: the largest ruleset, facts or claimed file read (a large ruleset is ~100 kB); a
#: larger one, or a file that is not a regular file (/dev/zero, a pipe), is refused
MAX_FILE_BYTES = 16 * 1024 * 1024
#: the deepest nesting of mappings and lists (a ruleset nests ~10 deep); checked on the
#: event stream, before anything is composed, so deep input never recurses
MAX_DEPTH = 64

PathT = tuple[str | int | Any, ...]
#: the Problem for a repeated key, from its path, its ``Location`` and the line of the
#: first one; None for the reader's own ("duplicate key ...")
DuplicateKey = Callable[[PathT, Location, int | None], "Problem | None"]

try:  # the C composer is ~10x faster and gives the same marks
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(
    _TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")
)
_EXPONENT = re.compile(r"^[-+]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)[eE][-+]?\d+$")
_DECIMAL_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_QUOTE_HINT = "a decimal number, or quote it for text"
_DOMAIN = "a number of at most 10^18 in magnitude with at most 18 decimal places, or quote it"
_MAX_NODES = 1_000_000  # aliases can expand exponentially ("billion laughs")
_constructor = yaml.SafeLoader("")  # used only for its int/bool/timestamp scalar parsers
_resolver = yaml.resolver.Resolver()
#: the first characters of a plain scalar that may read as other than its text: those
#: of YAML's implicit tags, and of the numbers this reader adds (``2e3``, ``09``)
_NOT_ONLY_TEXT = frozenset(k for k in _resolver.yaml_implicit_resolvers if k) | frozenset(
    "+-.0123456789")
#: the fast path relies on each implicit tag having its first characters (PyYAML's do)
_FAST = None not in _resolver.yaml_implicit_resolvers


def plain_is_text(text: str) -> bool:
    """Whether ``text`` written as a plain (unquoted) YAML scalar reads back as that text.

    False for anything this reader takes as another value: ``1e3`` and ``010`` (numbers
    here though text in YAML 1.1, and the other way round), ``True``, ``null``, ``~``,
    ``1:30``, ``0x10``, ``.inf``, dates. ``dump`` quotes such strings.
    """
    if _EXPONENT.match(text) or _DECIMAL_INT.match(text):
        return False
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag == _TAG + "str")


def format_path(path: PathT) -> str:
    """``("indicators", 3, "rule")`` -> ``$.indicators[3].rule``."""
    out = "$"
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            text = str(part)
            out += f".{text}" if text.replace("_", "a").isalnum() else f"[{text!r}]"
    return out


@attrs.frozen
class Doc:
    """A parsed document: ``data`` (plain Python) and the position of every value.

    ``where(path)`` gives the 1-based ``(line, col)`` of the value at ``path``;
    ``where_key(path)`` the position of the mapping key naming it. For a path that
    does not exist (a missing key) both fall back to the nearest existing ancestor.
    """

    data: Any
    filename: str | None = None
    _values: Mapping[PathT, tuple[int, int]] = attrs.field(factory=dict, repr=False, eq=False)
    _keys: Mapping[PathT, tuple[int, int]] = attrs.field(factory=dict, repr=False, eq=False)

    def where(self, path: PathT) -> tuple[int, int]:
        path = tuple(path)
        found = self._values.get(path)
        while found is None and path:
            path = path[:-1]
            found = self._values.get(path)
        return found or (1, 1)

    def where_key(self, path: PathT) -> tuple[int, int]:
        path = tuple(path)
        if path in self._keys:
            return self._keys[path]
        return self.where(path)

    def problem(self, message: str, path: PathT = (), *, key: bool = False, **fields: Any
                ) -> Problem:
        """A ``Problem`` located at ``path`` (its key with ``key=True``) in this document."""
        line, col = self.where_key(path) if key else self.where(path)
        return Problem(message, file=self.filename, line=line, col=col,
                       path=format_path(path), **fields)


def read(source: str | Path, *, filename: str | None = None) -> Doc:
    """Parse YAML or JSON ``source`` (a ``Path``, a path string, or the text itself).

    A ``Path`` is always a file. A string is a file name when it is one line naming an
    existing file or ending in ``.yaml``/``.yml``/``.json``; otherwise it is the text.
    Raises ``LoadError`` (with file:line:col) for unreadable files, syntax errors,
    duplicate keys and refused tags.
    """
    doc, problems = parse(source, filename=filename)
    if problems:
        raise LoadError(problems)
    return doc


def parse(source: str | Path, *, filename: str | None = None,
          duplicate: DuplicateKey | None = None) -> tuple[Doc, list[Problem]]:
    """``read``, returning the problems of the data (duplicate keys, refused tags and
    numbers) with the document instead of raising them, so that a caller can report
    its own problems with them, all at once. A repeated key keeps its first value;
    ``duplicate`` makes the Problem for one (default: "duplicate key ..."). Unreadable
    files and syntax errors still raise ``LoadError``: there is no document then.
    """
    text, filename = _text_of(source, filename)
    with paused():  # a node and two marks per value, all kept: see rubric.collector
        return _parse_text(text, filename, duplicate)


def _parse_text(text: str, filename: str | None, duplicate: DuplicateKey | None
                ) -> tuple[Doc, list[Problem]]:
    if _FAST:  # the block-style subset rulesets are written in, read without problems
        with contextlib.suppress(NotSubset):
            data, at, keys = read_block(text, _plain_values(_Builder(filename, duplicate)),
                                        _NOT_ONLY_TEXT, _MAX_NODES)
            return Doc(data, filename, at, keys), []
    builder = _Builder(filename, duplicate)
    try:  # one pass over the event stream: the common case
        data = _EventReader(builder).read(text)
    except _Composed:  # aliases, complex keys, syntax errors...: the composer's path
        return _composed(text, filename, duplicate)
    return Doc(data, filename, builder.values, builder.keys), builder.problems


def _plain_values(builder: _Builder) -> Callable[[str, int, int], Any]:
    """A plain scalar's value for ``block_yaml``, as the event reader builds it;
    ``NotSubset`` for a problem or a merge key (the full reader reports them)."""

    def plain(text: str, line: int, col: int) -> Any:
        tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
        if tag in (_TAG + "merge", _TAG + "value"):
            raise NotSubset
        value = builder.scalar(PlainScalar(text, line, col), (), tag)
        if builder.problems:
            raise NotSubset
        return value

    return plain


def _composed(text: str, filename: str | None, duplicate: DuplicateKey | None
              ) -> tuple[Doc, list[Problem]]:
    """``parse`` through PyYAML's composer (node tree), for what the event reader leaves."""
    _check_depth(text, filename)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise LoadError([Problem(
            f"YAML syntax error: {message}", file=filename,
            line=mark.line + 1 if mark else None, col=mark.column + 1 if mark else None,
            expected="valid YAML (or JSON)", example="key: value",
        )]) from None
    except yaml.YAMLError as exc:  # reader errors (bad bytes) carry no mark object
        raise LoadError([Problem(f"cannot read YAML: {exc}", file=filename)]) from None
    finally:
        loader.dispose()
    builder = _Builder(filename, duplicate)
    data = None if node is None else builder.build(node, ())
    return Doc(data, filename, builder.values, builder.keys), builder.problems


def _duplicate_key(path: PathT, at: Location, first: int | None) -> Problem:
    where = f" (first at line {first})" if first else ""
    return Problem(f"duplicate key '{path[-1]}'{where}", file=at.file, line=at.line,
                   col=at.column, path=at.path, expected="each key once in a mapping")


def _text_of(source: str | Path, filename: str | None) -> tuple[str, str | None]:
    path: Path | None = None
    if isinstance(source, Path):
        path = source
    elif "\n" not in source and source.strip():
        candidate = Path(source.strip())
        looks_like_file = candidate.suffix.lower() in (".yaml", ".yml", ".json")
        try:
            exists = candidate.is_file()
        except OSError:
            exists = False
        if exists or looks_like_file:
            path = candidate
    if path is None:
        return str(source), filename
    name = filename or str(path)
    try:
        return _bounded_read(path, name).decode("utf-8-sig"), name
    except OSError as exc:
        raise LoadError([Problem(f"cannot read file: {exc.strerror or exc}", file=name,
                                 expected="an existing, readable UTF-8 file")]) from None
    except UnicodeDecodeError as exc:
        raise LoadError([Problem(f"file is not UTF-8 text ({exc.reason} at byte {exc.start})",
                                 file=name, expected="a UTF-8 encoded file")]) from None


def _bounded_read(path: Path, name: str) -> bytes:
    """The bytes of ``path``, refusing a non-regular file or one above ``MAX_FILE_BYTES``."""
    too_big = Problem(f"file is too large (more than {MAX_FILE_BYTES} bytes)", file=name,
                      expected=f"a file of at most {MAX_FILE_BYTES // (1024 * 1024)} MB")
    with path.open("rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise LoadError([Problem("not a regular file", file=name,
                                     expected="a YAML or JSON file")])
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise LoadError([too_big])
    return data


def _check_depth(text: str, filename: str | None) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` (file:line), reading events only."""
    if text.count("[") + text.count("{") + text.count("\n") + text.count("-") < MAX_DEPTH:
        return  # cannot nest that deep: skip the extra pass
    loader = _Loader(text)
    depth = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(event.start_mark, filename)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # the composer reports syntax errors with their marks
    finally:
        loader.dispose()


def _too_deep(mark: Any, filename: str | None) -> LoadError:
    return LoadError([Problem(
        f"nested too deeply (more than {MAX_DEPTH} levels)", file=filename,
        line=mark.line + 1 if mark else None, col=mark.column + 1 if mark else None,
        expected=f"at most {MAX_DEPTH} levels of mappings and lists")])


class _Composed(Exception):
    """The event reader met what it leaves to the composer's path."""


_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
_KEY = object()  # a mapping frame waiting for its next key


class _EventReader:
    """The data of a YAML text built straight from its event stream, exactly as
    ``_Builder.build`` builds it from the composed node tree, in one pass and without
    the node tree: the same values, positions and problems, the same nesting limit.
    What it does not take on (aliases, complex or merge keys, several documents, the
    node limit, any parser error) raises ``_Composed`` and the text is read again
    through the composer, which reports it as before."""

    def __init__(self, builder: _Builder) -> None:
        self.b = builder
        self.tags: dict[str, str] = {}  # plain scalar text -> its implicit tag

    def tag(self, event: Any) -> str:
        tag: str | None = event.tag
        if tag is not None and tag != "!":
            return tag
        if not event.implicit[0]:
            return _STR
        value = event.value
        found = self.tags.get(value)
        if found is None:
            found = self.tags[value] = _resolver.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, value, event.implicit)
        return found

    def read(self, text: str) -> Any:
        loader = _Loader(text)
        try:
            return self._document(loader.get_event)
        except yaml.YAMLError:
            raise _Composed from None
        finally:
            loader.dispose()

    def _document(self, get: Callable[[], Any]) -> Any:
        get()  # StreamStartEvent
        event = get()
        if type(event) is yaml.StreamEndEvent:
            return None
        if type(event) is not yaml.DocumentStartEvent:  # pragma: no cover - the parser's order
            raise _Composed
        b, values, keys = self.b, self.b.values, self.b.keys
        root: list[Any] = []
        # frames: [container, path, key (_KEY: waiting for one) or next index]
        stack: list[list[Any]] = [[root, (), 0]]
        depth = skip = 0  # skip: levels of a value left unbuilt (a repeated key's)
        while True:
            event = get()
            kind = type(event)
            if kind is yaml.ScalarEvent or kind is yaml.SequenceStartEvent \
                    or kind is yaml.MappingStartEvent:
                if kind is not yaml.ScalarEvent:
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise _too_deep(event.start_mark, b.filename)
                if event.anchor is not None:  # anchors and aliases: the composer's
                    raise _Composed
                if skip > 0:
                    skip += kind is not yaml.ScalarEvent
                    continue
                if skip == -1:  # the repeated key's value: a scalar ends it, else skip it
                    skip = 0 if kind is yaml.ScalarEvent else 1
                    continue
                frame = stack[-1]
                container, path, at = frame
                if at is _KEY:  # a mapping key
                    if kind is not yaml.ScalarEvent:
                        raise _Composed
                    tag = self.tag(event)
                    if tag == _TAG + "merge":
                        raise _Composed
                    key = b.scalar(event, path, tag)
                    mark = event.start_mark
                    key_pos = (mark.line + 1, mark.column + 1)
                    if key in container:
                        b.repeated(path, key, key_pos)
                        skip = -1  # the value that follows is not built
                        continue
                    keys[(*path, key)] = key_pos
                    frame[2] = key
                    continue
                at_path = (*path, at) if len(stack) > 1 else ()
                mark = event.start_mark
                values.setdefault(at_path, (mark.line + 1, mark.column + 1))
                b.count += 1
                if b.count > _MAX_NODES:
                    raise _Composed
                if kind is yaml.ScalarEvent:
                    value = b.scalar(event, at_path, self.tag(event))
                    child = None
                else:
                    tag = event.tag
                    want = _SEQ if kind is yaml.SequenceStartEvent else _MAP
                    if tag is not None and tag not in ("!", want):
                        b.refuse(event, at_path)
                        value, child, skip = None, None, 1
                    else:
                        value = [] if want == _SEQ else {}
                        child = [value, at_path, 0 if want == _SEQ else _KEY]
                if type(container) is list:
                    container.append(value)
                    frame[2] = at + 1
                else:
                    container[at] = value
                    frame[2] = _KEY
                if child is not None:
                    stack.append(child)
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                depth -= 1
                if skip:
                    skip -= 1
                    continue
                stack.pop()
            elif kind is yaml.DocumentEndEvent:
                if type(get()) is not yaml.StreamEndEvent:
                    raise _Composed  # another document: the composer says so
                return root[0]
            else:  # an alias: the composer's path expands and counts it
                raise _Composed


class _Builder:
    def __init__(self, filename: str | None, duplicate: DuplicateKey | None) -> None:
        self.filename = filename
        self.duplicate = duplicate
        self.values: dict[PathT, tuple[int, int]] = {}
        self.keys: dict[PathT, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self._active: set[int] = set()
        self.count = 0

    def _problem(self, node: yaml.Node, message: str, path: PathT, **fields: Any) -> None:
        mark = node.start_mark
        self.problems.append(Problem(message, file=self.filename, line=mark.line + 1,
                                     col=mark.column + 1, path=format_path(path), **fields))

    def build(self, node: yaml.Node, path: PathT) -> Any:
        self.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        self.count += 1
        if self.count > _MAX_NODES:
            if self.count == _MAX_NODES + 1:
                self._problem(node, "document too large (aliases expand too far)", path,
                              expected=f"at most {_MAX_NODES} values")
            return None
        if id(node) in self._active:
            self._problem(node, "recursive alias", path, expected="data without cycles")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _TAG + "seq":
                    return self.refuse(node, path)
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                if node.tag != _TAG + "map":
                    return self.refuse(node, path)
                return self._mapping(node, path)
        finally:
            self._active.discard(id(node))
        return self.refuse(node, path)  # pragma: no cover - compose yields only these

    def _mapping(self, node: yaml.MappingNode, path: PathT) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self._problem(key_node, "merge keys ('<<') are not supported", path,
                              expected="the keys written out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, "a mapping key must be a plain value", path,
                              expected="a name", example="name: 预算执行率")
                continue
            key = self.scalar(key_node, path)
            if not isinstance(key, Hashable):  # pragma: no cover - scalars are hashable
                continue
            key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                self.repeated(path, key, key_pos)
                continue
            self.keys[(*path, key)] = key_pos
            out[key] = self.build(value_node, (*path, key))
        return out

    def repeated(self, path: PathT, key: Any, key_pos: tuple[int, int]) -> None:
        """The problem of a key written twice in the mapping at ``path`` (at ``key_pos``)."""
        first = self.keys.get((*path, key))
        at = Location(self.filename, key_pos[0], key_pos[1], format_path((*path, key)))
        first_line = first[0] if first else None
        problem = self.duplicate((*path, key), at, first_line) if self.duplicate else None
        self.problems.append(problem or _duplicate_key((*path, key), at, first_line))

    def refuse(self, node: Any, path: PathT, tag: str | None = None) -> None:
        """The problem of a refused tag (``node``: a node or an event, ``tag`` resolved)."""
        self._problem(node, f"tag '{tag or node.tag}' is not allowed", path,
                      expected="plain YAML data (mappings, lists, strings, numbers, dates)")

    def scalar(self, node: Any, path: PathT, tag: str | None = None) -> Any:
        """The value of a scalar ``node``, or of a scalar event whose resolved ``tag`` is
        given (the event reader: no node is made unless a constructor needs one)."""
        if tag is None:
            tag = node.tag
        elif tag in (_TAG + "bool", _TAG + "timestamp"):
            node = yaml.ScalarNode(tag, node.value, node.start_mark, node.end_mark, node.style)
        text = node.value
        if tag in (_TAG + "merge", _TAG + "value"):  # '<<' or '=' as a plain value
            return text
        if tag not in _SCALAR_TAGS:
            return self.refuse(node, path, tag)
        if tag == _TAG + "str":
            if not node.style and _EXPONENT.match(text):  # 2e3: a number in JSON/YAML 1.2
                return self._decimal(node, path)
            if not node.style and _DECIMAL_INT.match(text):  # 09, 08: digits, like 010
                return self._int(node, path)
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return _constructor.construct_yaml_bool(node)
        if tag == _TAG + "int":
            return self._int(node, path)
        if tag == _TAG + "float":
            return self._decimal(node, path)
        try:  # timestamp
            value = _constructor.construct_yaml_timestamp(node)
        except (ValueError, AttributeError, OverflowError):  # !!timestamp abc: no match
            self._problem(node, f"invalid date {text!r}", path, example="2023-12-31")
            return None
        return value

    def _int(self, node: yaml.ScalarNode, path: PathT) -> int | None:
        """A YAML 1.1 integer: decimal digits as decimal (``010`` is 10); see the module doc."""
        text = node.value.strip()
        if _DECIMAL_INT.match(text):
            if not self._bounded(node, path, text.replace("_", "")):
                return None
            value = int(text.replace("_", ""))
            return value if self._in_domain(node, path, Decimal(value)) else None
        if ":" in text:  # YAML 1.1 sexagesimal: 1:30 would be 90
            self._sexagesimal(node, path)
            return None
        base = "hexadecimal" if "x" in text.lower() else "binary" if "b" in text.lower() else ""
        self._problem(node, f"{base or 'non-decimal'} integer {text!r} is not supported", path,
                      expected=_QUOTE_HINT, example=f"'{text}'")
        return None

    def _sexagesimal(self, node: yaml.ScalarNode, path: PathT) -> None:
        self._problem(node, f"sexagesimal number {node.value!r} is not supported", path,
                      expected=_QUOTE_HINT, example=f"'{node.value}'")

    def _decimal(self, node: yaml.ScalarNode, path: PathT) -> Decimal | None:
        text = node.value.replace("_", "").strip()
        if text.lower().lstrip("+-") in (".inf", ".nan"):
            self._problem(node, f"{node.value!r} is not a finite number", path,
                          expected="a finite number, or quote it for text", example="4.5")
            return None
        if ":" in text:  # YAML 1.1 sexagesimal (1:30.5): surely not meant as a number here
            self._sexagesimal(node, path)
            return None
        if not self._bounded(node, path, text):
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():  # pragma: no cover - the float resolver admits numbers
            self._problem(node, f"invalid number {node.value!r}", path, example="4.5")
            return None
        return value if self._in_domain(node, path, value) else None

    def _bounded(self, node: yaml.ScalarNode, path: PathT, text: str) -> bool:
        return self._within(node, path, text_problem(text))

    def _in_domain(self, node: yaml.ScalarNode, path: PathT, value: Decimal) -> bool:
        return self._within(node, path, number_problem(value))

    def _within(self, node: yaml.ScalarNode, path: PathT, reason: str | None) -> bool:
        """Report a number outside the numeric domain (``reason``); True when inside."""
        if reason:
            self._problem(node, f"{shown(node.value)} {reason}", path,
                          expected=_DOMAIN, example="4.5")
        return reason is None

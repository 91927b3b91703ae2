"""The service's limits: what a client may send, and the errors it gets otherwise.

Nothing here imports the web framework (``rubric serve`` reads the defaults from here
before it imports FastAPI). ``DEFAULT_MAX_BODY``, ``DEFAULT_MAX_ROWS`` and
``DEFAULT_TIMEOUT`` are the defaults of ``--max-body``, ``--max-rows`` and ``--timeout``.

``parse_json`` reads a JSON document with the limits the service promises: numbers are
read exactly (``Decimal``, as the JSON Lines reader of ``rubric score --batch`` does);
``NaN`` and ``Infinity`` are refused; so is a number with more than ``MAX_DIGITS``
digits or an exponent beyond ``MAX_EXPONENT`` either way (such values are no budget and
only make arithmetic slow or inexact), and nesting deeper than ``MAX_DEPTH``. Every
refusal is a ``ClientError``: an HTTP status and the JSON body
``{"error": message, "location": ..., "fields": {...}}``, which ``error_body`` also
makes from any ``RubricError`` (``str(exc)`` is the message the CLI prints).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import RubricError
from ..io.facts_file import METADATA_KEYS
from ..io.json_objects import KeyGivenTwice, unique_keys

__all__ = [
    "DEFAULT_MAX_BODY",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "LANGS",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "ClientError",
    "error_body",
    "facts_of",
    "lang_of",
    "object_at",
    "parse_json",
    "parse_json_line",
    "what_if_of",
]

#: largest request body, in bytes
DEFAULT_MAX_BODY = 4 * 1024 * 1024
#: most rows (non-blank lines) in one batch request
DEFAULT_MAX_ROWS = 10_000
#: time limit of one request, in seconds
DEFAULT_TIMEOUT = 10.0

LANGS = ("zh", "en")
#: most significant digits a JSON number may have
MAX_DIGITS = 40
#: largest decimal exponent (in absolute value) of a JSON number, once normalised
MAX_EXPONENT = 40
#: deepest nesting of arrays and objects in a request
MAX_DEPTH = 32


class ClientError(Exception):
    """Something the client sent cannot be used: ``status`` and the JSON ``body``."""

    def __init__(self, status: int, message: str, *, location: str | None = None,
                 fields: Mapping[str, Any] | None = None, zh: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.zh = zh  # the Chinese of a RubricError's message (RubricError.text("zh"))
        self.body: dict[str, Any] = {"error": message, "location": location,
                                     "fields": dict(fields or {})}


class _NumberRefused(Exception):
    def __init__(self, text: str, reason: str) -> None:
        super().__init__(reason)
        self.text = text
        self.reason = reason


def _number(text: str) -> Decimal:
    digits = sum(c.isdigit() for c in text.lower().partition("e")[0])
    if digits > MAX_DIGITS:
        raise _NumberRefused(text, f"more than {MAX_DIGITS} digits")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the JSON scanner only passes numerals
        raise _NumberRefused(text, "not a number") from None
    if value and abs(value.adjusted()) > MAX_EXPONENT:
        raise _NumberRefused(text, f"an exponent beyond ±{MAX_EXPONENT}")
    return value


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _NumberRefused(text, f"more than {MAX_DIGITS} digits")
    return int(text)


def _constant(text: str) -> Any:
    raise _NumberRefused(text, "not a finite number (JSON has no NaN or Infinity)")


def _depth(value: Any) -> int:
    """Nesting depth of a parsed document (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            items: Any = item.values()
        elif isinstance(item, list):
            items = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, depth) for child in items)
    return deepest


#: a ``\\uD800``–``\\uDFFF`` escape: half of a UTF-16 pair, a lone one is no character
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(value: Any) -> str | None:
    """The first string (key or value) of a parsed document holding a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return item
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def parse_json(data: bytes | str, *, what: str = "the request body") -> Any:
    """The JSON document in ``data``, or ``ClientError`` (400 malformed, 422 a refused number
    or nesting)."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise ClientError(400, f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start})"
                          ) from None
    if not text.strip():
        raise ClientError(400, f"{what} is empty; expected a JSON document",
                          fields={"example": '{"facts": {"预算数": "100 万元"}}'})
    try:
        value = json.loads(text, parse_float=_number, parse_int=_integer,
                           parse_constant=_constant, object_pairs_hook=unique_keys)
    except KeyGivenTwice as exc:  # json.loads would keep the last value, silently
        raise ClientError(400, f"{what} gives the key '{_short(exc.key)}' twice in one "
                          "object", fields={"expected": "each key once in a JSON object"}
                          ) from None
    except _NumberRefused as exc:
        raise ClientError(422, f"number {_short(exc.text)} in {what} is refused: {exc.reason}",
                          fields={"expected": f"at most {MAX_DIGITS} digits and an exponent "
                                              f"within ±{MAX_EXPONENT}"}) from None
    except json.JSONDecodeError as exc:
        raise ClientError(400, f"{what} is not valid JSON: {exc.msg} (line {exc.lineno} "
                          f"column {exc.colno})", location=f"{exc.lineno}:{exc.colno}",
                          fields={"expected": "a JSON document"}) from None
    except RecursionError:
        raise ClientError(422, f"{what} is nested too deeply",
                          fields={"expected": f"at most {MAX_DEPTH} levels"}) from None
    if _depth(value) > MAX_DEPTH:
        raise ClientError(422, f"{what} is nested too deeply",
                          fields={"expected": f"at most {MAX_DEPTH} levels"})
    if _SURROGATE_ESCAPE.search(text):  # a string no UTF-8 answer could echo
        lone = _lone_surrogate(value)
        if lone is not None:
            shown = _short(_SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", lone))
            raise ClientError(400, f"{what} has a lone surrogate escape in '{shown}', which "
                              "is half a character", fields={
                                  "expected": "text of whole characters (a \\uD83D\\uDE00 "
                                              "pair, or the character itself)"})
    return value


def parse_json_line(line: str, number: int) -> dict[str, Any] | RubricError:
    """One JSON Lines row: its object, or the error to report in its place."""
    try:
        value = parse_json(line, what=f"line {number}")
    except ClientError as exc:
        return RubricError(exc.body["error"], expected=exc.body["fields"].get("expected"),
                           example='{"id": "A", "预算数": 100}')
    if not isinstance(value, dict):
        return RubricError("a JSON line must be an object", example='{"id": "A", "预算数": 100}')
    return value


def object_at(body: Any, key: str, *, required: bool = True) -> dict[str, Any]:
    """``body[key]`` when it is a JSON object (422 otherwise); ``{}`` when absent and optional."""
    if not isinstance(body, dict):
        raise ClientError(422, f"the request body must be a JSON object, got {_kind(body)}",
                          location="$", fields={"example": '{"facts": {"预算数": "100 万元"}}'})
    if key not in body:
        if required:
            raise ClientError(422, f"the request body needs '{key}'", location="$",
                              fields={"expected": f"a '{key}' object"})
        return {}
    value = body[key]
    if not isinstance(value, dict):
        raise ClientError(422, f"'{key}' must be a JSON object, got {_kind(value)}",
                          location=f"$.{key}")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def facts_of(body: Any) -> dict[str, Any]:
    """The ``facts`` object of a body, ``{value, source}`` entries unwrapped as in facts files."""
    facts = object_at(body, "facts")
    out: dict[str, Any] = {}
    for name, raw in facts.items():
        if name in METADATA_KEYS:  # who the facts are about, as in a facts file: not a fact
            continue
        wrapped = isinstance(raw, dict) and "value" in raw and set(raw) <= {"value", "source"}
        out[name] = raw["value"] if wrapped else raw
    return out


def lang_of(body: Any) -> str:
    """The body's ``lang`` (default ``zh``); 422 for a language rubric does not write."""
    lang = body.get("lang", "zh") if isinstance(body, dict) else "zh"
    if lang not in LANGS:
        raise ClientError(422, f"unknown language {lang!r}", location="$.lang",
                          fields={"expected": " or ".join(LANGS)})
    return str(lang)


def what_if_of(body: Any) -> bool:
    """The body's ``what_if`` (default false); 422 unless it is a boolean."""
    value = body.get("what_if", False) if isinstance(body, dict) else False
    if not isinstance(value, bool):
        raise ClientError(422, f"what_if must be true or false, got {value!r}",
                          location="$.what_if", fields={"expected": "true or false"})
    return value


def error_body(exc: RubricError) -> dict[str, Any]:
    """The JSON error of a ``RubricError``: its CLI message, where it is, its named parts."""
    location = str(exc.location) if exc.location is not None else exc.where
    fields = {name: value for name in ("indicator", "fact", "field", "index", "expected",
                                       "example")
              if (value := getattr(exc, name, None)) is not None}
    if exc.cycle:
        fields["cycle"] = list(exc.cycle)
    return {"error": str(exc), "location": location, "fields": fields}

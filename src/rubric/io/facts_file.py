"""Facts files: the values of one unit, read and checked against a ruleset.

A facts file maps fact names to values (``预算数: 100 万元``), or to ``{value, source}``
where ``source`` quotes the sentence the value was taken from. A whole row (or group)
that does not apply to the unit is given by its id or name mapped to ``不适用`` (or
``/``, ``—`` …), or listed under ``不适用: [id, …]`` (``Ruleset.split_rows``). ``load_facts`` checks
every entry against the ruleset's declarations and reports every bad one at its line;
``locate_in_facts`` points an evaluation error at the lines of the values it read.

A facts file may open with a ``基本信息:`` (or ``metadata:``) section, which is not a
fact: what the reports say they are about (``METADATA_FIELDS``: 单位名称, 项目名称, 年度,
填报人, 填报日期, or their English keys), carried as ``Facts.metadata``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from ..errors import EvaluationError, FactError, LoadError, Location, Problem
from ..facts import Facts, suggest
from ..tree import NOT_APPLICABLE_KEYS, Indicator, Ruleset
from . import located_yaml as _yaml
from .field_types import describe

__all__ = ["METADATA_FIELDS", "METADATA_KEYS", "facts_located", "load_facts",
           "load_facts_mapping", "load_facts_metadata", "locate_in_facts"]

PathT = tuple[Any, ...]

#: the keys of a facts file's metadata section (about the unit, not a fact)
METADATA_KEYS = ("基本信息", "metadata")
#: its fields: the Chinese key (as reports print it) -> the English key ``Facts.metadata`` uses
METADATA_FIELDS = {"单位名称": "unit", "项目名称": "project", "年度": "fiscal_year",
                   "填报人": "filled_by", "填报日期": "filled_on"}


def _metadata(doc: _yaml.Doc, problems: list[Problem]) -> dict[str, str]:
    """The metadata section of a facts file, fields under their English keys (each bad
    field is a Problem); {} when there is none."""
    if not isinstance(doc.data, dict):
        return {}
    keys = [k for k in METADATA_KEYS if k in doc.data]
    if not keys:
        return {}
    key = keys[0]
    if len(keys) > 1:
        problems.append(doc.problem(f"'{keys[1]}' repeats the metadata section '{key}'",
                                    (keys[1],), key=True, expected="one metadata section"))
    raw, example = doc.data[key], f"{key}: {{单位名称: 某某局, 项目名称: 某某项目, 年度: 2024}}"
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(doc.problem(f"'{key}' is the facts file's metadata (not a fact): a "
                                    f"mapping, got {describe(raw)}", (key,), example=example))
        return {}
    english = set(METADATA_FIELDS.values())
    out: dict[str, str] = {}
    for field, value in raw.items():
        name = METADATA_FIELDS.get(str(field), str(field))
        if name not in english:
            hint = suggest(str(field), [*METADATA_FIELDS, *english])
            problems.append(doc.problem(
                f"unknown field '{field}' in '{key}'" + (f" (did you mean '{hint}'?)" if hint
                                                         else ""), (key, field), key=True,
                expected=", ".join(METADATA_FIELDS), example=example))
        elif isinstance(value, (dict, list, bool)):
            problems.append(doc.problem(f"'{key}': {field} is one text, got {describe(value)}",
                                        (key, field), example=example))
        elif value is not None and str(value).strip():
            out[name] = value.isoformat() if hasattr(value, "isoformat") else str(value).strip()
    return out


def _fact_entries(doc: _yaml.Doc) -> tuple[dict[str, tuple[object, PathT]], list[Problem]]:
    problems: list[Problem] = []
    if doc.data is None:
        return {}, problems
    if not isinstance(doc.data, dict):
        problems.append(doc.problem(f"a facts file is a mapping from fact name to value, got "
                                    f"{describe(doc.data)}", (), example="预算数: 100 万元"))
        return {}, problems
    entries: dict[str, tuple[object, PathT]] = {}
    for name, raw in doc.data.items():
        path: PathT = (name,)
        if name in METADATA_KEYS:
            continue  # the metadata section: _metadata
        if isinstance(raw, dict):
            unknown = [k for k in raw if k not in ("value", "source")]
            for key in unknown:
                hint = suggest(str(key), ("value", "source"))
                problems.append(doc.problem(
                    f"unknown key '{key}' in fact '{name}'"
                    + (f" (did you mean '{hint}'?)" if hint else ""), (*path, key), key=True,
                    expected="value and source",
                    example="{value: 34, source: '新增规模工业企业 34 家'}"))
            if "value" not in raw:
                problems.append(doc.problem(f"fact '{name}' needs a 'value'", path,
                                            example="{value: 34, source: '...'}"))
                continue
            if "source" in raw and not isinstance(raw["source"], str):
                problems.append(doc.problem("a source is the quoted sentence (text)",
                                            (*path, "source"),
                                            example="source: '新增规模工业企业 34 家'"))
            entries[str(name)] = (raw["value"], (*path, "value"))
        elif isinstance(raw, list) and name in NOT_APPLICABLE_KEYS:
            entries[str(name)] = (raw, path)  # 不适用: [row, …]
        elif isinstance(raw, list):
            problems.append(doc.problem(f"fact '{name}': expected one value, got a list", path,
                                        example="34"))
        else:
            entries[str(name)] = (raw, path)
    return entries, problems


def load_facts_mapping(source: str | Path, *, filename: str | None = None) -> dict[str, object]:
    """The raw values of a facts file (``{value, source}`` entries unwrapped), unchecked."""
    doc = _yaml.read(source, filename=filename)
    entries, problems = _fact_entries(doc)
    if problems:
        raise LoadError(problems)
    return {name: value for name, (value, _path) in entries.items()}


def load_facts(source: str | Path, ruleset: Ruleset, *, filename: str | None = None) -> Facts:
    """Load and check a facts file against ``ruleset``: each bad entry is a Problem at its line."""
    doc = _yaml.read(source, filename=filename)
    entries, problems = _fact_entries(doc)
    metadata = _metadata(doc, problems)
    specs = ruleset.specs
    values: dict[str, object] = {}
    for name, (raw, path) in entries.items():
        spec = specs.get(name)
        if spec is None and ruleset.is_row_key(name):  # a row given as 不适用 as a whole
            try:
                ruleset.split_rows({name: raw})
            except FactError as exc:
                problems.append(doc.problem(exc.message, path, expected="不适用, or a list "
                                            "of row ids or names under 不适用",
                                            example="不适用: [指标1]"))
                continue
            values[name] = raw
            continue
        if spec is None:
            hint = suggest(name, specs)
            problems.append(doc.problem(
                f"unknown fact '{name}'" + (f" (did you mean '{hint}'?)" if hint else ""), (name,),
                key=True, expected="a fact the ruleset declares", example=hint))
            continue
        if spec.derived:
            problems.append(doc.problem(
                f"fact '{name}' is derived from a formula ({spec.formula}); "
                "give its inputs instead",
                (name,), key=True, expected="the facts the formula reads"))
            continue
        if isinstance(raw, (dict, list)):
            problems.append(doc.problem(f"fact '{name}': expected one value, got {describe(raw)}",
                                        path, example=spec._example()))
            continue
        try:
            spec.coerce(raw)
        except FactError as exc:
            problems.append(doc.problem(exc.message, path, expected=exc.expected,
                                        example=exc.example))
            continue
        values[name] = raw
    if problems:
        raise LoadError(problems)
    facts = ruleset.facts_from(values)
    return attrs.evolve(facts, metadata=metadata) if metadata else facts


def load_facts_metadata(source: str | Path, *, filename: str | None = None) -> dict[str, str]:
    """A facts file's metadata section (``METADATA_FIELDS``, English keys), checked."""
    doc = _yaml.read(source, filename=filename)
    problems: list[Problem] = []
    metadata = _metadata(doc, problems)
    if problems:
        raise LoadError(problems)
    return metadata


def locate_in_facts(exc: EvaluationError, ruleset: Ruleset, source: str | Path
                    ) -> EvaluationError:
    """``exc`` with the facts-file lines of the values its indicator read.

    Evaluation errors (a value in no band, a coefficient above 100%, a score outside its
    tier) are about a fact's value; the error names the indicator's line in the ruleset,
    and this adds where the values came from, e.g. ``(facts: facts.yaml:6 评分)``, to
    the message and as ``facts_at`` (each fact's ``Location``).
    """
    if not exc.indicator:
        return exc
    try:
        node = ruleset.node(exc.indicator)
        doc = _yaml.read(source)
    except (KeyError, LoadError, OSError):
        return exc
    if not isinstance(node, Indicator) or not isinstance(doc.data, dict):
        return exc
    names = ruleset.base_inputs(node.rule.inputs)
    found = [(n, Location(doc.filename, doc.where((n,))[0], path=_yaml.format_path((n,))))
             for n in names if n in doc.data]
    if not found:
        return exc
    text = ", ".join(f"{at.file}:{at.line} {name}" for name, at in found)
    return EvaluationError(f"{exc.message} (facts: {text})",
                           **{**exc.keywords(), "facts_at": found})


@contextlib.contextmanager
def facts_located(ruleset: Ruleset, source: str | Path) -> Iterator[None]:
    """Re-raise an EvaluationError with the facts-file lines (``locate_in_facts``)."""
    try:
        yield
    except EvaluationError as exc:
        raise locate_in_facts(exc, ruleset, source) from None
